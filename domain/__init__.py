"""The alliance's domain: household files, needs, referrals. Pure Python plus eventsourcing."""
