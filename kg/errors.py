"""The one family of errors kg raises for bad input or a bad setup: the CLI prints them as one line."""
from __future__ import annotations


class KGError(Exception):
    """Something the user can fix: the message names the file (and line) and what was expected.

    Each module's own error derives from it (``kg.corpus.CorpusError``,
    ``kg.gazetteer.GazetteerError``, ``kg.export.files.OutputError``, ...), so that the
    CLI catches one class and a caller of the library can tell bad input from a bug.
    """
