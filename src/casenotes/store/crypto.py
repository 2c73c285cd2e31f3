"""Encryption at rest: AES-GCM under a data key wrapped by a master key.

The data key (32 random bytes) encrypts audio files, transcripts, drafts and the pseudonym vault.
It is stored in the database only wrapped (AES-GCM) by the master key, which lives outside the
database: in the environment variable ``CASENOTES_MASTER_KEY`` or in a key file (by default
``data_dir/master.key``). Rotating the master key re-wraps the data key, so no stored data has
to be re-encrypted and nothing can be lost half-way.

Each database has its own data key and each :class:`AesGcmCipher` holds its key itself: several
contexts with different keys can live in one process (the test suite does this). Key material
never appears in a ``repr``, a log line or an error message.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casenotes.config import Settings
from casenotes.domain.errors import CasenotesError
from casenotes.store.models import KeyEnvelopeRow

KEY_BYTES = 32
NONCE_BYTES = 12
#: Marks a blob or value written by :class:`AesGcmCipher` (format version 1).
MAGIC = b"CNE1"
DATA_KEY_NAME = "data"
_WRAP_CONTEXT = b"casenotes data key v1"
MASTER_KEY_ENV = "CASENOTES_MASTER_KEY"


class KeyUnavailable(CasenotesError):
    """The key needed to read or write encrypted data is missing or wrong."""

    status_code = 500


class DecryptionFailed(CasenotesError):
    """Stored data did not decrypt: a wrong key, or the data was altered."""

    status_code = 500


class AesGcmCipher:
    """AES-256-GCM with a random 96-bit nonce per message: ``MAGIC | nonce | ciphertext+tag``."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise KeyUnavailable("An encryption key must be 32 bytes long.",
                                 hint="Generate one with: casenotes keys init")
        self._aead = AESGCM(key)
        self._term_key = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None,
                              info=b"casenotes search index terms").derive(key)

    def __repr__(self) -> str:
        return "AesGcmCipher(<key hidden>)"

    def term(self, word: str) -> str:
        """A keyed, one-way stand-in for an index word: equal words give equal terms under
        this key, and a term reveals nothing of its word without the key."""
        return hmac.new(self._term_key, word.encode("utf-8"), hashlib.sha256).hexdigest()[:16]

    def encrypt(self, plaintext: bytes, *, associated: bytes) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        return MAGIC + nonce + self._aead.encrypt(nonce, plaintext, associated)

    def decrypt(self, ciphertext: bytes, *, associated: bytes) -> bytes:
        if not ciphertext.startswith(MAGIC) or len(ciphertext) < len(MAGIC) + NONCE_BYTES + 16:
            raise DecryptionFailed(
                "Stored data is not in the encrypted format this version writes.",
                hint="Restore the file or record from a backup.",
            )
        nonce = ciphertext[len(MAGIC):len(MAGIC) + NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, ciphertext[len(MAGIC) + NONCE_BYTES:], associated)
        except InvalidTag:
            raise DecryptionFailed(
                "Stored data could not be decrypted: the key is wrong or the data was altered.",
                hint="Check that the master key is the one this database was set up with.",
            ) from None


# --- master key ---


@dataclass(frozen=True)
class MasterKey:
    """The master key and where it came from (``source`` names a variable or a file, never the
    key itself)."""

    key: bytes
    source: str

    def __repr__(self) -> str:
        return f"MasterKey(source={self.source!r})"


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def encode_key(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode("ascii")


def decode_key(text: str, source: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise KeyUnavailable(
            f"The master key in {source} is not a valid key.",
            hint="A key is 32 random bytes in URL-safe base64 (44 characters); "
                 "create one with: casenotes keys init",
        )
    return key


def master_key_path(settings: Settings) -> Path:
    return settings.master_key_file or settings.data_dir / "master.key"


def load_master_key(settings: Settings, *, create: bool = False) -> MasterKey | None:
    """The master key from ``CASENOTES_MASTER_KEY`` or the key file; ``None`` when neither is set.

    With ``create``, a missing key file is created with a new random key (readable by the owner
    only).
    """
    if settings.master_key is not None:
        return MasterKey(decode_key(settings.master_key.get_secret_value(), MASTER_KEY_ENV),
                         MASTER_KEY_ENV)
    path = master_key_path(settings)
    if path.is_file():
        return MasterKey(decode_key(path.read_text(encoding="ascii", errors="replace"),
                                    "the key file"), str(path))
    if not create:
        return None
    write_key_file(path, new_key())
    return MasterKey(decode_key(path.read_text(encoding="ascii"), "the key file"), str(path))


def write_key_file(path: Path, key: bytes) -> None:
    """Write ``key`` atomically to ``path`` with owner-only permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(encode_key(key) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


# --- the wrapped data key ---


def _wrap(master: bytes, data_key: bytes) -> str:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return encode_key(nonce + AESGCM(master).encrypt(nonce, data_key, _WRAP_CONTEXT))


def _unwrap(master: bytes, wrapped: str) -> bytes | None:
    raw = base64.urlsafe_b64decode(wrapped.encode("ascii"))
    try:
        return AESGCM(master).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _WRAP_CONTEXT)
    except InvalidTag:
        return None


def _missing_key_error(settings: Settings) -> KeyUnavailable:
    return KeyUnavailable(
        "This database is encrypted, and no master key was found.",
        hint=f"Set {MASTER_KEY_ENV} or put the key file at {master_key_path(settings)} "
             "(CASENOTES_MASTER_KEY_FILE), then try again.",
    )


def _wrong_key_error() -> KeyUnavailable:
    return KeyUnavailable(
        "The master key does not open this database's data key; nothing was changed.",
        hint="Use the master key this database was set up with (or the one from the last "
             "'casenotes keys rotate').",
    )


def open_data_key(settings: Settings, engine: Engine) -> bytes:
    """This database's data key, created (with a master key if none exists) on first use.

    Raises :class:`KeyUnavailable` when the database has a data key and the master key is
    missing or wrong; nothing is written then.
    """
    if not inspect(engine).has_table(KeyEnvelopeRow.__tablename__):
        raise KeyUnavailable("The database has no key table yet.",
                             hint="Migrate it first: casenotes db upgrade")
    with Session(engine) as session, session.begin():
        row = session.get(KeyEnvelopeRow, DATA_KEY_NAME)
        if row is not None:
            return _unwrap_row(settings, row.wrapped)
    master = load_master_key(settings, create=True)
    assert master is not None  # noqa: S101 - create=True always yields a key
    data_key = new_key()
    try:
        with Session(engine) as session, session.begin():
            now = datetime.now(UTC)
            session.add(KeyEnvelopeRow(name=DATA_KEY_NAME, wrapped=_wrap(master.key, data_key),
                                       created_at=now, rotated_at=now))
    except IntegrityError:
        # Another process created it first: use theirs.
        with Session(engine) as session:
            row = session.get(KeyEnvelopeRow, DATA_KEY_NAME)
            assert row is not None  # noqa: S101 - the insert failed because it exists
            return _unwrap_row(settings, row.wrapped)
    return data_key


def _unwrap_row(settings: Settings, wrapped: str) -> bytes:
    master = load_master_key(settings)
    if master is None:
        raise _missing_key_error(settings)
    data_key = _unwrap(master.key, wrapped)
    if data_key is None:
        pending = _pending_path(settings)
        # A rotation that committed but was interrupted before the new key file replaced the
        # old one: the new key is beside it; finish the swap.
        if settings.master_key is None and pending.is_file():
            candidate = decode_key(pending.read_text(encoding="ascii"), "the new key file")
            data_key = _unwrap(candidate, wrapped)
            if data_key is not None:
                os.replace(pending, master_key_path(settings))
                return data_key
        raise _wrong_key_error()
    return data_key


def open_cipher(settings: Settings, engine: Engine) -> AesGcmCipher:
    """The cipher for this database's data key (see :func:`open_data_key`)."""
    return AesGcmCipher(open_data_key(settings, engine))


def _pending_path(settings: Settings) -> Path:
    path = master_key_path(settings)
    return path.with_name(path.name + ".new")


@dataclass(frozen=True)
class RotationResult:
    source: str  # where the new key was written (a path), never the key


def rotate_master_key(settings: Settings, engine: Engine,
                      new_key_file: Path | None = None) -> RotationResult:
    """Re-wrap the data key under a new master key; stored data stays as it is.

    The new key is written first (to ``new_key_file``, or beside the key file as ``*.new``),
    the re-wrapped data key is committed, then the key file is replaced. A crash at any point
    leaves a key that opens the database.
    """
    if settings.master_key is not None and new_key_file is None:
        raise KeyUnavailable(
            f"The master key comes from {MASTER_KEY_ENV}, so the new key needs a file to go to.",
            hint="Run: casenotes keys rotate --new-key-file PATH, then set the variable to the "
                 "file's content.",
        )
    replacement = new_key()
    target = new_key_file or _pending_path(settings)
    with Session(engine) as session, session.begin():
        row = session.get(KeyEnvelopeRow, DATA_KEY_NAME)
        if row is None:
            raise KeyUnavailable("This database has no data key to re-wrap yet.",
                                 hint="Create one with: casenotes keys init")
        data_key = _unwrap_row(settings, row.wrapped)
        write_key_file(target, replacement)
        row.wrapped = _wrap(replacement, data_key)
        row.rotated_at = datetime.now(UTC)
    if new_key_file is None:
        final = master_key_path(settings)
        os.replace(target, final)
        return RotationResult(source=str(final))
    return RotationResult(source=str(new_key_file))


#: Tables a database trigger keeps read-only: their rows stay as they were written (signed
#: notes written before encryption existed stay readable as plaintext).
READ_ONLY_TABLES = frozenset({"notes", "note_versions"})


def reseal_all(session: Session) -> int:
    """Write every encrypted column again, so rows stored before encryption get encrypted.

    Returns the number of rows written. Values already encrypted are re-encrypted with fresh
    nonces; nothing is decrypted to anywhere but memory.
    """
    from sqlalchemy.orm.attributes import flag_modified

    from casenotes.store.encrypted_types import EncryptedJSON, EncryptedText
    from casenotes.store.models import Base

    count = 0
    for mapper in Base.registry.mappers:
        attrs = [prop.key for prop in mapper.column_attrs
                 if isinstance(prop.columns[0].type, EncryptedText | EncryptedJSON)]
        if not attrs or getattr(mapper.class_, "__tablename__", "") in READ_ONLY_TABLES:
            continue
        for row in session.scalars(select(mapper.class_)):
            for attr in attrs:
                flag_modified(row, attr)
            count += 1
        session.flush()
    return count
