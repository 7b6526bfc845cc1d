"""Write the hostile test corpus in corpus/ and its gazetteer (run from anywhere).

The files are committed; this script says how each was made, byte by byte, because
several are deliberately not clean UTF-8 text (raw control bytes, Windows-1252,
UTF-16, NUL bytes) and would not survive an editor. Run it again after changing it:

    python tests/data/hostile/make_corpus.py
"""
from __future__ import annotations

import codecs
import csv
import io
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
CLOSE = "</script><script>alert(2)</script>"
CDATA = "]]><![CDATA[<script>alert(3)</script>]]>"
COMMENT = "<!-- --><!--<script>"
JS_URL = "javascript:alert(4)"
XML_FORBIDDEN = "".join(chr(c) for c in [*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]) + "\x7f\ufffe\uffff"
BIDI = "\u202e\u202d\u2066\u2067\u2068\u2069\u200f\u200e"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
EMOJI = "\U0001f600\U0001f468\u200d\U0001f469\u200d\U0001f467\U0001f1f7\U0001f1fa"
ZALGO = "Z\u0337\u0322\u034ea\u0336l\u0335g\u0338o\u0335"

# Every file's text is written by a function; a bytes result is written as it is.


def injection() -> str:
    """A search page whose titles and summaries carry markup, script and template tricks."""
    return "\n".join([
        "Skip to content", "", "Results:", "", "1 - 5 of 5", "",
        "July 12, 1945", "",
        f"Record of a Meeting Between Stalin and Petrov {SCRIPT}", "",
        f"Stalin and Petrov discuss {IMG} and {CLOSE} in Moscow.", "",
        "July 13, 1945", "",
        f"Cable from Molotov to Petrov, \"{CDATA}\" & <svg onload=alert(5)>", "",
        f"Molotov writes about {JS_URL} and <a href=\"{JS_URL}\">a link</a>; &amp; &lt;b&gt; &#x3C;script&#x3E; {COMMENT}", "",
        "July 14, 1945", "",
        "{{constructor.constructor('alert(6)')()}} ${alert(7)} <iframe srcdoc=\"<script>alert(8)</script>\"></iframe>",
        "",
        "Template and prototype tricks: __proto__, constructor, prototype, toString, hasOwnProperty.", "",
        "July 15, 1945", "",
        "constructor", "",
        "A document whose whole title is a JavaScript property name.", "",
        "July 16, 1945", "",
        "__proto__", "",
        "Another: \u2028 and \u2029 are line separators inside one line. The end.", "",
    ])


def controls() -> bytes:
    """UTF-8 with a BOM, CRLF line endings, and every control character XML forbids (no NUL)."""
    text = "\r\n".join([
        "Results:", "",
        "July 20, 1945", "",
        f"Conversation between Mao Zedong and{XML_FORBIDDEN} Stalin", "",
        f"C1 controls \u0080\u0085\u0099\u009f, a form feed \x0c, DEL \x7f, U+FFFE \ufffe end{XML_FORBIDDEN}.", "",
        "July 21, 1945", "",
        "Letter from Stalin to Mao Zedong\x1b[31m in red\x1b[0m", "",
        "An ANSI escape sequence\x1b]0;title\x07 and a bell.", "",
    ])
    return codecs.BOM_UTF8 + text.encode("utf-8")


def unicode_page() -> str:
    """Bidirectional overrides, zero-width characters, emoji, combining marks, homoglyphs."""
    return "\n".join([
        "Results:", "",
        "August 1, 1945", "",
        f"Meeting Between Zhou Enlai and {BIDI}nilatS{BIDI[:1]} and Sta{ZERO_WIDTH}lin {EMOJI}", "",
        f"{ZALGO} \u0417\u0434\u0440\u0430\u0432\u0441\u0442\u0432\u0443\u0439 \u4e2d\u534e \U00020000 "
        f"\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd \uff33\uff34\uff21\uff2c\uff29\uff2e "
        f"\U0001d412\U0001d42d\U0001d41a\U0001d425\U0001d422\U0001d427.", "",
        "August 2, 1945", "",
        "Cable from St\u0430lin (Cyrillic a) to Zhou Enlai", "",
        "Homoglyphs: \u0405\u0442\u0430lin, \u13da\u13a2\u13aa\u13de\u13a5\u13c1.", "",
    ])


def windows_1252() -> bytes:
    """A Windows-1252 page, with bytes 0x81 and 0x8D that Windows-1252 leaves undefined."""
    text = ("Results:\n\nAugust 3, 1945\n\nMemorandum on \u201cCaf\u00e9 Talks\u201d \u2013 Molotov\n\n"
            "Molotov\u2019s summary.\n")
    return text.encode("cp1252") + b"Undefined bytes \x81 and \x8d.\n"


def mixed_encoding() -> bytes:
    """Mostly UTF-8 with one Windows-1252 byte: decoded as Windows-1252, with a warning."""
    return ("Results:\n\nAugust 4, 1945\n\nReport on K\u00f6ln and \u0141\u00f3d\u017a\n\nMixed bytes: ".encode()
            + b"\x93quoted\x94.\n")


def utf16() -> bytes:
    return ("Results:\r\n\r\nAugust 5, 1945\r\n\r\nTelegram from Molotov to Stalin " + SCRIPT + "\r\n\r\n"
            "A UTF-16 page.\r\n").encode("utf-16")


def nul_bytes() -> bytes:
    """A binary file with a page's suffix: reported and skipped as a whole."""
    return b"August 6, 1945\n\nBinary\x00\x00\x00 file\n" + bytes(range(256))


def repeated() -> str:
    """One entry 300 times, and the same title in other cases, spaces and quotes."""
    entry = ["August 7, 1945", "", "Record of a Meeting Between Stalin and Molotov", "", "They met again.", ""]
    variants = ["RECORD OF A MEETING BETWEEN STALIN AND MOLOTOV", "Record  of a  Meeting Between Stalin and Molotov",
                "record of a meeting between stalin and molotov"]
    lines = ["Results:", ""] + entry * 300
    for variant in variants:
        lines += ["August 7, 1945", "", variant, "", "A variant.", ""]
    return "\n".join(lines)


def long_lines() -> str:
    """A title far too long (skipped), a 20,000-character summary and a 20,000-character word."""
    return "\n".join([
        "Results:", "",
        "August 8, 1945", "",
        "Stalin " * 1000, "",
        "Dropped.", "",
        "August 9, 1945", "",
        f"Long Summary {SCRIPT}", "",
        SCRIPT * 800, "",
        "August 10, 1945", "",
        "Long Word", "",
        "x" * 20_000 + ".", "",
    ])


def records() -> str:
    """JSON Lines: escaped controls and lone surrogates, bad URLs, broken and odd lines."""
    rows = [
        {"date": "1945-08-11", "title": "Escaped controls \u0000\u0001\u0008\u000b\u000c\u001f\u007f\ufffe\uffff end",
         "summary": "NUL \u0000 and DEL \u007f", "url": JS_URL},
        {"date": "1945-08-12", "title": "Lone surrogates \ud800 and \udfff and a pair \ud83d\ude00",
         "summary": "High \udbff low \udc00.", "url": "  JAVASCRIPT:alert(1)"},
        {"date": "1945-08-13", "title": f"Script in JSON {CLOSE}", "summary": f"{CDATA} {COMMENT} \u2028 \u2029",
         "url": "data:text/html,<script>alert(1)</script>"},
        {"date": "1945-08-14", "title": "Quote in URL", "summary": "An attribute breakout.",
         "url": "https://example.org/\"><script>alert(1)</script>"},
        {"date": "1945-08-15", "title": "A fine link", "summary": "Fine.", "url": "https://digitalarchive.wilsoncenter.org/document/1"},
        {"date": "c. 1945 " * 40, "title": "A date far too long", "summary": "Kept, undated."},
        {"date": float("nan"), "title": {"nested": ["title", {"object": SCRIPT}]}, "text": ["a", "list"]},
    ]
    lines = [json.dumps(row, ensure_ascii=True, allow_nan=True) for row in rows]
    lines += [
        '{"date": "1945-08-16", "title": ',  # cut short
        json.dumps(["a list", "not an object"]),
        '{"date": "1945", "title": ' + "9" * 5000 + "}",  # a number beyond Python's 4,300 digits
        "[" * 5_000 + "]" * 5_000,  # nested beyond the parser's recursion limit (1,000)
        '{"title": "\\ud800\\udfff\\ud800"}',
    ]
    return "\n".join(lines) + "\n"


def records_csv() -> str:
    """CSV with spreadsheet formulas, quotes, newlines inside fields and script."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["date", "title", "summary", "url"])
    writer.writerow(["1945-08-17", '=HYPERLINK("http://example.invalid/x","click")', "+1+1 -2+3 @SUM(A1)", ""])
    writer.writerow(["1945-08-18", f"Quotes \"\" and , commas {SCRIPT}", "A summary\nover two lines,\r\nand three.", JS_URL])
    writer.writerow(["1945-08-19", "\tTab first", "\x1b[2J cleared screen", ""])
    return buffer.getvalue()


def gazetteer() -> str:
    """Entities whose names, aliases and descriptions are hostile, so that they reach node labels."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["name", "kind", "aliases", "description"])
    writer.writerow([f"Ivan {SCRIPT} Petrov", "person", f"Petrov|I. {IMG} Petrov",
                     f"Envoy {CLOSE} {CDATA} & {COMMENT} {JS_URL}"])
    writer.writerow(["Zhou Enlai", "person", f"Zhou|Chou En-lai {EMOJI}", f"Premier {BIDI}{ZERO_WIDTH}"])
    writer.writerow(["Moscow", "place", "", f"Capital \"quoted\" 'single' <b>bold</b> {SCRIPT}"])
    return buffer.getvalue()


FILES = {
    "injection.txt": injection,
    "controls.txt": controls,
    "unicode.txt": unicode_page,
    "windows-1252.txt": windows_1252,
    "mixed-encoding.txt": mixed_encoding,
    "utf16.txt": utf16,
    "nul-bytes.txt": nul_bytes,
    "repeated.txt": repeated,
    "long-lines.txt": long_lines,
    "records.jsonl": records,
    "records.csv": records_csv,
}


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    for name, make in FILES.items():
        content = make()
        data = content if isinstance(content, bytes) else content.encode("utf-8", errors="surrogatepass")
        (CORPUS / name).write_bytes(data)
    (HERE / "gazetteer.csv").write_text(gazetteer(), encoding="utf-8", newline="")


if __name__ == "__main__":
    main()
