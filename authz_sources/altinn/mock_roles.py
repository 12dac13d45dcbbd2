"""The roles the mock Altinn knows: Enhetsregisteret (ER) roles and what they give.

In Altinn 3 a role held for an organisation is a connection that carries access
packages: a daglig leder gets a long list of packages from the role, a regnskapsfører
firm gets the `regnskapsforer-*` packages for each client. Key roles (daglig leder,
innehaver, styrets leder, ...) also let their holder act for whatever the organisation
itself was given ("via key role": the accountant employee reaching the firm's clients).

Codes follow Altinn's current role table: today's code (`daglig-leder`) and the legacy
code (`dagl`) that `urn:altinn:rolecode:` policies and older clients use. A fixture
names a role by either, in any case, and may add or redefine roles in its `roles` table.
Which packages each key role gives is **[INFERRED]**: Altinn's guide shows a daglig
leder with 100+ packages; here the key roles share a representative subset of them.
"""

from __future__ import annotations

import msgspec

KEY_ROLE_PACKAGES = (
    "a-ordning",
    "ansettelsesforhold",
    "helsetjenester",
    "hovedadministrator",
    "lonn",
    "merverdiavgift",
    "ordinaer-post-til-virksomheten",
    "rapportering-statistikk",
    "regnskap-okonomi-rapport",
    "skatt-naering",
    "skattegrunnlag",
    "starte-drive-endre-avvikle-virksomhet",
    "sykefravaer",
    "tilgangsstyrer",
)
"""Packages every key role gives in the mock (a subset of what Altinn's guide lists)."""

ACCOUNTANT_PACKAGES = (
    "regnskapsforer-lonn",
    "regnskapsforer-med-signeringsrettighet",
    "regnskapsforer-uten-signeringsrettighet",
)
AUDITOR_PACKAGES = ("ansvarlig-revisor", "revisormedarbeider")


class RoleDef(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One role: its codes, whether it is a key role, and the packages it carries."""

    code: str
    legacy: str | None = None
    key_role: bool = False
    packages: tuple[str, ...] = ()

    def codes(self) -> list[str]:
        """What `authorizedRoles` lists for it: today's code and the legacy code, as
        Altinn's authorized-parties service enriches a party with both."""
        return [self.code, *([self.legacy] if self.legacy else [])]


def _key(code: str, legacy: str) -> RoleDef:
    return RoleDef(code=code, legacy=legacy, key_role=True, packages=KEY_ROLE_PACKAGES)


BUILT_IN: dict[str, RoleDef] = {
    "DAGL": _key("daglig-leder", "dagl"),
    "INNH": _key("innehaver", "innh"),
    "LEDE": _key("styreleder", "lede"),
    "DTPR": _key("deltaker-delt-ansvar", "dtpr"),
    "DTSO": _key("deltaker-fullt-ansvar", "dtso"),
    "KOMP": _key("komplementar", "komp"),
    "BEST": _key("bestyrende-reder", "best"),
    "BOBE": _key("bostyrer", "bobe"),
    "MEDL": RoleDef(code="styremedlem", legacy="medl"),
    "NEST": RoleDef(code="nestleder", legacy="nest"),
    "VARA": RoleDef(code="varamedlem", legacy="vara"),
    "KONT": RoleDef(code="kontaktperson", legacy="kont"),
    "SIGN": RoleDef(code="signerer", legacy="sign"),
    "PROK": RoleDef(code="prokurist", legacy="prok"),
    "REGN": RoleDef(code="regnskapsforer", legacy="regn", packages=ACCOUNTANT_PACKAGES),
    "REVI": RoleDef(code="revisor", legacy="revi", packages=AUDITOR_PACKAGES),
    # an Altinn role, not an ER role; its legacy code is the Altinn 2 one [INFERRED]
    "HADM": RoleDef(code="hovedadministrator", legacy="hadm", packages=KEY_ROLE_PACKAGES),
}


class RoleTable:
    """Roles by any of their names (legacy or today's code, any case)."""

    def __init__(self, extra: dict[str, RoleDef]) -> None:
        self.by_name: dict[str, RoleDef] = {}
        for name, role in (BUILT_IN | extra).items():
            for alias in (name, role.code, role.legacy):
                if alias:
                    self.by_name[alias.lower()] = role

    def get(self, name: str) -> RoleDef | None:
        return self.by_name.get(name.lower())

    @staticmethod
    def matches(role: RoleDef, subject: str) -> bool:
        """Whether a policy subject (`urn:altinn:rolecode:dagl`, `urn:altinn:role:
        daglig-leder`) names this role."""
        lowered = subject.lower()
        if lowered.startswith("urn:altinn:rolecode:"):
            name = lowered.removeprefix("urn:altinn:rolecode:")
            return name in {(role.legacy or "").lower(), role.code.lower()}
        if lowered.startswith("urn:altinn:role:"):
            return lowered.removeprefix("urn:altinn:role:") == role.code.lower()
        return False
