"""``inkbook chat``: be the client in a terminal; the artist's notifications show too."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from typing import TextIO

from adapters.memory import MemoryMessenger
from core.domain.inbound import Choice, Content, Inbound, LocationPin, Media, Text
from core.domain.outbound import ButtonsIntent, Intent, ListIntent, TextIntent, plain_text
from entrypoints.chat_artist import COMMANDS, artist_command
from entrypoints.chat_artist import HELP as ARTIST_HELP
from entrypoints.container import Container

HELP = """Type as the client would. Also:
  /photo [caption]   send a reference image      /sticker   send a sticker
  /voice             send a voice note           /pin PLACE send a location pin
  /status            show the lead's status      /quit      leave (Ctrl-D works too)
Tap a button by typing its number.
""" + ARTIST_HELP


class ChatScreen:
    """Renders what the studio sends; remembers the last buttons so '1' taps one."""

    def __init__(self, out: TextIO, studio_name: str, artist_numbers: frozenset[str]) -> None:
        self.out = out
        self.studio_name = studio_name
        self.artists = artist_numbers
        self.options: list[tuple[str, str]] = []

    def show(self, to: str, intent: Intent) -> None:
        if to in self.artists:
            bar = "─" * 20
            self.out.write(f"\n  ┌{bar} to the artist {bar}\n")
            for line in plain_text(intent).splitlines():
                self.out.write(f"  │ {line}\n")
            self.out.write(f"  └{bar * 2}{'─' * 15}\n\n")
            return
        match intent:
            case ButtonsIntent(body=body, buttons=buttons):
                self.options = [(b.id, b.title) for b in buttons]
                self.out.write(f"{self.studio_name} › {body}\n")
                self.out.write(
                    "   "
                    + "   ".join(f"[{i}] {t}" for i, (_, t) in enumerate(self.options, 1))
                    + "\n"
                )
            case ListIntent(body=body, rows=rows):
                self.options = [(r.id, r.title) for r in rows]
                self.out.write(f"{self.studio_name} › {body}\n")
                for i, (_, title) in enumerate(self.options, 1):
                    self.out.write(f"   [{i}] {title}\n")
            case TextIntent(body=body):
                self.options = []
                self.out.write(f"{self.studio_name} › {body}\n")
            case _:
                self.out.write(f"{self.studio_name} › {plain_text(intent)}\n")
        self.out.flush()

    def content(self, line: str) -> Content | None:
        """What the typed line sends, or None for a local command."""
        stripped = line.strip()
        if self.options and stripped.isdigit() and 1 <= int(stripped) <= len(self.options):
            choice_id, title = self.options[int(stripped) - 1]
            return Choice(choice_id, title)
        word, _, rest = stripped.partition(" ")
        match word:
            case "/photo":
                return Media(
                    "image",
                    f"chat-{uuid.uuid4().hex[:8]}",
                    caption=rest or None,
                    mime_type="image/jpeg",
                )
            case "/sticker":
                return Media("sticker", f"chat-{uuid.uuid4().hex[:8]}")
            case "/voice":
                return Media("audio", f"chat-{uuid.uuid4().hex[:8]}")
            case "/pin":
                return LocationPin(0.0, 0.0, name=rest or None)
        return Text(line)


async def run_chat(
    container: Container,
    contact: str,
    read: Callable[[], str | None],
    out: TextIO = sys.stdout,
) -> None:
    studios = container.studios()
    studio = studios.default()
    artists = frozenset(s.artist_number for s in studios)
    screen = ChatScreen(out, studio.name, artists)
    # The screen draws what was sent; the memory messenger records it.
    container.messenger.override(MemoryMessenger())
    messenger = container.messenger()
    store = container.store()
    if hasattr(store, "migrate"):
        await store.migrate()
    handle, relay = container.handle_inbound(), container.relay()
    out.write(f"Chatting with {studio.name} as {contact}. {HELP}\n\n")
    while True:
        line = read()
        if line is None or line.strip() in ("/quit", "/exit"):
            break
        if not line.strip():
            continue
        if line.strip() == "/status":
            await _status(container, studio.id, contact, out)
            continue
        shown = len(messenger.sent)
        if line.strip().partition(" ")[0] in COMMANDS:
            await artist_command(container, studio.id, contact, line, out)
        else:
            content = screen.content(line)
            if content is None:
                continue
            inbound = Inbound(
                message_id=f"chat.{uuid.uuid4().hex}",
                studio=studio.id,
                contact=contact,
                at=container.clock().now(),
                content=content,
                provider="chat",
            )
            await handle(inbound)
        while await relay.run_once():
            pass
        for _, to, intent in messenger.sent[shown:]:
            screen.show(to, intent)
    if hasattr(store, "dispose"):
        await store.dispose()


async def _status(container: Container, studio_id: str, contact: str, out: TextIO) -> None:
    async with container.store().uow() as uow:
        leads = await uow.leads.list(studio=studio_id, limit=1000)
    lead = next((lead for lead in leads if lead.contact == contact), None)
    if lead is None:
        out.write("(no lead yet)\n")
        return
    studio = container.studios().get(studio_id)
    question = studio.question_at(lead.step)
    out.write(
        f"(lead {lead.id}: {lead.status}, question "
        f"{question.key if question else '-'}, handover {lead.handover_reason or '-'})\n"
    )


def read_line() -> str | None:
    try:
        return input("you › ")
    except EOFError:
        return None
