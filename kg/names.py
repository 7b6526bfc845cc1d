"""Normalize archival name spellings: keys, honorifics, possessives, initials, typos."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz.distance import OSA

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_POSSESSIVE = re.compile(r"'s$|'$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
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
    return "".join(c for c in fold(without_the(name)) if c.isalnum())


def without_the(name: str) -> str:
    """ "the Politburo" -> "Politburo": the name without a leading article, trimmed."""
    return _LEADING_THE.sub("", name.strip())


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


def gloss_start(acronym: str, before: str) -> int | None:
    """Where in ``before`` the words start whose initials ``acronym`` gives ("the [Communist
    Party of the Soviet Union] (CPSU)"), or None when it gives no such initials (``abbreviates``)."""
    if not abbreviates(acronym, before):
        return None
    letters = sum(c.isalpha() for c in acronym)
    capitals = [w for w in re.finditer(r"[^\W\d_][\w'\u2019\-]*", before) if w.group()[0].isupper()]
    return capitals[-letters].start()


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


def edit_distance(a: str, b: str, *, limit: int = 2) -> int:
    """Damerau-Levenshtein distance in its optimal-string-alignment form (an adjacent swap
    costs 1, no substring is edited twice), ``limit + 1`` for anything above ``limit``."""
    return OSA.distance(a, b, score_cutoff=limit)


def deletions(key: str, depth: int = 1) -> set[str]:
    """All strings made by deleting up to ``depth`` (1 or 2) characters (the SymSpell trick).

    Two keys within edit distance 1 always share an entry of their deletion sets, so
    typo candidates are found by lookup instead of comparing every pair of names.
    """
    if depth not in (1, 2):
        raise ValueError(f"deletions: depth must be 1 or 2, not {depth!r}")
    first = [key[:i] + key[i + 1:] for i in range(len(key))]
    found = {key, *first}
    if depth == 2:
        # The second deletion is made in the first's result (two slices, not three, per variant).
        found.update([once[:i] + once[i + 1:] for j, once in enumerate(first) for i in range(j)])
    return found


#: Names with keys this long may carry two typos; shorter ones one.
LONG_NAME = 12


class TypoIndex:
    """Finds the known names within a small edit distance of a misspelt one.

    The search looks up deletion variants (``deletions``) and checks the few keys found with
    ``edit_distance``. rapidfuzz's ``process.extract`` finds the same keys by comparing the
    query with every key: on the shipped gazetteer (7,666 keys) that measured 1.2 ms a query
    against 0.17 ms here, and extraction asks tens of thousands of them.
    """

    def __init__(self, keys: Iterable[str]) -> None:
        # variant -> the key it came from, or a tuple of keys when several share it: most
        # variants belong to one key, and a million one-element sets would cost seconds.
        self._by_deletion: dict[str, str | tuple[str, ...]] = {}
        self._longest = 0
        by_deletion = self._by_deletion
        for key in dict.fromkeys(keys):
            self._longest = max(self._longest, len(key))
            # A long query may be two edits away from a key two characters shorter.
            variants = deletions(key, 2 if len(key) >= LONG_NAME - 2 else 1)
            # Set operations, not a loop over a million variants: only the few shared ones are merged one by one.
            shared = by_deletion.keys() & variants
            for variant in shared:
                held = by_deletion[variant]
                by_deletion[variant] = (held, key) if isinstance(held, str) else (*held, key)
            variants.difference_update(shared)
            by_deletion.update(dict.fromkeys(variants, key))

    def candidates(self, key: str) -> set[str]:
        """Known keys at distance <= 1, or <= 2 for long names (12+ characters)."""
        limit = 2 if len(key) >= LONG_NAME else 1
        if len(key) > self._longest + limit:
            return set()  # nothing known is that long; and deletions of a huge key cost n**2 strings
        found: set[str] = set()
        by_deletion = self._by_deletion
        for variant in by_deletion.keys() & deletions(key, limit):
            held = by_deletion[variant]
            if isinstance(held, str):
                found.add(held)
            else:
                found.update(held)
        return {k for k in found if k != key and edit_distance(key, k, limit=limit) <= limit}
