"""Faster stand-ins for two spaCy internals, used only on the spaCy versions they were checked against.

kg's pipeline spends much of its time in two places that do more work than kg needs:

- the entity ruler's acronym patterns are exact token sequences, which its token
  Matcher tries at every token; a PhraseMatcher on ORTH finds the same sequences by
  hashing. The ruler also counts all its patterns on every document, only to warn
  when there are none (``EntityRuler._require_patterns``);
- the model's attribute ruler (tag -> POS and morphology, word exceptions) runs a
  Matcher of ~180 patterns at every token, though nearly all of them test one token's
  LOWER, TAG, DEP or IS_SPACE: ``FastAttributes`` computes which ones hold once per
  distinct combination of those values and applies them with spaCy's own
  ``spacy.tokens._retokenize.set_token_attrs``.

Both reach into spaCy's private names, which another spaCy release may change without
notice. So they are used only when the installed spaCy is one of ``CHECKED_VERSIONS``
(where ``tests/test_spacy_speedups.py`` compared tags, lemmas, morphology and entities
with stock spaCy's, byte for byte, on the real archive pages), and never when the
environment variable ``KG_SPACY_SPEEDUPS`` is ``0``/``off``: then, and on any other
spaCy version, the pipeline is stock spaCy and only slower.
"""
from __future__ import annotations

import logging
import os
import re

log = logging.getLogger(__name__)

#: spaCy releases on which the stand-ins were compared with stock spaCy (see the module docstring).
CHECKED_VERSIONS = frozenset({"3.8.18"})
#: ``KG_SPACY_SPEEDUPS=0`` (or off, no, false) runs stock spaCy whatever its version.
SWITCH = "KG_SPACY_SPEEDUPS"
_OFF = frozenset({"0", "off", "no", "false"})


def enabled() -> bool:
    """Whether the stand-ins are used: a checked spaCy version, and not switched off."""
    import spacy

    if os.environ.get(SWITCH, "").strip().lower() in _OFF:
        return False
    return spacy.__version__ in CHECKED_VERSIONS


def speed_up(nlp, ruler, *, force: bool = False) -> bool:
    """Install the stand-ins on ``nlp`` (its gazetteer ``ruler`` and the model's attribute ruler).

    Returns whether they were installed. ``force`` skips the version check and the
    switch, for comparing a new spaCy release with stock spaCy before adding it to
    ``CHECKED_VERSIONS``. Each stand-in also leaves a component of an unexpected shape
    as it is.
    """
    import spacy

    if not (force or enabled()):
        log.info("spaCy %s: running stock spaCy components (speed-ups %s)", spacy.__version__,
                 "switched off" if spacy.__version__ in CHECKED_VERSIONS else "not checked for this version")
        return False
    _speed_up_ruler(ruler, nlp)
    if "attribute_ruler" in nlp.pipe_names:
        FastAttributes.install(nlp.get_pipe("attribute_ruler"))
    return True


def _speed_up_ruler(ruler, nlp) -> None:
    """Make the entity ruler match the same spans, faster (see the module docstring)."""
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    token_patterns = getattr(ruler, "token_patterns", None)
    if token_patterns is None or not hasattr(ruler, "matcher") or not hasattr(ruler, "_require_patterns"):
        return  # not the ruler these stand-ins were written for
    if not all(set(t) == {"ORTH"} for pattern_list in token_patterns.values() for p in pattern_list for t in p):
        return
    exact = PhraseMatcher(nlp.vocab, attr="ORTH")
    for key, pattern_list in token_patterns.items():
        exact.add(key, [Doc(nlp.vocab, words=[t["ORTH"] for t in p]) for p in pattern_list])
    ruler.matcher = exact
    if len(ruler):
        ruler._require_patterns = _has_patterns


def _has_patterns() -> None:
    """The ruler's check for patterns, once they are known to be there."""


class FastAttributes:
    """The model's attribute ruler applied with the same result in a fraction of its time.

    spaCy's Matcher tries all ~180 patterns at every token. Nearly all of them test one
    token's LOWER, TAG, DEP or IS_SPACE, so which ones hold depends only on those four
    values: computed once per distinct combination, then looked up. The few patterns of
    several tokens stay with a Matcher, run only on documents where one could start.
    Matches are applied in the ruler's order (pattern, then position), after all are
    found, as the ruler does. A ruler with patterns of any other shape is left as it is.

    The patterns name about a hundred words; every other word fails (or passes) each word
    test alike, so it is looked up as the empty word: the combinations to compute are
    then those of the named words and of tags, not of every word of the corpus.
    """

    _ATTRS = ("LOWER", "ORTH", "TAG", "DEP", "IS_SPACE")
    _WORD_ATTRS = ("LOWER", "ORTH")

    def __init__(self, ruler, single: list, multi, starts: list, words: dict[str, tuple[frozenset, list]]) -> None:
        from spacy import attrs

        self.ruler, self.single, self.multi, self.starts = ruler, single, multi, starts
        self.names = tuple(sorted({name for _, checks in single + starts for name, _ in checks}))
        self.ids = [getattr(attrs, name) for name in self.names]
        self.memo: dict[tuple, tuple[tuple[int, ...], bool]] = {}
        # The word columns whose unnamed words can stand in for the empty word (hash 0, ""):
        # safe when no pattern names "" and no pattern's regular expression matches it.
        self.word_columns = [
            (self.names.index(name), literals, regexes, {0: True}) for name, (literals, regexes) in words.items()
            if name in self.names and "" not in literals and not any(rx.search("") for rx in regexes)
        ]

    @classmethod
    def install(cls, ruler) -> None:
        from spacy.matcher import Matcher

        single, starts, multi = [], [], Matcher(ruler.vocab)
        words: dict[str, tuple[set, list]] = {name: (set(), []) for name in cls._WORD_ATTRS}
        try:
            for key, entry in enumerate(ruler.patterns):
                for pattern in entry["patterns"]:
                    if len(pattern) == 1:
                        single.append((key, cls._checks(pattern[0])))
                    else:
                        starts.append((key, cls._checks(pattern[0])))
                        multi.add(str(key), [pattern])
                    cls._named_words(pattern[0], words)
        except ValueError:
            return  # a pattern of another shape: keep spaCy's ruler
        if len(ruler.attrs) != len(ruler.patterns) or len(ruler.indices) != len(ruler.patterns):
            return
        fast = cls(ruler, single, multi, starts, {n: (frozenset(w), rx) for n, (w, rx) in words.items()})
        ruler.match = fast.match
        ruler.set_annotations = fast.set_annotations

    @classmethod
    def _checks(cls, token: dict) -> tuple:
        checks = []
        for attr, value in token.items():
            if attr.upper() not in cls._ATTRS:
                raise ValueError(attr)
            if isinstance(value, (str, bool)):
                test = (lambda v, value=value: v == value)
            elif isinstance(value, dict) and len(value) == 1 and next(iter(value)) in {"IN", "NOT_IN", "REGEX"}:
                op, arg = next(iter(value.items()))
                if op == "REGEX":
                    test = (lambda v, rx=re.compile(arg): isinstance(v, str) and bool(rx.search(v)))
                elif op == "IN":
                    test = (lambda v, arg=frozenset(arg): v in arg)
                else:
                    test = (lambda v, arg=frozenset(arg): v not in arg)
            else:
                raise ValueError(value)
            checks.append((attr.upper(), test))
        return tuple(checks)

    @classmethod
    def _named_words(cls, token: dict, words: dict[str, tuple[set, list]]) -> None:
        """Collect the words a token pattern names, and its regular expressions, per word attribute."""
        for attr, value in token.items():
            name = attr.upper()
            if name not in words:
                continue
            literals, regexes = words[name]
            if isinstance(value, str):
                literals.add(value)
            else:  # {"IN": [...]}, {"NOT_IN": [...]} or {"REGEX": ...}, as _checks accepted
                op, arg = next(iter(value.items()))
                if op == "REGEX":
                    regexes.append(re.compile(arg))
                else:
                    literals.update(arg)

    def _is_named(self, value: int, literals: frozenset, regexes: list, seen: dict[int, bool]) -> bool:
        """Whether a pattern names the word (hash ``value``) or could match it; remembered in ``seen``."""
        named = seen.get(value)
        if named is None:
            word = self.ruler.vocab.strings[value]
            named = seen[value] = word in literals or any(rx.search(word) for rx in regexes)
        return named

    def _keys(self, row: tuple) -> tuple[tuple[int, ...], bool]:
        """The single-token patterns that hold for a token with these values; whether a longer one may start."""
        found = self.memo.get(row)
        if found is None:
            strings = self.ruler.vocab.strings
            values = {name: bool(v) if name == "IS_SPACE" else strings[v] for name, v in zip(self.names, row)}
            holds = lambda checks: all(test(values[name]) for name, test in checks)  # noqa: E731
            found = self.memo[row] = (
                tuple(key for key, checks in self.single if holds(checks)),
                any(holds(checks) for _, checks in self.starts),
            )
        return found

    def match(self, doc) -> list[tuple[int, int]]:
        found, may_start = [], False
        if not len(doc):
            return found
        for i, row in enumerate(map(tuple, doc.to_array(self.ids).tolist())):
            for column, literals, regexes, seen in self.word_columns:
                if not self._is_named(row[column], literals, regexes, seen):
                    row = row[:column] + (0,) + row[column + 1:]
            keys, starts = self._keys(row)
            found.extend((key, i) for key in keys)
            may_start = may_start or starts
        if may_start:
            for match_id, start, end in self.multi(doc, allow_missing=True):
                key = int(self.ruler.vocab.strings[match_id])
                found.append((key, range(start, end)[self.ruler.indices[key]]))
        found.sort()
        return found

    def set_annotations(self, doc, matches: list[tuple[int, int]]) -> None:
        from spacy.tokens._retokenize import set_token_attrs

        attrs = self.ruler.attrs
        for key, i in matches:
            set_token_attrs(doc[i], attrs[key])
