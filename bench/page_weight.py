"""What a first visit to a page costs a reader: requests, bytes and time to paint.

    .venv/bin/python bench/page_weight.py --site site --out docs/assets/page-weight-results.json

Serves a built site over HTTP on 127.0.0.1, as a static host does: text files (HTML, CSS,
JavaScript, JSON, SVG, XML) gzipped when the browser accepts it. For each page, a new Chromium
context (an empty cache) opens it under an emulated slow 4G network (150 ms round trip,
1.6 Mbit/s down, 750 kbit/s up, as Lighthouse's mobile profile) and records, until the network
is idle: every request, the bytes on the wire (gzipped where the server gzips) and uncompressed,
first contentful paint and the load event. The search index is counted only if the page
requests it. It prints a table and writes the numbers, with the machine, to ``--out``.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import platform
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
PAGES = {"Batch Normalization": "glossary/batch-normalization/", "Home": ""}
TEXT_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")
SLOW_4G = {"latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
TARGETS = {"requests": 15, "transferred_kib": 250}  # issue 15, for the Batch Normalization page


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text gzipped (level 6, as nginx's default) when the client accepts it."""

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self) -> Any:  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (gzip_ok and path.is_file() and path.suffix in TEXT_TYPES):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


@contextmanager
def serve(root: Path) -> Iterator[str]:
    handler = functools.partial(_GzipHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def measure(base_url: str, path: str, width: int, height: int) -> dict[str, Any]:
    """One first visit of ``path``: requests, bytes and paint times."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", {"offline": False, **SLOW_4G})
        wire: dict[str, int] = {}
        urls: dict[str, str] = {}
        cdp.on(
            "Network.requestWillBeSent",
            lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]),
        )
        cdp.on(
            "Network.loadingFinished",
            lambda e: wire.__setitem__(e["requestId"], int(e["encodedDataLength"])),
        )
        page.goto(base_url + path, wait_until="networkidle", timeout=120_000)
        timing = page.evaluate(
            """() => {
              const paint = performance.getEntriesByName("first-contentful-paint")[0];
              const nav = performance.getEntriesByType("navigation")[0];
              return {fcp: paint ? paint.startTime : null, load: nav.loadEventEnd};
            }"""
        )
        sizes = page.evaluate(
            "() => performance.getEntriesByType('resource').map(r => [r.name, r.decodedBodySize])"
        )
        document = page.evaluate(
            "() => performance.getEntriesByType('navigation')[0].decodedBodySize"
        )
        browser.close()
    requested = sorted(urls[r] for r in wire if r in urls)
    return {
        "requests": len(requested),
        "transferred_kib": round(sum(wire.values()) / 1024, 1),
        "uncompressed_kib": round((document + sum(size for _, size in sizes)) / 1024, 1),
        "first_contentful_paint_s": round(timing["fcp"] / 1000, 2) if timing["fcp"] else None,
        "load_s": round(timing["load"] / 1000, 2),
        "search_index_on_load": any("search_index" in url for url in requested),
        "urls": [url.removeprefix(base_url) for url in requested],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("site"), help="a built online site")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "network": SLOW_4G,
        "targets": TARGETS,
        "pages": {},
    }
    index = args.site / "search" / "search_index.json"
    if index.is_file():
        raw = index.read_bytes()
        results["search_index"] = {
            "kib": round(len(raw) / 1024, 1),
            "gzipped_kib": round(len(gzip.compress(raw, 6, mtime=0)) / 1024, 1),
        }
    with serve(args.site) as base_url:
        for name, path in PAGES.items():
            for width, height in ((390, 844), (1280, 800)):
                measured = measure(base_url, path, width, height)
                results["pages"][f"{name} at {width} px"] = measured
    print("| page | requests | transferred (gzip) | uncompressed | first paint | load |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, m in results["pages"].items():
        print(
            f"| {name} | {m['requests']} | {m['transferred_kib']} KiB "
            f"| {m['uncompressed_kib']} KiB | {m['first_contentful_paint_s']} s | {m['load_s']} s |"
        )
    if "search_index" in results:
        print(f"search index: {results['search_index']}")
    if args.out:
        args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
