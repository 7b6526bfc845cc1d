"""Property-based and fuzz tests: odd input never crashes kg, and no entry goes missing.

Pages are the real sample pages in corpus/, mutated: lines dropped, blocks shuffled
and repeated, text of every Unicode category and control characters inserted,
huge lines, CRLF/CR, byte-order marks, other encodings and random bytes. Records
files get random JSON values and broken lines. The reader may only raise its own
CorpusError (and only when nothing at all is readable), and every entry it counts
must be a document, merged into one, or a reported skip:

    report.entries == report.documents + report.duplicates_merged + skips with a line

Hypothesis runs derandomized and without its example database, so CI tests the
same examples on every run. KG_FUZZ_SCALE=10 multiplies the number of examples for
a deeper local run.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import io
import json
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from good_pages import FORBIDDEN, GOOD_PAGE, GOOD_TITLES

from kg.corpus import MAX_TEXT_CHARS, MAX_TITLE_CHARS, CorpusError, read_corpus
from kg.dates import is_date_line, parse_date, sort_key
from kg.graph import RELATIONS
from kg.records import DocumentDate, ReadReport

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PAGES = sorted((ROOT / "corpus").glob("*.txt"))
SAMPLE_LINES = [page.read_text(encoding="utf-8").split("\n") for page in SAMPLE_PAGES]
SCALE = max(1, int(os.environ.get("KG_FUZZ_SCALE", "1")))

ISO_FORMS = {"day": re.compile(r"^\d{4}-\d{2}-\d{2}$"), "month": re.compile(r"^\d{4}-\d{2}$"),
             "year": re.compile(r"^\d{4}$")}


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples * SCALE, deadline=None, derandomize=True, database=None, print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


# --- what must hold of every read ------------------------------------------------------------


def check_report(report: ReadReport) -> None:
    entry_skips = [s for s in report.skipped if s.line is not None]
    assert report.entries == report.documents + report.duplicates_merged + len(entry_skips), report
    assert report.documents >= 0 and report.duplicates_merged >= 0
    assert 0 <= report.truncated <= report.documents and 0 <= report.undated <= report.documents
    for item in (*report.skipped, *report.warnings):
        assert item.reason and (item.line is None or item.line >= 1), item
        str(item).encode("utf-8")  # printable: no lone surrogates in paths or reasons


def check_date(date: DocumentDate) -> None:
    """An ISO date at its stated precision that really exists, or no date at all."""
    if date.iso is None:
        assert date.precision is None and date.until is None, date
        return
    assert date.precision in ISO_FORMS and ISO_FORMS[date.precision].match(date.iso), date
    year = int(date.iso[:4])
    assert 1500 <= year <= 2099, date
    if date.precision == "day":
        dt.date.fromisoformat(date.iso)
    elif date.precision == "month":
        assert 1 <= int(date.iso[5:7]) <= 12, date
    if date.until is not None:
        assert date.until >= date.iso, date
        if len(date.until) == 10:
            dt.date.fromisoformat(date.until)


def check_corpus(corpus, *, good: bool = True) -> None:
    check_report(corpus.report)
    assert corpus.report.documents == len(corpus.documents)
    assert len({d.doc_id for d in corpus.documents}) == len(corpus.documents)
    for doc in corpus.documents:
        assert doc.title and len(doc.title) <= MAX_TITLE_CHARS, doc.title[:100]
        assert len(doc.summary) <= MAX_TEXT_CHARS and len(doc.text) <= MAX_TEXT_CHARS
        for value in (doc.title, doc.summary, doc.text, doc.url, doc.date.text, *(s.path for s in doc.sources)):
            assert isinstance(value, str) and not FORBIDDEN.search(value), repr(value[:200])
            value.encode("utf-8")
        assert doc.sources and all(s.line >= 1 for s in doc.sources)
        check_date(doc.date)
    if good:
        assert GOOD_TITLES <= {d.title for d in corpus.documents}


def read_beside_good_page(files: dict[str, bytes]):
    """Read ``files`` (name -> bytes) with the good page, in both argument orders; the corpus."""
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        # "0-" sorts the good page first: its titles win any merge with a fuzzed copy.
        (folder / "0-good.txt").write_text(GOOD_PAGE, encoding="utf-8")
        for name, data in files.items():
            (folder / name).write_bytes(data)
        paths = sorted(folder.iterdir())
        corpus = read_corpus(paths)
        check_corpus(corpus)
        again = read_corpus(reversed(paths))
        assert again.documents == corpus.documents
        assert again.report.skipped == corpus.report.skipped
    describe(corpus)
    return corpus


def describe(corpus) -> None:
    """What the fuzzed files gave, for --hypothesis-show-statistics: are the examples any good?"""
    fuzzed = sum(1 for d in corpus.documents if any(not s.path.endswith("0-good.txt") for s in d.sources))
    event(f"documents from fuzzed files: {'0' if not fuzzed else '1-4' if fuzzed < 5 else '5+'}")
    for skip in corpus.report.skipped:
        event(f"skipped {'a file' if skip.line is None else 'an entry'}: {re.sub(r'[0-9,]+', 'N', skip.reason)[:50]}")


# --- strategies --------------------------------------------------------------------------------

# Every category, surrogates included (st.characters() leaves them out by default).
any_char = st.one_of(st.characters(), st.characters(categories=["Cs"]), st.sampled_from(
    "\x00\x01\x08\x0b\x0c\x0e\x1b\x1f\x7f\x85\xa0\u2028\u2029\u200b\u200d\u202e\ufeff\ufffe\uffff\U0001f600"
))
any_text = st.text(any_char, max_size=40)
MONTHS = ["January", "Feb", "march", "APRIL", "May", "Jun.", "July", "Aug", "Sept", "October", "Nov.", "december", "Foo"]
date_like = st.builds(
    lambda prefix, parts, sep, bracket: (bracket[0] + prefix + sep.join(parts) + bracket[1]),
    st.sampled_from(["", "c. ", "ca. ", "circa ", "approx ", "~", "about ", "Spring ", "late ", "end of "]),
    st.lists(st.one_of(
        st.sampled_from(MONTHS),
        st.integers(0, 40).map(str),
        st.integers(0, 40).map(lambda d: f"{d:02d}"),
        st.sampled_from(["1st", "2nd", "3rd", "13th", "31st"]),
        st.integers(1000, 2999).map(str),
        st.sampled_from(["1945", "1950s", "1949", "2099", "1500", "1499", "2100"]),
        st.sampled_from(["-", "\u2013", "\u2014", "/", ",", "undated", "n.d.", "no date"]),
    ), min_size=1, max_size=5),
    st.sampled_from([" ", "  ", ", ", "-", "\u00a0", "\t", "/", ""]),
    st.sampled_from([("", ""), ("[", "]"), ("(", ")"), ("", "."), (" ", " ")]),
)
# Lines of 1,000 to 250,000 characters: past the title limit, and past the text limit.
huge_line = st.builds(lambda unit, n: (unit * (n // len(unit) + 1))[:n],
                      st.sampled_from(["x", "word ", "\u4e2d", "\U0001f600", "July 1, 1945 ", "<script>", "e\u0301"]),
                      st.integers(1_000, 250_000))
line_text = st.one_of(any_text, date_like, st.sampled_from(["", "-", "Results:", "1 - 20 of 4,000", "Load More",
                                                            "\u2022 July 9, 1945", "Associated Places", "Documents"]))

MUTATIONS = ("drop", "duplicate", "shuffle", "insert_line", "insert_text", "huge", "repeat", "truncate", "join", "blank")


def mutated_lines(draw, lines: list[str]) -> list[str]:
    """The page's lines after a few random edits."""
    lines = list(lines)
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(MUTATIONS))
        where = draw(st.integers(0, max(len(lines) - 1, 0))) if lines else 0
        if kind == "drop" and lines:
            del lines[where:where + draw(st.integers(1, 6))]
        elif kind == "duplicate" and lines:
            lines.insert(where, lines[where])
        elif kind == "shuffle":
            blocks = "\n".join(lines).split("\n\n")
            lines = "\n\n".join(draw(st.permutations(blocks))).split("\n")
        elif kind == "insert_line":
            lines.insert(where, draw(line_text))
        elif kind == "insert_text" and lines:
            column = draw(st.integers(0, len(lines[where])))
            lines[where] = lines[where][:column] + draw(any_text) + lines[where][column:]
        elif kind == "huge":
            lines.insert(where, draw(huge_line))
        elif kind == "repeat" and lines:
            block = lines[where:where + draw(st.integers(1, 8))]
            lines[where:where] = block * draw(st.integers(2, 200))
        elif kind == "truncate" and lines:
            lines = lines[:where]
        elif kind == "join" and len(lines) > where + 1:
            lines[where:where + 2] = [lines[where] + " " + lines[where + 1]]
        elif kind == "blank":
            lines = [line for line in lines if line.strip()]
    return lines


def encoded(draw, lines: list[str]) -> bytes:
    """The lines as bytes: some line ending, encoding and byte-level damage."""
    newline = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
    if newline == "mixed":
        text = "".join(line + draw(st.sampled_from(["\n", "\r\n", "\r"])) for line in lines)
    else:
        text = newline.join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"]))
    errors = "surrogatepass" if encoding.startswith("utf") else "replace"
    raw = text.encode(encoding, errors=errors)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(max_size=8)) + raw[at:]
    return raw


@st.composite
def mutated_page(draw) -> bytes:
    lines = SAMPLE_LINES[draw(st.integers(0, len(SAMPLE_LINES) - 1))]
    return encoded(draw, mutated_lines(draw, lines))


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), any_text, date_like),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(any_text, inner, max_size=3)),
    max_leaves=8,
)
record = st.dictionaries(
    st.one_of(st.sampled_from(["date", "title", "summary", "url", "text"]), any_text),
    st.one_of(json_value, line_text, huge_line),
    max_size=6,
)


# --- the reader --------------------------------------------------------------------------------


@fuzz_settings(120)
@given(page=mutated_page(), suffix=st.sampled_from([".txt", ".txt", ".text", ".csv", ".jsonl"]))
def test_mutated_sample_pages_are_read_or_reported(page, suffix):
    read_beside_good_page({"fuzzed" + suffix: page})


@fuzz_settings(60)
@given(pages=st.lists(mutated_page(), min_size=2, max_size=4))
def test_several_mutated_pages_merge_without_losing_entries(pages):
    corpus = read_beside_good_page({f"page{n}.txt": page for n, page in enumerate(pages)})
    # every source of every document is a place an entry was read
    sources = [s for d in corpus.documents for s in d.sources]
    assert len(sources) == corpus.report.documents + corpus.report.duplicates_merged


@fuzz_settings(100)
@given(raw=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".jsonl", ".ndjson", ".csv"]))
@example(raw=b"\xef\xbb\xbf", suffix=".txt")
@example(raw=b"\xff\xfe\x00\x00", suffix=".txt")
@example(raw=b"\r\n\r\n\x1a", suffix=".csv")
@example(raw=b"[" * 5000, suffix=".jsonl")
@example(raw=b'{"title": "\\ud800", "date": "1945"}', suffix=".jsonl")
@example(raw=b'{"title": ' + b"9" * 5000 + b"}", suffix=".jsonl")
def test_random_bytes_are_read_or_reported(raw, suffix):
    read_beside_good_page({"random" + suffix: raw})


@fuzz_settings(100)
@given(records=st.lists(record, max_size=6), damage=st.lists(st.tuples(st.integers(0, 10), st.integers(0, 200)),
                                                             max_size=2))
def test_json_lines_with_random_values(records, damage):
    lines = [json.dumps(r, ensure_ascii=bool(len(r) % 2)) for r in records]
    for row, cut in damage:  # cut some lines short
        if row < len(lines):
            lines[row] = lines[row][:cut]
    read_beside_good_page({"records.jsonl": "\n".join(lines).encode("utf-8", errors="surrogatepass")})


@fuzz_settings(100)
@given(header=st.lists(st.one_of(st.sampled_from(["date", "title", "summary", "url", " Title ", "DATE"]), any_text),
                       max_size=6),
       rows=st.lists(st.lists(st.one_of(line_text, huge_line), max_size=7), max_size=6),
       quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
def test_csv_with_random_cells(header, rows, quoting):
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=quoting)
    writer.writerow(header)
    writer.writerows(rows)
    read_beside_good_page({"records.csv": buffer.getvalue().encode("utf-8", errors="surrogatepass")})


@fuzz_settings(40)
@given(page=mutated_page())
def test_a_mutated_page_alone_reads_or_raises_corpus_error(page):
    """Without a good page beside it, nothing readable is a CorpusError, and only that."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.txt"
        path.write_bytes(page)
        try:
            corpus = read_corpus([path])
        except CorpusError as err:
            assert "nothing readable" in str(err)
            return
        check_corpus(corpus, good=False)
        assert corpus.report.files_read == 1


# --- dates -------------------------------------------------------------------------------------


@fuzz_settings(400)
@given(text=st.one_of(any_text, date_like, st.text(max_size=200), huge_line))
@example(text="August-July 1945")
@example(text="February 29, 1900")
@example(text="July 32, 1945")
@example(text="1950-1949")
@example(text="c. [July 1945]")
@example(text="\u00a0July\u00a012,\u00a01945\u00a0")
def test_parse_date_never_raises_and_is_valid_iso(text):
    date = parse_date(text)
    assert isinstance(date, DocumentDate)
    assert date.text == " ".join(text.split())
    check_date(date)
    assert parse_date(date.text) == date  # the kept text parses to the same date
    sort_key(date)
    line = is_date_line(text)
    assert isinstance(line, bool)
    if line and date.iso is None:
        assert re.search(r"undated|no date|n\.\s?d|unknown", date.text, re.I), date


@fuzz_settings(300)
@given(year=st.integers(1500, 2099), month=st.integers(1, 12), day=st.integers(1, 31),
       form=st.sampled_from(["{M} {d}, {y}", "{d} {M} {y}", "{M} {y}", "{M}, {y}", "{y}-{m:02d}-{d:02d}",
                             "{y}-{m:02d}", "{y}", "{Mon}. {d:02d}, {y}", "c. {M} {y}"]))
def test_parse_date_reads_every_real_date(year, month, day, form):
    names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
    text = form.format(M=names[month - 1], Mon=names[month - 1][:3], m=month, d=day, y=year)
    date = parse_date(text)
    try:
        dt.date(year, month, day)
        valid = True
    except ValueError:
        valid = False
    if "{d" not in form:
        assert date.iso == (f"{year}" if form == "{y}" else f"{year}-{month:02d}"), text
    elif valid:
        assert date.iso == f"{year}-{month:02d}-{day:02d}" and date.precision == "day", text
    else:
        assert date.iso is None, text
    check_date(date)


# --- the whole build, model-free ---------------------------------------------------------------


@pytest.fixture(scope="module")
def fast_build():
    """kg.pipeline.build with model "none" (the gazetteer and pipeline are loaded once: tests/conftest.py)."""
    import kg.pipeline

    return functools.partial(kg.pipeline.build, model="none")


@contextlib.contextmanager
def memory_ceiling(extra: int = 1536 * 1024 * 1024):
    """Cap this process's address space at its present size plus ``extra`` while the block
    runs (Linux): a runaway allocation is then a MemoryError in this test rather than
    the kernel killing the whole test run, or another process, for memory."""
    try:
        import resource

        with open("/proc/self/status", encoding="ascii") as status:
            size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    except (ImportError, OSError, StopIteration, ValueError):
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    ceiling = size + extra if hard == resource.RLIM_INFINITY else min(size + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def check_exports(graph: nx.MultiDiGraph) -> None:
    """Every export of ``graph`` is well-formed: XML parses, JSON round-trips, CSV parses."""
    from kg.export.gexf import to_gexf
    from kg.export.graphml import to_graphml
    from kg.export.json import to_json
    from kg.export.tables import to_tables

    data = json.loads(to_json(graph))
    assert len(data["nodes"]) == graph.number_of_nodes() and len(data["edges"]) == graph.number_of_edges()
    ET.fromstring(to_gexf(graph).encode("utf-8"))
    ET.fromstring(to_graphml(graph).encode("utf-8"))
    nodes_csv, edges_csv = to_tables(graph)
    assert len(list(csv.reader(io.StringIO(nodes_csv)))) == graph.number_of_nodes() + 1
    assert len(list(csv.reader(io.StringIO(edges_csv)))) == graph.number_of_edges() + 1


@fuzz_settings(8)
@given(pages=st.lists(mutated_page(), min_size=1, max_size=2))
def test_build_on_mutated_pages_never_crashes(fast_build, pages):
    """Extraction, resolution, relations and the graph take any text the reader lets through."""
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / "0-good.txt").write_text(GOOD_PAGE, encoding="utf-8")
        for n, page in enumerate(pages):
            (folder / f"page{n}.txt").write_bytes(page)
        with memory_ceiling():
            result = fast_build([folder])
    graph = result.graph
    check_report(result.report)
    documents = [n for n, d in graph.nodes(data=True) if d["kind"] == "document"]
    assert len(documents) == result.report.documents
    for source, target, key in graph.edges(keys=True):
        assert source in graph and target in graph and key in RELATIONS
    check_exports(graph)


@pytest.mark.parametrize("unit, repeat", [
    ("StalinMao", 4_000),  # 36,000 letters without a space
    ("Stalin Molotov Mao Zedong Beria ", 1_400),  # 44,800 characters of names
    ("Filippov [Stalin] (Mao [Zedong (Chou]) ", 1_100),  # 42,900 characters of brackets
], ids=["no-spaces", "names", "brackets"])
def test_a_long_adversarial_body_builds_without_quadratic_cost(tmp_path, unit, repeat):
    """Four times the text costs about four times the time, not sixteen.

    A ratio of two builds in one process, not an absolute budget: a busy machine slows
    both alike. CPU time, so that other processes' work does not count.
    """
    import time

    from kg.pipeline import build

    def cost(count: int) -> float:
        page = tmp_path / f"doc-{count}.txt"
        page.write_text(f"July 1, 1945\n\nNotes\n\n{unit * count} and more\n\nmore.\n\nand more.\n")
        start = time.process_time()
        build([page], model="none")
        return time.process_time() - start

    cost(repeat // 16)  # loads the gazetteer and warms every cache
    small, large = cost(repeat // 4), cost(repeat)
    assert large < 8 * small + 1.0, f"{repeat // 4} units: {small:.2f} s; {repeat} units: {large:.2f} s"


# --- the extraction cache heals -----------------------------------------------------------------
@pytest.fixture(scope="module")
def cached_sample(tmp_path_factory, sample_corpus):
    """The sample corpus built with a cache, the cache file's text, and the graph.json of a clean build."""
    from kg.export.json import to_json
    from kg.pipeline import build

    folder = tmp_path_factory.mktemp("cache")
    clean = to_json(build([sample_corpus], model="none").graph)
    build([sample_corpus], model="none", cache_dir=folder)
    (path,) = folder.glob("mentions-*.jsonl")
    return path, path.read_text(encoding="utf-8"), clean


@st.composite
def mutated_cache(draw, text: str) -> str:
    """The cache file's text with some damage: bytes, JSON values, whole lines."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["char", "value", "drop", "duplicate", "swap", "cut"]))
        n = draw(st.integers(0, len(lines) - 1))
        line = lines[n]
        if kind == "char" and line:
            at = draw(st.integers(0, len(line) - 1))
            lines[n] = line[:at] + draw(st.sampled_from(["", "x", "1", '"', "]", ",", "\\", "é", "\x00"])) + line[at + 1:]
        elif kind == "value":
            numbers = [m.span() for m in re.finditer(r"\d+|\"[a-z_]+\"|null", line)]
            if numbers:
                start, end = draw(st.sampled_from(numbers))
                lines[n] = line[:start] + draw(st.sampled_from(["0", "7", "-1", '"place"', '"model"', "null", '"text"',
                                                                "[]", "1e9"])) + line[end:]
        elif kind == "drop":
            del lines[n]
            lines = lines or [""]
        elif kind == "duplicate":
            lines.insert(n, line)
        elif kind == "swap":
            m = draw(st.integers(0, len(lines) - 1))
            lines[n], lines[m] = lines[m], lines[n]
        else:
            lines[n] = line[: draw(st.integers(0, len(line)))]
    return "\n".join(lines)


@fuzz_settings(40)
@given(data=st.data())
def test_any_damage_to_the_cache_gives_the_graph_of_a_clean_build_and_at_most_a_warning(cached_sample, data):
    import logging

    from kg.export.json import to_json
    from kg.pipeline import build

    path, text, clean = cached_sample
    damaged = data.draw(mutated_cache(text))
    event("unchanged" if damaged == text else "damaged")
    path.write_text(damaged, encoding="utf-8")
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("kg")
    logger.addHandler(handler)
    try:
        result = build([Path(__file__).resolve().parents[1] / "corpus"], model="none", cache_dir=path.parent)
    finally:
        logger.removeHandler(handler)
    assert to_json(result.graph) == clean
    warnings = [r.getMessage() for r in records if r.levelno >= logging.WARNING]
    assert len(warnings) <= 1, warnings
    path.write_text(text, encoding="utf-8")
