"""Title and summary patterns: who met whom, who wrote to whom, who wrote what."""
from __future__ import annotations

import re
from importlib import resources

import pytest

from kg.records import Document, DocumentDate, Mention
from kg.relations import find_relations


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def relations(title: str, people=(), organizations=(), places=(), *, summary: str = "", summary_people=()):
    """The (relation, source, target) triples for one document.

    Every occurrence of each listed name becomes a resolved mention whose entity id
    is ``<kind>:<slug of the name>``.
    """
    doc = Document("doc1", title, DocumentDate("1956"), summary=summary)
    mentions = []
    for field, text, groups in (
        ("title", title, (("person", people), ("organization", organizations), ("place", places))),
        ("summary", summary, (("person", summary_people),)),
    ):
        for kind, names in groups:
            for name in names:
                for match in re.finditer(re.escape(name), text):
                    mentions.append(Mention("doc1", field, match.start(), match.end(), name, kind, "model",
                                            entity_id=f"{kind}:{slug(name)}"))
    return sorted((r.relation, r.source, r.target) for r in find_relations([doc], mentions))


def met(a: str, b: str) -> tuple[str, str, str]:
    return ("met", *sorted((f"person:{slug(a)}", f"person:{slug(b)}")))


def wrote_to(a: str, b: str, kind: str = "person") -> tuple[str, str, str]:
    return ("wrote_to", f"person:{slug(a)}", f"{kind}:{slug(b)}")


def wrote(a: str, kind: str = "person") -> tuple[str, str, str]:
    return ("wrote", f"{kind}:{slug(a)}", "doc1")


# -- met ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "a", "b"),
    [
        ("Record of a Meeting Between Nikita Khrushchev and Mao Zedong", "Nikita Khrushchev", "Mao Zedong"),
        ("Memorandum of Conversation between Henry Kissinger and Zhou Enlai", "Henry Kissinger", "Zhou Enlai"),
        ("Summary of Andrei Gromyko Meeting with Dean Rusk", "Andrei Gromyko", "Dean Rusk"),
        ("From the Journal of V. V. Kuznetsov, Record of Conversation with Kim Il Sung", "V. V. Kuznetsov",
         "Kim Il Sung"),
        ("Brezhnev's Meeting with Ceaușescu", "Brezhnev", "Ceaușescu"),
        ("Talks between Walter Ulbricht and Wladyslaw Gomulka", "Walter Ulbricht", "Wladyslaw Gomulka"),
        ("Notes on the Conversation of Anastas Mikoyan with Fidel Castro", "Anastas Mikoyan", "Fidel Castro"),
        ("Reception of Ho Chi Minh by Liu Shaoqi", "Ho Chi Minh", "Liu Shaoqi"),
        ("Minutes of Conversation between Mao Zedong and Soviet Ambassador Pavel Yudin on Korea", "Mao Zedong",
         "Pavel Yudin"),
    ],
)
def test_title_meeting_patterns(title, a, b):
    assert relations(title, [a, b]) == [met(a, b)]


def test_conversation_between_three_people_gives_three_pairs():
    title = "Conversation between Tito, Nasser and Nehru"
    assert relations(title, ["Tito", "Nasser", "Nehru"]) == sorted(
        [met("Tito", "Nasser"), met("Tito", "Nehru"), met("Nasser", "Nehru")]
    )


def test_titles_between_the_names_of_a_run_are_skipped():
    title = "Conversation between Cde. Tito, President Nasser and Prime Minister Nehru on Non-Alignment"
    assert len(relations(title, ["Tito", "Nasser", "Nehru"])) == 3


def test_one_person_and_a_role_is_no_meeting():
    title = "Transcript of the Conversation Between Deng Xiaoping and the Ambassador"
    assert relations(title, ["Deng Xiaoping"]) == []


def test_meetings_are_between_people_only():
    title = "Conversation between Mao Zedong and the CPSU Delegation"
    assert relations(title, ["Mao Zedong"], organizations=["CPSU Delegation"]) == []


def test_summary_sentence_with_a_meeting_verb():
    summary = "On 3 May Gromyko met with Rusk in Geneva. Gromyko then flew home."
    assert relations("Record of Conversation", summary=summary, summary_people=["Gromyko", "Rusk"]) == [
        met("Gromyko", "Rusk")
    ]


def test_summary_people_as_subject_of_a_meeting_phrase():
    summary = "Zhou Enlai and Kissinger continue their discussions on Taiwan."
    assert relations("Record of Conversation", summary=summary, summary_people=["Zhou Enlai", "Kissinger"]) == [
        met("Zhou Enlai", "Kissinger")
    ]


def test_summary_people_not_subjects_of_a_meeting_verb_did_not_meet():
    summary = "Mao Zedong criticizes Khrushchev and Tito."
    assert relations("Record of Conversation", summary=summary,
                     summary_people=["Mao Zedong", "Khrushchev", "Tito"]) == []


def test_summary_meeting_stays_inside_its_sentence():
    summary = "Mao Zedong met with Yudin in Beijing. Then Liu Shaoqi spoke."
    assert relations("Record of Conversation", summary=summary,
                     summary_people=["Mao Zedong", "Yudin", "Liu Shaoqi"]) == [met("Mao Zedong", "Yudin")]


# -- wrote_to and wrote ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "author", "recipient"),
    [
        ("Cable, Zhou Enlai to Kim Il Sung", "Zhou Enlai", "Kim Il Sung"),
        ("Letter from Fidel Castro to Nikita Khrushchev", "Fidel Castro", "Nikita Khrushchev"),
        ("Telegram from Walter Ulbricht to Leonid Brezhnev", "Walter Ulbricht", "Leonid Brezhnev"),
        ("Message from Ho Chi Minh to Lyndon Johnson", "Ho Chi Minh", "Lyndon Johnson"),
        ("Letter to Mao Zedong from Josip Broz Tito", "Josip Broz Tito", "Mao Zedong"),
        ("Telegram to Stalin from Mao Zedong", "Mao Zedong", "Stalin"),
        ("Andrei Gromyko's Report for Leonid Brezhnev", "Andrei Gromyko", "Leonid Brezhnev"),
    ],
)
def test_correspondence_patterns(title, author, recipient):
    assert relations(title, [author, recipient]) == sorted([wrote(author), wrote_to(author, recipient)])


def test_cable_to_three_recipients():
    title = "Cable from Zhou Enlai to Kim Il Sung, Pham Van Dong, and Prince Sihanouk"
    people = ["Zhou Enlai", "Kim Il Sung", "Pham Van Dong", "Sihanouk"]
    assert relations(title, people) == sorted(
        [wrote("Zhou Enlai")] + [wrote_to("Zhou Enlai", r) for r in ("Kim Il Sung", "Pham Van Dong", "Sihanouk")]
    )


def test_nested_telegram_gives_both_correspondences_but_only_the_outer_author_wrote_the_document():
    title = ("Telegram from Mao Zedong to Ho Chi Minh, Conveying the 2 March 1954 Telegram from Peng Dehuai "
             "to Mao Zedong")
    assert relations(title, ["Mao Zedong", "Ho Chi Minh", "Peng Dehuai"]) == sorted(
        [wrote("Mao Zedong"), wrote_to("Mao Zedong", "Ho Chi Minh"), wrote_to("Peng Dehuai", "Mao Zedong")]
    )


def test_an_enclosed_message_without_a_sender_is_the_senders():
    title = "Ciphered Telegram from Vyshinsky with a Message to Ho Chi Minh"
    assert relations(title, ["Vyshinsky", "Ho Chi Minh"]) == sorted(
        [wrote("Vyshinsky"), wrote_to("Vyshinsky", "Ho Chi Minh")]
    )


def test_a_reporter_met_whom_his_report_is_about_meeting():
    title = "Telegram from Peng Dehuai to Mao Zedong regarding Talks with Kim Il Sung"
    assert met("Peng Dehuai", "Kim Il Sung") in relations(title, ["Peng Dehuai", "Mao Zedong", "Kim Il Sung"])


def test_a_person_before_a_role_writes_the_slot_not_the_body_it_belongs_to():
    title = "Letter No. 12 from A. Ivanov, Soviet Embassy, Beijing, to the Foreign Minister, Ch'en Yi"
    found = relations(title, ["A. Ivanov", "Ch'en Yi"], organizations=["Soviet Embassy"], places=["Beijing"])
    assert found == sorted([wrote("A. Ivanov"), wrote_to("A. Ivanov", "Ch'en Yi")])


def test_a_party_named_inside_its_committee_is_no_second_recipient():
    title = "Letter from Mikoyan to the CPSU CC"
    found = relations(title, ["Mikoyan"], organizations=["CPSU CC", "CPSU"])
    assert found == sorted([wrote("Mikoyan"), wrote_to("Mikoyan", "CPSU CC", "organization")])


def test_a_body_inside_a_role_is_not_the_author():
    title = "Report from the Head of the Delegation of the CCP to Stalin"
    assert relations(title, ["Stalin"], organizations=["CCP"]) == []


def test_the_summary_names_the_author_a_title_leaves_out():
    title = "Report from the Head of the Delegation of the CCP to Stalin"
    summary = "Liu Shaoqi sends a list of questions and reports on the plans of the delegation."
    found = relations(title, ["Stalin"], organizations=["CCP"], summary=summary, summary_people=["Liu Shaoqi"])
    assert ("wrote_to", "person:liu-shaoqi", "person:stalin") in found


def test_the_summary_names_the_host_a_title_leaves_out():
    title = "Record of Conversation with Prime Minister Tsedenbal"
    summary = "Soviet Ambassador to Mongolia, Vasily Pisarev, reports on his talks on economic aid."
    found = relations(title, ["Tsedenbal"], summary=summary, summary_people=["Vasily Pisarev"])
    assert found == [met("Vasily Pisarev", "Tsedenbal")]


def test_one_also_present_joins_the_meeting():
    title = "Conversation between Tito and Nasser"
    summary = "Tito and Nasser discuss the Suez Canal. Yugoslav Foreign Minister Kardelj is also present."
    found = relations(title, ["Tito", "Nasser"], summary=summary, summary_people=["Tito", "Nasser", "Kardelj"])
    assert set(found) == {met("Tito", "Nasser"), met("Kardelj", "Tito"), met("Kardelj", "Nasser")}


def test_all_who_met_together_met_each_other():
    summary = "Kosygin met with Zhou Enlai, Chen Yi, and Li Xiannian at the airport."
    found = relations("Note on a Visit", summary=summary, summary_people=["Kosygin", "Zhou Enlai", "Chen Yi", "Li Xiannian"])
    assert len(found) == 6


def test_in_a_meeting_with_x_y_said():
    summary = "In a meeting with Foreign Minister Scheel, Zhou Enlai expressed support for the proposal."
    found = relations("Telex from Ambassador Pauls", ["Ambassador Pauls"], summary=summary,
                      summary_people=["Scheel", "Zhou Enlai"])
    assert met("Scheel", "Zhou Enlai") in found and met("Ambassador Pauls", "Scheel") not in found


def test_a_planned_meeting_in_a_summary_is_no_meeting():
    summary = "Gomulka was sent to Moscow to arrange a meeting between Ulbricht and Khrushchev."
    assert relations("Note on a Visit", summary=summary, summary_people=["Gomulka", "Ulbricht", "Khrushchev"]) == []


def test_agreeing_with_someones_position_is_no_meeting():
    title = "Telegram from Stalin to Mao Zedong"
    summary = "Stalin agrees with Mao's position on repatriation."
    assert relations(title, ["Stalin", "Mao Zedong"], summary=summary, summary_people=["Stalin", "Mao"]) == sorted(
        [wrote("Stalin"), wrote_to("Stalin", "Mao Zedong")]
    )


def test_who_forwards_a_record_of_conversation_did_not_hold_it():
    title = "Record of Conversation with Percy Chen"
    summary = "Plyshevsky forwards the record of a conversation with Percy Chen."
    assert relations(title, ["Percy Chen"], summary=summary, summary_people=["Plyshevsky", "Percy Chen"]) == []


def test_his_meeting_with_x_is_the_last_subjects():
    summary = "Adzhubei reports on his visit to Washington. Most important was his meeting with President Kennedy."
    found = relations("Account of a Visit", summary=summary, summary_people=["Adzhubei", "President Kennedy"])
    assert found == [met("Adzhubei", "President Kennedy")]


def test_author_without_recipient_wrote_only():
    title = "Cable No. 832 from Pavel Yudin in Chongqing"
    assert relations(title, ["Pavel Yudin"], places=["Chongqing"]) == [wrote("Pavel Yudin")]


def test_organizations_write_and_receive():
    title = "Letter from the CCP Central Committee to the CPSU Central Committee"
    assert relations(title, organizations=["CCP Central Committee", "CPSU Central Committee"]) == [
        ("wrote", "organization:ccp-central-committee", "doc1"),
        ("wrote_to", "organization:ccp-central-committee", "organization:cpsu-central-committee"),
    ]


def test_person_writes_to_an_organization():
    title = "Cable from Ambassador Yudin to the Soviet Foreign Ministry"
    assert relations(title, ["Yudin"], organizations=["Soviet Foreign Ministry"]) == sorted(
        [wrote("Yudin"), wrote_to("Yudin", "Soviet Foreign Ministry", "organization")]
    )


def test_places_are_not_correspondents():
    assert relations("Telegram from Beijing to Moscow", places=["Beijing", "Moscow"]) == []


def test_recipient_run_broken_by_other_words_is_not_a_recipient():
    title = "Letter from Mao Zedong on Korea to Stalin"
    assert relations(title, ["Mao Zedong", "Stalin"], places=["Korea"]) == [wrote("Mao Zedong")]


def at(doc_id: str, field: str, text: str, name: str, entity_id: str | None) -> Mention:
    start = text.index(name)
    return Mention(doc_id, field, start, start + len(name), name, "person", "model", entity_id=entity_id)


def test_relation_records_carry_document_evidence_and_field():
    title = "Letter from Fidel Castro to Nikita Khrushchev"
    summary = "Castro met with Khrushchev in Moscow."
    doc = Document("doc1", title, DocumentDate("1962"), summary=summary)
    mentions = [
        at("doc1", "title", title, "Fidel Castro", "person:castro"),
        at("doc1", "title", title, "Nikita Khrushchev", "person:khrushchev"),
        at("doc1", "summary", summary, "Castro", "person:castro"),
        at("doc1", "summary", summary, "Khrushchev", "person:khrushchev"),
    ]
    found = {(r.relation, r.field): r for r in find_relations([doc], mentions)}
    assert set(found) == {("wrote", "title"), ("wrote_to", "title"), ("met", "summary")}
    assert all(r.doc_id == "doc1" for r in found.values())
    assert found[("wrote_to", "title")].evidence == title
    assert found[("met", "summary")].evidence == summary
    assert (found[("met", "summary")].source, found[("met", "summary")].target) == ("person:castro",
                                                                                    "person:khrushchev")


def test_met_is_unordered_and_stated_once_per_document():
    title = "Record of a Meeting Between Zhou Enlai and Chen Yi"
    summary = "Chen Yi and Zhou Enlai hold talks on Laos."
    doc = Document("doc1", title, DocumentDate("1961"), summary=summary)
    mentions = [at("doc1", "title", title, "Zhou Enlai", "person:zhou"),
                at("doc1", "title", title, "Chen Yi", "person:chen"),
                at("doc1", "summary", summary, "Chen Yi", "person:chen"),
                at("doc1", "summary", summary, "Zhou Enlai", "person:zhou")]
    (only,) = find_relations([doc], mentions)
    assert (only.relation, only.source, only.target) == ("met", "person:chen", "person:zhou")


def test_unresolved_mentions_are_ignored():
    title = "Letter from Fidel Castro to Nikita Khrushchev"
    doc = Document("doc1", title, DocumentDate("1962"))
    mentions = [at("doc1", "title", title, "Fidel Castro", None), at("doc1", "title", title, "Nikita Khrushchev", None)]
    assert find_relations([doc], mentions) == []


def test_a_new_summary_wording_is_one_entry_in_the_verbs_file():
    from kg.relations import VERBS_FILE, SummaryVerbs
    from kg.titles import TitleGrammar

    text = (resources.files("kg") / "data" / VERBS_FILE).read_text(encoding="utf-8")
    text = text.replace('meet = [', 'meet = [\n    "breakfasts with",')
    verbs = SummaryVerbs.from_text(text, titles=TitleGrammar.load())
    doc = Document("doc1", "Note on a Visit", DocumentDate("1956"), summary="Tito breakfasts with Nasser.")
    mentions = [Mention("doc1", "summary", 0, 4, "Tito", "person", "model", entity_id="person:tito"),
                Mention("doc1", "summary", 21, 27, "Nasser", "person", "model", entity_id="person:nasser")]
    assert [(r.relation, r.source, r.target) for r in find_relations([doc], mentions, verbs=verbs)] == [
        ("met", "person:nasser", "person:tito")
    ]
    assert find_relations([doc], mentions) == []


def test_summary_sentences_do_not_end_at_titles_or_initials():
    from kg.relations import SummaryVerbs, _sentences

    text = "Zhou Enlai and Dr. Kissinger continue their discussions. P. F. Yudin met with Mao. The U.S. waits."
    assert [s.strip() for _, s in _sentences(text, SummaryVerbs.load().sentence_end)] == [
        "Zhou Enlai and Dr. Kissinger continue their discussions.", "P. F. Yudin met with Mao.", "The U.S. waits.",
    ]
