"""Documents -> issues: by name, or by the issue's cues within its period.

An issue is a gazetteer topic with cues (see ``kg.gazetteer``): the periods it was live,
the entities it involves, the words that describe it, the topics it narrows and the
broader issues it is part of. A document is about an issue when

1. it names the issue (a mention resolved to it), at any date: basis ``named``;
2. its date falls in one of the issue's periods and, in one sentence of its title,
   summary or text, a cue stands at most ``WINDOW`` words from an involved entity ("the
   situation in Hungary", "Budapest riots", "the Hungarian events" in October 1956, but
   not in 1965): basis ``cues``;
3. it is about a narrower issue that is part of this one: basis ``part``.

A topic the issue narrows ("border dispute", or the "Geneva Conference" of 1954 for the
conference on Laos of 1961) is a cue by all its names, and in a document about the issue
its mentions mean the issue, unless the document's date falls in that topic's own
period: "the border clashes" of a Sino-Soviet document of 1969 are the Sino-Soviet border
conflict, "the Geneva Conference" of a document about Laos in 1961 is not the conference
of 1954. When several issues of a document narrow one topic, the one of the shortest
period takes its mentions. A topic left with no mention and no link is no node any more.

Every link keeps its evidence: the names written, or the cue words and the involved
entities that decided it. The stage runs after resolution, on plain mentions and the
documents' text: the extraction cache does not depend on the issues' cues.
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from kg.dates import day_span
from kg.gazetteer import Gazetteer, GazetteerEntry, GazetteerError
from kg.names import fold
from kg.records import GAZETTEER_ALIAS, NARROWED_TOPIC, TEXT_FIELDS, AliasRule, Document, Entity, IssueLink, Mention
from kg.resolve import Resolution, entity_id
from kg.vocabulary import Vocabulary

#: At most this many words between a cue and an involved entity in one sentence.
WINDOW = 6

_WORD = re.compile(r"[^\W_]+")
_STEM_KEY = 3  # prefix cues are looked up by their first letters
_CUE_WORD = re.compile(r"[^\W_]+\*?")
# A sentence ends at . ! ? or ; before a capital or a digit, unless the word before is an
# initial or an abbreviation of up to two letters ("A.N. Kosygin", "Dr. Soong", "No. 5").
# The lookahead comes first so that the lookbehinds are tried only at punctuation.
_SENTENCE_END = re.compile(
    r"(?=[.!?;])(?<![\s.][^\W\d_])(?<![\s.][^\W\d_]{2})(?<!^[^\W\d_])(?<!^[^\W\d_]{2})[.!?;]+[\"'\u201d\u2019)]*\s+"
    r"(?=[\"'\u201c\u2018(]?[A-Z0-9])"
)

Span = tuple[str, str]  # first and last day, "YYYY-MM-DD"
Phrase = tuple[str, ...]  # folded words; a last letter "*" marks a word's start


@dataclass(frozen=True)
class Issues:
    """The resolution with the mentions of narrowed topics settled, and every document -> issue link."""

    resolution: Resolution
    links: tuple[IssueLink, ...]


@dataclass(frozen=True)
class _Issue:
    entry: GazetteerEntry
    entity_id: str
    spans: tuple[Span, ...]
    involves: frozenset[str]  # entity ids of the involved entities the gazetteer knows
    involved_words: tuple[Phrase, ...]  # involved names it does not know, matched as written ("Hungarian")
    cues: tuple[Phrase, ...]
    narrows: frozenset[str]  # entity ids
    broader: tuple[str, ...]  # entity ids
    length: int  # days in its periods, about: the narrowest issue takes a narrowed topic's mentions
    nationalities: frozenset[str]  # the folded words of its involves ("sino", "soviet", "hungarian")
    own: frozenset[str] = frozenset()  # topics whose names may hold its cues: itself, those it narrows, its broader issues


def link_issues(
    documents: Iterable[Document], resolution: Resolution, *, gazetteer: Gazetteer, vocabulary: Vocabulary | None = None,
) -> Issues:
    """Every document's issues and the evidence for each, by the rules of this module's docstring."""
    vocabulary = vocabulary or Vocabulary.load()
    issues = _issues_of(gazetteer)
    if not issues:
        return Issues(resolution, ())
    topics = {entity_id("topic", e.name): e for e in gazetteer.entries if e.kind == "topic"}
    own_spans = {eid: _spans(entry) for eid, entry in topics.items() if entry.period}
    by_year: dict[int, list[_Issue]] = defaultdict(list)
    for issue in issues.values():
        years = {year for first, last in issue.spans for year in range(int(first[:4]), int(last[:4]) + 1)}
        for year in years:
            by_year[year].append(issue)
    cue_index = _PhraseIndex((i.entity_id, p) for i in issues.values() for p in i.cues)
    word_index = _PhraseIndex((i.entity_id, p) for i in issues.values() for p in i.involved_words)
    labels = {e.entity_id: e.label for e in resolution.entities}
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for mention in resolution.mentions:
        by_doc[mention.doc_id].append(mention)
    links: list[IssueLink] = []
    moved: dict[Mention, str] = {}  # a mention of a narrowed topic -> the issue it means
    for doc in documents:
        mentions = by_doc.get(doc.doc_id, [])
        day = day_span(doc.date.iso, doc.date.until or "") if doc.date.iso else None
        live = _live(day, by_year) if day else []
        found = _cued(doc, mentions, live, labels, vocabulary, cue_index, word_index) if live else {}
        about = set(found) | {m.entity_id for m in mentions if m.entity_id in issues}
        for mention in mentions:
            takers = [issues[eid] for eid in about if mention.entity_id in issues[eid].narrows]
            if takers and not any(_overlaps(day, span) for span in own_spans.get(mention.entity_id, ())):
                moved[mention] = min(takers, key=lambda i: (i.length, i.entity_id)).entity_id
        named = _named([m for m in mentions if m not in moved], issues)
        for eid in sorted(set(named) | set(found)):
            if eid in named:
                links.append(IssueLink(doc.doc_id, eid, "named", named[eid]))
            else:
                links.append(IssueLink(doc.doc_id, eid, "cues", *found[eid]))
    links = _with_broader(links, issues)
    return Issues(_settled(resolution, moved, links, topics),
                  tuple(sorted(links, key=lambda link: (link.doc_id, link.entity_id))))


# -- the gazetteer's issues, ready for matching ---------------------------------------------------
def _issues_of(gazetteer: Gazetteer) -> dict[str, _Issue]:
    out = {}
    for entry in gazetteer.entries:
        if entry.kind != "topic" or not entry.is_issue:
            continue
        involves, involved_words = set(), []
        for name in entry.involves:
            known = gazetteer.lookup(name)
            if known is not None and known.name != entry.name:
                involves.add(entity_id(known.kind, known.name))
            else:
                involved_words.append(_phrase(name))
        # "counter-revolution*" is also written "counterrevolutionary", "cease-fire" "ceasefire"
        cues = [_phrase(form) for cue in entry.cues for form in dict.fromkeys((cue, re.sub(r"(?<=\w)-(?=\w)", "", cue)))]
        narrows = set()
        for name in entry.narrows:
            topic = _topic(gazetteer, name, entry, "narrows")
            narrows.add(entity_id("topic", topic.name))
            cues += [_phrase(n) for n in topic.names]
        broader = tuple(entity_id("topic", _topic(gazetteer, name, entry, "is part of").name) for name in entry.part_of)
        spans = _spans(entry)
        length = sum(_ordinal(last) - _ordinal(first) + 1 for first, last in spans)
        eid = entity_id("topic", entry.name)
        nationalities = frozenset(word for name in entry.involves for word in _WORD.findall(fold(name)))
        out[eid] = _Issue(entry, eid, spans, frozenset(involves), tuple(p for p in involved_words if p),
                          tuple(dict.fromkeys(p for p in cues if p)), frozenset(narrows), broader, length, nationalities)
    return {eid: replace(issue, own=frozenset({eid} | issue.narrows | _ancestors(eid, out))) for eid, issue in out.items()}


def _topic(gazetteer: Gazetteer, name: str, entry: GazetteerEntry, how: str) -> GazetteerEntry:
    known = gazetteer.lookup(name)
    if known is None or known.kind != "topic" or known.name == entry.name:
        raise GazetteerError(f"{entry.origin}: {entry.name!r} {how} {name!r}, which is no other topic of the gazetteer")
    return known


def _spans(entry: GazetteerEntry) -> tuple[Span, ...]:
    return tuple((day_span(first)[0], day_span(last)[1]) for first, last in entry.period)


def _ordinal(day: str) -> int:
    year, month, date = (int(part) for part in day.split("-"))
    return year * 372 + month * 31 + date


def _phrase(text: str) -> Phrase:
    return tuple(_CUE_WORD.findall(fold(text)))


def _overlaps(day: Span, span: Span) -> bool:
    return day[0] <= span[1] and span[0] <= day[1]


def _live(day: Span, by_year: dict[int, list[_Issue]]) -> list[_Issue]:
    """The issues one of whose periods the document's date overlaps."""
    seen: dict[str, _Issue] = {}
    for year in range(int(day[0][:4]), int(day[1][:4]) + 1):
        for issue in by_year.get(year, ()):
            if issue.entity_id not in seen and any(_overlaps(day, span) for span in issue.spans):
                seen[issue.entity_id] = issue
    return list(seen.values())


# -- one document ---------------------------------------------------------------------------------------
def _named(mentions: list[Mention], issues: dict[str, _Issue]) -> dict[str, tuple[str, ...]]:
    """The issues the document names, with the names as written."""
    named: dict[str, list[str]] = defaultdict(list)
    for mention in mentions:
        if mention.entity_id in issues:
            named[mention.entity_id].append(" ".join(mention.text.split()))
    return {eid: tuple(dict.fromkeys(texts)) for eid, texts in named.items()}


def _cued(
    doc: Document, mentions: list[Mention], live: list[_Issue], labels: dict[str, str], vocabulary: Vocabulary,
    cue_index: _PhraseIndex, word_index: _PhraseIndex,
) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """The live issues whose cues stand next to their entities: issue id -> (cue words, entities), as found.

    A cue is not the issue's when it is part of the name of another topic ("trade
    agreement" is not the treaty's "agreement"), or when a pair of nations one of which the
    issue does not involve qualifies it ("the Sino-Indian boundary question" is not the
    Sino-Soviet one).
    """
    found: dict[str, tuple[set[str], set[str]]] = {}
    by_id = {issue.entity_id: issue for issue in live}
    for field in TEXT_FIELDS:
        text = doc.field_text(field)
        if not text:
            continue
        words = _Words(text)
        cued = cue_index.occurrences(words, by_id)
        if not cued:
            continue
        in_field = [m for m in mentions if m.field == field]
        named = [(m.entity_id, *words.covering(m.start, m.end)) for m in in_field]
        # the topics named at each word, for a cue that is part of another topic's name
        topics_at: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
        for (eid, a, b), mention in zip(named, in_field):
            if mention.kind == "topic":
                for i in range(a, b):
                    topics_at[i].append((eid, a, b))
        written = word_index.occurrences(words, {eid: by_id[eid] for eid in cued})
        for eid, hits in cued.items():
            issue = by_id[eid]
            near = sorted([(a, b, labels.get(e, "")) for e, a, b in named if e in issue.involves]
                          + [(a, b, "") for a, b in written.get(eid, ())])
            if not near:
                continue
            starts = [a for a, _, _ in near]
            longest = max(b - a for a, b, _ in near)
            for cue_start, cue_end in hits:
                if _named_otherwise(cue_start, cue_end, issue, topics_at) or _qualified_otherwise(
                    words, cue_start, issue, vocabulary
                ):
                    continue
                # only the entities that start close enough can be within WINDOW words of the cue
                low = bisect.bisect_left(starts, cue_start - WINDOW - longest)
                high = bisect.bisect_right(starts, cue_end + WINDOW)
                for a, b, label in near[low:high]:
                    gap = max(a - cue_end, cue_start - b)  # < 0: the cue is part of the name ("Liberation Front")
                    if 0 <= gap <= WINDOW and words.sentence(cue_start) == words.sentence(a):
                        cue_words, entities = found.setdefault(eid, (set(), set()))
                        cue_words.add(words.text_of(cue_start, cue_end).lower())
                        entities.add(label or words.text_of(a, b))
    return {eid: (tuple(sorted(w)), tuple(sorted(e))) for eid, (w, e) in found.items()}


class _PhraseIndex:
    """The phrases of every issue, by the forms of their first word, to find them all in one pass over a text."""

    def __init__(self, phrases: Iterable[tuple[str, Phrase]]) -> None:
        self.exact: dict[str, list[tuple[str, Phrase]]] = defaultdict(list)
        self.prefix: dict[str, list[tuple[str, str, Phrase]]] = defaultdict(list)  # by the stem's first letters
        for eid, phrase in phrases:
            first = phrase[0]
            if first.endswith("*"):
                stem = first[:-1]
                self.prefix[stem[:_STEM_KEY]].append((stem, eid, phrase))
            else:
                for form in _forms(first):
                    self.exact[form].append((eid, phrase))

    def occurrences(self, words: _Words, issues: dict[str, _Issue]) -> dict[str, list[tuple[int, int]]]:
        """Where the phrases of these issues occur: issue id -> word ranges [first, last + 1)."""
        found: dict[str, list[tuple[int, int]]] = defaultdict(list)
        folded = words.folded
        # Few words of a text start a phrase: they are picked out of its distinct words first.
        distinct = set(folded)
        starting = {word: list(self.exact[word]) for word in distinct & self.exact.keys()}
        for word in distinct:
            for stem, eid, phrase in self.prefix.get(word[:_STEM_KEY], ()):
                if word.startswith(stem):
                    starting.setdefault(word, []).append((eid, phrase))
        if not starting:
            return found
        for i, word in enumerate(folded):
            for eid, phrase in starting.get(word, ()):
                end = i + len(phrase)
                if eid in issues and end <= len(folded) and all(
                    _matches(folded[i + k], phrase[k]) for k in range(1, len(phrase))
                ):
                    found[eid].append((i, end))
        return found


def _named_otherwise(first: int, last: int, issue: _Issue, topics_at: dict[int, list[tuple[str, int, int]]]) -> bool:
    """The cue is inside a mention of another topic: neither the issue, nor one it narrows, nor one it is part of."""
    return any(a <= first and last <= b and eid not in issue.own for eid, a, b in topics_at.get(first, ()))


def _qualified_otherwise(words: _Words, first: int, issue: _Issue, vocabulary: Vocabulary) -> bool:
    """A compound of nationalities right before the cue ("Sino-Indian", "Soviet-Vietnamese")
    names a pair of nations, one of which the issue does not involve: the cue is theirs.

    A single adjective ("Soviet troops") names an actor, who may well be the issue's.
    """
    before = words.text[:words.starts[first]]
    qualifier = before.rsplit(None, 1)[-1] if before.strip() else ""
    parts = _WORD.findall(fold(qualifier))
    if len(parts) < 2 or not vocabulary.is_demonym(qualifier):
        return False
    return any(part not in issue.nationalities for part in parts)


class _Words:
    """The words of one field: where each is, folded, and which sentence it is in."""

    def __init__(self, text: str) -> None:
        self.text = text
        matches = list(_WORD.finditer(text))
        self.starts = [m.start() for m in matches]
        self.ends = [m.end() for m in matches]
        lower = text.lower() if text.isascii() else None  # folding ASCII is lower-casing it
        self.folded = [lower[m.start():m.end()] if lower is not None else fold(m.group()) for m in matches]
        self._sentences: list[int] | None = None

    def covering(self, start: int, end: int) -> tuple[int, int]:
        """The word range [first, last + 1) a character span covers."""
        first = bisect.bisect_right(self.ends, start)
        return first, max(bisect.bisect_left(self.starts, end), first + 1)

    def sentence(self, word: int) -> int:
        if self._sentences is None:
            ends = [m.end() for m in _SENTENCE_END.finditer(self.text)]
            self._sentences, number = [], 0
            for start in self.starts:
                while number < len(ends) and ends[number] <= start:
                    number += 1
                self._sentences.append(number)
        return self._sentences[word] if word < len(self._sentences) else -1

    def text_of(self, first: int, last: int) -> str:
        return self.text[self.starts[first]:self.ends[last - 1]]


def _forms(word: str) -> tuple[str, ...]:
    """The word and its regular plurals: "riot" -> riots, "crisis" -> crises, "treaty" -> treaties."""
    forms = [word, word + "s", word + "es"]
    if word.endswith("y"):
        forms.append(word[:-1] + "ies")
    if word.endswith("is"):
        forms.append(word[:-2] + "es")
    return tuple(forms)


def _matches(token: str, cue: str) -> bool:
    return token.startswith(cue[:-1]) if cue.endswith("*") else token in _forms(cue)


# -- across documents ------------------------------------------------------------------------------------
def _ancestors(eid: str, issues: dict[str, _Issue]) -> set[str]:
    """Every broader issue ``eid`` is part of, however far up."""
    seen: set[str] = set()
    todo = list(issues[eid].broader) if eid in issues else []
    while todo:
        target = todo.pop()
        if target not in seen:
            seen.add(target)
            todo += issues[target].broader if target in issues else ()
    return seen


def _with_broader(links: list[IssueLink], issues: dict[str, _Issue]) -> list[IssueLink]:
    """The links, and for each a link to every broader issue it is part of."""
    linked = {(link.doc_id, link.entity_id) for link in links}
    parts: dict[tuple[str, str], set[str]] = defaultdict(set)
    for link in links:
        for target in _ancestors(link.entity_id, issues):
            if (link.doc_id, target) not in linked:
                parts[(link.doc_id, target)].add(issues[link.entity_id].entry.name)
    return links + [IssueLink(doc_id, eid, "part", tuple(sorted(names))) for (doc_id, eid), names in parts.items()]


def _settled(
    resolution: Resolution, moved: dict[Mention, str], links: list[IssueLink], topics: dict[str, GazetteerEntry],
) -> Resolution:
    """The mentions, those of narrowed topics now naming their issue, and an entity for every issue linked.

    A topic left with neither a mention nor a link is dropped.
    """
    mentions = tuple(replace(m, entity_id=moved[m], rule=NARROWED_TOPIC) if m in moved else m
                     for m in resolution.mentions)
    used = {m.entity_id for m in mentions} | {link.entity_id for link in links}
    entities = {e.entity_id: e for e in resolution.entities if e.entity_id in used}
    for eid in sorted(used):
        entry = topics.get(eid)
        if entry is None:
            continue
        known = entities.get(eid) or Entity(eid, "topic", entry.name, entry.aliases, entry.description,
                                            tuple(AliasRule(a, GAZETTEER_ALIAS) for a in entry.aliases), True)
        entities[eid] = replace(known, period=tuple(f"{first}/{last}" for first, last in entry.period))
    return Resolution(tuple(sorted(entities.values(), key=lambda e: e.entity_id)), mentions)
