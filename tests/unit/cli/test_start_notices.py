"""What `ansattporten` prints when it starts: nothing from a library meant for library
authors. Run in a fresh interpreter, as the command is, since a warning shown once per
process cannot be seen again in this one."""

from __future__ import annotations

import subprocess
import sys

# The command line with the demo replaced by what it does first that a library notices:
# importing the example services (they use Authlib's httpx client integration).
START_DEMO = """
from ansattporten.cli import run
from ansattporten.cli.main import main

def demo(args):
    import examples.employee_service.app
    return 0

run.demo = demo
main(["demo"])
"""


def test_the_demo_starts_without_authlibs_httpx_notice() -> None:
    done = subprocess.run(
        [sys.executable, "-c", START_DEMO], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "The httpx module is deprecated" not in done.stderr
    assert done.stderr == ""
