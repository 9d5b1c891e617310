"""The HTTP entrypoint: ``create_app(container)`` builds the Litestar app."""

from .app import create_app

__all__ = ["create_app"]
