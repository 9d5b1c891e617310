"""Loading studio profiles: one YAML file per studio, or a directory of them (B-30, B-46).

Every problem is reported at once, one line each, as ``file:line: field: message``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import msgspec

from adapters.profile.decode import decode, line_of
from adapters.profile.errors import Located, ProfileError
from adapters.profile.sanity import check_facts
from adapters.profile.tree import read_tree
from core.domain.profile import Studio
from core.domain.profile_checks import check_studio

SUFFIXES = (".yaml", ".yml")
UNIQUE = ("id", "meta_phone_number_id", "twilio_sender")  # what routes a message to a studio


def demo_profile_path() -> Path:
    """The bundled demo studio, used when ``INKBOOK_PROFILE`` is not set."""
    return Path(__file__).with_name("demo_studio.yaml")


def load_studio(path: Path) -> Studio:
    """One studio from one YAML file; ProfileError listing every problem otherwise."""
    return _load(Path(path)).studio


def load_profiles(path: Path) -> list[Studio]:
    """The studio of a file, or one studio per ``*.yaml``/``*.yml`` file of a directory."""
    path = Path(path)
    files = [path]
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.suffix in SUFFIXES and p.is_file() and not p.name.startswith(".")
        )
        if not files:
            message = "no studio profiles (*.yaml or *.yml files) in this directory"
            raise ProfileError([Located(str(path), None, "", message)])
    studios: list[Studio] = []
    problems: list[Located] = []
    first: dict[tuple[str, str], str] = {}
    for file in files:
        try:
            loaded = _load(file)
        except ProfileError as exc:
            problems.extend(exc.problems)
            continue
        for field in UNIQUE:
            value = getattr(loaded.studio, field)
            line = loaded.lines.get(field)
            if value is None:
                continue
            if (field, value) in first:
                message = f"duplicate {field} {value!r} (also in {first[field, value]})"
                problems.append(Located(str(file), line, field, message))
            else:
                first[field, value] = f"{file}:{line}"
        studios.append(loaded.studio)
    if problems:
        raise ProfileError(problems)
    return studios


class _Loaded(NamedTuple):
    studio: Studio
    lines: dict[str, int]


def _load(path: Path) -> _Loaded:
    decoded = decode(read_tree(path), Studio)
    problems = decoded.problems
    if not problems:
        try:
            studio = msgspec.convert(decoded.data, Studio, strict=False)
        except msgspec.ValidationError as exc:  # a safety net: decode() reports these itself
            problems = [_from_msgspec(exc)]
        else:
            problems = [(p.path, p.message) for p in (*check_studio(studio), *check_facts(studio))]
    if problems:
        raise ProfileError(
            Located(str(path), line_of(decoded.lines, where), where, message)
            for where, message in problems
        )
    return _Loaded(studio, decoded.lines)


def _from_msgspec(exc: msgspec.ValidationError) -> tuple[str, str]:
    """``Expected `int`, got `str` - at `$.limits.max_slots``` -> (path, message)."""
    message, _, at = str(exc).partition(" - at `")
    path = at.rstrip("`").removeprefix("$").removeprefix(".").split("[...]")[0]
    return re.sub(r"\.$", "", path), message.replace("`", "")
