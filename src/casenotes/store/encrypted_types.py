"""Column types that encrypt values with the data key of the engine that writes them.

The cipher is bound per engine (:func:`bind_cipher`), not per process, so contexts on different
databases with different keys can share one process. A value is stored as ``cne1:`` followed by
the URL-safe base64 of the AES-GCM message; the column name is the associated data, so a value
cannot be moved to another column unnoticed.

Rows written before encryption existed (plain text, plain JSON) are still read as they are, and
encrypted the next time they are written (``casenotes keys init`` does that for all of them).
"""

from __future__ import annotations

import base64
import json
import weakref
from typing import Any

from sqlalchemy import JSON, Engine, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from casenotes.store.blobs import Cipher

PREFIX = "cne1:"

_CIPHERS: weakref.WeakKeyDictionary[Dialect, Cipher] = weakref.WeakKeyDictionary()


def bind_cipher(engine: Engine, cipher: Cipher) -> None:
    """Encrypt and decrypt the encrypted columns of everything ``engine`` reads and writes."""
    _CIPHERS[engine.dialect] = cipher


def cipher_for(dialect: Dialect) -> Cipher:
    """The cipher bound to the engine of ``dialect`` (see :func:`bind_cipher`)."""
    return _cipher(dialect)


def _cipher(dialect: Dialect) -> Cipher:
    cipher = _CIPHERS.get(dialect)
    if cipher is None:
        from casenotes.store.crypto import KeyUnavailable

        raise KeyUnavailable(
            "Encrypted data was read or written without the database's key loaded.",
            hint="Open the database through casenotes (build_context), which loads the key.",
        )
    return cipher


def seal(dialect: Dialect, plaintext: bytes, associated: bytes) -> str:
    token = _cipher(dialect).encrypt(plaintext, associated=associated)
    return PREFIX + base64.urlsafe_b64encode(token).decode("ascii")


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def unseal(dialect: Dialect, value: str, associated: bytes) -> bytes:
    token = base64.urlsafe_b64decode(value[len(PREFIX):].encode("ascii"))
    return _cipher(dialect).decrypt(token, associated=associated)


class EncryptedText(TypeDecorator[str]):
    """Text encrypted at rest; ``column`` ("table.column") is bound into each value."""

    impl = Text
    cache_ok = True

    def __init__(self, column: str) -> None:
        super().__init__()
        self.column = column

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return seal(dialect, value.encode("utf-8"), self.column.encode())

    def process_result_value(self, value: Any | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not is_sealed(value):
            return str(value)  # legacy plaintext
        return unseal(dialect, value, self.column.encode()).decode("utf-8")


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON value encrypted at rest; stored as one JSON string so the column type stays JSON."""

    impl = JSON
    cache_ok = True

    def __init__(self, column: str) -> None:
        super().__init__()
        self.column = column

    def process_bind_param(self, value: Any | None, dialect: Dialect) -> Any | None:
        if value is None:
            return None
        plaintext = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return seal(dialect, plaintext.encode("utf-8"), self.column.encode())

    def process_result_value(self, value: Any | None, dialect: Dialect) -> Any | None:
        if value is None or not is_sealed(value):
            return value  # legacy plaintext JSON
        return json.loads(unseal(dialect, value, self.column.encode()).decode("utf-8"))
