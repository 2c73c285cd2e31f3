"""Reserved for privacy (issue 5): key envelope, encrypted vault.

The revision chain is fixed in advance so that work in parallel never makes two heads; the
owner of this revision fills it in (and renames the file to say what it does).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet."""


def downgrade() -> None:
    """Nothing yet."""
