"""Text shared by the bad-input tests: a good page to read beside bad ones, and what no field may hold."""
from __future__ import annotations

import re

# A small complete search page; bad-input tests read it in the same run to show
# that one bad file or entry costs nothing else.
GOOD_PAGE = """Skip to content

1 - 2 of 2

July 12, 1945

Record of a Meeting Between T.V. Soong and Stalin

Stalin and T.V. Soong review outstanding issues affecting Sino-Soviet relations in 1945.

March 7, 1952

Cable, Zhou Enlai to Filippov [Stalin]

Zhou Enlai's request to Stalin to increase its assistance.
"""
GOOD_TITLES = {"Record of a Meeting Between T.V. Soong and Stalin", "Cable, Zhou Enlai to Filippov [Stalin]"}
# Characters that no document field may carry after reading (XML 1.0 cannot, and a
# lone surrogate cannot even be written as UTF-8).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
