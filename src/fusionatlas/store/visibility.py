"""The audience's rules (domain/audience.py) as SQL conditions: one per table, one for search entries.

A condition is None when the audience sees everything, so callers add no WHERE clause at all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select, true

from fusionatlas.domain import table
from fusionatlas.domain.audience import Audience
from fusionatlas.store.schema import TABLES_BY_NAME, search_entries


def visible_organizations(audience: Audience) -> Select[tuple[str]]:
    """The ids of the organizations the audience may see (a subquery)."""
    orgs = TABLES_BY_NAME["organizations"]
    seen = audience.visibilities or ("public", "members", "private")
    query = select(orgs.c.id).where(orgs.c.visibility.in_(seen))
    if audience.org_id:
        query = select(orgs.c.id).where(or_(orgs.c.visibility.in_(seen), orgs.c.id == audience.org_id))
    return query


def _owner_visible(owner: ColumnElement[str], audience: Audience) -> ColumnElement[bool]:
    return or_(owner.is_(None), owner.in_(visible_organizations(audience)))


def condition(audience: Audience, table_name: str) -> ColumnElement[bool] | None:
    """What the audience may see of a table: its own visibility and its owner's; None when it sees all."""
    seen = audience.visibilities
    if seen is None:
        return None
    spec = table(table_name)
    db_table = TABLES_BY_NAME[table_name]
    parts: list[ColumnElement[bool]] = []
    if spec.has_visibility:
        parts.append(db_table.c.visibility.in_(seen))
    if spec.owner and spec.owner != "id":
        parts.append(_owner_visible(db_table.c[spec.owner], audience))
    if not parts:
        return true()
    allowed = and_(*parts)
    if spec.owner and audience.org_id:
        allowed = or_(allowed, db_table.c[spec.owner] == audience.org_id)
    if spec.co_owner:
        # The other party must be visible as well (its own members see it: visible_organizations).
        allowed = and_(allowed, _owner_visible(db_table.c[spec.co_owner], audience))
        if audience.org_id and spec.owner:
            # A two-party record belongs to both parties: the other party's members see it whatever its own
            # visibility (a private relation is private to the two of them), when they may see the owner.
            co_owned = and_(
                db_table.c[spec.co_owner] == audience.org_id, _owner_visible(db_table.c[spec.owner], audience)
            )
            allowed = or_(allowed, co_owned)
    return allowed


def entries_condition(audience: Audience) -> ColumnElement[bool] | None:
    """The same rules for search entries, which keep their record's visibility and owner."""
    seen = audience.visibilities
    if seen is None:
        return None
    allowed = and_(search_entries.c.visibility.in_(seen), _owner_visible(search_entries.c.owner_id, audience))
    if audience.org_id:
        allowed = or_(allowed, search_entries.c.owner_id == audience.org_id)
    allowed = and_(allowed, _owner_visible(search_entries.c.co_owner_id, audience))
    if audience.org_id:
        # The other party's members see a two-party record as its owner's do (condition above).
        co_owned = and_(
            search_entries.c.co_owner_id == audience.org_id, _owner_visible(search_entries.c.owner_id, audience)
        )
        allowed = or_(allowed, co_owned)
    return allowed


def where_visible(query: Select[Any], audience: Audience, table_name: str) -> Select[Any]:
    """`query` limited to the rows of `table_name` the audience may see."""
    found = condition(audience, table_name)
    return query if found is None else query.where(found)
