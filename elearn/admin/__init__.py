"""The administrator area: people, units, imports, accounts and the audit log (routes on `admin.blueprint.bp`)."""
