"""Parse archival titles into their statements: who wrote to whom, who met whom, whose journal.

The title forms are data (``kg/data/title_forms.toml``, documented there): a form is a
wording of literal words, word classes and slots, and the relation it states. A title
is read by every form; where two forms read the same words, the one written first wins,
and several forms may each read a part of one title ("Telegram from X to Y, Conveying
the Telegram from Z to Y").

Parsing needs only the title's text, so extraction (which looks for names in the slots)
and relations (which reads the actors found there) share one parse. Slots are character
spans of the title; which names stand in them is for the caller to say.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from kg.dates import month_number
from kg.errors import KGError
from kg.names import fold
from kg.vocabulary import Vocabulary

FORMS_FILE = "title_forms.toml"
RELATIONS = ("met", "wrote_to", "journal")
SLOT_ROLES = {
    "met": ("participants", "host", "guests"),
    "wrote_to": ("author", "recipient"),
    "journal": ("keeper",),
}
#: At most this many words stand for "..." in a form.
GAP_WORDS = 3
#: A slot longer than this is no run of actors but a sentence.
MAX_SLOT_WORDS = 30
#: A statement this few words after a subject word ("on the Soviet Government's Answer to")
#: is part of the subject.
MAX_SUBJECT_WORDS = 4
#: A run of capitalized words before a form's first word holds at most this many.
MAX_LEADING_WORDS = 8

_BRACKETS = str.maketrans({c: " " for c in "[]()"} | {"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_WORD = re.compile(r"\S+")
_GAP_WORD = re.compile(r"\s*[^\s,;:]+")
_POSSESSIVE = re.compile(r"'s\b|'(?=\s)", re.I)
_OPENING_QUOTE = re.compile(r"^['\"\u201c]")
_CLAUSE_BREAK = re.compile(r"[:;]|\s[-\u2013\u2014]\s|,\s*['\"\u201c]")
# A subtitle in quotes: what the document is about, not who sent it.
_QUOTE_OPENS = re.compile(r"(?:^|(?<=[\s,:]))['\"\u201c](?=\w)")
_NUMBER = re.compile(r"^\d[\d,./:\-\u2013]*$")
_ARTICLES = frozenset({"the", "a", "an"})
_PRONOUNS = frozenset({"his", "her", "their", "its"})
# The shape of a name in a Title Case title: capitalized words and initials, a few particles.
_CAP_WORD = r"(?:(?:[A-Z]\.){2,3}|[A-Z\u00c0-\u024f][\w'\u2019\-]*\.?|[A-Z]\.)"
_NAME_RUN = re.compile(
    rf"(?:the\s+)?{_CAP_WORD}(?:\s+{_CAP_WORD}|\s+(?:de|da|van|von|bin|al|el|la|le|du|di)(?=\s+[A-Z]))*(?:'s|\u2019s)?"
)
_OF_NAME = re.compile(rf"\s+of\s+(?:the\s+)?{_CAP_WORD}(?:\s+{_CAP_WORD})*")
_RUN_JOIN = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)(?=(?:the\s+)?[A-Z])")
_ENDS_POSSESSIVE = re.compile(r"(?:'s|\u2019s)$")
_INITIAL = re.compile(r"^(?:[A-Z]\.){1,3},?$")
_FUNCTION_WORDS = frozenset("from with regarding concerning about into upon".split())
_COMMA = re.compile(",")
# Particles that stand inside a capitalized name: "Charles de Gaulle", "Osama bin Laden".
_CONNECTORS = frozenset({"and", "&"})


class TitleFormError(KGError):
    """A title form file cannot be used: it names the file, the form and what was expected."""


@dataclass(frozen=True)
class Slot:
    """Where the actors of one role stand in a title: ``title[start:end]``.

    ``leading`` slots are the capitalized run right before a form's words ("Mao
    Zedong's Audience"); the others run from the form's words to the end of the clause.
    """

    role: str
    start: int
    end: int
    leading: bool = False
    #: a leading slot closed by a possessive: "Mao Zedong's Audience"
    possessive: bool = False


@dataclass(frozen=True)
class Statement:
    """One form read in a title: the relation it states and its slots."""

    form: str
    relation: str
    start: int
    end: int
    slots: tuple[Slot, ...]
    #: The statement this one is part of, and how: "enclosed" ("Telegram from Molotov with a
    #: Message to Kim"), or "subject" ("... regarding Meetings with Kim"); None when on its own.
    within: int | None = None
    joined: str = ""

    def of(self, *roles: str) -> tuple[Slot, ...]:
        return tuple(slot for slot in self.slots if slot.role in roles)


@dataclass(frozen=True)
class TitleParse:
    """What a title states, form by form, in title order."""

    title: str
    statements: tuple[Statement, ...]
    #: The title names a meeting, a conversation or a journal, whether or not a form read
    #: who took part: its summary then tells what was said face to face.
    records_conversation: bool

    def slots(self, *roles: str) -> list[Slot]:
        return [slot for statement in self.statements for slot in statement.slots if not roles or slot.role in roles]

    def of(self, relation: str) -> list[Statement]:
        return [statement for statement in self.statements if statement.relation == relation]


@dataclass(frozen=True)
class _Element:
    kind: str  # "word", "class", "slot", "gap", "possessive", "comma", "start"
    value: str = ""
    pattern: re.Pattern | None = None


@dataclass(frozen=True)
class _Form:
    name: str
    relation: str
    elements: tuple[_Element, ...]


class TitleGrammar:
    """The title forms and the word lists that bound their slots."""

    def __init__(
        self, forms: list[_Form], classes: dict[str, re.Pattern], *, stops: list[str],
        correspondence_stops: list[str], roles_before_to: list[str], class_words: frozenset[str] = frozenset(),
        not_names: frozenset[str] = frozenset(), abbreviations: frozenset[str] = frozenset(),
        enclosures: list[str] = (), name_stops: list[str] = (), planned: list[str] = (),
        particles: frozenset[str] = frozenset(),
    ) -> None:
        self.forms = tuple(forms)
        self.classes = classes
        #: single words of the classes: a slot ends before ", Record of ..."
        self.class_words = frozenset(fold(w) for w in class_words)
        #: words that are never part of an actor's name ("Ciphered", "Cable", "Report")
        self.not_names = frozenset(fold(w) for w in not_names) | self.class_words
        #: abbreviations whose full stop ends no sentence ("Gen.", "Cde.")
        self.abbreviations = frozenset(fold(w).rstrip(".") for w in abbreviations)
        self._stops = _phrases(stops)
        self._correspondence_stops = self._stops | _phrases(correspondence_stops)
        self.roles_before_to = frozenset(fold(w) for w in roles_before_to)
        self.enclosures = frozenset(fold(w) for w in enclosures)
        self.planned = frozenset(fold(w) for w in planned)
        #: capitalized words that end a name in a Title Case title ("Molotov On the Question")
        self.name_stops = frozenset(fold(w) for w in name_stops)
        #: lower-case words a name runs on over ("and", "&", and particles: "de", "van")
        self._joiners = _CONNECTORS | frozenset(fold(w) for w in particles)
        self._particles = frozenset(fold(w) for w in particles)
        self._conversation = re.compile(
            "|".join(f"(?:{classes[name].pattern})" for name in ("meeting", "journal") if name in classes) or "(?!)",
            re.I,
        )
        self.parse = lru_cache(maxsize=1 << 16)(self._parse)
        # Eleven forms look for the same document words, and each form's elements are looked
        # for again from every place it might start: each search of a title is made once.
        self._starts = lru_cache(maxsize=1 << 12)(_starts)

    @classmethod
    def load(cls, path: str | Path | None = None) -> TitleGrammar:
        """The forms of ``path``, or kg's own (``kg/data/title_forms.toml``)."""
        if path is None:
            return _default_grammar()
        return cls.from_text(
            Path(path).read_text(encoding="utf-8"), origin=str(path), particles=Vocabulary.load().name_particles
        )

    @classmethod
    def from_text(
        cls, text: str, *, origin: str = FORMS_FILE, not_names: frozenset[str] = frozenset(),
        abbreviations: frozenset[str] = frozenset(), particles: frozenset[str] = frozenset(),
    ) -> TitleGrammar:
        """The grammar of a form file's text; ``not_names``, ``abbreviations`` and ``particles``
        come from the vocabulary (document-type words, honorifics, particles of names)."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise TitleFormError(f"{origin}: not a valid TOML file ({err})") from err
        classes = {
            name: _alternatives(words, origin=f"{origin}: class {name!r}")
            for name, words in (data.get("classes") or {}).items()
        }
        stops = data.get("stops") or {}
        names = data.get("names") or {}
        forms = [_read_form(entry, classes, origin=origin, number=i) for i, entry in enumerate(data.get("form") or [], 1)]
        if not forms:
            raise TitleFormError(f"{origin}: no [[form]] entries")
        words = frozenset(w for values in (data.get("classes") or {}).values() for w in values if " " not in w)
        return cls(
            forms, classes, stops=list(stops.get("words", [])),
            correspondence_stops=list(stops.get("correspondence_words", [])),
            roles_before_to=list(stops.get("roles_before_to", [])), class_words=words,
            not_names=not_names, abbreviations=abbreviations, enclosures=list(stops.get("enclosures", [])),
            name_stops=list(names.get("stops", [])), planned=list(stops.get("planned", [])),
            particles=particles,
        )

    # -- parsing --------------------------------------------------------------------------
    def _parse(self, title: str) -> TitleParse:
        text = title.translate(_BRACKETS)
        found: list[tuple[int, int, Statement]] = []
        for rank, form in enumerate(self.forms):
            position = 0
            while (statement := self._search(form, text, position)) is not None:
                found.append((rank, statement.start, statement))
                position = statement.end
        quoted = _QUOTE_OPENS.search(text)
        subtitle = quoted.start() if quoted else len(text)
        chosen: list[Statement] = []
        for rank, _, statement in sorted(found, key=lambda item: (item[0], item[1])):
            if statement.relation == "wrote_to" and (
                statement.start >= subtitle or self._in_subject(text, statement, self.forms[rank])
            ):
                continue  # "Cable from X, 'Letter to Y ...'", "Statement on Y's Answer to Z": the subject
            if not any(statement.start < other.end and other.start < statement.end for other in chosen):
                chosen.append(statement)
        chosen.sort(key=lambda s: s.start)
        return TitleParse(title, tuple(self._nest(text, chosen)), bool(self._conversation.search(text)))

    def _in_subject(self, text: str, statement: Statement, form: _Form) -> bool:
        """Whether a document the statement names stands after a subject word ("on",
        "regarding"): "Statement on the Soviet Government's Answer to the Note" is about
        correspondence, not an address. A verb ("... sent by X to Y") is the document's own."""
        if form.elements[0].kind not in {"class", "slot"}:
            return False
        before = _WORD.findall(text[:statement.start])
        for i in range(len(before) - 1, -1, -1):
            if "," in before[i] or len(before) - i > MAX_SUBJECT_WORDS + 1:
                return False  # "Report on the Conference of 1961, sent by X to Y": the document's own
            word = fold(before[i].strip(",.()"))
            if (word,) in self._stops and word not in self.enclosures:
                return True
        return False

    def parse_sentence(self, sentence: str) -> list[Statement]:
        """The meetings a summary sentence states by a form with participants ("talks between X and Y")."""
        text = sentence.translate(_BRACKETS)
        found = []
        for form in self.forms:
            if form.relation == "met" and any(e.kind == "slot" and e.value == "participants" for e in form.elements):
                position = 0
                while (statement := self._search(form, text, position)) is not None:
                    found.append(statement)
                    position = statement.end
        return found

    def _nest(self, text: str, statements: list[Statement]) -> Iterator[Statement]:
        """Each statement, with the correspondence it is part of when only subject words,
        enclosure words, articles and dates stand between them."""
        for i, statement in enumerate(statements):
            previous = statements[i - 1] if i else None
            if previous is not None and previous.relation == "wrote_to":
                gap = [fold(w.strip(",.()")) for w in _WORD.findall(text[previous.end:statement.start])]
                joiners = [w for w in gap if w and w not in _ARTICLES and not _is_date_word(w)]
                if all((w,) in self._correspondence_stops or w in _PRONOUNS for w in joiners):
                    how = "enclosed" if any(w in self.enclosures for w in joiners) else "subject"
                    statement = Statement(statement.form, statement.relation, statement.start, statement.end,
                                          statement.slots, i - 1, how)
            yield statement

    # -- names in slots -------------------------------------------------------------------
    def name_starts(self, parse: TitleParse) -> list[int]:
        """Where names may begin in a title's slots: each slot's start, but for leading slots
        with no possessive, which are read from the names found there ("Harriman Meeting")."""
        return sorted({slot.start for slot in parse.slots() if not slot.leading or slot.possessive})

    def name_at(self, title: str, position: int, *, vocabulary: Vocabulary, known) -> tuple[int, int] | None:
        """The capitalized name that starts at ``position`` in a Title Case title, if any:
        cut before words that cannot be part of a name, and extended over "of the ..."
        unless ``known`` (a callable) already knows the shorter name."""
        match = _NAME_RUN.match(title, position)
        if not match:
            return None
        start, end = self._name_bounds(title, match.start(), match.end(), vocabulary)
        if end > start and (tail := _OF_NAME.match(title, end)) and not known(title[start:end]):
            end = self._name_bounds(title, start, tail.end(), vocabulary, allow_of=True)[1]
        return start, end

    @staticmethod
    def run_goes_on(title: str, end: int) -> int | None:
        """Where the next name of a run ("X and Y", "X, Y, and Z") starts after ``end``."""
        follow = _RUN_JOIN.match(title, end)
        return follow.end() if follow else None

    def _name_bounds(
        self, title: str, start: int, end: int, vocabulary: Vocabulary, *, allow_of: bool = False
    ) -> tuple[int, int]:
        """The run cut before the first word that cannot be part of a name in a title."""
        cursor = start
        for word in _WORD.finditer(title, start, end):
            bare = fold(word.group().strip(",.;:'\u2019\"()"))
            if allow_of and bare in {"of", "the"}:
                continue
            if _INITIAL.match(word.group()) or bare in vocabulary.honorific_words:
                cursor = word.end()
                continue  # "A. S. Anikin" (not the article "a"), "Cde. Kovalev" (kept for resolution to strip)
            if bare in self.name_stops or bare in vocabulary.doctype_words or bare in vocabulary.event_words or bare.isdigit():
                break
            cursor = word.end()
            if _ENDS_POSSESSIVE.search(word.group()):
                break  # "The Chairman's Interjections": a possessive ends the name
        if _ENDS_POSSESSIVE.search(title[start:cursor]):
            cursor -= 2
        return start, max(start, len(title[:cursor].rstrip(",;: ")))

    def _search(self, form: _Form, text: str, position: int) -> Statement | None:
        """The first reading of ``form`` in ``text`` that starts at or after ``position``."""
        first = form.elements[0]
        if first.kind == "start":
            if position > 0:
                return None
            begin = _skip_space(text, 0)
            if form.elements[1].kind != "slot":
                return self._statement(form, begin, self._match(form, 1, text, begin, []))
            # "L. Beria to Cde. V.M. Molotov": with no document word, the slot must be a run of names.
            for found in self._occurrences(form.elements[2], text, begin):
                if self._leading_start(text, len(text[:found].rstrip(" ,")), lower=0) == begin:
                    return self._statement(form, begin, self._match(form, 1, text, begin, []))
            return None
        if first.kind == "slot":  # a leading slot: find the next element, then look back
            anchor = form.elements[1]
            for found in self._occurrences(anchor, text, position):
                end = len(text[:found].rstrip())
                start = self._leading_start(text, end, lower=position)
                if start is None:
                    continue
                slot = Slot(first.value, start, end, leading=True, possessive=anchor.kind == "possessive")
                if statement := self._statement(form, start, self._match(form, 1, text, found, [slot])):
                    return statement
            return None
        for found in self._occurrences(first, text, position):
            if statement := self._statement(form, found, self._match(form, 0, text, found, [])):
                return statement
        return None

    def _statement(self, form: _Form, start: int, matched: tuple[list[Slot], int] | None) -> Statement | None:
        if matched is None or not matched[0]:
            return None
        slots, end = matched
        return Statement(form.name, form.relation, start, end, tuple(slots))

    def _occurrences(self, element: _Element, text: str, position: int) -> Iterator[int]:
        """Where ``element`` could start, from ``position`` on."""
        if element.kind == "possessive":
            yield from self._starts(_POSSESSIVE, text, position)
        elif element.kind == "comma":
            yield from self._starts(_COMMA, text, position)
        elif element.kind == "class" and element.value == "meeting":
            for start in self._starts(element.pattern, text, position):
                before = [fold(w.strip(",.()")) for w in _WORD.findall(text[max(0, start - 60):start])]
                if not self.planned & set(before[-3:]):
                    yield start  # not "to establish a meeting between ...", "the proposed talks"
        elif element.pattern is not None:
            yield from self._starts(element.pattern, text, position)

    def _match(
        self, form: _Form, index: int, text: str, position: int, slots: list[Slot]
    ) -> tuple[list[Slot], int] | None:
        """Match ``form.elements[index:]`` at ``position``: the slots read and where the match ends."""
        if index == len(form.elements):
            return slots, position
        element = form.elements[index]
        if element.kind == "slot":
            start = _skip_space(text, position)
            if not self._may_open_slot(text, start):
                return None
            if index == len(form.elements) - 1:
                end = self._trailing_end(text, start, form.relation)
                if end <= start or not _has_letter(text[start:end]):
                    return None
                return slots + [Slot(element.value, start, end)], end
            following = form.elements[index + 1]
            for found in self._occurrences(following, text, start):
                end = len(text[:found].rstrip(" ,"))
                if end <= start:
                    continue
                verdict = self._inner_slot(text[start:end], following, form.relation)
                if verdict == "stop":
                    return None
                if verdict == "ok":
                    matched = self._match(form, index + 1, text, found, slots + [Slot(element.value, start, end)])
                    if matched is not None:
                        return matched
            return None
        if element.kind == "gap":
            cursor = position
            for _ in range(GAP_WORDS + 1):
                matched = self._match(form, index + 1, text, cursor, slots)
                if matched is not None:
                    return matched
                word = _GAP_WORD.match(text, cursor)
                if word is None:
                    return None
                cursor = word.end()
            return None
        end = self._element_end(element, text, position)
        if end is None:
            return None
        return self._match(form, index + 1, text, end, slots)

    def _element_end(self, element: _Element, text: str, position: int) -> int | None:
        if element.kind == "possessive":
            match = _POSSESSIVE.match(text, position)
        elif element.kind == "comma":
            match = _COMMA.match(text, _skip_space(text, position))
        else:
            match = element.pattern.match(text, _skip_space(text, position, commas=element.kind == "word"))
        return match.end() if match else None

    def _inner_slot(self, slot_text: str, following: _Element, relation: str) -> str:
        """Whether a slot that a form's next word closes reads well: "ok", "next" (try a later
        occurrence of that word) or "stop" (no later occurrence can help)."""
        words = _WORD.findall(slot_text)
        if len(words) > MAX_SLOT_WORDS or _CLAUSE_BREAK.search(slot_text) or self._stop_at(words, relation) is not None:
            return "stop"
        if not _has_letter(slot_text):
            return "next"
        if following.kind == "word" and following.value == "to" and fold(words[-1].strip(".,")) in self.roles_before_to:
            return "next"  # "Ambassador to Poland ...": a role, not the recipient
        return "ok"

    def _may_open_slot(self, text: str, start: int) -> bool:
        """A slot begins with a name, a title or an article: not "'Measures", "26 June", "Record of"."""
        first = _WORD.match(text, start)
        if first is None:
            return False
        token = first.group()
        bare = fold(token.strip(",.;:()"))
        if _OPENING_QUOTE.match(token) or token[:1].isdigit() or bare in self.not_names:
            return False
        return token[:1].isupper() or bare in _ARTICLES

    def _stop_at(self, words: list[str], relation: str) -> int | None:
        """The index of the first word that ends a slot: a stop word or a participle ("requesting")."""
        stops = self._correspondence_stops if relation == "wrote_to" else self._stops
        folded = [fold(w.strip(".,()")) for w in words]
        for i, word in enumerate(words):
            if word.islower() and word.endswith("ing") and len(word) > 4:
                return i
            for size in (3, 2, 1):
                if tuple(folded[i:i + size]) in stops:
                    return i
        return None

    def _trailing_end(self, text: str, start: int, relation: str) -> int:
        """Where a slot that ends its form ends: before the subject, a break or a date."""
        words = list(_WORD.finditer(text, start))
        end = len(text)
        cut = self._stop_at([w.group() for w in words], relation)
        if cut is not None:
            end = words[cut].start()
        if brk := _CLAUSE_BREAK.search(text, start, end):
            end = brk.start()
        for i, word in enumerate(words):
            if word.start() >= end:
                break
            token = word.group()
            if i >= MAX_SLOT_WORDS or _NUMBER.match(token.strip("()[]")):
                end = word.start()
                break
            if i == 0:
                continue
            previous = words[i - 1].group()
            if previous.endswith(",") and (_opens_circumstance(token) or fold(token.strip(",.")) in self.class_words):
                end = words[i - 1].end() - 1  # ", 5 June 1964", ", Referring to", ", Record of ..."
                break
            if self._ends_sentence(previous) and token[:1].isupper():
                end = words[i - 1].end() - 1
                break
        return len(text[:end].rstrip(" ,.;:'\"\u201d"))

    def _ends_sentence(self, token: str) -> bool:
        """ "Chervonenko." ends a sentence; "Gen.", "Cde." and "V." do not."""
        if not token.endswith("."):
            return False
        bare = token.rstrip(".").strip("()[]\"'")
        return len(bare) > 2 and bare[-1].islower() and fold(bare) not in self.abbreviations

    def _leading_start(self, text: str, end: int, *, lower: int) -> int | None:
        """The start of the run of capitalized words that ends at ``end``, or None."""
        start = None
        taken = 0
        for word in reversed(list(_WORD.finditer(text, lower, end))):
            token = word.group()
            bare = token.strip(",")
            if token.endswith((":", ";")) or _OPENING_QUOTE.match(token) or taken >= MAX_LEADING_WORDS:
                break
            if fold(bare.strip(".()")) in self.not_names or self._ends_sentence(token):
                break  # "Ciphered Telegram", "Report": words of documents, not of names
            if start is not None and _POSSESSIVE.search(bare):
                break  # "Guinea's Minister Diop": another owner
            if bare[:1].isupper() or fold(bare) in _CONNECTORS or fold(bare) in self._particles and start is not None:
                start = word.start()
                taken += 1
                continue
            break
        if start is None:
            return None
        # A run does not begin with "and" or a particle.
        while (first := _WORD.match(text, start)) and fold(first.group().strip(",")) in self._joiners:
            start = _skip_space(text, first.end())
            if start >= end:
                return None
        return start


def _starts(pattern: re.Pattern, text: str, position: int) -> tuple[int, ...]:
    """Where ``pattern`` matches in ``text`` from ``position`` on, as ``finditer`` finds them."""
    return tuple(match.start() for match in pattern.finditer(text, position))


def _opens_circumstance(word: str) -> bool:
    """After a comma, a date or a participle starts what the title is about, not a name:
    ", 5 June 1964", ", July 31", ", Referring to ..."."""
    bare = word.strip(",.;:'\"")
    return bool(bare) and (bare[0].isdigit() or month_number(bare) is not None or bare[0].isupper() and bare.endswith("ing"))


def _is_date_word(word: str) -> bool:
    return word[:1].isdigit() or month_number(word) is not None


def _has_letter(text: str) -> bool:
    return any(c.isalpha() for c in text)


def _skip_space(text: str, position: int, *, commas: bool = False) -> int:
    while position < len(text) and (text[position].isspace() or commas and text[position] == ","):
        position += 1
    return position


def _phrases(words: list[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(fold(w) for w in phrase.split()) for phrase in words)


def _alternatives(words: list[str], *, origin: str) -> re.Pattern:
    if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
        raise TitleFormError(f"{origin}: expected a list of words")
    longest_first = sorted({" ".join(w.split()) for w in words}, key=lambda w: (-len(w), w))
    body = "|".join(r"\s+".join(map(re.escape, w.split())) for w in longest_first)
    return re.compile(rf"(?<![\w\-])(?<!\w')(?:{body})(?![\w\-])", re.I)


def _read_form(entry: dict, classes: dict[str, re.Pattern], *, origin: str, number: int) -> _Form:
    where = f"{origin}: form {number}"
    if not isinstance(entry, dict):
        raise TitleFormError(f"{where}: expected a table with name, relation and wording")
    name, relation, wording = entry.get("name"), entry.get("relation"), entry.get("wording")
    if not isinstance(name, str) or not name.strip():
        raise TitleFormError(f"{where}: missing name")
    where = f"{origin}: form {name!r}"
    if relation not in RELATIONS:
        raise TitleFormError(f"{where}: relation {relation!r}; expected one of {', '.join(RELATIONS)}")
    if not isinstance(wording, str) or not wording.strip():
        raise TitleFormError(f"{where}: missing wording")
    elements = []
    for token in wording.split():
        if token == "^":
            elements.append(_Element("start"))
        elif token == "...":
            elements.append(_Element("gap"))
        elif token == "'s":
            elements.append(_Element("possessive"))
        elif token == ",":
            elements.append(_Element("comma"))
        elif token.startswith("{") and token.endswith("}"):
            label = token[1:-1]
            if label in SLOT_ROLES[relation]:
                elements.append(_Element("slot", label))
            elif label in classes:
                elements.append(_Element("class", label, classes[label]))
            else:
                raise TitleFormError(
                    f"{where}: unknown {token}; expected a word class ({', '.join(sorted(classes))}) or a slot of "
                    f"{relation} ({', '.join(SLOT_ROLES[relation])})"
                )
        else:
            elements.append(_Element("word", fold(token), _alternatives([token], origin=where)))
    if not any(e.kind == "slot" for e in elements):
        raise TitleFormError(f"{where}: the wording has no slot")
    for before, after in zip(elements, elements[1:]):
        if before.kind == "slot" and after.kind in {"slot", "gap"}:
            raise TitleFormError(f"{where}: a slot must be followed by a word, a class, 's or a comma")
    if elements[0].kind == "gap" or elements[0].kind == "start" and len(elements) > 1 and elements[1].kind == "gap":
        raise TitleFormError(f"{where}: a wording cannot start with ...")
    return _Form(name.strip(), relation, tuple(elements))


@cache
def _default_grammar() -> TitleGrammar:
    vocabulary = Vocabulary.load()
    text = resources.files("kg").joinpath("data", FORMS_FILE).read_text(encoding="utf-8")
    # The document-type words that are words of their own ("ciphered", "draft"), not the
    # function words and titles the list also holds for its own use ("from", "the", "Cde").
    honorifics = vocabulary.honorific_words
    not_names = frozenset(w for w in vocabulary.doctype_words if len(w) > 3 and w not in honorifics and w.isalpha())
    return TitleGrammar.from_text(
        text, origin=f"kg/data/{FORMS_FILE}", not_names=not_names - _FUNCTION_WORDS,
        abbreviations=frozenset(h for h in vocabulary.honorifics if " " not in h), particles=vocabulary.name_particles,
    )
