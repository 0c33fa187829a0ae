"""Benchmark the generator and the site build on synthetic glossaries of several sizes.

    .venv/bin/python bench/run.py --sizes 100 1000 10000 --out bench/results/NAME.json

For each size, ``bench/synthetic.py`` writes a project of that many terms into a temporary
directory; then, each in a fresh process so that peak memory is its own:

1. the generator, stage by stage (load, validate, link, figures, render, write), by timing the
   stage functions that ``generator.pipeline.build.build`` calls, from an empty
   ``docs/glossary/``; the
   best of ``--repeat`` runs, each in a new process, wall clock and CPU time;
2. a no-op ``build`` in the same process (files rewritten, figures rendered), and
   ``glossary generate`` and ``glossary check`` as commands, from interpreter start to exit,
   with the build cache on disk: from scratch, with nothing changed, and after one edit (see
   ``measure_commands``);
3. an edit of one term's summary, then ``build`` again in the same process, as the preview
   server does (``glossary serve`` keeps the last pages in memory): time, files rewritten;
4. ``glossary build`` from a clean checkout (no ``docs/glossary/``, no ``site/``), in one
   process with timers around the generator and the plugin's exports, so that the generator's
   share of the whole build is measured, not estimated;
5. the output: sizes of the Markdown, of the site, of its term pages, of the largest page, of
   the search index and of ``glossary.json``.

It prints a Markdown table and writes everything, with the machine, to the JSON file.
``--no-site`` skips step 4 (MkDocs takes most of the time).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: make `bench`, `generator` and `tests` importable

STAGES = ("load", "validate", "link", "figures", "render", "write")
# Timed with a stage of its own, then added to it: reading terms/ is part of loading.
_PART_OF = {"scan": "load"}
# The function of generator.pipeline.build that runs each stage.
_STAGE_FUNCTIONS = {
    "load": "load_sources",
    "scan": "scan_sources",
    "validate": "validate",
    "link": "link",
    "figures": "render_figures",
    "render": "render_pages",
    "write": "write_outputs",
}


class Timer:
    """Wraps functions to add up the wall-clock and CPU time spent in them."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - wall
                self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - cpu
                self.calls[name] = self.calls.get(name, 0) + 1

        return timed


# -- in the child processes -----------------------------------------------------------------------


def measure_generator(project: Path, edit: int) -> dict[str, Any]:
    """Steps 1-3, in this (new) process: a cold build, a no-op build, an edit and a build."""
    import generator.pipeline.build
    from generator.pipeline.build import GENERATED_DIR, build
    from generator.pipeline.build_cache import BuildCache

    shutil.rmtree(project / GENERATED_DIR, ignore_errors=True)
    timer = Timer()
    cache = BuildCache()  # kept between the builds below, as the preview server keeps it
    originals = {
        name: getattr(generator.pipeline.build, name) for name in _STAGE_FUNCTIONS.values()
    }
    for stage, name in _STAGE_FUNCTIONS.items():
        setattr(generator.pipeline.build, name, timer.wrap(stage, originals[name]))
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        cold = build(project, cache=cache)
        total_wall, total_cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        for name, function in originals.items():
            setattr(generator.pipeline.build, name, function)
    for part, stage in _PART_OF.items():
        for clock in (timer.wall, timer.cpu):
            clock[stage] = clock.get(stage, 0.0) + clock.pop(part, 0.0)

    wall = time.perf_counter()
    noop = build(project, cache=cache)
    noop_wall = time.perf_counter() - wall

    edited = _edit_one_term(project, edit)
    wall = time.perf_counter()
    after_edit = build(project, cache=cache)
    edit_wall = time.perf_counter() - wall
    return {
        "cold": {
            "wall": {**timer.wall, "total": total_wall},
            "cpu": {**timer.cpu, "total": total_cpu},
            "written": len(cold.report.written),
            "figures_rendered": cold.figures_rendered,
        },
        "noop": {
            "wall": noop_wall,
            "written": len(noop.report.written),
            "figures_rendered": noop.figures_rendered,
        },
        "edit": {
            "term": edited,
            "wall": edit_wall,
            "written": sorted(after_edit.report.written),
            "figures_rendered": after_edit.figures_rendered,
        },
    }


def _edit_one_term(project: Path, k: int) -> str:
    """Change the summary of the k-th term after the middle of terms/ (by file name); its
    slug."""
    files = sorted(p for p in (project / "terms").glob("*.yaml") if not p.name.startswith("_"))
    path = files[(len(files) // 2 + k) % len(files)]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("summary: "):
            lines[i] = line.replace(" is a technique that ", " is a method that ", 1)
    path.write_text("".join(lines), encoding="utf-8")
    return path.stem


def measure_site(project: Path) -> dict[str, Any]:
    """Step 4, in this process: ``glossary build`` from a clean state, with timers around
    the generator and around the MkDocs plugin's own work (the exports)."""
    import generator.cli
    import generator.site.plugin

    shutil.rmtree(project / "docs" / "glossary", ignore_errors=True)
    shutil.rmtree(project / "site", ignore_errors=True)
    timer = Timer()
    # The CLI generates; the plugin takes the CLI's result, exports glossary.json and adds
    # JSON-LD to pages (the names below are the plugin module's, which it calls).
    plugin = generator.site.plugin
    generator.cli.build = timer.wrap("generate", generator.cli.build)
    plugin.GlossaryPlugin.on_pre_build = timer.wrap(
        "plugin: pre_build", plugin.GlossaryPlugin.on_pre_build
    )
    plugin.glossary_json = timer.wrap("plugin: glossary.json", plugin.glossary_json)
    plugin.glossary_schema = timer.wrap("plugin: schema", plugin.glossary_schema)
    plugin.json_ld = timer.wrap("plugin: JSON-LD", plugin.json_ld)
    plugin.vendored_files = timer.wrap("plugin: assets", plugin.vendored_files)
    wall, cpu = time.perf_counter(), time.process_time()
    code = generator.cli.main(["--root", str(project), "build"])
    total_wall, total_cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "exit_code": code,
        "wall": {**timer.wall, "total": total_wall},
        "cpu": {**timer.cpu, "total": total_cpu},
    }


# -- in the parent ----------------------------------------------------------------------------


def run_child(arguments: list[str]) -> tuple[dict[str, Any], float]:
    """Run this script with ``arguments`` in a new process: (its JSON output, its peak RSS in
    MB)."""
    command = [sys.executable, str(Path(__file__).resolve()), *arguments]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(command, stdout=output, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed with exit code {process.returncode}")
    return json.loads(text.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def measure_size(n: int, repeat: int, site: bool, seed: int) -> dict[str, Any]:
    from bench.synthetic import write_project

    with tempfile.TemporaryDirectory(prefix=f"glossary-bench-{n}-") as tmp:
        project = write_project(Path(tmp), n, seed)
        terms = [p for p in (project / "terms").glob("*.yaml") if not p.name.startswith("_")]
        result: dict[str, Any] = {
            "terms": n,
            "term_files_bytes": sum(p.stat().st_size for p in terms),
        }
        print(f"{n} terms: generator ...", file=sys.stderr, flush=True)
        runs, peaks = [], []
        for k in range(repeat):  # each in a new process: nothing cached from an earlier run
            run, peak = run_child(["--child-generator", str(project), "--edit", str(k)])
            runs.append(run)
            peaks.append(peak)
        best = {
            clock: {key: min(run["cold"][clock][key] for run in runs) for key in (*STAGES, "total")}
            for clock in ("wall", "cpu")
        }
        result["generator"] = {
            "cold": best,
            "runs": runs,
            "noop": min((run["noop"] for run in runs), key=lambda noop: noop["wall"]),
            "edit": min((run["edit"] for run in runs), key=lambda edit: edit["wall"]),
            "peak_rss_mb": max(peaks),
        }
        result["commands"] = measure_commands(project, repeat)
        result["generate_command"] = result["commands"]["generate_noop"]
        result["markdown"] = _directory_size(project / "docs" / "glossary")
        if site:
            print(f"{n} terms: glossary build ...", file=sys.stderr, flush=True)
            measured, peak = run_child(["--child-site", str(project)])
            result["site_build"] = {**measured, "peak_rss_mb": peak}
            result["site"] = _site_sizes(project / "site", {p.stem for p in terms})
        return result


def measure_commands(project: Path, repeat: int) -> dict[str, Any]:
    """Step 2, ``glossary generate`` and ``glossary check`` as a contributor runs them, each
    from interpreter start to exit, with the build cache on disk (``.cache/build``): the best
    of ``repeat`` runs of each of

    - ``generate_cold``: no build cache and no ``docs/glossary/`` (figures cached);
    - ``generate_noop`` and ``check_noop``: nothing changed since the last run;
    - ``generate_edit`` and ``check_edit``: one term's summary edited since the last run.
    """
    runs: dict[str, list[dict[str, Any]]] = {}

    def timed(name: str, command: str) -> None:
        runs.setdefault(name, []).append(_time_command(project, command))

    for _ in range(repeat):
        shutil.rmtree(project / "docs" / "glossary", ignore_errors=True)
        shutil.rmtree(project / ".cache" / "build", ignore_errors=True)
        timed("generate_cold", "generate")
    for _ in range(repeat):
        timed("generate_noop", "generate")
        timed("check_noop", "check")
    for k in range(repeat):  # terms that the generator's runs above did not edit
        _edit_one_term(project, repeat + k)
        timed("generate_edit", "generate")
    for k in range(repeat):
        _edit_one_term(project, 2 * repeat + k)
        timed("check_edit", "check")
    return {name: min(found, key=lambda run: run["wall"]) for name, found in runs.items()}


def _time_command(project: Path, command: str) -> dict[str, Any]:
    """``glossary <command>`` as a contributor runs it, from interpreter start to exit."""
    wall = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project), command],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return {"wall": time.perf_counter() - wall, "output": completed.stdout.strip()}


def _directory_size(directory: Path) -> dict[str, int]:
    files = [p for p in directory.rglob("*") if p.is_file()]
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files)}


def _site_sizes(site: Path, slugs: set[str]) -> dict[str, Any]:
    pages = {
        p.relative_to(site).as_posix(): p.stat().st_size
        for p in site.rglob("*.html")
        if p.is_file()
    }
    term_pages = [size for path, size in pages.items() if _term_slug(path) in slugs]
    largest = max(pages.items(), key=lambda item: item[1])
    return {
        **_directory_size(site),
        "html_pages": len(pages),
        "term_pages": len(term_pages),
        "term_page_bytes_mean": sum(term_pages) / len(term_pages),
        "term_page_bytes_max": max(term_pages),
        "largest_page": {"path": largest[0], "bytes": largest[1]},
        "search_index_bytes": (site / "search" / "search_index.json").stat().st_size,
        "glossary_json_bytes": (site / "glossary.json").stat().st_size,
    }


def _term_slug(path: str) -> str | None:
    parts = path.split("/")
    return parts[1] if len(parts) == 3 and parts[0] == "glossary" else None


def calibrate() -> dict[str, Any]:
    """The two reference numbers of the issue, measured on this machine: parsing 10,000
    synthetic term files (about 28 MB) with libyaml, and a plain `mkdocs build` (default theme,
    pages not in the navigation) of 10,000 simple pages. They tell how this machine compares
    with the one the targets were set on (0.6 s and about 23 s there)."""
    import yaml

    from bench.synthetic import term_files

    texts = [text for name, text in term_files(10_000).items() if not name.startswith("_")]
    wall = time.perf_counter()
    for text in texts:
        yaml.load(text, Loader=yaml.CSafeLoader)
    parse = time.perf_counter() - wall
    with tempfile.TemporaryDirectory(prefix="glossary-plain-mkdocs-") as tmp:
        docs = Path(tmp) / "docs"
        docs.mkdir()
        # As in the glossary, the pages are not in the navigation: otherwise each page would
        # list all the others, and the build would grow with the square of their number.
        config = "site_name: Plain\nnav: [index.md]\nnot_in_nav: /page-*.md\n"
        (Path(tmp) / "mkdocs.yml").write_text(config, encoding="utf-8")
        (docs / "index.md").write_text("# Plain\n\nTen thousand pages.\n", encoding="utf-8")
        for i in range(10_000):
            (docs / f"page-{i:05d}.md").write_text(
                f"# Page {i}\n\nA simple page, number {i}.\n", encoding="utf-8"
            )
        wall = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=tmp, check=True)
        mkdocs = time.perf_counter() - wall
    return {
        "libyaml_parse_10000_terms": parse,
        "yaml_megabytes": sum(len(text.encode()) for text in texts) / 1e6,
        "plain_mkdocs_build_10000_pages": mkdocs,
    }


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    import jinja2
    import mkdocs
    import yaml

    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        memory = meminfo.read_text().splitlines()[0].split(":", 1)[1].strip()
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "memory": memory,
        "system": platform.platform(),
        "python": platform.python_version(),
        "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
        "pyyaml": yaml.__version__,
        "mkdocs": mkdocs.__version__,
        "jinja2": jinja2.__version__,
    }


def table(results: list[dict[str, Any]]) -> str:
    """The results as Markdown tables: the generator's stages, then the site (kB and MB are
    thousands and millions of bytes)."""
    lines = [
        "| terms | "
        + " | ".join(STAGES)
        + " | generator | peak memory | `glossary generate`, no-op | rebuild after one edit |",
        "|---:|" + "---:|" * (len(STAGES) + 4),
    ]
    for run in results:
        generator = run["generator"]
        cold = generator["cold"]["wall"]
        stages = " | ".join(_seconds(cold[stage]) for stage in STAGES)
        noop, edit = generator["noop"], generator["edit"]
        lines.append(
            f"| {run['terms']:,} | {stages} | {_seconds(cold['total'])} | "
            f"{generator['peak_rss_mb']:,.0f} MB | {_seconds(run['generate_command']['wall'])}, "
            f"{noop['written']} written, {noop['figures_rendered']} figures | "
            f"{_seconds(edit['wall'])}, {len(edit['written'])} written |"
        )
    with_commands = [run for run in results if "commands" in run]
    if with_commands:
        names = ("generate_cold", "generate_noop", "check_noop", "generate_edit", "check_edit")
        lines += [
            "",
            "| terms | `generate`, cold | `generate`, no change | `check`, no change | "
            "`generate`, one edit | `check`, one edit |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for run in with_commands:
            times = " | ".join(_seconds(run["commands"][name]["wall"]) for name in names)
            lines.append(f"| {run['terms']:,} | {times} |")
    with_site = [run for run in results if "site" in run]
    if with_site:
        lines += [
            "",
            "| terms | glossary build | generator's share | peak memory | site | per term | "
            "term page (mean) | largest page | search index | glossary.json |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for run in with_site:
            build, site = run["site_build"], run["site"]
            ours = sum(t for name, t in build["wall"].items() if name != "total")
            lines.append(
                f"| {run['terms']:,} | {_seconds(build['wall']['total'])} | "
                f"{100 * ours / build['wall']['total']:.1f}% | {build['peak_rss_mb']:,.0f} MB | "
                f"{_megabytes(site['bytes'])} | {site['bytes'] / run['terms'] / 1e3:,.1f} kB | "
                f"{site['term_page_bytes_mean'] / 1e3:,.1f} kB | "
                f"{site['largest_page']['bytes'] / 1e3:,.0f} kB | "
                f"{_megabytes(site['search_index_bytes'])} | "
                f"{_megabytes(site['glossary_json_bytes'])} |"
            )
    return "\n".join(lines)


def _seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def _megabytes(value: int) -> str:
    return f"{value / 1e6:,.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--out", type=Path, help="write the results here (JSON)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the generator per size")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-site", action="store_true", help="skip `glossary build`")
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="also time libyaml on 28 MB of terms and a plain mkdocs build of 10,000 pages",
    )
    parser.add_argument("--child-generator", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--edit", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--child-site", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_generator:
        print(json.dumps(measure_generator(args.child_generator, args.edit)))
        return
    if args.child_site:
        print(json.dumps(measure_site(args.child_site)))
        return
    command = "python bench/run.py " + " ".join(sys.argv[1:])
    data: dict[str, Any] = {"command": command, "machine": machine(), "results": []}
    if args.calibrate:
        print("calibrating ...", file=sys.stderr, flush=True)
        data["calibration"] = calibrate()
    for n in args.sizes:
        data["results"].append(measure_size(n, args.repeat, not args.no_site, args.seed))
        if args.out:  # after each size, so that a long run leaves something behind
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(table(data["results"]))
    if args.calibrate:
        print(json.dumps(data["calibration"]))


if __name__ == "__main__":
    main()
