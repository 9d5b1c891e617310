#!/usr/bin/env python3
"""Run Inkbook from a fresh clone with nothing but Python 3.11+.

    python3 dev.py serve      # the service on http://127.0.0.1:8000 (SQLite, no credentials)
    python3 dev.py test       # the whole test suite (unit, contract, integration)

Any other arguments go to the ``inkbook`` command (``python3 dev.py chat``) or,
after ``test``, to pytest (``python3 dev.py test -k B17``). The first run makes
``.venv`` and installs the project into it; later runs reuse it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".inkbook-installed"


def ensure_env(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py runs under any python3)
        sys.exit(f"Inkbook needs Python 3.11 or newer (this is {sys.version.split()[0]})")
    if not (BIN / "python").exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    have = STAMP.read_text().split() if STAMP.exists() else []
    if wanted in have:
        return
    print(f"Installing Inkbook{extras} into .venv ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-e", f"{ROOT}{extras}"], check=True)
    STAMP.write_text(" ".join([*have, wanted]))


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    os.chdir(ROOT)
    if argv[0] == "test":
        ensure_env("[test]")
        return subprocess.call([str(BIN / "python"), "-m", "pytest", *argv[1:]])
    ensure_env("")
    return subprocess.call([str(BIN / "inkbook"), *argv])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
