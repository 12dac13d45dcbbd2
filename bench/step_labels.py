"""Which step of a login a request is, from its method and path, for
`python -m bench steps`.

The patterns are the provider's own (`ansattporten.routes`), so a path that moves
there moves here. A path is matched against every path routes.py declares and the
most specific match wins (fewest parameters), as a router decides: `/login/x/cancel`
is the cancel route, not the form eID's POST with eID "cancel". Only the routes a full
login uses are steps; everything else is `OTHER`.
"""

from __future__ import annotations

import re
from typing import Final

from ansattporten import routes
from ansattporten.settings_eids import DEFAULT_EIDS

OTHER: Final = "other"

TESTID: Final = next(name for name, eid in DEFAULT_EIDS.items() if eid.kind == "testid")
"""The form eID the bench's provider offers (it runs with the default eIDs)."""

STEPS: Final = (
    ("PAR", "POST", routes.PAR),
    ("authorize", "GET", routes.AUTHORIZE),
    ("login page GET", "GET", routes.LOGIN),
    ("login POST (TestID)", "POST", routes.LOGIN_EID.replace("{eid}", TESTID)),
    ("picker GET", "GET", routes.ORGANISATION),
    ("picker POST", "POST", routes.ORGANISATION),
    ("token", "POST", routes.TOKEN),
)
"""(step, method, path pattern) in the order a login takes them."""
STEP_NAMES: Final = tuple(step for step, _method, _path in STEPS)


def _declared_paths() -> list[str]:
    found: list[str] = []
    for name, value in vars(routes).items():
        if not name.isupper():
            continue
        for path in value if isinstance(value, tuple) else (value,):
            if isinstance(path, str) and path.startswith("/"):
                found.append(path)
    return found


def _regex(pattern: str) -> re.Pattern[str]:
    literal = re.split(r"\{[^}]+\}", pattern)
    return re.compile("[^/]+".join(re.escape(part) for part in literal) + r"\Z")


def _specificity(pattern: str) -> int:
    return pattern.count("{")


_PATTERNS: Final = sorted(
    {*_declared_paths(), *(path for _step, _method, path in STEPS)},
    key=lambda p: (_specificity(p), p),
)
_COMPILED: Final = [(pattern, _regex(pattern)) for pattern in _PATTERNS]
_BY_ROUTE: Final = {(method, path): step for step, method, path in STEPS}


def route_of(path: str) -> str | None:
    """The most specific pattern of routes.py that `path` matches, if any."""
    for pattern, regex in _COMPILED:
        if regex.match(path):
            return pattern
    return None


def step_of(method: str, path: str) -> str:
    """The login step of a request, or `OTHER`."""
    pattern = route_of(path)
    if pattern is None:
        return OTHER
    return _BY_ROUTE.get((method, pattern), OTHER)
