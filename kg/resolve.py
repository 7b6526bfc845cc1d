"""Resolve mentions to entities: one node per real-world thing, whatever the spelling.

The rules, in the order they are tried for each mention:

1. the gazetteer (canonical names, aliases, transliterations, pseudonyms), after
   titles, honorifics and possessives are stripped ("Generalissimo Stalin's");
2. bracketed identifications ("Filippov [Stalin]" is Stalin, "Chairman Mao [Zedong]"
   is Mao Zedong), the outer form kept as an alias;
3. initials with a surname ("P. F. Yudin") resolve to the one known person with that
   surname and first initial;
4. likely typos of a known name ("Chian Kai-Shek") merge when the edit is small and
   exactly one known name is that close;
5. a bare surname ("Soong") resolves to the one full name with that surname in the
   same document, else in the corpus; ambiguous surnames stay apart;
6. anything else becomes an entity of its own, keyed by its normalized spelling, so
   "T.V. Soong" and "T. V. Soong" are one node even when no gazetteer lists him.

Topics come from the gazetteer's topic rows and from noun phrases that recur in at
least ``min_topic_documents`` documents.
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
    LONG_NAME, TypoIndex, Vocabulary, fold, name_key, name_tokens, strip_possessive, without_middle_initials,
)
from kg.records import Entity, Mention

log = logging.getLogger(__name__)

_BRACKET = re.compile(r"^(?P<outer>.*?)\s*[\[(](?P<inner>[^\])]+)[\])]\s*(?P<after>.*)$")


@dataclass(frozen=True)
class Resolution:
    """Entities, and the mentions that name them (each with its ``entity_id``)."""

    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]


@dataclass
class _Cluster:
    """An entity under construction: its kind votes and the surface forms seen."""

    key: str
    entry: GazetteerEntry | None = None
    kinds: Counter | None = None
    names: Counter | None = None
    surfaces: set | None = None

    def __post_init__(self) -> None:
        self.kinds, self.names, self.surfaces = Counter(), Counter(), set()

    def add(self, kind: str, name: str, surface: str) -> None:
        self.kinds[kind] += 1
        self.names[name] += 1
        self.surfaces.add(surface)


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
    if match := _BRACKET.match(surface):
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
) -> Resolution:
    """Group mentions into entities by the rules in this module's docstring."""
    vocabulary = vocabulary or Vocabulary.load()
    resolver = _Resolver(gazetteer, vocabulary)
    named = [m for m in mentions if m.kind != "topic" or m.finder == "gazetteer"]
    phrases = [m for m in mentions if m.kind == "topic" and m.finder != "gazetteer"]
    assigned = resolver.resolve_names(named)
    assigned += resolver.resolve_topics(phrases, min_documents=min_topic_documents)
    return resolver.finish(assigned)


class _Resolver:
    def __init__(self, gazetteer: Gazetteer, vocabulary: Vocabulary) -> None:
        self.gazetteer = gazetteer
        self.vocabulary = vocabulary
        self.clusters: dict[str, _Cluster] = {}
        self._surnames: dict[str, set[str]] | None = None
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

    def resolve_names(self, mentions: list[Mention]) -> list[tuple[Mention, _Cluster]]:
        pending: list[tuple[Mention, str]] = []  # (mention, cleaned name) not settled yet
        known_surnames: list[tuple[Mention, GazetteerEntry]] = []  # "Nehru": whose, the document decides
        assigned: list[tuple[Mention, _Cluster]] = []
        for mention in mentions:
            entry = None
            if mention.finder == "gazetteer" and mention.gazetteer_name:
                entry = self.gazetteer.by_name(mention.gazetteer_name) or self.known(mention.gazetteer_name)
            if entry is None:
                name, entry = self._identify(mention.text)
                if not name or self.vocabulary.is_doctype_junk(name) or self.vocabulary.is_demonym(name):
                    continue
                if entry is None:
                    pending.append((mention, name))
                    continue
            if entry.kind == "person" and len(name_tokens(self.clean(mention.text))) == 1:
                known_surnames.append((mention, entry))
                continue
            cluster = self._cluster("", entry)
            cluster.add(entry.kind, entry.name, mention.text)
            assigned.append((mention, cluster))
        assigned += self._resolve_unknown(pending, assigned, known_surnames)
        return assigned

    def _identify_surface(self, surface: str) -> tuple[str, GazetteerEntry | None]:
        """A mention's bare name and, if the gazetteer or a bracket tells, its entry."""
        match = _BRACKET.match(surface)
        if match and not match.group("after"):
            outer = self.clean(match.group("outer"))
            inner = self.clean(match.group("inner"))
            for candidate in (f"{outer} {inner}", inner, outer):
                entry = self.known(candidate)
                if entry is not None:
                    return candidate, entry
            # Unknown on both sides: the bracket is the archive's identification of the outer
            # name ("Fyn Si [Stalin]"). A completed given name ("Hao [Deqing]") is taken the same
            # way, and stays a node of its own: telling the two apart needs knowledge we lack.
            return inner, None
        if match and surface.lstrip().startswith("["):
            whole = self.clean(f"{match.group('inner')} {match.group('after')}")
            return whole, self.known(whole)
        name = self.clean(surface)
        return name, self.known(name)

    def _resolve_unknown(
        self, pending: list[tuple[Mention, str]], assigned: list[tuple[Mention, _Cluster]],
        known_surnames: list[tuple[Mention, GazetteerEntry]] = (),
    ) -> list[tuple[Mention, _Cluster]]:
        """Rules 3-6 for names the gazetteer does not know, and the document's say over bare surnames it does."""
        # Full names of people seen per document and in the corpus, by surname, for the surname rules.
        full_in_doc: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        full_in_corpus: dict[str, set[str]] = defaultdict(set)

        def remember(mention: Mention, cluster: _Cluster, name: str) -> None:
            if (cluster.entry.kind if cluster.entry else mention.kind) == "person":
                for token in self._surname_words(name, cluster.entry):
                    full_in_doc[mention.doc_id][token].add(cluster.key)
                    full_in_corpus[token].add(cluster.key)

        for mention, cluster in assigned:
            if cluster.entry is not None and cluster.entry.kind == "person":
                for name in {self.clean(mention.text), cluster.entry.name}:
                    remember(mention, cluster, name)

        out: list[tuple[Mention, _Cluster]] = []
        bare: list[tuple[Mention, str]] = []
        initialled: list[tuple[Mention, str]] = []
        single: list[tuple[Mention, str]] = []  # one word the model called a place or a body
        for mention, name in pending:
            tokens = name_tokens(name)
            if len(tokens) == 1 and mention.kind == "person":
                bare.append((mention, name))
                continue
            if len(tokens) == 1 and mention.finder == "model":
                single.append((mention, name))
                continue
            entry = self._by_initials(name) if mention.kind == "person" else None
            entry = entry or self._by_typo(name)
            if entry is None and mention.kind == "person" and _given_names(name) and all(map(_is_initial, _given_names(name))):
                initialled.append((mention, name))  # "T. Yakubov": whose initials, the full names tell
                continue
            cluster = self._cluster(name_key(name), entry) if entry else self._cluster(name_key(name))
            cluster.add(mention.kind, entry.name if entry else name, mention.text)
            out.append((mention, cluster))
            remember(mention, cluster, name)

        for mention, name in initialled:
            surname = name_tokens(name)[-1]
            fits = lambda keys: {k for k in keys if self._initials_fit(name, self.clusters[k])}  # noqa: E731
            candidates = fits(full_in_doc[mention.doc_id].get(surname, ())) or fits(full_in_corpus.get(surname, ()))
            if len(candidates) == 1:
                cluster = self.clusters[next(iter(candidates))]
                cluster.add("person", cluster.entry.name if cluster.entry else name, mention.text)
            else:
                cluster = self._cluster(name_key(name))
                cluster.add(mention.kind, name, mention.text)
            out.append((mention, cluster))
            remember(mention, cluster, name)

        for mention, entry in known_surnames:
            # "Nehru" is the gazetteer's Jawaharlal Nehru unless the document names another Nehru.
            token = name_tokens(self.clean(mention.text))[0]
            own = self._cluster("", entry).key
            in_doc = full_in_doc[mention.doc_id].get(token, set())
            if in_doc and own not in in_doc and len(in_doc) == 1:
                cluster = self.clusters[next(iter(in_doc))]
            elif in_doc - {own}:
                log.debug("surname %r is ambiguous in %s: kept apart", mention.text, mention.doc_id)
                cluster = self._cluster(name_key(token))
            else:
                cluster = self._cluster("", entry)
            cluster.add("person", cluster.entry.name if cluster.entry else self.clean(mention.text), mention.text)
            out.append((mention, cluster))
            if cluster.entry is not None:
                # "Nicolae" then joins the "Ceauşescu" of the same document, by the rest of his name.
                for token in self._surname_words(cluster.entry.name, cluster.entry) - {token}:
                    full_in_doc[mention.doc_id][token].add(cluster.key)
                    full_in_corpus[token].add(cluster.key)

        for mention, name in single:
            # The model sometimes calls a surname a place or a body ("responding to Chiang", "Kovalev to ...").
            token = name_tokens(name)[0]
            if token in (full_in_doc[mention.doc_id] or full_in_corpus) or self._gazetteer_surname(token):
                bare.append((mention, name))
            else:
                entry = self._by_typo(name)
                cluster = self._cluster(name_key(name), entry) if entry else self._cluster(name_key(name))
                cluster.add(mention.kind, entry.name if entry else name, mention.text)
                out.append((mention, cluster))

        for mention, name in bare:
            token = name_tokens(name)[0]
            in_doc = full_in_doc[mention.doc_id].get(token, set())
            candidates = in_doc or full_in_corpus.get(token, set())
            if not candidates and (known := self._gazetteer_surname(token)) is not None:
                candidates = {self._cluster("", known).key}  # named nowhere in full: the one known person
            if len(candidates) == 1:
                cluster = self.clusters[next(iter(candidates))]
            else:
                entry = self._by_typo(name) if len(name_key(name)) >= 8 else None
                cluster = self._cluster(name_key(name), entry) if entry else self._cluster(name_key(name))
                if len(candidates) > 1:
                    log.debug("surname %r is ambiguous in %s: kept apart", name, mention.doc_id)
            kind = "person" if len(candidates) == 1 else mention.kind
            cluster.add(kind, cluster.entry.name if cluster.entry else name, mention.text)
            out.append((mention, cluster))
        return self._merge_corpus_typos(out)

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
        if len(token) < 5:
            return None
        known = self.gazetteer_surnames().get(token, ())
        return self.gazetteer.by_name(next(iter(known))) if len(known) == 1 else None

    def _initials_fit(self, name: str, cluster: _Cluster) -> bool:
        """ "T. Yakubov" fits "T.A. Yakubov" and "Timur Yakubov", not "A. Yakubov"."""
        names = cluster.entry.names if cluster.entry else tuple(cluster.names)
        return any(_given_fit(_given_names(name), _given_names(full)) for full in names if len(name_tokens(full)) > 1)

    def _merge_corpus_typos(self, assigned: list[tuple[Mention, _Cluster]]) -> list[tuple[Mention, _Cluster]]:
        """ "Gheorge Radulescu" joins "Gheorghe Radulescu" when no gazetteer lists either.

        Only long names (12+ letters) of people, one typo apart from exactly one other
        such name; the spelling seen more often wins (ties: the longer, then the first).
        """
        unknown = {
            c.key: c for _, c in assigned
            if c.entry is None and len(c.key) >= LONG_NAME and c.kinds.most_common(1)[0][0] == "person"
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
        for key, into in target.items():
            source, sink = unknown[key], unknown[into]
            sink.kinds.update(source.kinds)
            sink.surfaces |= source.surfaces
            source.names.clear()
        return [(mention, unknown[target[c.key]] if c.key in target else c) for mention, c in assigned]

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
        if len(key) < 6:
            return None
        candidates = self.gazetteer.typo_index.candidates(key)
        if len(name.split()) == 1:
            # One word gives little evidence: "Zakharov" is not "Sakharov". Keep the first letter.
            candidates = {k for k in candidates if k[:1] == key[:1]}
        entries = {self.gazetteer.index[k].name: self.gazetteer.index[k] for k in candidates}
        if len(entries) == 1:
            entry = next(iter(entries.values()))
            log.debug("typo: %r taken as %r", name, entry.name)
            return entry
        return None

    # -- topics -------------------------------------------------------------------------
    def resolve_topics(self, mentions: list[Mention], *, min_documents: int) -> list[tuple[Mention, _Cluster]]:
        """Noun phrases that name a subject and recur across documents become topics.

        A phrase the gazetteer knows, or nearly knows, joins that entry; any other must
        name a subject (``topic_subject``) in at least ``min_documents`` documents.
        """
        documents: dict[str, set[str]] = defaultdict(set)
        readings: list[tuple[GazetteerEntry | None, str | None]] = []
        for mention in mentions:
            norm = mention.norm or fold(mention.text)
            entry = self.known(norm) or self.known(mention.text)
            subject = None if entry else topic_subject(norm, self.vocabulary)
            if subject:
                entry = self.known(subject) or self._near_topic(subject)
                if entry is None:
                    documents[subject].add(mention.doc_id)
            readings.append((entry, None if entry else subject))
        out = []
        for mention, (entry, subject) in zip(mentions, readings):
            if entry is None and (subject is None or len(documents[subject]) < min_documents):
                continue
            key = entry.name if entry else subject
            cluster = self._cluster(f"topic:{name_key(key)}", entry)
            cluster.add(entry.kind if entry else "topic", entry.name if entry else subject, mention.text)
            out.append((mention, cluster))
        return out

    def _near_topic(self, phrase: str) -> GazetteerEntry | None:
        """The one gazetteer topic a long phrase misses by a letter or two ("nuclear weapon test")."""
        key = name_key(phrase)
        if len(key) < LONG_NAME:
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
    def finish(self, assigned: list[tuple[Mention, _Cluster]]) -> Resolution:
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
            eid = entity_id(kind, label)
            if eid in ids:  # same label, different spelling key: one entity
                old = ids[eid]
                aliases = tuple(sorted(set(old.aliases) | set(aliases), key=lambda a: (fold(a), a)))
            ids[eid] = Entity(eid, kind, label, aliases, description)
            entity_of_cluster[cluster.key] = eid
        resolved = []
        for m, cluster in assigned:
            eid = entity_of_cluster[cluster.key]
            # Not dataclasses.replace: at a hundred thousand mentions its introspection costs seconds.
            resolved.append(Mention(m.doc_id, m.field, m.start, m.end, m.text, ids[eid].kind, m.finder,
                                    m.gazetteer_name, m.norm, eid))
        resolved.sort(key=lambda m: (m.doc_id, m.field, m.start, m.end, m.entity_id))
        return Resolution(tuple(sorted(ids.values(), key=lambda e: e.entity_id)), tuple(resolved))
