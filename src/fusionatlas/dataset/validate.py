"""Validation of incoming rows against the domain model and against each other.

One Validator sees a whole input (a data package or one import file) and collects every problem
before anything is written: field errors, duplicate ids, unknown references, cycles in the
technology tree. Duplicate-looking organization names are warnings, not problems.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from pydantic import ValidationError

from fusionatlas.dataset.problems import MAX_KEPT, Problem, ValidationFailed
from fusionatlas.dataset.readers import Row
from fusionatlas.domain import Record, TableSpec
from fusionatlas.domain.graphs import find_cycle
from fusionatlas.text import normalize_name

NO_IDS: frozenset[str] = frozenset()


def _no_existing(_table: str) -> frozenset[str]:
    return NO_IDS


class Validator:
    def __init__(
        self,
        existing_ids: Callable[[str], set[str] | frozenset[str]] = _no_existing,
        existing_names: dict[str, str] | None = None,
        existing_parents: dict[str, str | None] | None = None,
    ) -> None:
        self.existing_ids = existing_ids
        self.names = dict(existing_names or {})
        self.parents: dict[str, str | None] = dict(existing_parents or {})
        self.ids: dict[str, set[str]] = {}
        self.complete: set[str] = set()
        self.deferred: list[tuple[str, int | None, str, str, str]] = []
        self.problems: list[Problem] = []
        self.total = 0
        self.warnings: list[str] = []
        self.tree_file = "technologies"
        self.tree_checked = False
        # Milestone dependencies (depends_on and milestone_links) as successor -> {predecessor: (file, line)}.
        self.depends: dict[str, dict[str, tuple[str, int | None]]] = {}
        # Country paths' exclusions as (file, line, path's node, excluded node), checked once the tree is known.
        self.exclusions: list[tuple[str, int | None, str, str]] = []

    def add(self, file: str, line: int | None, field: str | None, message: str) -> None:
        self.total += 1
        if len(self.problems) < MAX_KEPT:
            self.problems.append(Problem(file, line, field, message))

    def rows(self, spec: TableSpec, rows: Iterable[Row], file: str) -> Iterator[Record]:
        """The valid records among `rows`; problems with the others are collected."""
        seen = self.ids.setdefault(spec.name, set())
        first_line: dict[str, int | None] = {}
        header_checked = False
        for row in rows:
            if not header_checked and file.endswith((".csv", ".xlsx", ".xlsm")):
                header_checked = True
                if not self._header(spec, row.data, file):
                    return
            before = self.total
            record = self._record(spec, row, file)
            if record is None:
                continue
            key = "|".join(str(getattr(record, k)) for k in spec.key)
            if key in first_line:
                self.add(file, row.line, spec.key[0], f"duplicate id {key!r} (first at line {first_line[key]})")
                continue
            first_line[key] = row.line
            seen.add(key)
            self._references(spec, record, row.line, file)
            if spec.name == "organizations":
                self._duplicate_name(record, row.line, file)
            if spec.name == "technologies":
                self.tree_file = file
                self.parents[record.id] = record.parent  # type: ignore[attr-defined]
            self._note_dependencies(spec.name, record, file, row.line)
            if self.total == before:
                yield record
        self.complete.add(spec.name)

    def settle(self, table: str) -> bool:
        """Check the references into `table` that waited for all of its rows; True if all are known.

        Run before writing a self-referencing table (the technology tree), so that the store's foreign
        keys never see an unknown parent or a cycle.
        """
        before = self.total
        waiting = []
        for item in self.deferred:
            _file, _line, _field, target, value = item
            if target != table or table not in self.complete:
                waiting.append(item)
            elif not self._known(target, value):
                self.add(item[0], item[1], item[2], f"unknown {target} id {value!r}")
        self.deferred = waiting
        if table == "technologies":
            self._cycles()
            self.tree_checked = True
        return self.total == before

    def finish(self) -> None:
        """Check what could only be checked once every row was seen; raise if anything was wrong."""
        for file, line, field, target, value in self.deferred:
            if not self._known(target, value):
                self.add(file, line, field, f"unknown {target} id {value!r}")
        if not self.tree_checked:
            self._cycles()
        self._dependency_cycles()
        self._exclusions_below_their_path()
        if self.total:
            raise ValidationFailed(self.problems, self.total)

    def _header(self, spec: TableSpec, data: dict[str, Any], file: str) -> bool:
        fields = spec.model.model_fields
        unknown = [c for c in data if c not in fields]
        missing = [n for n, f in fields.items() if f.is_required() and n not in data]
        for column in unknown:
            self.add(file, 1, column, f"unknown column (columns of {spec.name}: {', '.join(spec.columns)})")
        for column in missing:
            self.add(file, 1, column, "required column is missing")
        return not unknown and not missing

    def _record(self, spec: TableSpec, row: Row, file: str) -> Record | None:
        try:
            return spec.model.model_validate(row.data)
        except ValidationError as error:
            for detail in error.errors():
                field, message = _describe(detail)
                self.add(file, row.line, field, message)
            return None

    def _references(self, spec: TableSpec, record: Record, line: int | None, file: str) -> None:
        for ref in spec.references:
            value = getattr(record, ref.field)
            values = value if ref.many else ([value] if value else [])
            for target_id in values:
                # Wait for the rest of a table that this input is still reading (or this very table).
                if ref.table == spec.name or (ref.table in self.ids and ref.table not in self.complete):
                    self.deferred.append((file, line, ref.field, ref.table, target_id))
                elif not self._known(ref.table, target_id):
                    self.add(file, line, ref.field, f"unknown {ref.table} id {target_id!r}")

    def _known(self, table: str, value: str) -> bool:
        return value in self.ids.get(table, NO_IDS) or value in self.existing_ids(table)

    def _duplicate_name(self, record: Any, line: int | None, file: str) -> None:
        for name in (record.name_en, record.name_ja):
            if not name:
                continue
            key = normalize_name(name)
            other = self.names.setdefault(key, record.id)
            if other != record.id:
                self.warnings.append(
                    f"{file}:{line}: name {name!r} of {record.id} matches organization {other}: a duplicate?"
                )

    def _cycles(self) -> None:
        reported: set[str] = set()
        for start in self.parents:
            path: list[str] = []
            node: str | None = start
            while node is not None and node not in path and node not in reported:
                path.append(node)
                node = self.parents.get(node)
            if node is not None and node in path:
                cycle = path[path.index(node) :]
                reported.update(cycle)
                self.add(self.tree_file, None, "parent", "cycle in the technology tree: " + " -> ".join([*cycle, node]))
            reported.update(path)

    def _note_dependencies(self, table: str, record: Any, file: str, line: int | None) -> None:
        if table == "milestones":
            for predecessor in record.depends_on:
                self.depends.setdefault(record.id, {})[predecessor] = (file, line)
        elif table == "milestone_links":
            self.depends.setdefault(record.to_id, {})[record.from_id] = (file, line)
        elif table == "country_paths":
            self.exclusions += [(file, line, record.technology_id, node) for node in record.excludes]

    def _exclusions_below_their_path(self) -> None:
        """A path can leave out only what it would otherwise take: a node below its own."""
        for file, line, node, excluded in self.exclusions:
            above, seen = self.parents.get(excluded), {excluded}
            while above is not None and above != node and above not in seen:
                seen.add(above)
                above = self.parents.get(above)
            if excluded in self.parents and above != node:
                self.add(file, line, "excludes", f"{excluded!r} is not below the path's technology {node!r}")

    def _dependency_cycles(self) -> None:
        """A milestone that (through depends_on and milestone_links) depends on itself cannot be scheduled."""
        remaining = {node: dict(preds) for node, preds in self.depends.items()}
        while cycle := find_cycle(remaining):
            last, first = cycle[-2], cycle[-1]
            file, line = remaining[last][first]
            field = "from_id" if "milestone_links" in file else "depends_on"
            self.add(file, line, field, "dependency cycle: " + " -> ".join(reversed(cycle)))
            del remaining[last][first]


def _describe(detail: Any) -> tuple[str | None, str]:
    """A pydantic error as (field, plain message)."""
    loc = detail.get("loc") or ()
    field = ".".join(str(part) for part in loc) or None
    message = str(detail.get("msg", "invalid"))
    kind = detail.get("type")
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
        # Model-level checks name their field as "field: message".
        if field is None and ": " in message and message.split(": ", 1)[0].isidentifier():
            field, message = message.split(": ", 1)
        return field, message
    if kind == "missing" or (kind == "string_type" and detail.get("input") is None):
        return field, "required, but empty or missing"
    if kind == "extra_forbidden":
        return field, "unknown column"
    if "input" in detail and kind not in ("missing",):
        message = f"{message} (got {detail['input']!r})"
    return field, message
