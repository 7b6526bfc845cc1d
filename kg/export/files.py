"""Atomic file writes confined to an output folder."""
from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from kg.errors import KGError

#: Pieces of a streamed file are gathered up to this many characters per write.
WRITE_CHUNK = 1 << 20


class OutputError(KGError):
    """An output file cannot be written where it was asked to go."""


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
    """Create ``folder`` (and its parents) if missing; OutputError when a file is in the way."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as err:
        blocker = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder)
        raise OutputError(f"cannot write into the folder {folder}: {blocker} is a file, not a folder") from err
    return folder


def atomic_write(path: str | Path, data: str | bytes | Iterable[str]) -> Path:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    ``data`` may be text, bytes, or text in pieces (a generator), which are written as
    they come so that a large file is never held in memory whole.

    The data goes to a temporary file in the same folder, which then replaces the
    target in one step; an interrupted write leaves the previous file intact and no
    temporary file behind. The new file gets the previous file's permissions, or
    the usual ones for a new file (0666 less the umask), not mkstemp's private 0600.
    """
    path = Path(path)
    ensure_folder(path.parent)
    mode = _mode_for(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            for payload in _payloads(data):
                stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    return path


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
