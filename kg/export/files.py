"""Output files: atomic writes, and a build's whole set of files made current in one step.

A set of files (``kg build``'s exports, a subgraph of ``kg trace --out``) is written in
a transaction (``output_transaction``):

1. under a lock on the output folder (``flock`` on the folder itself: a second writer
   waits, with a message; a killed process holds no lock), leftovers of interrupted
   transactions are cleaned up (see 4);
2. every file is written into a staging folder inside the output folder,
   ``.kg-staging-*``, together with a manifest (``.kg-build.json``: each file's size
   and SHA-256) that ties the set together;
3. the staging folder is renamed ``.kg-commit-*`` (the commit, one atomic step), and
   its files are moved over the previous ones (the manifest last), the previous
   build's files that this one does not have are removed, and the folder goes;
   SIGINT, SIGTERM and SIGHUP are held back during this step, which is a few renames;
4. a failure or a kill before the commit leaves the previous build untouched (the
   staging folder is removed then, or by the next transaction); a kill inside step 3
   (SIGKILL, a power cut) leaves a ``.kg-commit-*`` folder that the next transaction,
   and any reader (``recover_for_reading``), completes first.

So the files beside a manifest are always the ones it lists: one whole build.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import signal
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KGError

log = logging.getLogger(__name__)

#: Pieces of a streamed file are gathered up to this many characters per write.
WRITE_CHUNK = 1 << 20
#: The manifest of the build an output folder holds.
MANIFEST = ".kg-build.json"
MANIFEST_FORMAT = 1
_STAGING, _COMMIT = ".kg-staging-", ".kg-commit-"
#: atomic_write's temporary files: "." + the file's name + "." + mkstemp's 8 characters + ".tmp"
_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")
_DEFERRED_SIGNALS = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)}


class OutputError(KGError):
    """An output file cannot be written where it was asked to go; ``path`` is the file, when one is meant."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.reason = message


def _cannot_write(path: Path, err: OSError) -> OutputError:
    error = OutputError(f"cannot write {path}: {err.strerror or err}", path)
    error.reason = err.strerror or str(err)
    return error


def output_path(folder: str | Path, name: str) -> Path:
    """``folder/name``, refusing names that would escape the folder ("../x", "/etc/x").

    A name that is a link out of the folder is refused too: the path is resolved.
    """
    base = Path(folder).resolve()
    target = (base / name).resolve()
    if target.parent != base:
        raise OutputError(f"refusing to write {name!r} outside the output folder {base}")
    return target


def ensure_folder(folder: str | Path) -> Path:
    """Create ``folder`` (and its parents) if missing; OutputError when a file is in the way or it cannot be made."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as err:
        blocker = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder)
        raise OutputError(f"cannot write into the folder {folder}: {blocker} is a file, not a folder") from err
    except OSError as err:
        raise OutputError(f"cannot create the folder {folder}: {err.strerror or err}") from err
    return folder


def check_writable_folder(folder: str | Path) -> Path:
    """Make sure files can be written in ``folder``, before any work is done; OutputError if not.

    Nothing is left behind: a missing folder is not created, its nearest existing
    parent is checked instead (a file in the way, or no right to write there).
    """
    folder = Path(folder)
    existing = next((p for p in (folder, *folder.absolute().parents) if p.exists()), None)
    if existing is None or not existing.is_dir():
        raise OutputError(f"cannot write into the folder {folder}: {existing} is a file, not a folder")
    try:
        probe = tempfile.mkdtemp(prefix=_STAGING, dir=existing)
        os.rmdir(probe)
    except OSError as err:
        where = "" if existing == folder else f" (in {existing})"
        raise OutputError(f"cannot write into the folder {folder}{where}: {err.strerror or err}") from err
    return folder


def atomic_write(path: str | Path, data: str | bytes | Iterable[str]) -> Path:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    ``data`` may be text, bytes, or text in pieces (a generator), which are written as
    they come so that a large file is never held in memory whole.

    The data goes to a temporary file in the same folder, which then replaces the
    target in one step; an interrupted write leaves the previous file intact and no
    temporary file behind. The new file gets the previous file's permissions, or
    the usual ones for a new file (0666 less the umask), not mkstemp's private 0600.
    An OSError becomes an OutputError that names ``path``.
    """
    path = Path(path)
    ensure_folder(path.parent)
    mode = _mode_for(path)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise _cannot_write(path, err) from err
    try:
        with os.fdopen(handle, "wb") as stream:
            for payload in _payloads(data):
                stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as err:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise _cannot_write(path, err) from err
        raise
    _sync_folder(path.parent)
    return path


@dataclass
class Transaction:
    """The files of one build being written: ``path(name)`` is where a writer puts ``name``."""

    folder: Path  # the output folder, as the user gave it
    staging: Path
    replaces: frozenset[str] = frozenset()
    committed: bool = False

    def path(self, name: str) -> Path:
        return output_path(self.staging, name)

    def final(self, path: Path) -> Path:
        """Where a staged file ends up (``folder`` as given, so that messages name it as the user did)."""
        try:
            relative = Path(path).resolve().relative_to(self.staging.resolve())
        except ValueError:
            return Path(path)
        name = relative.parts[0] if relative.parts else ""
        match = _TEMPORARY.match(name)
        if match:  # an atomic_write temporary file: the file it was becoming
            name = name[1:].rsplit(".", 2)[0]
        return self.folder / name

    def commit(self) -> None:
        files = sorted(p for p in self.staging.iterdir() if p.is_file() and p.name != MANIFEST)
        manifest = {"format": MANIFEST_FORMAT, "files": {p.name: _describe(p) for p in files}}
        atomic_write(self.staging / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")
        committed = self.staging.with_name(_COMMIT + self.staging.name[len(_STAGING):])
        with _signals_held():
            os.rename(self.staging, committed)
            _sync_folder(committed.parent)
            self.committed = True
            _apply(committed, self.replaces)


@contextlib.contextmanager
def output_transaction(folder: str | Path, *, replaces: Iterable[str] = ()) -> Iterator[Transaction]:
    """Write a set of files into ``folder`` as one build (see the module's docstring).

    Writers put their files at ``transaction.path(name)``; after the block, they are
    in ``folder`` (``transaction.final(path)``), or, if the block failed, nothing changed.
    ``replaces``: file names that this kind of output owns, removed when the new build
    lacks them even if no manifest lists them (a folder written before manifests).
    """
    folder = Path(folder)
    base = ensure_folder(folder).resolve()
    with _locked(base):
        _recover(base)
        try:
            staging = Path(tempfile.mkdtemp(prefix=_STAGING, dir=base))
        except OSError as err:
            raise OutputError(f"cannot write into the folder {folder}: {err.strerror or err}") from err
        transaction = Transaction(folder, staging, frozenset(replaces))
        try:
            yield transaction
            transaction.commit()
        except BaseException as err:
            if transaction.committed:  # killed inside the apply: the next transaction or reader completes it
                raise
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(err, OSError):
                raise _named(transaction, err.filename, err.strerror or str(err)) from err
            if isinstance(err, OutputError) and err.path is not None:
                raise _named(transaction, err.path, err.reason) from err
            raise


def recover_for_reading(folder: str | Path) -> None:
    """Complete a build that was killed while its files were being moved into place, if any.

    A reader calls this before reading ``folder``: cheap when there is nothing to do.
    A folder that cannot be written is left as it is.
    """
    base = Path(folder)
    try:
        pending = any(entry.name.startswith(_COMMIT) for entry in os.scandir(base))
    except OSError:
        return
    if pending:
        try:
            with _locked(base.resolve()):
                _recover(base.resolve())
        except (OSError, OutputError) as err:
            log.warning("%s holds an unfinished build that cannot be completed (%s)", base, err)


def read_manifest(folder: str | Path) -> dict | None:
    """The manifest of the build in ``folder``, None when there is none (or it is damaged)."""
    path = Path(folder) / MANIFEST
    try:
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("files"), dict) else None


def manifest_problems(folder: str | Path) -> list[str]:
    """What in ``folder`` does not match its manifest (an empty list: one whole build)."""
    manifest = read_manifest(folder)
    if manifest is None:
        return [f"{folder}: no manifest ({MANIFEST})"]
    problems = []
    for name, expected in sorted(manifest["files"].items()):
        path = Path(folder) / name
        if not path.is_file():
            problems.append(f"{path}: missing")
        elif _describe(path) != expected:
            problems.append(f"{path}: not the file of this build")
    return problems


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _describe(path: Path) -> dict:
    return {"bytes": path.stat().st_size, "sha256": file_digest(path)}


def _apply(committed: Path, replaces: Iterable[str] = ()) -> None:
    """Move a committed build's files into the output folder; idempotent, so that a killed apply can be redone."""
    folder = committed.parent
    new = read_manifest(committed)
    if new is not None:  # else: the manifest was moved already, and so was everything else
        old = read_manifest(folder)
        stale = (set(old["files"]) if old else set()) | set(replaces)
        for name in sorted(stale - set(new["files"]) - {MANIFEST}):
            target = folder / name
            if target.is_file() or target.is_symlink():
                target.unlink()
                log.info("removed %s of the previous build", target)
        for path in sorted(committed.iterdir()):
            if path.name != MANIFEST and path.is_file():
                _replace(path, folder / path.name)
        _replace(committed / MANIFEST, folder / MANIFEST)
        _sync_folder(folder)
    shutil.rmtree(committed, ignore_errors=True)


def _replace(source: Path, target: Path) -> None:
    with contextlib.suppress(OSError):  # keep the permissions a user gave the previous file
        if target.is_file():
            os.chmod(source, stat.S_IMODE(target.stat().st_mode))
    os.replace(source, target)


def _recover(folder: Path) -> None:
    """With the lock held: finish committed builds, drop staged ones and stray temporary files."""
    entries = sorted(os.scandir(folder), key=lambda e: e.name)
    for entry in entries:
        if entry.name.startswith(_COMMIT) and entry.is_dir(follow_symlinks=False):
            log.info("completing the build a killed kg left in %s", folder)
            _apply(Path(entry.path))
        elif entry.name.startswith(_STAGING) and entry.is_dir(follow_symlinks=False):
            log.info("removing %s, left by an interrupted build", entry.path)
            shutil.rmtree(entry.path, ignore_errors=True)
        elif _TEMPORARY.match(entry.name) and entry.is_file(follow_symlinks=False):
            log.info("removing %s, left by an interrupted write", entry.path)
            Path(entry.path).unlink(missing_ok=True)


def remove_leftovers(folder: str | Path) -> None:
    """With ``locked_folder(folder)`` held: complete or drop what interrupted writers left in ``folder``."""
    _recover(Path(folder))


@contextlib.contextmanager
def locked_folder(folder: str | Path) -> Iterator[None]:
    """An exclusive lock on ``folder`` (see ``_locked``), for writers outside a transaction (the cache)."""
    with _locked(ensure_folder(folder)):
        yield


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on ``folder`` (flock on the folder itself, so no lock file is left);
    a second kg waits for the first, saying so. Where flock does not exist, no lock."""
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as err:
        raise OutputError(f"cannot open the folder {folder}: {err.strerror or err}") from err
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("another kg is writing into %s; waiting for it to finish", folder)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP wait until the block is done, then act as they would have.

    Python handlers that note the signal, rather than a blocked signal mask: the
    process may have other threads (a maths library's), to which the kernel would
    deliver the signal instead. Only the main thread can set handlers; elsewhere
    this is a no-op.
    """
    caught: list[int] = []
    previous = {}
    try:
        for signum in _DEFERRED_SIGNALS:
            previous[signum] = signal.signal(signum, lambda number, frame: caught.append(number))
    except ValueError:  # not the main thread
        pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for signum in caught:
            signal.raise_signal(signum)


def _named(transaction: Transaction, filename, reason: str) -> OutputError:
    """A writer's failure as an OutputError naming the file the user asked for, not a staged one."""
    note = f"{transaction.folder} still holds the previous build"
    if filename:
        path = transaction.final(Path(os.fsdecode(filename)))
        return OutputError(f"cannot write {path}: {reason}; {note}", path)
    return OutputError(f"cannot write into {transaction.folder}: {reason}; {note}")


def _payloads(data: str | bytes | Iterable[str]) -> Iterable[bytes]:
    if isinstance(data, bytes):
        yield data
        return
    if isinstance(data, str):
        yield data.encode("utf-8")
        return
    gathered: list[str] = []
    size = 0
    for piece in data:
        gathered.append(piece)
        size += len(piece)
        if size >= WRITE_CHUNK:
            yield "".join(gathered).encode("utf-8")
            gathered, size = [], 0
    yield "".join(gathered).encode("utf-8")


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


#: For type checkers: what ``write_formats``' ``extra`` receives.
ExtraFiles = Callable[[Transaction], list[Path]]
