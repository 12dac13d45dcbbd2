"""The public keys of API callers that authenticate with `private_key_jwt`: read from a
JWKS file at start, or fetched from a `jwks_uri` and cached (5 minutes; an unknown `kid`
refetches, at most every 10 seconds, so forged `kid`s cannot make us hammer the URI)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
from joserfc.jwk import KeySet

from employer_rules.settings import ApiCaller

CACHE_SECONDS = 300.0
REFETCH_AFTER_SECONDS = 10.0


class KeysUnavailable(Exception):
    """The caller's keys cannot be read now."""


def _key_set(data: Any) -> KeySet:
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise KeysUnavailable("not a JWKS")
    public = [{k: v for k, v in key.items() if k != "d"} for key in data["keys"]]
    return KeySet.import_key_set({"keys": public})


class CallerKeys:
    def __init__(self, caller: ApiCaller, *, timeout: float = 5.0) -> None:
        self.caller = caller
        self._timeout = timeout
        self._keys: KeySet | None = None
        self._fetched = 0.0
        self._lock = asyncio.Lock()
        if caller.jwks_file is not None:
            try:
                self._keys = _key_set(json.loads(caller.jwks_file.read_text("utf-8")))
            except (OSError, ValueError) as exc:
                raise KeysUnavailable(
                    f"`api.callers` {caller.client_id!r}: cannot read jwks_file "
                    f"{caller.jwks_file}: {exc}"
                ) from exc

    async def get(self, kid: str | None) -> KeySet:
        if self.caller.jwks_uri is None:
            assert self._keys is not None
            return self._keys
        async with self._lock:
            age = time.monotonic() - self._fetched
            unknown = self._keys is None or (
                kid is not None and all(key.kid != kid for key in self._keys.keys)
            )
            if (
                self._keys is None
                or age > CACHE_SECONDS
                or (unknown and age > REFETCH_AFTER_SECONDS)
            ):
                self._keys = await self._fetch()
                self._fetched = time.monotonic()
            return self._keys

    async def _fetch(self) -> KeySet:
        assert self.caller.jwks_uri is not None
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as http:
                answer = await http.get(self.caller.jwks_uri)
                answer.raise_for_status()
                return _key_set(answer.json())
        except (httpx.HTTPError, ValueError) as exc:
            raise KeysUnavailable(f"jwks_uri of {self.caller.client_id!r}: {exc}") from exc
