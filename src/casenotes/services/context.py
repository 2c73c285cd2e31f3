"""The application context: settings, database and engines, built once by the app or CLI."""

from __future__ import annotations

import atexit
import secrets
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from casenotes.config import Settings
from casenotes.engines.llm.gateway import ModelGateway
from casenotes.pipeline.check import Checker
from casenotes.pipeline.draft import Drafter
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import engines
from casenotes.store import crypto, log_privacy, migrate
from casenotes.store.blobs import BlobStore, LocalBlobStore
from casenotes.store.db import make_engine, make_sessionmaker
from casenotes.store.encrypted_types import bind_cipher

_LIVE_CONTEXTS: weakref.WeakSet[AppContext] = weakref.WeakSet()


@atexit.register
def _join_background_work() -> None:
    for ctx in list(_LIVE_CONTEXTS):
        ctx.wait_background()


@dataclass(eq=False)
class AppContext:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    blobs: BlobStore
    _pii: PiiDetector | None = None
    _drafter: Drafter | None = None
    _checkers: list[Checker] | None = None
    _background: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error."""
        with self.sessions() as session, session.begin():
            yield session

    def pii_detector(self) -> PiiDetector:
        """The configured detector, created once (its NER model loads on first use)."""
        with self._lock:
            if self._pii is None:
                self._pii = engines.create_pii_detector(self.settings)
            return self._pii

    def drafter(self) -> Drafter:
        with self._lock:
            if self._drafter is None:
                self._drafter = engines.create_drafter(self.settings)
            return self._drafter

    def checkers(self) -> list[Checker]:
        with self._lock:
            if self._checkers is None:
                self._checkers = engines.create_checkers(self.settings,
                                                         gateway=self._model_gateway)
            return self._checkers

    def _model_gateway(self) -> ModelGateway:
        """The configured model gateway, for the model judge (built when it first checks)."""
        from casenotes.services.model_gateway import build_gateway  # it imports this module

        return build_gateway(self)

    def start_background(self, name: str, work: Callable[[], None]) -> threading.Thread:
        """Run ``work`` in a thread that ``close`` (and interpreter exit) waits for.

        Native libraries (torch, CTranslate2) abort the process if the interpreter exits while
        one of their threads is mid-call, so background work is always joined, never abandoned.
        """
        thread = threading.Thread(target=work, name=name, daemon=True)
        with self._lock:
            self._background = [t for t in self._background if t.is_alive()]
            self._background.append(thread)
        _LIVE_CONTEXTS.add(self)
        thread.start()
        return thread

    def wait_background(self, timeout: float = 300.0) -> None:
        """Block until the background work started so far has finished."""
        with self._lock:
            threads = list(self._background)
        for thread in threads:
            thread.join(timeout)

    def close(self) -> None:
        self.wait_background()
        self.engine.dispose()

    def __hash__(self) -> int:
        return id(self)


def build_context(
    settings: Settings | None = None, *, migrate_db: bool = True,
    pii_detector: PiiDetector | None = None, drafter: Drafter | None = None,
) -> AppContext:
    """Build the context; by default the database is migrated to the newest schema first.

    ``pii_detector`` lets a caller share one loaded detector (its NER model is large) between
    contexts, as the test suite does; ``drafter`` overrides the configured drafter.
    """
    settings = settings or Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if settings.secret_key is None:
        settings.secret_key = _stored_secret(settings)
    if migrate_db:
        migrate.upgrade(settings.sqlalchemy_url)
    engine = make_engine(settings.sqlalchemy_url)
    try:  # encryption at rest (issue 5): a missing or wrong master key stops here
        cipher = crypto.open_cipher(settings, engine)
    except BaseException:
        engine.dispose()
        raise
    bind_cipher(engine, cipher)
    log_privacy.install()
    blobs = LocalBlobStore(settings.data_dir / "files", cipher=cipher)
    return AppContext(settings=settings, engine=engine, sessions=make_sessionmaker(engine),
                      blobs=blobs,
                      _pii=pii_detector, _drafter=drafter)


def _stored_secret(settings: Settings) -> str:
    path = settings.data_dir / "secret.key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
