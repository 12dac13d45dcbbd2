"""The example plugin package, installed like a third-party package and found by kind.

The package in `examples/plugin_source` is installed into a temporary directory with
pip (hatchling from this environment builds it; nothing is downloaded). Where hatchling
is not installed, the same layout pip would produce — the package plus a `.dist-info`
with the entry points read from its pyproject — is written by hand, so the entry-point
loading and the conformance run are still exercised.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from authz_sources import Party, Subject
from authz_sources.registry import SourceConfigError, create_sources, kind_names, load_kind
from authz_sources.testing import check_source

EXAMPLE = Path(__file__).parents[3] / "examples" / "plugin_source"
TYPE = "exampleagency:permit"
FISHER = Subject(pid="14838010041", client_id="conformance")


def _install_by_hand(source: Path, target: Path) -> None:
    """What `pip install --target` leaves behind, for an environment without hatchling."""
    project = tomllib.loads((source / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    shutil.copytree(source / "src" / "example_agency_source", target / "example_agency_source")
    dist_name = project["name"].replace("-", "_")
    dist_info = target / f"{dist_name}-{project['version']}.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n",
        encoding="utf-8",
    )
    lines = []
    for group, entries in project["entry-points"].items():
        lines.append(f"[{group}]")
        lines += [f"{name} = {value}" for name, value in entries.items()]
    (dist_info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("plugin")
    source = work / "example"
    # Built from a copy so that the build leaves nothing in the repository.
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    target = work / "site"
    if importlib.util.find_spec("hatchling") is None:
        _install_by_hand(source, target)
        return target
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "--no-deps", "--no-build-isolation", "--no-index", "--target", str(target), str(source),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return target


@pytest.fixture
def on_path(installed: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The installed directory on sys.path for one test, and forgotten afterwards."""
    monkeypatch.syspath_prepend(str(installed))
    yield installed
    for module in [m for m in sys.modules if m.split(".")[0] == "example_agency_source"]:
        del sys.modules[module]


def test_the_install_has_the_package_and_its_entry_point(on_path: Path) -> None:
    assert (on_path / "example_agency_source" / "source.py").is_file()
    [dist_info] = on_path.glob("example_agency_source-*.dist-info")
    entry_points = (dist_info / "entry_points.txt").read_text(encoding="utf-8")
    assert "[ansattporten.authz_sources]" in entry_points
    assert "example_agency = example_agency_source:Factory" in entry_points


def test_not_found_until_installed() -> None:
    assert "example_agency" not in kind_names()


def test_the_kind_is_found_through_the_entry_point_group(on_path: Path) -> None:
    assert "example_agency" in kind_names()
    factory = load_kind("example_agency")
    assert factory.settings_type.__name__ == "Settings"
    assert type(factory).__module__ == "example_agency_source.source"


async def test_settings_enable_it_by_kind(on_path: Path) -> None:
    [source] = create_sources(
        {"permits": {"kind": "example_agency", "rar_type": "otheragency:permit"}}
    )
    assert (source.name, source.types, source.timeout_seconds) == (
        "permits",
        ("otheragency:permit",),
        0.5,
    )
    detail = source.parse_detail({"type": "otheragency:permit", "permit": "fishing"})
    parties = await source.find_parties(FISHER, detail)
    assert [p.orgno for p in parties] == ["310000001", "310000002"]
    granted = await source.grant(FISHER, detail, [Party(orgno="310000002", name="")])
    assert granted is not None
    assert granted["permit"] == "fishing"
    assert granted["authorized_parties"][0]["orgno"]["ID"] == "0192:310000002"
    with pytest.raises(SourceConfigError, match="unknown setting 'timeout'"):
        create_sources({"permits": {"kind": "example_agency", "timeout": 5}})


async def test_the_example_passes_the_conformance_kit(on_path: Path) -> None:
    [source] = create_sources({"permits": {"kind": "example_agency"}})
    report = await check_source(
        source,
        subject=FISHER,
        valid_details=[
            {"type": TYPE, "permit": "fishing"},
            {"type": TYPE, "permit": "export", "organizationform": "enterprise"},
        ],
        invalid_details=[
            {"type": TYPE},
            {"type": TYPE, "permit": "flying"},
            {"type": TYPE, "permit": "fishing", "organizationform": "both"},
        ],
        expect_parties=True,
    )
    report.assert_ok()
