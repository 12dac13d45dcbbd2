"""The provider as an ASGI application object, for servers that import one by name
(`python -m bench servers` serves it with uvicorn, granian and hypercorn; our
own `serve` command is measured as it is). Settings come from `ANSATTPORTEN_CONFIG`,
and logging is set up as `ansattporten serve` sets it up, so every server runs the same
application doing the same work."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from ansattporten.app import create_app
from ansattporten.settings import load_settings

_config = os.environ.get("ANSATTPORTEN_CONFIG")
_settings = load_settings(Path(_config) if _config else None)
logging.basicConfig(level=_settings.log_level)
app = create_app(_settings)
