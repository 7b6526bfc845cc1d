"""The title grammar: each form of kg/data/title_forms.toml on a hand-written title, and the rules around slots."""
from __future__ import annotations

import pytest

from kg.titles import TitleFormError, TitleGrammar

GRAMMAR = TitleGrammar.load()


def read(title: str) -> list[tuple[str, dict[str, str]]]:
    """(form, {role: slot text}) for each statement of ``title``."""
    return [
        (statement.form, {slot.role: title[slot.start:slot.end] for slot in statement.slots})
        for statement in GRAMMAR.parse(title).statements
    ]


# One hand-written title for every form, and the slots it must read. Not copied from the
# archive pages: the forms must hold for titles nobody here has seen.
FORM_EXAMPLES = {
    "reception of a guest by a host": (
        "Reception of Foreign Minister Andrei Gromyko by Chairman Liu Shaoqi",
        {"guests": "Foreign Minister Andrei Gromyko", "host": "Chairman Liu Shaoqi"},
    ),
    "a host's reception of a guest": (
        "Minutes of Chairman Kim Il Sung's Reception of the Bulgarian Ambassador Grigorov",
        {"host": "Chairman Kim Il Sung", "guests": "the Bulgarian Ambassador Grigorov"},
    ),
    "a meeting between participants": (
        "Record of Talks between Walter Ulbricht, Otto Grotewohl and Nikita Khrushchev on the Berlin Question",
        {"participants": "Walter Ulbricht, Otto Grotewohl and Nikita Khrushchev"},
    ),
    "a conversation by a host with guests": (
        "Account of the Conversation by Janos Kadar with Leonid Brezhnev",
        {"host": "Janos Kadar", "guests": "Leonid Brezhnev"},
    ),
    "a conversation of a host with guests": (
        "Record of the Conversation of A. A. Gromyko with Dean Rusk, 10 October 1962",
        {"host": "A. A. Gromyko", "guests": "Dean Rusk"},
    ),
    "a host's conversation with guests": (
        "Todor Zhivkov's Second Meeting with Fidel Castro",
        {"host": "Todor Zhivkov", "guests": "Fidel Castro"},
    ),
    "a host's meeting with guests, no possessive": (
        "Summary of Andrei Gromyko Talks with Dean Rusk, July 1956",
        {"host": "Andrei Gromyko", "guests": "Dean Rusk"},
    ),
    "a host receives guests": (
        "Premier Pham Van Dong Receives Ambassador Shcherbakov",
        {"host": "Premier Pham Van Dong", "guests": "Ambassador Shcherbakov"},
    ),
    "a host meets with guests": (
        "Vice Premier Chen Yi Meets with the Ambassador of Ghana",
        {"host": "Vice Premier Chen Yi", "guests": "the Ambassador of Ghana"},
    ),
    "a host meets guests": (
        "Chairman Liu Shaoqi Meets Ho Chi Minh",
        {"host": "Chairman Liu Shaoqi", "guests": "Ho Chi Minh"},
    ),
    "a host holds talks with guests": (
        "Mao Zedong Holds Talks with Kim Il Sung",
        {"host": "Mao Zedong", "guests": "Kim Il Sung"},
    ),
    "participants discuss": (
        "Gomulka and Ulbricht Discuss the Oder-Neisse Line",
        {"participants": "Gomulka and Ulbricht"},
    ),
    "participants meet": (
        "Nasser and Tito Meet in Cairo",
        {"participants": "Nasser and Tito"},
    ),
    "a note of a host with guests": (
        "Note of Comrade Schneidewind with the Soviet Ambassador Abrasimov",
        {"host": "Comrade Schneidewind", "guests": "the Soviet Ambassador Abrasimov"},
    ),
    "from the journal of a keeper": (
        "From the Diary of V. I. Likhachev: Notes on the Situation in Beijing",
        {"keeper": "V. I. Likhachev"},
    ),
    "a keeper's journal": (
        "Excerpt from Kuznetsov's Diary",
        {"keeper": "Kuznetsov"},
    ),
    "a conversation, participants": (
        "Minutes of Conversation, Le Duan and Mao Zedong, 11 April 1970",
        {"participants": "Le Duan and Mao Zedong"},
    ),
    "a conversation with guests, host unnamed": (
        "Record of a Conversation with Prince Norodom Sihanouk",
        {"guests": "Prince Norodom Sihanouk"},
    ),
    "a document from an author to a recipient": (
        "Telegram from Ambassador Yudin to Cde. Gromyko",
        {"author": "Ambassador Yudin", "recipient": "Cde. Gromyko"},
    ),
    "a document from an author sent to a recipient": (
        "Information from the Bulgarian Politburo sent to Todor Zhivkov",
        {"author": "the Bulgarian Politburo", "recipient": "Todor Zhivkov"},
    ),
    "a document by an author to a recipient": (
        "Letter by General Matthew Ridgway to Kim Il Sung",
        {"author": "General Matthew Ridgway", "recipient": "Kim Il Sung"},
    ),
    "sent by an author to a recipient": (
        "Notes on the Harvest sent by the Governor of Jilin to the State Council",
        {"author": "the Governor of Jilin", "recipient": "the State Council"},
    ),
    "a document of an author to a recipient": (
        "Note of Cde. Andropov to the CC Presidium about Hungary",
        {"author": "Cde. Andropov", "recipient": "the CC Presidium"},
    ),
    "a document to a recipient from an author": (
        "Letter to Kim Il Sung from Peng Dehuai on the Armistice",
        {"recipient": "Kim Il Sung", "author": "Peng Dehuai"},
    ),
    "an author's document to a recipient": (
        "Ho Chi Minh's Letter to Lyndon Johnson",
        {"author": "Ho Chi Minh", "recipient": "Lyndon Johnson"},
    ),
    "an author's document for a recipient": (
        "Dean Rusk's Memorandum for President Kennedy",
        {"author": "Dean Rusk", "recipient": "President Kennedy"},
    ),
    "a document, author to recipient": (
        "Ciphered Telegram No. 2071, Vyshinsky to Roshchin",
        {"author": "Vyshinsky", "recipient": "Roshchin"},
    ),
    "author to recipient, no document named": (
        "A. Gromyko to N. S. Khrushchev",
        {"author": "A. Gromyko", "recipient": "N. S. Khrushchev"},
    ),
    "a document from an author": (
        "Cable from the Hungarian Legation in Beijing, 'On the Hundred Flowers'",
        {"author": "the Hungarian Legation in Beijing"},
    ),
    "a document by an author": (
        "Memorandum by Dean Acheson on Formosa",
        {"author": "Dean Acheson"},
    ),
    "a document to a recipient": (
        "Instructions to the Soviet Delegation at Geneva",
        {"recipient": "the Soviet Delegation at Geneva"},
    ),
    "a document for a recipient": (
        "Memorandum for the Secretary of Defense Robert McNamara",
        {"recipient": "the Secretary of Defense Robert McNamara"},
    ),
    "an author's document": (
        "Chen Yi's Report on the Geneva Conference",
        {"author": "Chen Yi"},
    ),
    "an author's document, no possessive": (
        "Zhukov Report on the Hungarian Crisis",
        {"author": "Zhukov"},
    ),
    "a document, author": (
        "Telegram, Ambassador Lebedev, 4 November 1956",
        {"author": "Ambassador Lebedev"},
    ),
}


def test_every_form_has_an_example():
    assert {form.name for form in GRAMMAR.forms} == set(FORM_EXAMPLES)


@pytest.mark.parametrize("form", sorted(FORM_EXAMPLES))
def test_each_form_reads_its_example(form):
    title, slots = FORM_EXAMPLES[form]
    assert (form, slots) in read(title)


def test_a_role_with_to_is_not_the_recipient():
    assert read("Report from Soviet Ambassador to Hungary Andropov to Nikita Khrushchev") == [
        ("a document from an author to a recipient",
         {"author": "Soviet Ambassador to Hungary Andropov", "recipient": "Nikita Khrushchev"}),
    ]


def test_a_trip_with_to_is_not_the_recipient():
    (form, slots), = read("Letter from Tito on his Visit to Moscow")
    assert slots == {"author": "Tito"}


def test_slots_end_at_the_subject_a_date_or_a_participle():
    assert read("Telegram from Ulbricht to Khrushchev concerning Berlin")[0][1]["recipient"] == "Khrushchev"
    assert read("Conversation between Nehru and Nasser, 4 May 1960, Cairo")[0][1] == {"participants": "Nehru and Nasser"}
    assert read("Talks between Nehru and Chou En-lai, Touching on the Border")[0][1] == {
        "participants": "Nehru and Chou En-lai"
    }
    assert read("Letter from Tito to Nasser requesting arms")[0][1]["recipient"] == "Nasser"


def test_a_quoted_subtitle_holds_no_correspondence_but_may_record_a_meeting():
    assert read("Cable from the Polish Embassy, 'Letter to Gomulka from the Workers'") == [
        ("a document from an author", {"author": "the Polish Embassy"}),
    ]
    assert ("a meeting between participants", {"participants": "Ochab and Mao"}) in read(
        "Report from the Polish Embassy, 'Talks between Ochab and Mao'"
    )


def test_correspondence_in_the_subject_of_a_title_is_not_the_documents():
    assert read("Statement on the Soviet Government's Answer to the Note of Japan") == []


def test_a_planned_meeting_is_no_meeting():
    for title in ("Proposal to Arrange a Meeting between Nixon and Brezhnev",
                  "Notes on the Proposed Talks between Nixon and Brezhnev"):
        assert not GRAMMAR.parse(title).of("met")


def test_nested_documents_are_read_each_and_enclosed_ones_know_their_sender():
    title = "Telegram from Mao Zedong to Stalin, Conveying a Telegram from Peng Dehuai to Mao Zedong"
    assert [slots for _, slots in read(title)] == [
        {"author": "Mao Zedong", "recipient": "Stalin"},
        {"author": "Peng Dehuai", "recipient": "Mao Zedong"},
    ]
    outer, inner = GRAMMAR.parse("Ciphered Telegram from Molotov with a Message to Kim Il Sung").statements
    assert (inner.within, inner.joined) == (0, "enclosed")


def test_a_meeting_in_the_subject_of_a_report_is_the_reporters():
    report, meeting = GRAMMAR.parse("Telegram from Peng Dehuai to Mao Zedong regarding Talks with Kim Il Sung").statements
    assert (meeting.within, meeting.joined) == (0, "subject")


def test_document_words_are_no_names_in_a_leading_slot():
    assert read("Ciphered Telegram from Gromyko") == [("a document from an author", {"author": "Gromyko"})]


def test_records_conversation():
    assert GRAMMAR.parse("Record of Meeting at the Kremlin, Moscow").records_conversation
    assert not GRAMMAR.parse("Letter from Tito to Nasser").records_conversation


def test_a_form_file_with_an_unknown_slot_is_a_clear_error():
    text = '[classes]\ndocument = ["letter"]\n[[form]]\nname = "bad"\nrelation = "wrote_to"\nwording = "{document} from {sender}"\n'
    with pytest.raises(TitleFormError, match=r"form 'bad': unknown \{sender\}"):
        TitleGrammar.from_text(text, origin="mine.toml")


def test_a_form_file_with_an_unknown_relation_is_a_clear_error():
    text = '[[form]]\nname = "bad"\nrelation = "likes"\nwording = "{author} likes {recipient}"\n'
    with pytest.raises(TitleFormError, match="relation 'likes'; expected one of"):
        TitleGrammar.from_text(text, origin="mine.toml")


def test_a_form_file_that_is_not_toml_is_a_clear_error():
    with pytest.raises(TitleFormError, match="mine.toml: not a valid TOML file"):
        TitleGrammar.from_text("[[form]\n", origin="mine.toml")


def test_a_new_form_is_one_entry():
    text = (
        '[classes]\ndocument = ["letter"]\n'
        '[[form]]\nname = "an author writes to a recipient"\nrelation = "wrote_to"\n'
        'wording = "{author} writes to {recipient}"\n'
    )
    grammar = TitleGrammar.from_text(text)
    statement, = grammar.parse("Tito writes to Nasser").statements
    assert [(s.role, "Tito writes to Nasser"[s.start:s.end]) for s in statement.slots] == [
        ("author", "Tito"), ("recipient", "Nasser"),
    ]
