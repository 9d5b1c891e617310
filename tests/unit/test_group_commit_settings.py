"""Issue 12: the group commit's settings, read like the others (a wrong value: one line)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from entrypoints.settings import SettingsError, load_settings


def test_group_commit_settings_have_defaults_and_can_be_chosen() -> None:
    defaults = load_settings(env={})
    chosen = load_settings(env={"INKBOOK_INBOUND_BATCH": "1", "INKBOOK_INBOUND_GATHER": "0.01",
                                "INKBOOK_INBOUND_BATCHES": "3"})

    assert (defaults.inbound_batch, defaults.inbound_batches) == (64, 2)
    assert defaults.inbound_gather == timedelta(milliseconds=2)
    assert (chosen.inbound_batch, chosen.inbound_batches) == (1, 3)
    assert chosen.inbound_gather == timedelta(milliseconds=10)


@pytest.mark.parametrize(("name", "value"), [
    ("INKBOOK_INBOUND_BATCH", "0"), ("INKBOOK_INBOUND_BATCH", "many"),
    ("INKBOOK_INBOUND_GATHER", "soon"), ("INKBOOK_INBOUND_GATHER", "-0.5"),
    ("INKBOOK_INBOUND_BATCHES", "-1"),
])
def test_a_bad_group_commit_setting_is_one_line_naming_it(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(env={name: value})
    assert str(error.value).startswith(f"{name}:") and "\n" not in str(error.value)


def test_a_group_commit_may_start_without_waiting() -> None:
    """``INKBOOK_INBOUND_GATHER=0``: a batch starts on the event loop's next turn, with the
    webhooks already read; while every batch slot is busy, the next one still gathers."""
    assert load_settings(env={"INKBOOK_INBOUND_GATHER": "0"}).inbound_gather == timedelta(0)
