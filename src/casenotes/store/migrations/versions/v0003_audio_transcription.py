"""Audio transcription: audio files, resumable jobs and their chunks, uploads, tags, speakers,
transcript edits.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _recording_fk(unique: bool = False) -> sa.Column[int]:
    return sa.Column("recording_id", sa.Integer,
                     sa.ForeignKey("recordings.id", ondelete="CASCADE"), nullable=False,
                     index=not unique, unique=unique)


def upgrade() -> None:
    op.create_table(
        "audio_files",
        sa.Column("id", sa.Integer, primary_key=True),
        _recording_fk(unique=True),
        sa.Column("blob_key", sa.String(255), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("duration_s", sa.Float, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "audio_uploads",
        sa.Column("id", sa.Integer, primary_key=True),
        _recording_fk(),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("parts", sa.Integer, nullable=False),
        sa.Column("received_bytes", sa.BigInteger, nullable=False),
        sa.Column("complete", sa.Boolean, nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "transcription_jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        _recording_fk(unique=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("engine", sa.String(200), nullable=False),
        sa.Column("chunk_seconds", sa.Float, nullable=False),
        sa.Column("chunks_total", sa.Integer, nullable=False),
        sa.Column("chunks_done", sa.Integer, nullable=False),
        sa.Column("speakers", sa.Integer),
        sa.Column("dictation", sa.Boolean, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "transcription_chunks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("job_id", sa.Integer,
                  sa.ForeignKey("transcription_jobs.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("idx", sa.Integer, nullable=False),
        sa.Column("start", sa.Float, nullable=False),
        sa.Column("end", sa.Float, nullable=False),
        sa.Column("turns", sa.JSON, nullable=False),
        sa.UniqueConstraint("job_id", "idx"),
    )
    op.create_table(
        "observation_tags",
        sa.Column("id", sa.Integer, primary_key=True),
        _recording_fk(),
        sa.Column("kind", sa.String(100), nullable=False),
        sa.Column("time", sa.Float, nullable=False),
        sa.Column("words", sa.Text, nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "speaker_mappings",
        sa.Column("id", sa.Integer, primary_key=True),
        _recording_fk(),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id", ondelete="SET NULL")),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("mapped_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("mapped_at", TS, nullable=False),
        sa.UniqueConstraint("recording_id", "label"),
    )
    op.create_table(
        "segment_edits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("segment_id", sa.Integer, sa.ForeignKey("segments.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("field", sa.String(20), nullable=False),
        sa.Column("old", sa.Text, nullable=False),
        sa.Column("new", sa.Text, nullable=False),
        sa.Column("edited_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("edited_at", TS, nullable=False),
    )


def downgrade() -> None:
    for table in ("segment_edits", "speaker_mappings", "observation_tags", "transcription_chunks",
                  "transcription_jobs", "audio_uploads", "audio_files"):
        op.drop_table(table)
