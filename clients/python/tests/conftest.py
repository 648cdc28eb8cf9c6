"""The running stack these tests talk to; test/clients/python-client.test.ts starts it and sets these."""

from __future__ import annotations

import os

import pytest

from analytics_automated import Client


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run these tests through test/clients/python-client.test.ts")
    return value


@pytest.fixture
def aa():
    with Client(_env("AA_URL"), api_key=os.environ.get("AA_API_KEY") or None) as client:
        yield client


@pytest.fixture
def jobs() -> dict[str, str]:
    """The seeded jobs: two_step (upper, then note with a parameter), slow (sleeps), copy (cp)."""
    return {
        "two_step": _env("AA_TWO_STEP_JOB"),
        "note_param": _env("AA_NOTE_PARAM"),
        "slow": _env("AA_SLOW_JOB"),
        "copy": _env("AA_COPY_JOB"),
    }
