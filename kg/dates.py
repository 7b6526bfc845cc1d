"""Parse the archive's date forms into ISO strings with their precision."""
from __future__ import annotations

import calendar
import datetime as dt
import re

from kg.records import DocumentDate

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<{}>[A-Za-z]{{3,9}})\.?"
_YEAR = r"(?P<{}>1[5-9]\d\d|20\d\d)"
_DAY = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th)?"
_DASH = r"\s*[-\u2013\u2014/]\s*"

# Seasons and vague parts of a year tell the year only.
_VAGUE = r"(?:spring|summer|autumn|fall|winter|early|mid|late|end of|beginning of)"
_APPROX = re.compile(r"^\s*(?:c\.|ca\.|circa|approx\.?|about|around|~)\s*", re.IGNORECASE)
# Runs of whitespace that are not one plain space, as str.split() sees whitespace
# (no-break spaces included): replaced with one regular expression rather than
# split() and join(), which on a line of 10 MB would build a list of millions of
# words; ordinary text, already single-spaced, is not even copied.
_SPACES = re.compile(r"\s{2,}|[^\S ]")
#: A line longer than this is no date line, whatever its spaces (dates have <= 40 characters).
MAX_DATE_LINE = 1_000
_UNDATED = re.compile(r"^\s*[\[(]?\s*(?:undated|no date|n\.\s?d\.?|date unknown|unknown date)\s*[\])]?\s*$", re.I)

_PATTERNS = [
    # 1945-07-12, 1945-07, as in JSON Lines and CSV input
    ("iso", re.compile(rf"^{_YEAR.format('y')}(?:-(?P<m>\d\d)(?:-(?P<d>\d\d))?)?$")),
    # July 12, 1945 / July 12 1945 / July 12-13, 1945
    ("mdy", re.compile(
        rf"^{_MONTH.format('mn')}\s+{_DAY.format('d')}(?:{_DASH}{_DAY.format('d2')})?,?\s+{_YEAR.format('y')}$"
    )),
    # 12 July 1945
    ("dmy", re.compile(rf"^{_DAY.format('d')}\s+{_MONTH.format('mn')},?\s+{_YEAR.format('y')}$")),
    # July 1945 / April, 1956 / July-August 1945
    ("my", re.compile(
        rf"^{_MONTH.format('mn')}(?:{_DASH}{_MONTH.format('mn2')})?,?\s+{_YEAR.format('y')}$"
    )),
    # 1949-1950
    ("range", re.compile(rf"^{_YEAR.format('y')}{_DASH}{_YEAR.format('y2')}$")),
    # Spring 1956, late 1956, 1950s
    ("vague", re.compile(rf"^{_VAGUE}\s+{_YEAR.format('y')}$", re.IGNORECASE)),
    ("decade", re.compile(r"^(?P<y>1[5-9]\d0|20\d0)'?s$")),
]


def _spaced(text: str) -> str:
    """``text`` with each run of whitespace one space, and none at either end."""
    return _SPACES.sub(" ", text).strip()


def month_number(name: str) -> int | None:
    """1-12 for an English month name or its abbreviation ("Sept"), else None."""
    return _MONTHS.get(name.casefold().rstrip("."))



def _valid_day(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def parse_date(text: str) -> DocumentDate:
    """Parse an archive date; unknown forms keep their text and get ``iso=None``.

    >>> parse_date("July 12, 1945").iso
    '1945-07-12'
    >>> parse_date("April, 1956").precision
    'month'
    """
    original = _spaced(text)
    body = original.strip("[]() ")
    approximate = False
    if match := _APPROX.match(body):
        approximate = True
        body = body[match.end():]
    body = body.strip(" .,")
    if not body or _UNDATED.match(original):
        return DocumentDate(text=original)
    for form, pattern in _PATTERNS:
        match = pattern.match(body)
        if not match:
            continue
        parsed = _from_match(form, match, original, approximate)
        if parsed is not None:
            return parsed
    return DocumentDate(text=original)


def _from_match(form: str, match: re.Match, original: str, approximate: bool) -> DocumentDate | None:
    groups = match.groupdict()
    year = int(groups["y"])
    if form in {"range", "vague", "decade"}:
        until = groups.get("y2")
        if form == "decade":
            until = str(year + 9)
        if until is not None and int(until) < year:
            return None
        return DocumentDate(original, f"{year:04d}", "year", until, approximate or form != "range")
    if form == "iso":
        if not groups.get("m"):
            return DocumentDate(original, f"{year:04d}", "year", None, approximate)
        month = int(groups["m"])
        day = int(groups["d"]) if groups.get("d") else None
    else:
        month = month_number(groups["mn"])
        day = int(groups["d"]) if groups.get("d") else None
    if month is None or not 1 <= month <= 12:
        return None
    if day is None:
        until = None
        if groups.get("mn2"):
            month2 = month_number(groups["mn2"])
            # "August-July 1945" would end before it begins, like "1950-1949"
            if month2 is None or month2 < month:
                return None
            until = f"{year:04d}-{month2:02d}"
        return DocumentDate(original, f"{year:04d}-{month:02d}", "month", until, approximate)
    if not _valid_day(year, month, day):
        return None
    until = None
    if groups.get("d2"):
        day2 = int(groups["d2"])
        if not _valid_day(year, month, day2) or day2 < day:
            return None
        until = f"{year:04d}-{month:02d}-{day2:02d}"
    return DocumentDate(original, f"{year:04d}-{month:02d}-{day:02d}", "day", until, approximate)


def is_date_line(line: str) -> bool:
    """True when a whole line is an archive date (or says the document is undated)."""
    if len(line) > MAX_DATE_LINE:
        return False
    stripped = _spaced(line)
    if not stripped or len(stripped) > 40:
        return False
    return parse_date(stripped).iso is not None or bool(_UNDATED.match(stripped))


def sort_key(date: DocumentDate) -> tuple[int, str, str]:
    """Chronological order; undated documents last."""
    return (0, date.iso, date.text) if date.iso else (1, "", date.text)


def day_span(iso: str, until: str = "") -> tuple[str, str]:
    """The first and last day an ISO date (or a range ending ``until``) covers, as "YYYY-MM-DD".

    "1956-10" -> ("1956-10-01", "1956-10-31"); every month is given 31 days, which
    orders correctly against any real date.
    """
    last = until or iso
    return (iso + "-01-01")[:10], last + ("-12-31" if len(last) == 4 else "-31" if len(last) == 7 else "")


#: the first and last day a date covers, as "YYYY-MM-DD"
Interval = tuple[str, str]
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def date_interval(iso: str, until: str = "") -> Interval | None:
    """The days a date covers: "1945-07" -> ("1945-07-01", "1945-07-31"); None when undated.

    ``until`` ends a range ("1949" until "1950" covers both years). Unlike ``day_span``,
    which only orders dates, these are calendar days (exports and the page's timeline).
    """
    start = _bounds(iso)
    if start is None:
        return None
    end = _bounds(until) if until else start
    if end is None or end[1] < start[0]:
        end = start
    return start[0].isoformat(), end[1].isoformat()


def _bounds(iso: str) -> tuple[dt.date, dt.date] | None:
    match = _ISO.match(iso or "")
    if not match:
        return None
    year, month, day = match.groups()
    try:
        if day:
            date = dt.date(int(year), int(month), int(day))
            return date, date
        if month:
            last = calendar.monthrange(int(year), int(month))[1]
            return dt.date(int(year), int(month), 1), dt.date(int(year), int(month), last)
        return dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
    except ValueError:  # "1945-13": a malformed date is treated as undated
        return None
