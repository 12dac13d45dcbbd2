"""The registry: kinds found through entry points, loaded only when settings name them."""

from __future__ import annotations

import importlib.metadata
import logging
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from authz_sources.altinn import AltinnSettings, AltinnSource
from authz_sources.registry import (
    ENTRY_POINT_GROUP,
    SourceConfigError,
    available_kinds,
    create_sources,
    kind_names,
    load_kind,
)

PLUGIN = textwrap.dedent(
    '''
    """A fake third-party plugin used by the registry tests."""
    from typing import Any, ClassVar

    import msgspec

    from authz_sources import RequestedDetail


    class Settings(msgspec.Struct, kw_only=True):
        url: str
        timeout_ms: int = 1000


    class Source:
        answers_about = "organisations"
        timeout_seconds = 1.0

        def __init__(self, name: str, types: tuple[str, ...]) -> None:
            self.name = name
            self.types = types
            self.detail_types = dict.fromkeys(types, RequestedDetail)

        def parse_detail(self, raw: Any) -> Any: ...
        async def find_parties(self, subject: Any, detail: Any) -> Any: ...
        async def grant(self, subject: Any, detail: Any, chosen: Any) -> Any: ...
        async def check_health(self) -> None: ...
        async def aclose(self) -> None: ...


    class AlphaFactory:
        settings_type: ClassVar[type[msgspec.Struct]] = Settings
        created: ClassVar[list[Any]] = []

        @classmethod
        def create(cls, name: str, settings: Any) -> Source:
            cls.created.append(settings)
            return Source(name, ("x:alpha",))


    class AlsoAlphaFactory(AlphaFactory):
        pass


    class BetaFactory(AlphaFactory):
        @classmethod
        def create(cls, name: str, settings: Any) -> Source:
            return Source(name, ("x:beta",))


    class NotASourceFactory(AlphaFactory):
        @classmethod
        def create(cls, name: str, settings: Any) -> Any:
            return object()


    class NoSettingsFactory:
        def create(self, name: str, settings: Any) -> Any:
            return None
    '''
)

KINDS = {
    "alpha": "regtest_plugin:AlphaFactory",
    "also_alpha": "regtest_plugin:AlsoAlphaFactory",
    "beta": "regtest_plugin:BetaFactory",
    "not_a_source": "regtest_plugin:NotASourceFactory",
    "no_settings": "regtest_plugin:NoSettingsFactory",
    "other": "regtest_other:Factory",
    "broken": "regtest_missing_module:Factory",
}


@pytest.fixture
def fake_kinds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Entry points pointing at a throw-away plugin module (and one that does not exist)."""
    (tmp_path / "regtest_plugin.py").write_text(PLUGIN)
    (tmp_path / "regtest_other.py").write_text("raise RuntimeError('must not be imported')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    fakes = [
        importlib.metadata.EntryPoint(name=name, value=value, group=ENTRY_POINT_GROUP)
        for name, value in KINDS.items()
    ]

    def entry_points(*, group: str) -> list[importlib.metadata.EntryPoint]:
        return [ep for ep in fakes if ep.group == group]

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    yield
    for module in ("regtest_plugin", "regtest_other", "regtest_missing_module"):
        sys.modules.pop(module, None)


@pytest.mark.usefixtures("fake_kinds")
def test_only_named_kinds_are_imported() -> None:
    sources = create_sources({"alpha": {"url": "http://register"}})
    assert [(s.name, s.types) for s in sources] == [("alpha", ("x:alpha",))]
    assert "regtest_other" not in sys.modules
    assert "regtest_missing_module" not in sys.modules


@pytest.mark.usefixtures("fake_kinds")
def test_nothing_is_loaded_for_empty_settings() -> None:
    assert create_sources({}) == []
    assert "regtest_plugin" not in sys.modules


@pytest.mark.usefixtures("fake_kinds")
def test_kind_names_imports_nothing() -> None:
    assert kind_names() == sorted(KINDS)
    assert "regtest_plugin" not in sys.modules


@pytest.mark.usefixtures("fake_kinds")
def test_missing_module_fails_only_when_named() -> None:
    with pytest.raises(SourceConfigError, match=r"source kind 'broken' could not be loaded"):
        create_sources({"broken": {}})


@pytest.mark.usefixtures("fake_kinds")
def test_unknown_kind_lists_installed_kinds() -> None:
    with pytest.raises(SourceConfigError, match=r"unknown source kind 'gamma'.*alpha, also_alpha"):
        create_sources({"gamma": {}})


@pytest.mark.usefixtures("fake_kinds")
def test_kind_key_chooses_the_kind_and_the_table_names_the_source() -> None:
    (source,) = create_sources({"mine": {"kind": "alpha", "url": "http://register"}})
    assert source.name == "mine"


@pytest.mark.usefixtures("fake_kinds")
def test_unknown_setting_names_source_and_key() -> None:
    with pytest.raises(SourceConfigError, match=r"source 'alpha': unknown setting 'timout_ms'"):
        create_sources({"alpha": {"url": "http://register", "timout_ms": 5}})


@pytest.mark.usefixtures("fake_kinds")
def test_wrong_setting_type_names_source_and_field() -> None:
    with pytest.raises(SourceConfigError, match=r"source 'alpha'.*timeout_ms"):
        create_sources({"alpha": {"url": "http://register", "timeout_ms": [1]}})
    with pytest.raises(SourceConfigError, match=r"source 'alpha'.*url"):
        create_sources({"alpha": {}})


@pytest.mark.usefixtures("fake_kinds")
def test_settings_from_environment_strings_are_converted() -> None:
    (source,) = create_sources({"alpha": {"url": "http://register", "timeout_ms": "1500"}})
    plugin = sys.modules["regtest_plugin"]
    assert plugin.AlphaFactory.created[-1].timeout_ms == 1500
    assert source.name == "alpha"


@pytest.mark.usefixtures("fake_kinds")
def test_two_sources_owning_one_type_are_refused() -> None:
    with pytest.raises(SourceConfigError, match=r"'alpha' and 'also_alpha' both own .*x:alpha"):
        create_sources({"alpha": {"url": "a"}, "also_alpha": {"url": "b"}})
    twice = create_sources({"alpha": {"url": "a"}, "beta": {"url": "b"}})
    assert [s.types for s in twice] == [("x:alpha",), ("x:beta",)]


@pytest.mark.usefixtures("fake_kinds")
def test_same_kind_twice_still_conflicts_on_types() -> None:
    with pytest.raises(SourceConfigError, match="both own"):
        create_sources({"one": {"kind": "alpha", "url": "a"}, "two": {"kind": "alpha", "url": "b"}})


@pytest.mark.usefixtures("fake_kinds")
def test_factory_must_return_a_source() -> None:
    with pytest.raises(SourceConfigError, match="does not implement AuthzSource"):
        create_sources({"not_a_source": {"url": "a"}})


@pytest.mark.usefixtures("fake_kinds")
def test_factory_without_settings_type_is_refused() -> None:
    with pytest.raises(SourceConfigError, match="settings_type"):
        load_kind("no_settings")


@pytest.mark.usefixtures("fake_kinds")
@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"alpha": "not a table"}, "settings must be a table"),
        ({"alpha": {"kind": 3}}, "`kind` must be a non-empty string"),
        ({"alpha": {"kind": ""}}, "`kind` must be a non-empty string"),
    ],
)
def test_malformed_tables(config: dict[str, object], message: str) -> None:
    with pytest.raises(SourceConfigError, match=message):
        create_sources(config)  # type: ignore[arg-type]


@pytest.mark.usefixtures("fake_kinds")
def test_available_kinds_skips_broken_ones(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="authz_sources.registry")
    kinds = available_kinds()
    assert {"alpha", "also_alpha", "beta", "not_a_source"} <= set(kinds)
    assert "broken" not in kinds
    assert "other" not in kinds
    assert "no_settings" not in kinds
    assert "could not be loaded" in caplog.text


def test_the_altinn_kind_is_installed() -> None:
    factory = load_kind("altinn")
    assert factory.settings_type is AltinnSettings
    (source,) = create_sources({"altinn": {"base_url": "http://127.0.0.1:9", "timeout_ms": 500}})
    assert isinstance(source, AltinnSource)
    assert source.types == ("ansattporten:altinn:resource", "ansattporten:altinn:service")
    assert source.timeout_seconds == 0.5


def test_altinn_settings_are_strict() -> None:
    with pytest.raises(SourceConfigError, match="unknown setting 'base_ur'"):
        create_sources({"altinn": {"base_ur": "http://x"}})
    with pytest.raises(SourceConfigError, match="timeout_ms"):
        create_sources({"altinn": {"base_url": "http://x", "timeout_ms": 0}})
