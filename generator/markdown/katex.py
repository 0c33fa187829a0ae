"""Formulas typeset into HTML with KaTeX, when the site is built, so that pages show their math
without JavaScript and ship no math script.

KaTeX is the copy the project pins in package.json / package-lock.json (``npm ci`` installs it
into ``node_modules/``) and runs through Node.js, a build dependency: one ``node`` process
typesets every formula of a build or a check in one batch (``katex_batch.js``, JSON over
stdin and stdout), not one process per formula. KaTeX rather than our own code: typesetting
TeX is a large job, and KaTeX's output is what the site showed in the browser until now.

A ``Typesetter`` keeps what it typeset in memory, by display mode and formula text, so that
the preview server typesets a formula once, not after every save; the build cache owns the
typesetters (see ``pipeline.math_check.MathCache``) and keeps the check's verdicts (typesets or
not, and why) for the next ``glossary check``. The HTML is never kept on disk.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from pathlib import Path

from generator.model import GlossaryError, Problem

BATCH_SCRIPT = Path(__file__).with_name("katex_batch.js")
# The project's own checkout: where ``make site`` ran ``npm ci``. A site of its own (README:
# "A glossary in your own site") installs KaTeX next to its mkdocs.yml, which is looked at first.
_CHECKOUT = Path(__file__).resolve().parents[2]
_TIMEOUT = 600  # seconds for one batch; 10,000 terms of math take well under a minute

# (formula text, display mode): display math is a block of its own ($$...$$, \[...\]).
Formula = tuple[str, bool]
# What a check keeps of a formula's result: KaTeX's error (None: it typesets), and where it
# stopped.
Verdict = tuple[str | None, int | None]


@dataclass(frozen=True)
class Typeset:
    """What KaTeX made of one formula: its HTML, or why it could not (``error``, and the offset
    in the formula's text where it stopped, when it knows)."""

    html: str | None
    error: str | None = None
    position: int | None = None


def katex_directory(root: Path, node_modules: str = "node_modules") -> Path | None:
    """The installed ``katex`` package for the project at ``root``: its own ``node_modules``,
    else the generator's checkout's; None when neither has one."""
    for base in (root / node_modules, _CHECKOUT / "node_modules"):
        if (base / "katex" / "package.json").is_file():
            return base / "katex"
    return None


def katex_missing(root: Path, node_modules: str = "node_modules") -> Problem:
    """The problem to report when there is math to typeset and no KaTeX or no Node.js."""
    what = "Node.js is not installed" if shutil.which("node") is None else "KaTeX is not installed"
    return Problem(
        f"{node_modules}/katex/package.json",
        1,
        1,
        "math",
        f"{what}, and the formulas are typeset with it when the site is built",
        "install Node.js 20 and run 'make site' (or 'npm ci') here",
    )


class Typesetter:
    """Typesets formulas with one KaTeX installation, remembering what it typeset."""

    def __init__(self, katex: Path) -> None:
        self.katex = katex.resolve()
        package = json.loads((self.katex / "package.json").read_text(encoding="utf-8"))
        self.version = str(package["version"])
        self._done: dict[Formula, Typeset] = {}
        self.batches = 0  # how many node processes ran, for the tests

    def typeset(self, formulas: Iterable[Formula]) -> dict[Formula, Typeset]:
        """Each formula's result; those not typeset before are typeset in one batch."""
        wanted = list(dict.fromkeys(formulas))
        missing = [formula for formula in wanted if formula not in self._done]
        if missing:
            self._done.update(zip(missing, self._run(missing), strict=True))
        return {formula: self._done[formula] for formula in wanted}

    def errors(
        self, formulas: Iterable[Formula], verdicts: MutableMapping[str, Verdict]
    ) -> dict[Formula, Typeset]:
        """The formulas among ``formulas`` that KaTeX cannot typeset, with why. ``verdicts``
        (by ``verdict_key``, for this KaTeX version) holds what earlier checks found: a formula
        it knows is not typeset again, and the others are added to it."""
        wanted = list(dict.fromkeys(formulas))
        unknown = [f for f in wanted if verdict_key(f) not in verdicts]
        for formula, result in self.typeset(unknown).items():
            verdicts[verdict_key(formula)] = (result.error, result.position)
        failed = {}
        for formula in wanted:
            error, position = verdicts[verdict_key(formula)]
            if error is not None:
                failed[formula] = Typeset(None, error, position)
        return failed

    def _run(self, formulas: list[Formula]) -> list[Typeset]:
        request = {
            "katex": str(self.katex),
            "formulas": [[tex, display] for tex, display in formulas],
        }
        node = shutil.which("node")
        if node is None:
            raise GlossaryError([katex_missing(self.katex.parents[1], self.katex.parent.name)])
        self.batches += 1
        completed = subprocess.run(
            [node, str(BATCH_SCRIPT)],
            input=json.dumps(request).encode("utf-8"),
            capture_output=True,
            timeout=_TIMEOUT,
            check=False,
        )
        if completed.returncode != 0:
            stderr = completed.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GlossaryError(
                [
                    Problem(
                        f"{self.katex.parent.name}/katex/package.json",
                        1,
                        1,
                        "math",
                        f"Node.js could not typeset with KaTeX ({stderr[-1] if stderr else '?'})",
                        "run 'make site' (or 'npm ci') to install KaTeX again",
                    )
                ]
            )
        results = json.loads(completed.stdout)
        return [Typeset(html, error, position) for html, error, position in results]


def verdict_key(formula: Formula) -> str:
    """The key of a formula's verdict: its mode and text as one string."""
    tex, display = formula
    return ("D" if display else "I") + tex
