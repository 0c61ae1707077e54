"""Clock, ids, secrets and health: the small ports every use case may need."""

from __future__ import annotations

from abc import abstractmethod
from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    @abstractmethod
    def now(self) -> datetime:
        """Aware UTC wall time."""

    @abstractmethod
    def monotonic(self) -> float:
        """Seconds, for measuring durations."""


class IdFactory(Protocol):
    @abstractmethod
    def new_id(self) -> str: ...

    @abstractmethod
    def new_api_key(self) -> str:
        """A fresh tenant key with 256 random bits."""


class SecretBox(Protocol):
    @abstractmethod
    def encrypt(self, plaintext: str) -> str: ...

    @abstractmethod
    def decrypt(self, ciphertext: str) -> str:
        """Raises ValueError when the ciphertext was not made with this key."""


class HealthProbe(Protocol):
    name: str

    @abstractmethod
    async def check(self) -> bool:
        """True when the component answers; never raises."""
