"""``inkbook parse KIND TEXT`` (CONTRACT.md), with the kinds of issue 11, and ``understood``
in the same shapes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.domain.answers import understood
from entrypoints.parse_cmd import UsageError, parse
from tests.unit.convo import Convo

INKBOOK = Path(sys.executable).parent / "inkbook"


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        ("budget", "400-500", {"min": 40000, "max": 50000, "currency": "GBP"}),
        ("budget", "max 600", {"min": 60000, "max": 60000, "currency": "GBP", "bound": "at_most"}),
        ("budget", "dunno", {"currency": "GBP", "unsure": True}),
        ("size", "10x12cm", {"width_cm": 10.0, "height_cm": 12.0}),
        ("size", "half sleeve", {"size_class": "half_sleeve"}),
        ("location", "London, UK", {"city": "London", "country": "GB"}),
        ("location", "Newcastle", {"city": "Newcastle upon Tyne", "country": "GB"}),
        ("location", "somewhere in Kent", {"city": None, "country": "GB"}),
        ("location", "anywhere", {"flexible": True}),
        ("yesno", "yup defo", {"answer": True}),
        ("complexity", "2", {"level": 2}),
        ("complexity", "no idea really", {"unsure": True}),
        ("name", "Its Ellie :)", {"name": "Ellie"}),
        ("time_windows", "weekday afternoons",
         {"windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "parts": ["afternoon"]}]}),
        ("time_windows", "whenever", {"anytime": True}),
    ],
)
def test_parse_kinds_print_contract_shapes(kind: str, text: str, value: object) -> None:
    assert json.loads(json.dumps(parse(kind, text))) == {"ok": True, "value": value}


@pytest.mark.parametrize(
    ("kind", "text", "reason"),
    [("name", "😀", "not_a_name"), ("time_windows", "hello", "no_window"),
     ("complexity", "purple", "not_a_choice")],
)
def test_parse_failures_print_a_reason(kind: str, text: str, reason: str) -> None:
    assert parse(kind, text) == {"ok": False, "reason": reason}


def test_parse_unknown_kind_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        parse("shoe_size", "9")


def test_parse_command_prints_one_json_object_and_exits_0() -> None:
    result = subprocess.run(
        [str(INKBOOK), "parse", "time_windows", "after 5"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"ok": True, "value": {"windows": [{"after": "17:00"}]}}


def test_understood_uses_the_parse_shapes(convo: Convo) -> None:
    d = convo.complete(location="anywhere", budget="max 600")
    shown = json.loads(json.dumps(understood(d.lead, convo.studio)))
    assert shown["location"] == {"flexible": True}
    assert shown["budget"] == {"min": 60000, "max": 60000, "currency": "GBP", "bound": "at_most"}
    assert shown["size"] == {"width_cm": 10.0, "height_cm": 12.0}
    assert shown["coverup"] == {"answer": False}
    assert shown["name"] == {"name": "Zoë"}
    assert shown["time_windows"] == {
        "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "parts": ["afternoon"]}]}
