"""Fixtures that run the LLM contract suite against every adapter.

`openai` and `mock` are built in (see `harness.py`). Every other vendor plugs in with a module
`harness_<vendor>.py` beside this file that defines `open_harness()`: an async context manager
yielding an object with `Harness`'s interface (`model`, `provider()`, `script_tool_call()`,
`arrange_fault()`), backed by that vendor's fake server."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.contract.llm.harness import Harness
from tests.fakes.fake_openai import FakeOpenAI

VENDOR_HARNESSES = sorted(p.stem.removeprefix("harness_") for p in Path(__file__).parent.glob("harness_*.py"))


@pytest.fixture(scope="session")
async def fake_openai() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as fake:
        yield fake


@pytest.fixture(params=["openai", "mock", *VENDOR_HARNESSES])
async def harness(request: pytest.FixtureRequest, fake_openai: FakeOpenAI) -> AsyncIterator[Any]:
    if request.param in VENDOR_HARNESSES:
        module = importlib.import_module(f"tests.contract.llm.harness_{request.param}")
        async with module.open_harness() as vendor_harness:
            yield vendor_harness
        return
    fake_openai.reset()
    h = Harness(request.param, fake_openai if request.param == "openai" else None)
    yield h
    for provider in h.opened:
        await provider.aclose()
