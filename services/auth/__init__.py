"""Who is calling: identities, roles, jurisdictions (issue 12)."""
