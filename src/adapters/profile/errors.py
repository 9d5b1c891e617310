"""Profile errors that name the file, the line and the field: one line per problem."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class Located(NamedTuple):
    """One problem of one profile file; ``line`` is 1-based, ``path`` like ``copy.welcome[1]``."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ProfileError(Exception):
    """A studio profile that cannot be used; ``str()`` has one line per problem."""

    def __init__(self, problems: Iterable[Located]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
