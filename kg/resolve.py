"""Resolve mentions to entities: one node per real-world thing, whatever the spelling.

The rules, in the order they are tried for each mention:

1. the gazetteer (canonical names, aliases, transliterations, pseudonyms), after
   titles, honorifics and possessives are stripped ("Generalissimo Stalin's"), also
   without middle initials ("Stepan V. Chervonenko") and, for two-word names of people,
   in the other order ("Shicai Sheng" is Sheng Shicai); an acronym the corpus glosses in
   brackets ("East Turkestan Republic (ETR)") is the name it glosses;
2. bracketed identifications ("Filippov [Stalin]" is Stalin, "Chairman Mao [Zedong]"
   is Mao Zedong), the outer form kept as an alias;
3. initials with a surname ("P. F. Yudin", "M. V. Molotov") resolve to the one known
   person with that surname whose given names they fit, in any order; initials alone
   ("T. Yakubov") join the one full name they fit in the document, else the corpus;
4. likely typos of a known name ("Chian Kai-Shek") merge when the edit is small,
   changes no word that is itself a known name, and exactly one known name is that close;
5. a bare surname ("Soong") resolves to the one full name with that surname in the
   same document, else in the corpus, else to the one gazetteer person of a surname
   long enough to tell ("Kovalev"); a surname the gazetteer gives someone ("Nehru")
   is the other person's when the document names another full name with it ("R.K.
   Nehru"), and stays apart when it names two; an abbreviated given name ("Yu" of
   "Yu. Tsedenbal") is never a surname; ambiguous surnames stay apart;
6. bodies: a body's name is compared in standard words and by what it belongs to
   (``body_synonyms.txt``; "the Political Bureau of the CC of the RWP" = "the RWP
   Politburo"), against the gazetteer's bodies and other mentions; a short name ("the
   Foreign Ministry", "the Presidium") is the one longer name of the same body in its
   document (for names with a number or acronym, "36th Division", else in the corpus);
   a bare one ("the Politburo") belongs to the one party the document names; one
   embassy in two seats of a document ("in Havana", "in Cuba") is one;
7. anything else becomes an entity of its own, keyed by its normalized spelling, so
   "T.V. Soong" and "T. V. Soong" are one node even when no gazetteer lists him.

Topics come from the gazetteer's topic rows and from noun phrases that recur in at
least ``min_topic_documents`` documents.

Extraction asks the same rules while it proposes spans (``NameIdentities``: which known name a
capitalized run misspells, whether a bracket identifies a name, which surnames the gazetteer
knows); the lengths the rules trust are ``ResolveOptions``.

Each decision records its rule (``kg.records.RULES``): on the mention (``Mention.rule``)
and, with the documents where it was made, on the alias it gives the entity
(``Entity.alias_rules``), so that a reader can see why each name resolved as it did.
"""
from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from kg.gazetteer import Gazetteer, GazetteerEntry
from kg.names import (
    LONG_NAME, TypoIndex, abbreviates, edit_distance, fold, gloss_start, name_key, name_tokens, strip_possessive,
    without_middle_initials,
)
from kg.records import (
    BODY_OF_PARTY, BODY_WORDS, BRACKET, GAZETTEER_ALIAS, GAZETTEER_NAME, GLOSS, INITIALS, OWN_SPELLING,
    SHORT_NAME_IN_CORPUS, SHORT_NAME_IN_DOCUMENT, SURNAME_IN_CORPUS, SURNAME_IN_DOCUMENT, SURNAME_IN_GAZETTEER,
    AliasRule, Entity, Mention, typo_rule,
)
from kg.vocabulary import Vocabulary

log = logging.getLogger(__name__)

_BRACKET = re.compile(r"^(?P<outer>.*?)\s*[\[(](?P<inner>[^\])]+)[\])]\s*(?P<after>.*)$")


@dataclass(frozen=True)
class Resolution:
    """Entities, and the mentions that name them (each with its ``entity_id``)."""

    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]


@dataclass
class _Cluster:
    """An entity under construction: its kind votes, the surface forms seen and the rules that joined them."""

    key: str
    entry: GazetteerEntry | None = None
    kinds: Counter | None = None
    names: Counter | None = None
    surfaces: set | None = None
    joins: set | None = None  # (surface, name, rule, document)

    def __post_init__(self) -> None:
        self.kinds, self.names, self.surfaces, self.joins = Counter(), Counter(), set(), set()

    def add(self, kind: str, name: str, mention: Mention, rule: str) -> None:
        self.kinds[kind] += 1
        self.names[name] += 1
        self.surfaces.add(mention.text)
        self.joins.add((mention.text, name, rule, mention.doc_id))


#: a mention, the cluster resolution put it in, and the rule that did
_Assigned = tuple["Mention", _Cluster, str]


@dataclass(frozen=True)
class ResolveOptions:
    """The lengths (of name keys: letters and digits) at which the rules trust a name."""

    #: a name this long may be a typo of a known name (rule 4); a shorter one has too many neighbours
    typo_key: int = 6
    #: a bare surname that no full name claims may be a typo when this long ("Tsedenball")
    bare_typo_key: int = 8
    #: a surname this long names the one gazetteer person who has it (rule 5); "Li", "Kim" name many
    gazetteer_surname: int = 5
    #: two unknown people's names this long, one typo apart, are one ("Gheorge Radulescu");
    #: the typo index allows two typos from this length (``kg.names.LONG_NAME``)
    corpus_typo_key: int = LONG_NAME
    #: a mined topic phrase this long may miss a gazetteer topic by a letter or two
    topic_typo_key: int = LONG_NAME
    #: a capitalized run of words this long may be proposed as a misspelt known name (extraction asks)
    misspelling_key: int = 8
    #: a last word of a gazetteer person this long is a surname worth proposing alone ("Nagy")
    bare_surname: int = 4


class NameIdentities:
    """Resolution's rules that extraction asks while it proposes spans: which known name a
    capitalized run misspells, whether a bracket identifies the name before it and what kind
    that name is, whether a word is a surname the gazetteer gives several people, whether it
    knows a person. ``kg.extract.load_pipeline`` takes one (extraction imports nothing of this
    module); two made from the same gazetteer and vocabulary objects are equal.
    """

    def __init__(
        self, gazetteer: Gazetteer, vocabulary: Vocabulary, options: ResolveOptions = ResolveOptions(), *,
        memory: int = 1 << 16,
    ) -> None:
        self.gazetteer, self.vocabulary, self.options = gazetteer, vocabulary, options
        # The same names recur from document to document: each surface is judged once, and
        # each key's candidates (shared by "Chian Kai-Shek's", "Chian Kai-Shek") looked up once.
        self.misspelling = lru_cache(maxsize=memory)(self._misspelling)
        self._candidates = lru_cache(maxsize=memory)(self._typo_candidates)
        self._surnames: frozenset[str] | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NameIdentities) and other.gazetteer is self.gazetteer and (
            other.vocabulary is self.vocabulary and other.options == self.options)

    def __hash__(self) -> int:
        return hash((id(self.gazetteer), id(self.vocabulary), self.options))

    def _misspelling(self, surface: str) -> tuple[frozenset[str], GazetteerEntry | None]:
        """The canonical names of the known names (not topics) ``surface`` is one or two typos
        from, and the one it is taken for: exactly one, whose title words it spells as they
        are ("Chinese Foreign Minister" is not the Chinese Foreign Ministry). Names shorter
        than ``ResolveOptions.misspelling_key`` and names the gazetteer knows give nothing."""
        key = name_key(surface)
        if len(key) < self.options.misspelling_key or key in self.gazetteer.index:
            return frozenset(), None
        names = self._candidates(key)
        if len(names) != 1:
            return names, None
        entry = self.gazetteer.by_name(next(iter(names)))
        return names, None if entry is None or self._retitles(surface, entry) else entry

    def _typo_candidates(self, key: str) -> frozenset[str]:
        index = self.gazetteer.index
        return frozenset(
            index[k].name for k in self.gazetteer.typo_index.candidates(key)
            if len(k) >= self.options.misspelling_key and index[k].kind != "topic"
        )

    def _retitles(self, surface: str, entry: GazetteerEntry) -> bool:
        """Whether taking ``surface`` as a typo of ``entry`` would change a word of an honorific
        ("Minister" -> "Ministry", "Ambassador" -> ...): those words are spelt right."""
        known = {w for name in entry.names for w in name_tokens(name)}
        return any(w not in known and w in self.vocabulary.honorific_words for w in name_tokens(surface))

    def bracket_identifies(self, outer: str, inner: str, before: str, is_word) -> bool:
        """Whether ``outer [inner]`` says who or what ``outer`` is ("Filippov [Stalin]",
        "Chairman Mao [Zedong]", "Formosa (Taiwan)"), rather than glossing it or naming
        something else: an acronym of the words ``before`` it ("Central Committee (CC)"),
        ordinary words (``is_word``: "International [Affairs]", "Khabarovskiy Kray
        (Territory)"), a body's parent body ("36th Division (National Revolutionary Army)")
        or a source ("Nanjing Government (Izyestia)")."""
        if abbreviates(inner, before):
            return False
        clean, lookup = self.vocabulary.clean, self.gazetteer.lookup
        known_inner, known_outer = lookup(clean(inner)), lookup(clean(outer))
        if known_inner is not None and known_outer is not None:
            return known_inner is known_outer
        if any(self.vocabulary.is_body_word(word) for word in f"{outer} {inner}".split()):
            return False  # bodies are glossed by acronyms, never renamed in brackets
        if known_inner is None and all(is_word(word) for word in inner.split()):
            return False
        known = known_inner or known_outer
        # A person's name is completed or revealed in brackets; a place or body beside an
        # unknown name is another thing ("Iran (Tudeh)", "Washington (OAS)").
        return known is None or known.kind == "person"

    def bracket_kind(self, outer: str, inner: str) -> str:
        """The kind of the name ``outer [inner]`` identifies: the gazetteer's (``bracket_reading``),
        else a body when a word says so ("Embassy", "Party"), else a person."""
        reading = bracket_reading(outer, inner, self._lookup_clean)
        if reading is not None:
            return reading[1].kind
        return "organization" if any(self.vocabulary.makes_body(w) for w in f"{inner} {outer}".split()) else "person"

    def _lookup_clean(self, name: str) -> GazetteerEntry | None:
        return self.gazetteer.lookup(self.vocabulary.clean(name))

    def is_bare_surname(self, word: str) -> bool:
        """A last word of a gazetteer person's name that does not match alone, often because
        several people have it ("Nagy": Imre, Ferenc): still a person, whom the surname rules
        tell from the document."""
        if self._surnames is None:
            self._surnames = frozenset(
                tokens[-1] for entry in self.gazetteer.entries if entry.kind == "person"
                for tokens in map(name_tokens, entry.names)
                if len(tokens) > 1 and len(tokens[-1]) >= self.options.bare_surname
            )
        key = fold(word)
        return key in self._surnames and key not in self.gazetteer.index

    def is_known_person(self, name: str) -> bool:
        """The gazetteer knows this person, as written or without the middle initials."""
        name = self.vocabulary.clean(name)
        entry = self.gazetteer.lookup(name) or self.gazetteer.lookup(without_middle_initials(name))
        return entry is not None and entry.kind == "person"


def bracket_reading(outer: str, inner: str, known) -> tuple[str, GazetteerEntry] | None:
    """What ``outer [inner]`` names, by the first of its readings ``known`` knows: the two as
    one name ("Chairman Mao [Zedong]"), the inner alone ("Filippov [Stalin]"), the outer alone."""
    for candidate in (f"{outer} {inner}", inner, outer):
        entry = known(candidate)
        if entry is not None:
            return candidate, entry
    return None


class _FullNames:
    """The full names of people seen so far, by the words that may stand alone for them
    (see ``_Resolver._surname_words``): per document and in the whole corpus."""

    def __init__(self, surname_words) -> None:
        self._surname_words = surname_words
        self._in_doc: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self._in_corpus: dict[str, set[str]] = defaultdict(set)

    def remember(self, mention: Mention, cluster: _Cluster, name: str) -> None:
        if (cluster.entry.kind if cluster.entry else mention.kind) == "person":
            for token in self._surname_words(name, cluster.entry):
                self.add(mention.doc_id, token, cluster.key)

    def add(self, doc_id: str, token: str, cluster_key: str) -> None:
        self._in_doc[doc_id][token].add(cluster_key)
        self._in_corpus[token].add(cluster_key)

    def in_document(self, doc_id: str, token: str) -> set[str]:
        return self._in_doc[doc_id].get(token, set())

    def in_corpus(self, token: str) -> set[str]:
        return self._in_corpus.get(token, set())

    def tokens_of(self, doc_id: str) -> dict[str, set[str]]:
        """The document's words of full names, or the corpus's when the document has none."""
        return self._in_doc[doc_id] or self._in_corpus


_PARENTHESIS = re.compile(r"\s*\(([^()]*)\)")
# "... of the X", "... for X": where a body's name names what it belongs to.
_OF_PARTS = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?")
# "Brazilian Embassy in Havana", "Mexican Embassy, Havana": a body and its seat.
_SEAT = re.compile(r"\s+in\s+(?:the\s+)?|,\s*")


def _distinctive(name: str, vocabulary: Vocabulary) -> bool:
    """A short name that may be looked for in the whole corpus: one with a number or an
    acronym ("36th Division", "ORO National Leadership"), not "Foreign Ministry" or
    "Soviet Embassy", which any number of bodies are called."""
    return any(w[:1].isdigit() or len(w) > 1 and w.isupper() or vocabulary.is_ordinal(w) for w in name.split())


def _head(words: list[str]) -> str:
    """The word that heads a body's name: the last before "of", "for" or "in"."""
    for i, word in enumerate(words):
        if word in {"of", "for", "in"} and i:
            return words[i - 1]
    return words[-1]


def _is_initial(word: str) -> bool:
    """ "V.", "Yu.", "R.K.", "V": an initial or an abbreviated given name."""
    return bool(re.fullmatch(r"(?:[^\W\d_][a-z]?\.)+|[^\W\d_]", word))


def _given_names(name: str) -> list[str]:
    """The words before the surname, initials split: "R.K. Nehru" -> ["R.", "K."]."""
    words = name.split()[:-1]
    return [part for word in words for part in (re.findall(r"[^\W\d_][a-z]?\.", word) if _is_initial(word) else [word])]


def _given_fit(initials: list[str], given: list[str]) -> bool:
    """Whether initials (or given names) fit a name's given names: each starts a different
    one, in any order ("M. V." fits Vyacheslav Mikhailovich); or, when the name lists
    fewer given names, the first starts the first ("P. F." fits Pavel)."""
    given = [fold(g).rstrip(".") for g in given]
    initials = [fold(i).rstrip(".") for i in initials]
    if not given or not initials:
        return False
    if len(initials) > len(given):
        return given[0].startswith(initials[0])
    free = list(given)
    for initial in sorted(initials, key=len, reverse=True):
        match = next((g for g in free if g.startswith(initial)), None)
        if match is None:
            return False
        free.remove(match)
    return True


def entity_id(kind: str, label: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(label)).strip("-") or name_key(label) or "x"
    return f"{kind}:{slug}"


def surface_aliases(surface: str, clean) -> set[str]:
    """The aliases a mention's words give its entity: the words as written (no possessive) and,
    for "Filippov [Stalin]", the outer name; ``clean`` is ``Vocabulary.clean``."""
    aliases = {strip_possessive(" ".join(surface.split()))}
    # Not "Khabarovskiy Kray (Territory) Committee": a bracket inside a longer name glosses it.
    if (match := _BRACKET.match(surface)) and not match.group("after"):
        aliases.add(clean(match.group("outer")))
    aliases.discard("")
    return aliases


def topic_subject(phrase: str, vocabulary: Vocabulary) -> str | None:
    """The subject a mined noun phrase names, or None when it names none.

    Leading qualifiers go ("recent economic reforms" -> "economic reforms"); what is
    left must be two words or more, carry no further qualifier ("a very positive
    response" judges) and end in a head that names a subject, not a body, a group, a
    reaction or an occasion ("government delegation", "armed force", "recent meeting").
    The word lists are ``kg/data/topic_qualifiers.txt`` and ``topic_generic_heads.txt``.
    """
    words = fold(phrase).split()
    while words and words[0] in vocabulary.topic_qualifiers:
        words.pop(0)
    if len(words) < 2 or words[-1] in vocabulary.topic_generic_heads:
        return None
    if any(w in vocabulary.topic_qualifiers for w in words[:-1]):
        return None
    return " ".join(words)


def resolve_mentions(
    mentions: Iterable[Mention],
    *,
    gazetteer: Gazetteer,
    vocabulary: Vocabulary | None = None,
    min_topic_documents: int = 3,
    options: ResolveOptions = ResolveOptions(),
) -> Resolution:
    """Group mentions into entities by the rules in this module's docstring."""
    vocabulary = vocabulary or Vocabulary.load()
    resolver = _Resolver(gazetteer, vocabulary, options)
    named = [m for m in mentions if m.kind != "topic" or m.finder == "gazetteer"]
    phrases = [m for m in mentions if m.kind == "topic" and m.finder != "gazetteer"]
    assigned = resolver.resolve_names(named)
    assigned += resolver.resolve_topics(phrases, min_documents=min_topic_documents)
    return resolver.finish(assigned)


class _Resolver:
    """The rules of the module docstring, each a method that returns the cluster and its rule:
    ``_read_name`` (rules 1 and 2), then for unknown names ``_full_name`` (3, 4, 7),
    ``_initials_of_a_full_name`` (3), ``_known_surname`` and ``_bare_surname`` (5),
    ``_own_or_typo`` (4, 7) and ``_merge_corpus_typos`` (4, among names no gazetteer knows);
    ``_resolve_bodies`` (6) for organizations. The thresholds are ``ResolveOptions``."""

    def __init__(self, gazetteer: Gazetteer, vocabulary: Vocabulary, options: ResolveOptions = ResolveOptions()) -> None:
        self.gazetteer = gazetteer
        self.vocabulary = vocabulary
        self.options = options
        self.clusters: dict[str, _Cluster] = {}
        self._surnames: dict[str, set[str]] | None = None
        self._org_keys: dict[str, GazetteerEntry] | None = None
        self._topic_typos: TypoIndex | None = None
        # A corpus names the same people thousands of times: each spelling is worked out once.
        self.clean = lru_cache(maxsize=None)(vocabulary.clean)
        self.known = lru_cache(maxsize=None)(self._known)
        self._identify = lru_cache(maxsize=None)(self._identify_surface)
        self._by_typo = lru_cache(maxsize=None)(self._typo_of)

    # -- clusters -------------------------------------------------------------------
    def _cluster(self, key: str, entry: GazetteerEntry | None = None) -> _Cluster:
        cluster_key = f"gaz:{entry.name}" if entry else key
        if cluster_key not in self.clusters:
            self.clusters[cluster_key] = _Cluster(cluster_key, entry)
        return self.clusters[cluster_key]

    # -- gazetteer-side indexes, built once ---------------------------------------------
    def gazetteer_surnames(self) -> dict[str, set[str]]:
        """Surname token -> canonical names of the gazetteer's people (first or last token)."""
        if self._surnames is None:
            self._surnames = defaultdict(set)
            for entry in self.gazetteer.entries:
                if entry.kind == "person":
                    for name in entry.names:
                        tokens = [t for t in name_tokens(name) if len(t) > 1]
                        if len(tokens) > 1:
                            self._surnames[tokens[-1]].add(entry.name)
        return self._surnames

    # -- names ------------------------------------------------------------------------
    def _known(self, name: str) -> GazetteerEntry | None:
        if not name:
            return None
        found = self.gazetteer.lookup(name) or self.gazetteer.lookup(self.clean(name))
        if found is None:
            words = self.clean(name).split()
            # "Stepan V. Chervonenko" is "Stepan Chervonenko"; "Shicai Sheng" is "Sheng Shicai" in the
            # Western order.
            for other in (without_middle_initials(" ".join(words)), " ".join(reversed(words)) if len(words) == 2 else ""):
                if other and other != " ".join(words):
                    entry = self.gazetteer.lookup(other)
                    if entry is not None and entry.kind == "person":
                        return entry
        return found

    def resolve_names(self, mentions: list[Mention]) -> list[_Assigned]:
        pending: list[tuple[Mention, str, str]] = []  # (mention, cleaned name, rule so far) not settled yet
        known_surnames: list[tuple[Mention, GazetteerEntry, str]] = []  # "Nehru": whose, the document decides
        assigned: list[_Assigned] = []
        bodies: list[tuple[Mention, str, GazetteerEntry | None, str]] = []  # settled with their documents
        glosses = self._glosses(mentions)
        for mention in mentions:
            if (read := self._read_name(mention, glosses)) is None:
                continue
            name, entry, rule = read
            if entry is None and not self._is_body_name(mention, name):
                pending.append((mention, name, rule))  # a person, a place, or one word the model took for a body
            elif entry is None or entry.kind == "organization":
                bodies.append((mention, name, entry, rule))
            elif entry.kind == "person" and len(name_tokens(self.clean(mention.text))) == 1:
                known_surnames.append((mention, entry, rule))
            else:
                cluster = self._cluster("", entry)
                cluster.add(entry.kind, entry.name, mention, rule)
                assigned.append((mention, cluster, rule))
        assigned += self._resolve_unknown(pending, assigned, known_surnames)
        assigned += self._resolve_bodies(bodies)
        return assigned

    def _read_name(self, mention: Mention, glosses: dict[str, str]) -> tuple[str, GazetteerEntry | None, str] | None:
        """Rules 1 and 2: the name a mention gives, the entry the gazetteer (or a bracket, or an
        acronym's gloss) says it is, and the rule that said so; None when it names nothing
        (document words, an adjective of nationality)."""
        if mention.finder == "gazetteer" and mention.gazetteer_name:
            entry = self.gazetteer.by_name(mention.gazetteer_name) or self.known(mention.gazetteer_name)
            if entry is not None:
                return self.clean(mention.text), entry, self._gazetteer_rule(entry, mention.text)
        name = self.clean(mention.text)
        if name in glosses and self.known(name) is None:
            name = glosses[name]  # "ETR", glossed as the East Turkestan Republic somewhere in the corpus
            entry, rule = self.known(name), GLOSS
        elif mention.kind == "organization" and (body := self._body_name(mention.text)) is not None:
            name, entry = body, self.known(body)
            rule = self._gazetteer_rule(entry, body) if entry else ""
        else:
            name, entry, rule = self._identify(mention.text)
        if not name or self.vocabulary.is_doctype_junk(name) or self.vocabulary.is_demonym(name):
            return None
        return name, entry, rule

    def _gazetteer_rule(self, entry: GazetteerEntry, name: str) -> str:
        """ "gazetteer name" when ``name`` is the entry's canonical name (titles aside), else "gazetteer alias"."""
        key = name_key(entry.name)
        return GAZETTEER_NAME if key in (name_key(name), name_key(self.clean(name))) else GAZETTEER_ALIAS

    def _is_body_name(self, mention: Mention, name: str) -> bool:
        """An organization's name to resolve as a body: not one word the model called a body
        ("Kovalev", "Nicolae"), unless that word is a body word or an acronym."""
        if mention.kind != "organization":
            return False
        words = name.split()
        return len(words) > 1 or mention.finder != "model" or name.isupper() or self.vocabulary.is_body_word(name)

    def _glosses(self, mentions: list[Mention]) -> dict[str, str]:
        """Acronyms the corpus glosses in brackets ("East Turkestan Republic (ETR)"), each with
        the one name it glosses (an acronym glossed as two names is none's)."""
        found: dict[str, set[str]] = defaultdict(set)
        for mention in mentions:
            for bracket in _PARENTHESIS.finditer(mention.text):
                inner, before = bracket.group(1).strip(), mention.text[:bracket.start()]
                if (start := gloss_start(inner, before)) is not None:
                    found[inner].add(self.clean(before[start:]))
        return {acronym: next(iter(names)) for acronym, names in found.items() if len(names) == 1}

    # -- organizations ---------------------------------------------------------------------
    def _body_name(self, surface: str) -> str | None:
        """A body's name from a surface with brackets: "36th Division (National Revolutionary
        Army)" is the division of that army; "the Central Committee (CC) of the Communist
        Party of the Soviet Union (CPSU)" and "Polish United Workers Party (PZPR)" gloss
        their names. None when there is no bracket or nothing before it is a body."""
        if "(" not in surface or not any(self.vocabulary.is_body_word(w) for w in surface.split("(")[0].split()):
            return None
        name = surface
        for bracket in reversed(list(_PARENTHESIS.finditer(surface))):
            before, inner = surface[:bracket.start()], bracket.group(1).strip()
            known_inner = self.known(inner)
            if abbreviates(inner, before) or known_inner is None or known_inner is self.known(before):
                replacement = " "  # a gloss: the name said again, or shorter
            elif self.vocabulary.is_body_word(before.split()[-1] if before.split() else ""):
                replacement = f" of the {inner} "  # the body it is a part of
            else:
                replacement = " "
            name = name[:bracket.start()] + replacement + name[bracket.end():]
        return self.clean(" ".join(name.split()))

    def _resolve_bodies(self, bodies: list[tuple[Mention, str, GazetteerEntry | None, str]]) -> list[_Assigned]:
        """Organizations: the gazetteer's, then the same body in other words ("the RWP
        Politburo" is "the Political Bureau of the CC of the RWP"), then a short name
        for the one longer name of the same body in the document ("the Embassy" of "the
        Chinese Embassy in Poland"), else in the corpus when the gazetteer has no say."""
        targets: list[tuple[str, GazetteerEntry | None, str]] = []  # (cluster key, entry, rule) per mention
        for mention, name, entry, rule in bodies:
            if entry is None:
                key = self._body_key(name)
                entry = self._org_index().get(key) if key else None
                if entry is not None:
                    rule = BODY_WORDS
                else:
                    entry, typo = self._typo(name)
                    rule = typo or rule
                if entry is None:
                    targets.append((f"org:{key}" if key else name_key(name), None, rule))
                    continue
            targets.append((self._cluster("", entry).key, entry, rule))
        names_of: dict[str, set[str]] = defaultdict(set)  # cluster key -> the names it has in the corpus
        in_doc: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # doc -> key -> names
        for (mention, name, _, _), (key, _, _) in zip(bodies, targets):
            names_of[key].add(name)
            in_doc[mention.doc_id][key].add(name)
        owners: dict[str, set[str]] = defaultdict(set)  # doc -> the parties and states its bodies belong to
        for (mention, name, _, _), (_, entry, _) in zip(bodies, targets):
            key = self._body_key(name, whole=entry)
            if key is not None:
                owners[mention.doc_id].add(key.split("|@", 1)[1])
            elif entry is not None and entry.name in self._owners() and not self._generic(name, entry):
                owners[mention.doc_id].add(entry.name)
        out = []
        for (mention, name, _, _), (key, entry, rule) in zip(bodies, targets):
            if entry is None and not rule:  # its own, or the same body in other words as other mentions
                rule = BODY_WORDS if len({name_key(n) for n in names_of[key]}) > 1 else OWN_SPELLING
            if entry is not None and not self._generic(name, entry):
                longer = set()  # "Hungarian Workers' Party" is its own party, not a short "... Socialist Workers' Party"
            else:
                longer = {k for k, names in in_doc[mention.doc_id].items() if k != key and any(self._shortens(name, n) for n in names)}
                shorter_by = SHORT_NAME_IN_DOCUMENT
            if not longer and entry is None and _distinctive(name, self.vocabulary):
                # "36th Division": the one division of that number in the corpus; but "Soviet
                # Embassy" alone is any of the Soviet Union's embassies
                longer = {k for k, names in names_of.items() if k != key and any(self._shortens(name, n) for n in names)}
                shorter_by = SHORT_NAME_IN_CORPUS
            if not longer and self._says_only_kind(name) and (owned := self._owned_in(name, owners[mention.doc_id])):
                longer = {self._cluster("", owned).key}  # "the Politburo" of a document on the CCP: the CCP's
                shorter_by = BODY_OF_PARTY
            if len(longer) == 1:
                key, rule = next(iter(longer)), shorter_by
                entry = self.clusters[key].entry if key in self.clusters else None
            cluster = self._cluster(key, entry) if entry is None else self._cluster("", entry)
            cluster.add("organization", entry.name if entry else name, mention, rule)
            out.append((mention, cluster, rule))
        return out

    def _generic(self, name: str, entry: GazetteerEntry) -> bool:
        """A known body's name that says little more than what kind of body it is ("the
        Politburo", "Foreign Ministry", "Soviet Embassy", "Council of Ministers"): the
        gazetteer's choice for it yields to the one such body the document names in full."""
        words = [w for w in self.vocabulary.body_words_of(name) if w != "of"]
        return len(words) <= 2 and self._body_key(name, whole=entry) is None

    def _owners(self) -> frozenset[str]:
        """The gazetteer's parties and states that bodies of its own belong to."""
        return frozenset(key.split("|@", 1)[1] for key in self._org_index())

    def _owned_in(self, name: str, owners: set[str]) -> GazetteerEntry | None:
        """The known body of this name belonging to the one owner a document names, if any."""
        words = self.vocabulary.body_words_of(name)
        if len(owners) != 1 or not words or any(self.vocabulary.is_demonym(w) for w in words):
            return None  # "the Soviet government" says whose it is
        return self._org_index().get(" ".join(words) + "|@" + next(iter(owners)))

    def _only_body_words(self, name: str) -> bool:
        """ "CC", "Presidium": a name that is only what kind of body, never what a body belongs to."""
        return all(self.vocabulary.is_body_word(w) or w == "of" for w in self.vocabulary.body_words_of(name))

    def _says_only_kind(self, name: str) -> bool:
        """A body's name of body words and a nation alone: "Soviet Embassy", "Chinese Government"."""
        return all(
            self.vocabulary.is_body_word(w) or self.vocabulary.is_demonym(w) or w == "of"
            for w in self.vocabulary.body_words_of(name)
        )

    def _shortens(self, short: str, full: str) -> bool:
        """Whether ``short`` is a shorter name of the body ``full`` names: its words in order
        and the same head ("Foreign Ministry" of "Chinese Foreign Ministry", "the Presidium"
        of "the CPSU CC Presidium"), or the same body in another seat in one document
        ("Brazilian Embassy in Cuba", "Brazilian Embassy in Havana")."""
        a, b = self.vocabulary.body_words_of(short), self.vocabulary.body_words_of(full)
        seat_a, seat_b = _SEAT.split(short, maxsplit=1), _SEAT.split(full, maxsplit=1)
        if len(seat_a) == len(seat_b) == 2 and seat_a[1] != seat_b[1]:
            # one way only, so the two names meet: the later in the alphabet joins the earlier
            return fold(short) > fold(full) and self.vocabulary.body_words_of(seat_a[0]) == self.vocabulary.body_words_of(seat_b[0])
        if len(b) <= len(a) or not a or _head(a) != _head(b):
            return False
        rest = iter(b)
        return all(word in rest for word in a)

    def _org_index(self) -> dict[str, GazetteerEntry]:
        """The gazetteer's bodies by the key of each of their names (see ``_body_key``)."""
        if self._org_keys is None:
            keys: dict[str, set[str]] = defaultdict(set)
            for entry in self.gazetteer.entries:
                if entry.kind == "organization":
                    for name in entry.names:
                        if (key := self._body_key(name, whole=entry)) is not None:
                            keys[key].add(entry.name)
            self._org_keys = {k: self.gazetteer.by_name(next(iter(v))) for k, v in keys.items() if len(v) == 1}
        return self._org_keys

    def _body_key(self, name: str, *, whole: GazetteerEntry | None = None, depth: int = 0) -> str | None:
        """A body's name as its parts and what it belongs to, in standard words:
        "the Political Bureau of the CC of the RWP", "RWP Politburo" and "Romanian
        Workers' Party Politburo" are all "politburo|@Romanian Communist Party"; a
        central committee between a part and its party is left out ("VKP(b) CC
        Politburo" is the CPSU's Politburo). None when the name belongs to nothing known."""
        parts = [p for p in _OF_PARTS.split(" ".join(fold(name).split())) if p]
        if parts and parts[0].startswith("the "):
            parts[0] = parts[0][4:]
        anchor, head = None, parts
        for k in range(1, len(parts)):
            suffix = " of ".join(parts[k:])
            # "the Chinese National Revolutionary Army" is the National Revolutionary Army
            found = self.gazetteer.lookup(suffix) or (
                self.gazetteer.lookup(suffix.split(" ", 1)[1])
                if " " in suffix and self.vocabulary.is_demonym(suffix.split(" ", 1)[0]) else None
            )
            if found is not None and found is not whole and found.kind in {"organization", "place"} and not self._only_body_words(suffix):
                anchor, head = found, parts[:k]
                break
        if anchor is None and parts:
            words = parts[0].split()
            for size in range(len(words) - 1, 0, -1):
                found = self.gazetteer.lookup(" ".join(words[:size]))
                if found is not None and found is not whole and found.kind in {"organization", "place"} and not self._only_body_words(" ".join(words[:size])):
                    anchor, head = found, [" ".join(words[size:]), *parts[1:]]
                    break
        if anchor is None and len(parts) == 1:
            words = parts[0].split()
            for size in range(len(words) - 1, 0, -1):  # "CC PPR", "CC CPSU": the Russian order
                found = self.gazetteer.lookup(" ".join(words[-size:]))
                if found is not None and found is not whole and found.kind in {"organization", "place"} and not self._only_body_words(" ".join(words[-size:])):
                    anchor, head = found, [" ".join(words[:-size])]
                    break
        if anchor is None:
            return None
        words = self.vocabulary.body_words_of(" of ".join(head))
        if not words:
            return None
        owner = anchor.name
        if depth < 3 and anchor.kind == "organization":
            # "VKP(b) CC" is the central committee of the CPSU: its part belongs to the party.
            inner = next((k for n in anchor.names if (k := self._body_key(n, whole=anchor, depth=depth + 1))), None)
            if inner is not None:
                inner_head, inner_owner = inner.split("|@", 1)
                if inner_head == "central committee" and words != ["central", "committee"]:
                    owner = inner_owner
        return " ".join(words) + "|@" + owner

    def _identify_surface(self, surface: str) -> tuple[str, GazetteerEntry | None, str]:
        """A mention's bare name, its entry if the gazetteer or a bracket tells, and the rule that told ("" if none)."""
        match = _BRACKET.match(surface)
        if match and not match.group("after"):
            outer, inner = self.clean(match.group("outer")), self.clean(match.group("inner"))
            if (reading := bracket_reading(outer, inner, self.known)) is not None:
                return (*reading, BRACKET)
            # Unknown on both sides: the bracket is the archive's identification of the outer
            # name ("Fyn Si [Stalin]"). A completed given name ("Hao [Deqing]") is taken the same
            # way, and stays a node of its own: telling the two apart needs knowledge we lack.
            return inner, None, BRACKET
        if match and surface.lstrip().startswith("["):
            whole = self.clean(f"{match.group('inner')} {match.group('after')}")
            return whole, self.known(whole), BRACKET
        name = self.clean(surface)
        entry = self.known(name)
        return name, entry, self._gazetteer_rule(entry, name) if entry else ""

    def _resolve_unknown(
        self, pending: list[tuple[Mention, str, str]], assigned: list[_Assigned],
        known_surnames: list[tuple[Mention, GazetteerEntry, str]] = (),
    ) -> list[_Assigned]:
        """Rules 3-5 and 7 for names the gazetteer does not know, and the document's say over
        bare surnames it does; each rule is one of the functions below, tried in this order."""
        full = _FullNames(self._surname_words)
        for mention, cluster, _ in assigned:
            if cluster.entry is not None and cluster.entry.kind == "person":
                for name in {self.clean(mention.text), cluster.entry.name}:
                    full.remember(mention, cluster, name)
        out: list[_Assigned] = []
        bare: list[tuple[Mention, str, str]] = []
        initialled: list[tuple[Mention, str, str]] = []
        single: list[tuple[Mention, str, str]] = []  # one word the model called a place or a body
        for mention, name, rule in pending:
            tokens = name_tokens(name)
            if len(tokens) == 1 and mention.kind == "person":
                bare.append((mention, name, rule))
            elif len(tokens) == 1 and mention.finder == "model":
                single.append((mention, name, rule))
            elif (decided := self._full_name(mention, name, rule)) is None:
                initialled.append((mention, name, rule))  # "T. Yakubov": whose initials, the full names tell
            else:
                out.append((mention, *decided))
                full.remember(mention, decided[0], name)
        for mention, name, rule in initialled:
            cluster, rule = self._initials_of_a_full_name(mention, name, rule, full)
            out.append((mention, cluster, rule))
            full.remember(mention, cluster, name)
        for mention, entry, rule in known_surnames:
            out.append((mention, *self._known_surname(mention, entry, rule, full)))
        for mention, name, rule in single:
            # The model sometimes calls a surname a place or a body ("responding to Chiang", "Kovalev to ...").
            token = name_tokens(name)[0]
            if token in full.tokens_of(mention.doc_id) or self._gazetteer_surname(token):
                bare.append((mention, name, rule))
            else:
                out.append((mention, *self._own_or_typo(mention, name, rule)))
        for mention, name, rule in bare:
            out.append((mention, *self._bare_surname(mention, name, rule, full)))
        return self._merge_corpus_typos(out)

    def _full_name(self, mention: Mention, name: str, rule: str) -> tuple[_Cluster, str] | None:
        """Rules 3, 4 and 7 for a name of several words: the one known person its initials fit
        ("P. F. Yudin"), the one known name it misspells ("Chian Kai-Shek"), else its own
        spelling; None for initials and a surname that only the corpus's full names can tell."""
        entry = self._by_initials(name) if mention.kind == "person" else None
        if entry is not None:
            rule = INITIALS
        else:
            entry, typo = self._typo(name)
            rule = typo or rule
        if entry is None and mention.kind == "person" and _given_names(name) and all(map(_is_initial, _given_names(name))):
            return None
        cluster = self._cluster(name_key(name), entry) if entry else self._cluster(name_key(name))
        rule = rule or OWN_SPELLING
        cluster.add(mention.kind, entry.name if entry else name, mention, rule)
        return cluster, rule

    def _initials_of_a_full_name(self, mention: Mention, name: str, rule: str, full: _FullNames) -> tuple[_Cluster, str]:
        """Rule 3, initials alone ("T. Yakubov"): the one full name they fit in the document,
        else in the corpus; else a name of its own."""
        surname = name_tokens(name)[-1]
        fits = lambda keys: {k for k in keys if self._initials_fit(name, self.clusters[k])}  # noqa: E731
        candidates = fits(full.in_document(mention.doc_id, surname)) or fits(full.in_corpus(surname))
        if len(candidates) == 1:
            cluster, rule = self.clusters[next(iter(candidates))], INITIALS
            cluster.add("person", cluster.entry.name if cluster.entry else name, mention, rule)
        else:
            cluster, rule = self._cluster(name_key(name)), rule or OWN_SPELLING
            cluster.add(mention.kind, name, mention, rule)
        return cluster, rule

    def _known_surname(self, mention: Mention, entry: GazetteerEntry, rule: str, full: _FullNames) -> tuple[_Cluster, str]:
        """Rule 5, a surname the gazetteer gives someone: "Nehru" is the gazetteer's Jawaharlal
        Nehru unless the document names one other full name with it (then his), or two (then
        neither)."""
        token = name_tokens(self.clean(mention.text))[0]
        own = self._cluster("", entry).key
        in_doc = full.in_document(mention.doc_id, token)
        if in_doc and own not in in_doc and len(in_doc) == 1:
            cluster, rule = self.clusters[next(iter(in_doc))], SURNAME_IN_DOCUMENT
        elif in_doc - {own}:
            log.debug("surname %r is ambiguous in %s: kept apart", mention.text, mention.doc_id)
            cluster, rule = self._cluster(name_key(token)), OWN_SPELLING
        else:
            cluster = self._cluster("", entry)
        cluster.add("person", cluster.entry.name if cluster.entry else self.clean(mention.text), mention, rule)
        if cluster.entry is not None:
            # "Nicolae" then joins the "Ceauşescu" of the same document, by the rest of his name.
            for other in self._surname_words(cluster.entry.name, cluster.entry) - {token}:
                full.add(mention.doc_id, other, cluster.key)
        return cluster, rule

    def _own_or_typo(self, mention: Mention, name: str, rule: str) -> tuple[_Cluster, str]:
        """Rules 4 and 7 for one word the model called a place or a body: the one known name it
        misspells, else its own spelling."""
        entry, typo = self._typo(name)
        cluster = self._cluster(name_key(name), entry) if entry else self._cluster(name_key(name))
        rule = typo or rule or OWN_SPELLING
        cluster.add(mention.kind, entry.name if entry else name, mention, rule)
        return cluster, rule

    def _bare_surname(self, mention: Mention, name: str, rule: str, full: _FullNames) -> tuple[_Cluster, str]:
        """Rule 5, a bare surname ("Soong"): the one full name with it in the document, else in
        the corpus, else the one gazetteer person of a surname long enough to tell; else a
        long one may be a typo (rule 4), and any other stays a name of its own (rule 7)."""
        token = name_tokens(name)[0]
        in_doc = full.in_document(mention.doc_id, token)
        candidates = in_doc or full.in_corpus(token)
        found_by = SURNAME_IN_DOCUMENT if in_doc else SURNAME_IN_CORPUS
        if not candidates and (known := self._gazetteer_surname(token)) is not None:
            candidates = {self._cluster("", known).key}  # named nowhere in full: the one known person
            found_by = SURNAME_IN_GAZETTEER
        if len(candidates) == 1:
            cluster, rule = self.clusters[next(iter(candidates))], found_by
        else:
            entry, typo = self._typo(name) if len(name_key(name)) >= self.options.bare_typo_key else (None, "")
            cluster = self._cluster(name_key(name), entry) if entry else self._cluster(name_key(name))
            rule = typo or rule or OWN_SPELLING
            if len(candidates) > 1:
                log.debug("surname %r is ambiguous in %s: kept apart", name, mention.doc_id)
        kind = "person" if len(candidates) == 1 else mention.kind
        cluster.add(kind, cluster.entry.name if cluster.entry else name, mention, rule)
        return cluster, rule

    def _typo(self, name: str) -> tuple[GazetteerEntry | None, str]:
        """Rule 4: the one known name ``name`` misspells, and the rule saying how far; (None, "") when none."""
        entry = self._by_typo(name)
        return (entry, self._typo_rule(name, entry)) if entry is not None else (None, "")

    @staticmethod
    def _typo_rule(name: str, entry: GazetteerEntry) -> str:
        """ "typo within N edits": N the fewest edits from ``name`` to one of the entry's names."""
        key = name_key(name)
        return typo_rule(min(edit_distance(key, name_key(n), limit=3) for n in entry.names))

    def _surname_words(self, name: str, entry: GazetteerEntry | None) -> set[str]:
        """The words of a full name that may stand alone for the person: the last, and the
        first in the East Asian order ("Mao" of "Mao Zedong"), but not an initial or an
        abbreviated given name ("Yu" of "Yu. Tsedenbal", of "Yumjaagiin Tsedenbal")."""
        tokens = name_tokens(name)
        if len(tokens) < 2:
            return set()
        out = {tokens[-1]} if len(tokens[-1]) > 1 else set()
        first = tokens[0]
        given = {t for n in (entry.names if entry else ()) for t in name_tokens(n)}
        if len(first) > 1 and not _is_initial(name.split()[0]) and not any(t != first and t.startswith(first) for t in given):
            out.add(first)
        return out

    def _gazetteer_surname(self, token: str) -> GazetteerEntry | None:
        """The one person the gazetteer knows by this surname ("Kovalev"), if the surname is
        long enough to tell (short ones, "Li", "Kim", "Sung", are many people's)."""
        if len(token) < self.options.gazetteer_surname:
            return None
        known = self.gazetteer_surnames().get(token, ())
        return self.gazetteer.by_name(next(iter(known))) if len(known) == 1 else None

    def _initials_fit(self, name: str, cluster: _Cluster) -> bool:
        """ "T. Yakubov" fits "T.A. Yakubov" and "Timur Yakubov", not "A. Yakubov"."""
        names = cluster.entry.names if cluster.entry else tuple(cluster.names)
        return any(_given_fit(_given_names(name), _given_names(full)) for full in names if len(name_tokens(full)) > 1)

    def _merge_corpus_typos(self, assigned: list[_Assigned]) -> list[_Assigned]:
        """ "Gheorge Radulescu" joins "Gheorghe Radulescu" when no gazetteer lists either.

        Only long names (12+ letters) of people, one typo apart from exactly one other
        such name; the spelling seen more often wins (ties: the longer, then the first).
        """
        unknown = {
            c.key: c for _, c, _ in assigned
            if c.entry is None and len(c.key) >= self.options.corpus_typo_key and c.kinds.most_common(1)[0][0] == "person"
        }
        index = TypoIndex(unknown)
        rank = {key: (-sum(c.kinds.values()), -len(key), key) for key, c in unknown.items()}
        target: dict[str, str] = {}
        for key in sorted(unknown, key=rank.__getitem__):
            close = [k for k in index.candidates(key) if k not in target]
            if len(close) == 1 and rank[close[0]] < rank[key] and key not in target.values():
                target[key] = close[0]
                log.debug("typo: %r taken as %r", key, close[0])
        if not target:
            return assigned
        rules = {key: typo_rule(edit_distance(key, into, limit=3)) for key, into in target.items()}
        for key, into in target.items():
            source, sink = unknown[key], unknown[into]
            sink.kinds.update(source.kinds)
            sink.surfaces |= source.surfaces
            sink.joins |= {(surface, "", rules[key], doc) for surface, _, _, doc in source.joins}
            source.names.clear()
        return [(mention, unknown[target[c.key]], rules[c.key]) if c.key in target else (mention, c, rule)
                for mention, c, rule in assigned]

    def _by_initials(self, name: str) -> GazetteerEntry | None:
        """ "P. F. Yudin" -> the one known person surnamed Yudin whose given names start with P and F
        (in any order: the archive writes "M. V. Molotov" for V. M. Molotov)."""
        given, tokens = _given_names(name), name_tokens(name)
        if not given or not all(map(_is_initial, given)) or len(tokens[-1]) < 2:
            return None
        candidates = {
            known for known in self.gazetteer_surnames().get(tokens[-1], ())
            if any(_given_fit(given, _given_names(n)) for n in self.gazetteer.by_name(known).names)
        }
        return self.gazetteer.by_name(next(iter(candidates))) if len(candidates) == 1 else None

    def _typo_of(self, name: str) -> GazetteerEntry | None:
        key = name_key(name)
        if len(key) < self.options.typo_key:
            return None
        candidates = self.gazetteer.typo_index.candidates(key)
        if len(name.split()) == 1:
            # One word gives little evidence: "Zakharov" is not "Sakharov". Keep the first letter.
            candidates = {k for k in candidates if k[:1] == key[:1]}
        entries = {self.gazetteer.index[k].name: self.gazetteer.index[k] for k in candidates}
        # "Communist Party of Iran" is no typo of "... of Iraq": a known name is spelt right.
        words = [w for w in name_tokens(name) if len(w) > 2 and w in self.gazetteer.index]
        entries = {
            n: e for n, e in entries.items()
            if not any(all(w not in name_tokens(known) for known in e.names) for w in words)
        }
        if len(entries) == 1:
            entry = next(iter(entries.values()))
            log.debug("typo: %r taken as %r", name, entry.name)
            return entry
        return None

    # -- topics -------------------------------------------------------------------------
    def resolve_topics(self, mentions: list[Mention], *, min_documents: int) -> list[_Assigned]:
        """Noun phrases that name a subject and recur across documents become topics.

        A phrase the gazetteer knows, or nearly knows, joins that entry; any other must
        name a subject (``topic_subject``) in at least ``min_documents`` documents.
        """
        documents: dict[str, set[str]] = defaultdict(set)
        readings: list[tuple[GazetteerEntry | None, str | None, str]] = []
        for mention in mentions:
            norm = mention.norm or fold(mention.text)
            entry = self.known(norm) or self.known(mention.text)
            rule = self._gazetteer_rule(entry, norm) if entry else OWN_SPELLING
            subject = None if entry else topic_subject(norm, self.vocabulary)
            if subject:
                entry = self.known(subject)
                if entry is not None:
                    rule = self._gazetteer_rule(entry, subject)
                elif entry := self._near_topic(subject):
                    rule = self._typo_rule(subject, entry)
                else:
                    documents[subject].add(mention.doc_id)
            readings.append((entry, None if entry else subject, rule))
        out = []
        for mention, (entry, subject, rule) in zip(mentions, readings):
            if entry is None and (subject is None or len(documents[subject]) < min_documents):
                continue
            key = entry.name if entry else subject
            cluster = self._cluster(f"topic:{name_key(key)}", entry)
            cluster.add(entry.kind if entry else "topic", entry.name if entry else subject, mention, rule)
            out.append((mention, cluster, rule))
        return out

    def _near_topic(self, phrase: str) -> GazetteerEntry | None:
        """The one gazetteer topic a long phrase misses by a letter or two ("nuclear weapon test")."""
        key = name_key(phrase)
        if len(key) < self.options.topic_typo_key:
            return None
        found = {self.gazetteer.index[k].name: self.gazetteer.index[k] for k in self.topic_typos().candidates(key)}
        words = len(phrase.split())
        close = [e for e in found.values() if any(len(n.split()) == words for n in e.names)]
        return close[0] if len(close) == 1 else None

    def topic_typos(self) -> TypoIndex:
        if self._topic_typos is None:
            self._topic_typos = TypoIndex(k for k, e in self.gazetteer.index.items() if e.kind == "topic")
        return self._topic_typos

    # -- results ------------------------------------------------------------------------
    def finish(self, assigned: list[_Assigned]) -> Resolution:
        ids: dict[str, Entity] = {}
        entity_of_cluster: dict[str, str] = {}
        for cluster in sorted(self.clusters.values(), key=lambda c: c.key):
            if not cluster.names:
                continue
            if cluster.entry is not None:
                kind, label = cluster.entry.kind, cluster.entry.name
                known_aliases = cluster.entry.aliases
                description = cluster.entry.description
            else:
                kind = max(cluster.kinds.items(), key=lambda kv: (kv[1], kv[0] == "person", kv[0]))[0]
                label = max(cluster.names.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]
                known_aliases, description = (), ""
            seen = {alias for s in cluster.surfaces for alias in surface_aliases(s, self.clean)} | set(cluster.names)
            seen.discard("")
            aliases = tuple(sorted((set(known_aliases) | seen) - {label}, key=lambda a: (fold(a), a)))
            why = self._alias_rules(cluster, known_aliases)
            in_gazetteer = cluster.entry is not None
            eid = entity_id(kind, label)
            if eid in ids:  # same label, different spelling key: one entity
                old = ids[eid]
                aliases = tuple(sorted(set(old.aliases) | set(aliases), key=lambda a: (fold(a), a)))
                why = _joined_rules(old.alias_rules + why)
                in_gazetteer = in_gazetteer or old.in_gazetteer
            ids[eid] = Entity(eid, kind, label, aliases, description, tuple(r for r in why if r.alias != label),
                              in_gazetteer)
            entity_of_cluster[cluster.key] = eid
        resolved = []
        for m, cluster, rule in assigned:
            eid = entity_of_cluster[cluster.key]
            # Not dataclasses.replace: at a hundred thousand mentions its introspection costs seconds.
            resolved.append(Mention(m.doc_id, m.field, m.start, m.end, m.text, ids[eid].kind, m.finder,
                                    m.gazetteer_name, m.norm, eid, rule))
        resolved.sort(key=lambda m: (m.doc_id, m.field, m.start, m.end, m.entity_id))
        return Resolution(tuple(sorted(ids.values(), key=lambda e: e.entity_id)), tuple(resolved))

    def _alias_rules(self, cluster: _Cluster, known_aliases: Iterable[str]) -> tuple[AliasRule, ...]:
        """Per alias of the cluster, each rule that joined it and the documents where it did."""
        joined = [AliasRule(alias, rule, (doc_id,)) for surface, name, rule, doc_id in cluster.joins
                  for alias in (surface_aliases(surface, self.clean) | {name}) - {""}]
        return _joined_rules(joined + [AliasRule(alias, GAZETTEER_ALIAS) for alias in known_aliases])


def _joined_rules(rules: Iterable[AliasRule]) -> tuple[AliasRule, ...]:
    """One record per alias and rule with all its documents; a gazetteer alias without
    documents only for an alias no document used."""
    documents: dict[tuple[str, str], set[str]] = defaultdict(set)
    for why in rules:
        documents[(why.alias, why.rule)].update(why.documents)
    used = {alias for (alias, _), docs in documents.items() if docs}
    return tuple(AliasRule(alias, rule, tuple(sorted(docs))) for (alias, rule), docs in sorted(documents.items())
                 if docs or alias not in used)
