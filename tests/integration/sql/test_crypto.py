from __future__ import annotations

import pytest

from adapters.crypto import FernetSecretBox

pytestmark = pytest.mark.unit

SECRET = "operator-secret-value-123"


def test_decrypt_returns_plaintext_when_same_key() -> None:
    box = FernetSecretBox(SECRET)

    ciphertext = box.encrypt("sk-ünïcode-key")

    assert "sk-" not in ciphertext
    assert box.decrypt(ciphertext) == "sk-ünïcode-key"
    assert FernetSecretBox(SECRET).decrypt(ciphertext) == "sk-ünïcode-key"  # same secret, new instance


def test_encrypt_differs_each_time_for_same_plaintext() -> None:
    box = FernetSecretBox(SECRET)

    assert box.encrypt("sk-x") != box.encrypt("sk-x")


@pytest.mark.parametrize("ciphertext", [FernetSecretBox("other-secret").encrypt("sk-x"), "garbage", ""])
def test_decrypt_raises_value_error_when_not_made_with_this_key(ciphertext: str) -> None:
    with pytest.raises(ValueError, match="LLMGW_SECRET_KEY"):
        FernetSecretBox(SECRET).decrypt(ciphertext)


def test_repr_hides_secret() -> None:
    box = FernetSecretBox(SECRET)

    assert SECRET not in repr(box)
    assert SECRET not in str(box)
    assert repr(box) == "FernetSecretBox(<secret hidden>)"


def test_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="must not be empty"):
        FernetSecretBox("")
