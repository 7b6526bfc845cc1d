"""Score kg on the annotated pages of ../shared: build them, run evaluate.py, print the tables.

    .venv/bin/python benchmarks/quality.py            # markdown tables on stdout
    .venv/bin/python benchmarks/quality.py --json     # the evaluate.py reports

Builds the sample corpus (seed-gold.json), archive pages 001-015 (dev-gold.json) and
pages 016-045 (dev2-gold.json), each on its own and without the extraction cache, with
the kg of this checkout, and scores each graph.json with ../shared/eval/evaluate.py (the
project's README figures come from this script).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SETS = (
    ("sample corpus", "seed-gold.json", None),
    ("archive pages 001–015", "dev-gold.json", range(1, 16)),
    ("archive pages 016–045", "dev2-gold.json", range(16, 46)),
)
KINDS = ("person", "place", "organization", "entities")
RELATIONS = ("meetings", "correspondence")


def _evaluator():
    spec = importlib.util.spec_from_file_location("kg_gold_evaluate", SHARED / "eval" / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_all(work: Path) -> dict[str, dict]:
    from kg.export.json import write_json
    from kg.pipeline import build

    evaluate = _evaluator()
    reports = {}
    for label, gold_name, pages in SETS:
        folder = work / gold_name.removesuffix(".json")
        folder.mkdir(parents=True)
        if pages is None:
            for page in sorted((SHARED / "corpus").glob("*.txt")):
                shutil.copy(page, folder)
        else:
            for number in pages:
                shutil.copy(SHARED / "archive-pages" / "search" / f"{number:03d}.txt", folder)
        path = work / f"{folder.name}-graph.json"
        write_json(build([folder]).graph, path)
        graph = evaluate.Graph(json.loads(path.read_text(encoding="utf-8")))
        gold = evaluate.Gold(json.loads((SHARED / "eval" / gold_name).read_text(encoding="utf-8")))
        reports[label] = evaluate.evaluate(graph, gold)
    return reports


def tables(reports: dict[str, dict]) -> str:
    def cell(r: dict) -> str:
        return f"{r['precision']:.3f} / {r['recall']:.3f} / **{r['f1']:.3f}**"

    lines = [
        "| corpus | " + " | ".join(KINDS + RELATIONS) + " | resolution |",
        "|---" * (len(KINDS) + len(RELATIONS) + 2) + "|",
    ]
    for label, report in reports.items():
        row = [cell(report[key]) for key in KINDS + RELATIONS]
        lines.append(f"| {label} | " + " | ".join(row) + f" | {report['resolution']['accuracy']:.3f} |")
    lines.append("")
    lines.append("Each cell: precision / recall / **F1**; resolution: the share of gold entities that are one node.")
    traces = [(label, name, t) for label, r in reports.items() for name, t in r["traces"].items()]
    if traces:
        lines += ["", "| corpus | trace | precision | recall |", "|---|---|---|---|"]
        lines += [f"| {label} | {name} | {t['precision']:.3f} | {t['recall']:.3f} |" for label, name, t in traces]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print evaluate.py's reports as JSON")
    args = parser.parse_args(argv)
    if not (SHARED / "eval" / "evaluate.py").is_file():
        print(f"quality.py: {SHARED} is absent: the annotated pages and their gold live there", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as work:
        reports = score_all(Path(work))
    print(json.dumps(reports, indent=2, ensure_ascii=False) if args.json else tables(reports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
