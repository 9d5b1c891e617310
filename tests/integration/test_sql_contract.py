"""The store contract suites of ``tests/contract`` against SQLite and PostgreSQL.

Every contract test that takes the ``store`` fixture is collected here too, where
``store`` is each SQL backend (see ``conftest.py``), so an integration run always
checks the SQL adapters against the same contract as the in-memory ones. (The
same backends are registered in ``tests/contract/backends.py`` for
``INKBOOK_CONTRACT_BACKENDS=memory,sqlite,postgres pytest tests/contract``.)
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import tests.contract


def _store_contract_tests() -> dict[str, object]:
    found: dict[str, object] = {}
    for module_info in pkgutil.iter_modules(tests.contract.__path__):
        if not module_info.name.startswith("test_"):
            continue
        module = importlib.import_module(f"tests.contract.{module_info.name}")
        for name, function in vars(module).items():
            is_test = name.startswith("test_") and inspect.isfunction(function)
            if is_test and "store" in inspect.signature(function).parameters:
                found[name] = function
    return found


globals().update(_store_contract_tests())
