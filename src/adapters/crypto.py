"""Encryption of vendor keys at rest, with a key derived from the operator's `LLMGW_SECRET_KEY`.

The Fernet key is SHA-256 of the secret, so the secret must itself be long and random (for example
`openssl rand -base64 32`). Changing it makes every stored vendor key unreadable: those providers then
load without a key (and say so in the log) until their keys are set again through the admin API.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

from application.ports.system import SecretBox


class FernetSecretBox(SecretBox):
    def __init__(self, secret_key: str) -> None:
        if not secret_key:
            raise ValueError("LLMGW_SECRET_KEY must not be empty")
        digest = hashlib.sha256(secret_key.encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(digest))  # the secret itself is not kept

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode("ascii")

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except (InvalidToken, UnicodeError) as exc:
            raise ValueError("ciphertext was not made with this LLMGW_SECRET_KEY") from exc

    def __repr__(self) -> str:
        return "FernetSecretBox(<secret hidden>)"
