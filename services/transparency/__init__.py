"""Tamper evidence in the Certificate Transparency shape (RFC 6962 / RFC 9162)."""
