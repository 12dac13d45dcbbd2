"""Start-up with bad settings: `ansattporten serve` refuses each case of
tests/fixtures/bad_settings.toml with exit status 2 and one line naming the setting,
never a traceback, and never starts serving. Most cases run the command in-process
(40 processes would cost a minute); a few run it as an operator does."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import pytest

from ansattporten.cli import run
from ansattporten.cli.main import main as ansattporten_command
from tests.support.cli import run_cli
from tests.support.provider import FIXTURES

TABLE = tomllib.loads((FIXTURES / "bad_settings.toml").read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = TABLE["case"]


def settings_text(case: dict[str, Any], folder: Path) -> str:
    text = (TABLE["good"] + "\n" + case["text"]) if case.get("base") else case["text"]
    text = text.replace("{db}", f"sqlite:///{folder / 'ansattporten.db'}")
    return text.replace("{folder}", str(folder)) + "\n"


def assert_one_line_naming(output: str, case: dict[str, Any]) -> None:
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    assert lines[0].startswith("error: "), output
    assert case["names"] in lines[0], output
    assert "Traceback" not in output
    if "hidden" in case:
        assert case["hidden"] not in output


def test_the_table_has_the_cases_the_issue_counts() -> None:
    assert len(CASES) >= 34
    assert len({case["id"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_a_bad_setting_is_one_line_naming_it(
    case: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def started(*args: object, **kwargs: object) -> None:
        raise AssertionError("the provider started serving with bad settings")

    monkeypatch.setattr(run, "run_server", started)
    for name in [key for key in os.environ if key.startswith("ANSATTPORTEN_")]:
        monkeypatch.delenv(name)
    config = tmp_path / "ansattporten.toml"
    config.write_text(settings_text(case, tmp_path), encoding="utf-8")

    with pytest.raises(SystemExit) as exited:
        ansattporten_command(["serve", "--config", str(config), "--port", "1"])

    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert_one_line_naming(captured.out + captured.err, case)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_command_with_an_unreachable_database_exits_non_zero(
    tmp_path: Path, workers: str
) -> None:
    config = tmp_path / "ansattporten.toml"
    config.write_text(
        'issuer = "https://login.example.no"\n'
        'database_url = "postgresql://ansattporten:secret@127.0.0.1:1/ansattporten"\n',
        encoding="utf-8",
    )
    done = run_cli("serve", "--config", str(config), "--port", "1", "--workers", workers)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert_one_line_naming(done.stdout + done.stderr, {"names": "database_url", "hidden": "secret"})


def test_the_command_without_an_issuer_refuses_to_start(tmp_path: Path) -> None:
    config = tmp_path / "ansattporten.toml"
    config.write_text(f'database_url = "sqlite:///{tmp_path / "db"}"\n', encoding="utf-8")
    done = run_cli("serve", "--config", str(config), "--port", "1")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert_one_line_naming(done.stdout + done.stderr, {"names": "issuer"})
