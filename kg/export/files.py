"""Atomic file writes confined to an output folder."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


class OutputError(Exception):
    """An output file cannot be written where it was asked to go."""


def output_path(folder: str | Path, name: str) -> Path:
    """``folder/name``, refusing names that would escape the folder ("../x", "/etc/x")."""
    base = Path(folder).resolve()
    target = (base / name).resolve()
    if target.parent != base:
        raise OutputError(f"refusing to write {name!r} outside the output folder {base}")
    return target


def atomic_write(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    The data goes to a temporary file in the same folder, which then replaces the
    target in one step; an interrupted write leaves the previous file intact.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
