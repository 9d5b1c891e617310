"""Developer sessions: ``nox -s tests``, ``nox -s lint``, ``nox -s typecheck``."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]


@nox.session
def tests(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", "src", "tests", "benchmarks", "dev.py", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    """Strict on the core and the ports (pyproject.toml [tool.mypy])."""
    session.install("-e", ".[test]")
    session.run("mypy")


@nox.session
def architecture(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("lint-imports")
