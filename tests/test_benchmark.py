"""The benchmark runs end to end at a small size and writes its table (no figure is asserted)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.benchmark


def test_synthetic_pages_are_deterministic_and_shaped_like_the_archive(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from synthetic import write_pages
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    first = write_pages(tmp_path / "a", 50, seed=7)
    second = write_pages(tmp_path / "b", 50, seed=7)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    page = first[0].read_text(encoding="utf-8").splitlines()
    assert page[0] == "Skip to content" and " of " in page[3]

    from kg.corpus import read_corpus

    corpus = read_corpus([tmp_path / "a"])
    assert corpus.report.documents == 50
    assert corpus.report.entries == corpus.report.documents + corpus.report.duplicates_merged
    assert not corpus.report.skipped


def test_benchmark_completes_and_writes_its_table(tmp_path):
    """The issue's CI smoke test: the 1k size, end to end: both bare passes, every export, jobs 2, Dask, rebuild."""
    out = tmp_path / "results.md"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "1000", "--out", str(out),
         "--work", str(tmp_path / "work"), "--dask", "2"],
        check=True, timeout=1800,
    )
    table = out.read_text(encoding="utf-8")
    for heading in ("| documents |", "bare, full pipeline", "bare, kg's components", "kg / bare full",
                    "jobs 2 extraction speed-up", "rebuild / cold", "peak RSS kg build", "client peak RSS"):
        assert heading in table, heading
    assert all(f"export {name}" in table for name in ("csv", "gexf", "graphml", "html", "json"))
    results = json.loads(out.with_suffix(".json").read_text())["results"]
    assert [r["size"] for r in results] == [1000]
    result = results[0]
    assert result["bare"]["full"]["components"] != result["bare"]["kg"]["components"]
    assert "parser" in result["bare"]["full"]["components"] and "parser" not in result["bare"]["kg"]["components"]
    assert result["warm"]["extracted"] >= 10  # the added page, and no more than a few others
    # The parallel and Dask builds wrote the same bytes as the one-process build.
    assert result["jobs2"]["outputs"] == result["dask"]["outputs"] == result["cold"]["outputs"]
    assert result["cold"]["extracted"] == result["jobs2"]["extracted"] == 1000


def test_a_build_only_size_joins_the_report_in_a_table_of_its_own(tmp_path):
    """``--build-only --merge``: one jobs-1 build with every format at a large size, beside the sizes measured."""
    out = tmp_path / "results.md"
    run = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--out", str(out), "--work", str(tmp_path / "work")]
    subprocess.run([*run, "--sizes", "120"], check=True, timeout=1800)
    subprocess.run([*run, "--sizes", "150", "--build-only", "--merge"], check=True, timeout=1800)
    results = json.loads(out.with_suffix(".json").read_text())["results"]
    assert [(r["size"], bool(r.get("build_only"))) for r in results] == [(120, False), (150, True)]
    large = results[1]["cold"]
    assert large["documents"] == 150 and set(large["exports"]) == {"csv", "gexf", "graphml", "html", "json"}
    table = out.read_text(encoding="utf-8")
    assert "## Large corpora" in table and "| 150 |" in table and "| 120 |" in table
