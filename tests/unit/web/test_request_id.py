"""Request ids come from a fast generator: still 16 hex digits, still distinct, and a
forked child does not repeat its parent's sequence."""

from __future__ import annotations

import os
import re

from ansattporten.web.request_id import new_request_id


def test_ids_are_sixteen_hex_digits_and_distinct() -> None:
    ids = [new_request_id() for _ in range(10_000)]
    assert all(re.fullmatch(r"[0-9a-f]{16}", value) for value in ids)
    assert len(set(ids)) == len(ids)


def test_a_forked_child_draws_other_ids_than_its_parent() -> None:
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.write(write_end, new_request_id().encode())
        os._exit(0)
    os.close(write_end)
    os.waitpid(child, 0)
    from_child = os.read(read_end, 64).decode()
    os.close(read_end)
    assert from_child != new_request_id()
