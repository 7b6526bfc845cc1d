"""Gazetteer files: validation messages, alias conflicts, merging user files, lookup."""
from __future__ import annotations

from pathlib import Path

import pytest

import kg.gazetteer
from kg.gazetteer import GazetteerEntry, GazetteerError, build_gazetteer, load_gazetteer


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- validation -------------------------------------------------------------------------------
def test_missing_column_names_the_file_line_and_column(tmp_path):
    path = write(tmp_path, "people.csv", "name,kind\nNicolae Ceaușescu,person\n")
    with pytest.raises(GazetteerError) as err:
        load_gazetteer([path], include_default=False)
    message = str(err.value)
    assert f"{path}:1" in message
    assert "aliases" in message


def test_empty_name_names_the_file_and_line(tmp_path):
    path = write(tmp_path, "people.csv", "name,kind,aliases\nTito,person,Josip Broz\n,person,Hoxha\n")
    with pytest.raises(GazetteerError, match="empty name") as err:
        load_gazetteer([path], include_default=False)
    assert f"{path}:3" in str(err.value)


def test_bad_kind_names_the_file_line_kind_and_choices(tmp_path):
    path = write(tmp_path, "people.csv", "name,kind,aliases\nEnver Hoxha,person,\nTirana,city,\n")
    with pytest.raises(GazetteerError) as err:
        load_gazetteer([path], include_default=False)
    message = str(err.value)
    assert f"{path}:3" in message
    assert "'city'" in message and "Tirana" in message
    assert "person, place, organization, topic" in message


def test_missing_file_is_a_gazetteer_error(tmp_path):
    with pytest.raises(GazetteerError, match="no such gazetteer file"):
        load_gazetteer([tmp_path / "absent.csv"], include_default=False)


def test_same_name_with_two_kinds_names_both_places(tmp_path):
    first = write(tmp_path, "a.csv", "name,kind,aliases\nComintern,organization,\n")
    second = write(tmp_path, "b.csv", "name,kind,aliases\nComintern,topic,\n")
    with pytest.raises(GazetteerError) as err:
        load_gazetteer([first, second], include_default=False)
    assert "b.csv:2" in str(err.value) and "a.csv:2" in str(err.value)


# -- reading --------------------------------------------------------------------------------------
def test_rows_become_entries_with_aliases_description_and_origin(tmp_path):
    path = write(
        tmp_path, "people.csv",
        "name,kind,aliases,description\n"
        "Nicolae Ceaușescu,Person,Ceausescu|Nicolae Ceausescu| |Nicolae Ceaușescu,Romanian leader\n",
    )
    gazetteer = load_gazetteer([path], include_default=False)
    (entry,) = gazetteer.entries
    assert entry.name == "Nicolae Ceaușescu"
    assert entry.kind == "person"  # case of the kind is ignored
    assert entry.aliases == ("Ceausescu", "Nicolae Ceausescu")  # blanks and the name itself dropped
    assert entry.description == "Romanian leader"
    assert entry.origin == "people.csv:2"


# -- conflicts ------------------------------------------------------------------------------------
def test_alias_claimed_by_two_entities_is_reported_and_not_indexed():
    gazetteer = build_gazetteer([
        GazetteerEntry("Kim Il Sung", "person", ("Kim", "Kim Il-song"), origin="k.csv:2"),
        GazetteerEntry("Kim Jong Il", "person", ("Kim",), origin="k.csv:3"),
    ])
    assert gazetteer.lookup("Kim") is None
    assert len(gazetteer.conflicts) == 1
    assert "Kim Il Sung" in gazetteer.conflicts[0] and "Kim Jong Il" in gazetteer.conflicts[0]
    assert "k.csv:2" in gazetteer.conflicts[0] and "k.csv:3" in gazetteer.conflicts[0]
    # the other names of both entries still work
    assert gazetteer.lookup("Kim Il-song").name == "Kim Il Sung"
    assert gazetteer.lookup("Kim Jong Il").name == "Kim Jong Il"


def test_canonical_name_beats_another_entrys_alias_but_is_reported():
    gazetteer = build_gazetteer([
        GazetteerEntry("Mongolia", "place", ("Outer Mongolia", "MPR")),
        GazetteerEntry("MPR", "organization", ("Mongolian People's Republic",)),
    ])
    assert gazetteer.lookup("MPR").name == "MPR"
    assert any("'mpr'" in c for c in gazetteer.conflicts)


def test_alias_conflict_in_files_is_reported(tmp_path):
    path = write(tmp_path, "people.csv", "name,kind,aliases\nZhou Enlai,person,Zhou\nZhou Xiaozhou,person,Zhou\n")
    gazetteer = load_gazetteer([path], include_default=False)
    assert gazetteer.lookup("Zhou") is None
    assert len(gazetteer.conflicts) == 1 and "people.csv:2" in gazetteer.conflicts[0]


# -- issues: period, involves, cues, narrows, part_of ---------------------------------------------------
ISSUE_HEADER = "name,kind,aliases,description,period,involves,cues,narrows,part_of\n"


def test_a_topic_row_carries_its_issue_cues(tmp_path):
    path = write(tmp_path, "topics.csv", ISSUE_HEADER + (
        "Hungarian Revolution of 1956,topic,Hungarian uprising,1956 revolt,1956-10-23/1956-12,"
        "Hungary|Budapest|Hungarian,situation|riot|counter-revolution*,,\n"
        "Taiwan Strait Crisis,topic,,,1954-09/1955-05|1958-08-23/1958-12-31,Jinmen,shelling,,\n"
        "Zhenbao Island incident,topic,,,1969-03,Zhenbao Island,clash*,border dispute,Taiwan Strait Crisis\n"
        "border dispute,topic,border clashes,,,,,,\n"
    ))
    entries = {e.name: e for e in load_gazetteer([path], include_default=False).entries}
    hungary = entries["Hungarian Revolution of 1956"]
    assert hungary.period == (("1956-10-23", "1956-12"),)
    assert hungary.involves == ("Hungary", "Budapest", "Hungarian")
    assert hungary.cues == ("situation", "riot", "counter-revolution*")
    assert hungary.is_issue and not entries["border dispute"].is_issue
    assert entries["Taiwan Strait Crisis"].period == (("1954-09", "1955-05"), ("1958-08-23", "1958-12-31"))
    zhenbao = entries["Zhenbao Island incident"]
    assert (zhenbao.narrows, zhenbao.part_of) == (("border dispute",), ("Taiwan Strait Crisis",))


def test_a_file_without_the_issue_columns_still_loads(tmp_path):
    path = write(tmp_path, "topics.csv", "name,kind,aliases,description\nKorean War,topic,War in Korea,1950-53\n")
    (war,) = load_gazetteer([path], include_default=False).entries
    assert (war.period, war.cues, war.is_issue) == ((), (), False)


@pytest.mark.parametrize("period, message", [
    ("October 1956", "expected FIRST/LAST as ISO dates"),
    ("1956-13/1957", "expected FIRST/LAST as ISO dates"),
    ("1956-12/1956-10", "ends before it begins"),
])
def test_a_bad_period_names_the_file_line_and_form(tmp_path, period, message):
    path = write(tmp_path, "topics.csv", ISSUE_HEADER + "Korean War,topic,,,,,,,\n" + f"Suez Crisis,topic,,,{period},,,,\n")
    with pytest.raises(GazetteerError, match=message) as err:
        load_gazetteer([path], include_default=False)
    assert f"{path}:3" in str(err.value) and "Suez Crisis" in str(err.value)


def test_only_topics_have_issue_cues(tmp_path):
    path = write(tmp_path, "places.csv", ISSUE_HEADER + "Budapest,place,,,1956-10/1956-11,,,,\n")
    with pytest.raises(GazetteerError, match="only topics") as err:
        load_gazetteer([path], include_default=False)
    assert f"{path}:2" in str(err.value)


@pytest.mark.parametrize("cue", ["*", "in*", "Soviet tr*"])
def test_a_cue_of_a_star_after_fewer_than_three_letters_is_refused(tmp_path, cue):
    path = write(tmp_path, "topics.csv", ISSUE_HEADER + f"Suez Crisis,topic,,,1956-07/1957-03,Egypt,crisis|{cue},,\n")
    with pytest.raises(GazetteerError, match="fewer than 3 letters") as err:
        load_gazetteer([path], include_default=False)
    assert f"{path}:2" in str(err.value)


def test_a_user_row_adds_cues_to_a_shipped_issue(tmp_path, monkeypatch):
    shipped = write(tmp_path, "shipped.csv", ISSUE_HEADER + "Suez Crisis,topic,,,1956-07/1957-03,Egypt,crisis,,\n")
    monkeypatch.setattr(kg.gazetteer, "default_paths", lambda: [shipped])
    user = write(tmp_path, "mine.csv", "name,kind,aliases,involves,cues\nSuez Crisis,topic,Suez War,Port Said,invasion\n")
    (suez,) = load_gazetteer([user]).entries
    assert suez.aliases == ("Suez War",) and suez.period == (("1956-07", "1957-03"),)
    assert (suez.involves, suez.cues) == (("Egypt", "Port Said"), ("crisis", "invasion"))


# -- merging files --------------------------------------------------------------------------------
def test_user_file_extends_a_shipped_entry(tmp_path, monkeypatch):
    shipped = write(tmp_path, "shipped.csv",
                    "name,kind,aliases,description\nJoseph Stalin,person,Stalin,Soviet leader\n")
    monkeypatch.setattr(kg.gazetteer, "default_paths", lambda: [shipped])
    user = write(tmp_path, "mine.csv",
                 "name,kind,aliases\nJoseph Stalin,person,Filippov|Fyn Si\nAnastas Mikoyan,person,\n")
    gazetteer = load_gazetteer([user])
    stalin = gazetteer.by_name("Joseph Stalin")
    assert stalin.aliases == ("Stalin", "Filippov", "Fyn Si")
    assert stalin.description == "Soviet leader"
    assert stalin.origin == "shipped.csv:2"
    assert gazetteer.lookup("Fyn Si") is stalin
    assert gazetteer.lookup("Anastas Mikoyan") is not None
    assert len(gazetteer) == 2


def test_include_default_false_reads_only_the_given_files(tmp_path, monkeypatch):
    shipped = write(tmp_path, "shipped.csv", "name,kind,aliases\nJoseph Stalin,person,Stalin\n")
    monkeypatch.setattr(kg.gazetteer, "default_paths", lambda: [shipped])
    user = write(tmp_path, "mine.csv", "name,kind,aliases\nEnver Hoxha,person,\n")
    gazetteer = load_gazetteer([user], include_default=False)
    assert gazetteer.lookup("Stalin") is None
    assert [e.name for e in gazetteer.entries] == ["Enver Hoxha"]


# -- lookup ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query",
    ["Nicolae Ceaușescu", "nicolae ceausescu", "NICOLAE  CEAUSESCU", "Nicolae-Ceausescu", "Ceaușescu", "CEAUSESCU"],
)
def test_lookup_ignores_case_spacing_and_accents(query):
    gazetteer = build_gazetteer([GazetteerEntry("Nicolae Ceaușescu", "person", ("Ceausescu",))])
    assert gazetteer.lookup(query).name == "Nicolae Ceaușescu"


def test_lookup_matches_initials_however_spaced():
    gazetteer = build_gazetteer([GazetteerEntry("T. V. Soong", "person", ("Soong Tse-ven",))])
    assert gazetteer.lookup("T.V. Soong").name == "T. V. Soong"
    assert gazetteer.lookup("soong tse ven").name == "T. V. Soong"
    assert gazetteer.lookup("Soong") is None


def test_by_name_wants_the_canonical_name():
    gazetteer = build_gazetteer([GazetteerEntry("Joseph Stalin", "person", ("Stalin",))])
    assert gazetteer.by_name("Joseph Stalin").name == "Joseph Stalin"
    assert gazetteer.by_name("Stalin") is None
