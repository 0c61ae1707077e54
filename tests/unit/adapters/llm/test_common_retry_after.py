"""Retry-After parsing shared by the vendor adapters."""

from __future__ import annotations

import email.utils
import time

import httpx2
import pytest

from adapters.llm.common.retry_after import parse_retry_after

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [({"retry-after-ms": "1500", "retry-after": "9"}, 1.5), ({"retry-after-ms": "soon", "retry-after": "9"}, 9.0),
     ({"retry-after": "3"}, 3.0), ({"Retry-After": "0.25"}, 0.25), ({"retry-after": "-3"}, 0.0),
     ({"retry-after": "soon"}, None), ({}, None)],
)
def test_seconds_or_milliseconds(headers: dict[str, str], seconds: float | None) -> None:
    assert parse_retry_after(httpx2.Headers(headers)) == seconds


def test_an_http_date_counts_from_now() -> None:
    date = email.utils.formatdate(time.time() + 60, usegmt=True)

    parsed = parse_retry_after(httpx2.Headers({"Retry-After": date}))

    assert parsed is not None and 55 <= parsed <= 61


def test_a_date_in_the_past_means_no_wait() -> None:
    date = email.utils.formatdate(time.time() - 60, usegmt=True)

    assert parse_retry_after(httpx2.Headers({"retry-after": date})) == 0.0
