"""relations between organizations (stakes, loans, memberships, MoUs...) and the other party of a search entry

Revision ID: 0016
Revises: 0017
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "relations",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("org_id", sa.String(length=200), nullable=False),
        sa.Column("other_org_id", sa.String(length=200), nullable=False),
        sa.Column("date", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("description_ja", sa.Text(), nullable=False),
        sa.Column("visibility", sa.String(length=32), nullable=True),
        sa.Column("source_ids", sa.JSON(), nullable=True),
        sa.Column("unconfirmed", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("last_verified", sa.Text(), nullable=True),  # as every sourced record (migration 0013)
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"], name=op.f("fk_relations_org_id")),
        sa.ForeignKeyConstraint(["other_org_id"], ["organizations.id"], name=op.f("fk_relations_other_org_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relations")),
    )
    with op.batch_alter_table("relations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_relations_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_relations_other_org_id"), ["other_org_id"], unique=False)
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("co_owner_id", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.drop_column("co_owner_id")
    with op.batch_alter_table("relations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relations_other_org_id"))
        batch_op.drop_index(batch_op.f("ix_relations_org_id"))
    op.drop_table("relations")
