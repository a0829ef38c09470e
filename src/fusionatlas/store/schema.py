"""SQLAlchemy tables, derived from the domain registry so that the two never drift apart.

The Alembic migrations in `migrations/versions/` are the schema's history; a test compares them with
this metadata, so a model change without a migration fails CI.
"""

from __future__ import annotations

import types
import typing
from enum import Enum

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeEngine

from fusionatlas.domain import TABLES, TableSpec

metadata = MetaData(
    naming_convention={
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
    }
)
ID_LENGTH = 200
# Amounts of money exceed 2**31 (650000000 GBP is fine, 1.8e9 USD is not).
_BIG_INT_FIELDS = {"amount", "value"}


def _column_type(name: str, annotation: object) -> TypeEngine[typing.Any]:
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        annotation = args[0]
        origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _column_type(name, typing.get_args(annotation)[0])
    if origin is list:
        return JSON()
    if annotation is bool:
        return Boolean()
    if annotation is int:
        return BigInteger() if name in _BIG_INT_FIELDS else Integer()
    if annotation is float:
        return Float()
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return String(32)
    if name == "id" or name.endswith("_id") or name == "parent":
        return String(ID_LENGTH)
    return Text()


def _table(spec: TableSpec) -> Table:
    references = {ref.field: ref for ref in spec.references if not ref.many}
    columns = []
    for name in spec.columns:
        field = spec.model.model_fields[name]
        args: list[typing.Any] = []
        if name in references:
            args.append(ForeignKey(f"{references[name].table}.id"))
        columns.append(
            Column(
                name,
                _column_type(name, field.annotation),
                *args,
                primary_key=name in spec.key,
                nullable=name not in spec.key and not field.is_required(),
            )
        )
    table = Table(spec.name, metadata, *columns)
    for name in references:
        if name != "parent":
            Index(None, table.c[name])
    return table


TABLES_BY_NAME: dict[str, Table] = {spec.name: _table(spec) for spec in TABLES}

# One row per searchable record: its names and a normalised text of everything worth finding it by.
search_entries = Table(
    "search_entries",
    metadata,
    Column("table_name", String(32), primary_key=True),
    Column("record_id", String(ID_LENGTH), primary_key=True),
    Column("name_en", Text, nullable=True),
    Column("name_ja", Text, nullable=True),
    Column("visibility", String(16), nullable=False),
    # The organization the record is about (domain/audience.py): its visibility counts too.
    Column("owner_id", String(ID_LENGTH), nullable=True, index=True),
    # The other party of a two-party record (a relation): it must be visible too.
    Column("co_owner_id", String(ID_LENGTH), nullable=True),
    Column("body", Text, nullable=False),
    Column("norm", Text, nullable=False),
)

# The accounts tables (users, sessions, tokens, audit log, submissions) live on the same metadata.
from fusionatlas.store import accounts as _accounts  # noqa: E402, F401
from fusionatlas.store import events as _events  # noqa: E402, F401
from fusionatlas.store import saved_scenarios as _saved_scenarios  # noqa: E402, F401
from fusionatlas.store import watch as _watch  # noqa: E402, F401
