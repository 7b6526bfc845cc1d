"""A cache of extraction results, so that a rebuild runs spaCy only on documents it has not seen.

Extraction (spaCy and the rules over its output) is nearly all of a build's time, and
a document's mentions depend on little besides the document itself:

- its content: title, summary, text, and whether the summary was cut off on the page;
- the extraction setup: the model (name and version) and spaCy's version, the
  gazetteer's entries, and kg's code and word lists (``kg.__version__`` and a hash of
  the modules and data files extraction reads);
- the corpus, in one narrow way: the rules ask whether some words of a candidate
  name are *common words*, words the corpus writes in lower case elsewhere
  ("Situation", "Based" in a Title Case title are no names). Adding documents can
  make a word common.

The setup is the *fingerprint*: one cache file per fingerprint, so a new model, an
edited gazetteer or a code change starts a new file and never reads stale results.
Within it, each document's entry is keyed by a hash of its content and records the
words its rules asked about, with the answers. An entry is reused only when every
one of those words is still (or still not) a common word of the corpus being built;
otherwise the document is extracted again. The results are then exactly those of a
build without cache.

The file is JSON Lines (``mentions-<fingerprint>.jsonl``): a header, then one line per
document ``[content hash, common words asked, other words asked, mentions, seal]``, a
mention being ``[field, start, end, kind, finder, gazetteer name, norm, text]`` with
``text`` null when it is the field's text from ``start`` to ``end`` (always, today),
and the seal a hash of the line before it.

Entries heal: each is checked when its document asks for it (the seal; then every
field: a known field, kind and finder, offsets within the field's text, a stored
text equal to the document's), and one that fails is dropped and its document
extracted again, so a damaged entry costs only its document and one warning per
build sums up what was dropped. A file whose header is not this setup's is ignored
with a warning. Files are replaced atomically, under a lock on the cache folder,
which also removes temporary files that an interrupted write left.
"""
from __future__ import annotations

import ast
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import kg
from kg.errors import KGError
from kg.export.files import OutputError, atomic_write, check_writable_folder, locked_folder, remove_leftovers
from kg.gazetteer import Gazetteer
from kg.records import ENTITY_KINDS, FINDERS, TEXT_FIELDS, Document, Mention

log = logging.getLogger(__name__)

#: Bumped when the file layout or the meaning of an entry changes.
CACHE_FORMAT = 2
#: The cache folder's name, inside the output folder by default.
CACHE_DIR_NAME = ".kg-cache"
#: The modules whose code decides what extraction finds, with every kg module they import
#: (kg.resolve: extraction asks its NameIdentities about misspelt names, brackets, surnames).
ROOT_MODULES = ("kg.extract", "kg.resolve", "kg.cache")
#: How many fingerprints' files a cache folder keeps (the most recently written).
KEEP_FILES = 3
_PREFIX, _SUFFIX = "mentions-", ".jsonl"
_HEX = re.compile("[0-9a-f]{32}")


class CacheError(KGError):
    """The extraction cache folder cannot be used (a file is in its way, it cannot be written)."""


def check_cache_folder(folder: str | Path) -> Path:
    """Make sure the cache can be written in ``folder`` (created if missing), before any work is done."""
    try:
        return check_writable_folder(folder)
    except OutputError as err:
        raise CacheError(f"cannot keep the extraction cache in {folder}: {err}") from err


def document_key(doc: Document) -> str:
    """A hash of everything in a document that extraction reads."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (doc.title, doc.summary, doc.text, "truncated" if doc.truncated else ""):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()


def code_hash() -> str:
    """A hash of kg's extraction code and data files, so that editing them invalidates.

    The code is ``ROOT_MODULES`` and every kg module they import, directly or through
    another (read from their import statements, so a new module is never forgotten);
    the data is every file under ``kg/data``.
    """
    root = Path(kg.__file__).resolve().parent
    files = sorted(extraction_modules(root)) + sorted(p for p in (root / "data").rglob("*") if p.is_file())
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def extraction_modules(root: Path) -> set[Path]:
    """The source files of ``ROOT_MODULES`` and of the kg modules they import, transitively."""
    found: set[Path] = set()
    todo = list(ROOT_MODULES)
    while todo:
        module = todo.pop()
        todo.extend(module.rsplit(".", n)[0] for n in range(1, module.count(".") + 1))  # its packages
        path = _module_file(root, module)
        if path is None or path in found:
            continue
        found.add(path)
        package = ".".join(("kg", *path.relative_to(root).with_suffix("").parts[:-1]))
        todo.extend(_imported_modules(path.read_text(encoding="utf-8"), package))
    return found


def _module_file(root: Path, module: str) -> Path | None:
    """The file of a kg module (``kg.export.files``), None for a name that is no kg module."""
    parts = module.split(".")
    if parts[0] != "kg":
        return None
    base = root.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@functools.lru_cache(maxsize=None)
def _imported_modules(source: str, package: str) -> tuple[str, ...]:
    """Every module an ``import`` statement of ``source`` may name (inside functions too).

    ``from kg import names`` names ``kg`` and ``kg.names``; what is no module is
    dropped by ``_module_file``. Kept per source text: parsing kg's modules on every
    build cost 0.2 s, most of a small rebuild, and the same text has the same imports.
    """
    return tuple(_imports(source, package))


def _imports(source: str, package: str) -> Iterator[str]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def gazetteer_hash(gazetteer: Gazetteer) -> str:
    """A hash of the gazetteer's entries as loaded (names, kinds, aliases)."""
    digest = hashlib.sha256()
    for entry in gazetteer.entries:
        digest.update(json.dumps([entry.name, entry.kind, list(entry.aliases)], ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def model_version(model: str) -> str | None:
    """The installed version of a model package (or a model folder's meta.json), None if unknown."""
    if model == "none":
        return "blank"
    path = Path(model)
    if path.is_dir():
        meta = path / "meta.json"
        return hashlib.sha256(meta.read_bytes()).hexdigest()[:16] if meta.is_file() else None
    for name in (model, model.replace("_", "-")):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    spec = importlib.util.find_spec(model) if model.isidentifier() else None
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            for meta in Path(folder).glob("*/meta.json"):
                return hashlib.sha256(meta.read_bytes()).hexdigest()[:16]
    return None


def fingerprint(model: str, gazetteer: Gazetteer) -> str | None:
    """What the cached results were computed with; None when the model's version is unknown."""
    version = model_version(model)
    if version is None:
        return None
    try:
        spacy_version = importlib.metadata.version("spacy")
    except importlib.metadata.PackageNotFoundError:
        spacy_version = "unknown"
    parts = {
        "format": CACHE_FORMAT, "kg": kg.__version__, "code": code_hash(), "spacy": spacy_version,
        "model": model, "model_version": version, "gazetteer": gazetteer_hash(gazetteer),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


@dataclass
class _Entry:
    common: tuple[str, ...]  # words asked that were common words
    other: tuple[str, ...]  # words asked that were not
    mentions: list  # rows as stored

    def holds(self, common_words: Collection[str]) -> bool:
        return all(w in common_words for w in self.common) and not any(w in common_words for w in self.other)


@dataclass
class MentionCache:
    """The cached extraction results of one fingerprint, in one file of a cache folder.

    Entries read from the file stay lines of JSON until a document asks for its own:
    a large cache costs little memory, and lines asked about are written back as read.
    """

    folder: Path
    key: str
    entries: dict[str, _Entry | str] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    changed: bool = False
    #: what was wrong with each entry dropped ("line 12: offsets 40-38 ..."), reported once by save()
    damaged: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # content hash -> line number, for messages

    @property
    def path(self) -> Path:
        return self.folder / f"{_PREFIX}{self.key[:32]}{_SUFFIX}"

    @classmethod
    def open(cls, folder: str | Path, key: str) -> MentionCache:
        """The cache for ``key`` in ``folder``: empty when there is none or it cannot be read."""
        cache = cls(Path(folder), key)
        path = cache.path
        if not os.path.lexists(path):
            return cache
        try:
            if not path.is_file():  # a pipe would block the read; the next save replaces it
                raise ValueError("not a regular file")
            cache.entries, cache.lines, cache.damaged = _read(path, key)
        except (OSError, ValueError, UnicodeDecodeError) as err:
            log.warning("ignoring the extraction cache %s: it cannot be read (%s); it will be rebuilt", path, err)
            cache.entries, cache.lines, cache.damaged = {}, {}, []
        cache.changed = bool(cache.damaged) or not path.is_file()
        return cache

    def get(self, doc: Document, common_words: Collection[str]) -> list[Mention] | None:
        """The document's mentions as stored, if its entry is sound and holds for this corpus's common words."""
        digest = document_key(doc)
        entry = self.entries.get(digest)
        if entry is None:
            return None
        try:
            if isinstance(entry, str):
                entry = _parse(entry, digest)  # the line is kept: written back as it is, memory stays low
            if not entry.holds(common_words):
                return None
            mentions = [_mention(doc, row) for row in entry.mentions]
        except ValueError as err:
            self.damaged.append(f"line {self.lines.get(digest, '?')}: {err}")
            del self.entries[digest]
            self.changed = True
            return None
        self.used.add(digest)
        return mentions

    def put(self, doc: Document, mentions: Iterable[Mention], consulted: dict[str, bool]) -> None:
        digest = document_key(doc)
        self.entries[digest] = _Entry(
            tuple(sorted(w for w, common in consulted.items() if common)),
            tuple(sorted(w for w, common in consulted.items() if not common)),
            [_row(doc, m) for m in mentions],
        )
        self.used.add(digest)
        self.changed = True

    def save(self) -> Path | None:
        """Write the entries this build used (others are dropped), if anything changed.

        Damaged entries met since the cache was opened are reported here, in one warning.
        """
        if self.damaged:
            more = f" (and {len(self.damaged) - 1} more)" if len(self.damaged) > 1 else ""
            log.warning("dropped %d damaged entr%s of the extraction cache %s: %s%s; their documents were "
                        "extracted again", len(self.damaged), "y" if len(self.damaged) == 1 else "ies", self.path,
                        self.damaged[0], more)
            self.damaged = []
        stale = set(self.entries) - self.used
        if not self.changed and not stale:
            return None
        for digest in stale:
            del self.entries[digest]
        header = {"format": CACHE_FORMAT, "fingerprint": self.key, "kg": kg.__version__, "documents": len(self.entries)}
        lines = [json.dumps(header)]
        lines += [entry if isinstance(entry, str) else _sealed(digest, entry) for digest, entry in self.entries.items()]
        try:
            with locked_folder(self.folder):
                remove_leftovers(self.folder)
                atomic_write(self.path, "\n".join(lines) + "\n")
                self._forget_old_files()
        except (OSError, OutputError) as err:
            log.warning("cannot write the extraction cache %s (%s); the next build extracts again", self.path, err)
            return None
        self.changed = False
        return self.path

    def _forget_old_files(self) -> None:
        files = sorted(self.folder.glob(f"{_PREFIX}*{_SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
        for path in [p for p in files if p != self.path][KEEP_FILES - 1:]:
            path.unlink(missing_ok=True)


def _read(path: Path, key: str) -> tuple[dict[str, str], dict[str, int], list[str]]:
    """Content hash -> the entry's line (unparsed), and -> its line number; and the lines that are no entry.

    Only the header must be sound: a line that is no entry is reported and dropped.
    """
    entries: dict[str, str] = {}
    numbers: dict[str, int] = {}
    damaged: list[str] = []
    with path.open(encoding="utf-8") as stream:
        try:
            header = json.loads(next(stream, "null"))
        except ValueError:
            header = None
        if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT or header.get("fingerprint") != key:
            raise ValueError("not a cache file of this kg and setup")
        for number, line in enumerate(stream, start=2):
            line = line.rstrip("\n")
            # '["<32 hex digits>",...,"<32 hex digits>"]'
            digest = line[2:34]
            if not (line.startswith('["') and line[34:36] == '",' and _HEX.fullmatch(digest) and _unsealed(line)):
                damaged.append(f"line {number}: not a sound cache entry")
                continue
            if digest in entries:
                damaged.append(f"line {number}: a second entry for one document")
                continue
            entries[digest], numbers[digest] = line, number
    return entries, numbers, damaged


def _sealed(digest: str, entry: _Entry) -> str:
    body = json.dumps([digest, entry.common, entry.other, entry.mentions], ensure_ascii=False, separators=(",", ":"))
    body = body[:-1]  # without its closing bracket
    return f'{body},"{_seal(body)}"]'


def _seal(body: str) -> str:
    return hashlib.blake2b(body.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _unsealed(line: str) -> str | None:
    """The entry's JSON without its seal, if the seal matches; else None."""
    if not (len(line) > 72 and line.endswith('"]') and line[-36:-34] == ',"'):
        return None
    body = line[:-36]
    return body + "]" if _seal(body) == line[-34:-2] else None


def _parse(line: str, digest: str) -> _Entry:
    body = _unsealed(line)
    if body is None:
        raise ValueError("its seal does not match its content")
    try:
        stored, common, other, rows = json.loads(body)
    except (ValueError, TypeError) as err:
        raise ValueError(f"not an entry ({err})") from None
    if stored != digest:
        raise ValueError("filed under another document")
    if not (_strings(common) and _strings(other) and isinstance(rows, list)):
        raise ValueError("the words asked are not lists of words")
    return _Entry(tuple(common), tuple(other), rows)


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _row(doc: Document, mention: Mention) -> list:
    text = doc.field_text(mention.field)[mention.start:mention.end]
    return [mention.field, mention.start, mention.end, mention.kind, mention.finder, mention.gazetteer_name,
            mention.norm, None if mention.text == text else mention.text]


def _mention(doc: Document, row: object) -> Mention:
    """A stored mention row as a Mention of ``doc``; ValueError saying what is wrong when it is not sound."""
    if not (isinstance(row, list) and len(row) == 8):
        raise ValueError(f"a mention is {_short(row)}, not a row of 8 fields")
    field_name, start, end, kind, finder, gazetteer_name, norm, text = row
    if field_name not in TEXT_FIELDS:
        raise ValueError(f"a mention is in the field {_short(field_name)}; expected one of {', '.join(TEXT_FIELDS)}")
    source = doc.field_text(field_name)
    if not (type(start) is int and type(end) is int and 0 <= start < end <= len(source)):
        raise ValueError(f"a mention's offsets {_short(start)}-{_short(end)} are not within its {field_name} "
                         f"({len(source)} characters)")
    if kind not in ENTITY_KINDS or finder not in FINDERS:
        raise ValueError(f"a mention's kind {_short(kind)} or finder {_short(finder)} is unknown")
    if not (gazetteer_name is None or isinstance(gazetteer_name, str)) or not isinstance(norm, str):
        raise ValueError("a mention's gazetteer name or norm is not text")
    span = source[start:end]
    if text is not None and text != span:
        raise ValueError(f"a mention's text {_short(text)} is not the document's {_short(span)}")
    return Mention(doc.doc_id, field_name, start, end, span, kind, finder, gazetteer_name, norm=norm)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
