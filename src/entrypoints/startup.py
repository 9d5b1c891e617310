"""Startup mistakes in one line each (CONTRACT.md): which setting, what is wrong, exit 2.

``inkbook serve``, ``migrate``, ``relay`` and ``chat`` meet the database and the network
before anything else; what goes wrong there is the operator's to fix, so it is said in
one line naming the variable, never as a traceback.
"""

from __future__ import annotations

import errno
import socket
import sqlite3
from collections.abc import Iterator

import asyncpg
from sqlalchemy.engine import make_url

DATABASE = "INKBOOK_DATABASE_URL"
LOGIN_REFUSED = (asyncpg.InvalidPasswordError, asyncpg.InvalidAuthorizationSpecificationError)


class StartupError(Exception):
    """One line for the operator; the command exits with status 2."""


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, what it wraps (SQLAlchemy's ``orig``) and what caused it."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [getattr(current, "orig", None), current.__cause__, current.__context__]


def _where(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"the SQLite file {parsed.database}"
    host = parsed.host or parsed.query.get("host") or "localhost"
    return f"PostgreSQL at {host}:{parsed.port or 5432}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def database_problem(exc: BaseException, url: str) -> str | None:
    """The one-line explanation of a database that cannot be used, or None (a real bug)."""
    where = _where(url)
    parsed = make_url(url)
    for cause in _chain(exc):
        if isinstance(cause, asyncpg.InvalidCatalogNameError):
            return (f"{DATABASE}: database {parsed.database!r} does not exist on {where} "
                    "(create it, then run `inkbook migrate`)")
        if isinstance(cause, LOGIN_REFUSED):
            return f"{DATABASE}: {where} refused the login: {_first_line(cause)}"
        if isinstance(cause, socket.gaierror):
            return f"{DATABASE}: cannot find the host of {where} ({_first_line(cause)})"
        if isinstance(cause, ConnectionRefusedError) or (
            isinstance(cause, OSError) and "Connect call failed" in str(cause)
        ):
            return f"{DATABASE}: cannot connect to {where}: connection refused (is it running?)"
        if isinstance(cause, TimeoutError):
            return f"{DATABASE}: {where} did not answer in time"
        if isinstance(cause, sqlite3.OperationalError) and "unable to open" in str(cause):
            return f"{DATABASE}: cannot open {where} ({_first_line(cause)})"
        if isinstance(cause, asyncpg.PostgresError | OSError):
            return f"{DATABASE}: {where} cannot be used: {_first_line(cause)}"
    return None


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything else changes (a taken port changes nothing)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise StartupError(f"--port {port}: {host}:{port} is already in use "
                               "(another inkbook serve? pick another --port)") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise StartupError(f"--port {port}: not allowed to listen on {host}:{port}") from None
        if exc.errno == errno.EADDRNOTAVAIL or isinstance(exc, socket.gaierror):
            raise StartupError(f"--host {host}: not an address of this machine") from None
        raise StartupError(f"--host/--port: cannot listen on {host}:{port} ({exc})") from None
    sock.set_inheritable(True)
    return sock
