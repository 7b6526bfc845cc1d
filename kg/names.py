"""Normalize archival name spellings: keys, honorifics, possessives, initials, typos."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_POSSESSIVE = re.compile(r"'s$|'$")
_EDGE_PUNCT = " \t,;:.!?\"'()[]{}\u201c\u201d\u2018\u2019-\u2013\u2014"
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_FIRST_WORD = re.compile(r"[^ .\u00a0]*")
_INITIAL = re.compile(r"(?:[A-Z\u00c0-\u024f][a-z]?\.)+")


@lru_cache(maxsize=1 << 17)
def fold(text: str) -> str:
    """Accents removed and case folded: "Ceaușescu" -> "ceausescu"."""
    # Cached: resolution and relations fold the same few thousand names and gaps over and over.
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=1 << 17)
def name_key(name: str) -> str:
    """The matching key of a name: folded, with only letters and digits kept.

    "T.V. Soong", "T. V. Soong" and "t v soong" share one key, as do
    "Chiang Kai-Shek" and "Chiang Kai-shek".
    """
    return "".join(c for c in fold(_LEADING_THE.sub("", name.strip())) if c.isalnum())


def name_tokens(name: str) -> list[str]:
    """Folded word tokens of a name; initials become single letters."""
    return [t for t in re.split(r"[^\w]+", fold(name)) if t]


def abbreviates(acronym: str, before: str) -> bool:
    """ "CPSU" after "the Communist Party of the Soviet Union": the initials of the
    capitalized words that end ``before``."""
    letters = [c for c in acronym if c.isalpha()]
    if not (2 <= len(letters) <= 8) or not all(c.isupper() for c in letters):
        return False
    initials = [w[0] for w in re.findall(r"[^\W\d_][\w'\u2019\-]*", before) if w[0].isupper()]
    return len(initials) >= len(letters) and "".join(initials[-len(letters):]).casefold() == "".join(letters).casefold()


def without_middle_initials(name: str) -> str:
    """ "Stepan V. Chervonenko" -> "Stepan Chervonenko": a given name and a surname, the initials between dropped."""
    words = name.split()
    if len(words) < 3 or _INITIAL.fullmatch(words[0]):
        return name
    kept = [words[0]] + [w for w in words[1:-1] if not _INITIAL.fullmatch(w)] + [words[-1]]
    return " ".join(kept)


def singular(word: str) -> str:
    """A plural noun's singular, by the regular endings: "ministries" -> "ministry"."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def strip_possessive(text: str) -> str:
    text = text.translate(_APOSTROPHES).rstrip()
    return _POSSESSIVE.sub("", text).rstrip() if len(text) > 3 else text


@dataclass(frozen=True)
class Vocabulary:
    """Word lists the resolution rules use, read from data files users can extend."""

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

    @cached_property
    def title_words(self) -> frozenset[str]:
        """Single words of titles ("ambassador", "minister"), for recognizing role phrases."""
        return frozenset(word for title in self.honorifics for word in title.replace(".", " ").split())

    @cached_property
    def title_set(self) -> frozenset[str]:
        return frozenset(self.honorifics)

    @cached_property
    def titles_by_first_word(self) -> dict[str, tuple[str, ...]]:
        """The titles (as in ``honorifics``, longest first) grouped by their first word.

        A title ends at a space or a dot, so it can only match text that starts with its
        first word: the matchers look at a handful of titles instead of all of them.
        """
        groups: dict[str, list[str]] = {}
        for title in self.honorifics:
            groups.setdefault(_FIRST_WORD.match(title).group(), []).append(title)
        return {first: tuple(group) for first, group in groups.items()}

    @classmethod
    def load(cls) -> Vocabulary:
        return _default_vocabulary()

    def strip_titles(self, name: str) -> str:
        """Drop leading titles and honorifics, repeatedly ("Soviet Ambassador Cde. Yudin")."""
        text = _LEADING_THE.sub("", name.strip())
        changed = True
        while changed:
            changed = False
            folded = fold(text)
            for title in self.titles_by_first_word.get(_FIRST_WORD.match(folded).group(), ()):
                if folded.startswith(title) and len(folded) > len(title):
                    rest = text[len(title):]
                    if rest[:1] in {".", " ", "\u00a0"}:
                        stripped = rest.lstrip(". \u00a0")
                        if stripped and stripped[0].isupper():
                            text, changed = stripped, True
                            break
        return text

    def clean(self, surface: str) -> str:
        """A surface form as a bare name: no titles, possessive or edge punctuation."""
        text = " ".join(surface.split()).strip(_EDGE_PUNCT)
        text = strip_possessive(text).strip(_EDGE_PUNCT)
        return self.strip_titles(text).strip(_EDGE_PUNCT)

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
            if " ".join(words[:size]).rstrip(".") in self.title_set and words[size] in {"of", "to", "for", "in", "at"}:
                return True
        return False

    def is_title(self, text: str) -> bool:
        """The whole text is a title or honorific ("Secretary of State", "Albanian Ambassador")."""
        words = fold(text).replace(".", " ").split()
        for size in range(len(words)):
            if (not size or " ".join(words[:size]) in self.demonyms) and " ".join(words[size:]) in self.title_set:
                return True
        return False

    def is_demonym(self, text: str) -> bool:
        """An adjective of nationality, or a hyphenated run of them ("Sino-Soviet")."""
        folded = " ".join(fold(text).split())
        if folded in self.demonyms or folded.endswith("s") and folded[:-1] in self.demonyms:
            return True
        parts = [p for p in re.split(r"[-\u2013/]", folded) if p]
        return len(parts) > 1 and all(p.strip() in self.demonyms for p in parts)


def _read_list(name: str) -> list[str]:
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
    for line in _read_list(name):
        variant, _, standard = line.partition("=")
        if variant.strip() and standard.strip():
            pairs.append((_plain_words(variant).strip(), _plain_words(standard).strip()))
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[0])))


@cache
def _default_vocabulary() -> Vocabulary:
    # Longest first, so "Soviet Ambassador" is stripped before "Soviet" could match.
    titles = sorted({fold(t).rstrip(".") for t in _read_list("honorifics.txt")}, key=lambda t: (-len(t), t))
    return Vocabulary(
        honorifics=tuple(titles),
        doctype_words=frozenset(fold(w) for w in _read_list("doctype_words.txt")),
        demonyms=frozenset(" ".join(fold(w).split()) for w in _read_list("demonyms.txt")),
        event_words=frozenset(fold(w) for w in _read_list("event_words.txt")),
        topic_generic_heads=frozenset(fold(w) for w in _read_list("topic_generic_heads.txt")),
        topic_qualifiers=frozenset(fold(w) for w in _read_list("topic_qualifiers.txt")),
        plural_words=frozenset(fold(w) for w in _read_list("plural_words.txt")),
        body_words=frozenset(fold(w) for w in _read_list("body_words.txt")),
        lower_body_words=frozenset(fold(w) for w in _read_list("body_words_lower.txt")),
        group_words=frozenset(fold(w) for w in _read_list("group_words.txt")),
        body_synonyms=_read_synonyms("body_synonyms.txt"),
    )


def edit_distance(a: str, b: str, *, limit: int = 2) -> int:
    """Damerau-Levenshtein distance (adjacent swaps cost 1), cut off above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def deletions(key: str, depth: int = 1) -> set[str]:
    """All strings made by deleting up to ``depth`` (1 or 2) characters (the SymSpell trick).

    Two keys within edit distance 1 always share an entry of their deletion sets, so
    typo candidates are found by lookup instead of comparing every pair of names.
    """
    if depth not in (1, 2):
        raise ValueError(f"deletions: depth must be 1 or 2, not {depth!r}")
    found = {key}
    found.update([key[:i] + key[i + 1:] for i in range(len(key))])
    if depth == 2:
        found.update([key[:i] + key[i + 1:j] + key[j + 1:] for j in range(1, len(key)) for i in range(j)])
    return found


#: Names with keys this long may carry two typos; shorter ones one.
LONG_NAME = 12


class TypoIndex:
    """Finds the known names within a small edit distance of a misspelt one."""

    def __init__(self, keys: Iterable[str]) -> None:
        # variant -> the key it came from, or a tuple of keys when several share it: most
        # variants belong to one key, and a million one-element sets would cost seconds.
        self._by_deletion: dict[str, str | tuple[str, ...]] = {}
        self._longest = 0
        held_by = self._by_deletion.get
        for key in dict.fromkeys(keys):
            self._longest = max(self._longest, len(key))
            # A long query may be two edits away from a key two characters shorter.
            for variant in deletions(key, 2 if len(key) >= LONG_NAME - 2 else 1):
                held = held_by(variant)
                if held is None:
                    self._by_deletion[variant] = key
                else:
                    self._by_deletion[variant] = (held, key) if isinstance(held, str) else (*held, key)

    def candidates(self, key: str) -> set[str]:
        """Known keys at distance <= 1, or <= 2 for long names (12+ characters)."""
        limit = 2 if len(key) >= LONG_NAME else 1
        if len(key) > self._longest + limit:
            return set()  # nothing known is that long; and deletions of a huge key cost n**2 strings
        found: set[str] = set()
        for variant in deletions(key, limit):
            held = self._by_deletion.get(variant)
            if held is None:
                continue
            if isinstance(held, str):
                found.add(held)
            else:
                found.update(held)
        return {k for k in found if k != key and edit_distance(key, k, limit=limit) <= limit}
