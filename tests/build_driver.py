"""Run ``kg build`` on a graph built beforehand, optionally killing itself at one point of the exports.

    python tests/build_driver.py GRAPH_JSON POINT SIGNAL -- KG BUILD ARGUMENTS...

The build stage is replaced by reading GRAPH_JSON (the tests are about writing the
files, and the model would cost seconds per run); everything else is the real CLI.
POINT is where the process sends itself SIGNAL (a number):
  none        nowhere
  write:N     in the middle of writing the N-th file (after its first piece)
  staged      when every file is staged, before the commit
  apply:N     after the N-th file is moved into place
"""
from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    graph_json, point, signum = argv[0], argv[1], int(argv[2])
    kg_argv = argv[argv.index("--") + 1:]

    import kg.export.files as files
    import kg.pipeline
    from kg.export.json import read_json
    from kg.pipeline import BuildResult
    from kg.records import ReadReport

    graph = read_json(graph_json)
    kg.pipeline.build = lambda *args, **kwargs: BuildResult(graph, ReadReport(files_read=1), "driver")
    kind, _, number = point.partition(":")
    calls = {"n": 0}

    def kill() -> None:
        os.kill(os.getpid(), signum)

    if kind == "write":
        real_payloads = files._payloads

        def payloads(data):
            calls["n"] += 1
            mine = calls["n"] == int(number)
            for index, payload in enumerate(real_payloads(data)):
                yield payload[: len(payload) // 2] if mine else payload
                if mine:
                    kill()
        files._payloads = payloads
    elif kind == "staged":
        real_commit = files.Transaction.commit

        def commit(self):
            kill()
            return real_commit(self)
        files.Transaction.commit = commit
    elif kind == "apply":
        real_replace = files._replace

        def replace(source, target):
            real_replace(source, target)
            calls["n"] += 1
            if calls["n"] == int(number):
                kill()
        files._replace = replace

    from kg.cli import main as kg_main

    return kg_main(kg_argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
