"""Fixtures that run the LLM contract suite against every adapter (see `harness.py`)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.contract.llm.harness import Harness
from tests.fakes.fake_openai import FakeOpenAI


@pytest.fixture(scope="session")
async def fake_openai() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as fake:
        yield fake


@pytest.fixture(params=["openai", "mock"])
async def harness(request: pytest.FixtureRequest, fake_openai: FakeOpenAI) -> AsyncIterator[Harness]:
    fake_openai.reset()
    h = Harness(request.param, fake_openai if request.param == "openai" else None)
    yield h
    for provider in h.opened:
        await provider.aclose()
