"""The secret box when `LLMGW_SECRET_KEY` is unset: the gateway runs, but stores no vendor key."""

from __future__ import annotations

from application.ports.system import SecretBox
from domain.errors import InvalidRequestError


class NoSecretBox(SecretBox):
    def encrypt(self, plaintext: str) -> str:
        raise InvalidRequestError(
            "LLMGW_SECRET_KEY is not set: the gateway cannot store vendor API keys", param="api_key"
        )

    def decrypt(self, ciphertext: str) -> str:
        raise ValueError("LLMGW_SECRET_KEY is not set: stored vendor keys cannot be read")
