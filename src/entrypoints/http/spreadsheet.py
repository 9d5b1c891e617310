"""The leads as a spreadsheet (issue 14): what studios had in Google Sheets before.

UTF-8 with a byte-order mark (so Excel reads accents right), CRLF rows and quoting
by the ``csv`` module, and every cell that a spreadsheet would run as a formula
(starting with ``= + - @``, a tab or a carriage return) prefixed with ``'`` (OWASP's
advice against CSV injection). Columns: the lead's fields, then each answered
question's understood values, in the studio's question order.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from core.domain.lead import Lead
from entrypoints.http.understood import understood

BOM = "\ufeff"
LEAD_COLUMNS = ("id", "studio", "contact", "name", "status", "handover_reason",
                "created_at", "last_client_message_at", "deposit", "deposit_paid",
                "booking_start")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _lead_cells(lead: Lead) -> dict[str, Any]:
    deposit, booking = lead.deposit, lead.booking
    return {
        "id": lead.id,
        "studio": lead.studio,
        "contact": lead.contact,
        "name": lead.name,
        "status": lead.status,
        "handover_reason": lead.handover_reason,
        "created_at": lead.times.created.isoformat(),
        "last_client_message_at": lead.times.last_client_message.isoformat()
        if lead.times.last_client_message else None,
        "deposit": f"{deposit.amount / 100:.2f} {deposit.currency}" if deposit else None,
        "deposit_paid": ("yes" if deposit.paid_at else "no") if deposit else None,
        "booking_start": booking.start.isoformat() if booking else None,
    }


def leads_csv(leads: Sequence[Lead], question_order: Iterable[str] = ()) -> str:
    rows = []
    columns: dict[str, None] = dict.fromkeys(LEAD_COLUMNS)
    rank = {key: i for i, key in enumerate(question_order)}
    answer_columns: dict[str, int] = {}
    for lead in leads:
        row = _lead_cells(lead)
        for key, fields in understood(lead).items():
            for column, value in fields.items():
                answer_columns.setdefault(column, rank.get(key, len(rank)))
                row[column] = value
        rows.append(row)
    for column in sorted(answer_columns, key=lambda c: answer_columns[c]):  # stable
        columns[column] = None
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(neutral(row.get(column)) for column in columns)
    return BOM + out.getvalue()
