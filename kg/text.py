"""Text as kg takes it from any input (no control characters) and shows it on a terminal (escaped)."""
from __future__ import annotations

import re

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
