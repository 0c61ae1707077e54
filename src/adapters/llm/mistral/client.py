"""One `Mistral` SDK client per configured provider: our timeout, no SDK retries, no ambient config."""

from __future__ import annotations

import ssl
from functools import cache

import httpx2
from mistralai.client import Mistral

MISTRAL_SERVER_URL = "https://api.mistral.ai"  # the SDK's default server, passed explicitly
# As many connections as the openai SDK allows: a gateway holds many streams open at once.
LIMITS = httpx2.Limits(max_connections=1000, max_keepalive_connections=100)


@cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every client: loading the CA bundle takes ~40 ms, a catalog reload
    builds every provider again, and a shared context is safe to wrap many sockets with."""
    return httpx2.create_ssl_context()


def _no_key() -> str | None:
    return None


def server_url(base_url: str | None) -> str:
    """The SDK appends `/v1/chat/completions`; an OpenAI-style `…/v1` base URL is accepted too."""
    url = (base_url or MISTRAL_SERVER_URL).rstrip("/")
    return url.removesuffix("/v1")


def build_mistral_client(*, base_url: str | None, api_key: str | None, timeout_s: float) -> Mistral:
    """`timeout_s` bounds connecting and each socket read, so a stream may run longer than it as long
    as bytes keep coming. Redirects are not followed: a vendor answering with one would otherwise
    lead the request (and its key) past the operator's base URL allow-list. The SDK also wants a
    sync client, which the adapter never uses: it gets one on the shared TLS context, else the SDK
    would build its own with a fresh one."""
    timeout, tls = httpx2.Timeout(timeout_s), _tls()
    return Mistral(
        # without a key, a callable answering None: MISTRAL_API_KEY in the environment never applies
        api_key=api_key or _no_key,
        server_url=server_url(base_url),
        client=httpx2.Client(timeout=timeout, verify=tls, follow_redirects=False),
        async_client=httpx2.AsyncClient(timeout=timeout, verify=tls, follow_redirects=False, limits=LIMITS),
        retry_config=None,  # no SDK retries: the gateway's fallback policy is the only retry loop
        timeout_ms=round(timeout_s * 1000),  # else the SDK's own 300 s default overrides the client's
    )
