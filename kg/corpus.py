"""Read archive pages, JSON Lines and CSV files into deduplicated document records."""
from __future__ import annotations

import codecs
import csv
import hashlib
import heapq
import io
import json
import logging
import math
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kg.dates import is_date_line, parse_date
from kg.errors import KGError
from kg.records import Document, DocumentDate, ReadReport, Skip, Source
from kg.text import remove_controls
from kg.vocabulary import read_list

log = logging.getLogger(__name__)

PAGE_SUFFIXES = (".txt", ".text")
RECORD_SUFFIXES = (".jsonl", ".ndjson", ".csv")
#: A file larger than this is no page of search results: it is reported and skipped.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Longer titles are junk (a whole page pasted on one line), not a title.
MAX_TITLE_CHARS = 1_000
#: Summaries and bodies are cut here, with a warning, to keep memory bounded.
MAX_TEXT_CHARS = 200_000
#: A record's date longer than this is no date: the record is kept, undated, with a warning.
MAX_DATE_CHARS = 100
#: Folders nested deeper than this below a folder given are not read, and are reported.
MAX_DEPTH = 100

_COUNTER = re.compile(r"^\d[\d,]*\s*[-\u2013]\s*\d[\d,]*\s+of\s+\d[\d,]*$", re.IGNORECASE)
_BULLET = re.compile(r"^[\u2022\u25cf\u25e6\u00b7*]\s*")
_SEPARATOR = re.compile(r"^[-\u2013\u2014_=]{1,80}$")
# The archive's page furniture, its headers of result lists and the headings after a
# document's body, compared case-insensitively (kg/data/page_*.txt).
_NOISE = frozenset(line.casefold() for line in read_list("page_furniture.txt"))
_SEARCH_MARKERS = frozenset(line.casefold() for line in read_list("page_search_markers.txt"))
_DOCUMENT_FOOTER = frozenset(line.casefold() for line in read_list("page_footers.txt"))
_SENTENCE_END = (".", "!", "?", "\u2026")
_CLOSING_QUOTES = "\"'\u201d\u2019"
_SPACES = re.compile(r"\s{2,}|[^\S ]")
_HTML_START = re.compile(r"^\s*(<!doctype\s+html|<html|<head|<body|<\?xml)", re.IGNORECASE)


class CorpusError(KGError):
    """The corpus cannot be read at all (no such path, or nothing readable in it)."""


@dataclass(frozen=True)
class Corpus:
    documents: tuple[Document, ...]
    report: ReadReport


@dataclass(frozen=True)
class _Entry:
    """One entry as read, before duplicates are merged."""

    date: DocumentDate
    title: str
    summary: str
    source: Source
    text: str = ""
    url: str = ""
    truncated: bool = False


@dataclass
class _Tally:
    """Mutable bookkeeping while one corpus is read; frozen into a ReadReport at the end."""

    files_read: int = 0
    entries: int = 0
    skipped: list[Skip] | None = None
    warnings: list[Skip] | None = None

    def __post_init__(self) -> None:
        self.skipped, self.warnings = [], []

    def skip(self, path: Path | str, line: int | None, reason: str) -> None:
        """Report a lost entry (``line`` set; it was counted in ``entries``) or a
        whole file (``line`` None), so that ``entries == documents +
        duplicates_merged + skips with a line`` can be checked from the report."""
        skip = Skip(display_path(path), line, reason)
        log.warning("skipped %s", skip)
        self.skipped.append(skip)

    def warn(self, path: Path | str, line: int | None, message: str) -> None:
        warning = Skip(display_path(path), line, message)
        log.warning("%s", warning)
        self.warnings.append(warning)


def display_path(path: Path | str) -> str:
    """``path`` as text that can be printed and written as UTF-8.

    A file name that is not UTF-8 (Linux allows any bytes) comes out of ``os`` with
    lone surrogates in it, which no UTF-8 output (graph.json, the terminal) accepts;
    its undecodable bytes are shown escaped instead: "caf\\xe9.txt".
    """
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", errors="backslashreplace")
    return text


def read_corpus(paths: Iterable[str | Path], *, max_file_bytes: int = MAX_FILE_BYTES) -> Corpus:
    """Read files and folders (recursively, in sorted order) into unique documents.

    Raises CorpusError when a path does not exist or no file could be read at all;
    everything else that goes wrong is reported in ``Corpus.report``, never lost.
    """
    names = list(paths)
    tally = _Tally()
    files = corpus_files(names, tally)
    entries: list[_Entry] = []
    for path in files:
        entries.extend(_read_file(path, tally, max_file_bytes=max_file_bytes))
    if not tally.files_read:
        why = "; ".join(str(s) for s in tally.skipped[:3]) or "no files in it"
        more = f" (and {len(tally.skipped) - 3} more)" if len(tally.skipped) > 3 else ""
        raise CorpusError(f"nothing readable in {', '.join(map(str, names))}: {why}{more}")
    documents, merged = merge_duplicates(entries)
    report = ReadReport(
        files_read=tally.files_read,
        entries=tally.entries,
        documents=len(documents),
        duplicates_merged=merged,
        truncated=sum(d.truncated for d in documents),
        skipped=tuple(tally.skipped),
        warnings=tuple(tally.warnings),
        undated=sum(d.date.iso is None for d in documents),
        files=tuple(display_path(p) for p in files),
    )
    return Corpus(documents, report)


def corpus_files(paths: Iterable[str | Path], tally: _Tally | None = None) -> list[Path]:
    """The files to read: named files as they are, folders searched through.

    Every other path below a folder is reported to ``tally`` as skipped, with the
    reason: hidden (a name starting with "."), a link to nothing, not a regular file
    (a pipe, socket or device), a folder that cannot be read, or nested more than
    ``MAX_DEPTH`` deep. A link to a folder is followed, once: a folder reached a
    second time (a loop, or two links to it) is reported, not read again; so is a
    file reached a second time under another name. Folders reached without a link
    are read first, so a file is known by its own path rather than a link's.

    The result is sorted, so the same corpus gives the same graph whatever the
    order of the arguments. The search is no recursion: any depth is safe.
    """
    tally = tally if tally is not None else _Tally()
    names = list(dict.fromkeys(Path(name) for name in paths))  # a folder named twice is read once
    if not names:
        raise CorpusError("no corpus given: name a folder or file of archive pages")
    files: dict[tuple[int, int], Path] = {}
    folders: dict[tuple[int, int], Path] = {}
    # (reached through a link, path, depth, the folder given): real folders first, in path order
    queue: list[tuple[bool, str, int, Path, Path]] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            heapq.heappush(queue, (False, str(path), 0, path, path))
        elif path.is_file():
            _add_file(path, files, tally)
        elif path.exists():
            raise CorpusError(f"{display_path(path)}: not a file or folder (a device, pipe or socket?)")
        elif path.is_symlink():
            raise CorpusError(f"{display_path(path)}: a link to {display_path(os.readlink(path))}, which does not exist")
        else:
            raise CorpusError(f"{display_path(path)}: no such file or folder")
    while queue:
        via_link, _, depth, folder, root = heapq.heappop(queue)
        try:
            info = folder.stat()
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            tally.skip(folder, None, f"cannot read this folder: {err.strerror or err}")
            continue
        identity = (info.st_dev, info.st_ino)
        if identity in folders:
            first = folders[identity]
            why = "a loop" if first in folder.parents or first == folder.resolve() else "read already"
            tally.skip(folder, None, f"a link to the folder {display_path(first)}, which is {why}; not read again")
            continue
        folders[identity] = folder
        for entry in entries:
            path = Path(entry.path)
            try:
                is_link, is_folder, is_file = entry.is_symlink(), entry.is_dir(), entry.is_file()
            except OSError as err:
                tally.skip(path, None, f"cannot read: {err.strerror or err}")
                continue
            if entry.name.startswith("."):
                tally.skip(path, None, "hidden folder; not read" if is_folder else "hidden file; not read")
            elif is_folder and depth + 1 > MAX_DEPTH:
                tally.skip(path, None, f"folder nested more than {MAX_DEPTH} deep below {display_path(root)}; not read")
            elif is_folder:
                heapq.heappush(queue, (via_link or is_link, str(path), depth + 1, path, root))
            elif is_file:
                _add_file(path, files, tally)
            elif is_link and not os.path.exists(path):
                tally.skip(path, None, f"a link to {display_path(os.readlink(path))}, which does not exist")
            else:
                tally.skip(path, None, f"not a regular file ({_file_type(path)}); not read")
    return sorted(files.values())


def _add_file(path: Path, files: dict[tuple[int, int], Path], tally: _Tally) -> None:
    try:
        info = path.stat()
    except OSError as err:
        tally.skip(path, None, f"cannot read file: {err.strerror or err}")
        return
    identity = (info.st_dev, info.st_ino)
    first = files.setdefault(identity, path)
    if first != path:
        tally.skip(path, None, f"the same file as {display_path(first)}, which is read; not read twice")


def _file_type(path: Path) -> str:
    try:
        mode = path.stat().st_mode
    except OSError:
        return "unknown"
    for test, name in ((stat.S_ISFIFO, "a pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device")):
        if test(mode):
            return name
    return "not a file or folder"


def _read_file(path: Path, tally: _Tally, *, max_file_bytes: int) -> list[_Entry]:
    suffix = path.suffix.lower()
    if suffix not in PAGE_SUFFIXES + RECORD_SUFFIXES:
        tally.skip(path, None, f"not a corpus file (expected {', '.join(PAGE_SUFFIXES + RECORD_SUFFIXES)})")
        return []
    try:
        size = path.stat().st_size
        if size > max_file_bytes:
            tally.skip(path, None, f"file is {size:,} bytes, over the {max_file_bytes:,}-byte limit for one page")
            return []
        raw = _read_bounded(path, size, max_file_bytes)
        if raw is None:  # it grew after stat()
            tally.skip(path, None, f"file is over the {max_file_bytes:,}-byte limit for one page")
            return []
    except OSError as err:
        tally.skip(path, None, f"cannot read file: {err.strerror or err}")
        return []
    text = decode(raw, path, tally)
    del raw  # a large file is held once, as text, while it is parsed
    if text is None:
        return []
    tally.files_read += 1
    if suffix == ".csv":
        return _parse_csv(text, path, tally)
    if suffix in {".jsonl", ".ndjson"}:
        return _parse_jsonl(text, path, tally)
    return parse_page(text, path, tally)


def _read_bounded(path: Path, size: int, limit: int) -> bytes | None:
    """The file's bytes, or None when it holds more than ``limit`` (it grew after stat()).

    Reads the ``size`` stat() gave in one piece (``read(limit)`` would allocate the
    whole limit up front), then whatever was appended since, in chunks, up to the limit.
    """
    # O_NONBLOCK: should a pipe have taken the file's place since the search, opening
    # it does not wait for a writer; it is then refused as no regular file.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise OSError(0, "not a regular file")
    with open(descriptor, "rb", buffering=0) as stream:
        raw = stream.read(size + 1)
        if len(raw) <= size:
            return raw
        chunks = [raw]
        total = len(raw)
        while chunk := stream.read(1 << 20):
            total += len(chunk)
            if total > limit:
                return None
            chunks.append(chunk)
    return b"".join(chunks) if total <= limit else None


def decode(raw: bytes, path: Path | str, tally: _Tally) -> str | None:
    """Bytes to clean text: BOM and CRLF removed; non-UTF-8 decoded with a warning."""
    if not raw or raw.isspace():  # no stripped copy of the whole file
        tally.skip(path, None, "file is empty")
        return None
    # Word's and old Notepad's "Unicode" text is UTF-16: full of NUL bytes, yet text.
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raw = raw.decode("utf-16", errors="replace").encode("utf-8")
    if b"\x00" in raw[:8192]:
        tally.skip(path, None, "binary file (contains NUL bytes), not a text copy of a page")
        return None
    # Strip the BOM from the bytes: the Windows-1252 fallback would read it as "ï»¿".
    raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        text, bad = _decode_lines(raw)
        more = f" ({bad:,} lines, the first here)" if bad > 1 else ""
        tally.warn(path, raw[: err.start].count(b"\n") + 1, f"not valid UTF-8; decoded as Windows-1252{more}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _HTML_START.match(text[:1024]):
        tally.skip(path, None, "this is an HTML file; save the archive page as plain text and read that")
        return None
    return remove_controls(text)


def _decode_lines(raw: bytes) -> tuple[str, int]:
    """Each line as UTF-8 when it is, else as Windows-1252; and how many were not.

    One stray Windows-1252 byte (a pasted curly quote) then garbles its own line,
    not every accented letter of the UTF-8 text around it ("K\u00c3\u00b6ln").
    """
    lines, bad = [], 0
    for line in raw.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="replace"))
            bad += 1
    return "\n".join(lines), bad


def _clean(line: str) -> str:
    line = unicodedata.normalize("NFC", line.replace("\u00a0", " ").replace("\u200b", ""))
    return _BULLET.sub("", line.strip()).strip()


def _is_noise(line: str) -> bool:
    return line.casefold() in _NOISE or bool(_COUNTER.match(line)) or bool(_SEPARATOR.match(line))


def parse_page(text: str, path: Path | str, tally: _Tally) -> list[_Entry]:
    """Entries of one search-result page, or the one document of a single-document page."""
    raw_lines = text.split("\n")
    lines = [_clean(line) for line in raw_lines]
    # Markers only result lists have: a header, a counter, bulleted dates, "-" separators.
    search_layout = any(
        line.casefold() in _SEARCH_MARKERS
        or _COUNTER.match(line)
        or (_BULLET.match(raw.strip()) and is_date_line(line))
        or line == "-"
        for line, raw in zip(lines, raw_lines)
    )
    date_rows = [i for i, line in enumerate(lines) if is_date_line(line)]
    if not date_rows:
        tally.skip(path, None, "no entries found (expected a date line, then a title line)")
        return []
    blocks = []
    for n, row in enumerate(date_rows):
        stop = date_rows[n + 1] if n + 1 < len(date_rows) else len(lines)
        content = [(i, lines[i]) for i in range(row + 1, stop) if lines[i] and not _is_noise(lines[i])]
        blocks.append((row, content))
    # A result's summary is one paragraph; a single document's body runs on.
    if not search_layout and any(len(content) >= 3 for _, content in blocks):
        return _single_document(lines, date_rows[0], path, tally)
    entries = []
    for n, (row, content) in enumerate(blocks):
        tally.entries += 1
        source = Source(display_path(path), row + 1)
        if not content:
            tally.skip(path, row + 1, f"date line {lines[row]!r} has no title after it")
            continue
        title = content[0][1]
        summary = " ".join(line for _, line in content[1:])
        if len(title) > MAX_TITLE_CHARS:
            tally.skip(path, row + 1, f"title line is {len(title):,} characters long; not an archive entry")
            continue
        summary = _bounded(summary, path, row + 1, tally)
        date = parse_date(lines[row])
        if date.iso is None and not is_date_line(lines[row]):
            tally.warn(path, row + 1, f"date {lines[row]!r} not understood; kept as text")
        last = n == len(blocks) - 1
        truncated = last and not _ends_whole(summary or title)
        entries.append(_Entry(date, title, summary, source, truncated=truncated))
    return entries


def _ends_whole(text: str) -> bool:
    """Whether a page's last entry ends where its text ends, not where the copy was cut.

    A closing quote ends a sentence only after its punctuation: 'the "Cuba of the
    East."' is whole, 'Finance Minister Ernesto \u201cChe\u201d' was cut.
    A closing bracket, as in "(Excerpt)", closes what it opened.
    """
    return text.endswith((")", "]")) or text.rstrip(_CLOSING_QUOTES).endswith(_SENTENCE_END)


def _single_document(lines: list[str], date_row: int, path: Path | str, tally: _Tally) -> list[_Entry]:
    """A single-document page: its first date and title, and the rest as its text."""
    tally.entries += 1
    body_rows = [i for i in range(len(lines)) if lines[i] and not _is_noise(lines[i])]
    title_row = next(i for i in body_rows if i > date_row)
    if len(lines[title_row]) > MAX_TITLE_CHARS:
        tally.skip(path, date_row + 1,
                   f"title line is {len(lines[title_row]):,} characters long; not an archive document")
        return []
    body = []
    for i in body_rows:
        if lines[i].casefold() in _DOCUMENT_FOOTER:
            break
        if i not in {date_row, title_row}:
            body.append(lines[i])
    text = _bounded("\n".join(body), path, date_row + 1, tally)
    date = parse_date(lines[date_row])
    return [_Entry(date, lines[title_row], "", Source(display_path(path), date_row + 1), text=text)]


def _bounded(text: str, path: Path | str, line: int, tally: _Tally) -> str:
    if len(text) <= MAX_TEXT_CHARS:
        return text
    tally.warn(path, line, f"text of {len(text):,} characters cut to {MAX_TEXT_CHARS:,}")
    return text[:MAX_TEXT_CHARS]


def _record_entry(record: dict, path: Path | str, line: int, tally: _Tally) -> _Entry | None:
    """A JSON Lines or CSV record (date, title, summary, url, text) as an entry.

    A value must be text; a number is taken as its text (a date of 1945 is "1945").
    Any other value (true/false, a list, an object, NaN or Infinity) is no text: in the
    title it loses the record, elsewhere the field, each with a message. null is a
    value not given.
    """
    tally.entries += 1
    unusable: dict[str, str] = {}

    def raw(key: str) -> str:
        item = record.get(key)
        if item is None:
            return ""
        if isinstance(item, str):
            return remove_controls(item)
        if isinstance(item, int | float) and not isinstance(item, bool) and math.isfinite(item):
            return str(item)
        unusable[key] = _json_kind(item)
        return ""

    def value(key: str) -> str:
        # one regular expression, not " ".join(split()): no list of a million words
        return _SPACES.sub(" ", raw(key)).strip()

    title = value("title")
    if "title" in unusable:
        tally.skip(path, line, f"title is {unusable['title']}, not text")
        return None
    if not title:
        tally.skip(path, line, "record has no title")
        return None
    if len(title) > MAX_TITLE_CHARS:
        tally.skip(path, line, f"title is {len(title):,} characters long; not an archive entry")
        return None
    date_text = value("date")
    if len(date_text) > MAX_DATE_CHARS:
        tally.warn(path, line, f"date is {len(date_text):,} characters long; not a date, record kept undated")
        date_text = ""
    date = parse_date(date_text)
    if date_text and date.iso is None and not is_date_line(date_text):
        tally.warn(path, line, f"date {date_text!r} not understood; kept as text")
    summary = _bounded(value("summary"), path, line, tally)
    text = _bounded(raw("text"), path, line, tally)
    url = value("url")
    if url and not _is_web_link(url):
        tally.warn(path, line, f"url {url[:60]!r} is not an http(s) link; dropped")
        url = ""
    for key, kind in unusable.items():
        tally.warn(path, line, f"{key} is {kind}, not text; left out")
    return _Entry(date, title, summary, Source(display_path(path), line), text=text, url=url)


def _json_kind(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "not a number" if math.isnan(value) else "infinite"
    return {list: "a list", dict: "an object"}.get(type(value), f"a {type(value).__name__}")


def _is_web_link(url: str) -> bool:
    """An http(s) link to somewhere: never ``javascript:``, ``data:`` or a bare path."""
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1": a malformed IPv6 address
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


def _parse_jsonl(text: str, path: Path | str, tally: _Tally) -> list[_Entry]:
    entries = []
    # tally.entries counts the whole corpus; this file's records are what it adds.
    entries_before = tally.entries
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            tally.entries += 1
            tally.skip(path, number, f"not valid JSON ({err.msg}); expected one object per line")
            continue
        except (ValueError, RecursionError) as err:
            # valid JSON beyond the parser's limits: a number of over 4,300 digits, or
            # arrays nested thousands deep; no archive record looks like that.
            why = "nested too deeply" if isinstance(err, RecursionError) else str(err).split(":")[0]
            tally.entries += 1
            tally.skip(path, number, f"not usable JSON ({why}); expected one object per line")
            continue
        if not isinstance(record, dict):
            tally.entries += 1
            tally.skip(path, number, f"expected a JSON object with date, title, summary; got {type(record).__name__}")
            continue
        if entry := _record_entry(record, path, number, tally):
            entries.append(entry)
    if tally.entries == entries_before:
        tally.skip(path, None, "no records found (expected one JSON object per line)")
    return entries


def _parse_csv(text: str, path: Path | str, tally: _Tally) -> list[_Entry]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().casefold() for h in next(reader)]
    except (StopIteration, csv.Error):
        tally.skip(path, None, "no CSV header (expected date,title,summary[,url])")
        return []
    # A bad header loses the whole file, not one counted entry: no line number.
    if "title" not in header or "date" not in header:
        tally.skip(
            path, None,
            f"CSV header {','.join(header)!r} (line 1) lacks date and title (expected date,title,summary[,url])",
        )
        return []
    entries = []
    entries_before = tally.entries
    rows: Iterator[list[str]] = iter(reader)
    while True:
        line = reader.line_num + 1
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as err:
            tally.entries += 1
            tally.skip(path, line, f"malformed CSV row ({err})")
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            tally.warn(path, line, f"row has {len(row)} fields, header has {len(header)}; extra fields ignored")
        if entry := _record_entry(dict(zip(header, row)), path, line, tally):
            entries.append(entry)
    if tally.entries == entries_before:
        tally.skip(path, None, "no records found (expected a row of date,title,summary[,url] after the header)")
    return entries


def _title_key(title: str) -> str:
    folded = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.sub(r"[\u2018\u2019\u201c\u201d]", "'", folded).split())


def document_id(date: DocumentDate, title: str) -> str:
    """A stable id from date and title: the same on every run and machine."""
    date_key = date.iso or date.text.casefold()
    digest = hashlib.sha1(f"{date_key}\x1f{_title_key(title)}".encode()).hexdigest()[:10]
    return f"doc-{date.iso or 'undated'}-{digest}"


def merge_duplicates(entries: Iterable[_Entry]) -> tuple[tuple[Document, ...], int]:
    """One document per (date, title): all its sources, its best summary and text.

    The best summary is the longest untruncated one; a truncated copy wins only when
    no whole copy exists. A copy without a summary (a single-document page) never
    wins over one with a summary, even a cut one: that would lose the summary.
    """
    groups: dict[str, list[_Entry]] = {}
    for entry in entries:
        groups.setdefault(document_id(entry.date, entry.title), []).append(entry)
    documents = []
    for doc_id, group in groups.items():
        best = max(group, key=lambda e: (bool(e.summary), not e.truncated, len(e.summary), e.summary))
        first = min(group, key=lambda e: e.source)
        documents.append(
            Document(
                doc_id=doc_id,
                title=first.title,
                date=first.date,
                summary=best.summary,
                text=max((e.text for e in group), key=lambda t: (len(t), t)),
                url=next((e.url for e in sorted(group, key=lambda e: e.source) if e.url), ""),
                truncated=best.truncated,
                sources=tuple(sorted({e.source for e in group})),
            )
        )
    merged = sum(len(g) - 1 for g in groups.values())
    documents.sort(key=lambda d: (d.date.iso or "9999", d.doc_id))
    return tuple(documents), merged

