"""The PNG chart (matplotlib, optional: without it the run still writes the tables)."""

from __future__ import annotations

from pathlib import Path

from bench.config import SCENARIOS, Setup
from bench.measure import Measurement, percentile
from bench.run import RunResult

MISSING = (
    "matplotlib is not installed, so no chart was drawn: "
    "`.venv/bin/pip install matplotlib` and run again"
)


def _setups(result: RunResult) -> list[Setup]:
    seen: list[Setup] = []
    for m in result.measurements:
        if m.setup not in seen:
            seen.append(m.setup)
    return seen


def _value(result: RunResult, setup: Setup, scenario: str, what: str) -> float:
    found: Measurement | None = next(
        (m for m in result.measurements if m.setup == setup and m.scenario == scenario), None
    )
    if found is None or found.status or not found.count:
        return 0.0
    if what == "rate":
        return found.rate
    if what == "p50":
        return 1000 * (percentile(found.latencies, 50) or 0.0)
    if what == "cpu":
        return found.cpu_ms_per_op("provider") or 0.0
    if what == "picker50":
        return 1000 * (percentile(found.picker, 50) or 0.0)
    return 1000 * (percentile(found.picker, 99) or 0.0)


def draw(result: RunResult, path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(MISSING)
        return False
    setups = _setups(result)
    if not setups:
        return False
    figure, axes = plt.subplots(2, 2, figsize=(15, 10))
    panels = [
        (axes[0][0], "rate", "throughput (flows/s or req/s, log)", True),
        (axes[0][1], "p50", "p50 latency ms (log)", True),
        (axes[1][0], "cpu", "provider CPU ms per op (log)", True),
    ]
    width = 0.8 / len(setups)
    for ax, what, title, log in panels:
        for i, setup in enumerate(setups):
            values = [_value(result, setup, s, what) for s in SCENARIOS]
            xs = [x + i * width for x in range(len(SCENARIOS))]
            ax.bar(xs, values, width, label=setup.label, color=f"C{i}")
        ax.set_xticks([x + width * (len(setups) - 1) / 2 for x in range(len(SCENARIOS))])
        ax.set_xticklabels(SCENARIOS)
        ax.set_title(title)
        if log:
            ax.set_yscale("log")
        ax.grid(axis="y", alpha=0.3)
    picker_setups = [s for s in setups if _value(result, s, "picker", "picker50") > 0]
    colours = {setup: f"C{i}" for i, setup in enumerate(setups)}
    ax = axes[1][1]
    for i, setup in enumerate(picker_setups):
        # two bars per pass: saturated (left pair), paced (right pair, edged)
        for offset, scenario, edge in ((-0.3, "picker", None), (0.1, "picker-paced", "black")):
            p50 = _value(result, setup, scenario, "picker50")
            p99 = _value(result, setup, scenario, "picker99")
            ax.bar(i + offset, p50, 0.18, color=colours[setup], edgecolor=edge)
            ax.bar(
                i + offset + 0.2,
                p99,
                0.18,
                color=colours[setup],
                alpha=0.45,
                hatch="//",
                edgecolor=edge,
            )
    ax.axhline(50, color="grey", linewidth=0.8, linestyle="--")
    ax.set_xticks(range(len(picker_setups)))
    ax.set_xticklabels([s.label.replace(" · ", "\n") for s in picker_setups], fontsize=8)
    ax.set_title(
        "picker step, Altinn +10 ms, ms: saturated (left pair) and paced (right pair,\n"
        "outlined); p50 solid, p99 hatched; dashed line 50 ms",
        fontsize=10,
    )
    ax.grid(axis="y", alpha=0.3)
    handles, labels = axes[0][0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=4, fontsize=9)
    figure.suptitle(
        f"ours vs node-oidc-provider — {result.started:%Y-%m-%d}, {result.machine.cpu_model}, "
        f"{result.machine.cores} cores ({result.sizes.name})"
    )
    figure.tight_layout(rect=(0, 0.06, 1, 1))
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True
