"""`python -m bench servers`: our provider served by each ASGI server of
`bench.server_ways`, side by side on one mock Altinn, taking turns at the same logins
(`bench.turns`): CPU per login + token, latency at 16 concurrent browsers and at a
paced 60 logins/s, peak RSS. Then what each server does with slow and oversized
requests (`bench.server_limits`), probed on the same running servers.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import uvloop

from bench import config, server_limits
from bench.host_speed import host_speed
from bench.machine import describe, load_average
from bench.published import publish
from bench.run import start_mock_altinn, stopping
from bench.server_ways import WAYS, installed
from bench.turns import contenders, sizes_for, table, take_turns


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench servers", description=__doc__)
    parser.add_argument("--only", action="append", choices=sorted(WAYS), metavar="SERVER")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--round-logins", type=int, default=200)
    parser.add_argument("--warm-up", type=int, default=200)
    parser.add_argument("--paced-logins", type=int, default=600)
    parser.add_argument(
        "--reference", default="uvicorn", help="the way the paired column divides by"
    )
    parser.add_argument("--no-limits", action="store_true", help="skip the limit probes")
    parser.add_argument("--limits-only", action="store_true", help="only the limit probes")
    parser.add_argument(
        "--cap", type=float, default=70.0, help="seconds the slow probes wait at most"
    )
    parser.add_argument("--out", default=str(config.BENCH / "results"), help="results folder")
    return parser.parse_args(argv)


def load_line(when: str) -> str:
    return f"- load average {when}: {' '.join(f'{v:.2f}' for v in load_average())}"


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    names = args.only or list(WAYS)
    skipped = [name for name in names if not installed(name)]
    ways = [WAYS[name] for name in names if name not in skipped]
    machine = describe()
    started = datetime.now()
    head = [
        f"# ASGI servers serving the provider · {started:%Y-%m-%d %H:%M}",
        "",
        f"- machine: {machine.cpu_model}, {machine.cores} cores; Python {machine.python}",
        load_line("at start"),
        f"- host speed probe: {host_speed():.0f} iterations/s",
        *(f"- {name}: not installed, skipped" for name in skipped),
        *(f"- {way.name}: {way.about}" for way in ways),
    ]
    body: list[str] = []
    sizes = sizes_for(args.round_logins, warm_up=args.warm_up)

    async def run() -> None:
        with tempfile.TemporaryDirectory(prefix="ansattporten-bench-servers-") as tmp:
            workdir = Path(tmp)
            log_dir = workdir / "logs"
            log_dir.mkdir()
            with stopping(start_mock_altinn(0, log_dir)) as altinn:
                async with contenders(ways, altinn, workdir, log_dir, sizes) as started:
                    if not args.limits_only:
                        print("logins: the servers taking turns", flush=True)
                        found = await take_turns(
                            started,
                            args.rounds,
                            args.round_logins,
                            args.paced_logins,
                            config.PACED_RATE,
                        )
                        body.extend(
                            [
                                "",
                                "## CPU and latency per login",
                                "",
                                f"{args.rounds} rounds × {args.round_logins} logins (PAR, "
                                "authorize, login, picker with the Altinn lookup, token) at "
                                "16 concurrent browsers per server, the servers taking turns "
                                "(order rotated every round), after "
                                f"{args.warm_up} unmeasured; then {args.paced_logins} logins "
                                f"paced at {config.PACED_RATE:.0f}/s each. CPU is the "
                                "server's whole process tree.",
                                "",
                                *table(found, config.PACED_RATE, reference=args.reference),
                            ]
                        )
                    if not args.no_limits:
                        print(f"limits: probing (about {args.cap:.0f} s)", flush=True)
                        ports = {c.way.name: int(c.server.url.rsplit(":", 1)[1]) for c in started}
                        limits = await server_limits.probe_all(ports, args.cap)
                        body.extend(
                            [
                                "",
                                "## Slow and oversized requests",
                                "",
                                "What came back (status code, or how the connection ended). "
                                "The oversized requests ask for a path the provider does not "
                                "have: `404` means the request reached the application; any "
                                "other status is the server's own refusal.",
                                "",
                                *server_limits.table(limits),
                            ]
                        )

    uvloop.run(run())
    text = "\n".join([*head, load_line("at end"), *body]) + "\n"
    publish(text, args.out, f"{started:%Y-%m-%d}-{machine.slug}-servers.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
