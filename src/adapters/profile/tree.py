"""Reading a profile file into a YAML node tree that keeps line numbers."""

from __future__ import annotations

from pathlib import Path

import yaml

from adapters.profile.errors import Located, ProfileError


def read_tree(path: Path) -> yaml.MappingNode:
    """The file's single YAML document as nodes (SafeLoader), or a located ProfileError."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProfileError([Located(name, None, "", "profile file not found")]) from None
    except IsADirectoryError:
        raise ProfileError([Located(name, None, "", "is a directory, not a profile")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError([Located(name, None, "", f"cannot read the file: {exc}")]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = str(exc.problem or exc.context)
        if exc.context and exc.problem and exc.context_mark is not None:
            what += f" ({exc.context} at line {exc.context_mark.line + 1})"
        raise ProfileError([Located(name, line, "", f"invalid YAML: {what}")]) from None
    except yaml.YAMLError as exc:
        raise ProfileError([Located(name, None, "", f"invalid YAML: {exc}")]) from None
    if node is None:
        raise ProfileError([Located(name, None, "", "the file is empty")])
    if not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1
        raise ProfileError([Located(name, line, "", "a profile is a mapping of fields")])
    return node
