"""Every representation decision leaves an audit record (who, for which service, what was
offered and chosen, how each register answered); `ansattporten audit list` shows it with
the national identity number masked, and the record never holds a code or a token."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from tests.support import altinn_oracle as oracle
from tests.support.cli import run_cli, write_settings
from tests.support.login_driver import LoginDriver
from tests.support.representation import redeem_details, to_picker
from tests.support.tokens import rows

RESOURCE = "app_ttd_apps-test"
CLIENT = "second-service"


@pytest.fixture(scope="module")
def logins(rar_provider, altinn_people, altinn_demo):
    """One login granted for an organisation and one as oneself, by another client than
    the other tests use; returns what the service got from each."""
    pid = altinn_people["main_with_subunits"]
    orgno = sorted(oracle.eligible(altinn_demo, pid, RESOURCE))[0]
    done = {}
    for outcome, choice in (("granted", {"parties": [orgno]}), ("self", {"self_choice": True})):
        driver = LoginDriver(rar_provider.base_url, client_id=CLIENT)
        try:
            picker = to_picker(driver, [oracle.resource_detail(RESOURCE)], pid)
            response = driver.choose(picker, **choice)
            code = driver.callback(response)["code"]
            tokens = driver.redeem(code).json()
            done[outcome] = {"code": code, **tokens}
        finally:
            driver.close()
    return {"pid": pid, "orgno": orgno, **done}


def audit_lines(tmp_path, rar_provider) -> list[str]:
    settings = write_settings(tmp_path, rar_provider.settings.database_url)
    result = run_cli("audit", "list", "--config", str(settings))
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_audit_list_shows_the_granted_login_with_the_pid_masked(tmp_path, rar_provider, logins):
    pid = logins["pid"]
    lines = audit_lines(tmp_path, rar_provider)

    assert pid not in "\n".join(lines), "the full national identity number is never shown"
    ours = [line for line in lines if CLIENT in line]
    granted = [line for line in ours if re.search(r"\bgranted\b", line)]
    assert len(granted) == 1, lines
    line = granted[0]
    assert pid[:6] + "*" * 5 in line
    assert logins["orgno"] in line
    assert re.search(r"\baltinn [0-9.]+ ms ok\b", line), line


def test_audit_list_shows_the_self_choice(tmp_path, rar_provider, logins):
    lines = [line for line in audit_lines(tmp_path, rar_provider) if CLIENT in line]

    [line] = [line for line in lines if re.search(r"\bself\b", line)]
    assert logins["pid"][:6] + "*" * 5 in line
    assert logins["orgno"] not in line.split("chosen=", 1)[-1]


def test_audit_record_holds_the_decision(rar_provider, logins):
    database = rar_provider.settings.database_url
    records = rows(database, "SELECT * FROM audit_records WHERE client_id = ?", CLIENT)

    by_outcome = {record["outcome"]: record for record in records}
    assert set(by_outcome) == {"granted", "self"}
    granted = by_outcome["granted"]
    assert granted["pid"] == logins["pid"]
    assert json.loads(granted["chosen"]) == [logins["orgno"]]
    assert logins["orgno"] in json.loads(granted["offered"])
    assert json.loads(by_outcome["self"]["chosen"]) == []
    for record in records:
        timings = json.loads(record["sources"])
        assert timings
        assert all(t["source"] == "altinn" for t in timings)
        assert all(t["ms"] >= 0 for t in timings)


def test_audit_table_never_holds_a_code_or_a_token(rar_provider, logins):
    table = rows(rar_provider.settings.database_url, "SELECT * FROM audit_records")
    dump = json.dumps([dict(record) for record in table])

    assert table
    for outcome in ("granted", "self"):
        got = logins[outcome]
        secrets = [got["code"], hashlib.sha256(got["code"].encode()).hexdigest()]
        secrets += [got["access_token"], got["id_token"]]
        secrets += [token.split(".")[2] for token in (got["access_token"], got["id_token"])]
        for secret in secrets:
            assert secret not in dump


def test_granted_details_match_the_audit(rar_driver, altinn_people, altinn_demo, rar_provider):
    """The audit's `chosen` is what the token says, for a fresh login by another client."""
    pid = altinn_people["hierarchy_only_parent"]
    orgno = sorted(oracle.eligible(altinn_demo, pid, RESOURCE))[-1]
    picker = to_picker(rar_driver, [oracle.resource_detail(RESOURCE)], pid)

    tokens = redeem_details(rar_driver, rar_driver.choose(picker, parties=[orgno]))

    [record] = rows(
        rar_provider.settings.database_url,
        "SELECT chosen FROM audit_records WHERE pid = ? AND outcome = 'granted'",
        pid,
    )
    assert json.loads(record["chosen"]) == sorted(
        oracle.orgnos_of(tokens["authorization_details"][0])
    )
