"""Name normalization: matching keys, titles, possessives, junk spans, demonyms, typos."""
from __future__ import annotations

import pytest

from kg.names import TypoIndex, edit_distance, name_key, strip_possessive
from kg.vocabulary import Vocabulary


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary.load()


# -- name_key ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("T.V. Soong", "T. V. Soong"),  # initials with and without spaces
        ("T. V. Soong", "t v soong"),  # case and punctuation
        ("P.F. Yudin", "P. F. Yudin"),
        ("Chiang Kai-Shek", "Chiang Kai-shek"),  # hyphen and case
        ("Chiang Kai-Shek", "Chiang Kaishek"),
        ("Ceaușescu", "Ceausescu"),  # accents (s with comma below)
        ("Nicolae Ceaușescu", "NICOLAE CEAUSESCU"),
        ("Hồ Chí Minh", "Ho Chi Minh"),
        ("Gustáv Husák", "Gustav Husak"),
        ("The Soviet Union", "Soviet Union"),  # a leading "the" is not part of the name
    ],
)
def test_name_key_ignores_spacing_case_hyphens_and_accents(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kim Il Sung", "Kim Jong Il"),
        ("Mao Zedong", "Mao Anying"),
        ("Theodore White", "Odore White"),  # only a whole leading word "the" is dropped
    ],
)
def test_name_key_keeps_different_names_apart(a, b):
    assert name_key(a) != name_key(b)


def test_name_key_keeps_only_letters_and_digits():
    assert name_key("Cable No. 832") == "cableno832"
    assert name_key("  Kim Il-sung  ") == "kimilsung"


# -- strip_honorifics --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("Generalissimo Stalin", "Stalin"),
        ("Soviet Ambassador Cde. Yudin", "Yudin"),  # stripped repeatedly
        ("Chairman Deng Xiaoping", "Deng Xiaoping"),
        ("Dr. Soong", "Soong"),
        ("Dr Soong", "Soong"),
        ("Comrade Kim Il Sung", "Kim Il Sung"),
        ("Marshal Tito", "Tito"),
        ("Premier Zhou Enlai", "Zhou Enlai"),
        ("General Secretary Brezhnev", "Brezhnev"),
        ("Prime Minister Nehru", "Nehru"),
        ("President Nixon", "Nixon"),
        ("Mr. Kissinger", "Kissinger"),
        ("the Soviet Ambassador Yudin", "Yudin"),
    ],
)
def test_strip_honorifics(vocabulary, text, bare):
    assert vocabulary.strip_honorifics(text) == bare


@pytest.mark.parametrize(
    "text",
    [
        "Chairman",  # a title alone is left as it is
        "President",
        "Presidential Palace",  # a title only as a whole word
        "Kingston",
        "Doctor Zhivago",  # "Doctor" is not in the list; the name is untouched
        "Dr. le Duan",  # what follows a title must start with a capital
    ],
)
def test_strip_honorifics_leaves_non_titles_alone(vocabulary, text):
    assert vocabulary.strip_honorifics(text) == text


# -- possessives ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("Chiang Kai-Shek's", "Chiang Kai-Shek"),
        ("Khrushchev\u2019s", "Khrushchev"),  # typographic apostrophe
        ("Brezhnev's", "Brezhnev"),
        ("Ulbricht`s", "Ulbricht"),
        ("Stalin", "Stalin"),
    ],
)
def test_strip_possessive(text, bare):
    assert strip_possessive(text) == bare


@pytest.mark.parametrize(
    ("surface", "bare"),
    [
        ("Generalissimo Stalin's", "Stalin"),
        ("Chairman Mao\u2019s", "Mao"),
        ("  Dr.  Soong, ", "Soong"),
        ('"Kim Il Sung"', "Kim Il Sung"),
        ("Secretary of State Dulles'", "Dulles"),  # a bare apostrophe after a final s
    ],
)
def test_clean_strips_titles_possessives_and_edge_punctuation(vocabulary, surface, bare):
    assert vocabulary.clean(surface) == bare


# -- junk and demonyms -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["Cipher Message No", "Cable No. 832", "Excerpt", "Journal", "Record of Conversation", "Telegram No. 12",
     "TOP SECRET", "Memorandum"],
)
def test_doctype_junk(vocabulary, text):
    assert vocabulary.is_doctype_junk(text)


@pytest.mark.parametrize("text", ["Stalin", "Cable from Mao", "Pravda", "Journal of Yudin", ""])
def test_not_doctype_junk(vocabulary, text):
    assert not vocabulary.is_doctype_junk(text)


@pytest.mark.parametrize(
    "text", ["Soviet", "Chinese", "Sino-Soviet", "sino-soviet", "Sino\u2013Soviet", "Soviets", "North Korean",
             "Sino-Albanian", "Korean-Soviet"]
)
def test_demonym(vocabulary, text):
    assert vocabulary.is_demonym(text)


@pytest.mark.parametrize("text", ["Soviet Union", "Soviet Foreign Ministry", "China", "Korea", "Stalin", "Sino-Korea"])
def test_not_demonym(vocabulary, text):
    assert not vocabulary.is_demonym(text)


# -- edit distance and typos ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("stalin", "stalin", 0),
        ("khrushchev", "krushchev", 1),  # deletion
        ("molotov", "molotof", 1),  # substitution
        ("stalin", "stlain", 1),  # adjacent swap costs 1
        ("mikhail", "mikihail", 1),  # insertion
        ("molotov", "malatov", 2),
    ],
)
def test_edit_distance(a, b, distance):
    assert edit_distance(a, b) == distance
    assert edit_distance(b, a) == distance


def test_edit_distance_is_cut_off_above_the_limit():
    assert edit_distance("mao", "stalin") == 3  # limit 2 -> anything further is 3
    assert edit_distance("brezhnev", "andropov") == 3
    assert edit_distance("kitten", "sitting", limit=5) == 3


@pytest.fixture(scope="module")
def typos() -> TypoIndex:
    names = ["Chiang Kai-Shek", "Mikhail Zimyanin", "Khrushchev", "Stalin", "Mao Zedong", "Molotov", "Kim Jong Il"]
    return TypoIndex(name_key(n) for n in names)


@pytest.mark.parametrize(
    ("misspelt", "known"),
    [
        ("Chian Kai-Shek", "chiangkaishek"),
        ("Chaing Kai-Shek", "chiangkaishek"),
        ("Mikihail Zimyanin", "mikhailzimyanin"),
        ("Krushchev", "khrushchev"),
        ("Stlain", "stalin"),
        ("Mao Zedung", "maozedong"),
        ("Molotof", "molotov"),
    ],
)
def test_typo_index_finds_the_close_name(typos, misspelt, known):
    assert typos.candidates(name_key(misspelt)) == {known}


def test_typo_index_does_not_return_the_name_itself(typos):
    assert typos.candidates("khrushchev") == set()


@pytest.mark.parametrize("far", ["Brezhnev", "Kim Jong Un", "Malatov", "Mao"])
def test_typo_index_ignores_far_names(typos, far):
    # "Kim Jong Un" and "Malatov" are two edits away: too far for names under 12 characters.
    assert typos.candidates(name_key(far)) == set()


def test_typo_index_allows_two_edits_for_long_names(typos):
    # "Mikhal Zimyaniin": one letter dropped, one added (15 characters).
    assert typos.candidates(name_key("Mikhal Zimyaniin")) == {"mikhailzimyanin"}


def test_typo_lookup_of_a_huge_key_is_cheap():
    import time

    from kg.names import TypoIndex

    index = TypoIndex(["josephstalin", "maozedong"])
    start = time.perf_counter()
    assert index.candidates("stalinmao" * 500) == set()
    assert time.perf_counter() - start < 0.1


def test_typo_index_finds_every_key_that_shares_a_deletion():
    # "stalin" and "staln" share variants with "stalim": each must come back, not only the first indexed.
    index = TypoIndex(["stalin", "stalim", "staln", "stalin"])
    assert index.candidates("stali") == {"stalin", "stalim", "staln"}
    assert index.candidates("stalin") == {"stalim", "staln"}


def test_titles_are_grouped_by_first_word_longest_first():
    vocabulary = Vocabulary.load()
    groups = vocabulary.honorifics_by_first_word
    assert "soviet ambassador" in groups["soviet"]
    assert all(len(a) >= len(b) for group in groups.values() for a, b in zip(group, group[1:]))
    assert sorted(t for group in groups.values() for t in group) == sorted(vocabulary.honorifics)
