"""Example 4: an agency's own register speaking the HTTP register contract (v1), and a
provider settings file that enables it."""
