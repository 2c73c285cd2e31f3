"""Practice evaluation (issue 10): stage timings and energy, and person characteristics for the
bias audit.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "stage_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("recording_id", sa.Integer,
                  sa.ForeignKey("recordings.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("engine", sa.String(200), nullable=False),
        sa.Column("engine_version", sa.String(500), nullable=False),
        sa.Column("device", sa.String(20), nullable=False, server_default="cpu"),
        sa.Column("cpu_seconds", sa.Float, nullable=False),
        sa.Column("gpu_seconds", sa.Float, nullable=True),
        sa.Column("wall_seconds", sa.Float, nullable=False),
        sa.Column("energy_joules", sa.Float, nullable=False),
        sa.Column("energy_method", sa.String(40), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=False, index=True),
    )
    op.create_table(
        "person_characteristics",
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("ethnicity", sa.Text, nullable=True),
        sa.Column("first_language", sa.Text, nullable=True),
        sa.Column("age_band", sa.Text, nullable=True),
        sa.Column("disability", sa.Text, nullable=True),
        sa.Column("sex", sa.Text, nullable=True),
        sa.Column("updated_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("updated_at", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("person_characteristics")
    op.drop_table("stage_runs")
