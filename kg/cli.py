"""The ``kg`` command line: a thin layer over the pipeline, the queries and the exports."""
from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import shutil
import signal
import sys
from collections import Counter
from pathlib import Path

from kg import __version__
from kg.errors import KGError
from kg.text import json_printable, printable

DEFAULT_GRAPH = Path("output") / "graph.json"
#: what ``--out`` writes for a subgraph
SUBGRAPH_FORMATS = ("json", "html", "gexf")
MEETING_FORMATS = ("json", "html")
log = logging.getLogger("kg")

EXAMPLES = {
    "build": "examples:\n  kg build corpus/\n  kg build corpus/ my-pages/ --out results/ --format json gexf\n"
             "  kg build corpus/ --gazetteer my-names.csv --model en_core_web_sm\n"
             "  kg build corpus/ --corrections corrections.csv --strict",
    "entities": "examples:\n  kg entities\n  kg entities --kind person\n  kg entities --json > entities.json",
    "meetings": "examples:\n  kg meetings Stalin\n  kg meetings \"T. V. Soong\" --json\n"
                "  kg meetings Soong --out soong-meetings/    (the meeting network as graph.html and graph.json)",
    "trace": "examples:\n  kg trace \"Outer Mongolia\"\n  kg trace Dairen --json\n"
             "  kg trace \"Outer Mongolia\" --out mongolia/    (timeline.png and the documents' graph)",
    "path": "examples:\n  kg path Harriman Molotov\n  kg path \"Zhou Enlai\" Khrushchev --json",
    "ego": "examples:\n  kg ego Stalin\n  kg ego \"Port Arthur\" --radius 2 --json\n"
           "  kg ego Stalin --out stalin/    (the neighbourhood as graph.html, graph.json, graph.gexf)",
    "stats": "examples:\n  kg stats\n  kg stats --top 20 --json",
    "review": "examples:\n  kg review\n  kg review --only surname typo --top 20\n"
              "  kg review --csv > review.csv    (open in a spreadsheet)\n"
              "  kg review --json\n"
              "then copy the rows to undo into corrections.csv and run:\n"
              "  kg build corpus/ --corrections corrections.csv",
}


class UsageError(KGError):
    """A user-facing error: printed as ``kg: error: ...`` with exit status 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Turn archival document collections into knowledge graphs historians can explore.",
        epilog="Run 'kg COMMAND --help' for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="store_true", help="log progress; show tracebacks of errors")
    common.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    reads_graph = argparse.ArgumentParser(add_help=False)
    reads_graph.add_argument("--graph", type=Path, default=DEFAULT_GRAPH, help=f"graph to read (default {DEFAULT_GRAPH})")
    reads_graph.add_argument("--json", action="store_true", help="print machine-readable JSON")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help_text: str, parents: list) -> argparse.ArgumentParser:
        return commands.add_parser(
            name, help=help_text, description=help_text, parents=parents, epilog=EXAMPLES[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    build = command("build", "read a corpus and write its knowledge graph", [common])
    build.add_argument("paths", nargs="+", type=Path, help="folders or files of archive pages, .jsonl or .csv")
    build.add_argument("--out", type=Path, default=Path("output"), help="output folder (default output/)")
    build.add_argument("--format", nargs="+", dest="formats", metavar="FORMAT",
                       help="formats to write (default: all)")
    build.add_argument("--gazetteer", action="append", type=Path, default=[], metavar="CSV",
                       help="extra gazetteer rows (name,kind,aliases[,description]); may be repeated")
    build.add_argument("--model", help="spaCy model package to use; 'none' for gazetteer and rules only")
    build.add_argument("--jobs", type=int, metavar="N",
                       help="processes for extraction (default: this machine's cores, when the corpus is large "
                            "enough to gain; with --dask local, its workers)")
    build.add_argument("--dask", metavar="ADDRESS",
                       help="extract on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786), or "
                            "'local' for one on this machine; needs kg's dask extra (distributed)")
    build.add_argument("--cache", type=Path, metavar="DIR",
                       help="extraction cache, so rebuilds extract only new documents (default OUT/.kg-cache)")
    build.add_argument("--no-cache", action="store_true", help="extract every document afresh and keep no cache")
    build.add_argument("--min-topic-documents", type=int, default=3,
                       help="a noun phrase becomes a topic when this many documents use it (default 3)")
    build.add_argument("--raw-csv", action="store_true",
                       help="write CSV cells exactly as in the graph: no leading ' before a cell that starts "
                            "with = + - @ (which a spreadsheet would run as a formula), no cut of cells over "
                            "32,767 characters")
    build.add_argument("--corrections", action="append", type=Path, default=[], metavar="CSV",
                       help="corrections to apply after the automatic decisions (same, different, not_a_name, "
                            "kind, drop, add rows; see 'kg review'); may be repeated")
    build.add_argument("--strict", action="store_true",
                       help="a correction that matches nothing or contradicts another is an error, not a warning")

    entities = command("entities", "list every resolved entity with its aliases and dates", [common, reads_graph])
    entities.add_argument("--kind", choices=("person", "place", "organization", "topic"), help="only this kind")

    meetings = command("meetings", "every meeting of a person, in date order", [common, reads_graph])
    meetings.add_argument("name", help="the person (any spelling or alias)")
    meetings.add_argument("--out", type=Path, metavar="DIR",
                          help="also write the person's meeting network (who met them, and the records) to DIR")

    trace = command("trace", "every document about an entity, in date order", [common, reads_graph])
    trace.add_argument("name", help="the entity (any spelling or alias)")
    trace.add_argument("--out", type=Path, metavar="DIR",
                       help="also write a timeline plot (timeline.png) and the documents' graph to DIR")

    path = command("path", "how two actors are connected, and through which documents", [common, reads_graph])
    path.add_argument("source")
    path.add_argument("target")

    ego = command("ego", "an entity's neighbourhood: its documents and what they name", [common, reads_graph])
    ego.add_argument("name")
    ego.add_argument("--radius", type=int, default=1, help="how many documents away (default 1)")
    ego.add_argument("--out", type=Path, metavar="DIR", help="also write the neighbourhood's graph to DIR")

    stats = command("stats", "network statistics: size, central actors, communities", [common, reads_graph])
    stats.add_argument("--top", type=int, default=10, help="how many central actors to list (default 10)")

    from kg.review import CATEGORIES

    review = command("review", "the decisions worth a human look, most consequential first, with the "
                     "corrections that reverse them", [common, reads_graph])
    review.add_argument("--only", nargs="+", choices=list(CATEGORIES), metavar="CATEGORY",
                        help="only these kinds of decision: " + "; ".join(f"{k} ({v})" for k, v in CATEGORIES.items()))
    review.add_argument("--top", type=int, help="list only the N most consequential decisions")
    review.add_argument("--csv", action="store_true", help="print CSV, one row per decision")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    # A handler of our own on the "kg" logger, added for this call and removed after it,
    # rather than logging.basicConfig: main() may run many times in one process (tests,
    # a notebook), basicConfig does nothing once the root logger has a handler, and the
    # handler must write to the sys.stderr of this call.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_PrintableFormatter("kg: %(levelname)s: %(message)s"))
    logger = logging.getLogger("kg")
    previous_level = logger.level
    logger.setLevel(logging.INFO if args.verbose else logging.ERROR if args.quiet else logging.WARNING)
    logger.addHandler(handler)
    try:
        return _run(args)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)


def _run(args: argparse.Namespace) -> int:
    try:
        return HANDLERS[args.command](args)
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # "kg entities | head": the reader has gone, which is no error. Point stdout at
        # devnull so that the interpreter's final flush does not complain either.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 141  # 128 + SIGPIPE, as a shell reports a command a pipe closed on
    except Exception as err:  # every failure reaches the user as one line
        if args.verbose:
            raise
        if isinstance(err, (KGError, OSError)):
            print(f"kg: error: {printable(str(err))}", file=sys.stderr)
        else:
            print(f"kg: error: unexpected {type(err).__name__}: {printable(str(err))} (run with --verbose for details)",
                  file=sys.stderr)
        return 2


class _PrintableFormatter(logging.Formatter):
    """Log lines with control characters escaped: a file name holding a newline cannot forge a line."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


def _say(args: argparse.Namespace, text: str = "") -> None:
    """Print a line; names in it come from the input, so what a terminal would act on is escaped."""
    if not getattr(args, "quiet", False):
        print(printable(text))


def _print_json(data) -> None:
    print(json_printable(json.dumps(data, ensure_ascii=False, indent=2)))


def _report_written(args: argparse.Namespace, folder: Path, written: list[Path]) -> None:
    """The files written, with their sizes; on stderr when stdout carries JSON."""
    if args.quiet:
        return
    stream = sys.stderr if getattr(args, "json", False) else sys.stdout
    print(printable(f"wrote to {folder}/:"), file=stream)
    for path in written:
        print(printable(f"  {path.name:16} {_size(path):>9}"), file=stream)


def _size(path: Path) -> str:
    size = path.stat().st_size
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


# -- commands ---------------------------------------------------------------------------------
def cmd_build(args: argparse.Namespace) -> int:
    from kg.cache import CACHE_DIR_NAME, check_cache_folder
    from kg.export import FORMATS, write_formats
    from kg.export.files import check_writable_folder
    from kg.pipeline import build

    formats = args.formats or list(FORMATS)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError(f"unknown format {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    # Before any work: a build must not find out at the end that it cannot write.
    check_writable_folder(args.out)
    cache_dir = None if args.no_cache else (args.cache or args.out / CACHE_DIR_NAME)
    if cache_dir is not None:
        check_cache_folder(cache_dir)
    progress = _Progress(enabled=not args.quiet)
    try:
        with _terminate_as_exit():
            result = build(
                args.paths, gazetteer_files=args.gazetteer, model=args.model, jobs=args.jobs, dask=args.dask,
                min_topic_documents=args.min_topic_documents, on_stage=progress.stage,
                on_progress=progress.documents, cache_dir=cache_dir, corrections=args.corrections,
                strict=args.strict,
            )
            progress.stage("export")
            written = write_formats(result.graph, args.out, formats, options={"csv": {"raw": args.raw_csv}})
    finally:  # an error message must not land on the progress line
        progress.close()
    report = result.report
    kinds: dict[str, int] = {}
    for _, data in result.graph.nodes(data=True):
        kinds[data["kind"]] = kinds.get(data["kind"], 0) + 1
    relations: dict[str, int] = {}
    for _, _, key in result.graph.edges(keys=True):
        relations[key] = relations.get(key, 0) + 1
    _say(args, f"read {report.files_read} file(s): {report.entries} entries, {report.documents} unique documents, "
               f"{report.duplicates_merged} duplicate(s) merged, {report.truncated} truncated, "
               f"{len(report.skipped)} skipped")
    for skip in report.skipped:
        _say(args, f"  skipped {skip}")
    _say(args, f"model: {result.model}")
    _say(args, "entities: " + ", ".join(f"{kinds.get(k, 0)} {k}" for k in ("person", "place", "organization", "topic")))
    _say(args, "relations: " + ", ".join(f"{relations.get(k, 0)} {k}" for k in ("met", "wrote_to", "wrote", "mentions", "about")))
    if args.corrections:
        curation = result.curation
        problems = f", {len(curation.problems)} problem(s) (warned above)" if curation.problems else ""
        _say(args, f"corrections: {curation.applied} applied, {curation.held} already so{problems}")
    _report_written(args, args.out, written)
    return 0


class _terminate_as_exit:
    """SIGTERM as an exit (status 143) that unwinds, so that a half-written build is removed at once.

    (Python's default for SIGTERM ends the process where it stands; the next build would
    clean up, but a folder should not hold a staging folder for that long.)
    """

    def __enter__(self) -> None:
        self.previous = None
        if hasattr(signal, "SIGTERM"):
            try:
                self.previous = signal.signal(signal.SIGTERM, self._exit)
            except ValueError:  # not the main thread: leave the default
                pass

    def __exit__(self, *exc) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)

    @staticmethod
    def _exit(signum, frame) -> None:
        raise SystemExit(128 + signum)


class _Progress:
    """The build's stages on one line of stderr, only when stderr is a terminal.

    The line is rewritten in place ("\\r"); a log record (a skipped file, say) first
    clears it, so that the warning gets a line of its own, and the next stage redraws it.
    While documents are extracted, the line is a tqdm bar: documents done, rate, time left.
    """

    STAGES = {
        "read": "reading the corpus", "load": "loading the gazetteer and language model",
        "extract": "finding names in the documents", "resolve": "resolving names to entities",
        "relations": "finding meetings and correspondence", "graph": "building the graph",
        "export": "writing files",
    }

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.width = 0
        self.text = self.counter = ""
        self.bar = None
        self.handlers = list(logging.getLogger("kg").handlers) if self.enabled else []
        for handler in self.handlers:
            handler.addFilter(self._before_log)

    def stage(self, name: str) -> None:
        if self.enabled:
            step = list(self.STAGES).index(name) + 1 if name in self.STAGES else 0
            self.counter = f"[{step}/{len(self.STAGES)}] " if step else ""
            self.text = f"kg: {self.counter}{self.STAGES.get(name, name)}"
            self.clear()
            print(f"\r{self.text}…", end="", file=sys.stderr, flush=True)
            self.width = len(self.text) + 1

    def documents(self, done: int, total: int) -> None:
        """``done`` of the ``total`` documents to extract are extracted."""
        if not self.enabled:
            return
        if self.bar is None:
            self.clear()
            # shutil's size has a fallback where the terminal reports none (tqdm would draw nothing).
            columns, rows = shutil.get_terminal_size()
            self.bar = _bar_class()(total=total, desc=f"kg: {self.counter}finding names", unit=" doc", leave=False,
                                    file=sys.stderr, ncols=columns, nrows=rows, mininterval=0.5, smoothing=0.1)
        self.bar.update(done - self.bar.n)
        if done >= total:
            self.bar.close()
            self.bar = None

    def clear(self) -> None:
        if self.bar is not None:
            self.bar.clear()
        if self.width:
            print("\r" + " " * self.width + "\r", end="", file=sys.stderr, flush=True)
            self.width = 0

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        self.clear()
        for handler in self.handlers:
            handler.removeFilter(self._before_log)

    def _before_log(self, record: logging.LogRecord) -> bool:
        self.clear()
        return True


@functools.cache
def _bar_class():
    from tqdm import tqdm

    class Bar(tqdm):
        monitor_interval = 0  # no monitor thread: a build may fork extraction processes

    return Bar


def _load(args: argparse.Namespace):
    from kg.queries import load_graph

    return load_graph(args.graph)


def _load_entity(args: argparse.Namespace, kinds: tuple[str, ...] | None = None):
    """The graph and the node of ``args.name`` in it, once ``--out`` is known to be safe (``_check_out``)."""
    from kg.queries import find_entity

    graph = _load(args)
    node = find_entity(graph, args.name, kinds=kinds)
    _check_out(args, node)
    return graph, node


def _check_out(args: argparse.Namespace, entity: str) -> None:
    """Refuse an ``--out`` that is the folder of the graph being read, before printing anything.

    The subgraph's graph.json would silently replace the whole graph it was cut from.
    """
    if args.out and args.out.resolve() == args.graph.resolve().parent:
        suggestion = args.graph.parent / f"{args.command}-{entity.partition(':')[2] or entity}"
        raise UsageError(f"--out {args.out} would overwrite the graph being read ({args.graph}); "
                         f"choose another folder, e.g. --out {suggestion}")


def _write_subgraph(args: argparse.Namespace, subgraph, wanted: tuple[str, ...], extra=None) -> None:
    """Write a command's subgraph (and ``extra``'s files, as one build) to ``args.out``, and list what was written."""
    from kg.export import write_formats

    out: Path = args.out
    written = write_formats(subgraph, out, wanted, extra=extra)
    _report_written(args, out, written)


def cmd_entities(args: argparse.Namespace) -> int:
    graph = _load(args)
    rows = [
        {"id": n, "kind": d["kind"], "label": d["label"], "aliases": d.get("aliases", []),
         "documents": d.get("document_count", 0), "first_date": d.get("first_date", ""),
         "last_date": d.get("last_date", "")}
        for n, d in graph.nodes(data=True)
        if d["kind"] != "document" and (not args.kind or d["kind"] == args.kind)
    ]
    rows.sort(key=lambda r: (r["kind"], -r["documents"], r["label"]))
    if args.json:
        _print_json(rows)
        return 0
    for row in rows:
        aliases = f"  (also: {'; '.join(row['aliases'])})" if row["aliases"] else ""
        dates = f"{row['first_date']}..{row['last_date']}" if row["first_date"] else "undated"
        _say(args, f"{row['kind']:12} {row['label']:32} {row['documents']:3} doc(s)  {dates}{aliases}")
    return 0


def cmd_meetings(args: argparse.Namespace) -> int:
    from kg.queries import meetings

    graph, person = _load_entity(args, kinds=("person",))
    found = meetings(graph, person)
    label = graph.nodes[person]["label"]
    if args.json:
        _print_json({"person": label, "meetings": [m.__dict__ for m in found]})
    else:
        if not found:
            _say(args, f"no meetings of {label} recorded")
        for m in found:
            _say(args, f"{m.date or 'undated':10}  {label} with {', '.join(m.participants)}  [{m.title}]")
    if args.out:
        from kg.queries import meeting_network

        _write_subgraph(args, meeting_network(graph, person), MEETING_FORMATS)
    return 0


def cmd_trace(args: argparse.Namespace) -> int:
    from kg.queries import trace

    graph, entity = _load_entity(args)
    entries = trace(graph, entity)
    data = graph.nodes[entity]
    if args.json:
        _print_json({"entity": data["label"], "kind": data["kind"], "period": list(data.get("period", [])),
                     "first_date": data.get("first_date", ""), "last_date": data.get("last_date", ""),
                     "documents": [e.__dict__ for e in entries]})
    else:
        _say(args, f"{data['label']} ({data['kind']}): {len(entries)} document(s), "
                   f"first {data.get('first_date') or '?'}, last {data.get('last_date') or '?'}")
        bases = Counter(e.basis for e in entries)
        if data.get("period") or bases.keys() - {"named"}:
            period = f"period {', '.join(data['period'])}; " if data.get("period") else ""
            _say(args, f"{period}{bases['named']} name it, {bases['cues']} linked by its cues, "
                       f"{bases['part']} by a narrower issue")
        for e in entries:
            actors = f"  — {', '.join(e.actors)}" if e.actors else ""
            _say(args, f"{e.date or 'undated':10}  {e.title}{actors}")
            _say(args, f"{'':10}  {e.evidence}")
    if args.out:
        from kg.graph import trace_subgraph
        from kg.plots import write_timeline

        def timeline(transaction) -> list[Path]:
            return [write_timeline(graph, entity, transaction.path("timeline.png"))]

        _write_subgraph(args, trace_subgraph(graph, entity), SUBGRAPH_FORMATS, extra=timeline)
    return 0


def cmd_path(args: argparse.Namespace) -> int:
    from kg.queries import connection, find_entity

    graph = _load(args)
    source, target = find_entity(graph, args.source), find_entity(graph, args.target)
    steps = connection(graph, source, target)
    if args.json:
        _print_json(steps)
        return 0
    if not steps:
        _say(args, f"{graph.nodes[source]['label']} and {graph.nodes[target]['label']} are not connected")
        return 0
    for step in steps:
        titles = "; ".join(f"{graph.nodes[d]['date']} {graph.nodes[d]['title']}" for d in step["documents"][:3])
        more = f" (+{len(step['documents']) - 3} more)" if len(step["documents"]) > 3 else ""
        _say(args, f"{step['from']} —{'/'.join(step['relations'])}→ {step['to']}: {titles}{more}")
    return 0


def cmd_ego(args: argparse.Namespace) -> int:
    from kg.graph import ego_network

    graph, node = _load_entity(args)
    ego = ego_network(graph, node, radius=args.radius)
    rows = sorted(
        ({"id": n, "kind": d["kind"], "label": d["label"], "date": d.get("date", "")} for n, d in ego.nodes(data=True)),
        key=lambda r: (r["kind"], r["label"]),
    )
    if args.json:
        _print_json(rows)
    else:
        _say(args, f"{graph.nodes[node]['label']}: {ego.number_of_nodes()} nodes, {ego.number_of_edges()} edges")
        for row in rows:
            _say(args, f"  {row['kind']:12} {row['label']}")
    if args.out:
        _write_subgraph(args, ego, SUBGRAPH_FORMATS)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from kg.queries import centrality, communities

    graph = _load(args)
    kinds: dict[str, int] = {}
    for _, d in graph.nodes(data=True):
        kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    central = centrality(graph, top=args.top)
    groups = communities(graph)
    if args.json:
        _print_json({"nodes": kinds, "edges": graph.number_of_edges(), "central_actors": central, "communities": groups})
        return 0
    _say(args, "nodes: " + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items())) + f"; edges: {graph.number_of_edges()}")
    _say(args, "most central actors (meetings and correspondence):")
    for row in central:
        _say(args, f"  {row['label']:30} degree {row['degree']:.3f}  betweenness {row['betweenness']:.3f}")
    _say(args, f"communities: {len(groups)}")
    for group in groups[:10]:
        _say(args, "  " + ", ".join(group))
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from kg.review import review, to_csv

    if args.json and args.csv:
        raise UsageError("choose one of --json and --csv")
    if args.top is not None and args.top < 1:
        raise UsageError("--top must be at least 1")
    decisions = review(_load(args), categories=args.only)[: args.top]
    if args.json:
        _print_json([dict(rank=rank, **d.as_dict()) for rank, d in enumerate(decisions, start=1)])
        return 0
    if args.csv:
        sys.stdout.write(to_csv(decisions))
        return 0
    for rank, d in enumerate(decisions, start=1):
        documents = f"{len(d.documents)} document{'s' if len(d.documents) != 1 else ''}"
        _say(args, f"{rank}. [{d.category}] {d.summary} — {documents}, weight {d.consequence}")
        for evidence in d.evidence[:3]:
            _say(args, f"     {evidence.date or 'undated':10}  {evidence.text}")
        if len(d.evidence) > 3:
            _say(args, f"     (+{len(d.evidence) - 3} more)")
        for i, line in enumerate(d.corrections[:2]):
            _say(args, f"   {'to reverse:' if i == 0 else '        or:'} {line}")
        if len(d.corrections) > 2:
            _say(args, f"           (+{len(d.corrections) - 2} more with --json or --csv)")
    if decisions:
        _say(args, f"{len(decisions)} decision(s). To reverse one, put its line in a corrections file "
                   "and rebuild with: kg build ... --corrections FILE.csv")
    else:
        _say(args, "nothing to review")
    return 0


HANDLERS = {
    "review": cmd_review,
    "build": cmd_build, "entities": cmd_entities, "meetings": cmd_meetings, "trace": cmd_trace,
    "path": cmd_path, "ego": cmd_ego, "stats": cmd_stats,
}
