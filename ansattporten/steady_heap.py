"""Keep the garbage collector's full passes short on a running server.

Python's cyclic collector now and then walks every tracked object (a generation-2
pass). After start-up a worker holds some hundred thousand long-lived objects (the
imported modules, Litestar's routes, SQLAlchemy's mappers, the keys), and each such pass
stopped the event loop for 80-90 ms, long enough to stall every login in flight and
to set the picker step's 99th percentile under load. Those objects live as long as the
server does, so there is no garbage among them to find: `gc.freeze()` sets them aside
and the full passes walk only what requests allocate afterwards.

Shutting down gives them back to the collector (`gc.unfreeze()`), so a process that
starts and stops many apps (the test suite) can still reclaim them.
"""

from __future__ import annotations

import gc


def set_aside_start_up_objects() -> None:
    """Collect once (garbage from start-up is not kept forever), then freeze the rest."""
    gc.collect()
    gc.freeze()


def give_back_start_up_objects() -> None:
    gc.unfreeze()
