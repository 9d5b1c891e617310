"""``inkbook serve``, ``inkbook relay``, ``inkbook sweep`` and ``inkbook migrate``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import os
import signal
import socket
from collections.abc import Coroutine
from typing import Any

from entrypoints.container import Container
from entrypoints.settings import DEFAULT_DATABASE_URL, Settings
from entrypoints.startup import StartupError, bind

log = logging.getLogger("inkbook")
WORKER_RELAY = "INKBOOK_WORKER_RELAY"  # set by `serve --workers` for its worker processes


def run(command: str, container: Container, settings: Settings, args: argparse.Namespace) -> int:
    from entrypoints.logs import configure_logging

    configure_logging(settings.log_level)
    if command == "migrate":
        return migrate(settings)
    if command == "relay":
        return _run(_relay_only(container, settings))
    if command == "sweep":  # issue 10
        return _run(_sweep_once(container, settings))
    # The port first: when it is taken, nothing else (a SQLite file, a migration) changes.
    sock = bind(args.host, args.port)
    try:
        _run(_prepare(container, settings))
    except BaseException:
        sock.close()
        raise
    _announce(settings, "serve")
    relay = not args.no_relay
    try:
        if args.workers > 1:
            sock.close()  # checked free; uvicorn's supervisor binds it for its workers
            return _serve_workers(settings, args.host, args.port, args.workers, relay)
        return _run(_serve_one(container, sock, relay))
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl-C after a clean shutdown
        return 0


def _run(main: Coroutine[Any, Any, Any]) -> Any:
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


async def ready_schema(store: Any, settings: Settings) -> None:
    """SQLite files are created and migrated by ``serve`` itself; PostgreSQL needs
    ``inkbook migrate`` first (several instances must not race a migration)."""
    url = settings.database_url
    if url.startswith("memory"):
        return
    if url.startswith("sqlite"):
        await store.migrate()
        return
    from adapters.sql.migrate import acurrent, head

    have, want = await acurrent(url), head()
    if have != want:
        raise StartupError(f"INKBOOK_DATABASE_URL: the schema is at revision {have or 'none'}, "
                           f"this version needs {want}: run `inkbook migrate` first")


async def _relay_only(container: Container, settings: Settings) -> int:
    store = container.store()
    await ready_schema(store, settings)
    container.relay()  # built before the heap settles: it lives as long as the process
    settle_heap()
    _announce(settings, "relay")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    task = asyncio.create_task(container.relay().run(stop, store.wait_for_work), name="relay")
    log.info("relay running: delivering the outbox until stopped")
    try:
        await stop.wait()
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)
        await _close(container)
    return 0


async def _sweep_once(container: Container, settings: Settings) -> int:
    """``inkbook sweep``: the time-driven jobs once, then the outbox delivered (issue 10)."""
    from entrypoints.sweeping import describe

    store = container.store()
    try:
        await ready_schema(store, settings)
        report = await container.sweep().run_once()
        relay = container.relay()
        while await relay.run_once():
            pass
    finally:
        await _close(container)
    print(describe(report))
    return 1 if report.failed else 0


async def _close(container: Container) -> None:
    await container.http().aclose()  # media downloads' httpx client on the pool
    await container.http_pool().aclose()  # the sends' aiohttp session (issue 12)
    payments = container.payments()
    if hasattr(payments, "aclose"):  # issue 8: the Stripe SDK's HTTP client
        await payments.aclose()
    store = container.store()
    if hasattr(store, "dispose"):
        await store.dispose()


async def _prepare(container: Container, settings: Settings) -> None:
    """Schema checked before serving; the store is rebuilt afterwards because its
    connections belong to this event loop, not the server's."""
    try:
        await ready_schema(container.store(), settings)
    finally:
        store = container.store()
        if hasattr(store, "dispose"):
            await store.dispose()
        container.store.reset()
        container.calendars.reset()  # the hours calendars use the store (issue 9)


GC_THRESHOLDS = (7000, 20, 20)  # Python's defaults: (700, 10, 10)


def settle_heap() -> None:
    """After startup: what startup built (the gazetteer's indexes, the profile, the modules)
    lives as long as the process, so it goes out of the collector's sight (``gc.freeze``)
    and no full collection walks it again (issue 12: 5 of 27 s of CPU under load went to
    gen-2 passes). Then the collector runs less often: a request or a send allocates
    thousands of short-lived objects that are gone before the next young collection
    anyway, and each full collection walks every object that lived past two young ones
    (issue 12: gen-2 passes were still 6-8% of the server's and the relay's CPU).
    Reference cycles are still collected, only in larger batches (memory stays flat:
    ``benchmarks/load.py --phases memory``)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def serving_app(container: Container, relay: bool) -> Any:
    """The Litestar app with the sweeper and the outbox relay running for its lifetime
    (unless ``relay`` is False: then a separate ``inkbook relay`` delivers)."""
    from entrypoints.http.app import create_app

    app = create_app(container)
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []

    async def warm_up() -> None:
        # The gazetteer's indexes cost ~0.8 s of CPU: build them before the first request,
        # in a thread, not on the event loop at the first location answer (issue 7).
        await asyncio.to_thread(container.gazetteer().warm_up)
        settle_heap()

    async def start_relay() -> None:
        # issue 10: the sweeper runs next to the relay, every INKBOOK_SWEEP_EVERY
        every = container.settings().sweep_every.total_seconds()
        tasks.append(asyncio.create_task(container.sweep().run(stop, every), name="sweeper"))
        if relay:
            worker = container.relay()
            store = container.store()
            tasks.append(asyncio.create_task(worker.run(stop, store.wait_for_work)))
        else:
            log.info("the outbox relay is not running here: start `inkbook relay` to deliver")

    async def stop_relay() -> None:
        stop.set()
        for task in tasks:
            await asyncio.wait_for(task, timeout=10)
        await _close(container)

    app.on_startup.append(warm_up)
    app.on_startup.append(start_relay)
    app.on_shutdown.append(stop_relay)
    return app


async def _serve_one(container: Container, sock: socket.socket, relay: bool) -> int:
    import uvicorn

    host, port = sock.getsockname()[:2]
    app = serving_app(container, relay)
    config = uvicorn.Config(app, host=host, port=port,
                            log_config=None, access_log=False, lifespan="on",
                            # open inbox streams (issue 14) must not hold up a shutdown
                            timeout_graceful_shutdown=_grace(container.settings()))
    server = uvicorn.Server(config)
    app.state.inbox.stopping = lambda: server.should_exit  # the streams end by themselves
    log.info(f"listening on http://{host}:{port}")
    await server.serve(sockets=[sock])
    return 0


def _grace(settings: Settings) -> int:
    return max(1, round(settings.shutdown_grace.total_seconds()))


def _serve_workers(settings: Settings, host: str, port: int, workers: int, relay: bool) -> int:
    """Several processes on one port (uvicorn's supervisor); each runs a relay, and the
    relays share the outbox through ``FOR UPDATE SKIP LOCKED`` and LISTEN/NOTIFY."""
    import uvicorn

    os.environ[WORKER_RELAY] = "1" if relay else "0"
    # Every worker must sign one-tap links with the same key.
    os.environ.setdefault("INKBOOK_SECRET_KEY", settings.secret_key)
    log.info(f"listening on http://{host}:{port} with {workers} worker processes")
    uvicorn.run("entrypoints.http.asgi:create", factory=True, host=host, port=port,
                workers=workers, log_config=None, access_log=False,
                timeout_graceful_shutdown=_grace(settings))
    return 0
