"""An output folder always holds one whole build: kills at every point of the exports, a full disk, two builds at once.

Each build writes its files aside and makes them current in one step, with a
manifest (kg.export.files). These tests check the promise from outside: after a
kill, a failure or a race, every file in --out matches the manifest, the manifest is
one of the builds (the previous one when the commit had not happened), and the next
build leaves no temporary file.
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kg.export import write_formats
from kg.export.files import MANIFEST, OutputError, file_digest, manifest_problems, read_manifest
from kg.export.json import read_json, write_json
from kg.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
DRIVER = Path(__file__).with_name("build_driver.py")
FORMATS = ["json", "gexf", "graphml", "csv", "html"]
FILES = 6  # graph.json, graph.gexf, graph.graphml, nodes.csv, edges.csv, graph.html


@pytest.fixture(scope="module")
def graphs(tmp_path_factory, sample_corpus):
    """graph.json of two different builds: A, the sample corpus; B, its first page only."""
    folder = tmp_path_factory.mktemp("graphs")
    pages = sorted(sample_corpus.glob("*.txt"))
    paths = {}
    for name, corpus in (("A", [sample_corpus]), ("B", pages[:1])):
        paths[name] = write_json(build(corpus, model="none").graph, folder / f"{name}.json")
    return paths


@pytest.fixture(scope="module")
def reference(tmp_path_factory, graphs):
    """Each build's files written undisturbed: name -> bytes."""
    folder = tmp_path_factory.mktemp("reference")
    sets = {}
    for name, graph_json in graphs.items():
        out = folder / name
        write_formats(read_json(graph_json), out, FORMATS)
        sets[name] = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert sets["A"]["graph.json"] != sets["B"]["graph.json"]
    return sets


def drive(graph_json: Path, out: Path, point: str = "none", signum: int = 0) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(DRIVER), str(graph_json), point, str(signum), "--",
         "build", "corpus", "--out", str(out), "--no-cache", "-q", "--format", *FORMATS],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )


def files_in(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith((".kg-staging", ".kg-commit")) or
                  p.name.endswith(".tmp"))


def assert_one_build(out: Path, reference: dict, expected: str) -> None:
    """Every file in ``out`` is build ``expected``'s, as its manifest says."""
    assert manifest_problems(out) == []
    assert files_in(out) == reference[expected]


KILLS = [("write:1", "staged"), ("write:3", "staged"), ("staged", "staged"), ("apply:2", "apply"), ("apply:6", "apply")]


@pytest.mark.processes
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=["KILL", "TERM", "INT"])
@pytest.mark.parametrize("point, phase", KILLS, ids=[p for p, _ in KILLS])
def test_a_killed_build_leaves_one_whole_build(tmp_path, graphs, reference, point, phase, signum):
    out = tmp_path / "out"
    assert drive(graphs["A"], out).returncode == 0
    assert_one_build(out, reference, "A")

    killed = drive(graphs["B"], out, point, signum)
    assert killed.returncode != 0, killed
    if phase == "staged":
        # killed before the commit: the previous build, untouched (a SIGKILL leaves its staging folder)
        assert_one_build(out, {"A": {**reference["A"]}}, "A")
        assert leftovers(out) == ([] if signum != signal.SIGKILL else leftovers(out))
    elif signum == signal.SIGKILL:
        # killed while moving files into place: the next reader completes the build first
        assert any(name.startswith(".kg-commit") for name in leftovers(out))
        run = subprocess.run([sys.executable, "-m", "kg", "stats", "--graph", str(out / "graph.json"), "--json"],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        assert_one_build(out, reference, "B")
    else:
        # SIGINT and SIGTERM wait until the files are in place: the new build, whole
        assert_one_build(out, reference, "B")
    assert leftovers(out) == [] or signum == signal.SIGKILL

    # the next build removes what a killed one left, and is whole
    assert drive(graphs["A"], out).returncode == 0
    assert_one_build(out, reference, "A")
    assert leftovers(out) == []


@pytest.mark.processes
def test_two_builds_into_one_folder_leave_one_of_them_whole(tmp_path, graphs, reference):
    out = tmp_path / "out"
    for _ in range(3):
        runs = [subprocess.Popen(
            [sys.executable, str(DRIVER), str(graphs[name]), "none", "0", "--",
             "build", "corpus", "--out", str(out), "--no-cache", "-q", "--format", *FORMATS],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in ("A", "B")]
        for run in runs:
            _, err = run.communicate(timeout=300)
            assert run.returncode == 0, err
        winner = next(name for name, files in reference.items() if files_in(out) == files)
        assert_one_build(out, reference, winner)
        assert leftovers(out) == []


def test_a_second_writer_waits_for_the_first(tmp_path, graphs, reference, caplog):
    """The lock: while one transaction holds the folder, another waits, saying so, then writes whole."""
    import threading
    import time

    from kg.export.files import output_transaction

    out = tmp_path / "out"
    write_formats(read_json(graphs["A"]), out, FORMATS)
    started, release = threading.Event(), threading.Event()

    def hold() -> None:
        with output_transaction(out) as transaction:
            started.set()
            release.wait(60)
            transaction.path("note.txt").write_text("from the first writer")

    holder = threading.Thread(target=hold)
    holder.start()
    started.wait(60)
    finished = []
    second = threading.Thread(target=lambda: finished.append(write_formats(read_json(graphs["B"]), out, FORMATS)))
    with caplog.at_level("WARNING", logger="kg"):
        second.start()
        time.sleep(1.0)
        assert not finished  # still waiting
        release.set()
        holder.join(60)
        second.join(60)
    assert finished and any("another kg is writing into" in r.getMessage() for r in caplog.records)
    assert_one_build(out, reference, "B")  # note.txt was the first writer's build, and is gone with it


@contextlib.contextmanager
def small_filesystem(folder: Path, size: str):
    """A tmpfs of ``size`` mounted at ``folder`` (needs root and mount rights), or skip."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True, text=True) if shutil.which("mount") and os.geteuid() == 0 else None
    if mounted is None or mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root); test_a_full_disk_simulated covers the same")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_full_disk_keeps_the_previous_build_and_names_the_file(tmp_path, graphs, reference, capsys, monkeypatch):
    """A real full filesystem: a tmpfs that holds one build but not a second one beside it."""
    import kg.pipeline
    from kg.cli import main
    from kg.pipeline import BuildResult
    from kg.records import ReadReport

    size = sum(len(b) for b in reference["A"].values())
    with small_filesystem(tmp_path / "disk", f"{size * 3 // 2 // 1024}k") as disk:
        out = disk / "out"
        write_formats(read_json(graphs["A"]), out, FORMATS)
        big = read_json(graphs["A"])
        big.graph["padding"] = "x" * size  # graph.json alone now needs more than is left
        monkeypatch.setattr(kg.pipeline, "build", lambda *a, **k: BuildResult(big, ReadReport(files_read=1), "m"))
        code = main(["build", "corpus", "--out", str(out), "--no-cache", "-q", "--format", *FORMATS])
        err = capsys.readouterr().err
        assert code == 2
        assert err.startswith(f"kg: error: cannot write {out}/graph.") and "No space left on device" in err, err
        assert f"{out} still holds the previous build" in err and ".kg-staging" not in err
        assert_one_build(out, reference, "A")
        assert leftovers(out) == []


def test_a_full_disk_simulated(tmp_path, graphs, reference, monkeypatch):
    """The same without root: the third file of the build fails as a full disk would, halfway through."""
    import kg.export.files as files

    out = tmp_path / "out"
    write_formats(read_json(graphs["A"]), out, FORMATS)
    real_payloads, calls = files._payloads, []

    def payloads(data):
        calls.append(1)
        for payload in real_payloads(data):
            if len(calls) == 3:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            yield payload

    monkeypatch.setattr(files, "_payloads", payloads)
    with pytest.raises(OutputError, match=rf"cannot write {out}/\S+: No space left on device; {out} still holds"):
        write_formats(read_json(graphs["B"]), out, FORMATS)
    assert_one_build(out, reference, "A")
    assert leftovers(out) == []


def test_a_build_with_fewer_formats_removes_the_previous_builds_other_files(tmp_path, graphs, reference):
    out = tmp_path / "out"
    write_formats(read_json(graphs["A"]), out, FORMATS)
    (out / "notes.txt").write_text("mine")  # not kg's: stays
    write_formats(read_json(graphs["B"]), out, ["json"])
    assert sorted(files_in(out)) == [MANIFEST, "graph.json", "notes.txt"]
    assert (out / "graph.json").read_bytes() == reference["B"]["graph.json"]
    assert manifest_problems(out) == []


def test_the_manifest_lists_every_file_with_its_hash(tmp_path, graphs, reference):
    out = tmp_path / "out"
    write_formats(read_json(graphs["A"]), out, FORMATS)
    manifest = read_manifest(out)
    assert sorted(manifest["files"]) == sorted(set(reference["A"]) - {MANIFEST})
    for name, entry in manifest["files"].items():
        assert entry == {"bytes": (out / name).stat().st_size, "sha256": file_digest(out / name)}
    (out / "graph.gexf").write_text("edited")
    assert manifest_problems(out) == [f"{out / 'graph.gexf'}: not the file of this build"]
    assert json.loads((out / MANIFEST).read_text())["format"] == 1
