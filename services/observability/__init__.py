"""Operating a running process: JSON logs with request ids, Prometheus metrics, readiness."""
