"""The results as Markdown tables and a PNG chart, written to bench/results/."""

from __future__ import annotations

from pathlib import Path

from bench.config import COUNTERPARTS, PAIRED, SCENARIOS, Setup
from bench.floor_login import ABOUT as FLOOR_ABOUT
from bench.floor_login import ABOUT_DESIGNED as FLOOR_DESIGNED_ABOUT
from bench.host_speed import speed_line
from bench.measure import Measurement, percentile
from bench.run import RunResult

FLOW_SCENARIOS = ("login-seq", "login-c16", PAIRED, "picker", "picker-paced")
PICKER_PASSES = ("picker", "picker-paced")
ABOUT = {
    "login-seq": "full login (PAR → authorize → login → picker with Altinn lookup → code "
    "→ token), one at a time",
    "login-c16": "the same, 16 concurrent browsers",
    PAIRED: "login-c16 again, the two providers of a pair running side by side and taking "
    "turns in rounds",
    "token": "code redemption at /token only (codes prepared beforehand), 16 concurrent",
    "refresh": "refresh_token grant with rotation, 16 concurrent",
    "introspect": "token introspection, 16 concurrent",
}


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.1f}"


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _unit(scenario: str) -> str:
    return "flows/s" if scenario in FLOW_SCENARIOS else "req/s"


def _ratio(ours: float | None, theirs: float | None) -> str:
    if ours is None or theirs is None or theirs == 0:
        return "-"
    return f"{ours / theirs:.2f}"


def _find(
    result: RunResult, setup: Setup, scenario: str, partner: Setup | None = None
) -> Measurement | None:
    """The measurement of `setup` in `scenario`; for the paired pass, the one taken
    side by side with `partner`."""
    for m in result.measurements:
        if m.setup == setup and m.scenario == scenario and m.partner == partner:
            return m
    return None


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows)]


def throughput_table(result: RunResult) -> list[str]:
    rows = []
    for m in result.measurements:
        if m.scenario in PICKER_PASSES:
            continue
        if m.status:
            rows.append([m.setup.label, m.scenario_label, "-", "-", m.status, "-", "-"])
            continue
        rows.append(
            [
                m.setup.label,
                m.scenario_label,
                str(m.count),
                str(len(m.errors)),
                f"{m.rate:.1f} {_unit(m.scenario)}",
                _ms(percentile(m.latencies, 50)),
                _ms(percentile(m.latencies, 99)),
            ]
        )
    return _table(["setup", "scenario", "n", "errors", "throughput", "p50 ms", "p99 ms"], rows)


def cpu_table(result: RunResult) -> list[str]:
    rows = []
    for m in result.measurements:
        if m.status or not m.count:
            continue
        rows.append(
            [
                m.setup.label,
                m.scenario_label,
                _num(m.cpu_ms_per_op("provider")),
                _num(m.cpu_ms_per_op("register")),
                _num(m.cpu_ms_per_op("database")),
                _num(m.cpu_ms_per_op("client")),
                _num(m.cpu_ms_per_op("other")),
                m.rss.describe() if m.rss else "-",
            ]
        )
    header = [
        "setup",
        "scenario",
        "provider CPU ms/op",
        "mock Altinn CPU ms/op",
        "PostgreSQL CPU ms/op",
        "load generator CPU ms/op",
        "other CPU ms/op",
        "peak RSS MiB per process",
    ]
    return _table(header, rows)


def picker_table(result: RunResult) -> list[str]:
    rows = []
    for m in result.measurements:
        if m.scenario not in PICKER_PASSES or not m.count:
            continue
        rows.append(
            [
                m.setup.label,
                "saturated (closed loop)" if m.scenario == "picker" else f"{m.rate:.0f} logins/s",
                str(m.count),
                str(len(m.errors)),
                _ms(percentile(m.picker, 50)),
                _ms(percentile(m.picker, 99)),
                _ms(percentile(m.latencies, 50)),
                _num(m.cpu_ms_per_op("provider")),
                _num(m.cpu_ms_per_op("register")),
            ]
        )
    header = [
        "setup",
        "load",
        "n",
        "errors",
        "picker p50 ms",
        "picker p99 ms",
        "whole login p50 ms",
        "provider CPU ms/flow",
        "mock Altinn CPU ms/flow",
    ]
    return _table(header, rows)


def paired_table(result: RunResult) -> list[str]:
    rows = []
    for ours, theirs in COUNTERPARTS:
        a, b = _find(result, ours, PAIRED, theirs), _find(result, theirs, PAIRED, ours)
        if a is None or b is None or not a.count or not b.count:
            continue
        per_round = [x / y for x, y in zip(a.rounds, b.rounds, strict=False) if y]
        rows.append(
            [
                ours.label,
                theirs.label,
                str(len(per_round)),
                " / ".join(f"{x:.1f}" for x in a.rounds),
                " / ".join(f"{x:.1f}" for x in b.rounds),
                _ratio(a.cpu_ms_per_op("provider"), b.cpu_ms_per_op("provider")),
                f"{min(per_round):.2f}–{max(per_round):.2f}" if per_round else "-",
                f"{a.rate:.1f} / {b.rate:.1f}",
                _ratio(a.rate, b.rate),
            ]
        )
    header = [
        "ours",
        "theirs",
        "rounds",
        "ours CPU ms/login per round",
        "theirs CPU ms/login per round",
        "CPU ratio, all rounds",
        "CPU ratio, per round",
        "flows/s ours / theirs",
        "flows/s ratio",
    ]
    return _table(header, rows)


def paired_section(result: RunResult) -> list[str]:
    table = paired_table(result)
    if len(table) <= 2:  # header only: no pair was run
        return []
    return [
        "## Paired rounds: login at 16 concurrent, taking turns",
        "",
        "Both providers of a pair run side by side; in each round one, then the other, "
        "runs the same logins while the other idles, so a change in the machine's speed "
        "during the run falls on both. The ratio over all rounds is the one to judge by: "
        "it charges each provider all the CPU its processes used from its first round "
        "until 2 s after the last, including what they did while the other side ran "
        "(work deferred to idle time, such as V8's garbage collection). The per-round "
        "figures count each side's own rounds only and show how steady it is.",
        "",
        *table,
        "",
        *floor_paragraph(result),
    ]


def floor_paragraph(result: RunResult) -> list[str]:
    """What the floor is, when it ran (it is never part of a default run)."""
    floors = {m.setup.store for m in result.measurements if m.setup.provider == "floor"}
    if not floors:
        return []
    return [FLOOR_ABOUT, ""] + ([FLOOR_DESIGNED_ABOUT, ""] if "sqlite" in floors else [])


def ratio_table(result: RunResult) -> list[str]:
    rows = []
    for ours, theirs in COUNTERPARTS:
        for scenario in (*SCENARIOS, PAIRED, *PICKER_PASSES):
            paired = scenario == PAIRED
            a = _find(result, ours, scenario, theirs if paired else None)
            b = _find(result, theirs, scenario, ours if paired else None)
            if a is None or b is None:
                continue
            if a.status or b.status or not a.count or not b.count:
                rows.append([ours.label, theirs.label, scenario, a.status or "-", "-", "-", "-"])
                continue
            # for the picker pass, latency means the picker step
            picker = scenario in PICKER_PASSES
            la, lb = (a.picker, b.picker) if picker else (a.latencies, b.latencies)
            rows.append(
                [
                    ours.label,
                    theirs.label,
                    scenario,
                    _ratio(a.rate, b.rate),
                    _ratio(percentile(la, 50), percentile(lb, 50)),
                    _ratio(percentile(la, 99), percentile(lb, 99)),
                    _ratio(a.cpu_ms_per_op("provider"), b.cpu_ms_per_op("provider")),
                ]
            )
    header = ["ours", "theirs", "scenario", "throughput", "p50", "p99", "provider CPU/op"]
    return _table(header, rows)


def environment(result: RunResult) -> list[str]:
    m = result.machine
    py = ", ".join(f"{k} {v}" for k, v in m.python_packages.items())
    js = ", ".join(f"{k} {v}" for k, v in m.node_packages.items())
    s = result.sizes
    lines = [
        f"- date: {result.started:%Y-%m-%d %H:%M}",
        f"- machine: {m.cpu_model}, {m.cores} cores, {m.memory_gib:.1f} GiB; {m.os_name}, "
        f"Linux {m.kernel}",
        f"- Python {m.python}: {py}; provider source digest {m.source_digest} "
        "(ansattporten/, authz_sources/, ui/)",
        f"- Node {m.node or '-'}: {js or '-'}",
        f"- {m.postgres or 'PostgreSQL not used'}",
        f"- mode: {s.name} (sequential {s.login_sequential}, concurrent {s.login_concurrent} at "
        f"{s.concurrency}, {s.token_codes} codes, refresh chains of {s.refresh_chain}, "
        f"{s.introspections} introspections of {s.introspect_tokens} tokens, picker "
        f"{s.picker_sequential}; at most {s.scenario_seconds:.0f} s per loop); "
        f"run took {result.seconds:.0f} s",
        "- load average (1/5/15 min) when each setup started: "
        + "; ".join(f"{label}: {a:.2f}/{b:.2f}/{c:.2f}" for label, (a, b, c) in result.load),
    ]
    lines.append(speed_line(result.speed))
    lines.append(busy_line(result))
    if not result.peak_reset:
        lines.append("- peak RSS could not be reset per scenario: peaks are since start")
    return lines


def busy_line(result: RunResult) -> str:
    """How much of the machine other work took while the loops ran."""
    measured = [m for m in result.measurements if m.wall > 0]
    wall = sum(m.wall for m in measured)
    if not wall:
        return "- no loop was measured"
    other = sum(m.cpu.get("other", 0.0) for m in measured) / wall
    line = (
        f"- other processes on the machine used {other:.2f} of {result.machine.cores} cores "
        'on average while the loops ran (column "other" below)'
    )
    if other > 0.2:
        line += (
            ": **the machine was shared with other work, so these numbers are indicative "
            "only** (throughput and latency, and CPU per operation too: shared cores run "
            "slower); compare pairs, which run back to back, and repeat runs"
        )
    return line


NOTES = """\
How to read this:

- ops are flows for the login scenarios and requests otherwise; CPU ms/op is CPU time
  (utime+stime from /proc, worker processes included) divided by successful ops.
  "mock Altinn" is the register both providers ask, "PostgreSQL" the database server's
  processes, "load generator" this harness (Python; its timed loops use
  the small httptools client in bench/wire.py, since httpx's own ~1 ms of CPU per request
  would be charged to the same two cores, and with its heap frozen during each loop so
  its own garbage collection does not show as latency), "other" whatever else the
  machine ran meanwhile (a busy machine shows here). Everything shares the same cores.
- peak RSS is VmHWM per process of the provider (main process first, then workers; a
  Python multi-worker server also has a small resource-tracker process), reset before
  each scenario.
- the picker step is timed from the answer to the login form's POST to the redirect
  back to the client: ours is GET + POST /organisation/{id}; theirs is its resume
  redirect, GET + POST of the interaction and the resume redirect. Both ask the mock
  Altinn for the person's authorized parties when showing the picker and again when
  granting the choice, plus the resource title (cached).
- theirs cannot introspect JWT access tokens, so its introspection scenario uses opaque
  access tokens (store lookup); ours verifies its JWT and looks up the grant.
- theirs keeps every model in one table (bench/node_server/adapters.mjs): on
  "SQLite" a file opened as ours opens its own (WAL, synchronous=NORMAL), through
  better-sqlite3 (native SQLite, called synchronously on the event loop, as ours calls
  it), and on "PostgreSQL" through node-postgres. On "memory" it keeps everything in
  the process and writes nothing anywhere: a lower bound, not a like-for-like store.
- ours counts rate limits in its database (one upsert per login POST and back-channel
  request; the limits are raised so the single load generator is never refused);
  theirs has no rate limiting. Ours stores client secrets as scrypt hashes and caches
  a verified secret; theirs compares the plain secret.
- every login uses a new cookie jar (a new browser session), so neither can skip the
  login or the picker through a remembered session or grant; ours still opens an
  isolated session per login (its cookie and rows are part of the cost measured).
- a ratio above 1 means ours is higher: better for throughput, worse for latency and CPU.
  For "picker" and "picker-paced" the latency ratios compare the picker step itself.
- the picker pass runs twice. "saturated": each of the 16 browsers starts its next
  login as soon as the last ends, so the provider is always busy and the step's
  latency is mostly waiting behind the other browsers' requests (it grows with the
  number of browsers, whatever the server). "paced": the same 16 browsers, logins
  started at a steady rate, the same for both providers: the step's own latency
  under load the server keeps up with.
"""


def markdown(result: RunResult, chart: str | None) -> str:
    parts = [
        f"# Benchmark: ours vs node-oidc-provider ({result.started:%Y-%m-%d}, {result.sizes.name})",
        "",
        *environment(result),
        "",
        "Scenarios: " + "; ".join(f"**{k}** {v}" for k, v in ABOUT.items()) + ".",
        "",
        "## Throughput and latency",
        "",
        *throughput_table(result),
        "",
        "## CPU per operation and memory",
        "",
        *cpu_table(result),
        "",
        "## Picker step at 16 concurrent browsers, the mock Altinn answering after 10 ms",
        "",
        "Saturated: closed loop, every browser starts again at once. Paced: logins start "
        "at a steady rate (see the notes).",
        "",
        *picker_table(result),
        "",
        *paired_section(result),
        "## Ratio ours / theirs",
        "",
        *ratio_table(result),
        "",
    ]
    if chart:
        parts += [f"![chart]({chart})", ""]
    if result.skipped:
        parts += ["## Not measured", "", *(f"- {reason}" for _, reason in result.skipped), ""]
    errors = [(m, e) for m in result.measurements for e in m.errors[:3]]
    if errors:
        parts += ["## Error samples", ""]
        parts += [f"- {m.setup.label} / {m.scenario_label}: `{e}`" for m, e in errors[:20]]
        parts.append("")
    parts += [NOTES]
    return "\n".join(parts)


def write(result: RunResult, out_dir: Path) -> tuple[Path, Path | None]:
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = "" if result.sizes.name == "full" else f"-{result.sizes.name}"
    stem = f"{result.started:%Y-%m-%d}-{result.machine.slug}{suffix}"
    png = out_dir / f"{stem}.png"
    from bench.chart import draw  # matplotlib is optional

    chart = png if draw(result, png) else None
    md = out_dir / f"{stem}.md"
    md.write_text(markdown(result, chart.name if chart else None))
    return md, chart
