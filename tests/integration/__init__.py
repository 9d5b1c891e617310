"""Integration tests: real databases (PostgreSQL, SQLite files), real HTTP, provider fakes."""
