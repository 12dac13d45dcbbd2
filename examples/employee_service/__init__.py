"""Example 1: an employee service that asks on whose behalf the person acts."""
