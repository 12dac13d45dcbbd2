"""A source plugin needs `authz-sources` only: the protocol, the types, the shared helper
and the conformance kit import without the provider or its web and database packages,
`authz-sources` declares every package its modules import, and the example plugin
depends on it and not on the provider."""

from __future__ import annotations

import ast
import importlib.metadata
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[3]
DISTRIBUTION = ROOT / "packages" / "authz-sources" / "pyproject.toml"
PLUGIN = ROOT / "examples" / "plugin_source"
PROVIDER_ONLY = (
    "ansattporten",
    "litestar",
    "sqlalchemy",
    "alembic",
    "jinja2",
    "asyncpg",
    "aiosqlite",
)

WITHOUT_THE_PROVIDER = textwrap.dedent(
    """
    import asyncio, importlib.abc, sys

    BLOCKED = set(sys.argv[1].split(","))

    class Refuse(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"{name} is not installed here")
            return None

    sys.meta_path.insert(0, Refuse())
    sys.path.insert(0, sys.argv[2])
    import authz_sources, authz_sources.protocol, authz_sources.types, authz_sources.shared
    import authz_sources.registry, authz_sources.testing
    import authz_sources.altinn.source, authz_sources.hpr.source
    import authz_sources.http_register.source
    from authz_sources import Subject
    from authz_sources.testing import check_source
    from example_agency_source import Factory, Settings

    report = asyncio.run(check_source(
        Factory.create("permits", Settings()),
        subject=Subject(pid="14838010041", client_id="conformance"),
        valid_details=[{"type": "exampleagency:permit", "permit": "fishing"}],
        invalid_details=[{"type": "exampleagency:permit"}],
        expect_parties=True,
    ))
    report.assert_ok()
    print("ok", len(report.results))
    """
)


def test_the_contract_and_the_example_run_without_the_provider() -> None:
    ran = subprocess.run(
        [
            sys.executable,
            "-c",
            WITHOUT_THE_PROVIDER,
            ",".join(PROVIDER_ONLY),
            str(PLUGIN / "src"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert ran.stdout.startswith("ok ")


def declared(pyproject: Path, *extras: str) -> set[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    return {Requirement(line).name.lower().replace("_", "-") for line in requirements}


def imported_packages(paths: list[Path]) -> set[str]:
    names: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"authz_sources", "__future__"}


def distributions_of(packages: set[str]) -> set[str]:
    by_package = importlib.metadata.packages_distributions()
    return {by_package[name][0].lower().replace("_", "-") for name in packages}


def test_authz_sources_declares_what_it_imports() -> None:
    modules = sorted((ROOT / "authz_sources").rglob("*.py"))
    mocks = [path for path in modules if path.name.startswith("mock") or "fixtures" in path.parts]
    core = [path for path in modules if path not in mocks]

    assert distributions_of(imported_packages(core)) <= declared(DISTRIBUTION)
    assert distributions_of(imported_packages(mocks)) <= declared(DISTRIBUTION, "mocks")
    assert not declared(DISTRIBUTION, "mocks") & {"ansattporten", "sqlalchemy", "asyncpg"}


def test_the_example_plugin_depends_on_the_contract_not_the_provider() -> None:
    needs = declared(PLUGIN / "pyproject.toml")
    assert "authz-sources" in needs
    assert "ansattporten" not in needs
    imports = imported_packages(sorted((PLUGIN / "src").rglob("*.py")))
    assert distributions_of(imports - {"example_agency_source"}) <= needs


def test_an_installed_provider_runs_the_checkouts_sources() -> None:
    """The editable install must not hold a copy of `authz_sources/`: a copy in
    site-packages shadowed the checkout, so `ansattporten demo` ran the sources as they
    were at the last install (seen when a new source was missing from a demo run)."""
    ran = subprocess.run(
        [sys.executable, "-c", "import authz_sources; print(authz_sources.__file__)"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=ROOT.parent,
    )
    assert Path(ran.stdout.strip()).resolve() == ROOT / "authz_sources" / "__init__.py"
