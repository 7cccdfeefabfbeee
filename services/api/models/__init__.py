"""Response models of the read API: what each endpoint answers, as it really answers it."""
