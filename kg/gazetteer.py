"""Load and validate the gazetteer: canonical names, kinds and aliases of known entities, and the cues of issues.

A row is ``name,kind,aliases[,description]``; topic rows may add the columns that make
an issue traceable when its name is not written (see ``kg.issues``):

``period``    when the issue was live: FIRST/LAST as ISO dates at any precision
              ("1956-10-23/1956-12"), or one date for all it covers ("1969-03");
              several periods are "|"-separated
``involves``  the entities it involves, "|"-separated ("Hungary|Budapest|Imre Nagy"); a
              word the gazetteer does not know as a name ("Hungarian") is matched as written
``cues``      words that describe it ("uprising|counter-revolution*|situation"): a trailing
              "*" matches any ending, and a regular plural matches too
``narrows``   gazetteer topics that, in a document about this issue, mean it: a generic
              one ("border dispute") or one of the same name from another time ("Geneva
              Conference"); their names are cues too
``part_of``   broader issues: a document about this issue is about them too
"""
from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from importlib import resources
from pathlib import Path

from kg.dates import day_span
from kg.errors import KGError
from kg.names import TypoIndex, name_key
from kg.records import ENTITY_KINDS
from kg.text import read_user_csv

log = logging.getLogger(__name__)

COLUMNS = ("name", "kind", "aliases")
ISSUE_COLUMNS = ("period", "involves", "cues", "narrows", "part_of")
ALIAS_SEPARATOR = "|"
_ISO = r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?"
_PERIOD = re.compile(rf"^({_ISO})(?:/({_ISO}))?$")


class GazetteerError(KGError):
    """A gazetteer file cannot be used: it names the file, the line and what was expected."""


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    kind: str
    aliases: tuple[str, ...]
    description: str = ""
    origin: str = ""  # "file:line", for messages
    #: an issue's cues (topics only, see the module docstring): its periods as (first, last)
    #: ISO dates, the entities it involves, its describing words, the topics it narrows, the broader issues
    period: tuple[tuple[str, str], ...] = ()
    involves: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    narrows: tuple[str, ...] = ()
    part_of: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def is_issue(self) -> bool:
        """A topic that documents can be about without naming it: it has cues to tell them by."""
        return bool(self.cues or self.narrows or self.part_of)


@dataclass(frozen=True)
class Gazetteer:
    """Known entities, and the index from every name's key to its entry.

    Keys that two entries claim are ambiguous: they stay out of the index, so
    neither entry is chosen by guess, and ``conflicts`` lists them.
    """

    entries: tuple[GazetteerEntry, ...]
    index: dict[str, GazetteerEntry]
    conflicts: tuple[str, ...] = ()

    def lookup(self, name: str) -> GazetteerEntry | None:
        return self.index.get(name_key(name))

    def by_name(self, canonical: str) -> GazetteerEntry | None:
        entry = self.index.get(name_key(canonical))
        return entry if entry is not None and entry.name == canonical else None

    def __len__(self) -> int:
        return len(self.entries)

    @cached_property
    def typo_index(self) -> TypoIndex:
        """Every key of the index, for finding misspelt names (built on first use: about a second)."""
        return TypoIndex(self.index)


def default_paths() -> list[Path]:
    """The gazetteer files shipped with kg (one CSV per kind)."""
    folder = resources.files("kg").joinpath("data", "gazetteer")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".csv"))


def load_gazetteer(extra: Iterable[str | Path] = (), *, include_default: bool = True) -> Gazetteer:
    """Read the shipped gazetteer and any user files; later files extend earlier ones.

    A user row with the name of a shipped entry adds its aliases to that entry.
    """
    paths = (default_paths() if include_default else []) + [Path(p) for p in extra]
    merged: dict[str, GazetteerEntry] = {}
    for path in paths:
        for entry in read_gazetteer_file(path):
            known = merged.get(entry.name)
            if known is None:
                merged[entry.name] = entry
            elif known.kind != entry.kind:
                raise GazetteerError(
                    f"{entry.origin}: {entry.name!r} is a {entry.kind} here but a {known.kind} at {known.origin}"
                )
            else:
                merged[entry.name] = _extended(known, entry)
    return build_gazetteer(merged.values())


def _extended(known: GazetteerEntry, extra: GazetteerEntry) -> GazetteerEntry:
    """``known`` with the aliases and cues of a later row of the same name; its period, if it gives one."""
    def more(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a + b))

    return replace(
        known, aliases=more(known.aliases, extra.aliases), period=extra.period or known.period,
        involves=more(known.involves, extra.involves), cues=more(known.cues, extra.cues),
        narrows=more(known.narrows, extra.narrows), part_of=more(known.part_of, extra.part_of),
    )


def build_gazetteer(entries: Iterable[GazetteerEntry]) -> Gazetteer:
    entries = tuple(sorted(entries, key=lambda e: (e.kind, e.name)))
    owners: dict[str, set[str]] = {}
    by_name = {e.name: e for e in entries}
    for entry in entries:
        for name in entry.names:
            key = name_key(name)
            if key:
                owners.setdefault(key, set()).add(entry.name)
    index, conflicts = {}, []
    for key, names in sorted(owners.items()):
        if len(names) == 1:
            index[key] = by_name[next(iter(names))]
            continue
        # A canonical name beats another entry's alias; two aliases cancel out.
        canonical = [n for n in names if name_key(n) == key]
        if len(canonical) == 1:
            index[key] = by_name[canonical[0]]
        conflicts.append(
            f"{key!r} is claimed by " + ", ".join(f"{n!r} ({by_name[n].origin})" for n in sorted(names))
        )
    for message in conflicts:
        log.warning("gazetteer: %s", message)
    return Gazetteer(entries, index, tuple(conflicts))


def read_gazetteer_file(path: str | Path) -> list[GazetteerEntry]:
    """Rows of one gazetteer CSV (``name,kind,aliases[,description]``), validated."""
    path = Path(path)
    text = read_user_csv(path, kind="gazetteer", error=GazetteerError)
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise GazetteerError(
            f"{path}:1: missing column(s) {', '.join(missing)}; expected a header name,kind,aliases[,description]"
        )
    entries = []
    for row in reader:
        line = reader.line_num
        name = (row.get("name") or "").strip()
        kind = (row.get("kind") or "").strip().lower()
        if not name:
            raise GazetteerError(f"{path}:{line}: empty name")
        if kind not in ENTITY_KINDS:
            raise GazetteerError(f"{path}:{line}: kind {kind!r} for {name!r}; expected one of {', '.join(ENTITY_KINDS)}")
        aliases = tuple(a for a in _listed(row.get("aliases")) if a != name)
        where = f"{path}:{line}"
        cues = {column: _listed(row.get(column)) for column in ISSUE_COLUMNS[1:]}
        period = _period(row.get("period"), where, name)
        if kind != "topic" and (period or any(cues.values())):
            raise GazetteerError(f"{where}: {name!r} is a {kind}; only topics have a period, involves, cues, narrows or part_of")
        if any(cue.endswith("*") and len(cue.rstrip("*").split()[-1] if cue.rstrip("*").split() else "") < 3
               for cue in cues["cues"]):
            raise GazetteerError(
                f"{where}: a cue of {name!r} ends in '*' after fewer than 3 letters; "
                "expected a word, or the first 3 letters or more of one and '*'"
            )
        entries.append(GazetteerEntry(
            name, kind, aliases, (row.get("description") or "").strip(), f"{path.name}:{line}", period, **cues,
        ))
    return entries


def _listed(cell: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(" ".join(a.split()) for a in (cell or "").split(ALIAS_SEPARATOR) if a.strip()))


def _period(cell: str | None, where: str, name: str) -> tuple[tuple[str, str], ...]:
    """ "1956-10-23/1956-12" -> (("1956-10-23", "1956-12"),); "1969-03" -> (("1969-03", "1969-03"),); () for none."""
    periods = []
    for text in _listed(cell):
        match = _PERIOD.match(text.replace(" ", ""))
        if match is None:
            raise GazetteerError(
                f"{where}: period {text!r} of {name!r}; expected FIRST/LAST as ISO dates, e.g. 1956-10-23/1956-12, or one date"
            )
        first, last = match.group(1), match.group(2) or match.group(1)
        if day_span(first)[0] > day_span(last)[1]:
            raise GazetteerError(f"{where}: period {text!r} of {name!r} ends before it begins")
        periods.append((first, last))
    return tuple(periods)
