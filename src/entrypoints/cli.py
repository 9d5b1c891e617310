"""The ``inkbook`` command: serve, migrate, chat, relay, sweep, keys, parse (CONTRACT.md)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from entrypoints import keys_cmd
from entrypoints.settings import Settings, SettingsError, load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inkbook", description="WhatsApp booking assistant")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="the HTTP service with the outbox relay inside")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1,
                       help="worker processes (each with its own relay); default 1")
    serve.add_argument("--no-relay", action="store_true",
                       help="do not deliver the outbox here (run `inkbook relay` apart)")
    sub.add_parser("migrate", help="apply database migrations to INKBOOK_DATABASE_URL")
    sub.add_parser("relay", help="only the outbox relay")
    sub.add_parser("sweep", help="run the time-driven jobs once and deliver what they queue")
    chat = sub.add_parser("chat", help="talk to the assistant in the terminal as a client")
    chat.add_argument("--contact", default="447700900001", help="the client's number")
    keys_cmd.add_parser(sub)
    parse = sub.add_parser("parse", help="show how the assistant understands one answer")
    parse.add_argument(
        "kind", help="budget, size, location, yesno, slot, complexity, name or time_windows"
    )
    parse.add_argument("text")
    parse.add_argument("--slots", help="ISO-8601 datetimes with offset, comma separated")
    parse.add_argument(
        "--profile", type=Path, help="studio profile YAML (currency, home country)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "parse":
        return _parse(args)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"inkbook: {exc}", file=sys.stderr)
        return 2
    from adapters.profile import ProfileError
    from entrypoints.calendars import check_calendar_passwords
    from entrypoints.container import build_container

    container = build_container(settings)
    try:
        studios = container.studios()
        check_calendar_passwords(studios, settings.environment)  # issue 9: one line if unset
    except ProfileError as exc:
        print(f"inkbook: profile: {exc}", file=sys.stderr)
        return 2
    except SettingsError as exc:
        print(f"inkbook: {exc}", file=sys.stderr)
        return 2
    try:
        container.payments()  # issue 8: a studio's unset Stripe variable stops startup
    except SettingsError as exc:
        print(f"inkbook: {exc}", file=sys.stderr)
        return 2
    try:
        return _run(args, container, settings)
    except Exception as exc:
        from entrypoints.startup import StartupError, database_problem

        line = str(exc) if isinstance(exc, StartupError) else database_problem(
            exc, settings.database_url
        )
        if line is None:
            raise  # a bug, not a setting: the traceback is for us
        print(f"inkbook: {line}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace, container: Any, settings: Settings) -> int:
    if args.command == "keys":
        return int(asyncio.run(keys_cmd.run(container, settings, args)))
    if args.command == "chat":
        from entrypoints.chat import read_line, run_chat

        asyncio.run(run_chat(container, args.contact, read_line))
        return 0
    from entrypoints import service

    return service.run(args.command, container, settings, args)


def _parse(args: argparse.Namespace) -> int:
    from adapters.profile import ProfileError
    from entrypoints.parse_cmd import UsageError, parse

    try:
        result = parse(args.kind, args.text, args.slots, args.profile)
    except (UsageError, ProfileError) as exc:
        print(f"inkbook parse: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
