"""people: the skills taxonomy, training offers and published workforce figures

Revision ID: 0017
Revises: 0013
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0013"
branch_labels = None
depends_on = None

ID = sa.String(length=200)


def _bookkeeping(*, with_unconfirmed: bool = True) -> list[sa.Column]:
    columns = [sa.Column("source_ids", sa.JSON(), nullable=True)]
    if with_unconfirmed:  # sourced records (domain/records.py Sourced) also carry their last verification
        columns.append(sa.Column("unconfirmed", sa.Boolean(), nullable=True))
        columns.append(sa.Column("last_verified", sa.Text(), nullable=True))
    columns.append(sa.Column("notes", sa.Text(), nullable=True))
    return columns


def upgrade() -> None:
    op.create_table(
        "skills",
        sa.Column("id", ID, nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("name_ja", sa.Text(), nullable=False),
        sa.Column("synonyms_en", sa.JSON(), nullable=True),
        sa.Column("synonyms_ja", sa.JSON(), nullable=True),
        sa.Column("technology_ids", sa.JSON(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("description_ja", sa.Text(), nullable=True),
        *_bookkeeping(with_unconfirmed=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skills")),
    )
    op.create_table(
        "training",
        sa.Column("id", ID, nullable=False),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("name_ja", sa.Text(), nullable=False),
        sa.Column("country", sa.Text(), nullable=False),
        sa.Column("skill_ids", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=True),
        sa.Column("facility_ids", sa.JSON(), nullable=True),
        sa.Column("programme_ids", sa.JSON(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("since", sa.Text(), nullable=True),
        sa.Column("places", sa.Integer(), nullable=True),
        sa.Column("places_note_en", sa.Text(), nullable=True),
        sa.Column("places_note_ja", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("description_ja", sa.Text(), nullable=True),
        sa.Column("visibility", sa.String(length=32), nullable=True),
        *_bookkeeping(),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"], name=op.f("fk_training_org_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training")),
    )
    with op.batch_alter_table("training", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_org_id"), ["org_id"], unique=False)
    op.create_table(
        "workforce",
        sa.Column("id", ID, nullable=False),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("low", sa.Integer(), nullable=True),
        sa.Column("high", sa.Integer(), nullable=True),
        sa.Column("year", sa.Text(), nullable=True),
        sa.Column("published", sa.Text(), nullable=True),
        sa.Column("definition_en", sa.Text(), nullable=False),
        sa.Column("definition_ja", sa.Text(), nullable=False),
        *_bookkeeping(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workforce")),
    )


def downgrade() -> None:
    op.drop_table("workforce")
    with op.batch_alter_table("training", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_org_id"))
    op.drop_table("training")
    op.drop_table("skills")
