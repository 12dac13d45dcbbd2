"""Find source kinds through entry points and build the sources that settings enable.

A *kind* is an entry point in the group ``ansattporten.authz_sources`` (the built-in
Altinn, HPR and HTTP-register sources are registered the same way as third-party
plugins). Settings enable sources by name::

    [sources.altinn]                 # kind defaults to the table name
    base_url = "https://platform.tt02.altinn.no"

    [sources.altinn_prod_copy]
    kind = "altinn"
    base_url = "https://platform.altinn.no"

Loading is lazy on purpose: only the kinds that settings name are imported, so a kind
whose module is missing or broken (an optional plugin that is not installed, a source
whose dependencies are absent) cannot stop a provider that does not use it.
"""

from __future__ import annotations

import importlib.metadata
import logging
from collections.abc import Mapping
from typing import Any, cast

import msgspec

from authz_sources.protocol import AuthzSource, SourceFactory
from authz_sources.types import RequestedDetail

ENTRY_POINT_GROUP = "ansattporten.authz_sources"

logger = logging.getLogger(__name__)


class SourceConfigError(ValueError):
    """The `[sources.*]` settings cannot be turned into working sources.

    Raised at start-up, so the provider refuses to start rather than run without a
    register an operator meant to enable. The message names the source and the key.
    """


def _entry_points() -> dict[str, importlib.metadata.EntryPoint]:
    """Every installed kind by name, without importing any of them."""
    found = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    return {ep.name: ep for ep in found}


def kind_names() -> list[str]:
    """Names of the installed kinds, sorted; imports nothing."""
    return sorted(_entry_points())


def _as_factory(kind: str, loaded: object) -> SourceFactory:
    """Accept a factory object, or a factory class (instantiated with no arguments).

    Entry points usually name a class whose `create` is a classmethod; mypy cannot match a
    class object against a protocol with a ClassVar, so the registry always hands out an
    instance, which behaves the same.
    """
    factory = loaded() if isinstance(loaded, type) else loaded
    settings_type = getattr(factory, "settings_type", None)
    if not (isinstance(settings_type, type) and issubclass(settings_type, msgspec.Struct)):
        raise SourceConfigError(
            f"source kind {kind!r}: its factory has no msgspec.Struct `settings_type`"
        )
    if not callable(getattr(factory, "create", None)):
        raise SourceConfigError(f"source kind {kind!r}: its factory has no `create` method")
    return cast(SourceFactory, factory)


def load_kind(kind: str) -> SourceFactory:
    """Import exactly one kind; SourceConfigError if it is unknown or cannot be imported."""
    entry_points = _entry_points()
    entry_point = entry_points.get(kind)
    if entry_point is None:
        known = ", ".join(sorted(entry_points)) or "none"
        raise SourceConfigError(f"unknown source kind {kind!r} (installed kinds: {known})")
    try:
        loaded = entry_point.load()
    except Exception as exc:  # an import error of any kind makes the kind unusable
        raise SourceConfigError(
            f"source kind {kind!r} could not be loaded from {entry_point.value!r}: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    return _as_factory(kind, loaded)


def available_kinds() -> dict[str, SourceFactory]:
    """Every installed kind that can be imported, by name (for listings and diagnostics).

    This imports every kind. Kinds that fail to load are left out with a log line
    instead of failing, because a broken kind must only matter to settings that name it.
    `create_sources` does not call this; it loads only the kinds it needs.
    """
    kinds: dict[str, SourceFactory] = {}
    for name in kind_names():
        try:
            kinds[name] = load_kind(name)
        except SourceConfigError as exc:
            logger.warning("skipping source kind: %s", exc)
    return kinds


def _decode_settings(
    source_name: str, settings_type: type[msgspec.Struct], table: Mapping[str, Any]
) -> msgspec.Struct:
    """Decode one table, refusing keys the Struct does not declare.

    Unknown keys are checked here rather than relying on the plugin's Struct setting
    `forbid_unknown_fields`: a misspelt key silently falling back to a default (say, a
    timeout) is exactly the mistake an operator cannot see.
    """
    known = set(getattr(settings_type, "__struct_encode_fields__", ()))
    for key in table:
        if key not in known:
            listed = ", ".join(sorted(known)) or "none"
            raise SourceConfigError(
                f"source {source_name!r}: unknown setting {key!r} (known settings: {listed})"
            )
    try:
        # strict=False: values that came from environment variables arrive as strings.
        return msgspec.convert(dict(table), settings_type, strict=False)
    except msgspec.ValidationError as exc:
        raise SourceConfigError(f"source {source_name!r}: invalid settings: {exc}") from exc


def create_sources(config: Mapping[str, Mapping[str, Any]]) -> list[AuthzSource[Any]]:
    """Build one source per `[sources.<name>]` table, in the order given.

    Each table's `kind` (default: the table name) picks the entry point; the remaining keys
    are the kind's settings. Raises SourceConfigError for an unknown kind, bad settings, a
    factory that does not return an AuthzSource, or two sources owning the same RAR type
    (the provider routes each requested object by its type, so ownership must be unique).
    Creating a source opens no connections, so nothing needs closing when this fails.
    """
    sources: list[AuthzSource[Any]] = []
    owners: dict[str, str] = {}
    factories: dict[str, SourceFactory] = {}
    for name, table in config.items():
        if not isinstance(table, Mapping):
            raise SourceConfigError(f"source {name!r}: settings must be a table")
        kind = table.get("kind", name)
        if not isinstance(kind, str) or not kind:
            raise SourceConfigError(f"source {name!r}: `kind` must be a non-empty string")
        factory = factories.get(kind) or load_kind(kind)
        factories[kind] = factory
        rest = {key: value for key, value in table.items() if key != "kind"}
        settings = _decode_settings(name, factory.settings_type, rest)
        source = factory.create(name, settings)
        if not isinstance(source, AuthzSource):
            raise SourceConfigError(
                f"source {name!r}: kind {kind!r} returned {type(source).__name__}, "
                "which does not implement AuthzSource"
            )
        _check_detail_types(name, source)
        for rar_type in source.types:
            if rar_type in owners:
                raise SourceConfigError(
                    f"sources {owners[rar_type]!r} and {name!r} both own the RAR type "
                    f"{rar_type!r}; enable only one of them"
                )
            owners[rar_type] = name
        sources.append(source)
    return sources


def _check_detail_types(name: str, source: AuthzSource[Any]) -> None:
    """`detail_types` names a `RequestedDetail` class for exactly the source's types: the
    provider restores stored details as these classes."""
    detail_types = source.detail_types
    if set(detail_types) != set(source.types) or not all(
        isinstance(cls, type) and issubclass(cls, RequestedDetail) for cls in detail_types.values()
    ):
        raise SourceConfigError(
            f"source {name!r}: `detail_types` must map each of its types "
            f"({', '.join(source.types)}) to the RequestedDetail class parse_detail returns"
        )
