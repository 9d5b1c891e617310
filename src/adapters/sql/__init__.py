"""SQL adapters: PostgreSQL (asyncpg) in production, SQLite (aiosqlite) embedded.

``SqlStore(url, clock=...).uow()`` gives units of work; ``upgrade(url)`` applies migrations.
"""

from adapters.sql.bookings import SqlHoursCalendar
from adapters.sql.engine import create_engine
from adapters.sql.migrate import acurrent, aupgrade, current, head, upgrade
from adapters.sql.uow import SqlStore, SqlUnitOfWork

__all__ = [
    "SqlHoursCalendar",
    "SqlStore",
    "SqlUnitOfWork",
    "acurrent",
    "aupgrade",
    "create_engine",
    "current",
    "head",
    "upgrade",
]
