"""Example 2: an API that trusts Ansattporten's access tokens and their
`authorization_details`, and answers for which organisation the caller acts."""
