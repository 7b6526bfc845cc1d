"""Find who met whom and who wrote to whom in archival titles and summaries.

Relations are read from the resolved mentions of a document and the wording
around them. A slot of a pattern ("between ... ", "from ... to ...") takes the
*run* of actors that starts (or ends) there: names separated only by commas,
"and", and titles. A run stops at any other word, so a nested report ("Telegram
from Mao to Stalin, Conveying ... Telegram from Peng to Mao") gives Mao -> Stalin
only.

- ``met`` (unordered): "Record of a Meeting Between X and Y", "Memorandum of
  Conversation between X and Y", "Conversation/Talks/Discussion between X, Y and Z",
  "Summary of X Meeting with Y", "X's Meeting with Y", "Conversation of X with Y",
  "From the Journal of X, Record of Conversation with Y", "Reception of X by Y", and
  summary sentences where people are the subject of a meeting verb ("Stalin and
  Dr. Soong continue their discussions", "X met with Y"). People only.
- ``wrote_to`` (author -> recipient): "Cable, X to Y", "Letter from X to Y",
  "Telegram to Y from X", "X's Report for Y". People or organizations.
- ``wrote`` (author -> document): every author found, also when no recipient is
  named ("Cable No. 832 from Petrov").
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

from kg.names import Vocabulary, fold
from kg.records import Document, Mention, Relation

ACTOR_KINDS = ("person", "organization")
_MEETING_NOUN = (
    r"(?:meetings?|conversations?|talks?|discussions?|contacts?|negotiations?|interviews?|audience|"
    r"consultations?|exchange of views|encounter|dialogue|luncheon|dinner)"
)
_DOC_NOUN = (
    r"(?:cables?|telegrams?|telegraph|messages?|letters?|notes?|reports?|memorand(?:um|a)|memo|dispatch|"
    r"despatch|instructions?|directives?|requests?|appeals?|reply|replies|answer|greetings|information|"
    r"account|notification|statement|proposal|inquiry|circular|summary)"
)
_BETWEEN = re.compile(rf"\b(?:{_MEETING_NOUN}|minutes|memorandum of conversation)\b[^:;]*?\bbetween\s+", re.I)
_WITH = re.compile(rf"\b{_MEETING_NOUN}(?:\s+of\s+(?P<of>.+?))?\s+with\s+", re.I)
_JOURNAL = re.compile(r"\b(?:journal|diary|notes)\s+of\s+", re.I)
_RECEPTION = re.compile(r"\breception\s+of\s+(?P<guest>.+?)\s+by\s+", re.I)
_COMMA_FORM = re.compile(rf"^[^,]*\b{_DOC_NOUN}\b[^,]*,\s*", re.I)
_FROM = re.compile(rf"\b{_DOC_NOUN}\b.*?\bfrom\s+", re.I)
_TO = re.compile(r"\s+to\s+")
_TO_FIRST = re.compile(rf"\b{_DOC_NOUN}\b\s+to\s+", re.I)
_POSSESSIVE_DOC = re.compile(rf"(?:'s|\u2019s)\s+(?:[\w-]+\s+){{0,2}}?{_DOC_NOUN}\s+(?:for|to)\s+", re.I)
_MEETING_VERB = re.compile(
    r"^(?:\s+(?:\w+)){0,2}?\s+(?:meet|meets|met|discuss|discusses|discussed|talk|talks|talked|confer|confers|"
    r"conferred|negotiate|negotiates|negotiated|review|reviews|reviewed|continue their discussions?|"
    rf"hold talks|held talks|converse|conversed|(?:\w+\s+)?their\s+{_MEETING_NOUN})\b",
    re.I,
)
_MEET_WITH = re.compile(r"^\s+(?:meets|met|talks|talked|confers|conferred|speaks|spoke|meets again)\s+with\s+", re.I)
# A sentence ends at . ! ? before a capital, but not after an initial or a title ("Dr. Soong").
_SENTENCE_END = re.compile(r"(?<![A-Z])(?<!\b(?:Dr|Mr|Ms|St|Jr|Sr|No|Lt|Co))(?<!\b(?:Mrs|Cde|Gen|Col|Maj|Adm|Gov|Sen|Rev|Vol))(?<!\bCapt)[.!?]+[\"'\u201d\u2019)]*\s+(?=[A-Z\"\u201c(])")
_CONNECTOR_WORDS = {"and", "the", "cde", "cdes", "comrade", "comrades", "&", "his", "her", "excellency"}


def find_relations(
    documents: Iterable[Document], mentions: Iterable[Mention], *, vocabulary: Vocabulary | None = None
) -> list[Relation]:
    """Every met, wrote_to and wrote relation the documents state."""
    vocabulary = vocabulary or Vocabulary.load()
    by_field: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for mention in mentions:
        if mention.kind in ACTOR_KINDS and mention.entity_id:
            by_field[(mention.doc_id, mention.field)].append(mention)
    relations: list[Relation] = []
    for doc in documents:
        title_actors = sorted(by_field.get((doc.doc_id, "title"), []), key=lambda m: m.start)
        finder = _Finder(doc.title, title_actors, vocabulary)
        relations += [Relation("met", a, b, doc.doc_id, doc.title) for a, b in finder.title_meetings()]
        authors, recipients = finder.correspondents()
        relations += [Relation("wrote_to", a, r, doc.doc_id, doc.title) for a in authors for r in recipients if a != r]
        relations += [Relation("wrote", a, doc.doc_id, doc.doc_id, doc.title) for a in authors]
        summary_actors = sorted(by_field.get((doc.doc_id, "summary"), []), key=lambda m: m.start)
        for sentence_start, sentence in _sentences(doc.summary):
            inside = [m for m in summary_actors if sentence_start <= m.start < sentence_start + len(sentence)]
            finder = _Finder(doc.summary, inside, vocabulary)
            relations += [
                Relation("met", a, b, doc.doc_id, sentence.strip(), "summary")
                for a, b in finder.sentence_meetings(sentence_start, sentence_start + len(sentence))
            ]
    return _unique(relations)


def _sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs of a summary."""
    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    return [(a, text[a:b]) for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]


def _unique(relations: list[Relation]) -> list[Relation]:
    seen, out = set(), []
    for relation in relations:
        ends = (relation.source, relation.target)
        if relation.relation == "met":
            ends = tuple(sorted(ends))
        key = (relation.relation, *ends, relation.doc_id)
        if key not in seen:
            seen.add(key)
            out.append(Relation(relation.relation, *ends, relation.doc_id, relation.evidence, relation.field))
    return out


class _Finder:
    """The actors of one text (a title or a sentence) and the runs they form."""

    def __init__(self, text: str, actors: list[Mention], vocabulary: Vocabulary) -> None:
        self.text = text
        self.actors = actors
        self.vocabulary = vocabulary

    # -- runs ---------------------------------------------------------------------------
    def _is_gap(self, gap: str) -> bool:
        """Only commas, "and", and titles between two names."""
        words = [w for w in re.split(r"[\s,;]+", fold(gap).replace(".", " ")) if w]
        i = 0
        while i < len(words):
            if words[i] in _CONNECTOR_WORDS:
                i += 1
                continue
            for title in self.vocabulary.honorifics:
                parts = title.replace(".", " ").split()
                if words[i:i + len(parts)] == parts:
                    i += len(parts)
                    break
            else:
                return False
        return True

    def run_from(self, position: int, *, kinds: tuple[str, ...] = ACTOR_KINDS, limit: int | None = None) -> list[str]:
        """Entity ids of the actors in a run that starts at ``position``."""
        found, cursor = [], position
        for mention in self.actors:
            if mention.start < position or (limit is not None and mention.start >= limit):
                continue
            if not self._is_gap(self.text[cursor:mention.start]):
                break
            if mention.kind in kinds:
                found.append(mention.entity_id)
            cursor = max(cursor, mention.end)
        return list(dict.fromkeys(found))

    def run_to(self, position: int, *, kinds: tuple[str, ...] = ACTOR_KINDS) -> list[str]:
        """Entity ids of the actors in a run that ends at ``position`` (a possessive allowed)."""
        found, cursor = [], position
        for mention in reversed(self.actors):
            if mention.end > position:
                continue
            gap = re.sub(r"^(?:'s|\u2019s)", "", self.text[mention.end:cursor])
            if not self._is_gap(gap):
                break
            if mention.kind in kinds:
                found.append(mention.entity_id)
            cursor = mention.start
        return list(dict.fromkeys(reversed(found)))

    # -- meetings ---------------------------------------------------------------------------
    def title_meetings(self) -> list[tuple[str, str]]:
        people = ("person",)
        groups: list[list[str]] = []
        if match := _BETWEEN.search(self.text):
            groups.append(self.run_from(match.end(), kinds=people))
        for match in _WITH.finditer(self.text):
            guests = self.run_from(match.end(), kinds=people)
            if match.group("of"):
                hosts = self.run_from(match.start("of"), kinds=people)
            else:
                hosts = self.run_to(match.start(), kinds=people) or self._journal_owner(match.start())
            if guests and hosts:
                groups.append(hosts + guests)
        if match := _RECEPTION.search(self.text):
            groups.append(self.run_from(match.start("guest"), kinds=people) + self.run_from(match.end(), kinds=people))
        return [pair for group in groups for pair in combinations(dict.fromkeys(group), 2)]

    def _journal_owner(self, before: int) -> list[str]:
        """The keeper of the journal or diary a conversation was recorded in."""
        for match in _JOURNAL.finditer(self.text[:before]):
            owner = self.run_from(match.end(), kinds=("person",))
            if owner:
                return owner
        return []

    def sentence_meetings(self, start: int, end: int) -> list[tuple[str, str]]:
        groups = []
        for i, mention in enumerate(self.actors):
            if mention.kind != "person":
                continue
            run = self.run_from(mention.start, kinds=("person",), limit=end)
            run_end = self._run_end(mention.start, len(run), end)
            after = self.text[run_end:end]
            if len(run) >= 2 and _MEETING_VERB.match(after) and (i == 0 or self.actors[i - 1].kind != "person"):
                groups.append(run)
            elif len(run) == 1 and (match := _MEET_WITH.match(after)):
                guests = self.run_from(run_end + match.end(), kinds=("person",), limit=end)
                if guests:
                    groups.append(run + guests)
        return [pair for group in groups for pair in combinations(dict.fromkeys(group), 2)]

    def _run_end(self, position: int, count: int, limit: int) -> int:
        """Where the run of ``count`` people starting at ``position`` ends (after a possessive)."""
        people = [m for m in self.actors if m.start >= position and m.start < limit and m.kind == "person"]
        if not people or count == 0:
            return position
        end = people[min(count, len(people)) - 1].end
        return end + 2 if self.text[end:end + 2] in {"'s", "\u2019s"} else end

    # -- correspondence ---------------------------------------------------------------------
    def correspondents(self) -> tuple[list[str], list[str]]:
        """Authors and recipients named by the title's wording."""
        if match := _POSSESSIVE_DOC.search(self.text):
            authors = self.run_to(match.start())
            if authors:
                return authors, self.run_from(match.end())
        if match := _COMMA_FORM.match(self.text):
            authors = self.run_from(match.end())
            to = _TO.search(self.text, match.end())
            if authors and to and self.run_to(to.start()) == authors:
                return authors, self.run_from(to.end())
        if match := _TO_FIRST.search(self.text):
            recipients = self.run_from(match.end())
            sender = re.compile(r"\s+from\s+").search(self.text, match.end())
            if recipients and sender:
                return self.run_from(sender.end()), recipients
        if match := _FROM.search(self.text):
            authors = self.run_from(match.end())
            to = _TO.search(self.text, match.end())
            recipients = self.run_from(to.end()) if to and self.run_to(to.start()) == authors else []
            return authors, recipients
        return [], []
