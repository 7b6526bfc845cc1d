"""The corpus reader: the sample corpus, every real archive page, bad input, merging."""
from __future__ import annotations

import csv
import json
import logging
import shutil
from pathlib import Path

import pytest

from good_pages import GOOD_PAGE, GOOD_TITLES

from kg.corpus import MAX_TITLE_CHARS, CorpusError, read_corpus
from kg.dates import parse_date
from kg.records import ReadReport



def entry_skips(report: ReadReport) -> list:
    """Skips of single entries; a skip without a line is a whole file."""
    return [s for s in report.skipped if s.line is not None]


def assert_nothing_lost(report: ReadReport) -> None:
    """Every entry read became a document, was merged into one, or was reported."""
    assert report.entries == report.documents + report.duplicates_merged + len(entry_skips(report)), report


def write(folder: Path, name: str, content: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def read_with_good_page(folder: Path, **kwargs):
    """Read ``folder`` with GOOD_PAGE in it; check the good page's documents survived."""
    write(folder, "good.txt", GOOD_PAGE)
    corpus = read_corpus([folder], **kwargs)
    assert GOOD_TITLES <= {d.title for d in corpus.documents}
    assert_nothing_lost(corpus.report)
    return corpus


def only_skip(report: ReadReport):
    assert len(report.skipped) == 1, report.skipped
    return report.skipped[0]


# --- the sample corpus ---------------------------------------------------------------

P1 = "search-china-foreign-relations-p1.txt"
MONGOLIA = "search-china-mongolia-relations.txt"
# (iso, precision, title) of every document, read off the two pages.
SAMPLE_DOCUMENTS = {
    ("1945-07-12", "day", "Record of a Meeting Between T.V. Soong and Stalin"),
    ("1946-09-11", "day", "Cipher Message No. 145101 from Meretskov and Grushevoy with a Letter to Stalin "
                          "from Residents of Dalian"),
    ("1945-11-27", "day", "Cable No. 832 from Petrov in Chongqing on Anti-Soviet Campaign in Manchuria"),
    ("1945-11-26", "day", "Cable No. 825/826 from Petrov in Chongqing on Anti-Soviet Campaign in Manchuria"),
    ("1945-07-10", "day", "Record of a Meeting Between T. V. Soong and V. M. Molotov"),
    ("1945-07-09", "day", "Record of a Meeting Between T. V. Soong and Stalin"),
    ("1952-03-07", "day", "Cable, Zhou Enlai to Filippov [Stalin]"),
    ("1935-09-13", "day", "Politburo Decisions of 13 September 1935 Concerning Xinjiang"),
    ("1959-09-15", "day", "Mikihail Zimyanin's Background Report for Khrushchev on China (Excerpt)"),
    ("1956-04-05", "day", "From the Journal of Ambassador P. F. Yudin, Record of Conversation with Mao Zedong, "
                          "31 March 1956"),
    ("1945-07-10", "day", "Cable, Summary of Averell Harriman Meeting with T. V. Soong"),
    ("1945-07-07", "day", "Record of a Meeting Between T. V. Soong and Stalin"),
    ("1945-07-03", "day", "Memorandum of Conversation between Averell Harriman and T. V. Soong, "
                          "'Far Eastern Conversations with Generalissimo Stalin'"),
    ("1945-07", "month", "Message from Averell Harriman to the President and Secretary of State"),
    ("1945-07-02", "day", "Record of a Meeting between T.V. Soong and Stalin"),
    ("1989-02-26", "day", "Memorandum of Conversation: President Bush's Meeting with Chairman Deng Xiaoping of "
                          "the People's Republic of China, February 26, 1989, 11:00 a.m. - 12:00 noon"),
}


def test_sample_corpus_documents_and_dates(sample_corpus):
    corpus = read_corpus([sample_corpus])
    assert len(corpus.documents) == 16
    assert {(d.date.iso, d.date.precision, d.title) for d in corpus.documents} == SAMPLE_DOCUMENTS
    assert len({d.doc_id for d in corpus.documents}) == 16
    report = corpus.report
    assert (report.files_read, report.entries, report.documents, report.duplicates_merged) == (2, 19, 16, 3)
    assert (report.skipped, report.warnings, report.undated) == ((), (), 0)
    assert_nothing_lost(report)
    # Chronological order, as the graph and its timeline show them.
    assert [d.date.iso for d in corpus.documents] == sorted(d.date.iso for d in corpus.documents)


def test_sample_corpus_duplicates_are_merged_with_both_sources(sample_corpus):
    corpus = read_corpus([sample_corpus])
    merged = {
        (d.date.iso, d.title): [(Path(s.path).name, s.line) for s in d.sources]
        for d in corpus.documents if len(d.sources) > 1
    }
    assert merged == {
        ("1945-07-12", "Record of a Meeting Between T.V. Soong and Stalin"): [(P1, 7), (MONGOLIA, 7)],
        ("1945-07-10", "Record of a Meeting Between T. V. Soong and V. M. Molotov"): [(P1, 29), (MONGOLIA, 13)],
        ("1945-07-09", "Record of a Meeting Between T. V. Soong and Stalin"): [(P1, 35), (MONGOLIA, 25)],
    }
    soong = next(d for d in corpus.documents if d.date.iso == "1945-07-12")
    assert soong.summary == "Stalin and T.V. Soong review outstanding issues affecting Sino-Soviet relations in 1945."


def test_sample_corpus_only_the_cut_off_bush_deng_entry_is_truncated(sample_corpus):
    corpus = read_corpus([sample_corpus])
    truncated = [d for d in corpus.documents if d.truncated]
    assert [d.date.iso for d in truncated] == ["1989-02-26"]
    assert truncated[0].summary.endswith("between China and the Soviet Union,")
    assert corpus.report.truncated == 1
    # The sample page's last entry ends its sentence: not truncated.
    yudin = next(d for d in corpus.documents if d.date.iso == "1956-04-05")
    assert not yudin.truncated


def test_sample_corpus_entry_without_summary(sample_corpus):
    corpus = read_corpus([sample_corpus])
    cipher = next(d for d in corpus.documents if d.date.iso == "1946-09-11")
    assert cipher.summary == "" and not cipher.truncated
    # The next entry did not run into it.
    cable = next(d for d in corpus.documents if d.date.iso == "1945-11-27")
    assert cable.summary == 'A Soviet diplomat describes "anti-Soviet" feeling in China.'


def test_ids_are_stable(sample_corpus, tmp_path):
    def ids(corpus):
        return [d.doc_id for d in corpus.documents]

    first = read_corpus([sample_corpus])
    assert ids(read_corpus([sample_corpus])) == ids(first)
    files = sorted(sample_corpus.glob("*.txt"))
    assert ids(read_corpus(reversed(files))) == ids(first)
    assert read_corpus(reversed(files)).documents == read_corpus(files).documents
    # Another folder, another absolute path: the same ids.
    elsewhere = tmp_path / "somewhere" / "else"
    shutil.copytree(sample_corpus, elsewhere)
    assert ids(read_corpus([elsewhere])) == ids(first)
    assert all(i.startswith(f"doc-{d.date.iso}-") for i, d in zip(ids(first), first.documents))


# --- the real archive pages in ../shared ---------------------------------------------


def pages(archive_pages: Path, folder: str) -> list[Path]:
    found = sorted((archive_pages / folder).glob("*.txt"))
    assert found, f"no pages in {archive_pages / folder}"
    return found


def read_page(archive_pages: Path, name: str):
    return read_corpus([archive_pages / "search" / name])


def by_date(corpus, iso: str):
    found = [d for d in corpus.documents if d.date.iso == iso]
    assert len(found) == 1, (iso, found)
    return found[0]


@pytest.mark.parametrize("folder", ["search", "documents"])
def test_no_entry_is_lost_on_any_page(archive_pages, folder):
    for page in pages(archive_pages, folder):
        report = read_corpus([page]).report
        assert report.files_read == 1, page
        assert report.entries == report.documents + report.duplicates_merged + len(entry_skips(report)), page


def test_no_entry_is_lost_reading_all_pages_at_once(archive_pages):
    corpus = read_corpus([archive_pages])
    report = corpus.report
    assert_nothing_lost(report)
    assert report.files_read == 94 + 26
    # Pages overlap: documents shared between pages become one.
    assert report.duplicates_merged > 0
    assert len({d.doc_id for d in corpus.documents}) == report.documents
    # The two INDEX.tsv files are no pages; they are reported, not read.
    assert sorted(Path(s.path).name for s in report.skipped if s.line is None) == ["INDEX.tsv", "INDEX.tsv"]


@pytest.mark.parametrize("folder", ["search", "documents"])
def test_every_date_on_every_page_parses(archive_pages, folder):
    undated = [
        (page.name, d.date.text)
        for page in pages(archive_pages, folder)
        for d in read_corpus([page]).documents
        if d.date.iso is None
    ]
    assert undated == []


def test_each_document_page_gives_one_document_with_its_text(archive_pages):
    index = {
        row["file"]: row["date"]
        for row in csv.DictReader((archive_pages / "documents" / "INDEX.tsv").open(encoding="utf-8"), delimiter="\t")
    }
    for page in pages(archive_pages, "documents"):
        corpus = read_corpus([page])
        assert len(corpus.documents) == 1, page
        (document,) = corpus.documents
        assert document.text.strip(), page
        assert document.title, page
        assert document.date.text == index[page.name], page
        assert document.date.iso == parse_date(index[page.name]).iso, page
        # The page's metadata footer is no part of the document's text.
        assert "Associated Places" not in document.text, page
        assert not document.text.endswith("Author(s):"), page


def test_document_page_details(archive_pages):
    (doc,) = read_corpus([archive_pages / "documents" / "001.txt"]).documents
    assert (doc.date.iso, doc.title) == ("1950-10-14", "Ciphered Telegram, Shtykov to Feng Xi (Stalin)")
    assert doc.text.startswith("Ciphered Telegram # 600428/sh\nFROM: PYONGYANG")
    # A date line inside the body does not start another document.
    assert "14 October 1950" in doc.text
    # 009.txt has no blank lines and a short body.
    (doc,) = read_corpus([archive_pages / "documents" / "009.txt"]).documents
    assert (doc.date.iso, doc.title) == ("1967-04-07", "Discussion between Zhou Enlai and Pham Van Dong")
    assert doc.text.startswith("Beijing, 7 April 1967\nPham Van Dong:")
    # 010.txt is dated by month only.
    (doc,) = read_corpus([archive_pages / "documents" / "010.txt"]).documents
    assert (doc.date.iso, doc.date.precision) == ("1966-01", "month")


def test_layout_results_and_documents_headers_with_an_entry_twice(archive_pages):
    corpus = read_page(archive_pages, "078.txt")
    report = corpus.report
    assert (report.entries, report.documents, report.duplicates_merged) == (5, 4, 1)
    first = by_date(corpus, "1955-03-16")
    assert first.title.startswith("National Intelligence Estimate Number 100-4-55, 'Communist Capabilities")
    assert first.summary == "The CIA on whether the PRC has the ability to seize Taiwan and/or the offshore islands."
    twice = by_date(corpus, "1954-09-10")
    assert [s.line for s in twice.sources] == [15, 27]
    assert twice.title.startswith("Special National Intelligence Estimate Number 100-4/1-54:")
    # No page furniture became a title.
    assert not {"Results:", "Documents", "Skip to content"} & {d.title for d in corpus.documents}


def test_layout_bulleted_entries_with_indented_titles(archive_pages):
    corpus = read_page(archive_pages, "020.txt")
    assert corpus.report.documents == 5
    first = by_date(corpus, "1956-07-09")  # "  • July 09, 1956": bulleted and zero-padded
    assert first.date.text == "July 09, 1956"
    assert first.title == "Working Notes from the Session of the CPSU CC Presidium on 9 and 12 July 1956"
    assert first.summary.startswith("In their meeting on July 9 and 12, 1956, the CPSU Presidium")
    last = by_date(corpus, "1956-10-26")
    assert last.summary == "Liu Shaoqi of" and last.truncated


def test_layout_search_results_with_dash_separators(archive_pages):
    corpus = read_page(archive_pages, "060.txt")
    assert corpus.report.documents == 5
    first = by_date(corpus, "1941-12-09")  # "December 09, 1941"
    assert first.title == "Cable from Dimitrov to Stalin, Molotov, Beria, and Malenkov"
    assert first.summary.startswith("Cable to top Soviet officials advising against")
    year = by_date(corpus, "1944")  # a bare year
    assert year.date.precision == "year"
    assert year.title == "Report on the Political and Economic Situation in Tabriz in 1943"
    assert not {"-", "SEARCH RESULTS"} & {d.title for d in corpus.documents}


def test_layout_page_without_header_or_counter(archive_pages):
    corpus = read_page(archive_pages, "094.txt")
    assert [d.date.iso for d in corpus.documents] == ["1966-01-27", "1966-03-08", "1966-07-08", "1966-07-09"]
    first = by_date(corpus, "1966-07-09")
    assert first.title.startswith("Note on a Conversation with the First Secretary of the Soviet Embassy")
    assert first.sources[0].line == 1
    # The page ends on a whole sentence: nothing was cut off.
    assert corpus.report.truncated == 0


def test_layout_month_with_comma_bare_year_and_zero_padded_days(archive_pages):
    corpus = read_page(archive_pages, "056.txt")
    april = by_date(corpus, "1956-04")
    assert (april.date.text, april.date.precision) == ("April, 1956", "month")
    assert april.title == "Draft Letter from the President (Syngman Rhee) to Lt. General Choi Duk-shin"
    year = by_date(corpus, "1955")
    assert year.title == "Information on Japan\u2019s Participation in the Asian-African Conference"
    assert by_date(corpus, "1954-11-06").date.text == "November 06, 1954"
    letter = by_date(corpus, "1956-04-05")
    assert letter.title == "Letter from the President (Syngman Rhee) to Lt. General Choi Duk-shin"


def test_layout_entries_without_summary(archive_pages):
    corpus = read_page(archive_pages, "063.txt")
    approval = by_date(corpus, "1949-12-03")
    assert approval.title == "Zhou Enlai's Approval of the Northeast Ministry of Public Security's Travel Documents"
    assert approval.summary == "" and not approval.truncated
    assert_nothing_lost(corpus.report)


def test_layout_page_ending_on_a_date_line(archive_pages):
    corpus = read_page(archive_pages, "069.txt")
    skip = only_skip(corpus.report)
    assert (Path(skip.path).name, skip.line) == ("069.txt", 55)
    assert "'January 19, 1979' has no title after it" in skip.reason
    assert "1979-01-19" not in {d.date.iso for d in corpus.documents}
    # The entry before the dangling date line is whole.
    before = by_date(corpus, "1979-02-21")
    assert before.summary.endswith('or the "Cuba of the East."') and not before.truncated
    assert corpus.report.documents == 8


def test_non_breaking_spaces_are_cleaned(archive_pages):
    corpus = read_page(archive_pages, "079.txt")
    memo = by_date(corpus, "1955-02-07")
    assert memo.title == "Memorandum for Mr. Allen Dulles, Director, Central Intelligence Agency"
    assert memo.summary.endswith("comments made by Humphrey Trevelyan.")
    assert not any("\u00a0" in d.title + d.summary for d in corpus.documents)


@pytest.mark.parametrize(
    ("page", "iso", "text"),
    [
        ("001.txt", "1944-12-18", "Provided by Gen. Rola-\u017bymierski from his Talks with Stalin"),
        ("005.txt", "1964-07-10", "Japan Socialist Party, Sasaki K\u014dz\u014d, Kuroda Hisao"),
        ("053.txt", "1962-12-22", "Academician \u015etefan S. Nicolau"),
        ("059.txt", "1946-11-02", "Cable N\u00ba 37172/37168 from Tehran"),
    ],
)
def test_letters_beyond_ascii_are_kept(archive_pages, page, iso, text):
    document = by_date(read_page(archive_pages, page), iso)
    assert text in document.title + document.summary


def test_cut_off_last_entries_are_truncated(archive_pages):
    # Cut mid-word.
    assert by_date(read_page(archive_pages, "001.txt"), "1944-12-18").summary == "Po"
    # Cut after a closing quote: a quote ends no sentence by itself.
    last = by_date(read_page(archive_pages, "007.txt"), "1962-10-13")
    assert last.summary.endswith("Finance Minister Ernesto \u201cChe\u201d") and last.truncated
    # Cut inside the title, before any summary.
    corpus = read_page(archive_pages, "042.txt")
    assert [d.title for d in corpus.documents if d.truncated] == ["Hungarian Embas"]


def test_whole_copy_on_another_page_beats_a_cut_one(archive_pages):
    # 002.txt ends in the middle of this summary; 045.txt has all of it.
    corpus = read_corpus([archive_pages / "search" / "002.txt", archive_pages / "search" / "045.txt"])
    note = by_date(corpus, "1975-09-06")
    assert note.title == "Note regarding the Meeting between Ilie Verde\u021b and Ji Denggui"
    assert [(Path(s.path).name, s.line) for s in note.sources] == [("002.txt", 41), ("045.txt", 27)]
    assert note.summary.endswith("in China and Romania, among other topics.")
    assert not note.truncated


# --- bad input -----------------------------------------------------------------------


def test_empty_file(tmp_path):
    write(tmp_path, "empty.txt", "")
    write(tmp_path, "blank.txt", "\n  \n")
    corpus = read_with_good_page(tmp_path)
    assert {(Path(s.path).name, s.line, s.reason) for s in corpus.report.skipped} == {
        ("empty.txt", None, "file is empty"),
        ("blank.txt", None, "file is empty"),
    }


def test_binary_file(tmp_path):
    write(tmp_path, "scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    skip = only_skip(read_with_good_page(tmp_path).report)
    assert (Path(skip.path).name, skip.line) == ("scan.txt", None)
    assert "binary file" in skip.reason


def test_windows_1252_text_is_decoded_with_a_warning(tmp_path):
    page = "July 12, 1945\n\nCaf\u00e9 Talks\n\nThe \u201cnew stage\u201d of relations.\n"
    write(tmp_path, "cp1252.txt", page.encode("cp1252"))
    corpus = read_with_good_page(tmp_path)
    assert corpus.report.skipped == ()
    (warning,) = corpus.report.warnings
    assert (Path(warning.path).name, warning.line) == ("cp1252.txt", 3)
    assert "not valid UTF-8; decoded as Windows-1252" in warning.reason
    cafe = next(d for d in corpus.documents if d.title == "Caf\u00e9 Talks")
    assert cafe.summary == "The \u201cnew stage\u201d of relations."


def test_crlf_line_endings(tmp_path):
    write(tmp_path, "crlf.txt", GOOD_PAGE.replace("Soong", "Sung").replace("\n", "\r\n").encode())
    corpus = read_with_good_page(tmp_path)
    crlf = [d for d in corpus.documents if "Sung" in d.title]
    assert [d.title for d in crlf] == ["Record of a Meeting Between T.V. Sung and Stalin"]
    assert [(Path(s.path).name, s.line) for s in crlf[0].sources] == [("crlf.txt", 5)]
    assert not any("\r" in d.title + d.summary for d in corpus.documents)
    assert corpus.report.skipped == corpus.report.warnings == ()


def test_utf8_bom(tmp_path):
    # The BOM sits right before the first date line, where it would hide the date.
    write(tmp_path, "bom.txt", b"\xef\xbb\xbfJuly 1945\n\nMessage from Averell Harriman\n\nHarriman reports.\n")
    write(tmp_path, "bom.csv", b"\xef\xbb\xbfdate,title\n1950,Annual Report\n")
    corpus = read_with_good_page(tmp_path)
    assert corpus.report.skipped == corpus.report.warnings == ()
    harriman = next(d for d in corpus.documents if d.title == "Message from Averell Harriman")
    assert (harriman.date.iso, harriman.sources[0].line) == ("1945-07", 1)
    assert "Annual Report" in {d.title for d in corpus.documents}


def test_utf8_bom_on_a_windows_1252_file_is_dropped(tmp_path):
    write(tmp_path, "bom-cp1252.txt", b"\xef\xbb\xbfJuly 1945\n\nCaf\xe9 Talks\n\nTalks.\n")
    corpus = read_with_good_page(tmp_path)
    cafe = next(d for d in corpus.documents if d.date.iso == "1945-07")
    assert cafe.title == "Caf\u00e9 Talks"
    assert len(corpus.report.warnings) == 1


def test_utf16_text_is_not_taken_for_binary(tmp_path):
    write(tmp_path, "unicode.txt", "July 1945\r\n\r\nMessage from Averell Harriman\r\n".encode("utf-16"))
    corpus = read_with_good_page(tmp_path)
    assert corpus.report.skipped == ()
    assert "Message from Averell Harriman" in {d.title for d in corpus.documents}


def test_html_file(tmp_path):
    write(tmp_path, "saved.txt", "<!DOCTYPE html>\n<html><body><p>July 12, 1945</p></body></html>\n")
    skip = only_skip(read_with_good_page(tmp_path).report)
    assert (Path(skip.path).name, skip.line) == ("saved.txt", None)
    assert "HTML file" in skip.reason and "plain text" in skip.reason


def test_page_without_entries(tmp_path):
    write(tmp_path, "nothing.txt", "Skip to content\n\nResults:\n\n0 results found for your search.\n")
    corpus = read_with_good_page(tmp_path)
    skip = only_skip(corpus.report)
    assert (Path(skip.path).name, skip.line) == ("nothing.txt", None)
    assert "no entries found" in skip.reason
    assert corpus.report.files_read == 2


def test_page_ending_on_a_date_line(tmp_path):
    write(tmp_path, "cut.txt", "Results:\n\nJuly 9, 1945\n\nFirst Title\n\nWhole summary.\n\nJuly 10, 1945\n")
    corpus = read_with_good_page(tmp_path)
    skip = only_skip(corpus.report)
    assert (Path(skip.path).name, skip.line) == ("cut.txt", 9)
    assert skip.reason == "date line 'July 10, 1945' has no title after it"
    first = next(d for d in corpus.documents if d.title == "First Title")
    assert first.summary == "Whole summary." and not first.truncated


def test_json_lines(tmp_path):
    rows = [
        json.dumps({"date": "1945-07-12", "title": "From JSON", "summary": "A row.", "url": "https://example.org/1"}),
        '{"date": "1945-07-13", "title": ',
        json.dumps({"date": "1945-07-14", "summary": "No title here."}),
        "",
        json.dumps(["1945-07-15", "a list, not an object"]),
        json.dumps({"date": "sometime", "title": "Odd Date"}),
    ]
    write(tmp_path, "records.jsonl", "\n".join(rows) + "\n")
    corpus = read_with_good_page(tmp_path)
    assert [(Path(s.path).name, s.line) for s in corpus.report.skipped] == [
        ("records.jsonl", 2), ("records.jsonl", 3), ("records.jsonl", 5),
    ]
    bad_json, no_title, not_object = (s.reason for s in corpus.report.skipped)
    assert bad_json.startswith("not valid JSON")
    assert no_title == "record has no title"
    assert not_object == "expected a JSON object with date, title, summary; got list"
    row = next(d for d in corpus.documents if d.title == "From JSON")
    assert (row.date.iso, row.summary, row.url) == ("1945-07-12", "A row.", "https://example.org/1")
    assert [(Path(s.path).name, s.line) for s in row.sources] == [("records.jsonl", 1)]
    # A date the parser does not know is kept as text, with a warning.
    odd = next(d for d in corpus.documents if d.title == "Odd Date")
    assert (odd.date.text, odd.date.iso) == ("sometime", None)
    (warning,) = corpus.report.warnings
    assert (warning.line, warning.reason) == (6, "date 'sometime' not understood; kept as text")
    assert corpus.report.undated == 1


def test_csv(tmp_path):
    write(
        tmp_path, "records.csv",
        "date,title,summary,url\n"
        '1945-07-12,From CSV,"A summary, with a comma,\nover two lines.",https://example.org/2\n'
        "1945-07-13,,No title here.,\n"
        "\n"
        "July 1945,Second CSV Row,,\n",
    )
    write(tmp_path, "no-title-column.csv", "when,what\n1945,Something\n")
    write(tmp_path, "header-only.csv", "date,title,summary\n")
    corpus = read_with_good_page(tmp_path)
    skips = {(Path(s.path).name, s.line): s.reason for s in corpus.report.skipped}
    assert skips == {
        ("records.csv", 4): "record has no title",
        ("no-title-column.csv", None): "CSV header 'when,what' (line 1) lacks date and title "
                                       "(expected date,title,summary[,url])",
        ("header-only.csv", None): "no records found (expected a row of date,title,summary[,url] after the header)",
    }
    row = next(d for d in corpus.documents if d.title == "From CSV")
    assert (row.summary, row.url) == ("A summary, with a comma, over two lines.", "https://example.org/2")
    second = next(d for d in corpus.documents if d.title == "Second CSV Row")
    assert (second.date.iso, second.sources[0].line) == ("1945-07", 6)


def test_malformed_csv_row(tmp_path):
    # The csv module refuses fields over 131,072 characters; the rows after it still count.
    write(tmp_path, "big.csv", "date,title,summary\n1945,Too Big," + "x" * 140_000 + "\n1946,After It,Fine.\n")
    corpus = read_with_good_page(tmp_path)
    skip = only_skip(corpus.report)
    assert (Path(skip.path).name, skip.line) == ("big.csv", 2)
    assert skip.reason.startswith("malformed CSV row (field larger than field limit")
    assert "After It" in {d.title for d in corpus.documents}


def test_records_file_without_records(tmp_path):
    # A DOS end-of-file mark is all there is; the good page read before it has entries.
    write(tmp_path, "nothing.jsonl", b"\x1a\n")
    skip = only_skip(read_with_good_page(tmp_path).report)
    assert (Path(skip.path).name, skip.line) == ("nothing.jsonl", None)
    assert skip.reason == "no records found (expected one JSON object per line)"


def test_unknown_file_suffix(tmp_path):
    write(tmp_path, "notes.md", "July 12, 1945\n\nA Title\n")
    skip = only_skip(read_with_good_page(tmp_path).report)
    assert (Path(skip.path).name, skip.line) == ("notes.md", None)
    assert skip.reason.startswith("not a corpus file (expected .txt")


def test_hidden_files_in_a_folder_are_not_read_and_are_reported(tmp_path):
    write(tmp_path, ".notes.txt", "July 12, 1945\n\nHidden Title\n")
    corpus = read_with_good_page(tmp_path)
    skip = only_skip(corpus.report)
    assert (Path(skip.path).name, skip.line, skip.reason) == (".notes.txt", None, "hidden file; not read")
    assert corpus.report.files_read == 1


def test_missing_path(tmp_path):
    write(tmp_path, "good.txt", GOOD_PAGE)
    with pytest.raises(CorpusError, match="no-such-folder: no such file or folder"):
        read_corpus([tmp_path / "good.txt", tmp_path / "no-such-folder"])
    with pytest.raises(CorpusError, match="no corpus given"):
        read_corpus([])


def test_nothing_readable_at_all(tmp_path):
    with pytest.raises(CorpusError, match="nothing readable in .*: no files in it"):
        read_corpus([tmp_path])
    write(tmp_path, "empty.txt", "")
    with pytest.raises(CorpusError, match=r"empty\.txt: file is empty"):
        read_corpus([tmp_path])


def test_over_size_file(tmp_path):
    limit = len(GOOD_PAGE.encode()) + 10
    write(tmp_path, "huge.txt", GOOD_PAGE * 2)
    skip = only_skip(read_with_good_page(tmp_path, max_file_bytes=limit).report)
    assert (Path(skip.path).name, skip.line) == ("huge.txt", None)
    assert f"over the {limit:,}-byte limit" in skip.reason


def test_too_long_title_line(tmp_path):
    junk = "word " * (MAX_TITLE_CHARS // 5 + 1)
    write(tmp_path, "junk.txt", f"Results:\n\nJuly 1, 1945\n\n{junk}\n\nJuly 2, 1945\n\nA Fine Title\n\nFine.\n")
    corpus = read_with_good_page(tmp_path)
    skip = only_skip(corpus.report)
    assert (Path(skip.path).name, skip.line) == ("junk.txt", 3)
    assert "characters long; not an archive entry" in skip.reason
    assert "A Fine Title" in {d.title for d in corpus.documents}


def test_problems_are_logged_not_printed(tmp_path, capsys, caplog):
    write(tmp_path, "empty.txt", "")
    with caplog.at_level(logging.WARNING, logger="kg.corpus"):
        read_with_good_page(tmp_path)
    assert capsys.readouterr() == ("", "")
    assert any("empty.txt: file is empty" in r.getMessage() for r in caplog.records)


# --- merging duplicates --------------------------------------------------------------


def entry_page(summary: str, title: str = "Record of a Meeting Between T.V. Soong and Stalin") -> str:
    """A one-entry page; its entry is also the page's last, so a cut summary shows."""
    return f"Results:\n\nJuly 12, 1945\n\n{title}\n\n{summary}\n"


def merged(tmp_path: Path, *summaries: str):
    for n, summary in enumerate(summaries):
        write(tmp_path, f"page{n}.txt", entry_page(summary))
    corpus = read_corpus([tmp_path])
    assert_nothing_lost(corpus.report)
    (document,) = corpus.documents
    assert len(document.sources) == len(summaries)
    return document


def test_merge_longest_whole_summary_wins(tmp_path):
    document = merged(tmp_path, "Short.", "A longer whole summary.", "A longer whole summary that was cut of")
    assert document.summary == "A longer whole summary."
    assert not document.truncated


def test_merge_truncated_copy_wins_only_without_a_whole_one(tmp_path):
    document = merged(tmp_path, "Cut sho", "Cut short, but longer th")
    assert document.summary == "Cut short, but longer th"
    assert document.truncated


def test_merge_document_page_keeps_the_search_summary(tmp_path):
    # A single-document page has a body and no summary; the cut summary of the search
    # copy is still the only summary there is.
    write(tmp_path, "document.txt", "July 12, 1945\n\nRecord of a Meeting Between T.V. Soong and Stalin\n\n"
                                    "Soong: first line.\n\nStalin: second line.\n\nSoong: third line.\n")
    write(tmp_path, "search.txt", entry_page("Stalin and T.V. Soong review outstanding issu"))
    (document,) = read_corpus([tmp_path]).documents
    assert document.text == "Soong: first line.\nStalin: second line.\nSoong: third line."
    assert document.summary == "Stalin and T.V. Soong review outstanding issu"
    assert [Path(s.path).name for s in document.sources] == ["document.txt", "search.txt"]


def test_merge_ignores_case_quotes_and_unicode_forms_of_titles(tmp_path):
    write(tmp_path, "a.txt", entry_page("Whole.", title="Report of \u015etefan Nicolau on \u2018Yugoslavia\u2019"))
    write(tmp_path, "b.txt", entry_page("Whole.", title="REPORT OF S\u0327tefan  Nicolau on 'Yugoslavia'"))
    (document,) = read_corpus([tmp_path]).documents
    assert document.title == "Report of \u015etefan Nicolau on \u2018Yugoslavia\u2019"
    assert len(document.sources) == 2


# -- nothing under a folder goes unreported ----------------------------------------------------
def _reasons(report: ReadReport) -> dict[str, str]:
    return {Path(s.path).name: s.reason for s in report.skipped}


def test_a_symlinked_folder_is_read_once_and_a_second_link_to_it_is_reported(tmp_path):
    real = tmp_path / "elsewhere"
    write(real, "page.txt", GOOD_PAGE)
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    (corpus_dir / "linked").symlink_to(real, target_is_directory=True)
    (corpus_dir / "again").symlink_to(real, target_is_directory=True)
    corpus = read_corpus([corpus_dir])  # a folder that holds only links to one folder
    assert {d.title for d in corpus.documents} == GOOD_TITLES
    assert corpus.report.files_read == 1
    assert _reasons(corpus.report) == {
        "linked": f"a link to the folder {corpus_dir / 'again'}, which is read already; not read again"}


def test_a_pipe_a_hidden_folder_and_an_unreadable_folder_are_reported(tmp_path, monkeypatch):
    import os

    write(tmp_path, "good.txt", GOOD_PAGE)
    os.mkfifo(tmp_path / "pipe.txt")
    write(tmp_path / ".git", "page.txt", GOOD_PAGE)
    write(tmp_path / "locked", "page.txt", GOOD_PAGE)
    real_scandir = os.scandir

    def scandir(path):  # the tests run as root, whom chmod does not stop: refuse as the kernel would
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr("kg.corpus.os.scandir", scandir)
    corpus = read_corpus([tmp_path])  # and the pipe does not block the read
    assert {d.title for d in corpus.documents} == GOOD_TITLES
    assert _reasons(corpus.report) == {
        "pipe.txt": "not a regular file (a pipe); not read",
        ".git": "hidden folder; not read",
        "locked": "cannot read this folder: Permission denied",
    }


def test_a_tree_deeper_than_the_limit_is_reported_and_a_very_deep_one_does_not_abort(tmp_path):
    from kg.corpus import MAX_DEPTH

    write(tmp_path, "good.txt", GOOD_PAGE)
    folders = [tmp_path / "d"]
    for _ in range(1_099):  # deeper than Python's recursion limit (pathlib's mkdir recurses)
        folders.append(folders[-1] / "d")
    for folder in folders:
        folder.mkdir()
    write(folders[-1], "lost.txt", GOOD_PAGE.replace("Soong", "Sung"))
    try:
        corpus = read_corpus([tmp_path])
        assert {d.title for d in corpus.documents} == GOOD_TITLES
        (skip,) = corpus.report.skipped
        assert skip.path.count("/d") == MAX_DEPTH + 1
        assert skip.reason == f"folder nested more than {MAX_DEPTH} deep below {tmp_path}; not read"
    finally:
        # shutil.rmtree, which pytest cleans its folders with, recurses: remove the tree here, from the bottom
        (folders[-1] / "lost.txt").unlink()
        for folder in reversed(folders):
            folder.rmdir()


def test_a_link_to_a_file_read_already_is_reported(tmp_path):
    write(tmp_path, "good.txt", GOOD_PAGE)
    (tmp_path / "same.txt").symlink_to(tmp_path / "good.txt")
    corpus = read_corpus([tmp_path])
    assert corpus.report.files_read == 1 and {d.title for d in corpus.documents} == GOOD_TITLES
    assert _reasons(corpus.report) == {"same.txt": f"the same file as {tmp_path / 'good.txt'}, which is read; not read twice"}


# -- values of JSON Lines records ----------------------------------------------------------------
def test_json_values_that_are_not_text_are_reported_and_numbers_become_text(tmp_path):
    records = [
        {"date": "July 12, 1945", "title": ["a", "b"], "summary": "lost"},
        {"date": "July 12, 1945", "title": True},
        {"date": 1945, "title": 1984, "summary": {"x": 1}, "url": False, "text": ["a", "list"]},
    ]
    lines = [json.dumps(r) for r in records] + ['{"date": NaN, "title": NaN}']
    write(tmp_path, "records.jsonl", "\n".join(lines) + "\n")
    corpus = read_with_good_page(tmp_path)
    titles = {d.title: d for d in corpus.documents}
    assert set(titles) == GOOD_TITLES | {"1984"}
    assert (titles["1984"].date.iso, titles["1984"].summary, titles["1984"].text) == ("1945", "", "")
    assert [(s.line, s.reason) for s in corpus.report.skipped] == [
        (1, "title is a list, not text"), (2, "title is true, not text"), (4, "title is not a number, not text")]
    assert [(w.line, w.reason) for w in corpus.report.warnings] == [
        (3, "summary is an object, not text; left out"), (3, "text is a list, not text; left out"),
        (3, "url is false, not text; left out")]


def test_control_characters_of_a_gazetteer_file_are_removed(tmp_path):
    from kg.gazetteer import load_gazetteer

    path = write(tmp_path, "names.csv", "name,kind,aliases\nZorblat\x1b[31m Kuzmin\x07,person,Z\x00. Kuzmin\n")
    (entry,) = [e for e in load_gazetteer([path]).entries if e.name.startswith("Zorblat")]
    assert (entry.name, entry.aliases) == ("Zorblat[31m Kuzmin", ("Z. Kuzmin",))


def test_a_pipe_given_as_gazetteer_is_an_error_not_a_hang(tmp_path):
    import os

    from kg.gazetteer import GazetteerError, load_gazetteer

    os.mkfifo(tmp_path / "names.csv")
    with pytest.raises(GazetteerError, match="names.csv: not a regular file"):
        load_gazetteer([tmp_path / "names.csv"])
