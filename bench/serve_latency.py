"""How long `glossary serve` takes from saving a term file to serving the updated page.

    .venv/bin/python bench/serve_latency.py --terms 1000 --out bench/results/serve.json

Starts the preview server on a synthetic project (``bench/synthetic.py``), then, several times:
writes a term file whose definition carries a new marker, and polls that term's page until the
served page has it; then writes the term's summary with a marker and polls a page that links to
the term (its tooltip carries the summary) until that page has it too. The time from the write
to the updated page is what a contributor waits for: the browser reloads as soon as the
rebuild is done, and the page it fetches is the one polled here (the server holds requests
while it rebuilds). ``--command`` picks what serves: ``glossary serve`` (default, rebuilding
only the pages that changed) or ``glossary serve --clean`` (rebuilding every page).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# What serves the preview: the program and its arguments.
COMMANDS = {
    "glossary": ("glossary", ["serve"]),  # rebuilds the pages that changed (MkDocs --dirty)
    "glossary-clean": ("glossary", ["serve", "--clean"]),  # rebuilds every page
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, text: str, timeout: float) -> float:
    """Poll ``url`` until its body contains ``text``; the time it took (seconds)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        body = fetch(url)
        if body is not None and text in body:
            return time.perf_counter() - start
        time.sleep(0.02)
    raise TimeoutError(f"{url} did not show {text!r} within {timeout} s")


def replace_field(path: Path, field: str, transform: Any) -> None:
    """Rewrite the first line of ``field`` (a one-line field, or the first line of a block)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith(f"{field}: |"):
            lines[i + 1] = transform(lines[i + 1])
            break
        if line.startswith(f"{field}: "):
            lines[i] = transform(line)
            break
    path.write_text("".join(lines), encoding="utf-8")


def measure(n: int, command: str, edits: int, settle: float) -> dict[str, Any]:
    from bench.synthetic import write_project

    with tempfile.TemporaryDirectory(prefix=f"glossary-serve-{n}-") as tmp:
        project = write_project(Path(tmp), n)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = Path(tmp) / "serve.log"
        # The server runs this script in the project (see serve()): `glossary` takes it as its
        # root, MkDocs finds mkdocs.yml there.
        arguments = [sys.executable, str(Path(__file__).resolve()), "--serve", command]
        arguments += ["--dev-addr", f"127.0.0.1:{port}"]
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        started = time.perf_counter()
        with log.open("w") as output:
            server = subprocess.Popen(
                arguments,
                cwd=project,
                stdout=output,
                stderr=output,
                env=env,
                start_new_session=True,
            )
        try:
            first = wait_for(f"{base}/", "AI Glossary", timeout=900)
            result: dict[str, Any] = {
                "terms": n,
                "command": " ".join([COMMANDS[command][0], *COMMANDS[command][1]]),
                "initial_build": first,
                "startup": time.perf_counter() - started,
            }
            time.sleep(settle)
            terms = sorted(p for p in (project / "terms").glob("*.yaml") if p.name[0] != "_")
            definition, summary = [], []
            for k in range(edits):
                term = terms[(k * 7919) % len(terms)]  # spread over the glossary
                page = f"{base}/glossary/{term.stem}/"
                marker = f"benchmarker{k}x"
                replace_field(term, "definition", lambda line, m=marker: f"  {m} {line.lstrip()}")
                definition.append(wait_for(page, marker, timeout=300))
                time.sleep(settle)  # let any second rebuild (MkDocs saw our writes) finish
                linking = _page_linking_to(project, term.stem)
                replace_field(
                    term, "summary", lambda line, m=marker: line.replace(": ", f": {m} ", 1)
                )
                summary.append(wait_for(f"{base}/glossary/{linking}/", f"{marker} ", timeout=300))
                time.sleep(settle)
            result |= {
                "definition_edit": _summary(definition),
                "summary_edit_seen_on_linking_page": _summary(summary),
                "rebuilds_logged": _rebuilds(log),
            }
            return result
        finally:
            os.killpg(server.pid, signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)


def _page_linking_to(project: Path, slug: str) -> str:
    """A term page (its slug) whose generated Markdown links to ``slug``'s page."""
    link = re.compile(rf"\]\[term:{re.escape(slug)}\]")
    for page in sorted((project / "docs" / "glossary").glob("*.md")):
        if page.stem != slug and link.search(page.read_text(encoding="utf-8")):
            return page.stem
    raise LookupError(f"no term page links to {slug}")


def _summary(values: list[float]) -> dict[str, Any]:
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "runs": values,
    }


def _rebuilds(log: Path) -> int:
    return log.read_text(encoding="utf-8", errors="replace").count("Building documentation")


def serve(command: str, dev_addr: str) -> None:
    """Run the server in this process (the working directory is the project)."""
    from generator.cli import main as glossary

    sys.exit(glossary([*COMMANDS[command][1], "--dev-addr", dev_addr]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--terms", type=int, nargs="+", default=[1000])
    parser.add_argument("--command", choices=sorted(COMMANDS), nargs="+", default=["glossary"])
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--settle", type=float, default=3.0, help="seconds between edits")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--serve", choices=sorted(COMMANDS), help=argparse.SUPPRESS)
    parser.add_argument("--dev-addr", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.dev_addr)
        return
    results = []
    for n in args.terms:
        for command in args.command:
            print(f"{n} terms, {command} ...", file=sys.stderr, flush=True)
            results.append(measure(n, command, args.edits, args.settle))
            print(json.dumps(results[-1], indent=1))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"results": results}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
