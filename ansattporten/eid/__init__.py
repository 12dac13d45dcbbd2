"""Electronic IDs the person can log in with. TestID is built in; an upstream OpenID
Connect provider can be added as another `Eid` without touching the flows."""
