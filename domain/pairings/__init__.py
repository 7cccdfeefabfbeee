"""One-to-one pairings (一对一结对帮扶) and the cadence of their contacts."""
