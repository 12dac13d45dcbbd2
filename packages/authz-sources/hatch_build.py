"""Ship `authz_sources/` in a built wheel, but never copy it into an editable install.

The package lives at the repository root, outside this folder, so a wheel has to pull it
in with a forced inclusion. Hatchling writes forced files into editable wheels too, and a
copy in site-packages comes before the repository root on `sys.path`: `ansattporten demo`
then ran the sources as they were at the last install, not as they are in the checkout.
Adding the inclusion from this hook for standard wheels only keeps one set of files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class SourcesOnlyInStandardWheels(BuildHookInterface):
    """Force-include `authz_sources/` when building a standard wheel.

    From a checkout the package is two folders up; from an unpacked sdist (which carries
    it) it is beside this file.
    """

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version != "standard":
            return
        beside = Path(self.root) / "authz_sources"
        source = "authz_sources" if beside.is_dir() else "../../authz_sources"
        build_data["force_include"][source] = "authz_sources"
