"""Read rows from CSV, XLSX, JSON and YAML, each with the place it came from.

Readers stream: a 100 MB CSV is never held in memory. Every row carries its file line (CSV: the header
is line 1), sheet row (XLSX) or record number (JSON), so that errors can name it.
"""

from __future__ import annotations

import codecs
import csv
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import yaml

from fusionatlas.dataset.problems import BadInput

csv.field_size_limit(10_000_000)


@dataclass(frozen=True)
class Row:
    line: int | None
    data: dict[str, Any]


def detect_encoding(path: Path, sample_size: int = 1 << 20) -> str:
    """UTF-8 (with or without BOM), else CP932 as saved by Japanese Excel; anything else is refused."""
    with path.open("rb") as handle:
        sample = handle.read(sample_size)
        complete = not handle.read(1)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if not complete:
        # Cut at the last line break so that a multibyte character is never split.
        sample = sample[: sample.rfind(b"\n") + 1] or sample
    for encoding in ("utf-8", "cp932"):
        try:
            sample.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    raise BadInput(f"{path.name}: cannot tell the text encoding (expected UTF-8 or Shift_JIS/CP932)")


def decoding_error(path: Path, encoding: str) -> BadInput:
    """The problem with a file that is not all `encoding`, naming the line and byte offset of the first bad byte.

    Readers decode in chunks, so the offset of a UnicodeDecodeError is relative to a chunk: find the real one."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset, line = 0, 1
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 16):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                # A character split across chunks starts in the decoder's buffer, before this chunk.
                start = offset + error.start - (len(error.object) - len(chunk))
                line += chunk[: max(start - offset, 0)].count(b"\n")
                return BadInput(
                    f"{path.name}:{line}: bytes that are not {_NAMES.get(encoding, encoding)} at byte {start} "
                    "(save the file as UTF-8)"
                )
            offset += len(chunk)
            line += chunk.count(b"\n")
    return BadInput(
        f"{path.name}:{line}: the file ends inside a character: bytes that are not {_NAMES.get(encoding, encoding)}"
    )


_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp932": "Shift_JIS/CP932"}


def read_csv(path: Path) -> Iterator[Row]:
    """Rows as dicts keyed by the header. Too many or too few cells is an error naming the line."""
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as text:
        reader = csv.reader(text, strict=True)
        try:
            header = next(reader, None)
            if header is None or not any(cell.strip() for cell in header):
                raise BadInput(f"{path.name}: the file is empty (no header row)")
            header = [cell.strip() for cell in header]
            _check_header(path.name, header)
            line = reader.line_num + 1
            for cells in reader:
                if cells and any(cell.strip() for cell in cells):
                    if len(cells) != len(header):
                        raise BadInput(
                            f"{path.name}:{line}: the row has {len(cells)} cells but the header has "
                            f"{len(header)} (a comma inside a value needs quotes)"
                        )
                    yield Row(line, dict(zip(header, cells, strict=True)))
                line = reader.line_num + 1
        except csv.Error as error:
            raise BadInput(f"{path.name}:{reader.line_num}: malformed CSV: {error}") from None
        except UnicodeDecodeError:
            raise decoding_error(path, encoding) from None


def _check_header(name: str, header: list[str]) -> None:
    if any(not cell for cell in header):
        raise BadInput(f"{name}:1: the header has an empty column name")
    seen: set[str] = set()
    for cell in header:
        if cell in seen:
            raise BadInput(f"{name}:1: the header names column {cell!r} twice")
        seen.add(cell)


def read_xlsx(path: Path, sheet: str | None = None) -> Iterator[Row]:
    """Rows of one sheet (the named one, else the first), header in the first row."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as error:
        raise BadInput(f"{path.name}: not a readable XLSX workbook ({error})") from None
    number = 0
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise BadInput(f"{path.name}: no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})")
        rows = book[sheet or book.sheetnames[0]].iter_rows(values_only=True)
        header_cells = next(rows, None)
        if header_cells is None or not any(c is not None for c in header_cells):
            raise BadInput(f"{path.name}: the sheet is empty (no header row)")
        header = [str(c).strip() if c is not None else "" for c in header_cells]
        while header and not header[-1]:
            header.pop()
        _check_header(path.name, header)
        for number, cells in enumerate(rows, start=2):
            values = list(cells[: len(header)])
            if any(v is not None and str(v).strip() for v in cells[len(header) :]):
                raise BadInput(f"{path.name}:{number}: the row has values beyond the header's columns")
            if any(v is not None and str(v).strip() for v in values):
                values += [None] * (len(header) - len(values))
                yield Row(number, dict(zip(header, values, strict=True)))
    except _XLSX_DAMAGE as error:
        # A sheet's XML is parsed as it is read: bad bytes or a damaged archive show up here, row by row.
        where = f":{number + 1}" if number else ""
        raise BadInput(
            f"{path.name}{where}: the workbook is damaged or not valid XML ({type(error).__name__}: {error})"
        ) from None
    finally:
        book.close()


# What openpyxl raises on a damaged workbook: XML parse errors (SyntaxError subclasses, from expat or lxml),
# text that is not UTF-8, and a broken zip archive.
_XLSX_DAMAGE = (SyntaxError, UnicodeDecodeError, ValueError, KeyError, BadZipFile, EOFError, OSError, zlib.error)


def read_json(path: Path, table: str | None = None) -> Iterator[Row]:
    """A list of objects, or an object keyed by table name (the export format) holding such lists."""
    encoding = detect_encoding(path)
    try:
        with path.open("rb") as handle:
            data = json.loads(handle.read().decode(encoding))
    except UnicodeDecodeError:
        raise decoding_error(path, encoding) from None
    except RecursionError:
        raise BadInput(f"{path.name}: the JSON is nested too deeply") from None
    except json.JSONDecodeError as error:
        raise BadInput(f"{path.name}:{error.lineno}: malformed JSON: {error.msg}") from None
    if isinstance(data, dict) and table is not None:
        if table not in data:
            raise BadInput(f"{path.name}: the JSON object has no key {table!r} (keys: {', '.join(data)})")
        data = data[table]
    if not isinstance(data, list):
        raise BadInput(f"{path.name}: expected a JSON list of records")
    if not data:
        raise BadInput(f"{path.name}: the file holds no records")
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise BadInput(f"{path.name}: record {number} is not a JSON object")
        yield Row(number, item)


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A YAML loader that records the line of every mapping, so problems can name it."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def read_yaml(path: Path) -> Iterator[Row]:
    encoding = detect_encoding(path)
    try:
        with path.open(encoding=encoding) as handle:
            data = yaml.load(handle, Loader=_LineLoader)
    except UnicodeDecodeError:
        raise decoding_error(path, encoding) from None
    except RecursionError:
        raise BadInput(f"{path.name}: the YAML is nested too deeply") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise BadInput(f"{path.name}{where}: malformed YAML: {getattr(error, 'problem', error)}") from None
    if not isinstance(data, list):
        raise BadInput(f"{path.name}: expected a YAML list of records")
    for item in data:
        if not isinstance(item, dict):
            raise BadInput(f"{path.name}: every item must be a mapping")
        line = item.pop("__line__", None)
        for value in item.values():
            _drop_lines(value)
        yield Row(line, item)


def _drop_lines(value: Any) -> None:
    if isinstance(value, dict):
        value.pop("__line__", None)
        for inner in value.values():
            _drop_lines(inner)
    elif isinstance(value, list):
        for inner in value:
            _drop_lines(inner)


def read_rows(path: Path, table: str | None = None) -> Iterator[Row]:
    """Rows of a CSV, XLSX, JSON or YAML file, by its suffix."""
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet=table if table and _has_sheet(path, table) else None)
    if suffix == ".json":
        return read_json(path, table)
    if suffix in (".yaml", ".yml"):
        return read_yaml(path)
    raise BadInput(f"{path.name}: unsupported file type {suffix!r} (use .csv, .xlsx, .json or .yaml)")


def _has_sheet(path: Path, name: str) -> bool:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except Exception:
        return False
    try:
        return name in book.sheetnames
    finally:
        book.close()


def count_rows(path: Path) -> int | None:
    """About how many records a file holds (line breaks less the header), for progress bars."""
    if path.suffix.lower() != ".csv":
        return None
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)
