"""A mock of Microsoft Entra ID's v2.0 endpoints, for a multi-tenant application."""
