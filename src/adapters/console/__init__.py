"""A Messenger that prints: the default with no credentials, and the chat simulator's."""

from adapters.console.messenger import ConsoleMessenger

__all__ = ["ConsoleMessenger"]
