"""Text as kg takes it from any input (no control characters) and shows it on a terminal (escaped)."""
from __future__ import annotations

import re
from pathlib import Path

# C0 controls (but tab and newline), DEL, lone surrogates (JSON can escape them:
# "\ud800") and the noncharacters U+FFFE and U+FFFF: no text has them, XML cannot
# carry them, and a lone surrogate cannot even be encoded as UTF-8.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# What a terminal would act on rather than show: every C0 and C1 control (a newline
# forges a line, ESC and CSI start escape sequences), DEL, the bidirectional
# overrides and isolates that reorder what follows them, and lone surrogates.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNPRINTABLE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def remove_controls(text: str) -> str:
    """``text`` without control characters (tab and newline stay), lone surrogates and U+FFFE/U+FFFF."""
    return _CONTROL.sub("", text)


def read_user_csv(path: Path, *, kind: str, error: type[Exception]) -> str:
    """The text of a user's ``kind`` CSV file ("gazetteer", "corrections"): UTF-8, a BOM
    allowed, without control characters.

    What cannot be read raises ``error`` with a message naming the file: a folder or a
    pipe (which would block the read), a missing file, an unreadable or undecodable one.
    """
    try:
        if path.exists() and not path.is_file():
            raise error(f"{path}: not a regular file; expected a {kind} CSV")
        return remove_controls(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise error(f"{path}: no such {kind} file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise error(f"{path}: cannot read {kind} file ({err})") from None


def printable(text: str) -> str:
    """``text`` with everything a terminal would act on shown as an escape: "a\\nb" for a newline."""
    return _UNPRINTABLE.sub(_escape, text)


def json_printable(text: str) -> str:
    """JSON text with the characters of ``printable`` escaped the JSON way (the same JSON).

    C0 controls are left: the JSON encoder escapes those inside strings, and outside
    them its newlines are the layout.
    """
    return _UNPRINTABLE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _escape(match: re.Match) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
