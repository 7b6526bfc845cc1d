"""Load and validate the gazetteer: canonical names, kinds and aliases of known entities."""
from __future__ import annotations

import csv
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

from kg.errors import KGError
from kg.names import TypoIndex, name_key
from kg.records import ENTITY_KINDS
from kg.text import remove_controls

log = logging.getLogger(__name__)

COLUMNS = ("name", "kind", "aliases")
ALIAS_SEPARATOR = "|"


class GazetteerError(KGError):
    """A gazetteer file cannot be used: it names the file, the line and what was expected."""


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    kind: str
    aliases: tuple[str, ...]
    description: str = ""
    origin: str = ""  # "file:line", for messages

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


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
                aliases = tuple(dict.fromkeys(known.aliases + entry.aliases))
                merged[entry.name] = GazetteerEntry(known.name, known.kind, aliases, known.description, known.origin)
    return build_gazetteer(merged.values())


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
    try:
        if path.exists() and not path.is_file():  # a pipe would block the read
            raise GazetteerError(f"{path}: not a regular file; expected a gazetteer CSV")
        text = remove_controls(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise GazetteerError(f"{path}: no such gazetteer file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise GazetteerError(f"{path}: cannot read gazetteer file ({err})") from None
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
        aliases = tuple(
            dict.fromkeys(a.strip() for a in (row.get("aliases") or "").split(ALIAS_SEPARATOR) if a.strip() and a.strip() != name)
        )
        entries.append(GazetteerEntry(name, kind, aliases, (row.get("description") or "").strip(), f"{path.name}:{line}"))
    return entries
