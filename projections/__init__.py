"""Read models built from the event log: rows and position committed together."""
