"""Tenant API keys: their format and how they are stored (a SHA-256 digest, never the key)."""

from __future__ import annotations

import hashlib

KEY_PREFIX = "lgw-"
SHOWN_PREFIX_LEN = 12


def hash_key(key: str) -> str:
    """Keys are 256 random bits, so one unsalted SHA-256 is enough to make the stored form useless."""
    return hashlib.sha256(key.encode()).hexdigest()


def shown_prefix(key: str) -> str:
    return key[:SHOWN_PREFIX_LEN]


def mask_secret(secret: str | None) -> str | None:
    """What an API response may show of a vendor key: never more than its last four characters."""
    if not secret:
        return None
    if len(secret) < 12:
        return "****"
    return f"****{secret[-4:]}"
