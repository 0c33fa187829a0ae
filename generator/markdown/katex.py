"""Formulas typeset into HTML with KaTeX, when the site is built, so that pages show their math
without JavaScript and ship no math script.

KaTeX is the copy the project pins in package.json / package-lock.json (``npm ci`` installs it
into ``node_modules/``) and runs through Node.js, a build dependency: one ``node`` process
typesets every formula of a build or a check in one batch (``katex_batch.js``, JSON over
stdin and stdout), not one process per formula. KaTeX rather than our own code: typesetting
TeX is a large job, and KaTeX's output is what the site showed in the browser until now.

A ``Typesetter`` keeps what it typeset in memory, by KaTeX version, display mode and formula
text, so that the preview server typesets a formula once, not after every save. ``check``
verdicts (typesets or not, and why) are also kept on disk under ``.cache/math/`` for the next
``glossary check``; the HTML is never read from disk, so a cache file brought by a pull request
can at worst hide a check's error until the build meets it again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.model import GlossaryError, Problem

BATCH_SCRIPT = Path(__file__).with_name("katex_batch.js")
CACHE_DIR = ".cache/math"
# The project's own checkout: where ``make site`` ran ``npm ci``. A site of its own (README:
# "A glossary in your own site") installs KaTeX next to its mkdocs.yml, which is looked at first.
_CHECKOUT = Path(__file__).resolve().parents[2]
_TIMEOUT = 600  # seconds for one batch; 10,000 terms of math take well under a minute

# (formula text, display mode): display math is a block of its own ($$...$$, \[...\]).
Formula = tuple[str, bool]


@dataclass(frozen=True)
class Typeset:
    """What KaTeX made of one formula: its HTML, or why it could not (``error``, and the offset
    in the formula's text where it stopped, when it knows)."""

    html: str | None
    error: str | None = None
    position: int | None = None


def cache_directory(root: Path) -> Path | None:
    """``root/.cache/math``, or None when that is not inside ``root`` (``.cache`` a symbolic
    link, as in the tests' copies of the project): like the build cache, this one is never
    kept through a link."""
    directory = root / CACHE_DIR
    try:
        inside = directory.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        inside = False
    return directory if inside else None


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


# One per KaTeX installation for the life of the process: the preview server builds and checks
# again after every save, and typesets only the formulas it has not seen.
_TYPESETTERS: dict[Path, Typesetter] = {}


def typesetter_for(katex: Path) -> Typesetter:
    """The typesetter of the KaTeX installed at ``katex``, the same one for the process."""
    katex = katex.resolve()
    if katex not in _TYPESETTERS:
        _TYPESETTERS[katex] = Typesetter(katex)
    return _TYPESETTERS[katex]


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

    def errors(self, formulas: Iterable[Formula], root: Path) -> dict[Formula, Typeset]:
        """The formulas among ``formulas`` that KaTeX cannot typeset, with why; a formula
        checked by an earlier run (``.cache/math/`` under ``root``) is not typeset again."""
        wanted = list(dict.fromkeys(formulas))
        directory = cache_directory(root)
        path = directory / f"checked-katex-{self.version}.json" if directory else None
        known = _read_verdicts(path) if path else {}
        unknown = [f for f in wanted if _key(f) not in known and f not in self._done]
        results = self.typeset(unknown)
        for formula in wanted:
            result = results.get(formula) or self._done.get(formula)
            if result is not None:
                known[_key(formula)] = [result.error, result.position]
        if unknown and path is not None:
            write_cache_file(path, known)
        failed = {}
        for formula in wanted:
            error, position = known[_key(formula)]
            if error is not None:
                failed[formula] = Typeset(None, str(error), _int_or_none(position))
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


def _key(formula: Formula) -> str:
    tex, display = formula
    return ("D" if display else "I") + tex


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _read_verdicts(path: Path) -> dict[str, list[object]]:
    """The verdicts kept on disk; anything unreadable or of the wrong shape reads as none."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        key: value
        for key, value in data.items()
        if isinstance(value, list)
        and len(value) == 2
        and (value[0] is None or isinstance(value[0], str))
    }


def write_cache_file(path: Path, data: object) -> None:
    """Write a file of ``.cache/math/`` whole, as JSON (a temporary file, then renamed); a cache
    that cannot be written is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        os.replace(temporary, path)
    except OSError:
        return
