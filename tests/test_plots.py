"""kg.plots: the timeline PNG is written, valid, deterministic, and survives awkward traces."""
from __future__ import annotations

import struct
from pathlib import Path

import networkx as nx
import pytest

from kg.export.json import read_json
from kg.graph import documents_of
from kg.plots import MAX_ACTORS, MAX_DOCUMENTS, _title, timeline_figure, write_timeline
from kg.queries import find_entity

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which a valid PNG has first."""
    assert data.startswith(PNG_SIGNATURE)
    length, chunk = struct.unpack(">I4s", data[8:16])
    assert chunk == b"IHDR" and length == 13
    return struct.unpack(">II", data[16:24])


def ink(path: Path) -> float:
    """Share of pixels that are not white: a blank canvas scores 0."""
    from matplotlib.image import imread

    pixels = imread(path)[..., :3]
    return float((pixels.sum(axis=2) < 2.9).mean())


@pytest.fixture(scope="module")
def sample_graph(sample_build, tmp_path_factory) -> nx.MultiDiGraph:
    return read_json(sample_build[1])


def test_outer_mongolia_timeline_is_a_real_png(sample_graph, tmp_path):
    path = write_timeline(sample_graph, find_entity(sample_graph, "Outer Mongolia"), tmp_path / "timeline.png")
    data = path.read_bytes()
    width, height = png_size(data)
    assert 800 <= width <= 3000 and 400 <= height <= 3000
    assert len(data) > 20_000
    assert 0.02 < ink(path) < 0.6
    assert data.endswith(b"IEND\xaeB`\x82")


def test_timeline_is_byte_for_byte_deterministic(sample_graph, tmp_path):
    entity = find_entity(sample_graph, "Stalin")
    first = write_timeline(sample_graph, entity, tmp_path / "a.png").read_bytes()
    second = write_timeline(sample_graph, entity, tmp_path / "b.png").read_bytes()
    assert first == second
    assert b"Matplotlib version" not in first  # no software stamp that would change with an upgrade


def test_timeline_figure_lists_every_document_and_actor(sample_graph):
    entity = find_entity(sample_graph, "Outer Mongolia")
    fig = timeline_figure(sample_graph, entity)
    overview, grid = fig.axes
    texts = [t.get_text() for t in grid.texts]
    assert "1935-09-13" in texts and "Politburo Decisions of 13 September 1935 Concerning Xinjiang" in texts
    columns = [t.get_text() for t in grid.get_xticklabels()]
    assert {"Joseph Stalin", "T. V. Soong", "Politburo"} <= set(columns)
    assert "Outer Mongolia" not in columns
    assert fig.get_suptitle().startswith("Outer Mongolia (place): ")


def _synthetic(documents: int, actors: int, *, undated: int = 0) -> nx.MultiDiGraph:
    """One topic named by ``documents`` documents, each naming a few of ``actors`` people."""
    graph = nx.MultiDiGraph()
    graph.add_node("topic:t", kind="topic", label="A topic", aliases=[], first_date="1950-01-01",
                   last_date="1959-12-01", document_count=documents + undated)
    for a in range(actors):
        graph.add_node(f"person:p{a:03d}", kind="person", label=f"Person {a}", aliases=[])
    for i in range(documents + undated):
        doc = f"doc-{i:04d}"
        date = "" if i >= documents else f"{1950 + i % 10}-{1 + i % 12:02d}" + ("" if i % 3 else f"-{1 + i % 28:02d}")
        graph.add_node(doc, kind="document", label=f"Document {i} " + "x" * (i % 90), title=f"Document {i} " + "x" * (i % 90),
                       date=date, date_precision="" if not date else "month" if len(date) == 7 else "day")
        graph.add_edge(doc, "topic:t", key="mentions", relation="mentions", weight=1)
        for a in {i % max(actors, 1), (i * 7) % max(actors, 1)} if actors else ():
            graph.add_edge(doc, f"person:p{a:03d}", key="mentions", relation="mentions", weight=1)
    return graph


@pytest.mark.parametrize("documents, actors, undated", [(1, 0, 0), (0, 0, 2), (3, 1, 1), (MAX_DOCUMENTS + 20, 40, 3)])
def test_awkward_traces_still_draw(tmp_path, documents, actors, undated):
    graph = _synthetic(documents, actors, undated=undated)
    path = write_timeline(graph, "topic:t", tmp_path / "t.png")
    width, height = png_size(path.read_bytes())
    assert width > 500 and height > 300
    fig = timeline_figure(graph, "topic:t")
    grid = fig.axes[1]
    assert len(grid.get_xticklabels()) == min(actors, MAX_ACTORS)
    shown = min(documents + undated, MAX_DOCUMENTS)
    assert sum(1 for t in grid.texts if t.get_text().startswith("Document ")) == shown
    if documents + undated > MAX_DOCUMENTS or actors > MAX_ACTORS:
        assert "not shown" in fig.get_supxlabel() or "only the first" in fig.get_supxlabel()


def test_an_issue_timeline_shades_its_period_and_sets_cue_links_in_italic(sample_graph, tmp_path):
    entity = find_entity(sample_graph, "Mongolian independence")
    fig = timeline_figure(sample_graph, entity)
    overview, grid = fig.axes
    (period,) = overview.patches  # the shaded period, one span
    low, high = overview.get_xlim()
    left, right = period.get_x(), period.get_x() + period.get_width()
    assert low <= left < right <= high
    assert "shaded: the issue's period" in fig.get_supxlabel()
    docs = documents_of(sample_graph, entity)
    titles = grid.texts[1::2]  # each row: its date, then its title
    assert [t.get_text() for t in titles] == [_title(sample_graph, d) for d in docs]
    bases = [(sample_graph.get_edge_data(d, entity, "about") or {}).get("basis", "named") for d in docs]
    assert "cues" in bases
    assert [t.get_style() for t in titles] == ["normal" if b == "named" else "italic" for b in bases]
    write_timeline(sample_graph, entity, tmp_path / "t.png")


def test_a_period_with_no_dated_document_still_draws(tmp_path):
    graph = _synthetic(0, 0, undated=2)
    graph.nodes["topic:t"]["period"] = ["1956-10-23/1956-12"]
    fig = timeline_figure(graph, "topic:t")
    assert len(fig.axes[0].patches) == 1
    write_timeline(graph, "topic:t", tmp_path / "t.png")
