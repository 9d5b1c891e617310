"""The documented shape of every error answer (issue 7: the OpenAPI document matches).

Every 4xx and 5xx body is ``{"error": "<what is wrong>"}``; a 400 from parameter
validation adds ``invalid``: which parameter and why, as Litestar found it.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar.openapi import ResponseSpec


class ErrorBody(msgspec.Struct, frozen=True, omit_defaults=True):
    error: str
    invalid: list[dict[str, Any]] | None = None


def error_spec(description: str) -> ResponseSpec:
    return ResponseSpec(ErrorBody, generate_examples=False, description=description)


UNAUTHORIZED = error_spec("missing or wrong bearer key (WWW-Authenticate says which)")
BAD_REQUEST = error_spec("a parameter is missing, malformed or out of bounds")
NOT_FOUND = error_spec("no such resource")
CONFLICT = error_spec("the resource is not in a state that allows this")
TOO_LARGE = error_spec("body over the configured limit")
