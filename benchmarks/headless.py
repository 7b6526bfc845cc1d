"""Headless Chromium with the network cut off, for the page-load benchmark and the README pictures."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

WIDTH, HEIGHT = 1400, 900
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
         "--disable-background-networking", "--no-first-run")


def browser():
    """A Chromium driver (selenium, the system's chromedriver), offline, at WIDTH x HEIGHT."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = next(p for p in map(shutil.which, ("chromium", "chromium-browser")) if p)
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                              options=options)
    return cut_off(driver)


def cut_off(driver, width: int = WIDTH, height: int = HEIGHT):
    """``driver`` with its network off and a ``width`` x ``height`` window of device scale 1."""
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    return driver


def open_ready(driver, html: Path, timeout: float = 120) -> float:
    """Open ``html`` and wait for ``window.kg.ready``; ``window.kg.readyAt`` (ms since navigation start)."""
    driver.get("about:blank")
    driver.get(html.resolve().as_uri())
    deadline = time.monotonic() + timeout
    while not driver.execute_script("return !!(window.kg && window.kg.ready)"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{html} was not ready within {timeout:.0f} s")
        time.sleep(0.02)
    return driver.execute_script("return window.kg.readyAt")
