"""``inkbook sweep`` as an operator runs it (issue 10, B-38): a reminder in the console, then
ABANDONED; ``serve`` sweeps on its own; a wrong INKBOOK_SWEEP_EVERY stops startup in one line."""

from __future__ import annotations

import asyncio
import subprocess
import time
from pathlib import Path

from litestar.testing import AsyncTestClient

from adapters.profile import demo_profile_path
from entrypoints.container import build_container
from entrypoints.service import serving_app
from tests.integration.test_http_support import Api, message, now_ts, settings_for, webhook
from tests.integration.test_startup_errors import INKBOOK, assert_one_line, run


def quick_profile(folder: Path) -> Path:
    """The demo studio with a reminder after 2 s and ABANDONED after 20 s (each command
    takes a few seconds to start on a busy machine)."""
    text = demo_profile_path().read_text(encoding="utf-8")
    text = text.replace("  reminder_after: 4h\n", "  reminder_after: 2s\n")
    text = text.replace("  abandon_after: 48h\n", "  abandon_after: 20s\n")
    path = folder / "quick.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_B38_sweep_prints_the_reminder_then_abandons_the_silent_lead(tmp_path: Path) -> None:
    env = {"INKBOOK_PROFILE": str(quick_profile(tmp_path))}
    chat = subprocess.run(
        [str(INKBOOK), "chat"], cwd=tmp_path, input="hi\nA small fox\n/quit\n",
        env={**env, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=60,
    )
    assert chat.returncode == 0, chat.stderr
    silent_since = time.monotonic()
    time.sleep(2.1)
    first = run(tmp_path, ["sweep"], **env)
    assert first.returncode == 0, first.stderr
    assert "[to 447700900001]" in first.stdout and "Where on your body" in first.stdout
    assert first.stdout.rstrip().endswith("sweep: reminder 1")
    assert run(tmp_path, ["sweep"], **env).stdout.strip() == "sweep: nothing due"
    time.sleep(max(0.0, 20.5 - (time.monotonic() - silent_since)))
    assert run(tmp_path, ["sweep"], **env).stdout.strip() == "sweep: ABANDONED 1"


def test_a_bad_sweep_interval_is_one_line(tmp_path: Path) -> None:
    for command in ("sweep", "serve"):
        folder = tmp_path / command
        folder.mkdir()
        result = run(folder, [command], INKBOOK_SWEEP_EVERY="often")
        assert_one_line(result, "INKBOOK_SWEEP_EVERY", "'often'")
    assert_one_line(run(tmp_path, ["sweep"], INKBOOK_SWEEP_EVERY="0s"), "INKBOOK_SWEEP_EVERY")



async def test_B38_serve_runs_the_sweeper_every_INKBOOK_SWEEP_EVERY(tmp_path: Path) -> None:
    """The app ``serve`` runs (``serving_app``) reminds a silent lead without any command."""
    settings = settings_for(tmp_path, profile=str(quick_profile(tmp_path)), sweep_every="1s")
    container = build_container(settings)
    async with AsyncTestClient(serving_app(container, relay=False)) as client:
        api = Api(client, container)
        body = webhook([message("wamid.serve.1", "hi", ts=now_ts())])
        assert (await api.post_meta(body)).status_code == 200
        [lead] = (await api.admin("/api/leads")).json()["leads"]
        kinds: list[str] = []
        for _ in range(100):  # the reminder is due 2 s after "hi"; sweeps run every second
            await asyncio.sleep(0.1)
            detail = (await api.admin(f"/api/leads/{lead['id']}")).json()
            kinds = [line["kind"] for line in detail["thread"]]
            if "reminder" in kinds:
                break
    assert kinds.count("reminder") == 1
