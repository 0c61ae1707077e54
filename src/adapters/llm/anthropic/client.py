"""One `AsyncAnthropic` per configured provider: aiohttp transport, no SDK retries, no ambient config."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import anthropic

ANTHROPIC_BASE_URL = "https://api.anthropic.com"  # the SDK's default, passed explicitly
NO_KEY = "no-key"  # the SDK insists on a credential; a keyless provider sends no Authorization instead
# (its extra headers may carry its own: `Authorization`, or `x-api-key` as older servers take it)


def build_anthropic_client(
    *, base_url: str, api_key: str | None, timeout_s: float, extra_headers: Mapping[str, str]
) -> anthropic.AsyncAnthropic:
    """An explicit key and base URL, so ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN / ANTHROPIC_BASE_URL and
    credential profiles on disk never apply; tracing off, so ANTHROPIC_OPEN_TELEMETRY* neither (and no
    spans on the hot path). The SDK still merges ANTHROPIC_CUSTOM_HEADERS, an operator's deliberate
    setting, under the provider's extra headers. The key travels as `Authorization: Bearer`.
    `timeout_s` bounds connecting and each socket read, so a stream may run longer as long as bytes
    keep coming."""
    headers: dict[str, str | anthropic.Omit] = dict(extra_headers)
    if not api_key and not any(name.lower() == "authorization" for name in headers):
        headers["Authorization"] = anthropic.omit
    return anthropic.AsyncAnthropic(
        api_key=api_key or NO_KEY,
        base_url=base_url,
        timeout=timeout_s,
        max_retries=0,  # the gateway's fallback policy is the only retry loop
        open_telemetry=False,
        default_headers=cast(Mapping[str, str], headers),  # the SDK drops `Omit` values
        http_client=anthropic.DefaultAioHttpClient(timeout=timeout_s),
    )
