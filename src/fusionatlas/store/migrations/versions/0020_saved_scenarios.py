"""saved_scenarios: members' own supply-chain scenarios (YAML), private by default

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.String(length=200), nullable=True),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("name_ja", sa.Text(), nullable=False),
        sa.Column("yaml", sa.Text(), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"], name=op.f("fk_saved_scenarios_org_id")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_saved_scenarios_user_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_scenarios")),
    )
    with op.batch_alter_table("saved_scenarios", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_saved_scenarios_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("saved_scenarios", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_scenarios_user_id"))
    op.drop_table("saved_scenarios")
