"""Event-store persistence modules (the Kafka-backed log of record and its PostgreSQL index)."""
