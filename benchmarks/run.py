"""Benchmark kg build against the bare spaCy pass on synthetic archive pages.

    python benchmarks/run.py --sizes 1000 10000 --out benchmarks/results.md

For each size (unique documents) it writes seeded synthetic pages (see synthetic.py),
then, each in a fresh process so that peak memory is that step's own:

1. the bare spaCy pass: ``nlp.pipe`` over the same texts kg extracts from (every
   document's title, summary and text), with the same model, batch size and enabled
   components as kg: the model's defaults less the parser (the senter is off by
   default), i.e. tok2vec, tagger, attribute_ruler, lemmatizer, ner; kg adds its
   gazetteer ruler before the ner and its rules after;
2. a cold build with an empty cache folder (``pipeline.build(..., cache_dir=...)``),
   timed by stage;
3. one more 10-entry page added to the corpus, and a rebuild with the warm cache, at
   once (an edit of kg's extraction code in between would void the cache: the report
   says so if it happened);
4. a build from the warm cache followed by every export format, each timed (the
   graph is the same as the cold build's);
5. with ``--bare-repeats 2``, the bare pass again over the texts of step 2.

Reported: wall and CPU time and peak RSS per stage (the peak is reset at each stage
through /proc/self/clear_refs where Linux allows it, else it is the peak so far).
The headline is build / bare (time of the stages read to graph, exports excluded);
the rebuild is reported as a fraction of the cold build.

Results also go to a JSON file beside the Markdown one; ``--merge`` keeps the
sizes already there (to add a long run made separately).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from synthetic import ENTRIES_PER_PAGE, Generator, write_pages  # noqa: E402

STAGES = ("read", "load", "extract", "resolve", "relations", "graph")
SEED = 1945


# -- measuring ---------------------------------------------------------------------------------
def _status(field: str) -> int:
    """A /proc/self/status figure in bytes (VmRSS, VmHWM), or 0 where there is none."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _peak_so_far() -> int:
    return _status("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _reset_peak() -> bool:
    """Reset the peak RSS to the current RSS (Linux); False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class StageMeter:
    """Wall time, CPU time and peak RSS of consecutive stages, named as they start."""

    def __init__(self) -> None:
        self.rows: dict[str, dict] = {}
        self.current: str | None = None
        self.started = (0.0, 0.0)
        self.resettable = _reset_peak()

    def start(self, name: str) -> None:
        self.stop()
        self.current = name
        if self.resettable:
            _reset_peak()
        self.started = (time.perf_counter(), time.process_time())

    def stop(self) -> None:
        if self.current is not None:
            wall, cpu = time.perf_counter() - self.started[0], time.process_time() - self.started[1]
            self.rows[self.current] = {"wall": wall, "cpu": cpu, "peak_rss": _peak_so_far()}
            self.current = None


# -- workers (each runs in a process of its own) ---------------------------------------------------
def worker_bare(corpus: Path, model: str | None, batch_size: int, without_last_page: bool = False) -> dict:
    import spacy

    from kg.corpus import read_corpus
    from kg.extract import available_model
    from kg.records import TEXT_FIELDS

    pages = sorted(corpus.glob("*.txt"))
    documents = read_corpus(pages[:-1] if without_last_page else pages).documents
    texts = [text for doc in documents for name in TEXT_FIELDS if (text := doc.field_text(name))]
    name = available_model(model)
    meter = StageMeter()
    meter.start("load")
    nlp = spacy.load(name, exclude=["parser"])
    meter.start("ner")
    tokens = 0
    for doc in nlp.pipe(texts, batch_size=batch_size):
        tokens += len(doc)
    meter.stop()
    return {"model": name, "components": nlp.pipe_names, "texts": len(texts), "tokens": tokens,
            "characters": sum(map(len, texts)), "stages": meter.rows}


def worker_build(corpus: Path, cache: Path, out: Path | None, model: str | None, batch_size: int, jobs: int,
                 result_path: Path, formats: list[str] | None = None) -> dict:
    """Build, then export: the result file is rewritten after the build and after each format,
    so that what was measured survives an export the orchestrator stops for taking too long."""
    from kg.cache import code_hash
    from kg.pipeline import build

    meter = StageMeter()
    result = build([corpus], model=model, batch_size=batch_size, jobs=jobs, cache_dir=cache, on_stage=meter.start)
    meter.stop()
    graph = result.graph
    info = {
        "model": result.model, "documents": result.report.documents, "entries": result.report.entries,
        "duplicates": result.report.duplicates_merged, "truncated": result.report.truncated,
        "files": result.report.files_read, "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
        "cached": result.cached_documents, "extracted": result.extracted_documents, "code": code_hash(),
        "stages": meter.rows, "exports": {},
    }
    _write_json(result_path, info)
    if out is not None:
        from kg.export import FORMATS, write_formats

        out.mkdir(parents=True, exist_ok=True)
        export = StageMeter()
        for name in formats or FORMATS:
            export.start(name)
            written = write_formats(graph, out, [name])
            export.stop()
            export.rows[name]["bytes"] = sum(p.stat().st_size for p in written)
            info["exports"] = export.rows
            _write_json(result_path, info)
    return info


def _write_json(path: Path, data: dict) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data))
    os.replace(temporary, path)


def _run_worker(args: list[str], timeout: float | None = None) -> dict:
    """Run a worker process; past ``timeout`` seconds it is stopped and what it reported is kept."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        result_path = Path(handle.name)
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", *args, "--result", str(result_path)]
    process = subprocess.Popen(command)
    try:
        try:
            status = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            report = json.loads(result_path.read_text()) if result_path.stat().st_size else None
            if report is None:
                raise RuntimeError(f"worker {args[0]} gave no result within {timeout:.0f} s") from None
            report["timed_out"] = timeout
            return report
        if status != 0:
            raise RuntimeError(f"worker {' '.join(args)} failed with status {status}")
        return json.loads(result_path.read_text())
    finally:
        if process.poll() is None:
            process.kill()
        result_path.unlink(missing_ok=True)


# -- one size ----------------------------------------------------------------------------------------
def bench_size(size: int, work: Path, *, model: str | None, batch_size: int, jobs: int, log,
               export_timeout: float | None = None, formats: list[str] | None = None, repeats: int = 1) -> dict:
    corpus, cache, out = work / f"corpus-{size}", work / f"cache-{size}", work / f"out-{size}"
    for folder in (corpus, cache, out):
        shutil.rmtree(folder, ignore_errors=True)
    generator = Generator(SEED)
    started = time.perf_counter()
    pages = write_pages(corpus, size, generator=generator)
    log(f"[{size}] wrote {len(pages)} pages in {time.perf_counter() - started:.1f} s")
    common = ["--model", model or "", "--batch-size", str(batch_size)]
    build_args = ["--corpus", str(corpus), "--cache", str(cache), "--jobs", str(jobs), *common]
    bare_runs = [_run_worker(["bare", "--corpus", str(corpus), *common])]
    log(f"[{size}] bare spaCy pass: {bare_runs[-1]['stages']['ner']['wall']:.1f} s")
    cold = _run_worker(["build", *build_args, "--no-export"])
    log(f"[{size}] cold build: {_total(cold):.1f} s")
    # One more page of ten new documents, numbered after the others, and the rebuild
    # right away: a code change in between (another checkout's edit) would void the cache.
    write_pages(corpus, ENTRIES_PER_PAGE, generator=generator, duplicates=0.0, first_page=len(pages) + 1)
    warm = _run_worker(["build", *build_args, "--no-export"])
    log(f"[{size}] rebuild, one page added: {_total(warm):.1f} s ({warm['extracted']} extracted, {warm['cached']} cached)")
    if warm["code"] != cold["code"]:
        log(f"[{size}] WARNING: kg's code changed between the cold build and the rebuild; the cache was void")
    cache_bytes = sum(p.stat().st_size for p in cache.glob("*"))
    # The exports, timed after a build from the warm cache (the graph is the same either way).
    exported = _run_worker(["build", *build_args, "--out", str(out), *(["--formats", *formats] if formats else [])],
                           timeout=export_timeout)
    cold["exports"], cold["timed_out"] = exported["exports"], exported.get("timed_out")
    if exported.get("timed_out"):
        log(f"[{size}] exports stopped after {exported['timed_out']:.0f} s; finished: {', '.join(exported['exports']) or 'none'}")
    log(f"[{size}] exports: {sum(e['wall'] for e in exported['exports'].values()):.1f} s")
    for _ in range(max(1, repeats) - 1):
        bare_runs.append(_run_worker(["bare", "--corpus", str(corpus), *common, "--without-last-page"]))
        log(f"[{size}] bare spaCy pass: {bare_runs[-1]['stages']['ner']['wall']:.1f} s")
    # The machine may be shared: the fastest bare pass is the one least disturbed.
    bare = min(bare_runs, key=lambda r: r["stages"]["ner"]["wall"])
    bare["runs"] = [r["stages"]["ner"] for r in bare_runs]
    return {"size": size, "pages": len(pages), "jobs": jobs, "batch_size": batch_size, "bare": bare,
            "cold": cold, "warm": warm, "cache_bytes": cache_bytes}


def _total(build: dict, key: str = "wall") -> float:
    return sum(build["stages"][s][key] for s in STAGES if s in build["stages"])


# -- the report -----------------------------------------------------------------------------------------
def machine() -> dict:
    cpu = ""
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    except OSError:
        pass
    memory = ""
    try:
        kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:"))
        memory = f"{kib / 1024 ** 2:.1f} GiB"
    except (OSError, StopIteration):
        pass
    import importlib.metadata as metadata

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    return {"cpu": cpu or platform.processor() or "unknown", "cores": os.cpu_count(), "memory": memory,
            "python": platform.python_version(), "spacy": version("spacy"), "platform": platform.platform(),
            "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else None}


def _mib(value: int) -> str:
    return f"{value / 1024 ** 2:,.0f}"


def render(results: list[dict], host: dict) -> str:
    results = sorted(results, key=lambda r: r["size"])
    first = results[0]
    lines = [
        "# kg build benchmark",
        "",
        f"Machine: {host['cpu']}, {host['cores']} cores, {host['memory']} RAM; Python {host['python']}, "
        f"spaCy {host['spacy']}; model {first['bare']['model']}.",
        "",
        f"Bare spaCy pass (the fastest of {len(first['bare'].get('runs', [1]))} run(s)): `nlp.pipe` over the same texts (title, summary, text of each document), batch size "
        f"{first['batch_size']}, components {', '.join(first['bare']['components'])} (the model's defaults less "
        f"the parser; exactly the components kg enables: kg runs the same attribute ruler faster, with the same "
        f"result, and adds its gazetteer ruler and rules). "
        f"Build: `kg.pipeline.build` with jobs={first['jobs']} and an empty cache folder, stages read to graph "
        "(exports timed apart, after a build from the warm cache). Rebuild: the same corpus plus one page of 10 new "
        "documents, cache warm. "
        "Each step runs in a fresh process; peak RSS is per stage. Times are wall-clock seconds; the machine "
        "is shared, so CPU seconds are given too (less sensitive to other load).",
        "",
        "## Headline",
        "",
        "| documents | pages | texts | bare NER (s) | build (s) | build / bare | build / bare, CPU | rebuild +1 page (s) "
        "| rebuild / build | peak RSS build (MiB) | peak RSS bare (MiB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        bare_wall, bare_cpu = r["bare"]["stages"]["ner"]["wall"], r["bare"]["stages"]["ner"]["cpu"]
        build_wall, build_cpu = _total(r["cold"]), _total(r["cold"], "cpu")
        warm = _total(r["warm"])
        peak = max(s["peak_rss"] for s in r["cold"]["stages"].values())
        bare_peak = max(s["peak_rss"] for s in r["bare"]["stages"].values())
        lines.append(
            f"| {r['cold']['documents']:,} | {r['pages']:,} | {r['bare']['texts']:,} | {bare_wall:.1f} | {build_wall:.1f} "
            f"| **{build_wall / bare_wall:.2f}×** | {build_cpu / bare_cpu:.2f}× | {warm:.1f} | **{warm / build_wall:.1%}** "
            f"| {_mib(peak)} | {_mib(bare_peak)} |"
        )
    lines += ["", "## By stage", "", "Wall s / CPU s / peak RSS MiB of each stage; cold build, then the rebuild.", ""]
    header = "| stage | " + " | ".join(f"{r['size']:,} cold | {r['size']:,} rebuild" for r in results) + " |"
    lines += [header, "|---|" + "---:|---:|" * len(results)]
    names = list(STAGES) + sorted({n for r in results for n in r["cold"]["exports"]}, key=lambda n: n)

    def cell(row: dict | None) -> str:
        if not row:
            return "–"
        return f"{row['wall']:.2f} / {row['cpu']:.2f} / {_mib(row['peak_rss'])}"

    for name in names:
        is_export = name not in STAGES
        cells = []
        for r in results:
            for build in (r["cold"], r["warm"]):
                cells.append(cell((build["exports"] if is_export else build["stages"]).get(name)))
        label = f"export {name}" if is_export else name
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("| **exports total** | " + " | ".join(
        (f"{sum(e['wall'] for e in b['exports'].values()):.2f}" + (" (stopped)" if b.get("timed_out") else ""))
        if b["exports"] or b.get("timed_out") else "–"
        for r in results for b in (r["cold"], r["warm"])) + " |")
    lines.append("| **build total (read–graph)** | " + " | ".join(
        f"{_total(b):.2f} / {_total(b, 'cpu'):.2f} / {_mib(max(s['peak_rss'] for s in b['stages'].values()))}"
        for r in results for b in (r["cold"], r["warm"])) + " |")
    for r in results:
        if r["cold"].get("timed_out"):
            lines += ["", f"At {r['size']:,} documents the exports were stopped after {r['cold']['timed_out']:.0f} s "
                          f"(build included); formats not listed did not finish."]
    lines += ["", "The rebuild writes no exports: they cost the same whether the cache is warm or cold."]
    for r in results:
        if r["warm"].get("code") != r["cold"].get("code"):
            lines += ["", f"**At {r['size']:,} documents kg's code changed between the cold build and the rebuild: "
                          "the cache was void and the rebuild figure is not valid.**"]
    lines += ["", "## Corpus and graph", "",
              "| documents | entries | duplicates merged | truncated | nodes | edges | extracted on rebuild "
              "| cached on rebuild | cache size (MiB) | tokens (bare pass) |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        c, w = r["cold"], r["warm"]
        lines.append(f"| {c['documents']:,} | {c['entries']:,} | {c['duplicates']:,} | {c['truncated']:,} "
                     f"| {c['nodes']:,} | {c['edges']:,} | {w['extracted']:,} | {w['cached']:,} "
                     f"| {r['cache_bytes'] / 1024 ** 2:.1f} | {r['bare']['tokens']:,} |")
    lines += ["", f"Load average when the report was written: {host['load']:.2f}." if host.get("load") is not None else ""]
    return "\n".join(lines).rstrip() + "\n"


# -- command line -------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="documents per run")
    parser.add_argument("--out", type=Path, default=HERE / "results.md", help="the Markdown report")
    parser.add_argument("--work", type=Path, help="folder for corpora, caches and outputs (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--model", default="", help="spaCy model (default: kg's choice)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--merge", action="store_true", help="keep other sizes' results already in OUT's JSON")
    parser.add_argument("--export-timeout", type=float, default=3600,
                        help="seconds a cold build and its exports may take before the exports left are skipped")
    parser.add_argument("--bare-repeats", type=int, default=1,
                        help="bare passes to run, before and after the build; the fastest is reported")
    parser.add_argument("--formats", nargs="+", metavar="FORMAT", help="export formats to time (default: all)")
    parser.add_argument("--no-export", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--without-last-page", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker", choices=("bare", "build"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    model = args.model or None
    if args.worker == "bare":
        args.result.write_text(json.dumps(worker_bare(args.corpus, model, args.batch_size, args.without_last_page)))
        return 0
    if args.worker == "build":
        worker_build(args.corpus, args.cache, None if args.no_export else args.out, model, args.batch_size,
                     args.jobs, args.result, args.formats)
        return 0

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    json_path = args.out.with_suffix(".json")
    results: list[dict] = []
    if args.merge and json_path.exists():
        results = [r for r in json.loads(json_path.read_text())["results"] if r["size"] not in args.sizes]
    host = machine()
    try:
        for size in args.sizes:
            results.append(bench_size(size, work, model=model, batch_size=args.batch_size, jobs=args.jobs, log=log,
                                      export_timeout=args.export_timeout, formats=args.formats,
                                      repeats=args.bare_repeats))
            args.out.parent.mkdir(parents=True, exist_ok=True)
            json_path.write_text(json.dumps({"machine": host, "results": results}, indent=1))
            args.out.write_text(render(results, machine()), encoding="utf-8")
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    log(f"wrote {args.out} and {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
