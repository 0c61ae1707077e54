"""One `genai.Client` per configured provider: Gemini Developer API, no SDK retries, no ambient config."""

from __future__ import annotations

import os
import re
import ssl
from collections.abc import Mapping
from functools import cache

import certifi
from google import genai
from google.genai import types
from google.genai.client import DebugConfig

GEMINI_BASE_URL = "https://generativelanguage.googleapis.com"
DEFAULT_API_VERSION = "v1"  # google-genai 3.4's default, passed explicitly
KEY_HEADER = "x-goog-api-key"
NO_KEY = "no-key"  # the SDK insists on a key; keyless providers send no key header instead
_VERSION_SUFFIX = re.compile(r"/(v\d+(?:alpha|beta)?\d*)/?$")


def split_api_version(base_url: str) -> tuple[str, str]:
    """`https://host/v1beta` -> (`https://host`, `v1beta`): the SDK adds the version itself, so a
    base URL copied from Google's docs with a version suffix still works and picks that version."""
    if match := _VERSION_SUFFIX.search(base_url):
        return base_url[: match.start()], match.group(1)
    return base_url.rstrip("/"), DEFAULT_API_VERSION


@cache
def shared_ssl_context() -> ssl.SSLContext:
    """The SDK's own default (certifi, or SSL_CERT_FILE / SSL_CERT_DIR), built once: left to
    itself the SDK loads the CA bundle three times per client (aiohttp, httpx, websockets), ~80 ms."""
    return ssl.create_default_context(
        cafile=os.environ.get("SSL_CERT_FILE", certifi.where()), capath=os.environ.get("SSL_CERT_DIR")
    )


def build_gemini_client(
    *, base_url: str | None, api_key: str | None, timeout_s: float, extra_headers: Mapping[str, str]
) -> genai.Client:
    """Everything explicit, so GOOGLE_API_KEY / GEMINI_API_KEY, GOOGLE_GEMINI_BASE_URL,
    GOOGLE_GENAI_API_VERSION, GOOGLE_GENAI_USE_VERTEXAI and GOOGLE_GENAI_CLIENT_MODE never apply.

    `timeout_s` is the whole-request timeout of `complete` (the SDK also sends it to Google as
    `X-Server-Timeout`); streams replace it with an idle timeout per read (see `transport.py`).
    `attempts=1` turns off both the SDK's tenacity retries and its implicit retry of a dropped
    aiohttp connection after sleeping 1-10 s."""
    root, version = split_api_version(base_url or GEMINI_BASE_URL)
    client = genai.Client(
        vertexai=False,
        api_key=api_key or NO_KEY,
        debug_config=DebugConfig(client_mode=None, replays_directory=None, replay_id=None),
        http_options=types.HttpOptions(
            base_url=root,
            api_version=version,
            timeout=max(1, round(timeout_s * 1000)),  # milliseconds
            headers=dict(extra_headers),
            retry_options=types.HttpRetryOptions(attempts=1),
            client_args={"verify": shared_ssl_context()},
            async_client_args={"ssl": shared_ssl_context(), "verify": shared_ssl_context()},
        ),
    )
    headers = client._api_client._http_options.headers or {}
    if headers.get(KEY_HEADER) == NO_KEY:  # dropped once here: the SDK copies these headers per request
        del headers[KEY_HEADER]
    return client
