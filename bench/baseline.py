"""A committed version of the provider served beside this checkout's, so a change is
measured against what it replaces in the same paired turns (`python -m bench clients
--logins --baseline main`; `bench.turns`).

The tree at the ref is exported with `git archive` into the bench's temporary
directory and served by this checkout's virtualenv with the export first on the path
(`PYTHONPATH`, and `python -P` so the working directory is not put before it):
`ansattporten` and `authz_sources` come from the export, the libraries from the
virtualenv. Its database is migrated by this checkout's `ansattporten db upgrade`, so
the two versions must share their schema. A ref that needs a library the virtualenv
lacks fails at start with the import error in its log.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

from bench import config
from bench.turns import Way

PYTHON = str(config.VENV_BIN / "python")
RUN_COMMAND = "import sys; from ansattporten.cli import main; main(sys.argv[1:])"


def export(ref: str, workdir: Path) -> tuple[Path, str]:
    """The tree at `ref` unpacked under `workdir`, and its short commit id."""
    sha = subprocess.run(
        ["git", "rev-parse", "--short", f"{ref}^{{commit}}"],
        cwd=config.REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    archive = subprocess.run(
        ["git", "archive", "--format=tar", sha], cwd=config.REPO, capture_output=True, check=True
    ).stdout
    target = workdir / f"baseline-{sha}"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target, sha


def this_checkout() -> Way:
    def command(port: int, settings: Path) -> list[str]:
        return [str(config.VENV_BIN / "ansattporten"), "serve", "--config", str(settings),
                "--port", str(port)]  # fmt: skip

    return Way("this-checkout", "ansattporten serve, this checkout", command)


def at_ref(ref: str, workdir: Path) -> Way:
    """`ansattporten serve` as it was at `ref`."""
    tree, sha = export(ref, workdir)

    def command(port: int, settings: Path) -> list[str]:
        return ["env", f"PYTHONPATH={tree}", PYTHON, "-P", "-c", RUN_COMMAND,
                "serve", "--config", str(settings), "--port", str(port)]  # fmt: skip

    return Way(f"{ref}@{sha}", f"ansattporten serve at {ref} ({sha})", command)
