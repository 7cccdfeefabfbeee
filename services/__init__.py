"""The edges: HTTP API, Kafka-backed store, ingest, projection runners, CLI."""
