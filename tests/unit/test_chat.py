"""``inkbook chat``: a client conversation in the terminal, artist notifications distinct."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable

from entrypoints.chat import run_chat
from entrypoints.container import build_container
from entrypoints.settings import load_settings

HAPPY = ["hi", "A fine-line swallow", "left forearm", "10x12cm", "fine line", "2",
         "2",  # tap the second button: "No" to the cover-up question
         "none", "£400", "London, UK",
         "1",  # tap "All correct" under the summary
         "Zoe", "weekday afternoons", "/status"]


def _script(lines: list[str]) -> Callable[[], str | None]:
    queue = list(lines)
    return lambda: queue.pop(0) if queue else None


async def _chat(lines: list[str]) -> str:
    container = build_container(load_settings(env={"INKBOOK_DATABASE_URL": "memory://"}))
    out = io.StringIO()
    await run_chat(container, "447700900001", _script(lines), out)
    return out.getvalue()


async def test_B10_B15_chat_takes_a_client_from_hi_to_pending_approval() -> None:
    screen = await _chat(HAPPY)
    assert "Inkwell Studio › " in screen
    assert "[1] Yes   [2] No" in screen  # the cover-up question has buttons
    assert "to the artist" in screen  # the brief is drawn apart from the client's view
    assert "PENDING_APPROVAL" in screen.splitlines()[-1]


async def test_B8_B22_chat_handover_continue_stop_and_start_by_typing() -> None:
    screen = await _chat(["hi", "a swallow", "HUMAN", "hello?", "CONTINUE", "left forearm",
                          "/status", "STOP", "are you there?", "/status", "START", "/status"])
    statuses = [line for line in screen.splitlines() if "(lead " in line]
    assert "question size" in statuses[0] and "QUALIFYING" in statuses[0]
    assert "OPTOUT" in statuses[1]
    assert "QUALIFYING" in statuses[2] and "question idea" in statuses[2]
    lines = screen.splitlines()
    marks = [i for i, line in enumerate(lines) if "(lead " in line]
    said = [sum("Inkwell Studio ›" in line for line in lines[a:b])
            for a, b in itertools.pairwise(marks)]
    assert said == [1, 2]  # STOP: one confirmation, then silence; START: welcome + question


async def test_B12_chat_three_bad_sizes_hand_over_to_the_artist() -> None:
    screen = await _chat(["hi", "a swallow", "forearm", "umm", "the usual", "banana", "/status"])
    assert "handover parse_failures" in screen.splitlines()[-1]


async def test_B24_B33_B35_chat_walks_a_lead_from_hi_to_a_paid_deposit_and_a_slot_offer() -> None:
    screen = await _chat([*HAPPY[:-1], "/pay", "/approve", "/approve", "/status", "/pay",
                          "/status", "/reply See you soon!", "/reject"])
    lines = screen.splitlines()
    assert "(no deposit link yet: /approve first)" in lines
    assert "http://127.0.0.1:8000/pay/cs_fake_" in screen  # the deposit link, to the client
    assert any(line.startswith("(artist: approve done; status AWAITING_DEPOSIT)") for line in lines)
    assert "(already done: status AWAITING_DEPOSIT)" in lines  # approving again sends nothing
    statuses = [line for line in lines if line.startswith("(lead ")]
    # Paid: the slots of the studio's calendar are offered at once (B-35).
    assert "AWAITING_DEPOSIT" in statuses[0] and "BOOKING_PENDING" in statuses[1]
    paid = screen.split(statuses[0])[1]
    assert "£80" in paid and "non-refundable" in paid  # the confirmation, with the policy
    assert "Deposit of £80 paid by Zoe" in paid  # the artist is told
    assert "   [1] " in paid  # the slots, as a list to tap
    assert "Inkwell Studio › See you soon!" in lines  # the artist's own words, verbatim
    assert lines[-1].startswith("(not possible now: reject is not possible from BOOKING_PENDING")


async def test_B36_B50_chat_walks_a_paid_lead_to_a_booked_slot_and_its_calendar_file() -> None:
    screen = await _chat([*HAPPY[:-1], "/approve", "/pay", "1", "/status"])
    lines = screen.splitlines()
    assert "BOOKED" in lines[-1]
    booked = screen.split("   [1] ")[-1]
    assert "/bookings/" in booked and ".ics" in booked  # the add-to-calendar link (B-50)
