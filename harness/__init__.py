"""Real servers for tests and benchmarks: a tansu broker and PostgreSQL, started on free ports."""
