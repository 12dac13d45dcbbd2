"""The provider as `bench.served_app` serves it, with each request's main-thread CPU
added up by login step (`bench.step_labels`), for `python -m bench steps`."""

from __future__ import annotations

from bench.served_app import app as provider_app
from bench.step_labels import step_of
from bench.step_timer import StepTimed

app = StepTimed(provider_app, step_of)
