"""Example services that use Ansattporten over HTTP only, as real clients do."""
