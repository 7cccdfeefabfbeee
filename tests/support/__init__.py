"""Launchers for the test servers (tansu, PostgreSQL) and per-test isolation helpers."""
