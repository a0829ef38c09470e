"""Import one file (CSV, XLSX, JSON) into one table, all or nothing, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine

from fusionatlas.dataset.package import checked_records, write_checked
from fusionatlas.dataset.problems import BadInput
from fusionatlas.dataset.progress import Progress, Silent
from fusionatlas.dataset.readers import count_rows
from fusionatlas.dataset.validate import Validator
from fusionatlas.domain import TableSpec, table
from fusionatlas.store import queries
from fusionatlas.store.migrate import upgrade


@dataclass
class ImportReport:
    table: str
    count: int = 0
    warnings: list[str] = field(default_factory=list)


def _validator(connection: Connection, spec: TableSpec) -> Validator:
    """A validator that knows what the store already holds: ids to reference, names, the tree."""
    known = {ref.table: queries.ids(connection, ref.table) for ref in spec.references}
    names = queries.organization_names(connection) if spec.name == "organizations" else None
    parents = queries.technology_parents(connection) if spec.name == "technologies" else None
    return Validator(lambda name: known.get(name, set()), names, parents)


def import_file(engine: Engine, path: Path, table_name: str, progress: Progress | None = None) -> ImportReport:
    """Rows whose id exists update that record; any problem rolls the whole import back."""
    progress = progress or Silent()
    spec = table(table_name)
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    upgrade(engine)
    report = ImportReport(spec.name)
    with engine.begin() as connection:
        validator = _validator(connection, spec)
        progress.start(f"importing {path.name}", count_rows(path))
        records = checked_records(validator, spec, path)
        report.count = write_checked(connection, validator, spec, records, progress)
        validator.finish()
        if report.count == 0:
            raise BadInput(f"{path.name}: the file holds no records")
    report.warnings = validator.warnings
    return report
