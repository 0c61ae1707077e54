"""One log format for the process; secrets never reach it (settings and providers redact themselves)."""

from __future__ import annotations

import logging


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    # The SDKs log request details at DEBUG; keep them quiet even when we are verbose.
    for noisy in ("httpx", "httpx2", "openai", "anthropic", "google_genai", "mistralai", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
