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
# Where the participants of "a conversation between ..." end and its subject begins.
_TALK_TOPIC = re.compile(r"\s(?:on|about|regarding|concerning|in|at)\s|,\s*(?=\d|'|\u2018)|:", re.I)
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
_FILLER = r"(?:\s+(?:\w+|[,\u2013-])){0,5}?"  # "Puzanov, the Soviet ambassador, meets", "Ivanov in the DPRK speaks"
_MEET_OBJECT = re.compile(
    rf"^{_FILLER}\s+(?:again\s+)?(?:meets|met|talks|talked|confers|conferred|speaks|spoke|converses|conversed|"
    rf"discusses|discussed|negotiates|negotiated|holds talks|held talks)\s+(?:again\s+)?with\s+"
    rf"|^{_FILLER}\s+(?:receives|received|visits|visited|hosts|hosted|meets|met)\s+",
    re.I,
)
# Said face to face, whatever kind of document reports it.
_ASSURE_OBJECT = re.compile(
    rf"^{_FILLER}\s+(?:assures|assured|reassures|reassured|promises|promised|thanks|thanked|congratulates|"
    rf"congratulated|agrees with|agreed with|argues with|argued with|greets|greeted)\s+",
    re.I,
)
# Said in a record of conversation (they met) or by the author of a message (he wrote to them).
_TELL_OBJECT = re.compile(
    rf"^{_FILLER}\s+(?:informs|informed|tells|told|asks|asked|briefs|briefed|advises|advised|"
    rf"notifies|notified|urges|urged|requests|requested|warns|warned|"
    rf"explains to|explained to|says to|said to|complains to|complained to|suggests to|suggested to|proposes to|"
    rf"proposed to|expresses to|expressed to|conveys to|conveyed to|"
    rf"(?:raises|raised|puts|put|presents|presented|passes|passed|hands|handed|submits|submitted|addresses|"
    rf"addressed)(?:\s+[\w-]+){{0,3}}?\s+(?:to|with))\s+",
    re.I,
)
_PRONOUN_SUBJECT = re.compile(r"^\s*(He|She)\b")
_ANY_VERB = re.compile(r"^\s+(?:also\s+|then\s+|both\s+|jointly\s+)?(?!who\b|whom\b|which\b|that\b|of\b|in\b)[a-z]+\b")
_MEETING_WITH = re.compile(rf"\b{_MEETING_NOUN}\s+with\s+", re.I)
_ROLE_GLUE = frozenset({"the", "of", "to", "in", "for", "at", "and", "'s", "members", "member", "head", "chief",
                        "deputy", "vice", "acting", "general", "first", "second", "third", "charge", "d'affaires",
                        "d\u2019", "affaires", "d", "chargé"})
# Titles of documents that record a conversation (and so who spoke with whom).
_CONVERSATION_RECORD = re.compile(
    rf"\b(?:{_MEETING_NOUN}|journal|diary|minutes|memorandum of conversation|record of)\b", re.I
)
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
    is_gap = _GapTest(vocabulary)
    for doc in documents:
        title_actors = sorted(by_field.get((doc.doc_id, "title"), []), key=lambda m: m.start)
        title = _Finder(doc.title, title_actors, vocabulary, is_gap)
        meetings = title.title_meetings()
        relations += [Relation("met", a, b, doc.doc_id, doc.title) for a, b in meetings]
        authors, recipients = title.correspondents()
        relations += [Relation("wrote_to", a, r, doc.doc_id, doc.title) for a in authors for r in recipients if a != r]
        relations += [Relation("wrote", a, doc.doc_id, doc.doc_id, doc.title) for a in authors]
        # Who speaks in the document: its author, or the keeper of the journal.
        conversation = bool(_CONVERSATION_RECORD.search(doc.title))
        narrator = authors or title.journal_owner(len(doc.title))
        summary_actors = sorted(by_field.get((doc.doc_id, "summary"), []), key=lambda m: m.start)
        subject: list[str] = []
        for offset, sentence in _sentences(doc.summary):
            inside = [m for m in summary_actors if offset <= m.start < offset + len(sentence)]
            finder = _Finder(doc.summary, inside, vocabulary, is_gap)
            evidence = sentence.strip()
            end = offset + len(sentence)
            for kind, a, b in finder.sentence_relations(offset, end, conversation=conversation, narrator=narrator,
                                                         authors=authors, hostless_guests=title.hostless_guests,
                                                         previous_subject=subject):
                relations.append(Relation(kind, a, b, doc.doc_id, evidence, "summary"))
            subject = finder.subject(offset, end) or subject
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


class _GapTest:
    """Whether the text between two names joins them into a run: only commas, "and", and titles.

    The same few gaps (", ", " and ", " and Ambassador ") recur all over a corpus, so
    the answers are kept.
    """

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._titles = vocabulary.titles_by_first_word
        self._answers: dict[str, bool] = {}

    def __call__(self, gap: str) -> bool:
        answer = self._answers.get(gap)
        if answer is None:
            answer = self._answers[gap] = self._is_gap(gap)
        return answer

    def _is_gap(self, gap: str) -> bool:
        words = [w for w in re.split(r"[\s,;\[\]()'\"\u2018\u2019\u201c\u201d]+", fold(gap).replace(".", " ")) if w]
        i = 0
        while i < len(words):
            if words[i] in _CONNECTOR_WORDS or len(words[i]) == 1:  # "and R. Malinovsky": initials
                i += 1
                continue
            for title in self._titles.get(words[i], ()):  # longest first
                parts = title.replace(".", " ").split()
                if words[i:i + len(parts)] == parts:
                    i += len(parts)
                    break
            else:
                return False
        return True


class _Finder:
    """The actors of one text (a title or a sentence) and the runs they form."""

    def __init__(self, text: str, actors: list[Mention], vocabulary: Vocabulary, is_gap: _GapTest) -> None:
        self.text = text
        self.actors = actors
        self.vocabulary = vocabulary
        self.is_gap = is_gap
        self.hostless_guests: list[str] = []  # "Memorandum of Conversation with X": X, host unnamed

    # -- runs ---------------------------------------------------------------------------
    def run_from(self, position: int, *, kinds: tuple[str, ...] = ACTOR_KINDS, limit: int | None = None) -> list[str]:
        """Entity ids of the actors in a run that starts at ``position``."""
        found, cursor = [], position
        for mention in self.actors:
            if mention.start < position or (limit is not None and mention.start >= limit):
                continue
            if not self.is_gap(self.text[cursor:mention.start]):
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
            if not self.is_gap(gap):
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
            # "between China's Ambassador to Cuba Shen Jian and Cuban Finance Minister Ernesto Guevara":
            # roles may stand before each name, so every person up to the topic of the talk takes part.
            stop = _TALK_TOPIC.search(self.text, match.end())
            limit = stop.start() if stop else len(self.text)
            groups.append([m.entity_id for m in self.actors if match.end() <= m.start < limit and m.kind == "person"])
        for match in _WITH.finditer(self.text):
            guests = self._object(match.end(), len(self.text))
            if match.group("of"):
                hosts = self.run_from(match.start("of"), kinds=people)
            else:
                hosts = self.run_to(match.start(), kinds=people) or self.journal_owner(match.start())
            if guests and hosts:
                groups.append(hosts + guests)
            elif guests:
                self.hostless_guests += guests
        if match := _RECEPTION.search(self.text):
            groups.append(self.run_from(match.start("guest"), kinds=people) + self.run_from(match.end(), kinds=people))
        return [pair for group in groups for pair in combinations(dict.fromkeys(group), 2)]

    def journal_owner(self, before: int) -> list[str]:
        """The keeper of the journal or diary a conversation was recorded in."""
        for match in _JOURNAL.finditer(self.text[:before]):
            owner = self.run_from(match.end(), kinds=("person",))
            if owner:
                return owner
        return []

    def sentence_relations(
        self, start: int, end: int, *, conversation: bool, narrator: list[str], authors: list[str],
        hostless_guests: list[str] = (), previous_subject: list[str] = (),
    ) -> list[tuple[str, str, str]]:
        """(relation, a, b) stated by one summary sentence.

        - a run of two or more people as the subject of a meeting verb: they met;
        - a person meeting, receiving or speaking with others: they met;
        - a person informing, telling or asking another: in a record of conversation
          they met; in correspondence whose author it is, the author wrote to them;
        - "a meeting with X" with no subject: the narrator (journal keeper or author) met X;
        - a title's conversation "with X" that names no host: whoever meets or speaks
          with X (or with someone) in the summary is the host.
        """
        out: list[tuple[str, str, str]] = []
        people = [m for m in self.actors if m.kind == "person"]
        sentence = self.text[start:end]
        if not people and not (previous_subject and _PRONOUN_SUBJECT.match(sentence)):
            return out  # no one to meet, tell or be told
        if match := _BETWEEN.search(sentence):
            stop = _TALK_TOPIC.search(sentence, match.end())
            limit = start + (stop.start() if stop else len(sentence))
            talkers = [m.entity_id for m in people if start + match.end() <= m.start < limit]
            out += [("met", a, b) for a, b in combinations(dict.fromkeys(talkers), 2)]
        subjects: list[tuple[list[str], int]] = []  # (run of people, where the rest of the clause starts)
        # "He also informs PRC Ambassador Qiao": he is the last sentence's subject.
        if previous_subject and (pronoun := _PRONOUN_SUBJECT.match(sentence)):
            subjects.append((list(previous_subject), start + pronoun.end(1)))
        for i, mention in enumerate(people):
            if i and self.is_gap(self.text[people[i - 1].end:mention.start]):
                continue  # not the first of its run
            run = self.run_from(mention.start, kinds=("person",), limit=end)
            subjects.append((run, self._run_end(mention.start, len(run), end)))
        for run, after_run in subjects:
            rest = self.text[after_run:end]
            # Co-subjects must open the sentence ("Later, X and Y ..."), not be reported ("A says X and Y ...").
            first_name = min((m.start for m in people if m.entity_id in run), default=after_run)
            lead = self.text[start:first_name].split()
            opens_sentence = not lead or len(lead) <= 3 and lead[-1].endswith(",")
            if len(run) >= 2 and (_MEETING_VERB.match(rest) or conversation and opens_sentence and _ANY_VERB.match(rest)):
                # "Nam Il and Puzanov object to ...": co-subjects in a record of conversation spoke together.
                out += [("met", a, b) for a, b in combinations(run, 2)]
                continue
            if verb := _MEET_OBJECT.match(rest) or _ASSURE_OBJECT.match(rest):
                others = self._object(after_run + verb.end(), end)
                out += [("met", a, b) for a in run for b in others]
                out += [("met", a, b) for a in run for b in hostless_guests if not others or b in others]
            elif verb := _TELL_OBJECT.match(rest):
                others = self._object(after_run + verb.end(), end)
                if conversation:
                    out += [("met", a, b) for a in run for b in others]
                    out += [("met", a, b) for a in run for b in hostless_guests if not others or b in others]
                elif authors and set(run) <= set(authors):
                    out += [("wrote_to", a, b) for a in run for b in others]
        if narrator:
            for match in _MEETING_WITH.finditer(sentence):
                before = [m for m in people if m.start < start + match.start()]
                if not before:
                    out += [("met", a, b) for a in narrator for b in self._object(start + match.end(), end)]
        return [(kind, a, b) for kind, a, b in out if a != b]

    def subject(self, start: int, end: int) -> list[str]:
        """The people a sentence starts with (its likely subject), for "he" in the next one."""
        first = next((m for m in self.actors if start <= m.start < end), None)
        if first is None or first.kind != "person" or not self.is_gap(self.text[start:first.start]):
            return []
        return self.run_from(first.start, kinds=("person",), limit=end)

    def _object(self, position: int, limit: int) -> list[str]:
        """The people a verb takes: the run right after it, or after a role ("the PRC Ambassador Qiao")."""
        run = self.run_from(position, kinds=("person",), limit=limit)
        if run:
            return run
        first = next((m for m in self.actors if position <= m.start < limit and m.kind == "person"), None)
        if first and self._is_role(self.text[position:first.start]):
            return self.run_from(first.start, kinds=("person",), limit=limit)
        return []

    def _is_role(self, text: str) -> bool:
        """A description standing before a name: "the Ambassador of the PRC to the DPRK",
        "Members of the Japan Socialist Party," -- capitalized words, titles and "of the"."""
        words = [w for w in re.split(r"[\s,]+", text) if w]
        if not words or len(words) > 14:
            return False
        for word in words:
            bare = fold(word.strip(".,'\u2019"))
            if not (word[:1].isupper() or bare in _ROLE_GLUE or bare in self.vocabulary.title_words):
                return False
        return True

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
