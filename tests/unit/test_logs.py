"""B-44: structured logs, masked phone numbers and bodies, one correlation id per request."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from litestar import Litestar, get
from litestar.params import FromPath
from litestar.testing import AsyncTestClient

from entrypoints.logs import (
    CorrelationMiddleware,
    configure_logging,
    mask_pii,
    mask_text,
    new_request_id,
    request_id_from,
)

PHONE = "447911123456"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("447911123456", "4479******56"),
        ("+447911123456", "+4479******56"),
        ("call me on 07911123456 please", "call me on 0791*****56 please"),
        ("1234567", "1234*67"),
        ("123456", "123456"),  # six digits: error codes, not numbers
        ("code 131047 at 12:30", "code 131047 at 12:30"),
        ("a 447911123456 and b 447700900999", "a 4479******56 and b 4477******99"),
        ("", ""),
    ],
)
def test_phone_numbers_are_masked(text: str, masked: str) -> None:
    assert mask_text(text) == masked


def test_bodies_become_their_length_anywhere_in_the_event() -> None:
    event: dict[str, Any] = {
        "event": f"inbound from {PHONE}",
        "body": "my secret idea",
        "text": "hello",
        "message_text": "x" * 10,
        "caption": "",
        "nested": {"text": "abc", "items": [{"caption": "hidden"}, f"+{PHONE}"]},
        "count": 12345678,
        "missing": None,
    }

    masked = mask_pii(None, "info", event)

    assert masked == {
        "event": "inbound from 4479******56",
        "body": "<14 chars>",
        "text": "<5 chars>",
        "message_text": "<10 chars>",
        "caption": "<0 chars>",
        "nested": {"text": "<3 chars>", "items": [{"caption": "<6 chars>"}, "+4479******56"]},
        "count": 12345678,
        "missing": None,
    }


def test_a_structured_text_value_is_masked_inside() -> None:
    masked = mask_pii(None, "info", {"text": {"body": "hi", "from": PHONE}})

    assert masked == {"text": {"body": "<2 chars>", "from": "4479******56"}}


# -- configure_logging -----------------------------------------------------------------------


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    out = io.StringIO()
    configure_logging("INFO", out)
    yield out
    structlog.reset_defaults()
    structlog.contextvars.clear_contextvars()
    root.handlers[:] = handlers
    root.setLevel(level)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    """Our lines (the test client's own httpx lines left out)."""
    parsed = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [line for line in parsed if line.get("logger") != "httpx"]


def test_structlog_events_are_masked_json_lines(stream: io.StringIO) -> None:
    structlog.get_logger("inkbook.test").info("inbound", contact=PHONE, body="secret idea")

    [line] = lines(stream)
    assert line["event"] == "inbound"
    assert line["contact"] == "4479******56"
    assert line["body"] == "<11 chars>"
    assert line["level"] == "info"
    assert line["logger"] == "inkbook.test"
    assert "timestamp" in line


def test_stdlib_logging_goes_through_the_same_chain(stream: io.StringIO) -> None:
    logging.getLogger("inkbook.inbound").warning(
        "message from %s", PHONE, extra={"lead_id": "L1", "text": "a secret"}
    )

    [line] = lines(stream)
    assert line["event"] == "message from 4479******56"
    assert line["lead_id"] == "L1"
    assert line["text"] == "<8 chars>"
    assert line["level"] == "warning"


def test_tracebacks_are_masked_too(stream: io.StringIO) -> None:
    try:
        raise ValueError(f"bad contact {PHONE}")
    except ValueError:
        logging.getLogger("inkbook.test").exception("failed")

    [line] = lines(stream)
    assert "ValueError" in line["exception"]
    assert PHONE not in stream.getvalue()


def test_level_filters(stream: io.StringIO) -> None:
    logging.getLogger("inkbook.test").debug("hidden")
    structlog.get_logger("inkbook.test").debug("hidden too")

    assert lines(stream) == []


def test_configuring_twice_does_not_duplicate_lines(stream: io.StringIO) -> None:
    configure_logging("INFO", stream)

    logging.getLogger("inkbook.test").info("once")

    assert len(lines(stream)) == 1


def test_bound_context_is_in_every_line(stream: io.StringIO) -> None:
    structlog.contextvars.bind_contextvars(request_id="req-1")
    logging.getLogger("inkbook.test").info("stdlib")
    structlog.get_logger("inkbook.test").info("structlog")
    structlog.contextvars.clear_contextvars()

    assert [line["request_id"] for line in lines(stream)] == ["req-1", "req-1"]


# -- correlation ids -------------------------------------------------------------------------


@pytest.mark.parametrize("given", ["abc-123", "edge.4f3a:9", "A" * 128])
def test_sane_request_ids_are_kept(given: str) -> None:
    assert request_id_from(given) == given


@pytest.mark.parametrize("given", [None, "", "a b", "A" * 129, PHONE, "x\n", "é"])
def test_other_request_ids_are_replaced(given: str | None) -> None:
    replaced = request_id_from(given)

    assert replaced != given
    assert len(replaced) == 32


def test_generated_ids_survive_masking() -> None:
    ids = [new_request_id() for _ in range(500)]

    assert all(mask_text(i) == i for i in ids)
    assert len(set(ids)) == 500


@get("/echo/{number:str}", sync_to_thread=False)
def echo(number: FromPath[str]) -> dict[str, Any]:
    logging.getLogger("inkbook.test").info("inside %s", number)
    return {"bound": structlog.contextvars.get_contextvars().get("request_id")}


@get("/boom", sync_to_thread=False)
def boom() -> None:
    raise RuntimeError("boom")


def app() -> Litestar:
    return Litestar([echo, boom], middleware=[CorrelationMiddleware()], logging_config=None)


async def test_the_request_id_is_bound_echoed_and_logged(stream: io.StringIO) -> None:
    async with AsyncTestClient(app()) as client:
        response = await client.get(f"/echo/{PHONE}", headers={"X-Request-ID": "edge-42"})

    assert response.headers["x-request-id"] == "edge-42"
    assert response.json() == {"bound": "edge-42"}
    inside, access = lines(stream)
    assert inside["request_id"] == "edge-42"
    assert access["request_id"] == "edge-42"
    assert access["event"] == "request"
    assert access["method"] == "GET"
    assert access["path"] == "/echo/4479******56"
    assert access["status"] == 200
    assert access["duration_ms"] >= 0
    assert PHONE not in stream.getvalue()
    assert structlog.contextvars.get_contextvars() == {}  # nothing leaks past the request


async def test_requests_get_different_ids(stream: io.StringIO) -> None:
    async with AsyncTestClient(app()) as client:
        first = await client.get("/echo/x")
        second = await client.get("/echo/y")

    assert first.json()["bound"] == first.headers["x-request-id"]
    assert second.json()["bound"] == second.headers["x-request-id"]
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_a_failing_request_is_logged_with_its_status(stream: io.StringIO) -> None:
    async with AsyncTestClient(app()) as client:
        response = await client.get("/boom")

    assert response.status_code == 500
    assert response.headers["x-request-id"]
    access = [line for line in lines(stream) if line["event"] == "request"]
    assert [(line["path"], line["status"]) for line in access] == [("/boom", 500)]
