"""Hostile input and safe output: injected markup, forbidden characters, odd files, huge
files, interrupted writes, and output names that try to leave the output folder.

The hostile corpus lives in tests/data/hostile/ (made by its make_corpus.py): pages
and records whose titles and summaries carry <script>, </script>, ]]>, javascript:
links, every control character XML forbids, lone surrogates escaped in JSON,
bidirectional and zero-width characters, emoji, huge lines and one entry repeated
300 times, plus a gazetteer whose entity names and descriptions are hostile too.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import stat
import threading
import tracemalloc
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from good_pages import FORBIDDEN

from kg.corpus import MAX_FILE_BYTES, MAX_TEXT_CHARS, CorpusError, read_corpus
from kg.dates import is_date_line
from kg.export import FORMATS, write_formats
from kg.export.files import OutputError, atomic_write, output_path

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
SCRIPT = "<script>alert(1)</script>"
GOOD_PAGE = """Results:

July 12, 1945

Record of a Meeting Between T.V. Soong and Stalin

Stalin and T.V. Soong review outstanding issues affecting Sino-Soviet relations in 1945.
"""
GOOD_TITLE = "Record of a Meeting Between T.V. Soong and Stalin"
# A file name that is not UTF-8 (Linux allows any bytes but "/" and NUL).
NON_UTF8_NAME = b"caf\xe9-\xff.txt"


def entry_skips(report) -> list:
    return [s for s in report.skipped if s.line is not None]


def assert_nothing_lost(report) -> None:
    assert report.entries == report.documents + report.duplicates_merged + len(entry_skips(report)), report


def skips_by_file(report) -> dict[str, list]:
    found: dict[str, list] = {}
    for skip in report.skipped:
        found.setdefault(Path(skip.path).name, []).append((skip.line, skip.reason))
    return found


# --- reading the hostile corpus ----------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_corpus():
    return read_corpus([HOSTILE / "corpus"])


def test_hostile_corpus_every_problem_is_reported(hostile_corpus):
    report = hostile_corpus.report
    assert_nothing_lost(report)
    assert report.files_read == 10  # all but the binary file
    skips = skips_by_file(report)
    assert skips.keys() == {"nul-bytes.txt", "long-lines.txt", "records.jsonl"}
    assert skips["nul-bytes.txt"] == [(None, "binary file (contains NUL bytes), not a text copy of a page")]
    (line, reason), = skips["long-lines.txt"]
    assert line == 3 and reason.endswith("characters long; not an archive entry")
    assert [(line, reason.split(" (")[0]) for line, reason in skips["records.jsonl"]] == [
        (7, "title is an object, not text"), (8, "not valid JSON"), (9, "expected a JSON object with date, title, summary; got list"),
        (10, "not usable JSON"), (11, "not usable JSON"),
    ]
    assert "4300 digits" in skips["records.jsonl"][3][1] and "nested too deeply" in skips["records.jsonl"][4][1]
    warnings = {(Path(w.path).name, w.line): w.reason for w in report.warnings}
    assert warnings[("windows-1252.txt", 5)].startswith("not valid UTF-8; decoded as Windows-1252")
    assert warnings[("mixed-encoding.txt", 7)] == "not valid UTF-8; decoded as Windows-1252"
    assert warnings[("records.jsonl", 6)] == "date is 319 characters long; not a date, record kept undated"
    dropped = sorted(key for key, reason in warnings.items() if "is not an http(s) link; dropped" in reason)
    assert dropped == [("records.csv", 3), ("records.jsonl", 1), ("records.jsonl", 2), ("records.jsonl", 3)]


def test_hostile_text_is_kept_verbatim_but_without_forbidden_characters(hostile_corpus):
    """The reader keeps markup as text (escaping is each exporter's job) and drops only
    characters no output can carry."""
    titles = {d.title for d in hostile_corpus.documents}
    assert f"Record of a Meeting Between Stalin and Petrov {SCRIPT}" in titles
    assert "Script in JSON </script><script>alert(2)</script>" in titles
    assert "constructor" in titles and "__proto__" in titles
    for doc in hostile_corpus.documents:
        for value in (doc.title, doc.summary, doc.text, doc.url, doc.date.text):
            assert not FORBIDDEN.search(value), (doc.title, value[:80])
    # Controls escaped in JSON are gone, and so are lone surrogates; a valid pair is kept.
    assert "Escaped controls end" in titles
    assert "Lone surrogates and and a pair \U0001f600" in titles
    assert "Conversation between Mao Zedong and Stalin" in titles  # raw control bytes, a BOM and CRLF
    # Bidirectional, zero-width and combining characters are text like any other.
    assert any("\u202e" in t and "\U0001f468\u200d\U0001f469" in t for t in titles)


def test_hostile_links_and_encodings(hostile_corpus):
    by_title = {d.title: d for d in hostile_corpus.documents}
    # Only http(s) links survive: no javascript:, JAVASCRIPT: or data: URL reaches the graph.
    assert {d.url for d in hostile_corpus.documents} == {
        "", "https://digitalarchive.wilsoncenter.org/document/1", 'https://example.org/"><script>alert(1)</script>'}
    # One Windows-1252 line does not garble the UTF-8 lines around it.
    assert "Report on K\u00f6ln and \u0141\u00f3d\u017a" in by_title
    assert by_title["Report on K\u00f6ln and \u0141\u00f3d\u017a"].summary == "Mixed bytes: \u201cquoted\u201d."
    assert "Memorandum on \u201cCaf\u00e9 Talks\u201d \u2013 Molotov" in by_title
    assert f"Telegram from Molotov to Stalin {SCRIPT}" in by_title  # UTF-16
    # 300 copies and 3 spellings of one entry are one document with 303 sources.
    repeated = by_title["Record of a Meeting Between Stalin and Molotov"]
    assert len(repeated.sources) == 303
    assert len(by_title[f"Long Summary {SCRIPT}"].summary) == 20_000


def test_file_name_that_is_not_utf8_is_shown_escaped(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD_PAGE, encoding="utf-8")
    with open(os.path.join(os.fsencode(tmp_path), NON_UTF8_NAME), "wb") as stream:
        stream.write(GOOD_PAGE.replace("Soong", "Sung").encode())
    corpus = read_corpus([tmp_path])
    (doc,) = [d for d in corpus.documents if "Sung" in d.title]
    assert Path(doc.sources[0].path).name == "caf\\xe9-\\xff.txt"
    for value in (*corpus.report.files, *(s.path for d in corpus.documents for s in d.sources)):
        value.encode("utf-8")  # printable, and writable to graph.json


def test_symlink_loop_and_dangling_link_in_a_folder(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD_PAGE, encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    corpus = read_corpus([tmp_path])
    assert GOOD_TITLE in {d.title for d in corpus.documents}
    # the dangling link and the loop are reported, not silently missing
    assert [(Path(s.path).name, s.line) for s in corpus.report.skipped] == [("gone.txt", None), ("loop", None)]
    assert corpus.report.skipped[0].reason == f"a link to {tmp_path / 'nowhere.txt'}, which does not exist"
    assert corpus.report.skipped[1].reason == f"a link to the folder {tmp_path}, which is a loop; not read again"


def _read_with_timeout(paths, seconds: float = 20):
    """read_corpus in a thread: a pipe that is opened would block for ever, not fail."""
    outcome: dict = {}

    def run():
        try:
            outcome["corpus"] = read_corpus(paths)
        except BaseException as err:  # handed to the test
            outcome["error"] = err

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "read_corpus blocked (did it open a named pipe?)"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["corpus"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipes_are_never_opened(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD_PAGE, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    corpus = _read_with_timeout([tmp_path])
    assert GOOD_TITLE in {d.title for d in corpus.documents}
    with pytest.raises(CorpusError, match=r"pipe\.txt: not a file or folder"):
        _read_with_timeout([tmp_path / "good.txt", tmp_path / "pipe.txt"])


# --- building and writing the hostile corpus ---------------------------------------------------


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    """The hostile corpus (and a page with a non-UTF-8 file name) built without a model,
    with the hostile gazetteer, and written in every format."""
    from kg.pipeline import build

    corpus = tmp_path_factory.mktemp("hostile-corpus")
    shutil.copytree(HOSTILE / "corpus", corpus, dirs_exist_ok=True)
    with open(os.path.join(os.fsencode(corpus), NON_UTF8_NAME), "wb") as stream:
        stream.write(GOOD_PAGE.encode())
    result = build([corpus], model="none", gazetteer_files=[HOSTILE / "gazetteer.csv"])
    out = tmp_path_factory.mktemp("hostile-out")
    written = write_formats(result.graph, out)
    return result, out, written


def test_hostile_build_writes_every_format(hostile_build):
    result, out, written = hostile_build
    expected = {file_name for file_name, _ in FORMATS.values()} | {"edges.csv"}
    assert {p.name for p in written} == expected
    # the manifest ties them together, and no temporary file is left
    assert sorted(p.name for p in out.iterdir()) == sorted(expected | {".kg-build.json"})
    labels = {d["label"] for _, d in result.graph.nodes(data=True)}
    # the hostile names reached the graph, so the exports below are really tested with them
    assert f"Ivan {SCRIPT} Petrov" in labels
    assert f"Record of a Meeting Between Stalin and Petrov {SCRIPT}" in labels
    assert any(key == "met" for _, _, key in result.graph.edges(keys=True))


@pytest.mark.parametrize("name, reader", [("graph.gexf", nx.read_gexf), ("graph.graphml", nx.read_graphml)])
def test_xml_exports_parse_and_keep_the_hostile_text(hostile_build, name, reader):
    result, out, _ = hostile_build
    root = ET.parse(out / name).getroot()
    assert root.tag.endswith("gexf" if name.endswith("gexf") else "graphml")
    graph = reader(out / name)
    assert graph.number_of_nodes() == result.graph.number_of_nodes()
    assert graph.number_of_edges() == result.graph.number_of_edges()
    labels = {str(data.get("label", "")) for _, data in graph.nodes(data=True)}
    # escaped, not stripped: the markup comes back as the text it was
    assert f"Ivan {SCRIPT} Petrov" in labels
    assert f"Record of a Meeting Between Stalin and Petrov {SCRIPT}" in labels
    text = (out / name).read_text(encoding="utf-8")
    assert SCRIPT not in text and "<img src=x" not in text


def test_graph_json_round_trips(hostile_build):
    from kg.export.json import read_json

    result, out, _ = hostile_build
    data = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == result.graph.number_of_nodes()
    graph = read_json(out / "graph.json")
    assert dict(graph.nodes(data=True)) == dict(result.graph.nodes(data=True))
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3])
    assert edges == sorted(result.graph.edges(keys=True, data=True), key=lambda e: e[:3])
    sources = [s for _, d in graph.nodes(data=True) for s in d.get("sources", [])]
    assert any("caf\\xe9-\\xff.txt:" in s for s in sources)


def test_csv_tables_parse(hostile_build):
    result, out, _ = hostile_build
    with (out / "nodes.csv").open(encoding="utf-8", newline="") as stream:
        nodes = list(csv.DictReader(stream))
    with (out / "edges.csv").open(encoding="utf-8", newline="") as stream:
        edges = list(csv.DictReader(stream))
    assert {row["Id"] for row in nodes} == set(result.graph)
    assert len(edges) == result.graph.number_of_edges()
    assert f"Ivan {SCRIPT} Petrov" in {row["Label"] for row in nodes}
    # every cell of text comes back exactly: quotes, commas, markup, RTL, emoji; but a
    # cell that a spreadsheet would run as a formula has a leading "'"
    neutralized = 0
    for row in nodes:
        data = result.graph.nodes[row["Id"]]
        for column, value in (("Label", data["label"]), ("summary", data.get("summary", ""))):
            formula = value.startswith(("=", "+", "-", "@", "\t", "\r"))
            assert row.get(column, "") == ("'" + value if formula else value)
            neutralized += formula
    assert neutralized >= 2  # the hostile corpus has formulas in titles and summaries


class _Tags(HTMLParser):
    """The tags a browser's tokenizer would see, and the text of each script (raw text to it)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []  # (attributes, content)
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_endtag(self, tag):
        self._script = None

    def handle_data(self, data):
        if self._script is not None:
            attrs, content = self.scripts[-1]
            self.scripts[-1] = (attrs, content + data)


# What the hostile corpus injects: its alert(n) calls, never found in vis-network or kg's code.
PAYLOADS = tuple(f"alert({n})" for n in range(1, 9))


def test_html_holds_the_injected_text_only_as_escaped_data(hostile_build):
    result, out, _ = hostile_build
    page = (out / "graph.html").read_text(encoding="utf-8")
    # The injected markup appears nowhere in the page as markup.
    for payload in (SCRIPT, "<img src=x", "<svg onload", "<iframe", "]]><![CDATA[", "alert(2)</script>"):
        assert payload not in page, payload
    parser = _Tags()
    parser.feed(page)
    parser.close()
    # One data block, which no browser executes; no script from elsewhere; no injected code.
    blocks = [content for attrs, content in parser.scripts if attrs.get("id") == "kg-data"]
    assert len(blocks) == 1
    for attrs, content in parser.scripts:
        assert "src" not in attrs, attrs
        if attrs.get("id") == "kg-data":
            assert attrs.get("type") == "application/json", attrs
        else:
            assert not any(payload in content for payload in PAYLOADS), attrs
    # No element carries an event handler, a javascript: value or an injected payload.
    for tag, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for value in map(str, attrs.values()):
            assert not value.strip().lower().startswith("javascript:"), (tag, attrs)
            assert not any(payload in value for payload in PAYLOADS), (tag, attrs)
    (block,) = blocks
    assert "<" not in block and "\u2028" not in block and "\u2029" not in block
    data = json.loads(block)
    titles = {info["title"] for info in data["info"].values()}
    # escaped, not lost
    assert f"Record of a Meeting Between Stalin and Petrov {SCRIPT}" in titles
    assert f"Ivan {SCRIPT} Petrov" in titles
    assert {info.get("url", "") for info in data["info"].values()} <= {
        "", "https://digitalarchive.wilsoncenter.org/document/1", 'https://example.org/"><script>alert(1)</script>'}
    policy = next(attrs["content"] for tag, attrs in parser.tags
                  if tag == "meta" and attrs.get("http-equiv", "").lower() == "content-security-policy")
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src


# --- atomic and confined writes ----------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_failed_replace_keeps_the_previous_file(tmp_path, monkeypatch, error):
    target = tmp_path / "graph.json"
    atomic_write(target, "previous")

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr("kg.export.files.os.replace", fail)
    with pytest.raises(OutputError if isinstance(error, OSError) else type(error)) as raised:
        atomic_write(target, "new " * 1000)
    if isinstance(error, OSError):
        assert str(raised.value) == f"cannot write {target}: No space left on device"  # the file, not a temporary one
    assert target.read_text() == "previous"
    assert leftovers(tmp_path) == []


def test_failed_write_halfway_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "graph.json"
    atomic_write(target, b"previous")
    real_fdopen = os.fdopen

    class HalfWrite:
        def __init__(self, stream):
            self.stream = stream

        def write(self, data):
            self.stream.write(data[: len(data) // 2])
            raise OSError(28, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.stream, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.stream.close()

    monkeypatch.setattr("kg.export.files.os.fdopen", lambda *a, **k: HalfWrite(real_fdopen(*a, **k)))
    with pytest.raises(OutputError, match=f"cannot write {target}: No space left"):
        atomic_write(target, b"new" * 10_000)
    assert target.read_bytes() == b"previous"
    assert leftovers(tmp_path) == []


def test_streamed_pieces_are_written_whole_and_a_failing_generator_keeps_the_previous_file(tmp_path, monkeypatch):
    import kg.export.files

    monkeypatch.setattr(kg.export.files, "WRITE_CHUNK", 10)  # many writes of gathered pieces
    target = tmp_path / "graph.gexf"
    atomic_write(target, (f"<n{i}>é</n{i}>\n" for i in range(1000)))
    assert target.read_text(encoding="utf-8") == "".join(f"<n{i}>é</n{i}>\n" for i in range(1000))

    def failing():
        yield "new " * 100
        raise RuntimeError("the exporter broke")

    with pytest.raises(RuntimeError, match="exporter broke"):
        atomic_write(target, failing())
    assert target.read_text(encoding="utf-8").startswith("<n0>é</n0>")
    assert leftovers(tmp_path) == []


def test_an_exporter_failing_midway_leaves_every_previous_file_whole(hostile_build, tmp_path, monkeypatch):
    result, _, _ = hostile_build
    first = write_formats(result.graph, tmp_path)
    before = {p.name: p.read_bytes() for p in first}
    real_replace = os.replace
    calls = []

    def replace_then_fail(source, target):
        calls.append(Path(target).name)
        if len(calls) == 2:  # the second file of the run
            raise OSError(5, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr("kg.export.files.os.replace", replace_then_fail)
    with pytest.raises(OutputError) as raised:
        write_formats(result.graph, tmp_path)
    # the message names the file as the user knows it, and says that nothing changed
    assert str(raised.value) == (f"cannot write {tmp_path / calls[-1]}: Input/output error; "
                                 f"{tmp_path} still holds the previous build")
    assert {p.name: p.read_bytes() for p in first} == before
    assert leftovers(tmp_path) == [] and not [p for p in tmp_path.iterdir() if p.name.startswith(".kg-staging")]


def test_output_folder_is_created_if_missing(hostile_build, tmp_path):
    result, _, _ = hostile_build
    folder = tmp_path / "new" / "nested" / "out"
    written = write_formats(result.graph, folder, ["json"])
    assert written == [folder.resolve() / "graph.json"] and written[0].is_file()


def test_new_files_get_ordinary_permissions_and_rewrites_keep_theirs(tmp_path):
    umask = os.umask(0o022)
    try:
        path = atomic_write(tmp_path / "graph.json", "{}")
        assert stat.S_IMODE(path.stat().st_mode) == 0o644  # not mkstemp's private 0600
        path.chmod(0o640)
        atomic_write(path, "{} ")
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
    finally:
        os.umask(umask)


@pytest.mark.parametrize("name", ["../x", "/etc/passwd", "a/../../b", "..", ".", "", "../out/../../x", "sub/x"])
def test_output_path_refuses_names_outside_the_folder(tmp_path, name):
    with pytest.raises(OutputError, match="outside the output folder"):
        output_path(tmp_path / "out", name)


def test_output_path_refuses_a_planted_link_out_of_the_folder(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (elsewhere / "victim").write_text("precious")
    (out / "graph.json").symlink_to(elsewhere / "victim")
    assert output_path(out, "graph.html") == out.resolve() / "graph.html"
    with pytest.raises(OutputError, match="outside the output folder"):
        output_path(out, "graph.json")
    assert (elsewhere / "victim").read_text() == "precious"


def test_writing_under_a_file_is_a_clear_output_error(tmp_path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(OutputError, match=r"afile is a file, not a folder"):
        atomic_write(tmp_path / "afile" / "deeper" / "graph.json", "{}")
    assert (tmp_path / "afile").read_text() == "x"


@pytest.fixture
def cli_build(hostile_build, monkeypatch):
    """kg.cli.main with the build itself replaced by the hostile build made once: these
    tests are about where the CLI writes, not about building."""
    import kg.pipeline
    from kg.cli import main

    monkeypatch.setattr(kg.pipeline, "build", lambda *args, **kwargs: hostile_build[0])
    return main


@pytest.mark.parametrize("out", ["afile", "afile/sub"])
def test_cli_build_refuses_an_out_folder_that_is_a_file(cli_build, tmp_path, capsys, out):
    (tmp_path / "afile").write_text("not a folder")
    code = cli_build(["build", str(HOSTILE / "corpus"), "--model", "none", "-q", "--out", str(tmp_path / out)])
    captured = capsys.readouterr()
    assert code == 2
    assert "afile is a file, not a folder" in captured.err
    assert captured.err.startswith("kg: error: ") and "Traceback" not in captured.err
    assert (tmp_path / "afile").read_text() == "not a folder"


def test_cli_build_replaces_a_planted_link_and_never_writes_through_it(cli_build, tmp_path, capsys):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (elsewhere / "victim").write_text("precious")
    (out / "graph.json").symlink_to(elsewhere / "victim")
    code = cli_build(["build", str(HOSTILE / "corpus"), "-q", "--out", str(out), "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0 and captured.err == ""
    # the files are written aside and moved into place: the link is replaced, not followed
    assert (elsewhere / "victim").read_text() == "precious"
    assert not (out / "graph.json").is_symlink() and (out / "graph.json").read_text().startswith("{")


def test_cli_build_writes_only_inside_out(cli_build, tmp_path, capsys):
    out = tmp_path / "results"
    assert cli_build(["build", str(HOSTILE / "corpus"), "-q", "--out", str(out)]) == 0
    capsys.readouterr()
    assert [p.name for p in tmp_path.iterdir()] == ["results"]
    assert not leftovers(out)


# --- resource limits ---------------------------------------------------------------------------


def test_file_far_over_the_limit_is_skipped_without_reading_it(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD_PAGE, encoding="utf-8")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as stream:  # 100 MB, sparse: no disk space, no time
        stream.truncate(100 * 1024 * 1024)
    assert huge.stat().st_size > MAX_FILE_BYTES
    tracemalloc.start()
    try:
        corpus = read_corpus([tmp_path])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024, f"{peak:,} bytes: was the file loaded?"
    (skip,) = corpus.report.skipped
    assert (Path(skip.path).name, skip.line) == ("huge.txt", None)
    assert f"over the {MAX_FILE_BYTES:,}-byte limit" in skip.reason
    assert GOOD_TITLE in {d.title for d in corpus.documents}


def test_file_over_a_lowered_limit_is_skipped(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD_PAGE, encoding="utf-8")
    (tmp_path / "big.txt").write_text(GOOD_PAGE.replace("Soong", "Sung") * 100, encoding="utf-8")
    corpus = read_corpus([tmp_path], max_file_bytes=len(GOOD_PAGE) * 2)
    assert [Path(s.path).name for s in corpus.report.skipped] == ["big.txt"]
    assert [d.title for d in corpus.documents] == [GOOD_TITLE]


def test_file_that_grows_after_stat_is_read_only_up_to_the_limit(tmp_path):
    """A file still being written (a download, a log) may be longer than stat() said."""
    from kg.corpus import _read_bounded

    path = tmp_path / "growing.txt"
    path.write_bytes(b"x" * 5000)
    # stat() said 100 bytes: the rest is read in chunks, up to the limit and no further
    assert _read_bounded(path, 100, 10_000) == b"x" * 5000
    assert _read_bounded(path, 100, 1_000) is None
    assert _read_bounded(path, 5000, 5000) == b"x" * 5000


TEN_MB = 10 * 1024 * 1024
UNITS = {"words": "word ", "no spaces": "x", "emoji": "\U0001f600", "date-like": "July 1, 1945 "}


def _peak(function):
    tracemalloc.start()
    try:
        result = function()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("unit", UNITS.values(), ids=UNITS.keys())
def test_ten_megabyte_title_line_is_skipped_in_bounded_memory(tmp_path, unit):
    line = unit * (TEN_MB // len(unit.encode()))
    page = tmp_path / "page.txt"
    page.write_text(f"Results:\n\nJuly 1, 1945\n\n{line}\n\nDropped.\n\n" + GOOD_PAGE.removeprefix("Results:\n\n"),
                    encoding="utf-8")
    size = page.stat().st_size
    corpus, peak = _peak(lambda: read_corpus([page]))
    assert peak < 8 * size, f"peak {peak:,} bytes for a {size:,}-byte file"
    (skip,) = corpus.report.skipped
    assert skip.line == 3 and "characters long; not an archive entry" in skip.reason
    assert [d.title for d in corpus.documents] == [GOOD_TITLE]
    assert_nothing_lost(corpus.report)


@pytest.mark.parametrize("kind", ["summary", "document body", "json summary"])
def test_ten_megabyte_text_is_cut_in_bounded_memory(tmp_path, kind):
    line = "word " * (TEN_MB // 5)
    if kind == "summary":
        path = tmp_path / "page.txt"
        path.write_text(f"Results:\n\nJuly 1, 1945\n\nA Title\n\n{line}\n", encoding="utf-8")
    elif kind == "document body":
        path = tmp_path / "page.txt"
        path.write_text(f"July 1, 1945\n\nA Title\n\n{line}\n\nMore.\n\nAnd more.\n", encoding="utf-8")
    else:
        path = tmp_path / "records.jsonl"
        path.write_text(json.dumps({"date": "1945-07-01", "title": "A Title", "summary": line}) + "\n",
                        encoding="utf-8")
    size = path.stat().st_size
    corpus, peak = _peak(lambda: read_corpus([path]))
    assert peak < 8 * size, f"peak {peak:,} bytes for a {size:,}-byte file"
    (doc,) = corpus.documents
    assert doc.title == "A Title"
    assert len(doc.summary or doc.text) == MAX_TEXT_CHARS
    (warning,) = corpus.report.warnings
    assert f"cut to {MAX_TEXT_CHARS:,}" in warning.reason


def test_ten_megabyte_date_field_is_no_date(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps({"date": "July 1, 1945 " * 800_000, "title": "A Title"}) + "\n", encoding="utf-8")
    (doc,) = read_corpus([path]).documents
    assert (doc.date.iso, doc.date.text) == (None, "")
    assert not is_date_line("July 1, 1945 " * 800_000)


def test_one_entry_repeated_fifty_thousand_times(tmp_path):
    entry = "July 12, 1945\n\nRecord of a Meeting Between T.V. Soong and Stalin\n\nThey met.\n\n"
    path = tmp_path / "page.txt"
    path.write_text("Results:\n\n" + entry * 50_000, encoding="utf-8")
    corpus = read_corpus([path])
    (doc,) = corpus.documents
    assert len(doc.sources) == 50_000
    assert (corpus.report.entries, corpus.report.duplicates_merged) == (50_000, 49_999)
