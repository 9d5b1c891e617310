"""A local fake of Twilio's Messages API: a real HTTP server on 127.0.0.1, port 0.

It implements ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` as
PROVIDERS.md C and twilio-python's ``MessageList.create`` describe it:

- HTTP Basic auth with the account sid and auth token (401, code 20003, otherwise);
  the sid in the path must be the one authenticated (404, code 20404);
- form parameters validated: ``To`` and ``From`` as ``whatsapp:+<digits>`` (21211,
  21212), ``Body`` (at most 1,600 characters, 21617) or ``ContentSid`` (``HX...``,
  with ``ContentVariables`` a JSON object, 21656), one of them (21619);
- errors in Twilio's body shape ``{"code", "message", "more_info", "status"}``;
- switchable failures: ``fail_next(code, status, retry_after=...)`` queues errors for
  the next requests; ``close_window(number)`` answers free-form messages to that
  number with 63016 (templates still go); ``invalid(number)`` answers 21211.

``messages`` lists the accepted requests (their form fields) in order.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import secrets
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

ACCOUNT_SID = "AC" + "0a1b2c3d4e5f60718293a4b5c6d7e8f9"[:32]
AUTH_TOKEN = "fake_twilio_auth_token"
_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>AC[0-9a-fA-F]{32})/Messages\.json$")
_ADDRESS = re.compile(r"^whatsapp:\+[1-9]\d{6,14}$")
BODY_MAX = 1600


class TwilioError(Exception):
    def __init__(self, status: int, code: int, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.retry_after = status, code, message, retry_after


class FakeTwilio:
    def __init__(self, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.messages: list[dict[str, str]] = []
        self.requests = 0
        self.connections = 0  # TCP connections accepted (kept alive: HTTP/1.1)
        self._failures: deque[TwilioError] = deque()
        self._closed: set[str] = set()
        self._invalid: set[str] = set()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.url = ""

    # -- switches --------------------------------------------------------------------
    def fail_next(
        self, code: int, status: int = 400, message: str = "", retry_after: float | None = None
    ) -> None:
        with self._lock:
            error = TwilioError(status, code, message or f"error {code}", retry_after)
            self._failures.append(error)

    def close_window(self, number: str) -> None:
        self._closed.add(_digits(number))

    def invalid(self, number: str) -> None:
        self._invalid.add(_digits(number))

    def to(self, number: str) -> list[dict[str, str]]:
        return [m for m in self.messages if _digits(m["To"]) == _digits(number)]

    # -- the API ---------------------------------------------------------------------
    def create(self, path: str, authorization: str | None, form: dict[str, str]) -> dict[str, Any]:
        with self._lock:
            self.requests += 1
            match = _PATH.match(path)
            if match is None:
                raise TwilioError(404, 20404, f"The requested resource {path} was not found")
            if authorization != _basic(self.account_sid, self.auth_token):
                raise TwilioError(401, 20003, "Authenticate")
            if match["sid"] != self.account_sid:
                raise TwilioError(404, 20404, f"The requested resource {path} was not found")
            if self._failures:
                raise self._failures.popleft()
            self._validate(form)
            sid = f"SM{next(self._ids):032x}"
            self.messages.append(form)
            return {
                "sid": sid,
                "account_sid": self.account_sid,
                "to": form["To"],
                "from": form["From"],
                "body": form.get("Body", ""),
                "status": "queued",
                "num_media": "0",
                "api_version": "2010-04-01",
                "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
            }

    def _validate(self, form: dict[str, str]) -> None:
        to, sender = form.get("To", ""), form.get("From", "")
        if not _ADDRESS.match(to) or _digits(to) in self._invalid:
            raise TwilioError(400, 21211, f"Invalid 'To' Phone Number: {to[:40]}")
        if not _ADDRESS.match(sender):
            raise TwilioError(400, 21212, f"Invalid 'From' Number: {sender[:40]}")
        body, content = form.get("Body"), form.get("ContentSid")
        if not body and not content:
            raise TwilioError(400, 21619, "A text message body or media URL is required")
        if body and len(body) > BODY_MAX:
            raise TwilioError(400, 21617, "The concatenated message body exceeds 1600 characters")
        if content is not None:
            if not re.fullmatch(r"HX[0-9a-fA-F]{32}", content):
                raise TwilioError(400, 21656, "The ContentSid is invalid")
            try:
                variables = json.loads(form.get("ContentVariables", "{}"))
            except ValueError:
                variables = None
            if not isinstance(variables, dict):
                raise TwilioError(400, 21656, "The ContentVariables parameter is invalid")
        elif _digits(to) in self._closed:
            raise TwilioError(
                400, 63016, "Failed to send freeform message because you are outside the "
                "allowed window. If you are using WhatsApp, please use a Message Template."
            )


def _digits(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit())


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class _Handler(BaseHTTPRequestHandler):
    fake: FakeTwilio
    protocol_version = "HTTP/1.1"  # keep-alive, as api.twilio.com: each answer has a length

    def setup(self) -> None:
        super().setup()
        with self.fake._lock:
            self.fake.connections += 1

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8")
        form = dict(parse_qsl(raw, keep_blank_values=True))
        try:
            self._answer(201, self.fake.create(self.path, self.headers.get("Authorization"), form))
        except TwilioError as error:
            body = {
                "code": error.code,
                "message": error.message,
                "more_info": f"https://www.twilio.com/docs/errors/{error.code}",
                "status": error.status,
            }
            headers = {} if error.retry_after is None else {"Retry-After": f"{error.retry_after:g}"}
            self._answer(error.status, body, headers)

    def _answer(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        content = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Twilio-Request-Id", "RQ" + secrets.token_hex(16))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet tests


@contextmanager
def running(fake: FakeTwilio | None = None) -> Iterator[FakeTwilio]:
    """Serve ``fake`` on 127.0.0.1 (a free port) in the ``with`` block, at ``fake.url``."""
    fake = fake or FakeTwilio()
    handler = type("Handler", (_Handler,), {"fake": fake})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
