"""``inkbook serve``, ``inkbook relay`` and ``inkbook migrate``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from collections.abc import Coroutine
from typing import Any

from entrypoints.container import Container
from entrypoints.settings import DEFAULT_DATABASE_URL, Settings

log = logging.getLogger("inkbook")


def run(command: str, container: Container, settings: Settings, args: argparse.Namespace) -> int:
    from entrypoints.logs import configure_logging

    configure_logging(settings.log_level)
    if command == "migrate":
        return migrate(settings)
    if command == "relay":
        _announce(settings, "relay")
        return _run(_main(container, settings, server=None))
    _announce(settings, "serve")
    relay = not args.no_relay
    return _run(_main(container, settings, server=(args.host, args.port), relay=relay))


def _run(main: Coroutine[Any, Any, int]) -> int:
    """On uvloop where it is installed (Linux, macOS), else the standard loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


def describe_database(url: str) -> str:
    if url.startswith("sqlite"):
        return f"SQLite file {url.split(':///', 1)[-1]}"
    if url.startswith("memory"):
        return "in memory (nothing survives a restart)"
    from sqlalchemy.engine import make_url

    return f"PostgreSQL {make_url(url).render_as_string(hide_password=True)}"


def _announce(settings: Settings, what: str) -> None:
    log.info(f"inkbook {what} starting", extra={
        "database": describe_database(settings.database_url),
        "messenger": settings.messenger, "payments": settings.payments,
        "calendar": "working hours from the studio profile",
        "default_database": settings.database_url == DEFAULT_DATABASE_URL})
    for note in settings.warnings():
        log.warning(note)


def migrate(settings: Settings) -> int:
    if settings.database_url.startswith("memory"):
        log.info("in-memory database: nothing to migrate")
        return 0
    from adapters.sql import current, upgrade

    upgrade(settings.database_url)
    log.info("database migrated", extra={"database": describe_database(settings.database_url),
                                         "revision": current(settings.database_url)})
    return 0


async def _ready_schema(store: Any, settings: Settings) -> bool:
    """SQLite files are created and migrated by ``serve`` itself; PostgreSQL needs
    ``inkbook migrate`` first (several instances must not race a migration)."""
    url = settings.database_url
    if url.startswith("memory"):
        return True
    if url.startswith("sqlite"):
        await store.migrate()
        return True
    from adapters.sql.migrate import acurrent, head

    have, want = await acurrent(url), head()
    if have != want:
        log.error("the database schema is not current: run `inkbook migrate` first",
                  extra={"have": have, "want": want})
        return False
    return True


async def _main(
    container: Container,
    settings: Settings,
    server: tuple[str, int] | None,
    relay: bool = True,
) -> int:
    store = container.store()
    if not await _ready_schema(store, settings):
        return 2
    container.studios()  # fail on a bad profile before listening
    stop = asyncio.Event()
    relay_task = None
    if relay:
        worker = container.relay()
        relay_task = asyncio.create_task(worker.run(stop, store.wait_for_work), name="relay")
    else:
        log.info("the outbox relay is not running here: start `inkbook relay` to deliver")
    try:
        if server is None:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError):
                    loop.add_signal_handler(sig, stop.set)
            log.info("relay running: delivering the outbox until stopped")
            await stop.wait()
        else:
            await _serve(container, *server)
    finally:
        stop.set()
        if relay_task is not None:
            await asyncio.wait_for(relay_task, timeout=10)
        await container.http().aclose()
        if hasattr(store, "dispose"):
            await store.dispose()
    return 0


async def _serve(container: Container, host: str, port: int) -> None:
    import uvicorn

    from entrypoints.http.app import create_app

    app = create_app(container)
    config = uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False,
                            lifespan="on")
    log.info(f"listening on http://{host}:{port}")
    await uvicorn.Server(config).serve()
