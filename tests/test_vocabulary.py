"""The word lists of kg/data/: each says what it is for, and the Vocabulary reads them."""
from __future__ import annotations

from importlib import resources

import pytest

from kg.vocabulary import Vocabulary, read_list

LISTS = sorted(p.name for p in resources.files("kg").joinpath("data").iterdir() if p.name.endswith(".txt"))


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary.load()


@pytest.mark.parametrize("name", LISTS)
def test_every_word_list_starts_by_saying_what_it_is_for(name):
    text = resources.files("kg").joinpath("data", name).read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    assert len(" ".join(header).split()) >= 12, f"kg/data/{name} needs a comment at the top saying what it is for"
    assert read_list(name), f"kg/data/{name} lists nothing"


def test_comments_and_blank_lines_are_no_words():
    assert not any(line.startswith("#") or not line for name in LISTS for line in read_list(name))


@pytest.mark.parametrize("name, seated", [
    ("Chinese Embassy", True), ("Soviet Trade Mission", True), ("Consulate General", True),
    ("Petrov", False), ("Central Committee", False),
])
def test_seated_bodies(vocabulary, name, seated):
    assert vocabulary.is_seated(name) is seated


@pytest.mark.parametrize("word, ordinal", [("36th", True), ("Eleventh", True), ("twelfth", True), ("Division", False), ("36", False)])
def test_ordinals_in_digits_or_words(vocabulary, word, ordinal):
    assert vocabulary.is_ordinal(word) is ordinal


def test_the_lists_moved_out_of_the_code_are_read(vocabulary):
    assert {"republic", "party", "daily"} <= vocabulary.name_heads
    assert {"embassy", "foundation", "consulate-general"} <= vocabulary.organization_words
    assert {"parties", "residents", "others"} <= vocabulary.group_plurals
    assert {"de", "van", "bin"} <= vocabulary.name_particles


def test_honorifics_are_not_called_titles(vocabulary):
    """A document's title is parsed by kg.titles; the words before a name are honorifics."""
    assert not any(name.startswith(("title", "is_title", "strip_title")) for name in dir(vocabulary))
    assert "ambassador" in vocabulary.honorific_words and vocabulary.is_honorific("Soviet Ambassador")
