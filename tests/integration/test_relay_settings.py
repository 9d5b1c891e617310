"""The relay's settings (issue 12): a wrong one stops ``inkbook relay`` with one line naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.test_startup_errors import assert_one_line, run


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("INKBOOK_RELAY_LEASE", "1s"),  # a send may take 40% of it: at least 2 s
        ("INKBOOK_RELAY_LEASE", "soon"),
        ("INKBOOK_RELAY_PER_RECIPIENT", "0"),
        ("INKBOOK_RELAY_PER_RECIPIENT", "many"),
        ("INKBOOK_RELAY_CONCURRENCY", "-4"),
    ],
)
def test_a_wrong_relay_setting_is_one_line(tmp_path: Path, name: str, value: str) -> None:
    assert_one_line(run(tmp_path, ["relay"], **{name: value}), name, repr(value))
