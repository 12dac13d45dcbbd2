"""docs/employer-rules.* and examples/employer_rules/ agree with the code: the OpenAPI
examples decode with the real decoders, the guide's JSON is valid, every settings key
it lists exists, and the example configuration loads."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import msgspec
import yaml

from authz_sources.http_register.wire import ANSWER_DECODER
from employer_rules.api.wire import PartiesRequest, Subject, WireParty
from employer_rules.initial_rules import load_initial_rules
from employer_rules.organisations import load_organisations
from employer_rules.settings import ApiSettings, ProviderSettings, Settings, load_settings

ROOT = Path(__file__).resolve().parents[3]
GUIDE = (ROOT / "docs" / "employer-rules.md").read_text("utf-8")
EXAMPLE = ROOT / "examples" / "employer_rules"


def openapi() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docs/employer-rules.openapi.yaml").read_text())
    return loaded


def test_openapi_examples_decode_with_the_real_decoders() -> None:
    operation = openapi()["paths"]["/parties"]["post"]
    for example in operation["requestBody"]["content"]["application/json"]["examples"].values():
        msgspec.convert(example["value"], PartiesRequest)
    answers = operation["responses"]["200"]["content"]["application/json"]["examples"]
    for example in answers.values():
        ANSWER_DECODER.decode(json.dumps(example["value"]))


def test_openapi_fields_are_the_codes_fields() -> None:
    schemas = openapi()["components"]["schemas"]
    assert set(schemas["Party"]["properties"]) == set(WireParty.__struct_fields__)
    assert set(schemas["PartiesRequest"]["properties"]) == set(PartiesRequest.__struct_fields__)
    subject = schemas["PartiesRequest"]["properties"]["subject"]["properties"]
    assert set(subject) == set(Subject.__struct_fields__)


def test_json_blocks_in_the_guide() -> None:
    blocks = re.findall(r"```json\n(.*?)```", GUIDE, flags=re.DOTALL)
    assert len(blocks) >= 4
    for block in blocks:
        value = json.loads(block)
        if isinstance(value, dict) and "parties" in value:
            ANSWER_DECODER.decode(block)
        if isinstance(value, dict) and "subject" in value:
            msgspec.convert(value, PartiesRequest)


def test_every_settings_key_in_the_guide_exists() -> None:
    table = GUIDE.split("## Settings", 1)[1].split("## Data files", 1)[0]
    keys = set()
    for row in re.findall(r"^\| (.+?) \|", table, flags=re.MULTILINE):
        keys |= set(re.findall(r"`([a-z_]+)`", row))
    known = (
        set(Settings.__struct_fields__)
        | set(ProviderSettings.__struct_fields__)
        | set(ApiSettings.__struct_fields__)
        | {"provider", "api"}
    )
    assert keys
    assert keys - known - {"callers"} == set(), keys - known


def test_the_example_configuration_loads_with_its_files() -> None:
    settings = load_settings(EXAMPLE / "employer-rules.toml", environ={})
    assert settings.organisations_file is not None
    assert settings.initial_rules_file is not None
    known = {o.orgno for o in load_organisations(settings.organisations_file)}
    rules = load_initial_rules(settings.initial_rules_file)
    assert {rule.orgno for rule in rules} <= known
    client = (EXAMPLE / "provider-client.toml").read_text()
    assert settings.redirect_uri in client
    assert settings.post_logout_redirect_uri in client
    assert f'client_id = "{settings.provider.client_id}"' in client
