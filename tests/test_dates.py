"""The archive's date forms: what each parses to, and what is not a date line."""
from __future__ import annotations

import pytest

from kg.dates import date_interval, is_date_line, parse_date, sort_key
from kg.records import DocumentDate


@pytest.mark.parametrize(
    ("text", "iso", "precision", "until", "approximate"),
    [
        ("July 12, 1945", "1945-07-12", "day", None, False),
        ("July 09, 1956", "1956-07-09", "day", None, False),  # zero-padded, search/020.txt
        ("July 12 1945", "1945-07-12", "day", None, False),
        ("12 July 1945", "1945-07-12", "day", None, False),
        ("Sept. 3, 1950", "1950-09-03", "day", None, False),
        ("July 12-13, 1945", "1945-07-12", "day", "1945-07-13", False),
        ("July 1945", "1945-07", "month", None, False),
        ("April, 1956", "1956-04", "month", None, False),  # search/056.txt
        ("July-August 1945", "1945-07", "month", "1945-08", False),
        ("1945", "1945", "year", None, False),
        ("c. 1950", "1950", "year", None, True),
        ("ca. July 1945", "1945-07", "month", None, True),
        ("1949-1950", "1949", "year", "1950", False),
        ("1949 \u2013 1950", "1949", "year", "1950", False),
        ("Spring 1956", "1956", "year", None, True),
        ("1950s", "1950", "year", "1959", True),
        ("1945-07-12", "1945-07-12", "day", None, False),  # as JSON Lines and CSV give it
        ("1945-07", "1945-07", "month", None, False),
    ],
)
def test_date_forms(text, iso, precision, until, approximate):
    date = parse_date(text)
    assert (date.iso, date.precision, date.until, date.approximate) == (iso, precision, until, approximate)
    assert date.text == text
    assert is_date_line(text)


@pytest.mark.parametrize("text", ["Undated", "undated", "[Undated]", "n.d.", "No date"])
def test_undated_is_a_date_line_without_a_date(text):
    date = parse_date(text)
    assert date == DocumentDate(text=text)
    assert is_date_line(text)


@pytest.mark.parametrize(
    "text",
    [
        "February 30, 1950",  # no such day
        "September 31, 1950",
        "July 0, 1945",
        "1945-13",
        "1950-1949",  # a range that ends before it starts
        "July 13-12, 1945",
        "Marx 1950",  # not a month
        "May",
        "c.",
        "",
    ],
)
def test_impossible_dates_are_not_dates(text):
    assert parse_date(text).iso is None
    assert not is_date_line(text)


@pytest.mark.parametrize(
    "line",
    [
        "Record of a Meeting Between T.V. Soong and Stalin",
        # Titles and body lines that contain a date are still not date lines.
        "Politburo Decisions of 13 September 1935 Concerning Xinjiang",
        "Beijing, 7 April 1967",
        "Andropov Report, 28 October 1956",
        "1 - 10 of 18",
        "Skip to content",
        "July 12, 1945 " + "x" * 40,
    ],
)
def test_a_title_is_not_a_date_line(line):
    assert not is_date_line(line)


def test_non_breaking_spaces_and_runs_of_spaces_are_plain_spaces():
    date = parse_date("July\u00a012,  1945")
    assert (date.text, date.iso) == ("July 12, 1945", "1945-07-12")
    assert is_date_line("\u00a0July 12, 1945\u00a0")


def test_sort_key_is_chronological_with_undated_last():
    dates = [parse_date(t) for t in ("Undated", "July 12, 1945", "1945", "July 1945", "June 30, 1945")]
    assert [d.text for d in sorted(dates, key=sort_key)] == [
        "1945", "June 30, 1945", "July 1945", "July 12, 1945", "Undated",
    ]


@pytest.mark.parametrize("iso, until, interval", [
    ("1945-07-12", "", ("1945-07-12", "1945-07-12")),
    ("1945-07", "", ("1945-07-01", "1945-07-31")),
    ("1948-02", "", ("1948-02-01", "1948-02-29")),
    ("1945", "", ("1945-01-01", "1945-12-31")),
    ("1949", "1950", ("1949-01-01", "1950-12-31")),
    ("1945-07", "1945-08", ("1945-07-01", "1945-08-31")),
    ("", "", None), ("1945-13", "", None), ("c. 1945", "", None),
])
def test_date_interval(iso, until, interval):
    assert date_interval(iso, until) == interval
