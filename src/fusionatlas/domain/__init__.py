"""Typed records of the fusion atlas and the table registry; pure, no I/O.

The names below are loaded when first used (PEP 562): importing `fusionatlas.domain.audience` or `.values`
alone, as `match` and `opportunities` do, does not build every record's pydantic model.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    "Relation",
    "Source",
    "TableSpec",
    "Target",
    "Technology",
    "table",
]
_IN_TABLES = {"BY_NAME", "TABLES", "Reference", "TableSpec", "table"}  # the others are in records.py


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = "fusionatlas.domain.tables" if name in _IN_TABLES else "fusionatlas.domain.records"
    return getattr(importlib.import_module(module), name)
