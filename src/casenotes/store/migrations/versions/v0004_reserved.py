"""Reserved for search and knowledge (issue 9): indexes, policies, relationships.

The revision chain is fixed in advance so that work in parallel never makes two heads; the
owner of this revision fills it in (and renames the file to say what it does).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing yet."""


def downgrade() -> None:
    """Nothing yet."""
