"""What happens before the service answers: the schema brought up to date (or found
current), the organisations file loaded, and the initial rules imported into an empty
database. Every step is safe to repeat; a failure stops the start with a message."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from employer_rules.audit import SYSTEM, Actor
from employer_rules.initial_rules import load_initial_rules
from employer_rules.organisations import FileError, load_organisations
from employer_rules.settings import Settings
from employer_rules.store.database import make_engine
from employer_rules.store.migrate import pending, upgrade
from employer_rules.store.rule_store import RuleStore


class StartupError(RuntimeError):
    """The service cannot start; the message says why and what to do."""


def check_files(settings: Settings) -> None:
    """Read the data files without a database, so a mistake is reported at once."""
    try:
        if settings.organisations_file is not None:
            load_organisations(settings.organisations_file)
        if settings.initial_rules_file is not None:
            load_initial_rules(settings.initial_rules_file)
    except FileError as exc:
        raise StartupError(str(exc)) from exc


async def prepare(settings: Settings) -> None:
    """Migrate (or check) the schema and load the data files into the database. A
    database that cannot be used is a `StartupError` too, saying why in one line."""
    try:
        await _prepare(settings)
    except (SQLAlchemyError, OSError) as exc:
        reason = getattr(exc, "orig", None) or exc
        raise StartupError(
            f"the database cannot be used: {type(reason).__name__}: {reason}"[:500]
        ) from exc


async def _prepare(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    try:
        if settings.auto_migrate:
            await upgrade(settings.database_url)
        elif await pending(engine, settings.database_url):
            raise StartupError(
                "the database schema is behind this version: start once with "
                "auto_migrate = true, then again"
            )
        store = RuleStore(engine)
        try:
            if settings.organisations_file is not None:
                await store.save_organisations(load_organisations(settings.organisations_file))
            if settings.initial_rules_file is not None and await store.count_rules() == 0:
                specs = load_initial_rules(settings.initial_rules_file)
                known = await store.organisations({spec.orgno for spec in specs})
                unknown = sorted({spec.orgno for spec in specs} - set(known))
                if unknown:
                    raise StartupError(
                        f"{settings.initial_rules_file}: organisations {', '.join(unknown)} "
                        "are not in `organisations_file`"
                    )
                await store.import_rules(specs, Actor(sub=SYSTEM))
        except FileError as exc:
            raise StartupError(str(exc)) from exc
    finally:
        await engine.dispose()
