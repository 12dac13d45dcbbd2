"""A mock of ID-porten: OpenID provider for the national eIDs and for eIDAS."""
