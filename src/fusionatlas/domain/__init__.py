"""Typed records of the fusion atlas and the table registry; pure, no I/O."""

from fusionatlas.domain.records import (
    Capability,
    ExchangeRate,
    Facility,
    Investment,
    Milestone,
    Need,
    Organization,
    Programme,
    Record,
    Regulation,
    Relation,
    Source,
    Target,
    Technology,
)
from fusionatlas.domain.tables import BY_NAME, TABLES, Reference, TableSpec, table

__all__ = [
    "BY_NAME",
    "TABLES",
    "Capability",
    "ExchangeRate",
    "Facility",
    "Investment",
    "Milestone",
    "Need",
    "Organization",
    "Programme",
    "Record",
    "Reference",
    "Regulation",
    "Relation",
    "Source",
    "TableSpec",
    "Target",
    "Technology",
    "table",
]
