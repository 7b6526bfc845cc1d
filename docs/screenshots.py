"""Make the README's pictures of graph.html from the real archive pages, in headless Chromium.

    .venv/bin/python docs/screenshots.py [--pages ../shared/archive-pages] [--out docs/]

Builds graph.html of the archive pages (both folders), opens it offline at 1400×900 and
saves, using the page's own controls:

- ``graph.png``: the first view, the actor network;
- ``graph-timeline.png``: a range dragged on the timeline (1950–1953), the view filtered to it;
- ``graph-actor.png``: an actor found with Find, its network and its panel (names,
  people met and written to, documents with the words that name it).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from headless import browser, open_ready  # noqa: E402

ACTOR = "Mao Zedong"
RANGE = ("1950", "1953")


def open_page(driver, html: Path) -> None:
    open_ready(driver, html, timeout=60)
    time.sleep(0.3)


def drag_range(driver, first: str, last: str) -> None:
    """Drag on the histogram from the start of ``first`` to the end of ``last``, as a reader would."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    histogram = driver.find_element(By.ID, "kg-histogram")
    start, end = driver.execute_script("""
        var canvas = document.getElementById('kg-histogram'), labels = arguments[0];
        var n = window.kg.timeline.buckets.length, step = (canvas.clientWidth - 24) / n;
        function at(label) { return window.kg.timeline.buckets.findIndex(function (b) { return b.label === label; }); }
        return [12 + (at(labels[0]) + 0.5) * step, 12 + (at(labels[1]) + 0.5) * step];""", [first, last])
    width = histogram.size["width"]
    ActionChains(driver).move_to_element_with_offset(histogram, int(start - width / 2), 0).click_and_hold() \
        .move_by_offset(int(end - start), 0).release().perform()
    time.sleep(0.5)


def main() -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from kg.export import write_formats
    from kg.pipeline import build

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=ROOT.parent / "shared" / "archive-pages")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    if not args.pages.is_dir():
        sys.exit(f"screenshots: {args.pages} is not a folder of archive pages")
    work = Path(tempfile.mkdtemp(prefix="kg-screenshots-"))
    (html,) = write_formats(build([args.pages]).graph, work, ["html"])
    driver = browser()
    try:
        open_page(driver, html)
        driver.save_screenshot(str(args.out / "graph.png"))
        drag_range(driver, *RANGE)
        driver.save_screenshot(str(args.out / "graph-timeline.png"))
        open_page(driver, html)
        search = driver.find_element(By.ID, "kg-search")
        search.send_keys(ACTOR, Keys.ENTER)
        time.sleep(0.5)
        # the panel's partners and documents, rather than the legend above them
        driver.execute_script("var side = document.getElementById('kg-side');"
                              " side.scrollTop = document.getElementById('kg-details').offsetTop - side.offsetTop;")
        time.sleep(0.2)
        driver.save_screenshot(str(args.out / "graph-actor.png"))
    finally:
        driver.quit()
        shutil.rmtree(work, ignore_errors=True)
    for name in ("graph.png", "graph-timeline.png", "graph-actor.png"):
        print(f"wrote {args.out / name}")


if __name__ == "__main__":
    main()
