"""Resolution rules, one test per rule: how mentions become entities."""
from __future__ import annotations

import pytest

from kg.gazetteer import GazetteerEntry, build_gazetteer
from kg.records import (
    BODY_OF_PARTY, BODY_WORDS, BRACKET, GAZETTEER_ALIAS, GAZETTEER_NAME, GLOSS, INITIALS, OWN_SPELLING, RULES,
    SHORT_NAME_IN_CORPUS, SHORT_NAME_IN_DOCUMENT, SURNAME_IN_CORPUS, SURNAME_IN_DOCUMENT, SURNAME_IN_GAZETTEER,
    TYPO_RULE, AliasRule, Mention, typo_rule,
)
from kg.resolve import Resolution, resolve_mentions, topic_subject
from kg.vocabulary import Vocabulary


def mention(doc_id: str, text: str, surface: str, kind: str = "person", *, field: str = "title",
            finder: str = "model", gazetteer_name: str | None = None, nth: int = 0, norm: str = "") -> Mention:
    """A mention of ``surface`` (its ``nth`` occurrence) in ``text``, with true offsets."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Mention(doc_id, field, start, start + len(surface), surface, kind, finder, gazetteer_name, norm)


def entity_of(result: Resolution, doc_id: str, surface: str) -> str:
    (found,) = [m.entity_id for m in result.mentions if m.doc_id == doc_id and m.text == surface]
    return found


def entity(result: Resolution, entity_id: str):
    (found,) = [e for e in result.entities if e.entity_id == entity_id]
    return found


NO_GAZETTEER = build_gazetteer([])


# -- 1. the gazetteer, after titles and possessives -------------------------------------------------
def test_gazetteer_wins_over_the_models_kind():
    gazetteer = build_gazetteer([GazetteerEntry("Mongolian People's Republic", "place", ("Outer Mongolia", "MPR"))])
    title = "Telegram from Outer Mongolia Regarding the Border"
    result = resolve_mentions([mention("d1", title, "Outer Mongolia", "person")], gazetteer=gazetteer)
    (only,) = result.entities
    assert (only.entity_id, only.kind, only.label) == ("place:mongolian-people-s-republic", "place",
                                                      "Mongolian People's Republic")
    (resolved,) = result.mentions
    assert resolved.entity_id == only.entity_id and resolved.kind == "place"


def test_gazetteer_finder_mention_joins_its_named_entry():
    gazetteer = build_gazetteer([GazetteerEntry("Nicolae Ceaușescu", "person", ("Ceausescu",))])
    title = "Ceausescu's Visit to Beijing"
    result = resolve_mentions(
        [mention("d1", title, "Ceausescu", finder="gazetteer", gazetteer_name="Nicolae Ceaușescu")],
        gazetteer=gazetteer,
    )
    assert entity_of(result, "d1", "Ceausescu") == "person:nicolae-ceausescu"


def test_honorifics_and_possessives_are_stripped_before_lookup():
    gazetteer = build_gazetteer([GazetteerEntry("Joseph Stalin", "person", ("Stalin",)),
                                 GazetteerEntry("Chiang Kai-shek", "person", ())])
    title = "Generalissimo Stalin's Reply to Chiang Kai-Shek\u2019s Proposal"
    result = resolve_mentions(
        [mention("d1", title, "Generalissimo Stalin's"), mention("d1", title, "Chiang Kai-Shek\u2019s")],
        gazetteer=gazetteer,
    )
    assert entity_of(result, "d1", "Generalissimo Stalin's") == "person:joseph-stalin"
    assert entity_of(result, "d1", "Chiang Kai-Shek\u2019s") == "person:chiang-kai-shek"
    assert "Chiang Kai-Shek" in entity(result, "person:chiang-kai-shek").aliases  # possessive not kept


def test_honorifics_and_possessives_without_a_gazetteer_row():
    first = "Chairman Deng Xiaoping's Talks in Tokyo"
    second = "Letter from Deng Xiaoping"
    result = resolve_mentions(
        [mention("d1", first, "Chairman Deng Xiaoping's"), mention("d2", second, "Deng Xiaoping")],
        gazetteer=NO_GAZETTEER,
    )
    assert [e.label for e in result.entities] == ["Deng Xiaoping"]
    assert {m.entity_id for m in result.mentions} == {"person:deng-xiaoping"}


# -- 6. normalized spelling, no gazetteer needed ------------------------------------------------------
def test_initials_spacing_gives_one_entity_without_a_gazetteer_row():
    first = "Record of a Meeting Between T.V. Soong and Harry Hopkins"
    second = "Cable from T. V. Soong to Chiang"
    result = resolve_mentions([mention("d1", first, "T.V. Soong"), mention("d2", second, "T. V. Soong")],
                              gazetteer=NO_GAZETTEER)
    (soong,) = result.entities
    assert entity_of(result, "d1", "T.V. Soong") == entity_of(result, "d2", "T. V. Soong") == soong.entity_id
    assert {soong.label, *soong.aliases} == {"T.V. Soong", "T. V. Soong"}


def test_unknown_names_stay_their_own_entities():
    title = "Conversation between Enver Hoxha and Mehmet Shehu"
    result = resolve_mentions([mention("d1", title, "Enver Hoxha"), mention("d1", title, "Mehmet Shehu")],
                              gazetteer=NO_GAZETTEER)
    assert [e.entity_id for e in result.entities] == ["person:enver-hoxha", "person:mehmet-shehu"]


# -- 5. bare surnames -----------------------------------------------------------------------------------
def test_bare_surname_takes_the_full_name_in_the_same_document():
    title = "Letter from Leonid Brezhnev to Gustav Husak"
    summary = "Brezhnev presses Husak on the reforms."
    result = resolve_mentions(
        [mention("d1", title, "Leonid Brezhnev"), mention("d1", title, "Gustav Husak"),
         mention("d1", summary, "Brezhnev", field="summary"), mention("d1", summary, "Husak", field="summary")],
        gazetteer=NO_GAZETTEER,
    )
    assert entity_of(result, "d1", "Brezhnev") == "person:leonid-brezhnev"
    assert entity_of(result, "d1", "Husak") == "person:gustav-husak"
    assert len(result.entities) == 2


def test_bare_surname_takes_the_full_name_elsewhere_in_the_corpus():
    result = resolve_mentions(
        [mention("d1", "Letter from Leonid Brezhnev", "Leonid Brezhnev"),
         mention("d2", "Brezhnev's Speech", "Brezhnev")],
        gazetteer=NO_GAZETTEER,
    )
    assert entity_of(result, "d2", "Brezhnev") == "person:leonid-brezhnev"
    assert "Brezhnev" in entity(result, "person:leonid-brezhnev").aliases


def test_bare_surname_takes_a_gazetteer_persons_full_name():
    gazetteer = build_gazetteer([GazetteerEntry("Zhou Enlai", "person", ())])
    summary = "Zhou warns Nehru about the border."
    result = resolve_mentions(
        [mention("d1", "Zhou Enlai Meets Nehru", "Zhou Enlai"), mention("d2", summary, "Zhou", field="summary")],
        gazetteer=gazetteer,
    )
    assert entity_of(result, "d2", "Zhou") == "person:zhou-enlai"


def test_same_document_wins_over_the_corpus():
    first = "Talks between Kim Il Sung and Zhou Enlai"
    summary = "Kim asks for more aid."
    result = resolve_mentions(
        [mention("d1", first, "Kim Il Sung"), mention("d1", first, "Zhou Enlai"),
         mention("d1", summary, "Kim", field="summary"),
         mention("d2", "Letter from Kim Jong Il", "Kim Jong Il")],
        gazetteer=NO_GAZETTEER,
    )
    # "Kim" is ambiguous in the corpus, but d1 names only one Kim.
    assert entity_of(result, "d1", "Kim") == "person:kim-il-sung"


def test_ambiguous_surname_in_one_document_stays_apart():
    title = "Conversation between Kim Il Sung and Kim Jong Il"
    summary = "Kim said the harvest was good."
    result = resolve_mentions(
        [mention("d1", title, "Kim Il Sung"), mention("d1", title, "Kim Jong Il"),
         mention("d1", summary, "Kim", field="summary")],
        gazetteer=NO_GAZETTEER,
    )
    assert entity_of(result, "d1", "Kim") not in {"person:kim-il-sung", "person:kim-jong-il"}
    assert len(result.entities) == 3


def test_ambiguous_surname_in_the_corpus_stays_apart():
    result = resolve_mentions(
        [mention("d1", "Letter from Kim Il Sung", "Kim Il Sung"),
         mention("d2", "Letter from Kim Jong Il", "Kim Jong Il"),
         mention("d3", "Kim's Speech", "Kim")],
        gazetteer=NO_GAZETTEER,
    )
    assert entity_of(result, "d3", "Kim") not in {"person:kim-il-sung", "person:kim-jong-il"}


# -- 2. bracketed identifications ---------------------------------------------------------------------
@pytest.mark.parametrize("surface", ["Filippov [Stalin]", "Fyn Si [Stalin]", "Feng Xi (Stalin)"])
def test_bracketed_identification_resolves_to_the_inner_name(surface):
    gazetteer = build_gazetteer([GazetteerEntry("Joseph Stalin", "person", ("Stalin",))])
    title = f"Telegram from {surface} to Mao Zedong"
    result = resolve_mentions([mention("d1", title, surface)], gazetteer=gazetteer)
    assert entity_of(result, "d1", surface) == "person:joseph-stalin"


@pytest.mark.parametrize("surface", ["Filippov [Stalin]", "Feng Xi (Stalin)"])
def test_bracketed_identification_without_a_gazetteer_row(surface):
    title = f"Telegram from {surface} to Mao Zedong"
    result = resolve_mentions(
        [mention("d1", title, surface), mention("d2", "Stalin's Reply", "Stalin")], gazetteer=NO_GAZETTEER
    )
    assert entity_of(result, "d1", surface) == entity_of(result, "d2", "Stalin") == "person:stalin"


def test_bracket_completing_a_name():
    gazetteer = build_gazetteer([GazetteerEntry("Mao Zedong", "person", ())])
    title = "Conversation with Chairman Mao [Zedong]"
    result = resolve_mentions([mention("d1", title, "Chairman Mao [Zedong]")], gazetteer=gazetteer)
    assert entity_of(result, "d1", "Chairman Mao [Zedong]") == "person:mao-zedong"


# -- 4. typos ---------------------------------------------------------------------------------------------
TYPO_GAZETTEER = [
    GazetteerEntry("Chiang Kai-shek", "person", ()),
    GazetteerEntry("Mikhail Zimyanin", "person", ()),
    GazetteerEntry("Nikita Khrushchev", "person", ("Khrushchev",)),
    GazetteerEntry("Kim Jong Il", "person", ()),
]


@pytest.mark.parametrize(
    ("typo", "entity_id"),
    [
        ("Chian Kai-Shek", "person:chiang-kai-shek"),
        ("Mikihail Zimyanin", "person:mikhail-zimyanin"),
        ("Krushchev", "person:nikita-khrushchev"),  # a bare surname, long enough to be a typo
    ],
)
def test_typo_merges_into_the_known_name_and_is_kept_as_alias(typo, entity_id):
    title = f"Letter from {typo} to the Central Committee"
    result = resolve_mentions([mention("d1", title, typo)], gazetteer=build_gazetteer(TYPO_GAZETTEER))
    assert entity_of(result, "d1", typo) == entity_id
    assert typo in entity(result, entity_id).aliases


@pytest.mark.parametrize("far", ["Kim Jong Un", "Mikhail Suslov", "Khrushchova"])
def test_far_name_is_not_a_typo(far):
    title = f"Letter from {far} to the Central Committee"
    result = resolve_mentions([mention("d1", title, far)], gazetteer=build_gazetteer(TYPO_GAZETTEER))
    (only,) = result.entities
    assert only.label == far


def test_typo_close_to_two_known_names_is_not_merged():
    gazetteer = build_gazetteer([GazetteerEntry("Ivan Petrov", "person", ()),
                                 GazetteerEntry("Ivan Petrow", "person", ())])
    result = resolve_mentions([mention("d1", "Cable from Ivan Petrof", "Ivan Petrof")], gazetteer=gazetteer)
    assert entity_of(result, "d1", "Ivan Petrof") == "person:ivan-petrof"


# -- 3. initials ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("surface", "entity_id"),
    [
        ("P. F. Yudin", "person:pavel-yudin"),
        ("P.F. Yudin", "person:pavel-yudin"),
        ("V. M. Molotov", "person:vyacheslav-molotov"),
    ],
)
def test_initials_resolve_to_the_one_known_person(surface, entity_id):
    gazetteer = build_gazetteer([GazetteerEntry("Pavel Yudin", "person", ()),
                                 GazetteerEntry("Vyacheslav Molotov", "person", ("Molotov",))])
    title = f"Memorandum of Conversation with {surface}"
    result = resolve_mentions([mention("d1", title, surface)], gazetteer=gazetteer)
    assert entity_of(result, "d1", surface) == entity_id
    assert surface in entity(result, entity_id).aliases


def test_initials_matching_two_known_people_stay_apart():
    gazetteer = build_gazetteer([GazetteerEntry("Andrei Gromyko", "person", ()),
                                 GazetteerEntry("Anatoly Gromyko", "person", ())])
    result = resolve_mentions([mention("d1", "Letter from A. A. Gromyko", "A. A. Gromyko")], gazetteer=gazetteer)
    assert entity_of(result, "d1", "A. A. Gromyko") == "person:a-a-gromyko"


def test_initials_with_the_wrong_first_letter_stay_apart():
    gazetteer = build_gazetteer([GazetteerEntry("Pavel Yudin", "person", ())])
    result = resolve_mentions([mention("d1", "Letter from S. Yudin", "S. Yudin")], gazetteer=gazetteer)
    assert entity_of(result, "d1", "S. Yudin") != "person:pavel-yudin"


# -- dropped spans -----------------------------------------------------------------------------------------
def test_demonyms_and_document_words_are_dropped():
    title = "Cipher Message No. 12 from Soviet Ambassador Yudin on Sino-Soviet Relations"
    mentions = [
        mention("d1", title, "Cipher Message No"),
        mention("d1", title, "Soviet", "organization"),
        mention("d1", title, "Sino-Soviet", "place"),
        mention("d1", title, "Soviet Ambassador Yudin"),
        mention("d2", "Excerpt from the Journal of Zimyanin", "Excerpt"),
        mention("d2", "Excerpt from the Journal of Zimyanin", "Journal", "organization"),
    ]
    result = resolve_mentions(mentions, gazetteer=NO_GAZETTEER)
    assert [e.entity_id for e in result.entities] == ["person:yudin"]
    assert [m.text for m in result.mentions] == ["Soviet Ambassador Yudin"]


def test_longer_name_starting_with_a_demonym_is_kept():
    title = "Note from the Soviet Foreign Ministry"
    result = resolve_mentions([mention("d1", title, "Soviet Foreign Ministry", "organization")], gazetteer=NO_GAZETTEER)
    assert [e.entity_id for e in result.entities] == ["organization:soviet-foreign-ministry"]


# -- topics ----------------------------------------------------------------------------------------------
def _topic_mentions() -> list[Mention]:
    found = []
    for i in range(1, 4):
        summary = f"Document {i} on the border dispute and economic aid."
        found.append(mention(f"d{i}", summary, "border dispute", "topic", field="summary", norm="border dispute"))
        if i < 3:
            found.append(mention(f"d{i}", summary, "economic aid", "topic", field="summary", norm="economic aid"))
    return found


def test_topic_phrase_needs_min_topic_documents():
    mentions = _topic_mentions()  # "border dispute" in 3 documents, "economic aid" in 2
    at_three = resolve_mentions(mentions, gazetteer=NO_GAZETTEER, min_topic_documents=3)
    assert [e.entity_id for e in at_three.entities] == ["topic:border-dispute"]
    at_two = resolve_mentions(mentions, gazetteer=NO_GAZETTEER, min_topic_documents=2)
    assert [e.entity_id for e in at_two.entities] == ["topic:border-dispute", "topic:economic-aid"]
    assert len([m for m in at_two.mentions if m.entity_id == "topic:economic-aid"]) == 2


def test_topic_counts_documents_not_mentions():
    summary = "On hydroelectric dams, more hydroelectric dams, and still hydroelectric dams."
    mentions = [mention("d1", summary, "hydroelectric dams", "topic", field="summary", nth=i,
                        norm="hydroelectric dam") for i in range(3)]
    result = resolve_mentions(mentions, gazetteer=NO_GAZETTEER, min_topic_documents=2)
    assert result.entities == ()


def test_generic_topic_phrase_is_dropped_however_often_it_recurs():
    mentions = [mention(f"d{i}", "The main question was left open.", "main question", "topic", field="summary",
                        norm="main question") for i in range(1, 5)]
    assert resolve_mentions(mentions, gazetteer=NO_GAZETTEER, min_topic_documents=3).entities == ()


@pytest.mark.parametrize("phrase, subject", [
    ("positive response", None),  # an evaluation
    ("great importance", None),
    ("a very positive reaction", None),
    ("government delegation", None),  # a body
    ("armed force", None),
    ("communist party", None),
    ("foreign government official", None),  # a group of people
    ("recent meeting", None),  # an occasion
    ("detailed report", None),
    ("new treaty", None),  # a qualifier and one word
    ("political situation", None),  # a word too general on its own
    ("foreign policy", "foreign policy"),
    ("international politics", "international politics"),
    ("public opinion", "public opinion"),
    ("recent economic reforms", "economic reforms"),  # the qualifier goes, the subject stays
    ("the arms race", "arms race"),
    ("peace talks", "peace talks"),
])
def test_a_mined_phrase_is_a_topic_only_when_it_names_a_subject(phrase, subject):
    assert topic_subject(phrase, Vocabulary.load()) == subject


def test_evaluations_bodies_and_occasions_never_become_topics():
    mentions = []
    for i in range(1, 5):
        summary = f"Report {i}: a positive response from the government delegation on foreign policy."
        for surface in ("positive response", "government delegation", "foreign policy"):
            mentions.append(mention(f"d{i}", summary, surface, "topic", field="summary", finder="rule", norm=surface))
    result = resolve_mentions(mentions, gazetteer=NO_GAZETTEER, min_topic_documents=3)
    assert [e.label for e in result.entities] == ["foreign policy"]


def test_a_near_duplicate_of_a_gazetteer_topic_joins_it():
    gazetteer = build_gazetteer([GazetteerEntry("nuclear test", "topic", ("nuclear weapons test",))])
    summary = "On the nuclear weapon test at Lop Nur."
    found = [mention("d1", summary, "nuclear weapon test", "topic", field="summary", finder="rule",
                     norm="nuclear weapon test")]
    result = resolve_mentions(found, gazetteer=gazetteer, min_topic_documents=3)
    assert entity_of(result, "d1", "nuclear weapon test") == "topic:nuclear-test"


def test_known_topic_needs_no_recurrence():
    gazetteer = build_gazetteer([GazetteerEntry("Korean War", "topic", ("war in Korea",))])
    summary = "They spoke of the war in Korea."
    result = resolve_mentions([mention("d1", summary, "war in Korea", "topic", field="summary")], gazetteer=gazetteer,
                              min_topic_documents=3)
    assert entity_of(result, "d1", "war in Korea") == "topic:korean-war"


# -- cases that once failed -------------------------------------------------------------------
def test_bracketed_outer_form_is_kept_as_an_alias():
    gazetteer = build_gazetteer([GazetteerEntry("Joseph Stalin", "person", ("Stalin",))])
    title = "Cable, Zhou Enlai to Feng Xi (Stalin)"
    result = resolve_mentions([mention("d1", title, "Feng Xi (Stalin)", finder="rule")], gazetteer=gazetteer)
    stalin = entity(result, "person:joseph-stalin")
    assert {"Feng Xi", "Feng Xi (Stalin)"} <= set(stalin.aliases)


def test_bare_surname_joins_a_name_made_of_initials():
    title, summary = "Record of a Meeting Between T. V. Soong and Molotov", "Dr. Soong proposes a treaty."
    result = resolve_mentions(
        [mention("d1", title, "T. V. Soong"), mention("d1", summary, "Dr. Soong", field="summary")],
        gazetteer=NO_GAZETTEER,
    )
    assert entity_of(result, "d1", "Dr. Soong") == entity_of(result, "d1", "T. V. Soong")


def test_two_typos_in_a_long_name_still_merge():
    gazetteer = build_gazetteer([GazetteerEntry("Mikhail Zimyanin", "person", ())])
    title = "Mikhaul Zimyanen's Report"
    result = resolve_mentions([mention("d1", title, "Mikhaul Zimyanen")], gazetteer=gazetteer)
    assert entity_of(result, "d1", "Mikhaul Zimyanen") == "person:mikhail-zimyanin"


def test_plural_possessive_keeps_the_final_s():
    gazetteer = build_gazetteer([GazetteerEntry("John Foster Dulles", "person", ())])
    title = "John Foster Dulles' Memorandum"
    result = resolve_mentions([mention("d1", title, "John Foster Dulles'")], gazetteer=gazetteer)
    assert "John Foster Dulle" not in entity(result, "person:john-foster-dulles").aliases


# -- people of one surname, initials, name order ---------------------------------------------------------
NEHRU = build_gazetteer([GazetteerEntry("Jawaharlal Nehru", "person", ("Nehru", "Pandit Nehru"))])


def test_a_known_surname_is_the_other_persons_when_the_document_names_another():
    title, summary = "Talks between B.K. Nehru and Zhou Enlai", "Nehru asked about the border."
    result = resolve_mentions(
        [mention("d1", title, "B.K. Nehru", finder="rule"),
         mention("d1", summary, "Nehru", field="summary", finder="gazetteer", gazetteer_name="Jawaharlal Nehru"),
         mention("d2", "Letter to Nehru", "Nehru", finder="gazetteer", gazetteer_name="Jawaharlal Nehru")],
        gazetteer=NEHRU,
    )
    assert entity_of(result, "d1", "Nehru") == entity_of(result, "d1", "B.K. Nehru") == "person:b-k-nehru"
    assert entity_of(result, "d2", "Nehru") == "person:jawaharlal-nehru"


def test_a_known_surname_of_two_people_in_the_document_is_not_guessed():
    title, summary = "Jawaharlal Nehru Receives B.K. Nehru", "Nehru spoke first."
    result = resolve_mentions(
        [mention("d1", title, "Jawaharlal Nehru", finder="gazetteer", gazetteer_name="Jawaharlal Nehru"),
         mention("d1", title, "B.K. Nehru", finder="rule"),
         mention("d1", summary, "Nehru", field="summary", finder="gazetteer", gazetteer_name="Jawaharlal Nehru")],
        gazetteer=NEHRU,
    )
    assert entity_of(result, "d1", "Nehru") not in {"person:jawaharlal-nehru", "person:b-k-nehru"}


def test_an_abbreviated_given_name_never_stands_for_the_person():
    gazetteer = build_gazetteer([GazetteerEntry("Yumjaagiin Tsedenbal", "person", ("Tsedenbal", "Yu. Tsedenbal"))])
    result = resolve_mentions(
        [mention("d1", "Letter from Yu. Tsedenbal", "Yu. Tsedenbal"),
         mention("d2", "Talks with Yu and Wang", "Yu")],
        gazetteer=gazetteer,
    )
    assert entity_of(result, "d1", "Yu. Tsedenbal") == "person:yumjaagiin-tsedenbal"
    assert entity_of(result, "d2", "Yu") != "person:yumjaagiin-tsedenbal"
    assert "Yu" not in entity(result, "person:yumjaagiin-tsedenbal").aliases


@pytest.mark.parametrize("surface", ["Pavel F. Yudin", "Yudin Pavel", "F. P. Yudin"])
def test_middle_initials_order_and_name_order_do_not_hide_a_known_person(surface):
    gazetteer = build_gazetteer([GazetteerEntry("Pavel Yudin", "person", ("Pavel Fyodorovich Yudin",))])
    result = resolve_mentions([mention("d1", f"Record of a Talk with {surface}", surface)], gazetteer=gazetteer)
    assert entity_of(result, "d1", surface) == "person:pavel-yudin"


def test_initials_join_the_full_name_they_fit_in_the_document():
    title, summary = "Letter from T.A. Mirzoyan", "T. Mirzoyan and A. Mirzoyan signed."
    result = resolve_mentions(
        [mention("d1", title, "T.A. Mirzoyan"), mention("d1", summary, "T. Mirzoyan", field="summary"),
         mention("d1", summary, "A. Mirzoyan", field="summary")],
        gazetteer=NO_GAZETTEER,
    )
    assert entity_of(result, "d1", "T. Mirzoyan") == entity_of(result, "d1", "T.A. Mirzoyan")
    # "A." fits "T.A." in any order too; what must not happen is "T." taking a different full name
    other = resolve_mentions(
        [mention("d1", "Letter from S.A. Mirzoyan", "S.A. Mirzoyan"), mention("d1", "T. Mirzoyan signed", "T. Mirzoyan")],
        gazetteer=NO_GAZETTEER,
    )
    assert entity_of(other, "d1", "T. Mirzoyan") != entity_of(other, "d1", "S.A. Mirzoyan")


def test_a_long_surname_named_nowhere_in_full_is_the_one_known_persons():
    gazetteer = build_gazetteer([GazetteerEntry("Ivan Kovalev", "person", ()), GazetteerEntry("Li Peng", "person", ()),
                                 GazetteerEntry("Li Xiannian", "person", ())])
    result = resolve_mentions(
        [mention("d1", "Cable, Kovalev to Moscow", "Kovalev", "organization"),
         mention("d2", "Note from Peng", "Peng")],
        gazetteer=gazetteer,
    )
    assert entity_of(result, "d1", "Kovalev") == "person:ivan-kovalev"
    assert entity_of(result, "d2", "Peng") != "person:li-peng"  # short surnames are many people's


# -- organizations: one body in other words, short names, glosses -----------------------------------------
BULGARIA = build_gazetteer([
    GazetteerEntry("Bulgarian Communist Party", "organization", ("BCP",)),
    GazetteerEntry("BCP Central Committee", "organization", ("Central Committee of the BCP", "BCP CC")),
    GazetteerEntry("BCP Politburo", "organization", ("Politburo of the BCP",)),
    GazetteerEntry("Hungarian Workers' Party", "organization", ()),
    GazetteerEntry("Hungarian Socialist Workers' Party", "organization", ()),
    GazetteerEntry("Soviet Embassy", "organization", ()),
    GazetteerEntry("Bulgaria", "place", ()),
    GazetteerEntry("Sofia", "place", ()),
])


def org(doc_id: str, text: str, surface: str, **kwargs) -> Mention:
    return mention(doc_id, text, surface, "organization", finder="rule", **kwargs)


@pytest.mark.parametrize("surface", [
    "Political Bureau of the CC of the BCP", "BCP CC Politburo", "Bulgarian Communist Party Politburo",
])
def test_a_body_in_other_words_is_the_known_body(surface):
    result = resolve_mentions([org("d1", f"Minutes of the {surface}", surface)], gazetteer=BULGARIA)
    assert entity_of(result, "d1", surface) == "organization:bcp-politburo"


def test_an_unknown_body_in_other_words_is_one_body():
    gazetteer = build_gazetteer([GazetteerEntry("Albanian Party of Labor", "organization", ("APL",))])
    result = resolve_mentions(
        [org("d1", "Decision of the Secretariat of the CC of the APL", "Secretariat of the CC of the APL"),
         org("d2", "The APL Secretariat met.", "APL Secretariat")],
        gazetteer=gazetteer,
    )
    assert entity_of(result, "d1", "Secretariat of the CC of the APL") == entity_of(result, "d2", "APL Secretariat")


def test_a_short_name_joins_the_one_full_name_of_its_document():
    title, summary = "Cable from the Bulgarian Foreign Ministry", "The Foreign Ministry asks for a reply."
    result = resolve_mentions(
        [org("d1", title, "Bulgarian Foreign Ministry"), org("d1", summary, "Foreign Ministry", field="summary"),
         org("d2", "The Foreign Ministry Replies", "Foreign Ministry")],
        gazetteer=BULGARIA,
    )
    assert entity_of(result, "d1", "Foreign Ministry") == entity_of(result, "d1", "Bulgarian Foreign Ministry")
    assert entity_of(result, "d2", "Foreign Ministry") != entity_of(result, "d1", "Bulgarian Foreign Ministry")


def test_one_embassy_in_two_seats_of_one_document_is_one_body():
    title, summary = "Telegram from the Cuban Embassy in Sofia", "The Cuban Embassy in Bulgaria reports."
    result = resolve_mentions(
        [org("d1", title, "Cuban Embassy in Sofia"), org("d1", summary, "Cuban Embassy in Bulgaria", field="summary")],
        gazetteer=BULGARIA,
    )
    assert entity_of(result, "d1", "Cuban Embassy in Sofia") == entity_of(result, "d1", "Cuban Embassy in Bulgaria")


def test_a_generic_known_body_yields_to_the_documents_full_name_but_a_party_does_not():
    title = "The Soviet Embassy in Sofia and the Hungarian Socialist Workers' Party"
    summary = "The Soviet Embassy and the Hungarian Workers' Party agree."
    result = resolve_mentions(
        [org("d1", title, "Soviet Embassy in Sofia"), org("d1", title, "Hungarian Socialist Workers' Party"),
         org("d1", summary, "Soviet Embassy", field="summary"), org("d1", summary, "Hungarian Workers' Party", field="summary")],
        gazetteer=BULGARIA,
    )
    assert entity_of(result, "d1", "Soviet Embassy") == entity_of(result, "d1", "Soviet Embassy in Sofia")
    assert entity_of(result, "d1", "Hungarian Workers' Party") == "organization:hungarian-workers-party"


def test_a_bare_body_belongs_to_the_one_party_its_document_names():
    title, summary = "Letter of the BCP CC", "The Politburo approved it."
    result = resolve_mentions(
        [org("d1", title, "BCP CC"), org("d1", summary, "Politburo", field="summary"),
         org("d2", "The Politburo met", "Politburo")],
        gazetteer=BULGARIA,
    )
    assert entity_of(result, "d1", "Politburo") == "organization:bcp-politburo"
    assert entity_of(result, "d2", "Politburo") != "organization:bcp-politburo"  # no party named: not guessed


def test_an_acronym_glossed_once_is_that_name_everywhere():
    result = resolve_mentions(
        [org("d1", "Leaders of the East Turkmen Front (ETF) met", "East Turkmen Front (ETF)"),
         mention("d2", "Cable on the ETF", "ETF", "organization")],
        gazetteer=NO_GAZETTEER,
    )
    assert entity_of(result, "d2", "ETF") == entity_of(result, "d1", "East Turkmen Front (ETF)")


def test_a_body_and_its_bracketed_parent_is_the_parents_part():
    result = resolve_mentions(
        [org("d1", "Orders to the 5th Brigade (Bulgarian Communist Party)", "5th Brigade (Bulgarian Communist Party)"),
         org("d2", "The 5th Brigade of the BCP moved", "5th Brigade of the BCP")],
        gazetteer=BULGARIA,
    )
    assert entity_of(result, "d1", "5th Brigade (Bulgarian Communist Party)") == entity_of(result, "d2", "5th Brigade of the BCP")


# -- why: every decision records its rule, on the mention and on the alias it gives ------------------------
RULE_NAMES = {typo_rule(1), typo_rule(2)} | set(RULES) - {TYPO_RULE}
STALIN_ROW = build_gazetteer([GazetteerEntry("Joseph Stalin", "person", ("Stalin", "Filippov"))])
RULE_CASES = {  # name -> (gazetteer, mentions, the surface whose rule is checked, its alias, the rule)
    "gazetteer name": (STALIN_ROW, [mention("d1", "Letter from Joseph Stalin", "Joseph Stalin")], "Joseph Stalin",
                       None, GAZETTEER_NAME),
    "gazetteer alias": (STALIN_ROW, [mention("d1", "Letter from Generalissimo Stalin's", "Generalissimo Stalin's")],
                        "Generalissimo Stalin's", "Generalissimo Stalin", GAZETTEER_ALIAS),
    "bracket": (STALIN_ROW, [mention("d1", "Telegram from Fyn Si [Stalin] to Mao", "Fyn Si [Stalin]")],
                "Fyn Si [Stalin]", "Fyn Si", BRACKET),
    "initials": (build_gazetteer([GazetteerEntry("Pavel Yudin", "person", ())]),
                 [mention("d1", "Talk with P. F. Yudin", "P. F. Yudin")], "P. F. Yudin", "P. F. Yudin", INITIALS),
    "typo, 1 edit": (build_gazetteer(TYPO_GAZETTEER), [mention("d1", "Letter from Chian Kai-Shek", "Chian Kai-Shek")],
                     "Chian Kai-Shek", "Chian Kai-Shek", typo_rule(1)),
    "typo, 2 edits": (build_gazetteer([GazetteerEntry("Konstantin Rokossovsky", "person", ())]),
                      [mention("d1", "Letter from Konstantin Rokossowski", "Konstantin Rokossowski")],
                      "Konstantin Rokossowski", "Konstantin Rokossowski", typo_rule(2)),
    "typo in the corpus": (NO_GAZETTEER, [mention(d, f"Letter from {name}", name) for d, name in (
        ("d1", "Gheorghe Radulescu"), ("d2", "Gheorghe Radulescu"), ("d3", "Gheorge Radulescu"))],
        "Gheorge Radulescu", "Gheorge Radulescu", typo_rule(1)),
    "surname in the document": (NO_GAZETTEER, [mention("d1", "Letter from Leonid Brezhnev", "Leonid Brezhnev"),
                                               mention("d1", "Brezhnev presses.", "Brezhnev", field="summary")],
                                "Brezhnev", "Brezhnev", SURNAME_IN_DOCUMENT),
    "surname in the corpus": (NO_GAZETTEER, [mention("d1", "Letter from Leonid Brezhnev", "Leonid Brezhnev"),
                                             mention("d2", "Brezhnev's Speech", "Brezhnev")], "Brezhnev", "Brezhnev",
                              SURNAME_IN_CORPUS),
    "surname in the gazetteer": (build_gazetteer([GazetteerEntry("Ivan Kovalev", "person", ())]),
                                 [mention("d1", "Cable, Kovalev to Moscow", "Kovalev", "organization")], "Kovalev",
                                 "Kovalev", SURNAME_IN_GAZETTEER),
    "the document's own Nehru": (build_gazetteer([GazetteerEntry("Jawaharlal Nehru", "person", ("Nehru",))]),
                                 [mention("d1", "Cable from B.K. Nehru", "B.K. Nehru", finder="rule"),
                                  mention("d1", "Nehru asks.", "Nehru", field="summary")], "Nehru", "Nehru",
                                 SURNAME_IN_DOCUMENT),
    "own spelling": (NO_GAZETTEER, [mention("d1", "Note on Zorin", "Zorin")], "Zorin", None, OWN_SPELLING),
    "body in other words": (BULGARIA, [org("d1", "Minutes of the BCP CC Politburo", "BCP CC Politburo")],
                            "BCP CC Politburo", "BCP CC Politburo", BODY_WORDS),
    "short name in the document": (BULGARIA, [
        org("d1", "Cable from the Bulgarian Foreign Ministry", "Bulgarian Foreign Ministry"),
        org("d1", "The Foreign Ministry asks.", "Foreign Ministry", field="summary")], "Foreign Ministry",
        "Foreign Ministry", SHORT_NAME_IN_DOCUMENT),
    "short name in the corpus": (NO_GAZETTEER, [
        org("d1", "Orders of the 36th Division of the Red Army", "36th Division of the Red Army"),
        org("d2", "The 36th Division moved", "36th Division")], "36th Division", "36th Division", SHORT_NAME_IN_CORPUS),
    "body of the party": (BULGARIA, [org("d1", "Letter of the BCP CC", "BCP CC"),
                                     org("d1", "The Politburo approved it.", "Politburo", field="summary")],
                          "Politburo", "Politburo", BODY_OF_PARTY),
    "glossed acronym": (NO_GAZETTEER, [
        org("d1", "Leaders of the East Turkmen Front (ETF) met", "East Turkmen Front (ETF)"),
        mention("d2", "Cable on the ETF", "ETF", "organization")], "ETF", "ETF", GLOSS),
}


@pytest.mark.parametrize("case", RULE_CASES)
def test_each_decision_records_its_rule(case):
    gazetteer, mentions, surface, alias, rule = RULE_CASES[case]
    result = resolve_mentions(mentions, gazetteer=gazetteer)
    (found,) = [m for m in result.mentions if m.text == surface]
    assert found.rule == rule
    joined = entity(result, found.entity_id)
    assert all(why.alias in joined.aliases and why.rule in RULE_NAMES for why in joined.alias_rules)
    assert {why.alias for why in joined.alias_rules} == set(joined.aliases)  # every alias carries its rule
    if alias is not None:
        assert (alias, rule, (found.doc_id,)) in {(why.alias, why.rule, why.documents) for why in joined.alias_rules}
    else:  # the label itself: no alias record
        assert joined.label == surface and all(why.alias != surface for why in joined.alias_rules)


def test_a_gazetteer_alias_no_document_uses_has_the_rule_and_no_documents():
    result = resolve_mentions([mention("d1", "Letter from Joseph Stalin", "Joseph Stalin")], gazetteer=STALIN_ROW)
    assert entity(result, "person:joseph-stalin").alias_rules == (
        AliasRule("Filippov", GAZETTEER_ALIAS), AliasRule("Stalin", GAZETTEER_ALIAS))
    assert entity(result, "person:joseph-stalin").in_gazetteer
    unknown = resolve_mentions([mention("d1", "Note on Zorin", "Zorin")], gazetteer=NO_GAZETTEER)
    assert not entity(unknown, "person:zorin").in_gazetteer


def test_an_alias_joined_by_two_rules_lists_both_with_their_documents():
    result = resolve_mentions(
        [mention("d1", "Letter from Leonid Brezhnev", "Leonid Brezhnev"),
         mention("d1", "Brezhnev presses.", "Brezhnev", field="summary"), mention("d2", "Brezhnev's Speech", "Brezhnev"),
         mention("d3", "Leonid Brezhnev in Prague", "Leonid Brezhnev")],
        gazetteer=NO_GAZETTEER,
    )
    assert entity(result, "person:leonid-brezhnev").alias_rules == (
        AliasRule("Brezhnev", SURNAME_IN_CORPUS, ("d2",)), AliasRule("Brezhnev", SURNAME_IN_DOCUMENT, ("d1",)))


# -- what extraction asks resolution (NameIdentities) ---------------------------------------------
def _identities(*entries):
    from kg.resolve import NameIdentities

    return NameIdentities(build_gazetteer(list(entries)), Vocabulary.load())


def test_a_misspelt_run_is_the_one_known_name_it_is_close_to():
    identities = _identities(GazetteerEntry("Chiang Kai-shek", "person", ()), GazetteerEntry("Li Peng", "person", ()))
    names, entry = identities.misspelling("Chian Kai-Shek")
    assert names == {"Chiang Kai-shek"} and entry.name == "Chiang Kai-shek"
    assert identities.misspelling("Chiang Kai-shek") == (frozenset(), None)  # known: no typo
    assert identities.misspelling("Li Pemg") == (frozenset(), None)  # too short to trust (ResolveOptions)


def test_a_title_word_is_never_misspelt():
    identities = _identities(GazetteerEntry("Mongolian Foreign Ministry", "organization", ()))
    names, entry = identities.misspelling("Mongolian Foreign Minister")
    assert names == {"Mongolian Foreign Ministry"} and entry is None


def test_a_bracket_is_read_whole_then_inner_then_outer():
    from kg.resolve import bracket_reading

    known = {"mao zedong": "Mao", "stalin": "Stalin", "filippov": "Filippov"}.get
    assert bracket_reading("Mao", "Zedong", lambda n: known(n.casefold())) == ("Mao Zedong", "Mao")
    assert bracket_reading("Filippov", "Stalin", lambda n: known(n.casefold())) == ("Stalin", "Stalin")
    assert bracket_reading("Fyn Si", "Unknown", lambda n: known(n.casefold())) is None


def test_identities_of_one_gazetteer_are_equal():
    from kg.resolve import NameIdentities

    gazetteer, vocabulary = build_gazetteer([GazetteerEntry("Imre Nagy", "person", ())]), Vocabulary.load()
    one, two = NameIdentities(gazetteer, vocabulary), NameIdentities(gazetteer, vocabulary)
    assert one == two and hash(one) == hash(two)
    assert one != NameIdentities(build_gazetteer([GazetteerEntry("Imre Nagy", "person", ())]), vocabulary)


def test_a_surname_that_is_no_alias_is_a_bare_surname():
    assert _identities(GazetteerEntry("Imre Nagy", "person", ())).is_bare_surname("Nagy")
    assert not _identities(GazetteerEntry("Imre Nagy", "person", ("Nagy",))).is_bare_surname("Nagy")  # matches alone
    assert not _identities(GazetteerEntry("Imre Nagy", "person", ())).is_bare_surname("Imre")
