"""The memory messenger's failure queue and the manual clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from adapters.memory import ManualClock, MemoryMessenger, SentMessage
from adapters.system import SystemClock
from core.domain.outbound import Button, ButtonsIntent, TemplateIntent, TextIntent
from ports.messenger import (
    PermanentFailure,
    RateLimited,
    TransientFailure,
    WindowClosed,
)

STUDIO, CLIENT, ARTIST = "112233445566778", "447911000001", "447700900000"
HELLO = TextIntent(body="Hello!")


async def test_every_send_is_recorded_with_an_increasing_provider_id() -> None:
    messenger = MemoryMessenger()
    question = ButtonsIntent(body="Ready?", buttons=(Button("yes", "Yes"), Button("no", "No")))
    first = await messenger.send(STUDIO, CLIENT, HELLO)
    second = await messenger.send(STUDIO, ARTIST, TextIntent(body="New lead"))
    third = await messenger.send(STUDIO, CLIENT, question)
    assert messenger.sent == [
        SentMessage(STUDIO, CLIENT, HELLO),
        SentMessage(STUDIO, ARTIST, TextIntent(body="New lead")),
        SentMessage(STUDIO, CLIENT, question),
    ]
    ids = [first.provider_message_id, second.provider_message_id, third.provider_message_id]
    assert ids == sorted(ids) and len(set(ids)) == 3 and messenger.ids == ids
    assert messenger.to(CLIENT) == [HELLO, question]
    assert messenger.texts(CLIENT) == ["Hello!", "Ready?\n1. Yes\n2. No"]
    sender, to, intent = messenger.sent[0]
    assert (sender, to, intent) == (STUDIO, CLIENT, HELLO)


async def test_queued_failures_hit_the_next_sends_to_that_recipient_in_order() -> None:
    messenger = MemoryMessenger()
    messenger.fail_next(CLIENT, TransientFailure("HTTP 500", 500), RateLimited(retry_after=2.5))
    await messenger.send(STUDIO, ARTIST, HELLO)  # other recipients are not affected
    with pytest.raises(TransientFailure) as server_error:
        await messenger.send(STUDIO, CLIENT, HELLO)
    assert server_error.value.code == 500
    with pytest.raises(RateLimited) as limited:
        await messenger.send(STUDIO, CLIENT, HELLO)
    assert limited.value.retry_after == 2.5
    await messenger.send(STUDIO, CLIENT, HELLO)  # queue drained: delivered
    assert [m.to for m in messenger.sent] == [ARTIST, CLIENT]
    assert [m.to for m in messenger.attempts] == [ARTIST, CLIENT, CLIENT, CLIENT]


async def test_failures_for_anyone_apply_after_the_recipients_own() -> None:
    messenger = MemoryMessenger()
    messenger.fail_next(None, WindowClosed("131047", 131047))
    messenger.fail_next(CLIENT, PermanentFailure("blocked", 130403))
    with pytest.raises(PermanentFailure):
        await messenger.send(STUDIO, CLIENT, HELLO)
    with pytest.raises(WindowClosed):
        await messenger.send(STUDIO, ARTIST, HELLO)
    template = TemplateIntent(name="reminder", language="en_GB")
    assert (await messenger.send(STUDIO, CLIENT, template)).provider_message_id
    assert messenger.to(CLIENT) == [template]


async def test_a_recipient_can_fail_until_healed() -> None:
    messenger = MemoryMessenger()
    messenger.fail_always(CLIENT, PermanentFailure("invalid number", 131026))
    for _ in range(3):
        with pytest.raises(PermanentFailure):
            await messenger.send(STUDIO, CLIENT, HELLO)
    messenger.heal(CLIENT)
    await messenger.send(STUDIO, CLIENT, HELLO)
    assert len(messenger.sent) == 1 and len(messenger.attempts) == 4


async def test_clear_forgets_the_record_but_ids_keep_increasing() -> None:
    messenger = MemoryMessenger()
    before = await messenger.send(STUDIO, CLIENT, HELLO)
    messenger.clear()
    after = await messenger.send(STUDIO, CLIENT, HELLO)
    assert len(messenger.sent) == 1 and after.provider_message_id > before.provider_message_id


def test_manual_clock_stands_still_until_moved() -> None:
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    clock = ManualClock(start)
    assert clock.now() == clock.now() == start
    assert clock.advance(minutes=5) == start + timedelta(minutes=5)
    assert clock.advance(hours=1, seconds=30) == start + timedelta(minutes=65, seconds=30)
    assert clock.now() == start + timedelta(minutes=65, seconds=30)
    assert clock.set(start) == start and clock.now() == start


def test_manual_clock_is_always_utc_and_refuses_naive_times() -> None:
    paris = timezone(timedelta(hours=1))
    clock = ManualClock(datetime(2026, 3, 2, 10, 0, tzinfo=paris))
    assert clock.now() == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert clock.now().utcoffset() == timedelta(0)
    with pytest.raises(ValueError):
        ManualClock(datetime(2026, 3, 2, 9, 0))
    with pytest.raises(ValueError):
        clock.set(datetime(2026, 3, 2, 9, 0))


def test_system_clock_is_timezone_aware_utc() -> None:
    now = SystemClock().now()
    assert now.utcoffset() == timedelta(0)
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)
