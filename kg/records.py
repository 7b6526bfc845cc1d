"""Plain, frozen records passed between the pipeline stages."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

#: The fields of a document that extraction reads.
TextField = Literal["title", "summary", "text"]
#: What a resolved entity is.
EntityKind = Literal["person", "place", "organization", "topic"]
#: What found a mention: the gazetteer, the statistical model or one of kg's rules.
Finder = Literal["gazetteer", "model", "rule"]
#: What a relation between two nodes states ("wrote" joins an author to a document).
RelationKind = Literal["met", "wrote_to", "wrote"]

#: The fields of a document that extraction reads, in this order.
TEXT_FIELDS: tuple[TextField, ...] = get_args(TextField)
ENTITY_KINDS: tuple[EntityKind, ...] = get_args(EntityKind)
FINDERS: tuple[Finder, ...] = get_args(Finder)
RELATION_KINDS: tuple[RelationKind, ...] = get_args(RelationKind)


@dataclass(frozen=True, order=True)
class Source:
    """Where an entry was read: a file and the 1-based line its entry starts on."""

    path: str
    line: int


@dataclass(frozen=True)
class DocumentDate:
    """An archive date as written, and what could be known from it."""

    text: str
    iso: str | None = None  # "1945-07-12", "1945-07" or "1945"
    precision: str | None = None  # "day", "month" or "year"
    until: str | None = None  # end of a range such as "1949-1950"
    approximate: bool = False  # "c. 1950"


@dataclass(frozen=True)
class Document:
    """One archival document: a search-result entry or a single-document page."""

    doc_id: str
    title: str
    date: DocumentDate
    summary: str = ""
    text: str = ""  # the full body, for single-document pages
    url: str = ""
    truncated: bool = False
    sources: tuple[Source, ...] = ()

    def field_text(self, name: TextField) -> str:
        return getattr(self, name)


@dataclass(frozen=True)
class Skip:
    """An entry or file that was read but could not become a document, and why."""

    path: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Mention:
    """A span of a document field that names an entity.

    ``finder`` says what found it: ``gazetteer``, ``model`` or ``rule``.
    ``gazetteer_name`` is the canonical name when the gazetteer knows the span.
    ``norm`` is a normalized form where extraction has one (the lemma of a phrase).
    ``entity_id`` is set by resolution.
    """

    doc_id: str
    field: TextField
    start: int
    end: int
    text: str
    kind: EntityKind
    finder: Finder
    gazetteer_name: str | None = None
    norm: str = ""  # a normalized form, e.g. the lemma of a topic phrase
    entity_id: str | None = None


@dataclass(frozen=True)
class Entity:
    """A resolved real-world thing: one node per person, place, organization or topic."""

    entity_id: str
    kind: EntityKind
    label: str
    aliases: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Relation:
    """A ``met`` or ``wrote_to`` relation between two entities, stated by one document."""

    relation: RelationKind
    source: str
    target: str
    doc_id: str
    evidence: str
    field: TextField = "title"


@dataclass(frozen=True)
class ReadReport:
    """What reading a corpus did: counts, and every skipped entry or file with its reason."""

    files_read: int = 0
    entries: int = 0
    documents: int = 0
    duplicates_merged: int = 0
    truncated: int = 0
    skipped: tuple[Skip, ...] = ()
    warnings: tuple[Skip, ...] = ()
    undated: int = 0
    files: tuple[str, ...] = field(default=(), repr=False)
