"""ARCHITECTURE.md's dependency rule: import-linter contracts plus an allow-list of imports.

import-linter forbids the edge packages it is told about; the allow-list below fails on
anything else too (a new library imported by the core, an adapter importing a sibling
added later), by reading every import statement of the source tree.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}
ALLOWED = {  # what each layer may import at run time, besides the standard library
    "core.domain": ("msgspec", "core.domain"),
    "core.usecases": ("msgspec", "core", "ports"),
    "ports": ("msgspec", "ports", "core.domain"),
}
# Names a module may import only for type checking (``if TYPE_CHECKING:``): a port's Protocol.
TYPE_ONLY = {"core.domain": ("ports",)}


def test_dependency_rule_import_linter_contracts_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: " in result.stdout and " broken" in result.stdout
    assert "0 broken" in result.stdout


def _module(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> Iterator[tuple[str, bool, int]]:
    """(imported module, only for type checking?, line) for every import in ``path``."""
    tree = ast.parse(path.read_text(), str(path))
    type_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_only.update(id(n) for child in node.body for n in ast.walk(child))
    package = _module(path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, id(node) in type_only, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            yield name, id(node) in type_only, node.lineno


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _violations(layer: str) -> list[str]:
    found = []
    for path in sorted((SRC / layer.replace(".", "/")).rglob("*.py")):
        for name, type_only, line in _imports(path):
            if name.split(".")[0] in STDLIB or _within(name, ALLOWED[layer]):
                continue
            if type_only and _within(name, TYPE_ONLY.get(layer, ())):
                continue
            found.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return found


def test_the_core_and_the_ports_import_only_what_the_allow_list_names() -> None:
    problems = [v for layer in ALLOWED for v in _violations(layer)]
    assert problems == []


def _adapter_packages() -> list[str]:
    return sorted(p.name for p in (SRC / "adapters").iterdir() if (p / "__init__.py").exists())


def test_every_adapter_package_is_independent_of_every_other() -> None:
    """Covers adapters added later without anyone editing a list."""
    problems = []
    for package in _adapter_packages():
        for path in sorted((SRC / "adapters" / package).rglob("*.py")):
            for name, _type_only, line in _imports(path):
                if _within(name, ("core.usecases", "entrypoints")):
                    problems.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
                if name.startswith("adapters.") and name.split(".")[1] != package:
                    problems.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert problems == []


def test_the_import_linter_independence_contract_lists_every_adapter() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    independence = next(c for c in contracts if c["type"] == "independence")
    assert sorted(m.removeprefix("adapters.") for m in independence["modules"]) == (
        _adapter_packages()
    )
