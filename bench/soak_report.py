"""The soak's samples and what they are judged by, as Markdown: pure functions of the
samples, so the arithmetic (the RSS slope, the maxima) is tested without a server."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.soak_bound import bounded_lines

MIB = 1024 * 1024
SLOPE_WINDOW_SECONDS = 240.0
"""RSS is judged over the last 4 minutes: the first two of a 6-minute soak are where
caches, pools and the allocator's arenas fill up, which is growth that stops."""
FLAT_MIB_PER_MINUTE = 0.5
"""Flat: the least-squares slope over the window stays below this. A leak of a few
hundred bytes per login at 30 logins/s is about 0.5 MiB/min and would show."""


def notes(database: str) -> list[str]:
    """What bounds the files at the default lifetimes, so a growing database is read for
    what it is."""
    return [
        f"- what bounds the files: {_wal(database)}the database holds every live row "
        "(grants, refresh tokens and sessions live 2 h by default, audit records "
        "`audit_retention_days`, 365; the purge timer deletes them after), so at the "
        "default lifetimes it grows with the logins for hours; `--lifetimes` shortens "
        "them to see the steady state in minutes"
    ]


def _wal(database: str) -> str:
    if database != "sqlite":
        return ""
    return (
        "SQLite's -wal is emptied back to `journal_size_limit` (8 MiB) by the background "
        "checkpoints; "
    )


@dataclass(frozen=True)
class Sample:
    seconds: float
    """Since the soak's paced load started."""
    rss_mib: float
    logins: int
    errors: int
    files: dict[str, int]
    """Database file (or database) sizes in bytes, by name."""


@dataclass
class Soak:
    database: str
    rate: float
    capacity: float | None
    """Closed-loop logins/s of the warm-up (None when --rate was given)."""
    seconds: float
    samples: list[Sample] = field(default_factory=list)
    error_examples: list[str] = field(default_factory=list)
    about: list[str] = field(default_factory=list)
    """Machine and run lines for the report's head."""
    lifetime: int | None = None
    """`--lifetimes` (None: the provider's defaults)."""
    lifetimes: dict[str, float] = field(default_factory=dict)
    """The settings `--lifetimes` wrote."""

    @property
    def last(self) -> Sample:
        return self.samples[-1]


def slope_mib_per_minute(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of (seconds, MiB) points, in MiB per minute; None for fewer
    than two distinct times."""
    if len(points) < 2:
        return None
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    if spread == 0:
        return None
    covariance = sum((t - mean_t) * (y - mean_y) for t, y in points)
    return 60 * covariance / spread


def window(samples: list[Sample], seconds: float = SLOPE_WINDOW_SECONDS) -> list[Sample]:
    """The samples of the last `seconds`; the second half for a shorter soak."""
    if not samples:
        return []
    end = samples[-1].seconds
    span = seconds if end > seconds else end / 2
    return [s for s in samples if s.seconds >= end - span]


def rss_slope(samples: list[Sample]) -> float | None:
    return slope_mib_per_minute([(s.seconds, s.rss_mib) for s in window(samples)])


def is_flat(samples: list[Sample]) -> bool:
    slope = rss_slope(samples)
    return slope is not None and abs(slope) < FLAT_MIB_PER_MINUTE


def max_sizes(samples: list[Sample]) -> dict[str, int]:
    found: dict[str, int] = {}
    for sample in samples:
        for name, size in sample.files.items():
            found[name] = max(found.get(name, 0), size)
    return found


def growth_per_login(samples: list[Sample]) -> dict[str, float]:
    """Bytes each file grew by per login, first sample to last (0 when no login)."""
    if len(samples) < 2:
        return {}
    first, last = samples[0], samples[-1]
    logins = last.logins - first.logins
    if logins <= 0:
        return {}
    return {name: (size - first.files.get(name, 0)) / logins for name, size in last.files.items()}


def _mib(size: int) -> str:
    return f"{size / MIB:.2f}"


def markdown(soak: Soak) -> str:
    samples = soak.samples
    names = sorted({name for s in samples for name in s.files})
    header = ["s", "RSS MiB", "logins", "errors", *(f"{n} MiB" for n in names)]
    rows = [
        [
            f"{s.seconds:.0f}",
            f"{s.rss_mib:.1f}",
            str(s.logins),
            str(s.errors),
            *(_mib(s.files.get(n, 0)) for n in names),
        ]
        for s in samples
    ]
    slope = rss_slope(samples)
    rss = [s.rss_mib for s in samples]
    rate_line = f"- paced rate: {soak.rate:.1f} logins/s" + (
        f" (half of {soak.capacity:.1f}/s, the closed-loop warm-up at 16 browsers)"
        if soak.capacity is not None
        else " (given)"
    )
    summary = [
        rate_line,
        f"- logins done: {soak.last.logins} in {soak.last.seconds:.0f} s "
        f"({soak.last.logins / max(soak.last.seconds, 1e-9):.1f}/s); errors: {soak.last.errors}",
        f"- RSS (provider process tree): first {rss[0]:.1f} MiB, last {rss[-1]:.1f} MiB, "
        f"max {max(rss):.1f} MiB",
        f"- RSS slope over the last {window_label(samples)}: "
        + ("-" if slope is None else f"{slope:+.2f} MiB/min")
        + f" → {'flat' if is_flat(samples) else 'NOT flat'} (flat: |slope| < "
        f"{FLAT_MIB_PER_MINUTE} MiB/min)",
        "- largest database files: "
        + (", ".join(f"{n} {_mib(size)} MiB" for n, size in max_sizes(samples).items()) or "-"),
        "- growth per login, first sample to last: "
        + (", ".join(f"{n} {b:+.0f} B" for n, b in growth_per_login(samples).items()) or "-"),
        *(bounded_lines(soak) if soak.lifetime is not None else notes(soak.database)),
    ]
    errors = [f"- error: {e}" for e in soak.error_examples[:5]]
    return "\n".join(
        [
            f"# Soak · {soak.database} · {soak.seconds:.0f} s",
            "",
            *soak.about,
            "",
            *summary,
            *errors,
            "",
            _row(header),
            _row(["---"] * len(header)),
            *(_row(r) for r in rows),
            "",
        ]
    )


def window_label(samples: list[Sample]) -> str:
    chosen = window(samples)
    if len(chosen) < 2:
        return "run"
    return f"{(chosen[-1].seconds - chosen[0].seconds) / 60:.1f} min"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
