"""The real clock and id source."""

from __future__ import annotations

import secrets
import time
import uuid
from datetime import UTC, datetime

from application.ports.system import Clock, IdFactory
from domain.keys import KEY_PREFIX


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.perf_counter()


class RandomIdFactory(IdFactory):
    def new_id(self) -> str:
        return str(uuid.uuid4())

    def new_api_key(self) -> str:
        return KEY_PREFIX + secrets.token_urlsafe(32)
