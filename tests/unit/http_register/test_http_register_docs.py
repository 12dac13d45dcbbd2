"""The published contract (docs/http-register.*) and the code agree."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import msgspec
import yaml

from authz_sources.http_register.wire import (
    ANSWER_DECODER,
    ORG_ID,
    PartiesRequest,
    Subject,
    WireParty,
)

DOCS = Path(__file__).parents[3] / "docs"


def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DOCS / "http-register.openapi.yaml").read_text())
    return loaded


def test_openapi_document_basics() -> None:
    document = spec()
    assert document["openapi"] == "3.1.0"
    assert document["info"]["version"] == "1.1"
    assert set(document["paths"]) == {"/parties", "/health"}
    pattern = document["components"]["schemas"]["OrgId"]["pattern"]
    assert pattern == f"^{ORG_ID.pattern}$"


def test_openapi_examples_decode_with_the_real_decoders() -> None:
    operation = spec()["paths"]["/parties"]["post"]
    answers = operation["responses"]["200"]["content"]["application/json"]["examples"]
    for example in answers.values():
        ANSWER_DECODER.decode(json.dumps(example["value"]))
    requests = operation["requestBody"]["content"]["application/json"]["examples"]
    for example in requests.values():
        msgspec.convert(example["value"], PartiesRequest)


def test_subject_fields_in_the_docs_are_the_wire_fields() -> None:
    """Contract 1.1: every identifier the provider may send is documented."""
    request = spec()["components"]["schemas"]["PartiesRequest"]
    assert set(request["properties"]) == set(PartiesRequest.__struct_fields__)
    assert set(request["properties"]["subject"]["properties"]) == set(Subject.__struct_fields__)


def test_answer_fields_in_the_docs_are_the_decoders_fields() -> None:
    party = spec()["components"]["schemas"]["Party"]
    assert set(party["properties"]) == set(WireParty.__struct_fields__)
    assert set(party["required"]) == {"id", "name"}


def test_json_blocks_in_the_guide_are_valid_json() -> None:
    text = (DOCS / "http-register.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", text, flags=re.DOTALL)
    assert blocks
    for block in blocks:
        value = json.loads(block)
        if "parties" in value:
            ANSWER_DECODER.decode(block)
