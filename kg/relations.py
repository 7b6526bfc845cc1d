"""Find who met whom and who wrote to whom in archival titles and summaries.

Titles are read by the title grammar (``kg.titles``, forms in ``kg/data/title_forms.toml``):
its statements say which slot of the title holds the authors, recipients, hosts,
guests, participants or journal keeper, and this module takes the resolved people
(or, where a slot names none, the organizations) that stand there.

- ``met`` (unordered): everyone a title's meeting form names met everyone else
  ("Record of Conversation of X with Y, Z and W"); guests whose host the title does
  not name met the journal's keeper, the author reporting on his own talks, or the
  person the summary says reports on or holds the conversation. Summary sentences add
  meetings: a run of people as the subject of a meeting verb, a person meeting or
  receiving others, "talks between X and Y", "X is also present", "In a meeting with
  X, Y said". People only.
- ``wrote_to`` (author -> recipient): every statement of correspondence in the title,
  nested ones included ("Telegram from X to Y, Conveying the Telegram from Z to Y");
  when the title gives only a role for the author, the person the summary opens with
  as sending or reporting. People or organizations.
- ``wrote`` (author -> document): the authors of the title's first correspondence,
  also when no recipient is named ("Cable No. 832 from Petrov").
"""
from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import combinations

from kg.names import fold
from kg.records import Document, Mention, Relation
from kg.titles import Slot, Statement, TitleGrammar, TitleParse
from kg.vocabulary import Vocabulary

ACTOR_KINDS = ("person", "organization")
VERBS_FILE = "summary_verbs.toml"
# Up to five words of apposition between a subject and its verb: "Puzanov, the Soviet ambassador, meets".
_FILLER = r"(?:\s*,)?(?:\s+(?:\w+|[,\u2013-])){0,5}?"
_PRONOUN_SUBJECT = re.compile(r"^\s*(He|She)\b")
_POSSESSIVE_PRONOUN = re.compile(r"\b(?:his|her)(?:\s+[\w-]+){0,3}\s*$", re.I)


@dataclass(frozen=True)
class SummaryVerbs:
    """The wordings of ``kg/data/summary_verbs.toml`` as patterns that follow a subject."""

    together: re.Pattern  # co-subjects met: "X and Y discuss"
    meet: re.Pattern  # the subject met the object: "X meets with Y"
    face_to_face: re.Pattern  # "X assures Y"
    tell: re.Pattern  # "X informs Y": met in a conversation, wrote in a message
    report: re.Pattern  # the author: "X sends ...", "X reports on ..."
    forward: re.Pattern  # passing on: "X forwards ..."
    present: re.Pattern  # "X is also present"
    any_verb: re.Pattern  # any lower-case verb after the subject
    meeting_with: re.Pattern  # "a meeting with"
    sentence_end: re.Pattern
    connectors: frozenset[str]
    role_glue: frozenset[str]

    @classmethod
    def load(cls, titles: TitleGrammar | None = None) -> SummaryVerbs:
        return _default_verbs(titles or TitleGrammar.load())

    @classmethod
    def from_text(cls, text: str, *, titles: TitleGrammar, honorifics: Iterable[str] = ()) -> SummaryVerbs:
        data = tomllib.loads(text)
        verbs, words = data.get("verbs", {}), data.get("words", {})
        meeting = titles.classes["meeting"].pattern

        def phrases(name: str) -> str:
            return _phrases(verbs.get(name, [])).replace(re.escape("{meeting}"), meeting)

        adverbs = "|".join(re.escape(w) for w in verbs.get("adverbs", []))
        tell = rf"{phrases('tell')}|(?:{phrases('tell_something')})(?:\s+[\w-]+){{0,3}}?\s+(?:to|with)"
        abbreviations = sorted(
            {w for w in list(words.get("abbreviations", [])) + [h for h in honorifics if " " not in h and "." not in h]}
        )
        return cls(
            together=re.compile(rf"^(?:\s+\w+){{0,2}}?\s+(?:{phrases('together')})\b", re.I),
            meet=re.compile(rf"^{_FILLER}\s+(?:{phrases('meet')})\s+", re.I),
            face_to_face=re.compile(rf"^{_FILLER}\s+(?:{phrases('face_to_face')})\s+", re.I),
            tell=re.compile(rf"^{_FILLER}\s+(?:{tell})\s+", re.I),
            report=re.compile(rf"^{_FILLER}\s+(?:(?:{adverbs})\s+)?(?:{phrases('report')})\b", re.I),
            forward=re.compile(rf"^{_FILLER}\s+(?:(?:{adverbs})\s+)?(?:{phrases('forward')})\b", re.I),
            present=re.compile(rf"^{_FILLER}\s+(?:{phrases('present')})\b", re.I),
            any_verb=re.compile(
                rf"^\s+(?:(?:{adverbs})\s+)?(?!who\b|whom\b|which\b|that\b|of\b|in\b)[a-z]+\b"
            ),
            meeting_with=re.compile(rf"(?<![\w-])(?:{meeting})\s+with\s+", re.I),
            sentence_end=_sentence_end(abbreviations),
            connectors=frozenset(fold(w) for w in words.get("connectors", [])),
            role_glue=frozenset(fold(w) for w in words.get("role_glue", [])),
        )


def _phrases(words: list[str]) -> str:
    longest_first = sorted({" ".join(w.split()) for w in words}, key=lambda w: (-len(w), w))
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in longest_first) or "(?!)"


def _sentence_end(abbreviations: list[str]) -> re.Pattern:
    """A sentence ends at . ! ? before a capital, not after an initial or an abbreviation ("Dr. Soong")."""
    by_length: dict[int, list[str]] = defaultdict(list)
    for word in abbreviations:
        by_length[len(word)].append(re.escape(word))
    # A lookbehind has one width: one per length of abbreviation.
    behind = "".join(rf"(?<!\b(?:{'|'.join(sorted(group))}))" for _, group in sorted(by_length.items()))
    # The lookahead first: without it every lookbehind is tried at every character (18x slower).
    return re.compile(rf"(?=[.!?])(?<![A-Z]){behind}[.!?]+[\"'\u201d\u2019)]*\s+(?=[A-Z\"\u201c(])")


@cache
def _default_verbs(titles: TitleGrammar) -> SummaryVerbs:
    text = resources.files("kg").joinpath("data", VERBS_FILE).read_text(encoding="utf-8")
    return SummaryVerbs.from_text(text, titles=titles, honorifics=Vocabulary.load().honorifics)


def find_relations(
    documents: Iterable[Document], mentions: Iterable[Mention], *, vocabulary: Vocabulary | None = None,
    titles: TitleGrammar | None = None, verbs: SummaryVerbs | None = None,
) -> list[Relation]:
    """Every met, wrote_to and wrote relation the documents state."""
    vocabulary = vocabulary or Vocabulary.load()
    titles = titles or TitleGrammar.load()
    verbs = verbs or SummaryVerbs.load(titles)
    by_field: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for mention in mentions:
        if mention.kind in ACTOR_KINDS and mention.entity_id:
            by_field[(mention.doc_id, mention.field)].append(mention)
    relations: list[Relation] = []
    is_gap = _GapTest(vocabulary, verbs.connectors)
    for doc in documents:
        title_actors = sorted(by_field.get((doc.doc_id, "title"), []), key=lambda m: m.start)
        parse = titles.parse(doc.title)
        stated = _TitleActors(parse, title_actors, vocabulary)
        relations += [Relation("met", a, b, doc.doc_id, doc.title) for a, b in stated.meetings]
        relations += [Relation("wrote_to", a, r, doc.doc_id, doc.title) for a, r in stated.correspondence]
        relations += [Relation("wrote", a, doc.doc_id, doc.doc_id, doc.title) for a in stated.authors]
        # Who speaks in the document: its author, or the keeper of the journal.
        narrator = stated.authors or stated.keepers
        title_people = _unique_ids(p for pair in stated.meetings for p in pair)
        guests = list(stated.hostless_guests)
        summary_actors = sorted(by_field.get((doc.doc_id, "summary"), []), key=lambda m: m.start)
        subject: list[str] = []
        for number, (offset, sentence) in enumerate(_sentences(doc.summary, verbs.sentence_end)):
            inside = [m for m in summary_actors if offset <= m.start < offset + len(sentence)]
            finder = _Finder(doc.summary, inside, vocabulary, is_gap, titles, verbs)
            evidence = sentence.strip()
            end = offset + len(sentence)
            found = []
            if number == 0 and (reporter := finder.reporter(offset, end)):
                # The title leaves the author or the host unnamed; the summary opens with who reports.
                if not stated.authors:
                    found += [("wrote_to", a, r) for a in reporter for r in stated.unsigned_recipients]
                hosts = [a for a in finder.reporter(offset, end, own_talks=True) if a not in guests]
                if hosts and guests and not title_people:
                    found += [("met", a, g) for a in hosts for g in guests]
                    narrator = narrator or hosts
            found += finder.sentence_relations(
                offset, end, conversation=parse.records_conversation, narrator=narrator, authors=stated.authors,
                hostless_guests=guests, previous_subject=subject, title_people=title_people,
            )
            if any(kind == "met" and (a in guests or b in guests) for kind, a, b in found):
                guests = []  # the host is found: later sentences name others
            relations += [Relation(kind, a, b, doc.doc_id, evidence, "summary") for kind, a, b in found if a != b]
            subject = finder.subject(offset, end) or subject
    return _unique(relations)


class _TitleActors:
    """Who a title's statements (``kg.titles``) name as authors, recipients and participants.

    The actors of a slot are the resolved people in it, or, where it names no one, its
    organizations, unless a role comes first ("the Head of the Delegation of the CCP": a
    person whose name the title does not give). A possessive name inside a slot
    qualifies another ("Shaoban Kazemi, Kashani's Secretary") and takes no part.
    """

    def __init__(self, parse: TitleParse, actors: list[Mention], vocabulary: Vocabulary) -> None:
        self.parse, self.actors, self.vocabulary = parse, actors, vocabulary
        self.meetings: list[tuple[str, str]] = []
        self.correspondence: list[tuple[str, str]] = []
        self.authors: list[str] = []  # of the document itself: its first correspondence statement
        self.keepers = _unique_ids(a for slot in parse.slots("keeper") for a in self._people(slot))
        self.hostless_guests: list[str] = []  # "Memorandum of Conversation with X": the summary names the host
        self.unsigned_recipients: list[str] = []  # "Report from the Head of the Delegation to Stalin"
        authors_of: dict[int, list[str]] = {}
        for index, statement in enumerate(parse.statements):
            if statement.relation == "wrote_to":
                authors = self._of(statement, "author")
                if not authors and statement.within is not None and statement.joined == "enclosed":
                    authors = authors_of.get(statement.within, [])  # "from Molotov with a Message to Kim"
                authors_of[index] = authors
                recipients = self._of(statement, "recipient")
                self.correspondence += [(a, r) for a in authors for r in recipients if a != r]
                if not self.authors and not self.unsigned_recipients and statement.within is None:
                    self.authors = authors
                    self.unsigned_recipients = [] if authors else recipients
            elif statement.relation == "met":
                self._meeting(statement, authors_of)

    def _meeting(self, statement: Statement, authors_of: dict[int, list[str]]) -> None:
        people = self._people_of(statement, "participants") + self._people_of(statement, "host")
        guests = self._people_of(statement, "guests")
        if not people and guests and not statement.of("host"):
            # The host of "a conversation with X" is who kept the journal, or who reports
            # his own talks ("Telegram from Peng to Mao regarding Meetings with Kim").
            people = self.keepers or (authors_of.get(statement.within, []) if statement.within is not None else [])
            people = [p for p in people if self._is_person(p)]
            if not people:
                self.hostless_guests += guests
                return
        self.meetings += list(combinations(_unique_ids(people + guests), 2))

    def _of(self, statement: Statement, role: str) -> list[str]:
        found = [(slot, m) for slot in statement.of(role) for m in self._inside(slot)]
        people = [m for _, m in found if m.kind == "person"]
        if people:
            return _unique_ids(m.entity_id for m in people)
        bodies = [m for slot, m in found if m.kind == "organization" and not self._after_role(slot, m)]
        return _unique_ids(m.entity_id for m in bodies)

    def _after_role(self, slot: Slot, mention: Mention) -> bool:
        """ "the Head of the Delegation of the CCP": a title that is "of" something comes first
        (an honorific such as "Cde." is no such role)."""
        words = [fold(w) for w in re.findall(r"[\w'\u2019-]+", self.parse.title[slot.start:mention.start])]
        return any(w in self.vocabulary.honorific_words and after == "of" for w, after in zip(words, words[1:]))

    def _people_of(self, statement: Statement, role: str) -> list[str]:
        return _unique_ids(a for slot in statement.of(role) for a in self._people(slot))

    def _people(self, slot: Slot) -> list[str]:
        return [m.entity_id for m in self._inside(slot) if m.kind == "person"]

    def _is_person(self, entity_id: str) -> bool:
        return any(m.entity_id == entity_id and m.kind == "person" for m in self.actors)

    def _inside(self, slot: Slot) -> list[Mention]:
        title = self.parse.title
        inside = [m for m in self.actors if m.start < slot.end and slot.start < m.end]
        # "the CPSU CC": the party named inside its committee is not an actor beside it.
        inside = [m for m in inside if not any(
            o is not m and o.start <= m.start and m.end <= o.end and (o.start, o.end) != (m.start, m.end) for o in inside
        )]
        if slot.leading:
            return inside
        return [m for m in inside if not (title[m.end:m.end + 2] in {"'s", "\u2019s"} and m.end + 2 < slot.end)]


def _unique_ids(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _sentences(text: str, sentence_end: re.Pattern) -> list[tuple[int, str]]:
    """(offset, sentence) pairs of a summary."""
    bounds = [0] + [m.end() for m in sentence_end.finditer(text)] + [len(text)]
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

    def __init__(self, vocabulary: Vocabulary, connectors: frozenset[str]) -> None:
        self._titles = vocabulary.honorifics_by_first_word
        self._connectors = connectors
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
            if words[i] in self._connectors or len(words[i]) == 1:  # "and R. Malinovsky": initials
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

    def __init__(
        self, text: str, actors: list[Mention], vocabulary: Vocabulary, is_gap: _GapTest, titles: TitleGrammar,
        verbs: SummaryVerbs,
    ) -> None:
        self.text = text
        self.actors = actors
        self.vocabulary = vocabulary
        self.is_gap = is_gap
        self.titles = titles
        self.verbs = verbs

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

    # -- meetings ---------------------------------------------------------------------------
    def sentence_relations(
        self, start: int, end: int, *, conversation: bool, narrator: list[str], authors: list[str],
        hostless_guests: list[str] = (), previous_subject: list[str] = (), title_people: list[str] = (),
    ) -> list[tuple[str, str, str]]:
        """(relation, a, b) stated by one summary sentence.

        - a run of two or more people as the subject of a meeting verb: they met;
        - a person meeting, receiving or speaking with others: they met;
        - a person informing, telling or asking another: in a record of conversation
          they met; in correspondence whose author it is, the author wrote to them;
        - "a meeting with X" with no subject: the narrator (journal keeper or author) met X;
        - a title's conversation "with X" that names no host: whoever meets or speaks
          with X (or with someone) in the summary is the host;
        - a person "also present" at, attending or joining the meeting the title records
          met its participants;
        - "In a meeting with X, Y said ...": Y met X; "his meeting with X": the last
          sentence's subject met X.
        """
        out: list[tuple[str, str, str]] = []
        people = [m for m in self.actors if m.kind == "person"]
        sentence = self.text[start:end]
        if not people and not (previous_subject and _PRONOUN_SUBJECT.match(sentence)):
            return out  # no one to meet, tell or be told
        for statement in self.titles.parse_sentence(sentence):  # "discussions between X and Y"
            talkers = [m.entity_id for m in people for slot in statement.slots
                       if start + slot.start < m.end and m.start < start + slot.end]
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
            if len(run) >= 2 and (self.verbs.together.match(rest) or conversation and opens_sentence and self.verbs.any_verb.match(rest)):
                # "Nam Il and Puzanov object to ...": co-subjects in a record of conversation spoke together.
                out += [("met", a, b) for a, b in combinations(run, 2)]
                continue
            if title_people and self.verbs.present.match(rest):
                out += [("met", a, b) for a in run for b in title_people]
                continue
            if verb := self.verbs.meet.match(rest):
                others = self._object(after_run + verb.end(), end)
                # "Kosygin met with Zhou Enlai, Li Xiannian, and Xie Fuzhi": one meeting of four.
                out += [("met", a, b) for a, b in combinations(_unique_ids(run + others), 2)]
                out += [("met", a, b) for a in run for b in hostless_guests if not others or b in others]
            elif verb := self.verbs.face_to_face.match(rest):
                others = self._object(after_run + verb.end(), end)
                out += [("met", a, b) for a in run for b in others]
                out += [("met", a, b) for a in run for b in hostless_guests if not others or b in others]
            elif verb := self.verbs.tell.match(rest):
                others = self._object(after_run + verb.end(), end)
                if conversation:
                    out += [("met", a, b) for a in run for b in others]
                    out += [("met", a, b) for a in run for b in hostless_guests if not others or b in others]
                elif authors and set(run) <= set(authors):
                    out += [("wrote_to", a, b) for a in run for b in others]
        for match in self.verbs.meeting_with.finditer(sentence):
            if any(m.start < start + match.start() for m in people):
                continue  # "X reports on his meetings with Y": the subject's verb says it
            if found := self._clause_after(start + match.end(), end):
                guests, speaker = found
                out += [("met", a, b) for a in speaker for b in guests]  # "In a meeting with X, Y said"
                continue
            guests = self._object(start + match.end(), end)
            if previous_subject and _POSSESSIVE_PRONOUN.search(sentence[:match.start()]):
                out += [("met", a, b) for a in previous_subject for b in guests]  # "his meeting with X"
            else:
                out += [("met", a, b) for a in narrator for b in guests]
        return [(kind, a, b) for kind, a, b in out if a != b]

    def reporter(self, start: int, end: int, *, own_talks: bool = False) -> list[str]:
        """The people who open a sentence, after their role, as the subject of a verb of
        reporting or writing ("Soviet Ambassador to Mongolia, Vasily Pisarev, reports on ...");
        with ``own_talks``, not one who passes on a record ("Plyshevsky forwards records of ...")."""
        first = next((m for m in self.actors if start <= m.start < end), None)
        if first is None or first.kind != "person":
            return []
        lead = self.text[start:first.start]
        if lead.strip() and not self._is_role(lead):
            return []
        run = self.run_from(first.start, kinds=("person",), limit=end)
        rest = self.text[self._run_end(first.start, len(run), end):end]
        if own_talks and self.verbs.forward.match(rest):
            return []
        return run if self.verbs.report.match(rest) else []

    def _clause_after(self, position: int, limit: int) -> tuple[list[str], list[str]] | None:
        """ "In a meeting with X, Y said ...": (X, Y) when a person's verb follows the comma."""
        comma = self.text.find(",", position, limit)
        if comma < 0:
            return None
        guests = [m.entity_id for m in self.actors if position <= m.start < comma and m.kind == "person"]
        first = next((m for m in self.actors if comma < m.start < limit and m.kind == "person"), None)
        if not guests or first is None:
            return None
        lead = self.text[comma + 1:first.start]
        if lead.strip() and not self._is_role(lead):
            return None
        speaker = self.run_from(first.start, kinds=("person",), limit=limit)
        rest = self.text[self._run_end(first.start, len(speaker), limit):limit]
        return (guests, speaker) if self.verbs.any_verb.match(rest) else None

    def subject(self, start: int, end: int) -> list[str]:
        """The people a sentence starts with (its likely subject), for "he" in the next one."""
        first = next((m for m in self.actors if start <= m.start < end), None)
        if first is None or first.kind != "person" or not self.is_gap(self.text[start:first.start]):
            return []
        return self.run_from(first.start, kinds=("person",), limit=end)

    def _object(self, position: int, limit: int) -> list[str]:
        """The people a verb takes: the run right after it, or after a role ("the PRC Ambassador Qiao")."""
        run = self.run_from(position, kinds=("person",), limit=limit)
        first = next((m for m in self.actors if m.start >= position and m.entity_id in run), None)
        if first is not None and self.text[first.end:first.end + 2] in {"'s", "\u2019s"}:
            return []  # "agrees with Mao's position": the object is the position
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
            if not (word[:1].isupper() or bare in self.verbs.role_glue or bare in self.vocabulary.honorific_words):
                return False
        return True

    def _run_end(self, position: int, count: int, limit: int) -> int:
        """Where the run of ``count`` people starting at ``position`` ends (after a possessive)."""
        people = [m for m in self.actors if m.start >= position and m.start < limit and m.kind == "person"]
        if not people or count == 0:
            return position
        end = people[min(count, len(people)) - 1].end
        return end + 2 if self.text[end:end + 2] in {"'s", "\u2019s"} else end
