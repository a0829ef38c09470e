"""Reading a scheduling problem from a file (`fusionatlas event schedule FILE`), and making synthetic ones.

JSON: {"slots": [ids], "tables": [ids], "participants": [{"id", "org_id", "available": [slot ids],
"max_meetings"}], "requests": [{"a", "b", "weight"}], "fixed": [{"a", "b", "slot", "table"}] (optional)}.
XLSX: one sheet per key with a header row; `available` is a comma-separated list of slot ids.
Every problem is reported with its place (key and position, or sheet and row), all at once.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from fusionatlas.events.scheduler import Meeting, Participant, Problem, Request, ScheduleError

KEYS = ("slots", "tables", "participants", "requests")


def _text(value: Any, where: str, errors: list[str], required: bool = True) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.append(f"{where}: missing")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        errors.append(f"{where}: expected a text or a number, got {value!r}")
        return None
    return str(value).strip()


def _whole(value: Any, where: str, errors: list[str], default: int | None) -> int | None:
    if value is None or value == "":
        return default
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        errors.append(f"{where}: expected a whole number, got {value!r}")
        return default
    return value


def problem_from_data(data: Any, name: str) -> Problem:
    """A problem from parsed JSON-like data; ScheduleError names the file, the key and the position."""
    if not isinstance(data, dict):
        raise ScheduleError(f"{name}: expected an object with {', '.join(KEYS)}")
    errors: list[str] = []
    for key in KEYS:
        if not isinstance(data.get(key), list):
            errors.append(f"{name}: {key}: expected a list")
    if errors:
        raise ScheduleError("; ".join(errors))
    slots = [_text(v, f"{name}: slots[{n}]", errors) or "" for n, v in enumerate(data["slots"])]
    tables = [_text(v, f"{name}: tables[{n}]", errors) or "" for n, v in enumerate(data["tables"])]
    people = []
    for n, row in enumerate(data["participants"]):
        where = f"{name}: participants[{n}]"
        if not isinstance(row, dict):
            errors.append(f"{where}: expected an object")
            continue
        available = row.get("available")
        if isinstance(available, str):
            available = [s.strip() for s in available.split(",") if s.strip()]
        if not isinstance(available, list):
            errors.append(f"{where}.available: expected a list of slot ids")
            available = []
        people.append(
            Participant(
                id=_text(row.get("id"), f"{where}.id", errors) or "",
                org_id=_text(row.get("org_id"), f"{where}.org_id", errors, required=False),
                available=tuple(_text(s, f"{where}.available", errors) or "" for s in available),
                max_meetings=_whole(row.get("max_meetings"), f"{where}.max_meetings", errors, None),
            )
        )
    requests = []
    for n, row in enumerate(data["requests"]):
        where = f"{name}: requests[{n}]"
        if not isinstance(row, dict):
            errors.append(f"{where}: expected an object")
            continue
        a, b = _text(row.get("a"), f"{where}.a", errors), _text(row.get("b"), f"{where}.b", errors)
        weight = _whole(row.get("weight"), f"{where}.weight", errors, 1)
        requests.append(Request(a or "", b or "", weight if weight is not None else 1))
    fixed = []
    for n, row in enumerate(data.get("fixed") or []):
        where = f"{name}: fixed[{n}]"
        values = [_text(row.get(k) if isinstance(row, dict) else None, f"{where}.{k}", errors) or "" for k in "ab"]
        values += [
            _text(row.get(k) if isinstance(row, dict) else None, f"{where}.{k}", errors) or ""
            for k in ("slot", "table")
        ]
        fixed.append(Meeting(*values))
    if errors:
        raise ScheduleError("; ".join(errors))
    return Problem(slots, tables, people, requests, fixed)


def _sheet_rows(path: Path) -> dict[str, Any]:
    book = load_workbook(path, read_only=True, data_only=True)
    data: dict[str, Any] = {}
    for key in (*KEYS, "fixed"):
        if key not in book.sheetnames:
            continue
        rows = list(book[key].iter_rows(values_only=True))
        header = [str(h).strip() if h is not None else "" for h in rows[0]] if rows else []
        records = [dict(zip(header, row, strict=False)) for row in rows[1:] if any(v is not None for v in row)]
        data[key] = [r.get("id") for r in records] if key in ("slots", "tables") else records
    return data


def read_problem(path: Path) -> Problem:
    """A problem from a .json or .xlsx file (in XLSX, positions are rows after the header: row = n + 2)."""
    if not path.is_file():
        raise ScheduleError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ScheduleError(f"{path}: not valid JSON: {error}") from None
    elif suffix == ".xlsx":
        data = _sheet_rows(path)
    else:
        raise ScheduleError(f"{path}: expected a .json or .xlsx file")
    return problem_from_data(data, str(path))


def synthetic(participants: int, requests: int, slots: int, tables: int, seed: int = 7, per_org: int = 3) -> Problem:
    """A SYNTHETIC problem (for the benchmark and random tests; no real event): organizations of 1 to `per_org`
    people, each person free in most slots, requests between people of different organizations drawn with
    popular people asked more often (as at real events), weights 1 (normal) to 3 (high priority)."""
    rng = random.Random(seed)
    slot_ids = [f"s{n:02d}" for n in range(slots)]
    people: list[Participant] = []
    org = 0
    while len(people) < participants:
        for _ in range(rng.randint(1, per_org)):
            if len(people) < participants:
                free = [s for s in slot_ids if rng.random() < 0.85] or [rng.choice(slot_ids)]
                people.append(
                    Participant(f"p{len(people):04d}", f"o{org:04d}", tuple(free), rng.choice((6, 8, 10, None)))
                )
        org += 1
    popularity = [rng.paretovariate(1.5) for _ in people]
    pairs: set[tuple[int, int]] = set()
    made: list[Request] = []
    possible = sum(1 for i in range(participants) for j in range(i) if people[i].org_id != people[j].org_id)
    if requests > possible:
        raise ValueError(f"{requests} requests: at most {possible} pairs of people of different organizations")
    while len(made) < requests:
        a = rng.randrange(participants)
        b = rng.choices(range(participants), weights=popularity)[0]
        key = (min(a, b), max(a, b))
        if a == b or key in pairs or people[a].org_id == people[b].org_id:
            continue
        pairs.add(key)
        made.append(Request(people[a].id, people[b].id, rng.choices((1, 2, 3), weights=(6, 3, 1))[0]))
    return Problem(slot_ids, [f"T{n + 1}" for n in range(tables)], people, made)
