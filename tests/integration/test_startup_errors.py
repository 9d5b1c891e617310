"""Every startup mistake is one line naming the variable and the cause, exit code 2 (issue 6).

Each case runs the real ``inkbook`` command in a fresh folder, as an operator would, for
``serve``, ``migrate``, ``relay`` and ``chat``, and asserts what the operator sees.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from entrypoints.settings import MESSENGERS, available
from tests.integration.postgres_server import PostgresDatabase

INKBOOK = Path(sys.executable).with_name("inkbook")
COMMANDS = ("serve", "migrate", "relay", "chat")


def run(tmp_path: Path, args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("INKBOOK_")}
    return subprocess.run(
        [str(INKBOOK), *args], cwd=tmp_path, env={**clean, **env}, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=60, check=False,
    )


def assert_one_line(result: subprocess.CompletedProcess[str], *expected: str) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""
    for text in expected:
        assert text in lines[0]
    return lines[0]


def every_command(tmp_path: Path, extra: list[str] | None = None, **env: str) -> list[str]:
    """The line each command prints, run side by side (each in a folder of its own)."""
    def one(command: str) -> str:
        folder = tmp_path / command
        folder.mkdir(exist_ok=True)
        result = run(folder, [command, *(extra or [])], **env)
        return assert_one_line(result)

    with ThreadPoolExecutor(len(COMMANDS)) as pool:
        return list(pool.map(one, COMMANDS))


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_url(postgres: PostgresDatabase, **parts: object) -> str:
    url = make_url(postgres.url).set(**parts)  # type: ignore[arg-type]
    return url.render_as_string(hide_password=False)


def test_a_bad_log_level_is_one_line_from_the_environment_and_from_dotenv(tmp_path: Path) -> None:
    for line in every_command(tmp_path, INKBOOK_LOG_LEVEL="LOUD"):
        assert line.startswith("inkbook: INKBOOK_LOG_LEVEL: unknown level 'LOUD'")
    (tmp_path / ".env").write_text("INKBOOK_LOG_LEVEL=LOUD\n")
    assert_one_line(run(tmp_path, ["serve"]), "INKBOOK_LOG_LEVEL", "LOUD")


def test_an_unreachable_database_is_one_line(tmp_path: Path) -> None:
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{closed_port()}/inkbook"
    for line in every_command(tmp_path, INKBOOK_DATABASE_URL=url):
        assert line.startswith("inkbook: INKBOOK_DATABASE_URL: cannot connect")
        assert "connection refused" in line


def test_a_database_that_does_not_exist_is_one_line(
    tmp_path: Path, postgres_database: PostgresDatabase
) -> None:
    url = server_url(postgres_database, database="inkbook_no_such_database")
    for line in every_command(tmp_path, INKBOOK_DATABASE_URL=url):
        assert "INKBOOK_DATABASE_URL: database 'inkbook_no_such_database' does not exist" in line


def test_a_refused_login_is_one_line(tmp_path: Path, postgres_database: PostgresDatabase) -> None:
    url = server_url(postgres_database, username="inkbook_no_such_role", password=None)
    for line in every_command(tmp_path, INKBOOK_DATABASE_URL=url):
        assert "INKBOOK_DATABASE_URL:" in line and "refused the login" in line
        assert "inkbook_no_such_role" in line


@pytest.mark.parametrize(
    "url, cause",
    [
        ("postgresql+asyncpg://", "names no host"),
        ("postgresql+asyncpg:///inkbook", "names no host"),
        ("mysql://root@127.0.0.1/inkbook", "is not a valid URL"),
    ],
)
def test_an_empty_or_host_less_database_url_is_refused(
    tmp_path: Path, url: str, cause: str
) -> None:
    for line in every_command(tmp_path, INKBOOK_DATABASE_URL=url):
        assert line.startswith("inkbook: INKBOOK_DATABASE_URL:") and cause in line


def test_a_sqlite_file_in_a_missing_folder_is_refused_and_no_folder_appears(tmp_path: Path) -> None:
    url = "sqlite+aiosqlite:///./data/inkbook.db"
    for line in every_command(tmp_path, INKBOOK_DATABASE_URL=url):
        assert "INKBOOK_DATABASE_URL: the folder 'data' of the SQLite file does not exist" in line
    assert not any((tmp_path / command / "data").exists() for command in COMMANDS)


def test_a_port_in_use_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(tmp_path, ["serve", "--port", str(port)])
    assert_one_line(result, f"127.0.0.1:{port} is already in use")
    assert list(tmp_path.iterdir()) == []  # the SQLite file was not created, let alone migrated


def test_an_unknown_messenger_lists_the_providers_this_version_has(tmp_path: Path) -> None:
    offered = ", ".join(available(MESSENGERS))
    for line in every_command(tmp_path, INKBOOK_MESSENGER="foo"):
        assert line == f"inkbook: INKBOOK_MESSENGER: unknown value 'foo' (expected {offered})"


def test_an_unmigrated_postgres_schema_is_one_line_for_serve_and_relay(
    tmp_path: Path, postgres_database: PostgresDatabase
) -> None:
    import asyncio

    import asyncpg

    name = f"inkbook_unmigrated_{secrets.token_hex(4)}"  # parallel runs do not meet
    admin = make_url(postgres_database.server_url).set(drivername="postgresql")

    async def recreate() -> None:
        connection = await asyncpg.connect(admin.render_as_string(hide_password=False))
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    async def drop() -> None:
        connection = await asyncpg.connect(admin.render_as_string(hide_password=False))
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        finally:
            await connection.close()

    asyncio.run(recreate())
    url = server_url(postgres_database, database=name)
    try:
        for command in ("serve", "relay"):
            result = run(tmp_path, [command], INKBOOK_DATABASE_URL=url)
            assert_one_line(result, "INKBOOK_DATABASE_URL: the schema is at revision none",
                            "run `inkbook migrate` first")
    finally:
        asyncio.run(drop())
