"""readiness assessments (several per technology, sourced, members' self-assessments) and countries' paths;
the technology's own trl and trl_date columns (never filled) go: readiness lives in its own table now

Revision ID: 0009
Revises: 0011
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "readiness",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("technology_id", sa.String(length=200), nullable=False),
        sa.Column("scale", sa.Text(), nullable=True),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("source_scale", sa.Text(), nullable=True),
        sa.Column("source_value", sa.Text(), nullable=True),
        sa.Column("source_item", sa.Text(), nullable=True),
        sa.Column("mapping_note", sa.Text(), nullable=True),
        sa.Column("context", sa.String(length=32), nullable=True),
        sa.Column("concept", sa.Text(), nullable=True),
        sa.Column("assessor", sa.Text(), nullable=True),
        sa.Column("assessor_org_id", sa.String(length=200), nullable=True),
        sa.Column("method", sa.Text(), nullable=True),
        sa.Column("date", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("description_ja", sa.Text(), nullable=True),
        sa.Column("self_assessed", sa.Boolean(), nullable=True),
        sa.Column("visibility", sa.String(length=32), nullable=True),
        sa.Column("source_ids", sa.JSON(), nullable=True),
        sa.Column("unconfirmed", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("last_verified", sa.Text(), nullable=True),  # as every sourced record (migration 0013)
        sa.ForeignKeyConstraint(["assessor_org_id"], ["organizations.id"], name=op.f("fk_readiness_assessor_org_id")),
        sa.ForeignKeyConstraint(["technology_id"], ["technologies.id"], name=op.f("fk_readiness_technology_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_readiness")),
    )
    with op.batch_alter_table("readiness", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_readiness_technology_id"), ["technology_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_readiness_assessor_org_id"), ["assessor_org_id"], unique=False)
    op.create_table(
        "country_paths",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("country", sa.Text(), nullable=False),
        sa.Column("technology_id", sa.String(length=200), nullable=False),
        sa.Column("concept", sa.Text(), nullable=True),
        sa.Column("programme_en", sa.Text(), nullable=False),
        sa.Column("programme_ja", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("description_ja", sa.Text(), nullable=True),
        sa.Column("source_ids", sa.JSON(), nullable=True),
        sa.Column("unconfirmed", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("last_verified", sa.Text(), nullable=True),  # as every sourced record (migration 0013)
        sa.ForeignKeyConstraint(["technology_id"], ["technologies.id"], name=op.f("fk_country_paths_technology_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_country_paths")),
    )
    with op.batch_alter_table("country_paths", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_country_paths_technology_id"), ["technology_id"], unique=False)
    with op.batch_alter_table("technologies", schema=None) as batch_op:
        batch_op.drop_column("trl_date")
        batch_op.drop_column("trl")


def downgrade() -> None:
    with op.batch_alter_table("technologies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("trl", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("trl_date", sa.Text(), nullable=True))
    op.drop_table("country_paths")
    op.drop_table("readiness")
