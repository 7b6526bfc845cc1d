"""The kg command line as a user meets it: each command's output, --out files, and every error path.

Most tests call kg.cli.main in-process (fast); a few run the real entry points
(``python -m kg`` and the ``kg`` script) in a subprocess. The sample corpus is
built once for the module, through the CLI itself.
"""
from __future__ import annotations

import io
import json
import logging
import re
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

import kg
from kg.cli import EXAMPLES, main
from kg.export import FORMATS
from kg.export.json import read_json
from kg.pipeline import BuildResult
from kg.queries import UnknownEntityError
from kg.records import ReadReport

COMMANDS = ("build", "entities", "meetings", "trace", "path", "ego", "stats", "review")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@dataclass(frozen=True)
class Built:
    run: Run
    folder: Path
    graph: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory, sample_corpus) -> Built:
    """``kg build corpus --format json --model none`` run once (the CLI is tested, not the model);
    stdout and stderr are not terminals, so no progress line."""
    folder = tmp_path_factory.mktemp("cli-build")
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["build", str(sample_corpus), "--out", str(folder), "--format", "json", "--model", "none"])
    return Built(Run(code, out.getvalue(), err.getvalue()), folder, folder / "graph.json")


def kg_run(capsys, *argv: str) -> Run:
    """``kg ARGV`` in-process; argparse's own errors (SystemExit) count as an exit status too."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def query(capsys, built: Built, *argv: str) -> Run:
    return kg_run(capsys, *argv, "--graph", built.graph)


def assert_user_error(run: Run, *fragments: str) -> None:
    """Exit status 2, one ``kg: error:`` line on stderr naming ``fragments``, nothing on stdout, no traceback."""
    assert run.code == 2, run
    assert run.out == ""
    assert run.err.startswith("kg: error: "), run.err
    assert run.err.count("\n") == 1 and "Traceback" not in run.err, run.err
    for fragment in fragments:
        assert fragment in run.err, (fragment, run.err)


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# -- build ------------------------------------------------------------------------------------
def test_build_writes_the_graph_and_a_closing_summary(built):
    assert built.run.code == 0, built.run.err
    assert built.run.err == ""  # no progress line without a terminal, no warnings on the sample
    out = built.run.out
    assert "read 2 file(s): 19 entries, 16 unique documents, 3 duplicate(s) merged" in out
    assert re.search(r"^entities: \d+ person, \d+ place, \d+ organization, \d+ topic$", out, re.M), out
    assert re.search(r"^relations: [1-9]\d* met, [1-9]\d* wrote_to, \d+ wrote, \d+ mentions, \d+ about$", out, re.M), out
    assert re.search(r"^model: \S+", out, re.M)
    assert f"wrote to {built.folder}/:" in out
    assert re.search(r"^  graph\.json +\d+\.\d KB$", out, re.M), out
    # The extraction cache sits beside the outputs, so a rebuild extracts only new documents.
    assert sorted(p.name for p in built.folder.iterdir()) == [".kg-build.json", ".kg-cache", "graph.json"]
    assert list((built.folder / ".kg-cache").glob("mentions-*.jsonl"))
    graph = read_json(built.graph)
    assert sum(1 for _, d in graph.nodes(data=True) if d["kind"] == "document") == 16


def _fake_build(graph_path: Path, *, warn: bool = False):
    """A stand-in for kg.pipeline.build: the stages and the result, without spaCy (the CLI is what is tested)."""
    graph = read_json(graph_path)

    def build(paths, *, on_stage=None, on_progress=None, **options):
        for stage in ("read", "load", "extract", "resolve", "relations", "graph"):
            if on_stage:
                on_stage(stage)
            for done in range(1, 17) if stage == "extract" and on_progress else ():
                on_progress(done, 16)
            if warn and stage == "read":
                logging.getLogger("kg.corpus").warning("skipped notes.bin: not a corpus file")
        report = ReadReport(files_read=2, entries=19, documents=16, duplicates_merged=3, truncated=1)
        return BuildResult(graph, report, "fake-model")

    return build


def test_build_quiet_prints_nothing(capsys, monkeypatch, built, sample_corpus, tmp_path):
    monkeypatch.setattr("kg.pipeline.build", _fake_build(built.graph, warn=True))
    run = kg_run(capsys, "build", sample_corpus, "--out", tmp_path, "--format", "json", "--quiet")
    assert run == Run(0, "", "")
    assert (tmp_path / "graph.json").is_file()


def test_build_progress_shows_the_stages_on_a_terminal_only(capsys, monkeypatch, built, sample_corpus, tmp_path):
    monkeypatch.setattr("kg.pipeline.build", _fake_build(built.graph, warn=True))
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    run = kg_run(capsys, "build", sample_corpus, "--out", tmp_path, "--format", "json")
    assert run.code == 0
    for text in ("[1/7] reading the corpus", "[3/7] finding names", "[6/7] building the graph", "[7/7] writing files"):
        assert text in run.err, run.err
    # while names are found, a bar counts the documents, with their rate and the time left
    assert re.search(r"kg: \[3/7\] finding names: +0%\|.*\| 0/16 \[00:00<\?, \? doc/s\]", run.err), repr(run.err)
    # the warning gets a line of its own (the progress line is wiped first) ...
    assert re.search(r"\r +\rkg: WARNING: skipped notes\.bin: not a corpus file\n", run.err), repr(run.err)
    # ... and the progress line is wiped before the summary, which goes to stdout
    assert run.err.endswith("\r")
    assert "kg:" not in run.out and "read 2 file(s)" in run.out
    # without a terminal the same build shows only the warning
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    run = kg_run(capsys, "build", sample_corpus, "--out", tmp_path, "--format", "json")
    assert run.err == "kg: WARNING: skipped notes.bin: not a corpus file\n"


def test_build_progress_line_is_wiped_before_an_error(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    run = kg_run(capsys, "build", tmp_path / "missing", "--out", tmp_path / "out")
    assert run.code == 2
    assert re.search(r"\r +\rkg: error: .*missing: no such file or folder\n$", run.err), repr(run.err)


# -- the query commands -------------------------------------------------------------------------
def test_entities_lists_every_kind_with_aliases(capsys, built):
    run = query(capsys, built, "entities")
    assert run.code == 0 and run.err == ""
    kinds = {line.split()[0] for line in lines(run.out)}
    assert kinds == {"person", "place", "organization", "topic"}
    stalin = next(line for line in lines(run.out) if "Joseph Stalin" in line)
    assert "(also:" in stalin and "Filippov [Stalin]" in stalin


def test_entities_of_one_kind(capsys, built):
    run = query(capsys, built, "entities", "--kind", "person", "--json")
    assert run.code == 0
    rows = json.loads(run.out)
    assert rows and {row["kind"] for row in rows} == {"person"}
    assert set(rows[0]) == {"id", "kind", "label", "aliases", "documents", "first_date", "last_date"}
    labels = {row["label"] for row in rows}
    assert {"Joseph Stalin", "T. V. Soong", "Vyacheslav Molotov"} <= labels
    assert "Outer Mongolia" not in labels
    text = query(capsys, built, "entities", "--kind", "place")
    assert all(line.startswith("place ") for line in lines(text.out))


def test_meetings_of_stalin_in_date_order(capsys, built):
    run = query(capsys, built, "meetings", "Stalin")
    assert run.code == 0 and run.err == ""
    rows = lines(run.out)
    assert [row.split()[0] for row in rows] == ["1945-07-02", "1945-07-07", "1945-07-09", "1945-07-12"]
    assert all("Joseph Stalin with T. V. Soong" in row for row in rows)
    # any spelling of the name finds the same person
    assert query(capsys, built, "meetings", "Filippov [Stalin]").out == run.out


def test_meetings_json(capsys, built):
    data = json.loads(query(capsys, built, "meetings", "Soong", "--json").out)
    assert data["person"] == "T. V. Soong"
    assert set(data["meetings"][0]) == {"date", "document", "title", "participants"}
    dates = [m["date"] for m in data["meetings"]]
    assert dates == sorted(dates)
    others = {p for m in data["meetings"] for p in m["participants"]}
    assert {"Joseph Stalin", "Vyacheslav Molotov", "W. Averell Harriman"} <= others


def test_meetings_of_a_place_says_what_it_is(capsys, built):
    assert_user_error(query(capsys, built, "meetings", "Outer Mongolia"), "Outer Mongolia is a place")


def test_trace_outer_mongolia_starts_in_1935(capsys, built):
    run = query(capsys, built, "trace", "Outer Mongolia")
    assert run.code == 0 and run.err == ""
    head, *listed = lines(run.out)
    assert re.match(r"Outer Mongolia \(place\): \d+ document\(s\), first 1935-09-13, last 1945-07", head), head
    rows, evidence = listed[0::2], listed[1::2]  # each document, then why it is in the trace
    assert all(line.startswith(" " * 12 + 'names it: "') for line in evidence), evidence
    dates = [row.split()[0] for row in rows]
    assert dates[0] == "1935-09-13" and dates == sorted(dates)
    assert len(rows) == int(re.search(r"(\d+) document", head).group(1))
    assert any("Joseph Stalin" in row and "T. V. Soong" in row for row in rows)


def test_trace_json_is_the_same_under_either_name(capsys, built):
    run = query(capsys, built, "trace", "Outer Mongolia", "--json")
    data = json.loads(run.out)
    assert set(data) == {"entity", "kind", "period", "first_date", "last_date", "documents"}
    assert (data["entity"], data["kind"], data["first_date"]) == ("Outer Mongolia", "place", "1935-09-13")
    assert set(data["documents"][0]) == {"date", "document", "title", "actors", "basis", "words", "entities", "evidence"}
    assert {d["basis"] for d in data["documents"]} == {"named"}
    assert data["documents"][0]["date"] == "1935-09-13"
    assert json.loads(query(capsys, built, "trace", "Mongolian People's Republic", "--json").out) == data


def test_trace_of_an_issue_says_which_documents_name_it_and_which_its_cues_link(capsys, built):
    run = query(capsys, built, "trace", "Mongolian independence")
    assert run.code == 0 and run.err == ""
    head, summary, *listed = lines(run.out)
    assert head.startswith("Mongolian independence (topic): ")
    assert re.match(r"period 1945-02-01/1946-02-28; \d+ name it, [1-9]\d* linked by its cues, 0 by a narrower issue$",
                    summary), summary
    assert any(re.match(r' {12}cues "[^"]+".* next to .*Outer Mongolia', line) for line in listed[1::2]), listed
    data = json.loads(query(capsys, built, "trace", "Mongolian independence", "--json").out)
    assert data["period"] == ["1945-02-01/1946-02-28"]
    cued = [d for d in data["documents"] if d["basis"] == "cues"]
    assert cued and all(d["words"] and d["entities"] and d["evidence"].startswith("cues ") for d in cued)
    assert all(d["basis"] in {"named", "cues", "part"} for d in data["documents"])


def test_path_from_harriman_to_molotov_goes_through_soong(capsys, built):
    run = query(capsys, built, "path", "Harriman", "Molotov")
    assert run.code == 0 and run.err == ""
    assert [line.split(" —")[0] for line in lines(run.out)] == ["W. Averell Harriman", "T. V. Soong"]
    assert "—met→ Vyacheslav Molotov" in run.out and "1945-07-10" in run.out
    steps = json.loads(query(capsys, built, "path", "Harriman", "Molotov", "--json").out)
    assert [(s["from"], s["to"]) for s in steps] == [("W. Averell Harriman", "T. V. Soong"),
                                                     ("T. V. Soong", "Vyacheslav Molotov")]
    assert all(set(s) == {"from", "to", "relations", "documents"} and s["documents"] for s in steps)


def test_ego_lists_the_neighbourhood(capsys, built):
    run = query(capsys, built, "ego", "Stalin")
    assert run.code == 0 and run.err == ""
    head, *rows = lines(run.out)
    nodes = int(re.match(r"Joseph Stalin: (\d+) nodes, \d+ edges$", head).group(1))
    assert len(rows) == nodes
    assert any(row.split()[0] == "document" for row in rows)
    assert any("T. V. Soong" in row for row in rows)
    one = json.loads(query(capsys, built, "ego", "Stalin", "--json").out)
    two = json.loads(query(capsys, built, "ego", "Stalin", "--radius", "2", "--json").out)
    assert set(one[0]) == {"id", "kind", "label", "date"}
    assert "person:joseph-stalin" in {row["id"] for row in one}
    assert {row["id"] for row in one} < {row["id"] for row in two}


def test_stats(capsys, built):
    run = query(capsys, built, "stats", "--top", "3")
    assert run.code == 0 and run.err == ""
    assert re.match(r"nodes: 16 document, \d+ organization, \d+ person, \d+ place, \d+ topic; edges: \d+$",
                    lines(run.out)[0])
    assert "most central actors" in run.out and re.search(r"^communities: \d+$", run.out, re.M)
    data = json.loads(query(capsys, built, "stats", "--top", "3", "--json").out)
    assert set(data) == {"nodes", "edges", "central_actors", "communities"}
    assert data["nodes"]["document"] == 16 and len(data["central_actors"]) == 3
    assert {"T. V. Soong", "Joseph Stalin"} <= {row["label"] for row in data["central_actors"]}
    assert any({"Joseph Stalin", "T. V. Soong"} <= set(group) for group in data["communities"])


@pytest.mark.parametrize("argv", [
    ("entities",), ("meetings", "Stalin"), ("trace", "Dairen"), ("path", "Harriman", "Molotov"), ("ego", "Stalin"),
    ("stats",),
])
def test_quiet_query_prints_nothing(capsys, built, argv):
    assert query(capsys, built, *argv, "--quiet") == Run(0, "", "")


# -- --out: plots and subgraphs -------------------------------------------------------------------
def _expected(wanted: tuple[str, ...]) -> set[str]:
    return {FORMATS[name][0] for name in wanted} | {".kg-build.json"}  # the manifest: one build


def test_trace_out_writes_a_timeline_and_the_trace_subgraph(capsys, built, tmp_path):
    run = query(capsys, built, "trace", "Outer Mongolia", "--out", tmp_path)
    assert run.code == 0 and run.err == ""
    assert {p.name for p in tmp_path.iterdir()} == _expected(("json", "html", "gexf")) | {"timeline.png"}
    assert f"wrote to {tmp_path}/:" in run.out and re.search(r"^  timeline\.png +\d+\.\d KB$", run.out, re.M)
    png = (tmp_path / "timeline.png").read_bytes()
    assert png.startswith(PNG_SIGNATURE) and len(png) > 20_000
    sub = read_json(tmp_path / "graph.json")
    documents = {n for n, d in sub.nodes(data=True) if d["kind"] == "document"}
    traced = json.loads(query(capsys, built, "trace", "Outer Mongolia", "--json").out)["documents"]
    assert documents == {entry["document"] for entry in traced}
    assert "place:outer-mongolia" in sub and "person:t-v-soong" in sub


def test_trace_json_with_out_keeps_stdout_pure_json(capsys, built, tmp_path):
    run = query(capsys, built, "trace", "Outer Mongolia", "--json", "--out", tmp_path)
    assert json.loads(run.out)["entity"] == "Outer Mongolia"
    assert "timeline.png" in run.err


def test_ego_out_writes_the_ego_subgraph(capsys, built, tmp_path):
    run = query(capsys, built, "ego", "Stalin", "--out", tmp_path)
    assert run.code == 0
    assert {p.name for p in tmp_path.iterdir()} == _expected(("json", "html", "gexf"))
    listed = {row["id"] for row in json.loads(query(capsys, built, "ego", "Stalin", "--json").out)}
    assert set(read_json(tmp_path / "graph.json")) == listed


def test_meetings_out_writes_the_meeting_network(capsys, built, tmp_path):
    run = query(capsys, built, "meetings", "Soong", "--out", tmp_path)
    assert run.code == 0
    assert {p.name for p in tmp_path.iterdir()} == _expected(("json", "html"))
    sub = read_json(tmp_path / "graph.json")
    people = {sub.nodes[n]["label"] for n, d in sub.nodes(data=True) if d["kind"] == "person"}
    assert people == {"T. V. Soong", "Joseph Stalin", "Vyacheslav Molotov", "W. Averell Harriman"}
    assert {d["kind"] for _, d in sub.nodes(data=True)} == {"person", "document"}
    met = {(sub.nodes[u]["label"], sub.nodes[v]["label"]) for u, v, key in sub.edges(keys=True) if key == "met"}
    assert {frozenset(pair) for pair in met} == {
        frozenset({"T. V. Soong", "Joseph Stalin"}), frozenset({"T. V. Soong", "Vyacheslav Molotov"}),
        frozenset({"T. V. Soong", "W. Averell Harriman"}),
    }
    # every record in it supports one of the meetings
    records = {d for _, _, key, data in sub.edges(keys=True, data=True) if key == "met" for d in data["documents"]}
    assert records == {n for n, d in sub.nodes(data=True) if d["kind"] == "document"}
    assert "Vyacheslav Molotov" in (tmp_path / "graph.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("argv", [("trace", "Stalin"), ("ego", "Stalin"), ("meetings", "Stalin")])
def test_out_refuses_to_overwrite_the_graph_being_read(capsys, built, argv):
    before = built.graph.read_bytes()
    run = query(capsys, built, *argv, "--out", built.folder)
    assert_user_error(run, "would overwrite the graph being read", f"{argv[0]}-joseph-stalin")
    assert built.graph.read_bytes() == before
    # The extraction cache sits beside the outputs, so a rebuild extracts only new documents.
    assert sorted(p.name for p in built.folder.iterdir()) == [".kg-build.json", ".kg-cache", "graph.json"]
    assert list((built.folder / ".kg-cache").glob("mentions-*.jsonl"))


# -- errors ---------------------------------------------------------------------------------------
def test_unknown_name_suggests_the_closest(capsys, built):
    run = query(capsys, built, "meetings", "Stalni")
    assert_user_error(run)
    assert run.err == "kg: error: no entity matches 'Stalni'; did you mean Joseph Stalin?\n"
    assert_user_error(query(capsys, built, "trace", "Outer Mongolai"), "did you mean Outer Mongolia")
    assert_user_error(query(capsys, built, "path", "Harriman", "Nobody At All"), "no entity matches 'Nobody At All'")


def test_errors_are_printed_even_when_quiet(capsys, built):
    assert_user_error(query(capsys, built, "ego", "Stalni", "--quiet"), "did you mean Joseph Stalin")


def test_missing_graph_says_how_to_build_one(capsys, tmp_path):
    run = kg_run(capsys, "stats", "--graph", tmp_path / "nowhere" / "graph.json")
    assert_user_error(run, "no graph here", "kg build corpus/ --out")


def test_default_graph_is_output_graph_json(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert_user_error(kg_run(capsys, "entities"), "output/graph.json: no graph here")


@pytest.mark.parametrize("content, message", [
    ("{not json", "not a readable graph.json"),
    ("[1, 2, 3]", "not a kg graph"),
    (b"\xff\xfe\x00binary", "not a readable graph.json"),
])
def test_corrupt_graph(capsys, tmp_path, content, message):
    path = tmp_path / "graph.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert_user_error(kg_run(capsys, "trace", "Stalin", "--graph", path), str(path), message)


def test_corpus_path_that_does_not_exist(capsys, tmp_path):
    run = kg_run(capsys, "build", tmp_path / "no-such-corpus", "--out", tmp_path / "out")
    assert_user_error(run, "no-such-corpus: no such file or folder")
    assert not (tmp_path / "out").exists()


def test_corpus_with_nothing_readable(capsys, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert_user_error(kg_run(capsys, "build", empty, "--out", tmp_path / "out"), "nothing readable", "no files")
    binary = tmp_path / "binary"
    binary.mkdir()
    (binary / "page.txt").write_bytes(bytes(range(256)) * 8)
    run = kg_run(capsys, "build", binary, "--out", tmp_path / "out")
    assert run.code == 2 and run.out == "" and "Traceback" not in run.err
    # the skipped file is warned about, then the error says why nothing was left
    assert run.err.splitlines()[-1].startswith("kg: error: nothing readable")
    assert "binary file" in run.err.splitlines()[-1]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("rows, fragments", [
    ("name,kind\nFoo,person\n", (":1:", "missing column(s) aliases")),
    ("name,kind,aliases\nFoo,person,\nBar,alien,\n", (":3:", "kind 'alien' for 'Bar'")),
])
def test_bad_gazetteer_names_the_file_and_line(capsys, sample_corpus, tmp_path, rows, fragments):
    gazetteer = tmp_path / "names.csv"
    gazetteer.write_text(rows, encoding="utf-8")
    run = kg_run(capsys, "build", sample_corpus, "--gazetteer", gazetteer, "--out", tmp_path / "out")
    assert_user_error(run, str(gazetteer), *fragments)
    assert not (tmp_path / "out").exists()


def test_missing_gazetteer_file(capsys, sample_corpus, tmp_path):
    run = kg_run(capsys, "build", sample_corpus, "--gazetteer", tmp_path / "nope.csv", "--out", tmp_path / "out")
    assert_user_error(run, "nope.csv: no such gazetteer file")


def test_unknown_format_is_refused_before_any_work(capsys, tmp_path):
    run = kg_run(capsys, "build", tmp_path / "not-even-read", "--format", "json", "pdf", "--out", tmp_path / "out")
    assert_user_error(run, "unknown format pdf; choose from json")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("argv", [(), ("fly",), ("entities", "--kind", "ship"), ("ego", "Stalin", "--radius", "x"),
                                  ("path", "Harriman")])
def test_bad_usage_exits_2_with_a_usage_line(capsys, argv):
    run = kg_run(capsys, *argv)
    assert run.code == 2 and run.out == ""
    assert run.err.startswith("usage: kg") and "kg" in run.err and "error:" in run.err
    assert "Traceback" not in run.err


def test_jobs_must_be_positive(capsys, sample_corpus, tmp_path):
    assert_user_error(kg_run(capsys, "build", sample_corpus, "--jobs", "0", "--out", tmp_path), "--jobs")


def test_verbose_raises_instead_of_summarising(capsys, built):
    with pytest.raises(UnknownEntityError, match="did you mean Joseph Stalin"):
        main(["meetings", "Stalni", "--graph", str(built.graph), "--verbose"])


# -- help -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_shows_its_examples(capsys, command):
    run = kg_run(capsys, command, "--help")
    assert run.code == 0
    assert run.out.startswith(f"usage: kg {command}")
    assert "examples:" in run.out and f"  kg {command}" in run.out
    assert EXAMPLES[command].splitlines()[1].strip() in run.out


def test_out_option_is_documented_where_it_exists(capsys):
    for command in ("trace", "ego", "meetings"):
        help_text = kg_run(capsys, command, "--help").out
        assert "--out DIR" in help_text and "--out" in help_text.split("examples:")[1]


# -- the real entry points --------------------------------------------------------------------------
def _subprocess(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([*argv], capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent)


def test_python_dash_m_kg_help():
    done = _subprocess(sys.executable, "-m", "kg", "--help")
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("usage: kg")
    for command in COMMANDS:
        assert command in done.stdout


def test_kg_script_version():
    script = Path(sys.executable).parent / ("kg.exe" if sys.platform == "win32" else "kg")
    assert script.exists(), f"{script} missing: install the package (pip install -e .)"
    done = _subprocess(str(script), "--version")
    assert (done.returncode, done.stdout.strip()) == (0, f"kg {kg.__version__}")


def test_verbose_shows_the_traceback_and_plain_mode_does_not(built):
    plain = _subprocess(sys.executable, "-m", "kg", "meetings", "Stalni", "--graph", str(built.graph))
    assert plain.returncode == 2 and "Traceback" not in plain.stderr
    assert plain.stderr == "kg: error: no entity matches 'Stalni'; did you mean Joseph Stalin?\n"
    verbose = _subprocess(sys.executable, "-m", "kg", "meetings", "Stalni", "--graph", str(built.graph), "-v")
    assert verbose.returncode != 0
    assert "Traceback (most recent call last)" in verbose.stderr and "UnknownEntityError" in verbose.stderr


def test_build_applies_corrections_and_says_how_many(capsys, built, sample_corpus, tmp_path):
    fixes = tmp_path / "fixes.csv"
    fixes.write_text("not_a_name,Dairen\nsame,Nobody Here,Joseph Stalin\n", encoding="utf-8")
    out = tmp_path / "out"
    run = kg_run(capsys, "build", sample_corpus, "--out", out, "--format", "json", "--model", "none",
                 "--cache", built.folder / ".kg-cache", "--corrections", fixes)
    assert run.code == 0, run.err
    assert "corrections: 1 applied, 0 already so, 1 problem(s) (warned above)" in run.out
    assert run.err == (f"kg: WARNING: corrections: {fixes}:2: same,Nobody Here,Joseph Stalin matches nothing: "
                       "no mention is spelled 'Nobody Here'\n")
    graph = read_json(out / "graph.json")
    assert all("Dairen" not in (p["text"] for p in d.get("provenance", ())) for *_, d in graph.edges(data=True))
    assert "corrections:" not in built.run.out  # no corrections, no line


def test_strict_corrections_fail_the_build_before_writing(capsys, built, sample_corpus, tmp_path):
    fixes = tmp_path / "fixes.csv"
    fixes.write_text("not_a_name,Dairen\nsame,Nobody Here,Joseph Stalin\n", encoding="utf-8")
    run = kg_run(capsys, "build", sample_corpus, "--out", tmp_path / "out", "--model", "none",
                 "--cache", built.folder / ".kg-cache", "--corrections", fixes, "--strict")
    assert_user_error(run, "1 correction problem(s):", f"{fixes}:2: same,Nobody Here,Joseph Stalin matches nothing")
    assert not (tmp_path / "out").exists()


def test_contradicting_corrections_are_warned_and_fail_a_strict_build(capsys, built, sample_corpus, tmp_path):
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text("kind,Dairen,place\n", encoding="utf-8")
    second.write_text("# later\nkind,Dairen,organization\n", encoding="utf-8")
    clash = f"{second}:2: kind,Dairen,organization contradicts {first}:1 (kind,Dairen,place); the later row wins"
    options = ["--model", "none", "--cache", built.folder / ".kg-cache", "--corrections", first, "--corrections", second]
    run = kg_run(capsys, "build", sample_corpus, "--out", tmp_path / "out", "--format", "json", *options)
    assert run.code == 0, run.err
    assert run.err == f"kg: WARNING: corrections: {clash}\n"
    # Applied in order: Dalian is a place already, then the later row makes it a body.
    assert "corrections: 1 applied, 1 already so, 1 problem(s) (warned above)" in run.out
    assert read_json(tmp_path / "out" / "graph.json").nodes["organization:dalian"]["kind"] == "organization"
    run = kg_run(capsys, "build", sample_corpus, "--out", tmp_path / "strict", *options, "--strict")
    assert_user_error(run, "1 correction problem(s):", clash)
    assert not (tmp_path / "strict").exists()


def test_a_warm_rebuild_with_new_corrections_writes_the_cold_build_s_bytes(capsys, sample_corpus, tmp_path):
    """Every output file, not only graph.json: corrections apply after the extraction cache."""
    fixes = tmp_path / "fixes.csv"
    fixes.write_text("not_a_name,Dairen\nkind,Outer Mongolia,organization\n", encoding="utf-8")
    cache = ["--model", "none", "--cache", tmp_path / "cache"]
    assert kg_run(capsys, "build", sample_corpus, "--out", tmp_path / "plain", *cache).code == 0
    warm = kg_run(capsys, "build", sample_corpus, "--out", tmp_path / "warm", *cache, "--corrections", fixes)
    cold = kg_run(capsys, "build", sample_corpus, "--out", tmp_path / "cold", "--model", "none", "--no-cache",
                  "--corrections", fixes)
    assert (warm.code, cold.code) == (0, 0) and "corrections: 2 applied" in warm.out

    def files(folder):
        return {path.relative_to(folder): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}

    assert len(files(tmp_path / "warm")) > 1 and files(tmp_path / "warm") == files(tmp_path / "cold")
    assert files(tmp_path / "warm")[Path("graph.json")] != files(tmp_path / "plain")[Path("graph.json")]


def test_a_corrections_row_that_is_no_correction_stops_the_build(capsys, sample_corpus, tmp_path):
    fixes = tmp_path / "fixes.csv"
    fixes.write_text("merge,Soong,Stalin\n", encoding="utf-8")
    run = kg_run(capsys, "build", sample_corpus, "--out", tmp_path / "out", "--model", "none", "--corrections", fixes)
    assert_user_error(run, f"{fixes}:1: unknown correction 'merge'")
    assert not (tmp_path / "out").exists()


def test_build_without_cache_writes_none(tmp_path, capsys, sample_corpus):
    from kg.cli import main

    out = tmp_path / "out"
    assert main(["build", str(sample_corpus), "--out", str(out), "--format", "json", "--no-cache", "--model", "none", "-q"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [".kg-build.json", "graph.json"]


def test_build_uses_a_named_cache_folder(tmp_path, capsys, sample_corpus):
    from kg.cli import main

    out, cache = tmp_path / "out", tmp_path / "cache"
    assert main(["build", str(sample_corpus), "--out", str(out), "--format", "json", "--cache", str(cache), "--model", "none",
                 "-q"]) == 0
    assert list(cache.glob("mentions-*.jsonl")) and not (out / ".kg-cache").exists()


@pytest.mark.model
def test_build_with_the_statistical_model(capsys, tmp_path, sample_corpus):
    """The default build loads the installed model, says so, and its graph answers the queries."""
    out = tmp_path / "out"
    run = kg_run(capsys, "build", sample_corpus, "--out", out, "--format", "json")
    assert run.code == 0, run.err
    assert re.search(r"^model: en_core_web_sm\w*$", run.out, re.M), run.out
    meetings = kg_run(capsys, "meetings", "Stalin", "--graph", out / "graph.json")
    assert meetings.code == 0 and "T. V. Soong" in meetings.out


# -- checked before any work, and every message names what the user gave ---------------------------
def _no_build(monkeypatch):
    def build(*args, **kwargs):
        raise AssertionError("the build ran before its output was checked")
    monkeypatch.setattr("kg.pipeline.build", build)


@pytest.mark.parametrize("flag", ["--out", "--cache"])
def test_an_unusable_out_or_cache_folder_is_refused_before_any_work(capsys, monkeypatch, tmp_path, sample_corpus, flag):
    _no_build(monkeypatch)
    (tmp_path / "afile").write_text("in the way")
    argv = ["build", sample_corpus, "--out", tmp_path / "out"]
    argv += ["--out", tmp_path / "afile" / "out"] if flag == "--out" else ["--cache", tmp_path / "afile" / "cache"]
    run = kg_run(capsys, *argv)
    assert_user_error(run, f"{tmp_path / 'afile'} is a file, not a folder")
    assert not (tmp_path / "out").exists()


def test_a_read_only_out_folder_is_refused_before_any_work(capsys, monkeypatch, tmp_path, sample_corpus):
    import errno
    import os
    import tempfile

    _no_build(monkeypatch)
    real_mkdtemp = tempfile.mkdtemp

    def mkdtemp(*args, dir=None, **kwargs):  # as a read-only filesystem answers (the tests run as root)
        if dir is not None and Path(dir) == tmp_path / "ro":
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real_mkdtemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr("kg.export.files.tempfile.mkdtemp", mkdtemp)
    (tmp_path / "ro").mkdir()
    run = kg_run(capsys, "build", sample_corpus, "--out", tmp_path / "ro", "--no-cache")
    assert_user_error(run, f"cannot write into the folder {tmp_path / 'ro'}: Read-only file system")


# -- names from the input are escaped on a terminal ---------------------------------------------------
def test_control_characters_in_names_and_file_names_are_escaped_when_printed(capsys, tmp_path, built):
    graph = json.loads(built.graph.read_text(encoding="utf-8"))
    person = next(n for n in graph["nodes"] if n["kind"] == "person")
    person["label"] = "Evil\x1b[2J\nkg: error: forged\u202e"
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(graph), encoding="utf-8")
    run = query(capsys, Built(built.run, tmp_path, path), "entities", "--kind", "person")
    assert run.code == 0
    assert "Evil\\x1b[2J\\nkg: error: forged\\u202e" in run.out
    assert "\x1b" not in run.out and "\u202e" not in run.out and "\nkg: error: forged" not in run.out
    data = json.loads(query(capsys, Built(built.run, tmp_path, path), "entities", "--json").out)
    assert person["label"] in {row["label"] for row in data}  # JSON keeps the value, escaped the JSON way


def test_a_file_name_with_a_newline_cannot_forge_a_line(capsys, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    from good_pages import GOOD_PAGE

    (corpus / "good.txt").write_text(GOOD_PAGE, encoding="utf-8")
    (corpus / "x\nkg: error: forged.md").write_text("not a page")
    run = kg_run(capsys, "build", corpus, "--out", tmp_path / "out", "--model", "none", "--format", "json")
    assert run.code == 0, run.err
    assert "x\\nkg: error: forged.md" in run.err and "\nkg: error: forged" not in run.err + run.out
    assert "2 documents" not in run.out and "read 1 file(s)" in run.out


# -- graph.json is checked when read ---------------------------------------------------------------
def _edited_graph(built: Built, tmp_path: Path, edit) -> Path:
    graph = json.loads(built.graph.read_text(encoding="utf-8"))
    edit(graph)
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(graph), encoding="utf-8")
    return path


@pytest.mark.parametrize("edit, message", [
    (lambda g: g["nodes"][0].pop("kind"), "node {id!r}: 'kind' is None; expected one of document, person"),
    (lambda g: g["nodes"][0].update(label=["a"]), "node {id!r}: 'label' is a list; expected text"),
    (lambda g: next(e for e in g["edges"] if e["key"] == "met").update(documents=["doc-nowhere"]),
     "'documents' lists 'doc-nowhere', which is no document of the graph"),
    (lambda g: next(e for e in g["edges"] if e["key"] == "met").update(documents=7),
     "'documents' is a number; expected a list"),
    (lambda g: next(e for e in g["edges"] if e["key"] == "about").update(basis="guessed"),
     "'basis' is 'guessed'; expected one of named, cues, part"),
    (lambda g: next(e for e in g["edges"] if e["key"] == "about").pop("evidence"), "has no 'evidence'"),
    (lambda g: next(e for e in g["edges"] if e["key"] == "about").update(
        target=next(n["id"] for n in g["nodes"] if n["kind"] == "person")), "expected a document and a topic"),
])
def test_a_hand_edited_graph_names_the_node_or_edge_that_is_wrong(capsys, tmp_path, built, edit, message):
    path = _edited_graph(built, tmp_path, edit)
    first = json.loads(path.read_text())["nodes"][0]["id"]
    run = kg_run(capsys, "meetings", "Stalin", "--graph", path)
    assert_user_error(run, f"{path}: not a graph of kg build: ", message.format(id=first))


def test_a_pipe_given_as_graph_is_an_error_not_a_hang(capsys, tmp_path):
    import os

    os.mkfifo(tmp_path / "graph.json")
    run = kg_run(capsys, "stats", "--graph", tmp_path / "graph.json")
    assert_user_error(run, f"{tmp_path / 'graph.json'}: not a regular file")


def test_raw_csv_writes_formulas_as_they_are(capsys, tmp_path, sample_corpus):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "records.jsonl").write_text(json.dumps(
        {"date": "1945", "title": "=HYPERLINK(\"http://x.invalid\")", "summary": "+1 and -2"}) + "\n")
    for raw, expected in ((False, "'=HYPERLINK"), (True, "=HYPERLINK")):
        out = tmp_path / f"out-{raw}"
        argv = ["build", corpus, "--out", out, "--model", "none", "--format", "csv", *(["--raw-csv"] if raw else [])]
        assert kg_run(capsys, *argv).code == 0
        import csv as csv_module

        rows = list(csv_module.DictReader((out / "nodes.csv").open(encoding="utf-8", newline="")))
        labels = {row["Label"] for row in rows}
        assert any(label.startswith(expected) for label in labels), labels
        assert ("'+1 and -2" if not raw else "+1 and -2") in {row.get("summary") for row in rows}
