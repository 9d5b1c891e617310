"""B-29 per studio (issue 13): a studio's numbers may send at their own rate."""

from __future__ import annotations

from pathlib import Path

from adapters.profile import demo_profile_path, load_profiles
from entrypoints.container import build_container
from entrypoints.settings import load_settings

MINIMAL = Path(__file__).parent / "fixtures" / "minimal_studio.yaml"


def test_B29_a_studio_s_own_rate_applies_to_its_numbers_only(tmp_path: Path) -> None:
    studios = tmp_path / "studios"
    studios.mkdir()
    (studios / "demo.yaml").write_text(demo_profile_path().read_text())
    slow = MINIMAL.read_text().replace("limits:\n", "limits:\n  messages_per_second: 20\n", 1)
    assert slow != MINIMAL.read_text()
    (studios / "tiny.yaml").write_text(slow)
    tiny = next(s for s in load_profiles(studios) if s.id == "tiny")
    assert tiny.limits.messages_per_second == 20
    settings = load_settings(env={"INKBOOK_DATABASE_URL": "memory://",
                                  "INKBOOK_PROFILE": str(studios),
                                  "INKBOOK_MESSAGES_PER_SECOND": "80"})
    throttle = build_container(settings).throttle()
    assert throttle.rate(tiny.meta_phone_number_id or "") == 20
    assert throttle.rate("112233445566778") == 80  # the demo studio: the deployment's rate
