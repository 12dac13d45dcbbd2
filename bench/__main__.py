"""`python -m bench [--quick]`: our provider against node-oidc-provider on this machine.
`python -m bench clients` and `python -m bench servers`: the HTTP clients for register
calls and the ASGI servers, compared; `python -m bench soak`: minutes of steady load,
memory and database files watched; `python -m bench dbcost`: statements, transactions
and rows written per login; `python -m bench steps`: CPU per login step beside the
stack's floor (`--help` on each).

Run from the repository root with the project's virtualenv (`.venv/bin/python -m bench`).
Everything runs on 127.0.0.1 and is stopped at the end; results go to bench/results/.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

import uvloop

from bench import config, report
from bench.config import FULL, NODE_SETUPS, ON_REQUEST_SETUPS, OURS_SETUPS, QUICK, Setup
from bench.node_provider import NodeUnavailable
from bench.postgres import find_bindir
from bench.run import run_bench

ORDER = [
    config.Setup("ours", "sqlite", 1),
    config.Setup("node", "sqlite", 1),
    config.Setup("node", "memory", 1),
    config.Setup("ours", "postgres", 1),
    config.Setup("node", "postgres", 1),
    config.Setup("ours", "postgres", 2),
    config.Setup("node", "postgres", 2),
    config.Setup("ours", "sqlite", 2),
]
"""Pairs that are compared run next to each other, so a time limit cuts whole pairs.
The default run; `--only` may also name `ON_REQUEST_SETUPS` (the floor login)."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small counts, under 3 minutes")
    parser.add_argument(
        "--only",
        action="append",
        metavar="SETUP",
        help="run only these setups (repeatable): "
        + ", ".join(s.short for s in OURS_SETUPS + NODE_SETUPS + ON_REQUEST_SETUPS)
        + " (floor-memory-1: the least a login costs on our stack, in the paired rounds "
        "beside node-sqlite-1 and node-memory-1; floor-sqlite-1: the floor with the parts "
        "our design prescribes (SQLite, our pages, the re-check), beside node-sqlite-1; "
        "never part of a default run)",
    )
    parser.add_argument("--no-node", action="store_true", help="skip node-oidc-provider")
    parser.add_argument("--no-postgres", action="store_true", help="skip PostgreSQL setups")
    parser.add_argument("--time-limit", type=float, help="seconds for the whole run")
    parser.add_argument("--out", default=str(config.BENCH / "results"), help="results folder")
    return parser.parse_args(argv)


def choose_setups(args: argparse.Namespace) -> list[Setup]:
    setups = list(ORDER)
    if args.only:
        wanted = set(args.only)
        known = setups + ON_REQUEST_SETUPS
        unknown = wanted - {s.short for s in known}
        if unknown:
            sys.exit(f"unknown setup(s): {', '.join(sorted(unknown))}")
        setups = [s for s in known if s.short in wanted]
    if args.no_node:
        setups = [s for s in setups if s.provider != "node"]
    if args.no_postgres or find_bindir() is None:
        if not args.no_postgres:
            print("PostgreSQL is not installed (no initdb): its setups are skipped")
        setups = [s for s in setups if s.store != "postgres"]
    return setups


COMMANDS = {
    "clients": "bench.clients_bench",
    "servers": "bench.servers_bench",
    "soak": "bench.soak",
    "dbcost": "bench.dbcost",
    "steps": "bench.steps",
}
"""`python -m bench clients|servers|soak|dbcost|steps ...`: the other measurements, each its
own module."""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in COMMANDS:
        command: int = importlib.import_module(COMMANDS[argv[0]]).main(argv[1:])
        return command
    args = parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.time_limit:
        sizes = config.Sizes(**{**sizes.__dict__, "time_limit": args.time_limit})
    setups = choose_setups(args)
    if not setups:
        sys.exit("nothing to run")
    try:
        # uvloop: the load generator shares the 2 cores with the providers, so every
        # microsecond it spends per request is taken from them (measured: -30 % CPU)
        result = uvloop.run(run_bench(sizes, setups))
    except NodeUnavailable as error:
        sys.exit(f"{error}\n(use --no-node to run ours only)")
    md, png = report.write(result, Path(args.out))
    print(md.read_text())
    print(f"\nwritten: {md}" + (f" and {png}" if png else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
