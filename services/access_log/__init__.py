"""The access log: who read which household's file, when, through which endpoint, and why."""
