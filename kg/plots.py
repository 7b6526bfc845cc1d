"""Draw an entity's documents on a timeline with the actors each names, and an issue's period (matplotlib, never a display)."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from kg.export.files import atomic_write
from kg.export.style import kind_color
from kg.graph import ACTOR_KINDS, documents_of, entities_of

#: Beyond these the chart would be unreadable; the footnote says what was left out.
MAX_DOCUMENTS = 150
MAX_ACTORS = 18
TITLE_LENGTH = 64
COLUMN = 0.42  # inches between actor columns
DPI = 110
_INK, _MUTED, _RULE = "#1d2733", "#5b6775", "#dde1e6"
_PERIOD = "#f3e3b5"


def timeline_figure(graph: nx.MultiDiGraph, entity: str) -> Figure:
    """A figure of every document about ``entity``: when it was written and which actors it names.

    The top panel places the documents on a true date axis, so gaps of years show as
    gaps; the grid below lists them one per row in date order (legible even when many
    fall in the same week) with a dot under each person or organization a row names.
    """
    data = graph.nodes[entity]
    docs = documents_of(graph, entity)
    shown = docs[:MAX_DOCUMENTS]
    actors = _actors(graph, entity, shown)
    columns = actors[:MAX_ACTORS]
    # The grid is one axes, so that the row banding runs unbroken from a title to its
    # dots: columns are COLUMN inches apart and the titles get LABEL columns to the left.
    label_inches = 1.2 + 0.072 * max((len(_title(graph, d)) for d in shown), default=24)
    label_columns = label_inches / COLUMN
    grid_height = (1.7 if columns else 0.5) + 0.3 * max(len(shown), 1)
    width = label_inches + COLUMN * _dot_columns(columns) + 1.6
    fig = Figure(figsize=(max(width, 9.0), 0.5 + 1.6 + grid_height + 0.3), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    fig.suptitle(_heading(data, docs), x=0.01, ha="left", fontsize=13, fontweight="bold", color=_INK)
    overview, grid = fig.subplots(2, 1, height_ratios=[1.6, grid_height])
    _draw_overview(overview, graph, docs, fig.get_figwidth(), _periods(data))
    inferred = {d for d in shown if (graph.get_edge_data(d, entity, "about") or {}).get("basis", "named") != "named"}
    _draw_grid(grid, graph, shown, columns, label_columns, inferred)
    notes = []
    if len(docs) > len(shown):
        notes.append(f"only the first {len(shown)} of {len(docs)} documents are listed")
    if len(actors) > len(columns):
        notes.append(f"{len(actors) - len(columns)} less frequent actor(s) not shown")
    notes.append("hollow dot: date known only to the month or year")
    if _periods(data):
        notes.append("shaded: the issue's period in the gazetteer")
    if inferred:
        notes.append("italic: linked by the issue's cues or a narrower issue, not by its name")
    # supxlabel, unlike a free text, gets room of its own from the constrained layout
    fig.supxlabel("; ".join(notes).capitalize() + ".", x=0.01, ha="left", fontsize=8, color=_MUTED)
    return fig


def write_timeline(graph: nx.MultiDiGraph, entity: str, path: str | Path) -> Path:
    """Write ``timeline_figure`` as a PNG at ``path`` (no software version in it: same graph, same bytes)."""
    fig = timeline_figure(graph, entity)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return atomic_write(path, buffer.getvalue())


# -- pieces -------------------------------------------------------------------------------------
def _heading(data: dict, docs: list[str]) -> str:
    count = f"{len(docs)} document{'s' if len(docs) != 1 else ''}"
    first, last = data.get("first_date", ""), data.get("last_date", "")
    span = "" if not first else f", {first}" if first == last else f", {first} to {last}"
    return f"{data['label']} ({data['kind']}): {count}{span}"


def _actors(graph: nx.MultiDiGraph, entity: str, docs: list[str]) -> list[str]:
    """People and organizations named in ``docs``, the most frequent first."""
    counts: dict[str, int] = {}
    for doc in docs:
        for actor in entities_of(graph, doc, ACTOR_KINDS):
            if actor != entity:
                counts[actor] = counts.get(actor, 0) + 1
    return sorted(counts, key=lambda a: (-counts[a], graph.nodes[a]["label"], a))


def _title(graph: nx.MultiDiGraph, doc: str) -> str:
    data = graph.nodes[doc]
    title = " ".join(str(data.get("title") or data.get("label") or doc).split())
    return title if len(title) <= TITLE_LENGTH else title[: TITLE_LENGTH - 1].rstrip(" ,;:") + "…"


def _dot_columns(actors: list[str]) -> int:
    """Columns of the dots area; with no actors, room for the sentence saying so."""
    return len(actors) if actors else 6


def _when(iso: str) -> dt.date | None:
    """The first day of the period an ISO date names ("1945-07" -> 1 July 1945)."""
    if not iso:
        return None
    parts = [int(p) for p in iso.split("-")]
    return dt.date(parts[0], *(parts[1:] + [1, 1])[:2])


def _periods(data: dict) -> list[tuple[dt.date, dt.date]]:
    """An issue's periods ("1956-10-23/1956-12-31") as (first day, last day)."""
    out = []
    for period in data.get("period") or ():
        first, last = period.split("/")
        out.append((_when(first), _last_day(last)))
    return out


def _last_day(iso: str) -> dt.date:
    """The last day of the period an ISO date names ("1956-12" -> 31 December 1956)."""
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    year, month = parts[0], parts[1] if len(parts) == 2 else 12
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _draw_overview(ax, graph: nx.MultiDiGraph, docs: list[str], inches: float,
                   periods: list[tuple[dt.date, dt.date]] = ()) -> None:
    ax.set_title("When", loc="left", fontsize=10, color=_MUTED)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.set_yticks([])
    dated = [d for d in docs if graph.nodes[d]["date"]]
    if not dated and not periods:
        ax.set_xticks([])
        ax.spines["bottom"].set_visible(False)
        ax.text(0.5, 0.5, "no dated documents", transform=ax.transAxes, ha="center", va="center", color=_MUTED)
        return
    spans = [(date2num(first), date2num(last)) for first, last in periods]
    for first, last in spans:
        # An issue's period, behind the dots: documents inside it could be linked by its cues.
        ax.axvspan(first, max(last, first + 1), color=_PERIOD, linewidth=0, zorder=1)
    xs = [date2num(_when(graph.nodes[d]["date"])) for d in dated]
    ends = xs + [x for span in spans for x in span]
    low, high = min(ends), max(ends)
    pad = max((high - low) * 0.05, 120.0)  # days; a lone date gets months around it
    # Documents closer than a marker's width would hide each other: they are stacked.
    near = (high - low + 2 * pad) / 90
    stacks: list[list[int]] = []
    for i, x in enumerate(xs):  # xs is in date order
        if stacks and x - xs[stacks[-1][0]] < near:
            stacks[-1].append(i)
        else:
            stacks.append([i])
    tallest = max((len(stack) for stack in stacks), default=1)
    size = max(2.0, min(7.0, 64 / tallest))  # a tall stack gets smaller dots, so that it fits
    for stack in stacks:
        for level, i in enumerate(stack):
            exact = graph.nodes[dated[i]].get("date_precision") == "day"
            ax.plot(xs[stack[0]], level, "o", markersize=size, markeredgewidth=min(1.4, size / 5),
                    markeredgecolor=_INK, markerfacecolor=_INK if exact else "white", zorder=3)
    ax.set_xlim(low - pad, high + pad)
    ax.set_ylim(-0.8, tallest - 1 + max(1.4, tallest * 0.35))
    # Each stack is labelled with the dates it spans, the biggest stacks first, as long
    # as a label does not run into one already placed (estimated at 8 pt: 0.062 in a character).
    taken: list[tuple[float, float]] = []
    for stack in sorted(stacks, key=lambda st: (-len(st), xs[st[0]])):
        first, last = graph.nodes[dated[stack[0]]]["date"], graph.nodes[dated[stack[-1]]]["date"]
        text = (first if first == last else f"{first} to {last}") + (f" ({len(stack)})" if len(stack) > 1 else "")
        where = (xs[stack[0]] - low + pad) / (high - low + 2 * pad)
        half = 0.062 * (len(text) + 2) / inches / 2
        # a label near either end of the axis is aligned inwards so that it is not cut off
        align = "left" if where < half else "right" if where > 1 - half else "center"
        span = {"left": (where, where + 2 * half), "right": (where - 2 * half, where),
                "center": (where - half, where + half)}[align]
        if any(span[0] < b and a < span[1] for a, b in taken):
            continue
        taken.append(span)
        ax.annotate(text, (xs[stack[0]], len(stack) - 1), xytext=({"left": -4, "right": 4, "center": 0}[align], 9),
                    textcoords="offset points", ha=align, va="bottom", fontsize=8, color=_INK)
    locator = AutoDateLocator(minticks=3, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.tick_params(axis="x", labelsize=9, colors=_INK)
    ax.spines["bottom"].set_color(_MUTED)


def _draw_grid(ax, graph: nx.MultiDiGraph, docs: list[str], actors: list[str], label_columns: float,
               inferred: set[str] = frozenset()) -> None:
    ax.set_title("Documents, and the people and organizations they name", loc="left", fontsize=10, color=_MUTED)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.tick_params(axis="both", length=0)
    rows = max(len(docs), 1)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_yticks([])
    ax.set_xlim(-0.6 - label_columns, _dot_columns(actors) - 0.4)
    for row in range(0, rows, 2):  # banding guides the eye from a title to its dots
        ax.axhspan(row - 0.5, row + 0.5, color="#eef1f5", zorder=0, linewidth=0)
    for row, doc in enumerate(docs):
        where = {"xy": (0, row), "xycoords": ("axes fraction", "data"), "textcoords": "offset points",
                 "va": "center", "ha": "left", "fontsize": 9, "color": _INK}
        ax.annotate(graph.nodes[doc]["date"] or "undated", xytext=(5, 0), family="monospace", **where)
        ax.annotate(_title(graph, doc), xytext=(5 + 66, 0), style="italic" if doc in inferred else "normal", **where)
    if not actors:
        ax.set_xticks([])
        ax.text((_dot_columns(actors) - 1) / 2, (rows - 1) / 2, "no people or organizations named", ha="center",
                va="center", color=_MUTED, fontsize=9)
        return
    ax.xaxis.tick_top()
    ax.set_xticks(range(len(actors)), [graph.nodes[a]["label"] for a in actors], rotation=40, ha="left",
                  rotation_mode="anchor", fontsize=9, color=_INK)
    for column in range(len(actors)):
        ax.axvline(column, color=_RULE, linewidth=0.8, zorder=1)
    column_of = {a: i for i, a in enumerate(actors)}
    for row, doc in enumerate(docs):
        for actor in entities_of(graph, doc, ACTOR_KINDS):
            if actor in column_of:
                ax.plot(column_of[actor], row, "o", markersize=9, color=kind_color(graph.nodes[actor]["kind"]),
                        markeredgecolor=_INK, markeredgewidth=0.6, zorder=3)
    kinds = [k for k in ACTOR_KINDS if any(graph.nodes[a]["kind"] == k for a in actors)]
    handles = [Line2D([], [], marker="o", linestyle="", markersize=8, color=kind_color(k), markeredgecolor=_INK,
                      markeredgewidth=0.6, label=k) for k in kinds]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
