"""The people of tests/fixtures/altinn_paths.json, one per path of access, and what the
Altinn source must send Altinn; shared by the mock's unit tests and the end-to-end ones."""

from __future__ import annotations

RESOURCE = "app_ttd_paths"
ROLE = "01827010045"
"""MEDL on an AS with one sub-unit (the role is in the resource's policy)."""
PACKAGE = "02827010084"
"""The package `lonn`, delegated alone."""
DIRECT = "03827010013"
"""The resource delegated directly, `read` only."""
NONE = "04827010052"
"""A role and a package that give other things."""
SUB_ROLE = "05827010091"
"""MEDL on one sub-unit only."""
INSTANCE = "06827010020"
"""One instance of the resource, nothing else."""
ACCOUNTANT = "07827010140"
"""Daglig leder of a firm that is REGN for one client."""
DELETED = "08827010260"
"""The package on a deleted AS and on an active one."""

INCLUDE_FLAGS = (
    "includeRoles",
    "includeAccessPackages",
    "includeResources",
    "includeInstances",
    "includePartiesViaKeyRoles",
    "includeSubParties",
    "includeInactiveParties",
)
"""Every include flag the source sends, each `true`."""
