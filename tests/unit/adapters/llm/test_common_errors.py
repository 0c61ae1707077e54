"""The vendor-neutral ends of the exception -> ProviderError translation."""

from __future__ import annotations

import aiohttp
import httpx2
import pytest

from adapters.llm.common.errors import (
    MAX_MESSAGE,
    exception_chain,
    kind_for_status,
    provider_error,
    timed_out,
    transport_failure,
)
from domain.errors import ProviderErrorKind as Kind

pytestmark = pytest.mark.unit


def raised(exc: BaseException, cause: BaseException) -> BaseException:
    try:
        raise exc from cause
    except BaseException as caught:
        return caught


def test_the_chain_runs_from_the_error_to_its_root_and_stops_on_a_cycle() -> None:
    root = OSError("refused")
    top = raised(RuntimeError("wrapped"), raised(ValueError("middle"), root))
    root.__context__ = top

    assert [type(e) for e in exception_chain(top)] == [RuntimeError, ValueError, OSError]


@pytest.mark.parametrize(
    ("exc", "expected"),
    [(raised(httpx2.ReadTimeout("slow"), TimeoutError()), True),
     (raised(httpx2.ConnectTimeout("refused"), aiohttp.ClientConnectionError()), False),
     (httpx2.ConnectTimeout("no cause"), True),
     (raised(RuntimeError("x"), OSError("reset")), False)],
)
def test_a_timeout_is_real_unless_a_connection_failure_lies_under_it(exc: BaseException, expected: bool) -> None:
    assert timed_out(exc, sdk_timeouts=(httpx2.TimeoutException,)) is expected


def test_a_transport_failure_is_named_after_its_root_cause() -> None:
    exc = raised(httpx2.ConnectError("x"), ConnectionRefusedError())

    assert transport_failure(exc, timed_out=False) == (Kind.CONNECTION,
                                                       "connection to the vendor failed (ConnectionRefusedError)")
    assert transport_failure(exc, timed_out=True) == (Kind.TIMEOUT, "the vendor did not answer in time")


def test_the_provider_error_message_is_cut_then_scrubbed() -> None:
    key = "sk-proj-abcdefghijklmnopqrstuvwxyz0123"

    error = provider_error(Kind.AUTH, f"bad key {key} " + "x" * 1000, provider="p", secrets=(key,), status=401)

    assert key not in str(error) and error.message.startswith("bad key ***")
    assert len(error.message) <= MAX_MESSAGE
    assert (error.kind, error.status, error.provider, error.retry_after) == (Kind.AUTH, 401, "p", None)


@pytest.mark.parametrize(
    ("status", "kind"),
    [(429, Kind.RATE_LIMITED), (401, Kind.AUTH), (402, Kind.AUTH), (403, Kind.AUTH), (404, Kind.NOT_FOUND),
     (408, Kind.TIMEOUT), (503, Kind.OVERLOADED), (529, Kind.OVERLOADED), (504, None), (500, None), (400, None)],
)
def test_the_status_decides_alone_where_every_vendor_agrees(status: int, kind: Kind | None) -> None:
    assert kind_for_status(status) is kind


def test_a_vendor_may_name_more_timeout_statuses() -> None:
    assert kind_for_status(504, timeouts=(408, 504)) is Kind.TIMEOUT
