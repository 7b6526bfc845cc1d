"""Time graph.html: its export on synthetic corpora, and how soon it is ready in headless Chromium.

    python benchmarks/page_load.py --out benchmarks/results-html.md

1. For each ``--export-sizes`` (default 3,000 and 10,000 documents) it writes seeded
   synthetic pages (synthetic.py, the seed of run.py), builds graph.json once with
   ``kg build --format json`` (cached in ``--work``), reads it back and times
   ``write_html`` on that graph, in a fresh process, with the layout it computes
   (the layout is shared with graph.gexf in a whole build) reported apart.
2. For the ``--load-sizes`` (default 5,000 documents) and the real archive pages
   (``--archive``, both folders built together) it opens graph.html in headless
   Chromium with the network cut off, ``--repeats`` times, and records
   ``window.kg.readyAt``: milliseconds from the start of navigation until the first
   view is drawn (issue 14 asks for 5 s and 2 s).

The machine is shared: the report gives the load average next to the figures.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

SEED = 1945  # run.py's
KG = Path(sys.executable).with_name("kg")


def built_graph(work: Path, size: int) -> Path:
    """graph.json of the seeded synthetic corpus of ``size`` documents, built once."""
    from synthetic import Generator, write_pages

    out = work / f"out-{size}"
    if not (out / "graph.json").is_file():
        corpus = work / f"corpus-{size}"
        if not corpus.is_dir():
            write_pages(corpus, size, generator=Generator(SEED))
        subprocess.run([str(KG), "build", str(corpus), "--out", str(out), "--format", "json"], check=True,
                       stdout=subprocess.DEVNULL)
    return out / "graph.json"


def worker_export(graph_json: Path, html: Path) -> dict:
    """In a fresh process: the layout and the whole write_html, timed apart."""
    from kg.export.html import write_html
    from kg.export.json import read_json
    from kg.export.layout import compute_layout

    graph = read_json(graph_json)
    started = time.perf_counter()
    compute_layout(graph)
    layout_s = time.perf_counter() - started
    started = time.perf_counter()
    write_html(graph, html)  # computes its own layout: the one above is not kept
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(), "layout_s": layout_s,
            "write_html_s": time.perf_counter() - started, "bytes": html.stat().st_size}


def time_export(graph_json: Path, html: Path) -> dict:
    code = ("import json, sys; sys.path.insert(0, %r); from page_load import worker_export; "
            "print(json.dumps(worker_export(__import__('pathlib').Path(%r), __import__('pathlib').Path(%r))))"
            % (str(HERE), str(graph_json), str(html)))
    result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def time_load(driver, html: Path, repeats: int) -> dict:
    """``window.kg.readyAt`` (ms since navigation start) over ``repeats`` loads, and what the first view shows."""
    from headless import open_ready

    readings = [open_ready(driver, html) for _ in range(repeats)]
    counts = driver.execute_script("return window.kg.visibleCounts()")
    labels = len(driver.execute_script("return window.kg.visibleLabels()"))
    return {"ready_ms": readings, "ready_ms_median": statistics.median(readings), "ready_ms_min": min(readings),
            "first_view": counts, "labels": labels, "bytes": html.stat().st_size}


def machine() -> dict:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    chromium = subprocess.run([next(p for p in map(shutil.which, ("chromium", "chromium-browser")) if p),
                               "--version"], capture_output=True, text=True).stdout.strip()
    return {"cpu": cpu or platform.processor(), "cores": os.cpu_count(), "python": platform.python_version(),
            "chromium": chromium}


def report(results: dict) -> str:
    m = results["machine"]
    lines = [
        "# graph.html: export time and page load", "",
        f"Measured by `python benchmarks/page_load.py` on {m['cpu']}, {m['cores']} cores, Python {m['python']}, "
        f"{m['chromium']}, headless, network off, 1400×900 window. The machine is shared: the load average "
        "(1 min) when each figure was taken is given beside it.", "",
        "## Export (`write_html` on the graph read from graph.json, fresh process)", "",
        "| documents | nodes | edges | layout (s) | write_html incl. layout (s) | page (MB) | load avg |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, row in sorted(results["export"].items(), key=lambda kv: int(kv[0])):
        lines.append(f"| {int(size):,} | {row['nodes']:,} | {row['edges']:,} | {row['layout_s']:.2f} | "
                     f"{row['write_html_s']:.2f} | {row['bytes'] / 1e6:.1f} | {row['load']:.1f} |")
    lines += ["", "## Page load (`window.kg.readyAt`: ms from navigation start to the first view drawn)", "",
              "| corpus | ready, median (ms) | ready, each load (ms) | first view: nodes, links | labels | "
              "page (MB) | load avg |", "|---|---:|---|---:|---:|---:|---:|"]
    for name, row in results["load"].items():
        lines.append(f"| {name} | {row['ready_ms_median']:.0f} | {', '.join(f'{r:.0f}' for r in row['ready_ms'])} | "
                     f"{row['first_view']['nodes']:,}, {row['first_view']['edges']:,} | {row['labels']} | "
                     f"{row['bytes'] / 1e6:.1f} | {row['load']:.1f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--export-sizes", type=int, nargs="*", default=[3000, 10000])
    parser.add_argument("--load-sizes", type=int, nargs="*", default=[5000])
    parser.add_argument("--archive", type=Path, default=ROOT.parent / "shared" / "archive-pages")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="keep corpora and graphs here (default: a temp dir)")
    parser.add_argument("--out", type=Path, default=HERE / "results-html.md")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-page-load-"))
    work.mkdir(parents=True, exist_ok=True)
    results = {"machine": machine(), "export": {}, "load": {}}
    for size in args.export_sizes:
        row = time_export(built_graph(work, size), work / f"graph-{size}.html")
        row["load"] = os.getloadavg()[0]
        results["export"][str(size)] = row
        print(f"export {size}: {row}", flush=True)
    pages = []
    if args.archive.is_dir():
        out = work / "archive"
        subprocess.run([str(KG), "build", str(args.archive), "--out", str(out), "--format", "json", "html"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pages.append((f"archive pages ({args.archive.name}, both folders)", out / "graph.html"))
    for size in args.load_sizes:
        html = work / f"graph-{size}.html"
        if not html.is_file():
            time_export(built_graph(work, size), html)
        pages.append((f"synthetic, {size:,} documents", html))
    from headless import browser

    driver = browser()
    try:
        for name, html in pages:
            row = time_load(driver, html, args.repeats)
            row["load"] = os.getloadavg()[0]
            results["load"][name] = row
            print(f"load {name}: {row}", flush=True)
    finally:
        driver.quit()
    args.out.write_text(report(results), encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
