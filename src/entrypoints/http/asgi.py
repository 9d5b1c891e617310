"""The ASGI factory uvicorn's worker processes import (``inkbook serve --workers N``)."""

from __future__ import annotations

import os
from typing import Any


def create() -> Any:
    from entrypoints.container import build_container
    from entrypoints.logs import configure_logging
    from entrypoints.service import WORKER_RELAY, serving_app
    from entrypoints.settings import load_settings

    settings = load_settings()
    configure_logging(settings.log_level)
    return serving_app(build_container(settings), relay=os.environ.get(WORKER_RELAY) != "0")
