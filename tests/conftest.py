"""Shared fixtures for the test suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import servers

# --- servers (postgres, redis) ---
# Real PostgreSQL and Redis servers, one of each per test session, started only when a test asks
# for them (see tests/servers.py). Where they are not installed the tests that need them skip
# with the reason; `make test` installs both.


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """SQLAlchemy URL of an empty ``casenotes_test`` database on a throwaway local server."""
    try:
        server = servers.start_postgres()
    except servers.ServerUnavailable as exc:
        pytest.skip(
            f"PostgreSQL could not start here: {exc}; "
            "install postgresql (make test does) to run this test"
        )
    try:
        yield server.url
    finally:
        servers.stop_postgres(server)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """``redis://`` URL of a throwaway, memory-only local Redis server."""
    try:
        server = servers.start_redis()
    except servers.ServerUnavailable as exc:
        pytest.skip(
            f"Redis could not start here: {exc}; "
            "install redis-server (make test does) to run this test"
        )
    try:
        yield server.url
    finally:
        servers.stop_redis(server)


# --- end servers (postgres, redis) ---


# --- application fixtures ---
# A fresh, migrated SQLite database per test; the PII detector (its spaCy model takes seconds
# to load) is shared across the session.

from pathlib import Path  # noqa: E402

from casenotes.config import Settings  # noqa: E402
from casenotes.pipeline.pseudonymise import PiiDetector  # noqa: E402
from casenotes.services.context import AppContext, build_context  # noqa: E402
from casenotes.services.views import UserView  # noqa: E402
from support import PASSWORD, make_user, shared_data_dir  # noqa: E402,F401


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data folder the CLI works in for one test (and the password new users get)."""
    data = tmp_path / "data"
    monkeypatch.setenv("CASENOTES_DATA_DIR", str(data))
    monkeypatch.setenv("CASENOTES_NEW_PASSWORD", "a-long-enough-password")
    return data


@pytest.fixture(scope="session")
def pii_detector() -> PiiDetector:
    from casenotes.engines.pii import PresidioDetector

    return PresidioDetector()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", secret_key="test-secret-key")


@pytest.fixture
def ctx(settings: Settings, pii_detector: PiiDetector) -> Iterator[AppContext]:
    context = build_context(settings, pii_detector=pii_detector)
    yield context
    context.close()


@pytest.fixture
def practitioner(ctx: AppContext) -> UserView:
    return make_user(ctx, "jo")


@pytest.fixture
def other_practitioner(ctx: AppContext) -> UserView:
    return make_user(ctx, "alex", team="Adults West")


@pytest.fixture
def supervisor(ctx: AppContext) -> UserView:
    return make_user(ctx, "sam-supervisor", role="supervisor")


# --- end application fixtures ---


# --- audio fixtures (issue 4) ---
# The real tiny.en transcriber and resemblyzer diariser, loaded once per session (test speech
# comes from tests/audio_clips.py).

from casenotes.pipeline.transcribe import Diariser, Transcriber  # noqa: E402


@pytest.fixture(scope="session")
def tiny_transcriber() -> Transcriber:
    from casenotes.engines.asr import FasterWhisperTranscriber, model_dir

    return FasterWhisperTranscriber(model_dir("tiny.en", Path("unused")), threads=2)


@pytest.fixture(scope="session")
def speaker_diariser() -> Diariser:
    from casenotes.engines.diarisation import ResemblyzerDiariser

    return ResemblyzerDiariser()


@pytest.fixture
def audio_ctx(ctx: AppContext, tiny_transcriber: Transcriber,
              speaker_diariser: Diariser) -> AppContext:
    """``ctx`` whose transcription uses the shared tiny.en and resemblyzer engines."""
    from casenotes.services.audio_engines import use_engines

    use_engines(ctx, tiny_transcriber, speaker_diariser)
    return ctx


# --- end audio fixtures ---
