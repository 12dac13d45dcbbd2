"""The `ansattporten` command: serve, demo, clients, db, audit and the mock registers."""

from ansattporten.cli.main import main

__all__ = ["main"]
