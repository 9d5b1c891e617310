"""Alembic migrations, shipped inside the package (run them with ``adapters.sql.migrate``)."""
