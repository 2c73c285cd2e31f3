"""Blob storage for files (audio, exports): local files by default, encrypted when a cipher is set.

Writes are atomic (temporary file, fsync, rename), so a crash never leaves half a file under a
key. Keys are relative paths made of safe characters; nothing can escape the root folder.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from casenotes.domain.errors import InvalidInput

_KEY = re.compile(r"^[A-Za-z0-9_-]+(?:/[A-Za-z0-9_.-]+)*$")


class Cipher(Protocol):
    """Authenticated encryption of whole blobs; ``associated`` binds a blob to its key."""

    def encrypt(self, plaintext: bytes, *, associated: bytes) -> bytes: ...

    def decrypt(self, ciphertext: bytes, *, associated: bytes) -> bytes: ...

    def term(self, word: str) -> str:
        """A keyed one-way stand-in for a search-index word (see store/search_terms.py)."""
        ...


class BlobStore(Protocol):
    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> bool: ...

    def materialise(self, key: str, suffix: str = "") -> AbstractContextManager[Path]: ...


class LocalBlobStore:
    """Files under ``root``; encrypted with ``cipher`` when one is given."""

    def __init__(self, root: Path, cipher: Cipher | None = None) -> None:
        self.root = root
        self.cipher = cipher

    def _path(self, key: str) -> Path:
        if not _KEY.match(key) or ".." in key.split("/"):
            raise InvalidInput("That file key is not allowed.", hint="Use a plain relative key.")
        return self.root / key

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = self.cipher.encrypt(data, associated=key.encode()) if self.cipher else data
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        data = self._path(key).read_bytes()
        return self.cipher.decrypt(data, associated=key.encode()) if self.cipher else data

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> bool:
        """Remove the file; ``True`` if there was one."""
        path = self._path(key)
        if not path.exists():
            return False
        path.unlink()
        return True

    @contextmanager
    def materialise(self, key: str, suffix: str = "") -> Iterator[Path]:
        """A readable plaintext file for tools that need a path; removed afterwards."""
        if self.cipher is None:
            yield self._path(key)
            return
        fd, tmp = tempfile.mkstemp(suffix=suffix, prefix="casenotes-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(self.get(key))
            os.chmod(tmp, 0o600)
            yield Path(tmp)
        finally:
            Path(tmp).unlink(missing_ok=True)
