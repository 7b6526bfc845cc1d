"""The decisions of a built graph worth a human look, most consequential first, each with the row that reverses it.

``kg review`` reads graph.json and lists:

- ``surname``: a bare surname joined to the one full name with it, in the same
  document or in the corpus, or to the one person the gazetteer knows by it ("Kim"
  is Kim Il Sung);
- ``typo``: a spelling joined to a name a letter or two away ("Chian Kai-Shek");
- ``bracket``: a bracketed identification ("Filippov [Stalin]"), or an acronym
  read as the name a bracket glosses it with elsewhere;
- ``body``: a body's name joined to another name of the same body: in other words
  ("the RWP Politburo"), or short for the one longer name ("the Embassy");
- ``shared``: a name two entities claim (as label or alias);
- ``unknown``: a name the model found that the gazetteer does not know;
- ``once``: an entity the gazetteer does not know that only one document names;
- ``summary``: a meeting or letter read from a summary sentence rather than a title.

Each decision has its evidence (the documents, and the words of each that made it)
and the corrections-file rows (``kg.curate``) that undo it. Most consequential
first: the documents a decision touches plus the meetings and letters of the entity
stated in them.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import networkx as nx

from kg.curate import csv_row
from kg.names import name_key, strip_possessive
from kg.records import (
    BODY_OF_PARTY, BODY_WORDS, BRACKET, ENTITY_KINDS, GLOSS, SHORT_NAME_IN_CORPUS, SHORT_NAME_IN_DOCUMENT,
    SURNAME_IN_CORPUS, SURNAME_IN_DOCUMENT, SURNAME_IN_GAZETTEER, is_typo_rule,
)
from kg.vocabulary import Vocabulary

#: category -> what it lists, in the order ties are listed
CATEGORIES = {
    "surname": "joined by surname",
    "typo": "joined as a typo",
    "bracket": "bracketed identification",
    "body": "another name of a body",
    "shared": "name of two entities",
    "unknown": "not in the gazetteer",
    "once": "named by one document",
    "summary": "relation read from a summary",
}
RELATIONS = ("met", "wrote_to")
#: characters of context on each side of a name in its evidence
CONTEXT = 90


@dataclass(frozen=True)
class Evidence:
    document: str
    date: str
    title: str
    text: str  # the title, or the words around the name in the summary or text


@dataclass(frozen=True)
class Decision:
    """One decision to look at: what was decided, on what evidence, and the rows that reverse it."""

    category: str
    summary: str
    entity: str  # node id (for a relation: its source)
    label: str
    name: str  # the spelling decided on, or the relation
    rule: str
    documents: tuple[str, ...]
    consequence: int
    evidence: tuple[Evidence, ...]
    corrections: tuple[str, ...]

    def as_dict(self) -> dict:
        data = asdict(self)
        data["documents"] = list(self.documents)
        data["evidence"] = [asdict(e) for e in self.evidence]
        data["corrections"] = list(self.corrections)
        return data


def review(graph: nx.MultiDiGraph, *, vocabulary: Vocabulary | None = None,
           categories: Iterable[str] | None = None) -> list[Decision]:
    """Every decision worth a look, most consequential first (ties: category order, label, name)."""
    wanted = set(categories or CATEGORIES)
    unknown = wanted - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown review categories: {', '.join(sorted(unknown))}")
    reader = _Reader(graph, vocabulary or Vocabulary.load())
    found = []
    if wanted & {"surname", "typo", "bracket", "body"}:
        found += [d for d in reader.joins() if d.category in wanted]
    if "shared" in wanted:
        found += reader.shared_names()
    if wanted & {"unknown", "once"}:
        found += [d for d in reader.lone_entities() if d.category in wanted]
    if "summary" in wanted:
        found += reader.summary_relations()
    order = list(CATEGORIES)
    return sorted(found, key=lambda d: (-d.consequence, order.index(d.category), d.label, d.name, d.documents))


def to_csv(decisions: Iterable[Decision]) -> str:
    """The decisions as CSV: one row each; evidence and corrections one per line within their cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["rank", "category", "consequence", "summary", "entity", "label", "name", "rule", "documents",
                     "evidence", "corrections"])
    for rank, d in enumerate(decisions, start=1):
        evidence = "\n".join(f"{e.date or 'undated'} {e.document}: {e.text}" for e in d.evidence)
        writer.writerow([rank, d.category, d.consequence, d.summary, d.entity, d.label, d.name, d.rule,
                         "|".join(d.documents), evidence, "\n".join(d.corrections)])
    return out.getvalue()


class _Reader:
    def __init__(self, graph: nx.MultiDiGraph, vocabulary: Vocabulary) -> None:
        self.graph, self.vocabulary = graph, vocabulary
        self.entities = {n: d for n, d in graph.nodes(data=True) if d.get("kind") != "document"}
        labels: dict[str, list[str]] = defaultdict(list)
        for node, data in self.entities.items():
            labels[name_key(data.get("label", ""))].append(node)
        self.labels = labels
        # entity -> [(document, provenance)], in the graph's order
        self.mentions: dict[str, list[tuple[str, dict]]] = defaultdict(list)
        for doc, entity, key, data in graph.edges(keys=True, data=True):
            if key == "mentions":
                for span in data.get("provenance", ()):
                    self.mentions[entity].append((doc, span))
        # entity -> document -> relation statements of the entity there
        self.statements: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for source, target, key, data in graph.edges(keys=True, data=True):
            if key in RELATIONS:
                for doc in data.get("documents", ()):
                    self.statements[source][doc] += 1
                    self.statements[target][doc] += 1

    # -- the kinds of decision -------------------------------------------------------------------
    def joins(self) -> list[Decision]:
        """Mentions joined by surname, typo or bracket, grouped by entity, spelling and rule."""
        groups: dict[tuple[str, str, str], list[tuple[str, dict]]] = defaultdict(list)
        by_spelling: dict[tuple[str, str], list[tuple[str, dict]]] = defaultdict(list)
        for entity, mentions in self.mentions.items():
            for doc, span in mentions:
                spelling = self.spelling(span["text"])
                by_spelling[(entity, spelling)].append((doc, span))
                if _category(span.get("rule", "")):
                    groups[(entity, spelling, span["rule"])].append((doc, span))
        decisions = []
        for (entity, spelling, rule), mentions in groups.items():
            category = _category(rule)
            name = self.name_of(mentions)
            label = self.entities[entity]["label"]
            documents = self.in_date_order({doc for doc, _ in mentions})
            everywhere = by_spelling[(entity, spelling)]
            if all(span.get("rule") == rule for _, span in everywhere):
                corrections = (csv_row("different", name, self.reference(entity)),)
            else:  # the same spelling joined it by other rules elsewhere: only these documents
                corrections = tuple(csv_row("different", name, self.reference(entity), doc) for doc in documents)
            how = {"surname": "joined by surname", "typo": "taken as a typo of",
                   "bracket": "identified in brackets as", "body": "read as the body"}[category]
            decisions.append(Decision(
                category, f'"{name}" {how} {label} ({rule})', entity, label, name, rule, documents,
                self.consequence(entity, documents), self.evidence(mentions), corrections,
            ))
        return decisions

    def shared_names(self) -> list[Decision]:
        """Names that two or more entities claim, as label or alias."""
        claims: dict[str, set[str]] = defaultdict(set)
        spelled: dict[str, str] = {}
        for node, data in self.entities.items():
            for name in (data.get("label", ""), *data.get("aliases", ())):
                key = name_key(name)
                if key:
                    claims[key].add(node)
                    spelled.setdefault(key, name)
        decisions = []
        for key, owners in claims.items():
            if len(owners) < 2:
                continue
            owners = sorted(owners)
            name = spelled[key]
            held: dict[str, list[tuple[str, dict]]] = {
                owner: [(doc, span) for doc, span in self.mentions.get(owner, ())
                        if self.spelling(span["text"]) == self.spelling(name) or name_key(span["text"]) == key]
                for owner in owners
            }
            # The claimant most documents give the name to is taken as its meaning; the others weigh.
            main = min(owners, key=lambda o: (-len({doc for doc, _ in held[o]}), o))
            mentions = [m for owner in owners for m in held[owner]]
            documents = self.in_date_order({doc for doc, _ in mentions})
            labels = [self.entities[o]["label"] for o in owners]
            weight = 1 + sum(self.consequence(o, {doc for doc, _ in held[o]}) for o in owners if o != main)
            decisions.append(Decision(
                "shared", f'"{name}" names {" and ".join(labels)}', owners[0], labels[0], name, "",
                documents, weight, self.evidence(mentions),
                tuple(csv_row("same", name, self.reference(o)) for o in owners),
            ))
        return decisions

    def lone_entities(self) -> list[Decision]:
        """Entities one document names, and names the model found that the gazetteer does not know."""
        decisions = []
        for node, data in self.entities.items():
            mentions = self.mentions.get(node, [])
            documents = self.in_date_order({doc for doc, _ in mentions})
            label = data["label"]
            if data.get("in_gazetteer"):
                continue  # the gazetteer vouches for the name
            if len(documents) == 1:
                category, summary = "once", f"{label} ({data['kind']}) is named by one document only"
            elif any(span.get("finder") == "model" for _, span in mentions):
                category, summary = "unknown", f"{label} ({data['kind']}): found by the model, not in the gazetteer"
            else:
                continue
            reference = self.reference(node)
            corrections = (csv_row("not_a_name", label),) + tuple(
                csv_row("kind", reference, kind) for kind in ENTITY_KINDS if kind != data["kind"])
            decisions.append(Decision(category, summary, node, label, label, "", documents,
                                      self.consequence(node, documents), self.evidence(mentions), corrections))
        return decisions

    def summary_relations(self) -> list[Decision]:
        """Meetings and letters each summary sentence states."""
        decisions = []
        for source, target, key, data in self.graph.edges(keys=True, data=True):
            if key not in RELATIONS:
                continue
            fields = data.get("fields") or ()
            for doc, evidence, where in zip(data.get("documents", ()), data.get("evidence", ()), fields):
                if where != "summary":
                    continue
                a, b = self.entities[source]["label"], self.entities[target]["label"]
                verb = "met" if key == "met" else "wrote to"
                node = self.graph.nodes[doc]
                decisions.append(Decision(
                    "summary", f"{a} {verb} {b}, read from the summary", source, a, key, "", (doc,),
                    1 + (len(data["documents"]) == 1),  # the edge's only support weighs more
                    (Evidence(doc, node.get("date", ""), node.get("title", ""), evidence),),
                    (csv_row("drop", key, self.reference(source), self.reference(target), doc),),
                ))
        return decisions

    # -- helpers ------------------------------------------------------------------------------
    def spelling(self, text: str) -> str:
        """A mention's spelling as a corrections file compares it (``kg.curate``)."""
        return name_key(self.vocabulary.clean(text))

    def name_of(self, mentions: list[tuple[str, dict]]) -> str:
        """The spelling to write in a correction: the words without titles (a bracket kept whole)."""
        names = defaultdict(int)
        for _, span in mentions:
            text = span["text"]
            if "[" in text or "(" in text:
                names[strip_possessive(" ".join(text.split()))] += 1
            else:
                names[self.vocabulary.clean(text)] += 1
        return max(names.items(), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))[0]

    def reference(self, node: str) -> str:
        """How a correction names an entity: its label when no other entity has it, else its id."""
        label = self.entities[node]["label"]
        return label if len(self.labels[name_key(label)]) == 1 else node

    def in_date_order(self, documents: set[str]) -> tuple[str, ...]:
        return tuple(sorted(documents, key=lambda d: (self.graph.nodes[d].get("date") or "9999", d)))

    def consequence(self, entity: str, documents: Iterable[str]) -> int:
        statements = self.statements.get(entity, {})
        documents = list(documents)
        return len(documents) + sum(statements.get(doc, 0) for doc in documents)

    def evidence(self, mentions: list[tuple[str, dict]]) -> tuple[Evidence, ...]:
        """One line per document: the title, or the words around the first mention in it."""
        first: dict[str, dict] = {}
        for doc, span in sorted(mentions, key=lambda m: (m[1]["field"] != "title", m[1]["start"])):
            first.setdefault(doc, span)
        out = []
        for doc in self.in_date_order(set(first)):
            node, span = self.graph.nodes[doc], first[doc]
            out.append(Evidence(doc, node.get("date", ""), node.get("title", ""), _context(node, span)))
        return tuple(out)


def _category(rule: str) -> str | None:
    if rule in (SURNAME_IN_DOCUMENT, SURNAME_IN_CORPUS, SURNAME_IN_GAZETTEER):
        return "surname"
    if is_typo_rule(rule):
        return "typo"
    if rule in (BRACKET, GLOSS):
        return "bracket"
    if rule in (BODY_WORDS, SHORT_NAME_IN_DOCUMENT, SHORT_NAME_IN_CORPUS, BODY_OF_PARTY):
        return "body"
    return None


def _context(document: dict, span: dict) -> str:
    """The words around a mention: the whole title, or up to ``CONTEXT`` characters either side in a body."""
    text = document.get(span["field"], "") or ""
    if span["field"] == "title":
        return text
    start, end = span["start"], span["end"]
    left = max(0, start - CONTEXT)
    right = min(len(text), end + CONTEXT)
    if left > 0:
        left = text.find(" ", left, start) + 1 or left
    if right < len(text):
        cut = text.rfind(" ", end, right)
        right = cut if cut > 0 else right
    return ("…" if left > 0 else "") + " ".join(text[left:right].split()) + ("…" if right < len(text) else "")
