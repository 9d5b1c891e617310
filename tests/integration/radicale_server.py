"""A real CalDAV server for the caldav adapter tests: Radicale (PyPI ``radicale``).

Started once per test process on 127.0.0.1 with a free port, temporary storage
and no authentication (any user name and password are accepted; each user owns
the collections under its name); stopped when the session ends (or the process
exits). ``new_calendar()`` creates an empty calendar for one test.
"""

from __future__ import annotations

import atexit
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import caldav

USERNAME = "artist"
PASSWORD = "not-checked"  # Radicale runs with auth type "none"
STARTUP_TIMEOUT = 20.0  # seconds


@dataclass
class Radicale:
    url: str
    process: subprocess.Popen[bytes]
    folder: Path


_server: Radicale | None = None
_guard = threading.Lock()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def radicale() -> Radicale:
    """The running server, started on first use."""
    global _server
    with _guard:
        if _server is None or _server.process.poll() is not None:
            _server = _start()
            atexit.register(stop_radicale)
        return _server


def _start() -> Radicale:
    folder = Path(tempfile.mkdtemp(prefix="inkbook-radicale-"))
    port = _free_port()
    command = [
        *(sys.executable, "-m", "radicale", "--config", ""),
        *("--server-hosts", f"127.0.0.1:{port}"),
        *("--storage-filesystem-folder", str(folder / "collections")),
        *("--auth-type", "none", "--rights-type", "owner_only"),
        *("--logging-level", "warning"),
    ]
    log = (folder / "radicale.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return Radicale(url=url, process=process, folder=folder)
        except urllib.error.HTTPError:
            return Radicale(url=url, process=process, folder=folder)  # it answers
        except OSError:
            time.sleep(0.1)
    process.kill()
    output = (folder / "radicale.log").read_text(errors="replace")[-2000:]
    raise RuntimeError(f"Radicale did not start on {url}:\n{output}")


def new_calendar() -> str:
    """The URL of a new, empty calendar (a fresh name per call)."""
    server = radicale()
    client = caldav.DAVClient(url=server.url, username=USERNAME, password=PASSWORD, timeout=10)
    calendar = client.get_principal().make_calendar(name=f"test-{uuid.uuid4().hex[:12]}")
    return str(calendar.url)


def stop_radicale() -> None:
    """Stop the server and remove its storage (idempotent)."""
    global _server
    with _guard:
        server, _server = _server, None
    if server is None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        server.process.kill()
    shutil.rmtree(server.folder, ignore_errors=True)
