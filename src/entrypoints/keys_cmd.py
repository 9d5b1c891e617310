"""``inkbook keys add|list|revoke``: studio API keys (CONTRACT.md), shown once, stored hashed."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from core.domain.studios import UnknownStudio
from entrypoints.settings import Settings
from entrypoints.startup import StartupError


def add_parser(sub: Any) -> None:
    keys = sub.add_parser("keys", help="studio API keys: add, list, revoke")
    actions = keys.add_subparsers(dest="keys_command", required=True)
    add = actions.add_parser("add", help="print a new API key for one studio (shown once)")
    add.add_argument("--studio", required=True, help="the studio id (from its profile)")
    add.add_argument("--name", default="", help="what the key is for, e.g. 'zapier'")
    actions.add_parser("list", help="the keys, their studios, and whether revoked")
    revoke = actions.add_parser("revoke", help="revoke a key by its id (see `keys list`)")
    revoke.add_argument("key_id")


async def run(container: Any, settings: Settings, args: argparse.Namespace,
              out: TextIO = sys.stdout) -> int:
    from entrypoints.service import ready_schema

    store = container.store()
    try:
        await ready_schema(store, settings)
        keys = container.studio_keys()
        if args.keys_command == "add":
            try:
                issued = await keys.issue(args.studio, args.name)
            except UnknownStudio:
                known = ", ".join(s.id for s in container.studios())
                raise StartupError(f"--studio: no studio {args.studio!r} (this deployment "
                                   f"serves {known})") from None
            out.write(f"{issued.secret}\n")
            print(f"key {issued.key.id} for studio {issued.key.studio}: shown once, keep it "
                  "safe (Authorization: Bearer <key>)", file=sys.stderr)
        elif args.keys_command == "list":
            for key in await keys.all():
                state = f"revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "active"
                out.write(f"{key.id}\t{key.studio}\t{key.name or '-'}\t"
                          f"{key.created_at:%Y-%m-%d %H:%M}\t{state}\n")
        else:
            revoked = await keys.revoke(args.key_id)
            if revoked is None:
                raise StartupError(f"keys revoke: no key {args.key_id!r} (see `inkbook keys list`)")
            out.write(f"revoked {revoked.id} ({revoked.studio})\n")
    finally:
        if hasattr(store, "dispose"):
            await store.dispose()
    return 0
