"""Authenticated encryption at rest for personal data (SECURITY.md rule 16).

Fernet from ``cryptography``, through ``MultiFernet`` for rotation. Fernet is the library's
high-level recipe: AES-128-CBC with a random IV, then HMAC-SHA256 over the whole token, so a
changed byte fails the check before anything is decrypted, and two encryptions of one text
differ. AES-GCM with a key id prefix would make tokens a little shorter, but it would mean
writing the framing, nonce handling and key lookup here; Fernet leaves none of that to get
wrong, and ``MultiFernet`` already tries every configured key in turn and re-encrypts with
the first. The token carries its creation time in clear, which says nothing about a person.

Keys come from ``settings.FIELD_ENCRYPTION_KEYS`` (the ``FIELD_ENCRYPTION_KEY`` environment
variable, comma-separated): the first key encrypts, every key decrypts. This module reads
settings on each call (through a cache keyed by the keys), so tests may change them.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

GENERATE_KEY_COMMAND = (
    "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
)


class DecryptionError(Exception):
    """A stored value failed authentication: changed, truncated, or made with no known key.

    The message never carries the value itself, so it is safe to log.
    """


def parse_keys(raw: str) -> list[str]:
    """The keys in a comma-separated ``FIELD_ENCRYPTION_KEY`` value, in order."""
    return [key.strip() for key in raw.split(",") if key.strip()]


def key_problems(keys: list[str]) -> list[str]:
    """Why ``keys`` cannot be used, one sentence per fault; empty when they are all valid.

    Never includes a key in the sentences: they end up in logs and start-up errors.
    """
    if not keys:
        return ["FIELD_ENCRYPTION_KEY is empty."]
    problems = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            problems.append(
                f"Key number {position} of FIELD_ENCRYPTION_KEY is not a Fernet key "
                "(32 bytes, URL-safe base64, 44 characters)."
            )
    if len(set(keys)) != len(keys):
        problems.append("FIELD_ENCRYPTION_KEY lists the same key twice.")
    return problems


@lru_cache(maxsize=4)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    fernets = [Fernet(key.encode()) for key in keys]
    return MultiFernet(fernets), fernets[0]


def _configured() -> tuple[MultiFernet, Fernet]:
    return _fernets(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_bytes(plaintext: bytes) -> bytes:
    """A token for ``plaintext`` under the first configured key."""
    return _configured()[1].encrypt(plaintext)


def decrypt_bytes(token: bytes) -> bytes:
    """The plaintext of ``token``; raises ``DecryptionError`` if no configured key opens it."""
    try:
        return _configured()[0].decrypt(token)
    except InvalidToken as error:
        raise DecryptionError(
            "An encrypted value failed authentication: it was changed, or no key in "
            "FIELD_ENCRYPTION_KEY made it."
        ) from error


def encrypt_text(plaintext: str) -> str:
    return encrypt_bytes(plaintext.encode()).decode("ascii")


def decrypt_text(token: str) -> str:
    return decrypt_bytes(token.encode("ascii", errors="replace")).decode()


def is_current(token: bytes) -> bool:
    """Whether ``token`` is already encrypted with the first key (rotation skips it)."""
    try:
        _configured()[1].decrypt(token)
    except InvalidToken:
        return False
    return True


def reencrypt_bytes(token: bytes) -> bytes:
    """``token`` re-encrypted under the first key; raises ``DecryptionError`` as above."""
    try:
        return _configured()[0].rotate(token)
    except InvalidToken as error:
        raise DecryptionError(
            "An encrypted value failed authentication during rotation: it was changed, or "
            "no key in FIELD_ENCRYPTION_KEY made it."
        ) from error
