"""Structured JSON logs.

One JSON object per line with time, level, logger, message, the request id and any
`extra` fields. Nothing here adds personal data; the code that logs must not pass
national identity numbers, tokens, codes or secrets (the tests grep for them).
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from ansattporten.web.request_id import current_request_id

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": current_request_id.get(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(level: str, *, json_lines: bool) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter() if json_lines else logging.Formatter("%(levelname)s %(name)s %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every URL it calls at INFO; register URLs carry no personal data, but
    # keep the provider's own log the place to look. The database drivers log every
    # statement with its parameters at DEBUG (national identity numbers, token hashes):
    # never let `log_level = "DEBUG"` turn that on.
    for name in ("httpx", "httpcore", "aiosqlite", "asyncpg", "sqlalchemy"):
        logging.getLogger(name).setLevel(logging.WARNING)
