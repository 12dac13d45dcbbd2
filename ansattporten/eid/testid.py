"""TestID: the passwordless test eID of the test environment.

The tester types a synthetic national identity number and picks a level of assurance
the client accepts. Only numbers with valid check digits are accepted; by default only
synthetic ones (month + 80 or + 40), so a real person's number cannot be used by mistake.
The person gets the synthetic name of the number (`testid_names`), which the id_token
carries as `name`, as Ansattporten's TestID does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from ansattporten.eid.base import EidError, EidStart
from ansattporten.eid.testid_names import synthetic_name
from ansattporten.outcomes import ShowPage
from ansattporten.records import Authentication, Person
from ansattporten.spec.norwegian_pid import is_synthetic, is_valid_pid
from ansattporten.vocabulary import ACR_LEVELS, ACR_SHORT_FORMS, satisfies

ACR_LABELS = {level: f"login.acr.{short}" for level, short in ACR_SHORT_FORMS.items()}


class TestIdEid:
    kind: Literal["form"] = "form"
    __test__ = False  # not a pytest test class, despite the name

    def __init__(
        self,
        *,
        synthetic_only: bool = True,
        name: str = "testid",
        label: str = "TestID",
        acr_values: tuple[str, ...] = ACR_LEVELS,
    ) -> None:
        self.synthetic_only = synthetic_only
        self.name = name
        self.label = label
        self.acr_values = acr_values

    def accepted(self, requested: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(value for value in self.acr_values if satisfies(value, requested))

    def start(self, step: EidStart, *, error_key: str | None = None) -> ShowPage:
        levels = [acr for acr in step.acr_values if acr in ACR_LABELS and acr in self.acr_values]
        options = [
            {"value": acr, "label_key": ACR_LABELS[acr], "checked": index == len(levels) - 1}
            for index, acr in enumerate(levels)
        ]
        return ShowPage(
            "login_testid.html",
            {
                "client_name": step.client_name,
                "form_action": step.form_action,
                "cancel_action": step.cancel_action,
                "acr_options": options,
                "error_key": error_key,
            },
            status=400 if error_key else 200,
        )

    async def complete(
        self, form: Mapping[str, str], acr_values: Sequence[str], *, now: int
    ) -> Authentication:
        pid = form.get("pid", "").strip().replace(" ", "")
        if not is_valid_pid(pid):
            raise EidError("login.error.invalid_pid")
        if self.synthetic_only and not is_synthetic(pid):
            raise EidError("login.error.not_synthetic")
        acr = form.get("acr", "")
        if acr not in acr_values or acr not in ACR_LABELS or acr not in self.acr_values:
            raise EidError("login.error.invalid_acr")
        given_name, family_name = synthetic_name(pid)
        person = Person(pid=pid, given_name=given_name, family_name=family_name)
        return Authentication(person=person, eid=self.name, acr=acr, amr=("TestID",), auth_time=now)
