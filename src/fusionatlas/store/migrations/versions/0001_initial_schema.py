"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_rates",
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("per_usd", sa.Float(), nullable=False),
        sa.Column("source_ids", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("currency", "year", name=op.f("pk_exchange_rates")),
    )
    op.create_table(
        "organizations",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("name_ja", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("country", sa.Text(), nullable=False),
        sa.Column("city", sa.Text(), nullable=True),
        sa.Column("website", sa.Text(), nullable=True),
        sa.Column("founded", sa.Text(), nullable=True),
        sa.Column("memberships", sa.JSON(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("description_ja", sa.Text(), nullable=True),
        sa.Column("visibility", sa.String(length=32), nullable=True),
        sa.Column("source_ids", sa.JSON(), nullable=True),
        sa.Column("unconfirmed", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
    )
    op.create_table(
        "programmes",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("country", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("name_ja", sa.Text(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.Text(), nullable=True),
        sa.Column("start", sa.Text(), nullable=True),
        sa.Column("end", sa.Text(), nullable=True),
        sa.Column("definition", sa.Text(), nullable=True),
        sa.Column("source_ids", sa.JSON(), nullable=True),
        sa.Column("unconfirmed", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
    )
    op.create_table(
        "regulations",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("country", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("name_ja", sa.Text(), nullable=True),
        sa.Column("approach_en", sa.Text(), nullable=True),
        sa.Column("approach_ja", sa.Text(), nullable=True),
        sa.Column("date", sa.Text(), nullable=True),
        sa.Column("source_ids", sa.JSON(), nullable=True),
        sa.Column("unconfirmed", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regulations")),
    )
    op.create_table(
        "search_entries",
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("name_ja", sa.Text(), nullable=True),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("norm", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "record_id", name=op.f("pk_search_entries")),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("publisher", sa.Text(), nullable=True),
        sa.Column("date", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("accessed", sa.Text(), nullable=True),
        sa.Column("language", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
    )
    op.create_table(
        "technologies",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("parent", sa.String(length=200), nullable=True),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("name_ja", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("description_ja", sa.Text(), nullable=True),
        sa.Column("synonyms_en", sa.JSON(), nullable=True),
        sa.Column("synonyms_ja", sa.JSON(), nullable=True),
        sa.Column("trl", sa.Integer(), nullable=True),
        sa.Column("trl_date", sa.Text(), nullable=True),
        sa.Column("targets", sa.JSON(), nullable=True),
        sa.Column("source_ids", sa.JSON(), nullable=True),
        sa.Column("unconfirmed", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["parent"], ["technologies.id"], name=op.f("fk_technologies_parent")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_technologies")),
    )
    op.create_table(
        "capabilities",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("org_id", sa.String(length=200), nullable=False),
        sa.Column("technology_id", sa.String(length=200), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("description_ja", sa.Text(), nullable=True),
        sa.Column("evidence_en", sa.Text(), nullable=True),
        sa.Column("evidence_ja", sa.Text(), nullable=True),
        sa.Column("trl", sa.Integer(), nullable=True),
        sa.Column("capacity_value", sa.Float(), nullable=True),
        sa.Column("capacity_unit", sa.Text(), nullable=True),
        sa.Column("capacity_period", sa.Text(), nullable=True),
        sa.Column("visibility", sa.String(length=32), nullable=True),
        sa.Column("source_ids", sa.JSON(), nullable=True),
        sa.Column("unconfirmed", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"], name=op.f("fk_capabilities_org_id")),
        sa.ForeignKeyConstraint(["technology_id"], ["technologies.id"], name=op.f("fk_capabilities_technology_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capabilities")),
    )
    with op.batch_alter_table("capabilities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_capabilities_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_capabilities_technology_id"), ["technology_id"], unique=False)

    op.create_table(
        "facilities",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("name_ja", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("concept", sa.String(length=32), nullable=True),
        sa.Column("country", sa.Text(), nullable=False),
        sa.Column("operator_org_id", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("major_radius_m", sa.Float(), nullable=True),
        sa.Column("minor_radius_m", sa.Float(), nullable=True),
        sa.Column("field_t", sa.Float(), nullable=True),
        sa.Column("current_ma", sa.Float(), nullable=True),
        sa.Column("heating_mw", sa.Float(), nullable=True),
        sa.Column("fusion_power_mw", sa.Float(), nullable=True),
        sa.Column("first_plasma", sa.Text(), nullable=True),
        sa.Column("construction_start", sa.Text(), nullable=True),
        sa.Column("operation_end", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("description_ja", sa.Text(), nullable=True),
        sa.Column("source_ids", sa.JSON(), nullable=True),
        sa.Column("unconfirmed", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["operator_org_id"], ["organizations.id"], name=op.f("fk_facilities_operator_org_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facilities")),
    )
    with op.batch_alter_table("facilities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_facilities_operator_org_id"), ["operator_org_id"], unique=False)

    op.create_table(
        "investments",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("org_id", sa.String(length=200), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.Text(), nullable=True),
        sa.Column("date", sa.Text(), nullable=True),
        sa.Column("round", sa.Text(), nullable=True),
        sa.Column("investors", sa.JSON(), nullable=True),
        sa.Column("definition", sa.Text(), nullable=True),
        sa.Column("source_ids", sa.JSON(), nullable=True),
        sa.Column("unconfirmed", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"], name=op.f("fk_investments_org_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investments")),
    )
    with op.batch_alter_table("investments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_investments_org_id"), ["org_id"], unique=False)

    op.create_table(
        "needs",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=False),
        sa.Column("title_ja", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("description_ja", sa.Text(), nullable=True),
        sa.Column("buyer_org_id", sa.String(length=200), nullable=True),
        sa.Column("technology_ids", sa.JSON(), nullable=True),
        sa.Column("min_trl", sa.Integer(), nullable=True),
        sa.Column("countries", sa.JSON(), nullable=True),
        sa.Column("deadline", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("visibility", sa.String(length=32), nullable=True),
        sa.Column("source_ids", sa.JSON(), nullable=True),
        sa.Column("unconfirmed", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["buyer_org_id"], ["organizations.id"], name=op.f("fk_needs_buyer_org_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_needs")),
    )
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_needs_buyer_org_id"), ["buyer_org_id"], unique=False)

    op.create_table(
        "milestones",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("date", sa.Text(), nullable=True),
        sa.Column("date_text", sa.Text(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("org_id", sa.String(length=200), nullable=True),
        sa.Column("facility_id", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("title_en", sa.Text(), nullable=False),
        sa.Column("title_ja", sa.Text(), nullable=True),
        sa.Column("depends_on", sa.JSON(), nullable=True),
        sa.Column("source_ids", sa.JSON(), nullable=True),
        sa.Column("unconfirmed", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["facility_id"], ["facilities.id"], name=op.f("fk_milestones_facility_id")),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"], name=op.f("fk_milestones_org_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestones")),
    )
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_milestones_facility_id"), ["facility_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_milestones_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestones_org_id"))
        batch_op.drop_index(batch_op.f("ix_milestones_facility_id"))

    op.drop_table("milestones")
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_needs_buyer_org_id"))

    op.drop_table("needs")
    with op.batch_alter_table("investments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_investments_org_id"))

    op.drop_table("investments")
    with op.batch_alter_table("facilities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_facilities_operator_org_id"))

    op.drop_table("facilities")
    with op.batch_alter_table("capabilities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_capabilities_technology_id"))
        batch_op.drop_index(batch_op.f("ix_capabilities_org_id"))

    op.drop_table("capabilities")
    op.drop_table("technologies")
    op.drop_table("sources")
    op.drop_table("search_entries")
    op.drop_table("regulations")
    op.drop_table("programmes")
    op.drop_table("organizations")
    op.drop_table("exchange_rates")
