"""One `AsyncOpenAI` per configured provider: aiohttp transport, no SDK retries, no ambient config."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import openai

OPENAI_BASE_URL = "https://api.openai.com/v1"  # the SDK's default, passed explicitly
NO_KEY = "no-key"  # the SDK insists on a key; keyless providers send no Authorization header instead


def build_openai_client(
    *, base_url: str, api_key: str | None, timeout_s: float, extra_headers: Mapping[str, str]
) -> openai.AsyncOpenAI:
    """Explicit base URL and key so OPENAI_BASE_URL / OPENAI_API_KEY in the environment never apply;
    OpenAI-Organization / OpenAI-Project (read from OPENAI_ORG_ID / OPENAI_PROJECT_ID) are omitted
    unless the provider's extra headers set them. `timeout_s` bounds connecting and each socket read
    (aiohttp's sock_read), so a stream may run longer than it as long as bytes keep coming."""
    headers: dict[str, str | openai.Omit] = {
        "OpenAI-Organization": openai.omit, "OpenAI-Project": openai.omit,
    }
    headers.update(extra_headers)
    return openai.AsyncOpenAI(
        api_key=api_key or NO_KEY,
        base_url=base_url,
        timeout=timeout_s,
        max_retries=0,  # the gateway's fallback policy is the only retry loop
        default_headers=cast(Mapping[str, str], headers),  # the SDK drops `Omit` values
        http_client=openai.DefaultAioHttpClient(timeout=timeout_s),
    )
