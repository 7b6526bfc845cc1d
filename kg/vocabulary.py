"""The word lists of ``kg/data/`` (honorifics, body words, demonyms ...) read into one ``Vocabulary``."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

from kg.names import fold, singular, strip_possessive, without_the

_EDGE_PUNCT = " \t,;:.!?\"'()[]{}\u201c\u201d\u2018\u2019-\u2013\u2014"
_FIRST_WORD = re.compile(r"[^ .\u00a0]*")
_ORDINAL_DIGITS = re.compile(r"\d+(?:st|nd|rd|th)")


@dataclass(frozen=True)
class Vocabulary:
    """The word lists of ``kg/data/``, and the tests made of them.

    An "honorific" here is a title or role written before a name ("Comrade",
    "Ambassador", "Secretary of State"); a document's title is another thing
    (``kg.titles``).
    """

    honorifics: tuple[str, ...]
    doctype_words: frozenset[str]
    demonyms: frozenset[str]
    event_words: frozenset[str] = frozenset()
    #: mined topic phrases: heads that name no subject, modifiers that judge or date, plurals kept whole
    topic_generic_heads: frozenset[str] = frozenset()
    topic_qualifiers: frozenset[str] = frozenset()
    plural_words: frozenset[str] = frozenset()
    body_words: frozenset[str] = frozenset()
    #: body words that name a body in lower case too, after a place or nation ("the Xinjiang government")
    lower_body_words: frozenset[str] = frozenset()
    #: body words for a body's people ("delegation", "leadership"): never the head of a body built by rule
    group_words: frozenset[str] = frozenset()
    #: the parts of bodies' names written in several ways: variant words -> standard words
    body_synonyms: tuple[tuple[str, str], ...] = ()
    #: last words of names that hold a possessive ("People's Republic", "Workers' Party")
    name_heads: frozenset[str] = frozenset()
    #: words that make a body of the name they stand in ("Brazilian Embassy", "Leon Levy Foundation")
    organization_words: frozenset[str] = frozenset()
    #: plural heads of groups of people, no entity: "Korean Political Parties", "Residents of Dalian"
    group_plurals: frozenset[str] = frozenset()
    #: last words of bodies that sit in a place: "the Chinese Embassy in Guinea" is one body
    seated_words: tuple[str, ...] = ()
    #: ordinal numbers in words ("first", "twelfth"): with a number they make a short name distinctive
    ordinal_words: frozenset[str] = frozenset()
    #: particles inside people's names ("de", "van", "bin"), written in lower case
    name_particles: frozenset[str] = frozenset()

    @cached_property
    def honorific_words(self) -> frozenset[str]:
        """Single words of honorifics ("ambassador", "minister"), for recognizing role phrases."""
        return frozenset(word for title in self.honorifics for word in title.replace(".", " ").split())

    @cached_property
    def honorific_set(self) -> frozenset[str]:
        return frozenset(self.honorifics)

    @cached_property
    def honorifics_by_first_word(self) -> dict[str, tuple[str, ...]]:
        """The honorifics (as in ``honorifics``, longest first) grouped by their first word.

        An honorific ends at a space or a dot, so it can only match text that starts with its
        first word: the matchers look at a handful of honorifics instead of all of them.
        """
        groups: dict[str, list[str]] = {}
        for title in self.honorifics:
            groups.setdefault(_FIRST_WORD.match(title).group(), []).append(title)
        return {first: tuple(group) for first, group in groups.items()}

    @classmethod
    def load(cls) -> Vocabulary:
        return _default_vocabulary()

    def strip_honorifics(self, name: str) -> str:
        """Drop leading titles and honorifics, repeatedly ("Soviet Ambassador Cde. Yudin")."""
        text = without_the(name)
        changed = True
        while changed:
            changed = False
            folded = fold(text)
            for title in self.honorifics_by_first_word.get(_FIRST_WORD.match(folded).group(), ()):
                if folded.startswith(title) and len(folded) > len(title):
                    rest = text[len(title):]
                    if rest[:1] in {".", " ", "\u00a0"}:
                        stripped = rest.lstrip(". \u00a0")
                        if stripped and stripped[0].isupper():
                            text, changed = stripped, True
                            break
        return text

    def clean(self, surface: str) -> str:
        """A surface form as a bare name: no honorifics, possessive or edge punctuation."""
        text = " ".join(surface.split()).strip(_EDGE_PUNCT)
        text = strip_possessive(text).strip(_EDGE_PUNCT)
        return self.strip_honorifics(text).strip(_EDGE_PUNCT)

    def is_doctype_junk(self, text: str) -> bool:
        """Only document-type words, numbers and punctuation: "Cable No. 832"."""
        words = [w for w in re.split(r"[^\w]+", fold(text)) if w]
        return any(w in self.doctype_words for w in words) and all(
            w in self.doctype_words or w.isdigit() or len(w) == 1 for w in words
        )

    def is_event(self, text: str) -> bool:
        """A name headed by an event or agreement word: "Treaty of Alliance", "Geneva Conference"."""
        words = [w for w in re.split(r"[^\w]+", fold(text)) if w]
        return bool(words) and (
            words[0] in self.event_words or words[-1] in self.event_words or singular(words[-1]) in self.event_words
        )

    @cached_property
    def body_abbreviations(self) -> frozenset[str]:
        """One-word short forms of body words ("CC", "TsK" for a central committee)."""
        return frozenset(
            variant for variant, standard in self.body_synonyms
            if " " not in variant and standard.split()[-1] in self.body_words
        )

    def is_body_word(self, word: str) -> bool:
        """A word that heads the names of bodies ("Committee", "Ministries", "CC")."""
        word = strip_possessive(fold(word)).strip(_EDGE_PUNCT)
        return word in self.body_words or singular(word) in self.body_words or word.replace(".", "") in self.body_abbreviations

    def makes_body(self, word: str) -> bool:
        """A word that makes a body of the name it stands in, when a rule must guess the
        name's kind ("Embassy", "Foundation", "Party", "Daily")."""
        folded = fold(word)
        return folded in self.organization_words or folded in self.name_heads

    def body_words_of(self, name: str) -> list[str]:
        """A body's name as folded words in the standard wording ("the Political Bureau of
        the CC" -> politburo of the central committee -> ["politburo"])."""
        text = _plain_words(name)
        for _ in range(3):  # "CPSU CC Presidium" -> "CPSU Central Committee Presidium" -> "CPSU Presidium"
            before = text
            for variant, standard in self.body_synonyms:
                text = text.replace(f" {variant} ", f" {standard} ")
            if text == before:
                break
        return text.split()

    def is_role(self, text: str) -> bool:
        """A title followed by what it is of, not a name: "Minister of the Armed Forces"."""
        words = fold(text).split()
        for size in range(min(4, len(words) - 1), 0, -1):
            if " ".join(words[:size]).rstrip(".") in self.honorific_set and words[size] in {"of", "to", "for", "in", "at"}:
                return True
        return False

    def is_honorific(self, text: str) -> bool:
        """The whole text is a title or honorific ("Secretary of State", "Albanian Ambassador")."""
        words = fold(text).replace(".", " ").split()
        for size in range(len(words)):
            if (not size or " ".join(words[:size]) in self.demonyms) and " ".join(words[size:]) in self.honorific_set:
                return True
        return False

    def is_demonym(self, text: str) -> bool:
        """An adjective of nationality, or a hyphenated run of them ("Sino-Soviet")."""
        folded = " ".join(fold(text).split())
        if folded in self.demonyms or folded.endswith("s") and folded[:-1] in self.demonyms:
            return True
        parts = [p for p in re.split(r"[-\u2013/]", folded) if p]
        return len(parts) > 1 and all(p.strip() in self.demonyms for p in parts)

    @cached_property
    def _seated(self) -> re.Pattern:
        return re.compile("(?:" + "|".join(map(re.escape, self.seated_words)) + ")$", re.I)

    def is_seated(self, name: str) -> bool:
        """A body that sits in a place ("Chinese Embassy", "Trade Mission"): its name ends in a seated word."""
        return bool(self.seated_words) and self._seated.search(name) is not None

    def is_ordinal(self, word: str) -> bool:
        """ "36th", "Eleventh": an ordinal number, in digits or words."""
        folded = fold(word)
        return bool(_ORDINAL_DIGITS.fullmatch(folded)) or folded in self.ordinal_words


def read_list(name: str) -> list[str]:
    """The lines of ``kg/data/NAME`` that are neither blank nor comments (``#``), stripped."""
    text = resources.files("kg").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _plain_words(name: str) -> str:
    """Folded words without "the", dots and possessives, padded with spaces: " cc of rwp "."""
    words = re.findall(r"[\w()'\-]+", fold(name).replace(".", ""))
    words = [re.sub(r"'s$|(?<=s)'$", "", w) for w in words if w != "the"]
    return " " + " ".join(w for w in words if w) + " "


def _read_synonyms(name: str) -> tuple[tuple[str, str], ...]:
    """``variant = standard`` lines in plain words, longest variant first."""
    pairs = []
    for line in read_list(name):
        variant, _, standard = line.partition("=")
        if variant.strip() and standard.strip():
            pairs.append((_plain_words(variant).strip(), _plain_words(standard).strip()))
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[0])))


#: Vocabulary fields read from one list each, folded: field -> file of kg/data/
_FOLDED_LISTS = {
    "doctype_words": "doctype_words.txt",
    "event_words": "event_words.txt",
    "topic_generic_heads": "topic_generic_heads.txt",
    "topic_qualifiers": "topic_qualifiers.txt",
    "plural_words": "plural_words.txt",
    "body_words": "body_words.txt",
    "lower_body_words": "body_words_lower.txt",
    "group_words": "group_words.txt",
    "name_heads": "name_heads.txt",
    "organization_words": "organization_words.txt",
    "group_plurals": "group_plurals.txt",
    "ordinal_words": "ordinal_words.txt",
    "name_particles": "name_particles.txt",
}


@cache
def _default_vocabulary() -> Vocabulary:
    # Longest first, so "Soviet Ambassador" is stripped before "Soviet" could match.
    honorifics = sorted({fold(t).rstrip(".") for t in read_list("honorifics.txt")}, key=lambda t: (-len(t), t))
    return Vocabulary(
        honorifics=tuple(honorifics),
        demonyms=frozenset(" ".join(fold(w).split()) for w in read_list("demonyms.txt")),
        body_synonyms=_read_synonyms("body_synonyms.txt"),
        seated_words=tuple(read_list("seated_words.txt")),
        **{field: frozenset(fold(w) for w in read_list(name)) for field, name in _FOLDED_LISTS.items()},
    )
