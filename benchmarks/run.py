"""Benchmark kg build against the bare spaCy pass on synthetic archive pages, all in one run.

    python benchmarks/run.py --sizes 3000 10000 --out benchmarks/results.md

For each size (unique documents) it writes seeded synthetic pages (see synthetic.py),
then runs, each step in a fresh process so that its peak memory is its own:

1. the bare spaCy pass, twice over: ``nlp.pipe`` over the same texts kg extracts from
   (every document's title, summary and text), same model and batch size, with
   (a) the model's full pipeline and (b) only the components kg enables (the full
   pipeline less the parser); kg adds its gazetteer ruler and its rules to (b);
2. ``kg build`` with every export format, one extraction process (``jobs=1``), empty
   cache: each stage and each format timed, and the peak RSS of the whole build;
3. the same cold build with ``jobs=2`` (a cache of its own): the extraction speed-up,
   and whether every output file is byte-identical to step 2's;
4. with ``--dask``, the same cold build with ``--dask local`` (a LocalCluster of
   ``--dask-workers`` processes): the client's peak RSS (what stays on the client), and
   the same byte check;
5. one more page of 10 new documents, and a rebuild with all formats from step 2's
   warm cache, at once (an edit of kg's extraction code in between would void the
   cache: the report says so if it happened).

The report puts side by side: kg build with all formats / each bare pass (wall and CPU
seconds), the jobs-2 extraction speed-up, the rebuild as a share of the cold build,
the exports' share of the build, and peak RSS; with the machine and its load. Results
also go to a JSON file beside the Markdown one; ``--merge`` keeps the sizes already
there (to add a long run made separately). ``--build-only`` runs step 2 alone, for a
size too large to repeat (the exports' share and peak RSS at 100,000 documents):

    python benchmarks/run.py --sizes 100000 --build-only --merge
"""
from __future__ import annotations

import argparse
import hashlib
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

STAGES = ("read", "load", "extract", "resolve", "issues", "relations", "graph")
SEED = 1945
#: What a bare pass runs: the model's whole pipeline, or the components kg runs (it loads the
#: lemmatizer for its word lists and lemmatizes the few words it needs on demand).
PIPELINES = {"full": (), "kg": ("parser", "senter", "lemmatizer")}


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


def _cpu() -> float:
    """CPU seconds of this process and of the children it has waited for (extraction workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


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
        self.started = (time.perf_counter(), _cpu())

    def stop(self) -> None:
        if self.current is not None:
            wall, cpu = time.perf_counter() - self.started[0], _cpu() - self.started[1]
            self.rows[self.current] = {"wall": wall, "cpu": cpu, "peak_rss": _peak_so_far()}
            self.current = None


# -- workers (each runs in a process of its own) ---------------------------------------------------
def worker_bare(corpus: Path, model: str | None, batch_size: int, pipeline: str) -> dict:
    import spacy

    from kg.corpus import read_corpus
    from kg.extract import available_model
    from kg.records import TEXT_FIELDS

    documents = read_corpus([corpus]).documents
    texts = [text for doc in documents for name in TEXT_FIELDS if (text := doc.field_text(name))]
    name = available_model(model)
    meter = StageMeter()
    meter.start("load")
    nlp = spacy.load(name, exclude=list(PIPELINES[pipeline]))
    meter.start("ner")
    tokens = 0
    for doc in nlp.pipe(texts, batch_size=batch_size):
        tokens += len(doc)
    meter.stop()
    return {"model": name, "components": nlp.pipe_names, "texts": len(texts), "tokens": tokens,
            "stages": meter.rows}


def worker_build(corpus: Path, cache: Path, out: Path, model: str | None, batch_size: int, jobs: int,
                 dask: str | None, result_path: Path) -> dict:
    """``kg build`` with every format: the pipeline, then ``write_formats``, each stage and format timed."""
    from importlib import import_module

    from kg.cache import code_hash
    from kg.export import FORMATS, write_formats
    from kg.pipeline import build

    meter = StageMeter()
    # Each writer timed where write_formats calls it (the build writes them all in one transaction).
    for name, (_, writer) in FORMATS.items():
        module, function = writer.split(":")
        original = getattr(import_module(module), function)

        def timed(graph, path, *args, _original=original, _name=name, **options):
            meter.start(f"export {_name}")
            try:
                return _original(graph, path, *args, **options)
            finally:
                meter.stop()

        setattr(import_module(module), function, timed)
    whole = time.perf_counter(), _cpu()
    result = build([corpus], model=model, batch_size=batch_size, jobs=jobs, dask=dask, cache_dir=cache,
                   on_stage=meter.start)
    meter.stop()
    started = time.perf_counter(), _cpu()
    written = write_formats(result.graph, out)
    exports = {"wall": time.perf_counter() - started[0], "cpu": _cpu() - started[1]}
    total = {"wall": time.perf_counter() - whole[0], "cpu": _cpu() - whole[1]}
    graph = result.graph
    digest = hashlib.sha256()
    for path in sorted(written):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    info = {
        "model": result.model, "documents": result.report.documents, "entries": result.report.entries,
        "duplicates": result.report.duplicates_merged, "truncated": result.report.truncated,
        "files": result.report.files_read, "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
        "cached": result.cached_documents, "extracted": result.extracted_documents, "code": code_hash(),
        "stages": {k: v for k, v in meter.rows.items() if not k.startswith("export ")},
        "exports": {k.removeprefix("export "): v for k, v in meter.rows.items() if k.startswith("export ")},
        "exports_total": exports, "total": total, "peak_rss": _peak_so_far() if not meter.resettable else
        max(row["peak_rss"] for row in meter.rows.values()),
        "bytes": {p.name: p.stat().st_size for p in written}, "outputs": digest.hexdigest(),
        "jobs": jobs, "dask": dask,
    }
    result_path.write_text(json.dumps(info))
    return info


def _run_worker(args: list[str], timeout: float | None = None) -> dict:
    """Run a worker process and return what it measured."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        result_path = Path(handle.name)
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", *args, "--result", str(result_path)]
    try:
        subprocess.run(command, check=True, timeout=timeout)
        return json.loads(result_path.read_text())
    finally:
        result_path.unlink(missing_ok=True)


# -- one size ----------------------------------------------------------------------------------------
def bench_size(size: int, work: Path, *, model: str | None, batch_size: int, log, repeats: int = 1,
               dask_workers: int = 0, timeout: float | None = None, build_only: bool = False) -> dict:
    folders = {name: work / f"{name}-{size}" for name in ("corpus", "cache", "out", "cache-jobs2", "out-jobs2",
                                                           "cache-dask", "out-dask")}
    for folder in folders.values():
        shutil.rmtree(folder, ignore_errors=True)
    corpus = folders["corpus"]
    generator = Generator(SEED)
    started = time.perf_counter()
    pages = write_pages(corpus, size, generator=generator)
    log(f"[{size}] wrote {len(pages)} pages in {time.perf_counter() - started:.1f} s")
    common = ["--model", model or "", "--batch-size", str(batch_size)]

    def build(cache: str, out: str, *extra: str) -> dict:
        return _run_worker(["build", "--corpus", str(corpus), "--cache", str(folders[cache]),
                            "--into", str(folders[out]), *common, *extra], timeout)

    if build_only:  # a large corpus: only what its size tells (the exports' share, peak RSS)
        cold = build("cache", "out", "--jobs", "1")
        log(f"[{size}] kg build, all formats, jobs 1: {cold['total']['wall']:.1f} s "
            f"(extract {cold['stages']['extract']['wall']:.1f} s, exports {cold['exports_total']['wall']:.1f} s, "
            f"peak {cold['peak_rss'] / 2 ** 20:,.0f} MiB)")
        return {"size": size, "pages": len(pages), "batch_size": batch_size, "build_only": True, "cold": cold,
                "cache_bytes": sum(p.stat().st_size for p in folders["cache"].glob("*"))}
    bare: dict[str, list[dict]] = {name: [] for name in PIPELINES}
    for name in PIPELINES:
        bare[name].append(_run_worker(["bare", "--corpus", str(corpus), "--pipeline", name, *common], timeout))
        log(f"[{size}] bare spaCy pass, {name} pipeline: {bare[name][-1]['stages']['ner']['wall']:.1f} s")
    cold = build("cache", "out", "--jobs", "1")
    log(f"[{size}] kg build, all formats, jobs 1: {cold['total']['wall']:.1f} s "
        f"(extract {cold['stages']['extract']['wall']:.1f} s, exports {cold['exports_total']['wall']:.1f} s)")
    jobs2 = build("cache-jobs2", "out-jobs2", "--jobs", "2")
    log(f"[{size}] kg build, all formats, jobs 2: {jobs2['total']['wall']:.1f} s "
        f"(extract {jobs2['stages']['extract']['wall']:.1f} s); same bytes: {jobs2['outputs'] == cold['outputs']}")
    dask = None
    if dask_workers:
        dask = build("cache-dask", "out-dask", "--jobs", str(dask_workers), "--dask-address", "local")
        log(f"[{size}] kg build --dask local ({dask_workers} workers): {dask['total']['wall']:.1f} s, client peak "
            f"{dask['peak_rss'] / 2 ** 20:,.0f} MiB; same bytes: {dask['outputs'] == cold['outputs']}")
    for name in PIPELINES:
        for _ in range(max(1, repeats) - 1):
            bare[name].append(_run_worker(["bare", "--corpus", str(corpus), "--pipeline", name, *common], timeout))
            log(f"[{size}] bare spaCy pass, {name} pipeline: {bare[name][-1]['stages']['ner']['wall']:.1f} s")
    # One more page of ten new documents, numbered after the others, and the rebuild
    # right away: a code change in between (another checkout's edit) would void the cache.
    write_pages(corpus, ENTRIES_PER_PAGE, generator=generator, duplicates=0.0, first_page=len(pages) + 1)
    warm = build("cache", "out", "--jobs", "1")
    log(f"[{size}] rebuild, one page added, all formats: {warm['total']['wall']:.1f} s "
        f"({warm['extracted']} extracted, {warm['cached']} cached)")
    if warm["code"] != cold["code"]:
        log(f"[{size}] WARNING: kg's code changed between the cold build and the rebuild; the cache was void")
    # The machine may be shared: the fastest bare pass is the one least disturbed.
    fastest = {}
    for name, runs in bare.items():
        fastest[name] = min(runs, key=lambda r: r["stages"]["ner"]["wall"])
        fastest[name]["runs"] = [r["stages"]["ner"] for r in runs]
    return {"size": size, "pages": len(pages), "batch_size": batch_size, "bare": fastest, "cold": cold,
            "jobs2": jobs2, "dask": dask, "warm": warm,
            "cache_bytes": sum(p.stat().st_size for p in folders["cache"].glob("*"))}


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
            "python": platform.python_version(), "spacy": version("spacy"), "distributed": version("distributed"),
            "platform": platform.platform(), "load": os.getloadavg() if hasattr(os, "getloadavg") else None}


def _mib(value: int) -> str:
    return f"{value / 1024 ** 2:,.0f}"


def _stages(build: dict, key: str = "wall") -> float:
    return sum(build["stages"][s][key] for s in STAGES if s in build["stages"])


def render(results: list[dict], host: dict, loads: dict[int, list] | None = None) -> str:
    large = sorted((r for r in results if r.get("build_only")), key=lambda r: r["size"])
    results = sorted((r for r in results if not r.get("build_only")), key=lambda r: r["size"])
    model = results[0]["bare"]["full"]["model"] if results else large[0]["cold"]["model"]
    lines = [
        "# kg build benchmark",
        "",
        f"Machine: {host['cpu']}, {host['cores']} cores, {host['memory']} RAM; Python {host['python']}, "
        f"spaCy {host['spacy']}; model {model}.",
    ]
    if results:  # a report of large sizes alone (--build-only) has no bare passes
        lines += _headline(results)
    lines += _large(large) + _dask(results) + _corpus(results)
    if host.get("load") is not None:
        load = host["load"]
        lines += ["", f"Load average (1, 5, 15 min) when the report was written: "
                      f"{', '.join(f'{x:.2f}' for x in load)}; at the start of each size: "
                      + "; ".join(f"{size:,}: {', '.join(f'{x:.2f}' for x in values)}"
                                  for size, values in sorted((loads or {}).items())) + "."]
    return "\n".join(lines).rstrip() + "\n"


def _headline(results: list[dict]) -> list[str]:
    """The headline table and the table by stage, of the sizes measured in full."""
    first = results[0]
    full, kg = first["bare"]["full"], first["bare"]["kg"]
    lines = [
        "",
        "Bare spaCy passes (the fastest of "
        f"{len(full.get('runs', [1]))} run(s) each): `nlp.pipe` over the same texts (title, summary, text of each "
        f"document), batch size {first['batch_size']}, with the model's full pipeline "
        f"({', '.join(full['components'])}) and with the components kg enables ({', '.join(kg['components'])}; "
        "kg adds its gazetteer ruler and rules, and runs the attribute ruler and entity ruler through the "
        "checked stand-ins of `kg/spacy_speedups.py`). "
        "kg build: `kg.pipeline.build` then `kg.export.write_formats` with every format, into an empty output "
        "folder and an empty cache, as `kg build corpus --jobs 1` does; the jobs-2 and Dask builds are the same "
        "with `jobs=2` and `dask=\"local\"`, each with a cache of its own. Rebuild: the same corpus plus one page "
        "of 10 new documents, with the jobs-1 build's warm cache, every format written again. "
        "Each step runs in a fresh process; peak RSS is the process's own (for Dask: the client's, the workers "
        "are other processes). Times are wall-clock seconds; CPU seconds include the extraction processes'.",
        "",
        "## Headline",
        "",
        "| documents | bare, full pipeline (s) | bare, kg's components (s) | kg build, all formats (s) "
        "| kg / bare full | kg / bare kg's | kg / bare full, CPU | exports share of build "
        "| jobs 2 extraction speed-up | jobs 2 same bytes | rebuild +10 docs (s) | rebuild / cold "
        "| peak RSS kg build (MiB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for r in results:
        full_run, kg_run = r["bare"]["full"]["stages"]["ner"], r["bare"]["kg"]["stages"]["ner"]
        cold, jobs2, warm = r["cold"], r["jobs2"], r["warm"]
        total, exports = cold["total"]["wall"], cold["exports_total"]["wall"]
        speedup = cold["stages"]["extract"]["wall"] / jobs2["stages"]["extract"]["wall"]
        lines.append(
            f"| {cold['documents']:,} | {full_run['wall']:.1f} | {kg_run['wall']:.1f} | {total:.1f} "
            f"| **{total / full_run['wall']:.2f}×** | {total / kg_run['wall']:.2f}× "
            f"| {cold['total']['cpu'] / full_run['cpu']:.2f}× | {exports / total:.1%} "
            f"| **{speedup:.2f}×** | {'yes' if jobs2['outputs'] == cold['outputs'] else '**no**'} "
            f"| {warm['total']['wall']:.1f} | **{warm['total']['wall'] / total:.1%}** | {_mib(cold['peak_rss'])} |"
        )
    lines += ["", "## By stage", "",
              "Wall s / CPU s / peak RSS MiB of each stage and each export: the jobs-1 cold build, the jobs-2 "
              "cold build, the rebuild.", ""]
    header = "| stage | " + " | ".join(f"{r['size']:,} jobs 1 | {r['size']:,} jobs 2 | {r['size']:,} rebuild"
                                       for r in results) + " |"
    lines += [header, "|---|" + "---:|---:|---:|" * len(results)]

    def cell(row: dict | None) -> str:
        if not row:
            return "–"
        return f"{row['wall']:.2f} / {row['cpu']:.2f} / {_mib(row['peak_rss'])}"

    names = list(STAGES) + [f"export {n}" for n in sorted({n for r in results for n in r["cold"]["exports"]})]
    for name in names:
        cells = []
        for r in results:
            for build in (r["cold"], r["jobs2"], r["warm"]):
                rows = build["exports"] if name.startswith("export ") else build["stages"]
                cells.append(cell(rows.get(name.removeprefix("export "))))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for label, key in (("**exports total**", "exports_total"), ("**kg build total**", "total")):
        lines.append(f"| {label} | " + " | ".join(
            f"{b[key]['wall']:.2f} / {b[key]['cpu']:.2f}" for r in results for b in (r["cold"], r["jobs2"], r["warm"])
        ) + " |")
    lines.append("| **peak RSS (MiB)** | " + " | ".join(
        _mib(b["peak_rss"]) for r in results for b in (r["cold"], r["jobs2"], r["warm"])) + " |")
    for r in results:
        if r["warm"].get("code") != r["cold"].get("code"):
            lines += ["", f"**At {r['size']:,} documents kg's code changed between the cold build and the rebuild: "
                          "the cache was void and the rebuild figure is not valid.**"]
    return lines


def _large(large: list[dict]) -> list[str]:
    """The table of the large sizes, built alone (--build-only)."""
    lines: list[str] = []
    if large:
        lines += ["", "## Large corpora", "",
                  "`kg build` with every format, jobs 1, empty cache, alone (no bare pass, no jobs-2, Dask or "
                  "rebuild run at this size): the exports' share of the build and the build's peak RSS.", "",
                  "| documents | nodes | edges | kg build, all formats (s) | extract (s) | exports (s) "
                  "| exports share of build | peak RSS (MiB) | " + " | ".join(
                      f"export {n} (s)" for n in sorted(large[0]["cold"]["exports"])) + " |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|" + "---:|" * len(large[0]["cold"]["exports"])]
        for r in large:
            c = r["cold"]
            lines.append(f"| {c['documents']:,} | {c['nodes']:,} | {c['edges']:,} | {c['total']['wall']:.1f} "
                         f"| {c['stages']['extract']['wall']:.1f} | {c['exports_total']['wall']:.1f} "
                         f"| **{c['exports_total']['wall'] / c['total']['wall']:.1%}** | **{_mib(c['peak_rss'])}** | "
                         + " | ".join(f"{c['exports'][n]['wall']:.1f}" for n in sorted(c["exports"])) + " |")
        lines += ["", "Peak RSS by stage (MiB): " + "; ".join(
            f"{r['size']:,}: " + ", ".join(f"{name} {_mib(row['peak_rss'])}" for name, row in
                                           [*r["cold"]["stages"].items(),
                                            *((f"export {n}", v) for n, v in r["cold"]["exports"].items())])
            for r in large) + "."]
    return lines


def _dask(results: list[dict]) -> list[str]:
    lines: list[str] = []
    dask_rows = [r for r in results if r.get("dask")]
    if dask_rows:
        lines += ["", "## Dask", "",
                  "`kg build --dask local`: extraction on a LocalCluster of worker processes on this machine; "
                  "reading, the cache, resolution, relations, the graph and the exports stay on the client.", "",
                  "| documents | workers | kg build, all formats (s) | extract (s) | client peak RSS (MiB) "
                  "| same bytes as jobs 1 |",
                  "|---:|---:|---:|---:|---:|---|"]
        for r in dask_rows:
            d = r["dask"]
            lines.append(f"| {d['documents']:,} | {d['jobs']} | {d['total']['wall']:.1f} "
                         f"| {d['stages']['extract']['wall']:.1f} | {_mib(d['peak_rss'])} "
                         f"| {'yes' if d['outputs'] == r['cold']['outputs'] else '**no**'} |")
        lines += ["", "The client's peak includes the LocalCluster's scheduler, which runs in the client process; "
                      "with a remote cluster it runs elsewhere."]
    return lines


def _corpus(results: list[dict]) -> list[str]:
    if not results:
        return []
    lines = ["", "## Corpus and graph", "",
              "| documents | entries | duplicates merged | truncated | nodes | edges | extracted on rebuild "
              "| cached on rebuild | cache size (MiB) | tokens (bare pass) | output bytes (MiB) |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        c, w = r["cold"], r["warm"]
        lines.append(f"| {c['documents']:,} | {c['entries']:,} | {c['duplicates']:,} | {c['truncated']:,} "
                     f"| {c['nodes']:,} | {c['edges']:,} | {w['extracted']:,} | {w['cached']:,} "
                     f"| {r['cache_bytes'] / 1024 ** 2:.1f} | {r['bare']['full']['tokens']:,} "
                     f"| {sum(c['bytes'].values()) / 1024 ** 2:.1f} |")
    return lines


# -- command line -------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000, 10000], help="documents per run")
    parser.add_argument("--out", type=Path, default=HERE / "results.md", help="the Markdown report")
    parser.add_argument("--work", type=Path, help="folder for corpora, caches and outputs (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--model", default="", help="spaCy model (default: kg's choice)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--merge", action="store_true", help="keep other sizes' results already in OUT's JSON")
    parser.add_argument("--bare-repeats", type=int, default=1,
                        help="bare passes of each pipeline, before and after the builds; the fastest is reported")
    parser.add_argument("--dask", type=int, default=0, metavar="WORKERS", dest="dask_workers",
                        help="also build with --dask local and this many workers (0: not)")
    parser.add_argument("--timeout", type=float, help="seconds any one step may take")
    parser.add_argument("--build-only", action="store_true",
                        help="only the jobs-1 kg build with every format (for a large size; use with --merge)")
    parser.add_argument("--worker", choices=("bare", "build"), help=argparse.SUPPRESS)
    parser.add_argument("--pipeline", choices=tuple(PIPELINES), default="kg", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--dask-address", help=argparse.SUPPRESS)
    parser.add_argument("--into", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    model = args.model or None
    if args.worker == "bare":
        args.result.write_text(json.dumps(worker_bare(args.corpus, model, args.batch_size, args.pipeline)))
        return 0
    if args.worker == "build":
        worker_build(args.corpus, args.cache, args.into, model, args.batch_size, args.jobs, args.dask_address,
                     args.result)
        return 0

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    json_path = args.out.with_suffix(".json")
    results: list[dict] = []
    loads: dict[int, list] = {}
    if args.merge and json_path.exists():
        previous = json.loads(json_path.read_text())
        results = [r for r in previous["results"] if r["size"] not in args.sizes]
        loads = {int(k): v for k, v in previous.get("loads", {}).items() if int(k) not in args.sizes}
    try:
        for size in args.sizes:
            loads[size] = list(os.getloadavg()) if hasattr(os, "getloadavg") else []
            results.append(bench_size(size, work, model=model, batch_size=args.batch_size, log=log,
                                      repeats=args.bare_repeats, dask_workers=args.dask_workers,
                                      timeout=args.timeout, build_only=args.build_only))
            host = machine()
            args.out.parent.mkdir(parents=True, exist_ok=True)
            json_path.write_text(json.dumps({"machine": host, "loads": loads, "results": results}, indent=1))
            args.out.write_text(render(results, host, loads), encoding="utf-8")
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    log(f"wrote {args.out} and {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
