"""A real Inkbook service for the browser tests: uvicorn on 127.0.0.1 (a free port), a
temporary SQLite file, the outbox relay running, and an in-memory messenger (the fake
provider) whose deliveries the tests read. Logins are made with ``inkbook users add``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from dependency_injector import providers

from adapters.memory import MemoryMessenger
from adapters.meta import sign
from entrypoints.container import build_container
from entrypoints.service import serving_app
from tests.integration.test_http_support import APP_SECRET, environment, settings_for

EMAIL = "mara@inkwell.example"
PASSWORD = "correct horse battery"
WAIT = 10.0  # seconds for anything the tests wait for


def wait_for(check: Callable[[], Any], what: str, timeout: float = WAIT) -> Any:
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class LiveServer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.settings = settings_for(folder, inbox_poll="0.2s")
        self.container = build_container(self.settings)
        self.messenger = MemoryMessenger()
        self.container.messenger.override(providers.Object(self.messenger))
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            serving_app(self.container, relay=True), log_config=None, access_log=False,
            lifespan="on", timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )
        self._sent = 0

    def start(self) -> LiveServer:
        self._thread.start()
        wait_for(lambda: self._server.started, "the server to start")
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self._socket.close()

    def add_login(self, email: str = EMAIL, password: str = PASSWORD,
                  studio: str = "demo") -> None:
        """``inkbook users add EMAIL --studio ID --password-stdin``, as an operator would."""
        env = {**os.environ, **environment(self.folder)}
        done = subprocess.run(
            [sys.executable, "-m", "entrypoints.cli", "users", "add", email, "--studio", studio,
             "--password-stdin"],
            input=password + "\n", env=env, capture_output=True, text=True, timeout=60,
        )
        assert done.returncode == 0, done.stderr

    def client_says(self, text: str, contact: str = "447911123456", name: str = "Zoë") -> None:
        """A signed Meta webhook with one client text message."""
        from tests.integration.test_http_support import message, now_ts, webhook

        self._sent += 1
        body = webhook([message(f"wamid.browser.{contact}.{self._sent}", text, contact=contact,
                                ts=now_ts(self._sent))], name=name)
        response = httpx.post(
            f"{self.url}/webhooks/meta", content=body, timeout=WAIT,
            headers={"Content-Type": "application/json",
                     "X-Hub-Signature-256": sign(APP_SECRET, body)},
        )
        assert response.status_code == 200, response.text

    def lead_id(self, contact: str = "447911123456") -> str:
        response = httpx.get(f"{self.url}/api/leads", timeout=WAIT,
                             headers={"Authorization": "Bearer admin-key-for-tests"})
        [lead] = [lead for lead in response.json()["leads"] if lead["contact"] == contact]
        return str(lead["id"])

    def delivered(self, to: str = "447911123456") -> list[str]:
        return self.messenger.texts(to)
