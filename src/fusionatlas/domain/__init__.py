"""Typed records of the fusion atlas and the table registry; pure, no I/O."""

from fusionatlas.domain.records import (
    Capability,
    CountryPath,
    ExchangeRate,
    Facility,
    Investment,
    Milestone,
    Need,
    Organization,
    Programme,
    Readiness,
    Record,
    Regulation,
    Source,
    Target,
    Technology,
)
from fusionatlas.domain.tables import BY_NAME, TABLES, Reference, TableSpec, table

__all__ = [
    "BY_NAME",
    "TABLES",
    "Capability",
    "CountryPath",
    "ExchangeRate",
    "Facility",
    "Investment",
    "Milestone",
    "Need",
    "Organization",
    "Programme",
    "Readiness",
    "Record",
    "Reference",
    "Regulation",
    "Source",
    "TableSpec",
    "Target",
    "Technology",
    "table",
]
