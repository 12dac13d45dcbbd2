"""Who may import whom (docs/architecture.md, "Parts and who may import whom"), checked
from the source: every import statement of every module, read with `ast`, including
imports inside functions and under TYPE_CHECKING."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import ansattporten.store

ROOT = Path(__file__).resolve().parents[3]


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imported(path: Path) -> Iterator[tuple[int, str]]:
    """(line, dotted name) for every module or name an import statement reaches:
    `from a.b import c` gives both `a.b` and `a.b.c`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative imports are not used in this project
                yield node.lineno, "." * node.level + (node.module or "")
                continue
            module = node.module or ""
            yield node.lineno, module
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}"


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def offending(
    package: str,
    forbidden: tuple[str, ...],
    *,
    allowed: tuple[str, ...] = (),
    except_for: tuple[str, ...] = (),
) -> list[str]:
    """Imports of `forbidden` modules (and anything under them) in `package`, but for
    the files in `allowed` and the modules in `except_for`."""
    found = []
    for path in modules(package):
        relative = path.relative_to(ROOT).as_posix()
        if relative in allowed:
            continue
        for line, name in imported(path):
            if name.startswith(".") or (within(name, forbidden) and not within(name, except_for)):
                found.append(f"{relative}:{line} imports {name}")
    return sorted(set(found))


def test_flows_reach_the_sources_only_through_rar() -> None:
    assert offending("ansattporten/flows", ("authz_sources",)) == []


def test_flows_use_neither_the_web_framework_nor_sqlalchemy() -> None:
    assert offending("ansattporten/flows", ("litestar", "sqlalchemy", "alembic", "jinja2")) == []


def test_the_web_layer_does_not_reach_into_the_store() -> None:
    """Only the composition root (`ansattporten/app.py`, outside `web/`) builds the
    store; the web layer sees it through the flows' `Provider` and small interfaces."""
    assert offending("ansattporten/web", ("ansattporten.store",)) == []


def test_eids_do_not_import_the_flows() -> None:
    """An eID (TestID, or the upstream broker) returns outcomes and records; the flows
    keep what it needs with the login, so it touches neither the store nor the web."""
    forbidden = ("ansattporten.flows", "ansattporten.web", "ansattporten.store", "litestar")
    assert offending("ansattporten/eid", forbidden) == []


def test_the_records_and_outcomes_stand_on_their_own() -> None:
    """The typed records and the outcome types are shared vocabulary: they import no
    part of the provider that does I/O or depends on them."""
    forbidden = (
        "ansattporten.flows",
        "ansattporten.store",
        "ansattporten.web",
        "ansattporten.rar",
        "ansattporten.eid",
        "sqlalchemy",
        "litestar",
    )
    assert offending("ansattporten/records", forbidden) == []
    found = [
        f"ansattporten/outcomes.py:{line} imports {name}"
        for line, name in imported(ROOT / "ansattporten" / "outcomes.py")
        if name.startswith("ansattporten")
    ]
    assert found == []


def test_the_spec_helpers_import_nothing_of_ours_but_errors() -> None:
    ours = ("ansattporten.errors", "ansattporten.spec")
    assert offending("ansattporten/spec", ("ansattporten",), except_for=ours) == []


def test_sqlalchemy_is_used_for_the_schema_and_migrations_only() -> None:
    """At run time the store sends its own SQL; SQLAlchemy (public API only) describes
    the schema and runs Alembic migrations. (The command also starts the employer-rules
    service, a separate application with its own SQLAlchemy store, and reports its
    database errors: `cli/run.py`.)"""
    allowed = tuple(
        path.relative_to(ROOT).as_posix()
        for path in [
            ROOT / "ansattporten/store/schema.py",
            ROOT / "ansattporten/cli/run.py",
            *modules("ansattporten/store/migrations"),
        ]
    )
    assert offending("ansattporten", ("sqlalchemy",), allowed=allowed) == []
    assert offending("authz_sources", ("sqlalchemy",)) == []


@pytest.mark.parametrize("package", ["ansattporten", "authz_sources", "examples"])
def test_no_private_sqlalchemy_api(package: str) -> None:
    private = [
        entry
        for entry in offending(package, ("sqlalchemy",))
        if any(part.startswith("_") for part in entry.rsplit(" ", 1)[1].split("."))
        or entry.rsplit(" ", 1)[1].startswith(("sqlalchemy.util", "sqlalchemy.sql.compiler"))
    ]
    assert private == []


def test_the_store_exports_no_orm_class() -> None:
    assert ansattporten.store.__all__ == ["Store"]
    assert offending("ansattporten", ("sqlalchemy.orm", "sqlalchemy.ext.declarative")) == []
    outside_the_store = offending(
        "ansattporten",
        ("ansattporten.store.schema", "ansattporten.store.rows", "ansattporten.store.sql"),
        allowed=tuple(path.relative_to(ROOT).as_posix() for path in modules("ansattporten/store")),
    )
    assert outside_the_store == []


def test_the_sources_never_import_the_provider() -> None:
    assert offending("authz_sources", ("ansattporten",)) == []
    assert offending("examples/plugin_source", ("ansattporten",)) == []


def test_only_the_command_line_starts_the_employer_rules_service_and_the_examples() -> None:
    """They reach the provider over HTTP only; `ansattporten demo` and
    `ansattporten employer-rules` import them just to start them as servers of their own
    (`cli/run.py`), the demo's settings for the employer-rules service included
    (`cli/demo_settings.py`)."""
    allowed = tuple(path.relative_to(ROOT).as_posix() for path in modules("ansattporten/cli"))
    assert offending("ansattporten", ("employer_rules", "examples"), allowed=allowed) == []


def test_the_rule_finder_sees_every_kind_of_import(tmp_path: Path) -> None:
    """The checks above would pass vacuously if `imported` missed a form of import."""
    module = tmp_path / "sample.py"
    module.write_text(
        "import authz_sources\n"
        "from authz_sources import Party\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from sqlalchemy.orm import Session\n"
        "def late():\n"
        "    import litestar.app\n",
        encoding="utf-8",
    )
    names = {name for _, name in imported(module)}
    assert {
        "authz_sources",
        "authz_sources.Party",
        "sqlalchemy.orm.Session",
        "litestar.app",
    } <= names
