"""What the numbers were measured on: machine, operating system, runtimes, packages."""

from __future__ import annotations

import hashlib
import os
import platform
import re
import sqlite3
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

PYTHON_PACKAGES = (
    "ansattporten",
    "litestar",
    "uvicorn",
    "httptools",
    "uvloop",
    "sqlalchemy",
    "aiosqlite",
    "asyncpg",
    "joserfc",
    "msgspec",
    "httpx",
    "aiohttp",
)


@dataclass
class Machine:
    cpu_model: str
    cores: int
    memory_gib: float
    os_name: str
    kernel: str
    python: str
    node: str = ""
    postgres: str = ""
    python_packages: dict[str, str] = field(default_factory=dict)
    node_packages: dict[str, str] = field(default_factory=dict)
    source_digest: str = ""
    """Fingerprint of the provider's source at the start of the run (the tree changes
    while people work; two runs with the same digest measured the same code)."""

    @property
    def slug(self) -> str:
        """A short file-name-friendly description, e.g. `amd-epyc-2c-23g`."""
        model = re.sub(r"\(r\)|\(tm\)|cpu|processor|@.*", "", self.cpu_model.lower())
        words = re.findall(r"[a-z0-9]+", model)[:3] or ["cpu"]
        return f"{'-'.join(words)}-{self.cores}c-{round(self.memory_gib)}g"


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.system()


def _python_packages() -> dict[str, str]:
    versions = {}
    for name in PYTHON_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    versions["SQLite"] = sqlite3.sqlite_version  # the library Python's sqlite3 links
    return versions


SOURCE_FOLDERS = ("ansattporten", "authz_sources", "ui")


def source_digest(repo: Path) -> str:
    """SHA-256 over the provider's source files (paths and contents), first 12 hex."""
    digest = hashlib.sha256()
    for folder in SOURCE_FOLDERS:
        for path in sorted((repo / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(repo)).encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def describe() -> Machine:
    return Machine(
        cpu_model=_cpu_model(),
        cores=os.cpu_count() or 0,
        memory_gib=_memory_gib(),
        os_name=_os_name(),
        kernel=platform.release(),
        python=platform.python_version(),
        python_packages=_python_packages(),
        source_digest=source_digest(Path(__file__).resolve().parent.parent),
    )


def load_average() -> tuple[float, float, float]:
    return os.getloadavg()
