"""B-44: no statement parameters, bodies, names or answers in any log line, whatever the
error path (a database error's text quotes the failing row; SQLAlchemy's quotes the
parameters). On SQLite and PostgreSQL, through the signed webhook."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
import structlog

from adapters.sql import leads as sql_leads
from adapters.sql import pg_batch
from adapters.sql.tables import messages
from core.usecases import inbound as inbound_usecase
from entrypoints.logs import configure_logging
from tests.integration.test_http_support import CLIENT, Api, message, webhook

SECRET_TEXT = "my secret dragon across the ribs"
SECRET_NAME = "Zoë Quillfeather"


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    stream = io.StringIO()
    configure_logging("INFO", stream)
    yield stream
    structlog.reset_defaults()
    root.handlers[:] = handlers
    root.setLevel(level)


def _assert_no_client_data(output: str) -> None:
    assert output  # something was logged
    for secret in (SECRET_TEXT, "dragon", SECRET_NAME, "Quillfeather", CLIENT):
        assert secret not in output
    assert "[parameters" not in output


async def test_B44_a_database_error_logs_no_client_text(
    any_api: Api, captured_logs: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def failing_insert(self: Any, entries: Any) -> None:
        # A NOT NULL violation whose row holds the client's text (PostgreSQL's DETAIL
        # quotes the failing row, SQLAlchemy's message the parameters).
        rows = [{"lead_id": None, "direction": "in", "text": e.text, "at": e.at,
                 "message_id": e.message_id, "kind": e.kind} for e in entries]
        await self._tx.execute(sa.insert(messages), rows)

    async def failing_batch_insert(self: Any, entries: Any) -> None:
        # The same fault on the group commit's asyncpg path (PostgreSQL): asyncpg's error
        # text quotes the row too.
        for e in entries:
            self._uow.buffer(pg_batch.INSERT_THREAD, [None, "in", e.text, e.at, e.message_id,
                                                      e.kind])

    monkeypatch.setattr(sql_leads.SqlLeadRepo, "add_thread", failing_insert)
    monkeypatch.setattr(pg_batch.PgBatchLeads, "add_thread", failing_batch_insert)
    response = await any_api.post_meta(webhook([message("wamid.err", SECRET_TEXT)],
                                               name=SECRET_NAME))

    assert response.status_code == 503  # not recorded: Meta retries
    output = captured_logs.getvalue()
    assert "IntegrityError" in output  # the kind of fault is still there for the operator
    _assert_no_client_data(output)


async def test_B44_a_failing_decide_logs_no_client_text(
    any_api: Api, captured_logs: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(lead: Any, inbound: Any, ctx: Any) -> Any:
        raise ValueError(f"could not read {inbound.text()!r} from {lead.name}")

    monkeypatch.setattr(inbound_usecase, "decide", broken)
    response = await any_api.post_meta(webhook([message("wamid.bug", SECRET_TEXT)],
                                               name=SECRET_NAME))

    assert response.status_code == 200  # kept, the artist alerted (B-9)
    output = captured_logs.getvalue()
    assert "decide failed" in output and "ValueError" in output
    _assert_no_client_data(output)
