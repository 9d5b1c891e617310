"""YAML nodes -> plain data for ``msgspec.convert``, guided by the Struct's field types.

Walking the nodes with the target types (rather than letting YAML guess) gives:
every problem at once with its exact line; text fields taken as written (so
``NO``, ``yes`` or ``11:00`` stay text, not YAML 1.1 booleans or base-60
numbers); friendly durations and clock times; a single string where a list is
expected (copy variants); unknown fields reported with a suggestion. Keys starting
with ``x-`` are ignored: a place for YAML anchors (``x-hours: &hours ...``).
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from datetime import time, timedelta
from typing import Any, NamedTuple

import msgspec
import yaml

from adapters.profile.durations import parse_clock, parse_duration

_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_NUMBERS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


class Decoded(NamedTuple):
    data: Any
    lines: dict[str, int]  # field path -> 1-based line
    problems: list[tuple[str, str]]  # (field path, message)


def decode(root: yaml.Node, target: type[msgspec.Struct]) -> Decoded:
    walker = _Walker()
    walker.lines[""] = root.start_mark.line + 1
    return Decoded(walker.value(root, target, ""), walker.lines, walker.problems)


def line_of(lines: dict[str, int], path: str) -> int | None:
    """The line of ``path``, or of its nearest ancestor that is in the file."""
    while path and path not in lines:
        shorter = re.sub(r"(\.[^.]*|\[\d+\])$", "", path)
        path = "" if shorter == path else shorter
    return lines.get(path)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL


def _name(tp: Any) -> str:
    return getattr(tp, "__name__", str(tp))


class _Walker:
    def __init__(self) -> None:
        self.lines: dict[str, int] = {}
        self.problems: list[tuple[str, str]] = []
        self._yaml = yaml.SafeLoader("")

    def fail(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def value(self, node: yaml.Node, tp: Any, path: str) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin in (typing.Union, types.UnionType):
            options = [a for a in args if a is not type(None)]
            if _is_null(node) and len(options) < len(args):
                return None
            if len(options) == 1:
                return self.value(node, options[0], path)
            return self.leaf(node, tp, path)
        if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
            fields = {f.encode_name: f.type for f in msgspec.structs.fields(tp)}
            required = [f.encode_name for f in msgspec.structs.fields(tp) if f.required]
            return self.mapping(node, path, fields=fields, required=required)
        if origin is dict:
            return self.mapping(node, path, values=args[1])
        if origin is list or (origin is tuple and len(args) == 2 and args[1] is Ellipsis):
            return self.sequence(node, args[0], path)
        return self.leaf(node, tp, path)

    def mapping(
        self,
        node: yaml.Node,
        path: str,
        *,
        fields: dict[str, Any] | None = None,  # a Struct's field types by name
        required: list[str] | tuple[()] = (),
        values: Any = None,  # or a dict's value type
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if isinstance(node, yaml.MappingNode):
            for key, key_node, value_node in self.pairs(node, path):
                child = _join(path, key)
                self.lines[child] = key_node.start_mark.line + 1
                if fields is None:
                    out[key] = self.value(value_node, values, child)
                elif key in fields:
                    out[key] = self.value(value_node, fields[key], child)
                elif key.startswith("x-"):
                    continue
                else:
                    hint = difflib.get_close_matches(key, fields, n=1)
                    known = f"did you mean {hint[0]}?" if hint else "known: " + ", ".join(fields)
                    self.fail(child, f"unknown field ({known})")
        elif not _is_null(node):
            self.fail(path, "expected a mapping (key: value lines)")
        for name in required:
            if name not in out:
                self.fail(_join(path, name), "missing (required)")
        return out

    def pairs(self, node: yaml.MappingNode, path: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        first: dict[str, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(path, f"line {key_node.start_mark.line + 1}: a key must be plain text")
            elif key_node.value in first:
                where = f"first at line {first[key_node.value]}"
                self.fail(_join(path, key_node.value), f"duplicate key ({where})")
            else:
                first[key_node.value] = key_node.start_mark.line + 1
        try:
            self._yaml.flatten_mapping(node)  # YAML merge keys (<<: *anchor)
        except yaml.YAMLError as exc:
            self.fail(path, f"bad merge key: {exc}")
        return [(k.value, k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]

    def sequence(self, node: yaml.Node, item: Any, path: str) -> list[Any]:
        if _is_null(node):
            return []
        if isinstance(node, yaml.MappingNode):
            self.fail(path, "expected a list (- item lines) or a single value")
            return []
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        return [self.value(n, item, f"{path}[{i}]") for i, n in enumerate(items)]

    def leaf(self, node: yaml.Node, tp: Any, path: str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            got = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
            self.fail(path, f"expected {_name(tp)}, got {got}")
            return None
        if _is_null(node):
            self.fail(path, f"needs a value ({_name(tp)})")
            return None
        raw: str = node.value
        try:
            if tp is timedelta:
                return parse_duration(raw)
            if tp is time:
                return parse_clock(raw)
            if tp is str:
                value: Any = raw.rstrip("\n") if node.style in ("|", ">") else raw
            elif node.tag in _NUMBERS and ":" in raw:
                value = raw  # not a YAML 1.1 base-60 number
            else:
                value = self._yaml.construct_object(node)
            return msgspec.convert(value, tp, strict=False)
        except (ValueError, yaml.YAMLError) as exc:  # msgspec.ValidationError is a ValueError
            message = str(exc).split(" - at `")[0].replace("`", "")
            message = message[:1].lower() + message[1:]
            if repr(raw) not in message:
                message += f" ({raw!r})"
            self.fail(path, message)
            return None
