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
#: Why a document is about an issue: it names it, its cues link it, or a narrower issue does (kg.issues).
IssueBasis = Literal["named", "cues", "part"]

#: The fields of a document that extraction reads, in this order.
TEXT_FIELDS: tuple[TextField, ...] = get_args(TextField)
ENTITY_KINDS: tuple[EntityKind, ...] = get_args(EntityKind)
FINDERS: tuple[Finder, ...] = get_args(Finder)
RELATION_KINDS: tuple[RelationKind, ...] = get_args(RelationKind)
ISSUE_BASES: tuple[IssueBasis, ...] = get_args(IssueBasis)

# Why resolution joined a spelling to its entity: the ``rule`` of a mention and of an alias.
GAZETTEER_NAME = "gazetteer name"  # the gazetteer's canonical name
GAZETTEER_ALIAS = "gazetteer alias"  # one of the gazetteer's other names for the entity
INITIALS = "initials"  # "P. F. Yudin": the one known person with that surname and first initial
SURNAME_IN_DOCUMENT = "surname in the same document"  # the one full name with that surname there
SURNAME_IN_CORPUS = "surname in the corpus"  # the one full name with that surname anywhere
SURNAME_IN_GAZETTEER = "surname in the gazetteer"  # named nowhere in full: the one known person so called
BRACKET = "bracketed identification"  # "Filippov [Stalin]"
GLOSS = "acronym glossed in the corpus"  # "ETR", written "East Turkestan Republic (ETR)" somewhere
BODY_WORDS = "same body in other words"  # "the RWP Politburo" = "the Political Bureau of the CC of the RWP"
SHORT_NAME_IN_DOCUMENT = "short name in the same document"  # "the Embassy": the one longer name there
SHORT_NAME_IN_CORPUS = "short name in the corpus"  # "36th Division": the one longer name anywhere
BODY_OF_PARTY = "body of the party the document names"  # "the Politburo" of a document on the CCP
NARROWED_TOPIC = "topic the document's issue narrows"  # "the border clashes" in 1969: the border conflict (kg.issues)
CORRECTION = "correction"  # a row of a corrections file (kg.curate)
OWN_SPELLING = "own spelling"  # nothing joined it to another name: a node of its own
TYPO_RULE = "typo within {edits} edit{s}"  # "Chian Kai-Shek": one known name that close


def typo_rule(edits: int) -> str:
    """The rule of a name joined as a typo ``edits`` edits from the name it joined."""
    return TYPO_RULE.format(edits=edits, s="" if edits == 1 else "s")


def is_typo_rule(rule: str) -> bool:
    return rule.startswith(TYPO_RULE.partition("{")[0])


#: The rules in the order resolution tries them (typos by their edits, where ``TYPO_RULE`` stands).
RULES = (GAZETTEER_NAME, GAZETTEER_ALIAS, GLOSS, BRACKET, INITIALS, TYPO_RULE, SURNAME_IN_DOCUMENT,
         SURNAME_IN_CORPUS, SURNAME_IN_GAZETTEER, BODY_WORDS, SHORT_NAME_IN_DOCUMENT, SHORT_NAME_IN_CORPUS,
         BODY_OF_PARTY, NARROWED_TOPIC, OWN_SPELLING, CORRECTION)


def rule_order(rule: str) -> tuple[int, str]:
    """Sort key of a rule name: the order of ``RULES``, unknown names last."""
    if is_typo_rule(rule):
        return RULES.index(TYPO_RULE), rule
    return (RULES.index(rule) if rule in RULES else len(RULES)), rule


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
    ``entity_id`` is set by resolution, and ``rule``: why the span joined that entity
    (one of the rule names above: ``SURNAME_IN_DOCUMENT``, ``typo_rule(1)``, ...).
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
    rule: str = ""


@dataclass(frozen=True)
class AliasRule:
    """Why an alias belongs to its entity: a rule that joined it, and the documents where it did.

    A gazetteer alias the corpus never uses has no documents.
    """

    alias: str
    rule: str
    documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entity:
    """A resolved real-world thing: one node per person, place, organization or topic.

    ``alias_rules`` says, for each alias, by which rules and in which documents it was
    joined (one record per alias and rule); ``in_gazetteer`` is True for the gazetteer's entities.
    """

    entity_id: str
    kind: EntityKind
    label: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    alias_rules: tuple[AliasRule, ...] = ()
    in_gazetteer: bool = False
    period: tuple[str, ...] = ()  # issues: when they were live, "FIRST/LAST" ISO dates (see kg.issues)


@dataclass(frozen=True)
class Relation:
    """A ``met`` or ``wrote_to`` relation between two entities, stated by one document.

    ``field`` is where the document states it, or "correction" when a corrections file adds it.
    """

    relation: RelationKind
    source: str
    target: str
    doc_id: str
    evidence: str
    field: TextField | Literal["correction"] = "title"


@dataclass(frozen=True)
class IssueLink:
    """A document is about an issue, and why."""

    doc_id: str
    entity_id: str
    basis: IssueBasis
    words: tuple[str, ...] = ()  # the names written, the cue words found, or the narrower issues
    entities: tuple[str, ...] = ()  # labels of the involved entities found next to the cues

    @property
    def evidence(self) -> str:
        """One line a historian can judge the link by."""
        quoted = ", ".join(f'"{w}"' for w in self.words)
        if self.basis == "named":
            return f"names it: {quoted}"
        if self.basis == "part":
            return f"about {', '.join(self.words)}, part of it"
        return f"cues {quoted} next to {', '.join(self.entities)}"


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
