"""Corrections a person makes to the automatic decisions: CSV rows applied on every build.

A corrections file is plain CSV, one correction per row (blank rows, rows starting
with ``#`` and a header row starting with ``action`` are skipped):

``same,NAME,ENTITY``
    this spelling always means that entity: its mentions join ENTITY, wherever
    resolution put them; when NAME is the label of a node, the whole node merges
    into ENTITY. An ENTITY not in the graph is taken from the gazetteer, or made.
``different,NAME,ENTITY[,DOCUMENT]``
    this spelling is not that entity (everywhere, or in one document): those mentions
    leave it for a node of their own spelling.
``not_a_name,NAME``
    drop the mentions of this spelling (and the node NAME labels, if any).
``kind,NAME,KIND``
    the entity NAME is a person, place, organization or topic.
``drop,RELATION,A,B,DOCUMENT`` / ``add,RELATION,A,B,DOCUMENT``
    remove or add a ``met`` or ``wrote_to`` relation stated by a document.

NAME is a spelling: titles, possessives, case, accents and spacing are ignored
("Dr. Soong's" is spelled "Soong"). ENTITY, A and B are an entity's id, label or
alias; DOCUMENT is a document's id. Each mention a correction moves records the
rule "correction".

The rows are applied in order, after the automatic decisions: the name corrections
to the resolved mentions, before relations are read (so that a merge or a new kind
carries over into meetings and letters), then the relation corrections. A row that
matches nothing, and two rows that contradict each other (the later one wins), are
reported with file and line. Corrections change nothing that extraction does, so
the extraction cache (``kg.cache``) does not depend on them and a rebuild with a
new corrections file extracts nothing again.
"""
from __future__ import annotations

import csv
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.errors import KGError
from kg.gazetteer import Gazetteer
from kg.names import fold, name_key, strip_possessive
from kg.records import CORRECTION, ENTITY_KINDS, GAZETTEER_ALIAS, AliasRule, Entity, Mention, Relation
from kg.resolve import Resolution, entity_id, surface_aliases
from kg.text import read_user_csv
from kg.vocabulary import Vocabulary

log = logging.getLogger(__name__)

#: action -> (required columns, optional columns) after the action
ACTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "same": (("NAME", "ENTITY"), ()),
    "different": (("NAME", "ENTITY"), ("DOCUMENT",)),
    "not_a_name": (("NAME",), ()),
    "kind": (("NAME", "KIND"), ()),
    "drop": (("RELATION", "A", "B", "DOCUMENT"), ()),
    "add": (("RELATION", "A", "B", "DOCUMENT"), ()),
}
NAME_ACTIONS = ("same", "different", "not_a_name", "kind")
RELATION_ACTIONS = ("drop", "add")
CORRECTED_RELATIONS = ("met", "wrote_to")
#: the ``field`` of a relation a corrections file added
CORRECTION_FIELD = "correction"


class CorrectionsError(KGError):
    """A corrections file cannot be used, or (``strict``) a correction failed: names file and line."""


@dataclass(frozen=True)
class Correction:
    """One row of a corrections file."""

    action: str
    values: tuple[str, ...]
    path: str
    line: int

    @property
    def origin(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def row(self) -> str:
        """The row as CSV, for messages."""
        return csv_row(self.action, *self.values)


def csv_row(*values: str) -> str:
    """One corrections-file row, quoted where CSV needs it."""
    return ",".join(f'"{v.replace(chr(34), chr(34) * 2)}"' if any(c in v for c in ',"\n\r') or v != v.strip() else v
                    for v in values)


@dataclass(frozen=True)
class Corrections:
    """The rows of the corrections files, in order, and the pairs of them that contradict each other."""

    rows: tuple[Correction, ...] = ()
    contradictions: tuple[Outcome, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.rows)


@dataclass(frozen=True)
class Outcome:
    """What applying one correction did: ``applied`` (changed the graph), ``held`` (it was so already) or
    ``failed`` (it matches nothing, or cannot be applied: ``message`` says why); or, found on
    reading, ``contradicts`` (an earlier row)."""

    correction: Correction
    status: str
    message: str = ""

    def __str__(self) -> str:
        return f"{self.correction.origin}: {self.correction.row} {self.message}"


@dataclass(frozen=True)
class CurationReport:
    """What the corrections of a build did, and the problems (file:line messages) to report."""

    applied: int = 0
    held: int = 0
    problems: tuple[str, ...] = ()
    outcomes: tuple[Outcome, ...] = field(default=(), repr=False)

    @classmethod
    def of(cls, corrections: Corrections, outcomes: Iterable[Outcome]) -> CurationReport:
        outcomes = tuple(outcomes)
        count = Counter(o.status for o in outcomes)
        position = {id(row): i for i, row in enumerate(corrections.rows)}
        problems = sorted([*corrections.contradictions, *(o for o in outcomes if o.status == "failed")],
                          key=lambda o: (position[id(o.correction)], o.status))
        return cls(count["applied"], count["held"], tuple(map(str, problems)), outcomes)


# -- reading ------------------------------------------------------------------------------------
def read_corrections(paths: Iterable[str | Path]) -> Corrections:
    """The rows of every file, validated, in order; raises CorrectionsError on a row that is not a correction."""
    rows: list[Correction] = []
    for path in paths:
        rows += _read_file(Path(path))
    return Corrections(tuple(rows), tuple(_contradictions(rows)))


def _read_file(path: Path) -> list[Correction]:
    text = read_user_csv(path, kind="corrections", error=CorrectionsError)
    reader = csv.reader(text.splitlines())
    rows = []
    expected = "; ".join(f"{action}," + ",".join(required + tuple(f"[{o}]" for o in optional))
                         for action, (required, optional) in ACTIONS.items())
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            raise CorrectionsError(f"{path}:{reader.line_num}: not a CSV row ({err})") from None
        line = reader.line_num
        cells = [c.strip() for c in cells]
        while cells and not cells[-1]:
            cells.pop()  # spreadsheets pad rows with empty cells
        if not cells or cells[0].startswith("#") or (not rows and fold(cells[0]) == "action"):
            continue
        action = fold(cells[0]).replace(" ", "_").replace("-", "_")
        if action not in ACTIONS:
            raise CorrectionsError(f"{path}:{line}: unknown correction {cells[0]!r}; expected one of: {expected}")
        required, optional = ACTIONS[action]
        values = cells[1:]
        if not len(required) <= len(values) <= len(required) + len(optional) or not all(values[:len(required)]):
            shape = ",".join((action, *required, *(f"[{o}]" for o in optional)))
            raise CorrectionsError(f"{path}:{line}: expected {shape}, got {','.join(cells)!r}")
        if action == "kind" and fold(values[1]) not in ENTITY_KINDS:
            raise CorrectionsError(
                f"{path}:{line}: kind {values[1]!r} for {','.join(cells)}; expected one of {', '.join(ENTITY_KINDS)}")
        if action in RELATION_ACTIONS and fold(values[0]) not in CORRECTED_RELATIONS:
            raise CorrectionsError(
                f"{path}:{line}: relation {values[0]!r}; expected one of {', '.join(CORRECTED_RELATIONS)}")
        if action in ("kind", *RELATION_ACTIONS):
            values[0 if action != "kind" else 1] = fold(values[0 if action != "kind" else 1])
        rows.append(Correction(action, tuple(values), str(path), line))
    return rows


def _contradictions(rows: list[Correction]) -> list[Outcome]:
    """Pairs of rows that cannot both hold, compared as written (case, accents, spacing and titles aside)."""
    def key(text: str) -> str:
        return name_key(text)

    claims: dict[tuple, list[tuple[Correction, tuple]]] = defaultdict(list)
    found = []
    for row in rows:
        v = row.values
        if row.action == "same":
            subject, claim = ("name", key(v[0])), ("same", key(v[1]))
        elif row.action == "different":
            subject, claim = ("name", key(v[0])), ("different", key(v[1]), v[2] if len(v) > 2 else "")
        elif row.action == "not_a_name":
            subject, claim = ("name", key(v[0])), ("not_a_name",)
        elif row.action == "kind":
            subject, claim = ("kind", key(v[0])), ("kind", v[1])
        else:
            ends = tuple(sorted((key(v[1]), key(v[2])))) if v[0] == "met" else (key(v[1]), key(v[2]))
            subject, claim = ("relation", v[0], *ends, v[3]), (row.action,)
        for earlier, earlier_claim in claims[subject]:
            if _clash(earlier_claim, claim):
                found.append(Outcome(row, "contradicts",
                                     f"contradicts {earlier.origin} ({earlier.row}); the later row wins"))
                break
        claims[subject].append((row, claim))
    return found


def _clash(a: tuple, b: tuple) -> bool:
    kinds = {a[0], b[0]}
    if kinds == {"same"}:
        return a[1] != b[1]
    if kinds == {"same", "different"}:
        return a[1] == b[1]
    if kinds == {"same", "not_a_name"}:
        return True
    if kinds == {"kind"}:
        return a[1] != b[1]
    return kinds == {"drop", "add"}


# -- applying ------------------------------------------------------------------------------------
def correct_names(
    resolution: Resolution, corrections: Corrections, *, gazetteer: Gazetteer, vocabulary: Vocabulary,
) -> tuple[Resolution, list[Outcome]]:
    """The resolution after the ``same``, ``different``, ``not_a_name`` and ``kind`` rows, and what each did."""
    rows = [row for row in corrections.rows if row.action in NAME_ACTIONS]
    if not rows:
        return resolution, []
    state = _Names(resolution, gazetteer, vocabulary)
    outcomes = [getattr(state, row.action)(row, *row.values) for row in rows]
    return state.result(), outcomes


def correct_relations(
    relations: Iterable[Relation], corrections: Corrections, *, entities: Iterable[Entity], documents: Iterable[str],
) -> tuple[list[Relation], list[Outcome]]:
    """The relations after the ``drop`` and ``add`` rows, and what each did.

    ``entities`` are the corrected entities (A and B are looked up among them),
    ``documents`` the ids of the corpus's documents.
    """
    relations = list(relations)
    rows = [row for row in corrections.rows if row.action in RELATION_ACTIONS]
    if not rows:
        return relations, []
    finder = _EntityFinder(entities)
    known_documents = set(documents)
    outcomes = []
    for row in rows:
        name, a, b, document = row.values
        ends = [finder.find(a), finder.find(b)]
        problem = next((message for _, message in ends if message), None)
        if problem is None and document not in known_documents:
            problem = f"no document {document!r}"
        if problem is not None:
            outcomes.append(_failed(row, problem))
            continue
        source, target = (found for found, _ in ends)

        def states(r: Relation) -> bool:
            pair = (r.source, r.target)
            return r.relation == name and r.doc_id == document and (
                pair == (source, target) or name == "met" and pair == (target, source))

        matching = [r for r in relations if states(r)]
        if row.action == "drop":
            if not matching:
                outcomes.append(Outcome(row, "failed", f"matches nothing: no {name} relation of {a!r} and {b!r} in {document}"))
                continue
            relations = [r for r in relations if not states(r)]
            outcomes.append(Outcome(row, "applied"))
        elif matching:
            outcomes.append(Outcome(row, "held"))
        elif wrong := _unrelatable(name, finder.entities[source], finder.entities[target]):
            outcomes.append(Outcome(row, "failed", f"cannot be applied: {wrong}"))
        else:
            evidence = f"added by a correction ({Path(row.path).name}:{row.line})"
            relations.append(Relation(name, source, target, document, evidence, CORRECTION_FIELD))
            outcomes.append(Outcome(row, "applied"))
    return relations, outcomes


def _failed(row: Correction, problem: str) -> Outcome:
    """A row whose entity is missing ("matches nothing") or ambiguous ("cannot be applied")."""
    return Outcome(row, "failed", f"{'matches nothing' if problem.startswith('no ') else 'cannot be applied'}: {problem}")


_PLURALS = {("person",): "people", ("person", "organization"): "people or organizations"}


def _unrelatable(relation: str, a: Entity, b: Entity) -> str | None:
    allowed = ("person",) if relation == "met" else ("person", "organization")
    for entity in (a, b):
        if entity.kind not in allowed:
            return f"{entity.label} is a {entity.kind}; {relation} joins {_PLURALS[allowed]}"
    return None


class _EntityFinder:
    """Entities by id, label or alias (case, accents and spacing ignored)."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities = {e.entity_id: e for e in entities}
        self.by_label: dict[str, set[str]] = defaultdict(set)
        self.by_alias: dict[str, set[str]] = defaultdict(set)
        for eid, entity in self.entities.items():
            self.by_label[name_key(entity.label)].add(eid)
            for alias in entity.aliases:
                self.by_alias[name_key(alias)].add(eid)

    def find(self, reference: str) -> tuple[str | None, str | None]:
        """(entity id, None), or (None, why not)."""
        if reference in self.entities:
            return reference, None
        key = name_key(reference)
        for found in (self.by_label.get(key, ()), self.by_alias.get(key, ())):
            if len(found) == 1:
                return next(iter(found)), None
            if found:
                named = ", ".join(sorted(found))
                return None, f"{reference!r} is ambiguous: it names {named}; write the id"
        return None, f"no entity {reference!r}"


@dataclass
class _Node:
    """An entity being corrected: its record's fields, its aliases' rules as alias -> rule -> documents."""

    kind: str
    label: str
    description: str
    in_gazetteer: bool
    rules: dict[str, dict[str, set[str]]]
    changed: bool = False
    period: tuple[str, ...] = ()

    @classmethod
    def of(cls, entity: Entity) -> _Node:
        rules: dict[str, dict[str, set[str]]] = {alias: {} for alias in entity.aliases}
        for why in entity.alias_rules:
            rules.setdefault(why.alias, {}).setdefault(why.rule, set()).update(why.documents)
        return cls(entity.kind, entity.label, entity.description, entity.in_gazetteer, rules, period=entity.period)

    def entity(self, eid: str) -> Entity:
        aliases = tuple(sorted((a for a in self.rules if a != self.label), key=lambda a: (fold(a), a)))
        why = tuple(AliasRule(alias, rule, tuple(sorted(docs)))
                    for alias in aliases for rule, docs in sorted(self.rules[alias].items()))
        return Entity(eid, self.kind, self.label, aliases, self.description, why, self.in_gazetteer, self.period)


class _Names:
    """The resolved entities and mentions while name corrections are applied to them."""

    def __init__(self, resolution: Resolution, gazetteer: Gazetteer, vocabulary: Vocabulary) -> None:
        self.original = {e.entity_id: e for e in resolution.entities}
        self.nodes = {eid: _Node.of(e) for eid, e in self.original.items()}
        self.mentions: list[Mention | None] = list(resolution.mentions)
        self.gazetteer, self.vocabulary = gazetteer, vocabulary
        # A corpus spells the same names thousands of times: each spelling is worked out once.
        self.spelling = lru_cache(maxsize=None)(self._spelling)
        self.spelled: dict[str, list[int]] = defaultdict(list)  # spelling key -> mention positions
        self.of_entity: dict[str, set[int]] = defaultdict(set)
        for i, mention in enumerate(self.mentions):
            self.spelled[self.spelling(mention.text)].append(i)
            self.of_entity[mention.entity_id].add(i)

    def _spelling(self, text: str) -> str:
        return name_key(self.vocabulary.clean(text))

    def contributes(self, mention: Mention) -> set[str]:
        """The aliases a mention gives its entity (as ``kg.resolve`` counts them)."""
        return surface_aliases(mention.text, self.vocabulary.clean) | {self.vocabulary.clean(mention.text)} - {""}

    def finder(self) -> _EntityFinder:
        return _EntityFinder(e for e in self.entities())

    def entities(self) -> Iterable[Entity]:
        for eid, node in self.nodes.items():
            yield node.entity(eid) if node.changed else self.original[eid]

    def named(self, name: str, *, labels: bool) -> list[int]:
        """Positions of the mentions spelled ``name`` and, with ``labels``, of every node ``name`` labels."""
        key = self.spelling(name)
        found = {i for i in self.spelled.get(key, ()) if self.mentions[i] is not None}
        if labels:
            for eid, node in self.nodes.items():
                if name_key(node.label) == key or name_key(node.label) == name_key(name):
                    found |= self.of_entity[eid]
        return sorted(found)

    # -- the corrections ----------------------------------------------------------------------
    def same(self, row: Correction, name: str, target: str) -> Outcome:
        found = self.named(name, labels=True)
        if not found:
            return Outcome(row, "failed", f"matches nothing: no mention is spelled {name!r}")
        eid, problem = self.finder().find(target)
        if problem is not None and not problem.startswith("no entity"):
            return _failed(row, problem)
        if eid is None:
            eid = self._new_target(target, [self.mentions[i] for i in found])
        moving = [i for i in found if self.mentions[i].entity_id != eid]
        if not moving:
            return Outcome(row, "held")
        self._move(moving, eid, disowned=self.spelling(name), merge=True)
        return Outcome(row, "applied")

    def different(self, row: Correction, name: str, target: str, document: str = "") -> Outcome:
        eid, problem = self.finder().find(target)
        if problem is not None:
            return _failed(row, problem)
        moving = [i for i in self.named(name, labels=False)
                  if self.mentions[i].entity_id == eid and (not document or self.mentions[i].doc_id == document)]
        if not moving:
            where = f" in {document}" if document else ""
            return Outcome(row, "failed", f"matches nothing: no mention spelled {name!r}{where} is {self.nodes[eid].label}")
        own = Counter(self._own_name(self.mentions[i].text) for i in moving)
        label = max(own.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]
        new = entity_id(self.nodes[eid].kind, label)
        if new == eid:  # the spelling is the node's own label: the split-off part needs another id
            new = next(f"{eid}-{n}" for n in range(2, len(self.nodes) + 3) if f"{eid}-{n}" not in self.nodes)
        if new not in self.nodes:
            self.nodes[new] = _Node(self.nodes[eid].kind, label, "", False, {}, changed=True)
        self._move(moving, new, disowned=None if document else self.spelling(name))
        return Outcome(row, "applied")

    def not_a_name(self, row: Correction, name: str) -> Outcome:
        found = self.named(name, labels=True)
        if not found:
            return Outcome(row, "failed", f"matches nothing: no mention is spelled {name!r}")
        self._move(found, None, disowned=self.spelling(name))
        return Outcome(row, "applied")

    def kind(self, row: Correction, name: str, kind: str) -> Outcome:
        eid, problem = self.finder().find(name)
        if problem is not None:
            return _failed(row, problem)
        node = self.nodes[eid]
        if node.kind == kind:
            return Outcome(row, "held")
        new = entity_id(kind, node.label)
        positions = sorted(self.of_entity.pop(eid, set()))
        del self.nodes[eid]
        node.kind, node.changed = kind, True
        if new in self.nodes:  # the same name of that kind exists: one entity, as resolution would make it
            into = self.nodes[new]
            for alias, rules in node.rules.items():
                for rule, docs in rules.items():
                    into.rules.setdefault(alias, {}).setdefault(rule, set()).update(docs)
            if node.label != into.label:
                docs = {self.mentions[i].doc_id for i in positions}
                into.rules.setdefault(node.label, {}).setdefault(CORRECTION, set()).update(docs)
            into.changed = True
        else:
            self.nodes[new] = node
        for i in positions:
            m = self.mentions[i]
            self.mentions[i] = _moved(m, new, kind, m.rule)
        self.of_entity[new] |= set(positions)
        return Outcome(row, "applied")

    # -- helpers --------------------------------------------------------------------------------
    def _own_name(self, text: str) -> str:
        """The name a mention stands for on its own: a bracket's outer name ("Filippov"), else its words without titles."""
        outer = surface_aliases(text, self.vocabulary.clean) - {strip_possessive(" ".join(text.split()))}
        return min(outer) if outer else self.vocabulary.clean(text)

    def _new_target(self, target: str, mentions: list[Mention]) -> str:
        """The node a ``same`` row names that the graph lacks: the gazetteer's entry, or one made for it."""
        entry = self.gazetteer.lookup(target)
        if entry is not None:
            eid = entity_id(entry.kind, entry.name)
            if eid not in self.nodes:
                rules = {alias: {GAZETTEER_ALIAS: set()} for alias in entry.aliases}
                self.nodes[eid] = _Node(entry.kind, entry.name, entry.description, True, rules, changed=True)
            return eid
        kind = Counter(m.kind for m in mentions).most_common(1)[0][0]
        label = " ".join(target.split())
        eid = entity_id(kind, label)
        if eid not in self.nodes:
            self.nodes[eid] = _Node(kind, label, "", False, {}, changed=True)
        return eid

    def _move(self, positions: list[int], to: str | None, *, disowned: str | None = None, merge: bool = False) -> None:
        """Mentions leave their nodes for ``to`` (None: they are dropped).

        ``disowned``: a spelling that leaves the aliases of the nodes they leave, even
        the gazetteer's; ``merge``: a node left with no mention hands its names to ``to``.
        """
        by_source: dict[str, list[int]] = defaultdict(list)
        for i in positions:
            by_source[self.mentions[i].entity_id].append(i)
        target = self.nodes[to] if to is not None else None
        for source, moved in by_source.items():
            leaving = [self.mentions[i] for i in moved]
            for i, mention in zip(moved, leaving):
                if target is None:
                    self.mentions[i] = None
                    continue
                self.mentions[i] = _moved(mention, to, target.kind, CORRECTION)
                for alias in self.contributes(mention) - {target.label}:
                    target.rules.setdefault(alias, {}).setdefault(CORRECTION, set()).add(mention.doc_id)
            self.of_entity[source] -= set(moved)
            if to is not None:
                self.of_entity[to] |= set(moved)
            self._forget(source, leaving, disowned=disowned, into=target if merge else None)
        if target is not None:
            target.changed = True

    def _documents_by_alias(self, mentions: Iterable[Mention]) -> dict[str, set[str]]:
        """alias -> the documents where one of ``mentions`` gives it."""
        found: dict[str, set[str]] = defaultdict(set)
        for mention in mentions:
            for alias in self.contributes(mention):
                found[alias].add(mention.doc_id)
        return found

    def _forget(self, source: str, leaving: list[Mention], *, disowned: str | None, into: _Node | None) -> None:
        """``source``'s aliases once ``leaving`` left it: a name stays for the documents where a remaining mention gives it."""
        node = self.nodes[source]
        node.changed = True
        remaining = [self.mentions[i] for i in self.of_entity[source]]
        if not remaining:
            del self.nodes[source]
            del self.of_entity[source]
            if into is not None:  # a merge: the node's other names (a gazetteer's aliases) come along
                for alias in (node.label, *node.rules):
                    if alias != into.label:
                        docs = {d for rules in node.rules.get(alias, {}).values() for d in rules}
                        into.rules.setdefault(alias, {}).setdefault(CORRECTION, set()).update(docs)
            return
        kept, left = self._documents_by_alias(remaining), self._documents_by_alias(leaving)
        for alias in list(node.rules):
            if disowned is not None and self.spelling(alias) == disowned and alias not in kept:
                del node.rules[alias]
                continue
            if alias not in left:
                continue
            gone = left[alias] - kept.get(alias, set())
            rules = node.rules[alias]
            if not rules:  # resolution recorded no rules: the alias stays while a mention gives it
                if alias not in kept:
                    del node.rules[alias]
                continue
            for rule in list(rules):
                rules[rule] -= gone
                if not rules[rule] and rule != GAZETTEER_ALIAS:
                    del rules[rule]
            if not rules:
                del node.rules[alias]

    def result(self) -> Resolution:
        mentions = sorted((m for m in self.mentions if m is not None),
                          key=lambda m: (m.doc_id, m.field, m.start, m.end, m.entity_id))
        named = {m.entity_id for m in mentions}
        entities = sorted((e for e in self.entities() if e.entity_id in named), key=lambda e: e.entity_id)
        return Resolution(tuple(entities), tuple(mentions))


def _moved(m: Mention, entity: str, kind: str, rule: str) -> Mention:
    return Mention(m.doc_id, m.field, m.start, m.end, m.text, kind, m.finder, m.gazetteer_name, m.norm, entity, rule)
