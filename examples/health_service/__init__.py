"""Example 3: a service for doctors, asking for an organisation and the person's
approvals in the health personnel register (HPR) in the same login."""
