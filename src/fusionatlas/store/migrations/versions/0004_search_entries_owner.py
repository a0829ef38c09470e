"""search entries name their record's owning organization

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

A search entry kept only its record's own visibility, so a public capability of a private organization
was found by anyone (domain/audience.py: the owner's visibility counts too). Entries now keep the owner,
filled here for the rows that exist.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OWNERS = {
    "organizations": "id",
    "capabilities": "org_id",
    "needs": "buyer_org_id",
    "facilities": "operator_org_id",
    "investments": "org_id",
    "milestones": "org_id",
}


def upgrade() -> None:
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_id", sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f("ix_search_entries_owner_id"), ["owner_id"], unique=False)
    for table_name, column in OWNERS.items():
        op.execute(
            f"UPDATE search_entries SET owner_id = (SELECT {column} FROM {table_name} "
            f"WHERE {table_name}.id = search_entries.record_id) WHERE table_name = '{table_name}'"
        )


def downgrade() -> None:
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_entries_owner_id"))
        batch_op.drop_column("owner_id")
