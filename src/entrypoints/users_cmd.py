"""``inkbook users add|list|remove``: the inbox logins (CONTRACT.md, issue 14)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from typing import Any

from entrypoints.container import Container
from entrypoints.settings import Settings


def add_parser(sub: Any) -> None:
    users = sub.add_parser("users", help="inbox logins: add, list, remove")
    verbs = users.add_subparsers(dest="verb", required=True)
    add = verbs.add_parser("add", help="a login for one studio's inbox")
    add.add_argument("email")
    add.add_argument("--studio", required=True, help="the studio id whose leads it sees")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input")
    verbs.add_parser("list", help="every login")
    remove = verbs.add_parser("remove", help="delete a login (its sessions end at once)")
    remove.add_argument("email")


def _password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        print("inkbook users: the passwords differ", file=sys.stderr)
        return None
    return first


def run(container: Container, settings: Settings, args: argparse.Namespace) -> int:
    if settings.database_url.startswith("memory"):
        print("inkbook users: INKBOOK_DATABASE_URL is in memory: a login would not be kept",
              file=sys.stderr)
        return 2
    password = _password(args) if args.verb == "add" else ""
    if password is None:
        return 2
    return asyncio.run(_run(container, settings, args, password))


async def _run(container: Container, settings: Settings, args: argparse.Namespace,
               password: str) -> int:
    from core.usecases.logins import LoginRefused
    from entrypoints.service import ready_schema  # serve's own check: same schema rules

    store = container.store()
    try:
        await ready_schema(store, settings)  # a StartupError is reported by the CLI
        logins = container.logins()
        if args.verb == "add":
            try:
                user = await logins.add(args.email, args.studio, password)
            except LoginRefused as refused:
                print(f"inkbook users: {refused}", file=sys.stderr)
                return 1
            print(f"added {user.email} for studio {user.studio}")
        elif args.verb == "list":
            for user in await logins.all():
                print(f"{user.email}\t{user.studio}\t{user.created_at.isoformat()}")
        else:
            if not await logins.remove(args.email):
                print(f"inkbook users: no login {args.email}", file=sys.stderr)
                return 1
            print(f"removed {args.email}")
        return 0
    finally:
        if hasattr(store, "dispose"):
            await store.dispose()
