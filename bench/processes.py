"""Starting and stopping the servers under test, and reading their CPU and memory.

Every server is a subprocess in its own session (process group) on 127.0.0.1; `stop`
ends that group (SIGTERM, then SIGKILL after a grace period) and is always called from a
`finally`. CPU and memory come from /proc: utime+stime of a process tree, including
children the tree has already reaped (cutime+cstime), and VmHWM (peak RSS) per process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class StartError(RuntimeError):
    """A server did not come up; the message carries the tail of its log."""


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    """A started subprocess, its log file, and the URL it answers on."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    url: str

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def stop(self, grace: float = 10.0) -> None:
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=grace)


def start_server(
    name: str,
    command: Sequence[str],
    *,
    url: str,
    ready_path: str,
    log_dir: Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    ready_log: Callable[[str], bool] | None = None,
    timeout: float = 60.0,
) -> Server:
    """Start `command` and wait until `url + ready_path` answers 200 and, when given,
    `ready_log` accepts its log so far (e.g. every worker says it has started)."""
    log_path = log_dir / f"{name}.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        list(command),
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )
    log.close()
    server = Server(name, process, log_path, url)
    try:
        wait_until_ready(server, url + ready_path, timeout, ready_log)
    except BaseException:
        server.stop()
        raise
    return server


def wait_until_ready(
    server: Server, url: str, timeout: float, ready_log: Callable[[str], bool] | None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise StartError(
                f"{server.name} exited ({server.process.returncode}):\n{server.log_tail()}"
            )
        try:
            answered = httpx.get(url, timeout=2).status_code == 200
        except httpx.HTTPError:
            answered = False
        if answered and (ready_log is None or ready_log(server.log_text())):
            return
        time.sleep(0.1)
    raise StartError(f"{server.name} did not answer {url} in {timeout:.0f} s:\n{server.log_tail()}")


# /proc ----------------------------------------------------------------------------------


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name may contain spaces and parentheses: split after the last ')'
    return raw[raw.rindex(")") + 2 :].split()


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        fields = _stat_fields(int(entry))
        if fields is not None:
            children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def process_tree(root: int) -> list[int]:
    """`root` and all its live descendants."""
    children = _children_map()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        if Path(f"/proc/{pid}").exists():
            found.append(pid)
            todo.extend(children.get(pid, []))
    return found


def cpu_seconds(root: int) -> float:
    """CPU time of a process tree: every live process's utime+stime, plus what each has
    collected from children it already reaped (cutime+cstime)."""
    ticks = 0
    for pid in process_tree(root):
        fields = _stat_fields(pid)
        if fields is not None:
            # after the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
            ticks += sum(int(value) for value in fields[11:15])
    return ticks / CLOCK_TICKS


def _status_kb(pid: int, key: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def reset_peak_rss(root: int) -> bool:
    """Reset VmHWM of every process of the tree (`echo 5 > clear_refs`); False when the
    kernel or permissions do not allow it (peaks are then since process start)."""
    ok = True
    for pid in process_tree(root):
        try:
            Path(f"/proc/{pid}/clear_refs").write_text("5")
        except OSError:
            ok = False
    return ok


@dataclass
class PeakRss:
    """Peak resident memory per process of a tree, in MiB, root first."""

    per_process: list[tuple[str, float]] = field(default_factory=list)

    def describe(self) -> str:
        return " · ".join(f"{mib:.0f}" for _, mib in self.per_process) or "-"


def peak_rss(root: int) -> PeakRss:
    peaks = PeakRss()
    for pid in sorted(process_tree(root), key=lambda p: (p != root, p)):
        kb = _status_kb(pid, "VmHWM")
        if kb is not None:
            peaks.per_process.append((_command_name(pid), kb / 1024))
    return peaks


def _command_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def rss_mib(root: int) -> float:
    """Resident memory now (VmRSS) of a process tree, summed, in MiB."""
    kb = (_status_kb(pid, "VmRSS") for pid in process_tree(root))
    return sum(value for value in kb if value is not None) / 1024
