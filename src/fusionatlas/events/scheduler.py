"""The meeting scheduler: accepted requests to slots and tables, in one CP-SAT model.

The model (one boolean x[r, s] per request r and slot s that both of its participants have free):
- a request meets at most once: sum_s x[r, s] <= 1;
- no participant is double-booked: for each participant p and slot s, at most one of p's requests in s;
- at most as many meetings in a slot as there are tables (tables are interchangeable, so a meeting needs
  *a* table, not a given one: this keeps the model small and free of table symmetry);
- a participant meets at most `max_meetings` times;
- two participants of one organization never meet each other (their requests are left out, with a warning);
- meetings kept fixed by a reschedule (`fixed`) are set to their slot, and keep their table.
The objective is the sum of the weights (priorities) of the scheduled requests. Because the whole problem is
one model, CP-SAT's proven bound holds for the whole problem, and the gap it reports is a true gap.
Table numbers are given afterwards, slot by slot, which the capacity constraint makes always possible.

The first-come greedy scheduler (requests in the order they were accepted, each to its earliest feasible slot)
is the baseline of the benchmark, and its result is the solver's warm start (hints) only.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

DEFAULT_TIME_LIMIT = 30.0
DEFAULT_WORKERS = 2  # the machines this runs on are shared; more workers would only take others' cores


class ScheduleError(ValueError):
    """An input the scheduler cannot use; the message names the record."""


@dataclass(frozen=True)
class Participant:
    id: str
    org_id: str | None
    available: tuple[str, ...]
    max_meetings: int | None = None


@dataclass(frozen=True)
class Request:
    a: str
    b: str
    weight: int = 1


@dataclass(frozen=True)
class Meeting:
    a: str
    b: str
    slot: str
    table: str


@dataclass
class Problem:
    slots: list[str]
    tables: list[str]
    participants: list[Participant]
    requests: list[Request]  # in the order they were accepted: first come, first served for the greedy
    fixed: list[Meeting] = field(default_factory=list)  # kept as they are by a reschedule


@dataclass
class Schedule:
    meetings: list[Meeting]
    objective: int
    bound: int
    optimal: bool
    greedy_meetings: int
    greedy_objective: int
    seconds: float
    status: str
    warnings: list[str] = field(default_factory=list)

    @property
    def gap(self) -> float:
        """(bound - objective) / bound: 0 when proven optimal."""
        return 0.0 if self.bound <= 0 else (self.bound - self.objective) / self.bound

    def as_dict(self) -> dict[str, object]:
        return {
            "meetings": [{"a": m.a, "b": m.b, "slot": m.slot, "table": m.table} for m in self.meetings],
            "objective": self.objective,
            "bound": self.bound,
            "gap": round(self.gap, 6),
            "optimal": self.optimal,
            "status": self.status,
            "greedy_meetings": self.greedy_meetings,
            "greedy_objective": self.greedy_objective,
            "seconds": round(self.seconds, 3),
            "warnings": self.warnings,
        }


@dataclass
class _Checked:
    """A validated problem: requests that may meet, with the slots both participants have free."""

    problem: Problem
    requests: list[Request]
    slots_of: list[list[int]]  # per request, indices into problem.slots
    limit: dict[str, int]
    warnings: list[str]
    fixed_slot: dict[int, int]  # request index -> slot index, for fixed meetings


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def check(problem: Problem) -> _Checked:
    """Every error at once (naming the record), or the problem ready to model; warnings for what only limits it."""
    errors: list[str] = []
    warnings: list[str] = []
    slot_index = {s: i for i, s in enumerate(problem.slots)}
    if len(slot_index) != len(problem.slots):
        errors.append("slots: duplicate slot ids")
    if len(set(problem.tables)) != len(problem.tables):
        errors.append("tables: duplicate table ids")
    if not problem.slots:
        errors.append("slots: no slot")
    if not problem.tables:
        errors.append("tables: no table")
    people: dict[str, Participant] = {}
    for n, p in enumerate(problem.participants):
        where = f"participants[{n}] (id {p.id!r})"
        if p.id in people:
            errors.append(f"{where}: duplicate participant id")
        people[p.id] = p
        unknown = [s for s in p.available if s not in slot_index]
        if unknown:
            errors.append(f"{where}: available names unknown slots {unknown}")
        if not p.available:
            errors.append(f"{where}: no available slot")
        if p.max_meetings is not None and p.max_meetings < 0:
            errors.append(f"{where}: max_meetings must be 0 or more")
    seen: dict[tuple[str, str], int] = {}
    kept: list[Request] = []
    for n, r in enumerate(problem.requests):
        where = f"requests[{n}] ({r.a!r} with {r.b!r})"
        missing = [x for x in (r.a, r.b) if x not in people]
        if missing:
            errors.append(f"{where}: unknown participant {', '.join(map(repr, missing))}")
            continue
        if r.a == r.b:
            errors.append(f"{where}: a request with itself")
            continue
        if r.weight < 1:
            errors.append(f"{where}: weight must be a whole number of 1 or more")
            continue
        pair = _pair(r.a, r.b)
        if pair in seen:
            errors.append(f"{where}: duplicate of requests[{seen[pair]}]")
            continue
        seen[pair] = n
        org_a, org_b = people[r.a].org_id, people[r.b].org_id
        if org_a is not None and org_a == org_b:
            warnings.append(f"{where}: both are of organization {org_a!r}; never scheduled")
            continue
        kept.append(r)
    request_of = {_pair(r.a, r.b): i for i, r in enumerate(kept)}
    fixed_slot: dict[int, int] = {}
    for n, m in enumerate(problem.fixed):
        i = request_of.get(_pair(m.a, m.b))
        if i is None or m.slot not in slot_index or m.table not in problem.tables:
            errors.append(f"fixed[{n}] ({m.a!r} with {m.b!r}): no such accepted request, slot or table")
            continue
        fixed_slot[i] = slot_index[m.slot]
    if errors:
        raise ScheduleError("; ".join(errors))
    limit = {
        p.id: min(len(p.available), len(problem.slots) if p.max_meetings is None else p.max_meetings)
        for p in problem.participants
    }
    count: dict[str, int] = defaultdict(int)
    for r in kept:
        count[r.a] += 1
        count[r.b] += 1
    for p in problem.participants:
        if count[p.id] > limit[p.id]:
            warnings.append(
                f"participant {p.id!r}: {count[p.id]} accepted requests but at most {limit[p.id]} meetings "
                f"({len(p.available)} available slots, maximum {p.max_meetings})"
            )
    free = {p.id: {slot_index[s] for s in p.available} for p in problem.participants}
    slots_of = [sorted(free[r.a] & free[r.b]) for r in kept]
    for i, s in fixed_slot.items():
        if s not in slots_of[i]:
            raise ScheduleError(f"fixed meeting {kept[i].a!r} with {kept[i].b!r}: a participant is not free then")
    return _Checked(problem, kept, slots_of, limit, warnings, fixed_slot)


def _greedy_slots(checked: _Checked, order: list[int] | None = None) -> dict[int, int]:
    """First come, first served: each request in turn (in `order`, or as accepted) to its earliest slot where
    both are free and a table is."""
    problem = checked.problem
    busy: set[tuple[str, int]] = set()
    used = [0] * len(problem.slots)
    meetings: dict[str, int] = defaultdict(int)
    chosen: dict[int, int] = {}

    def take(i: int, s: int) -> None:
        r = checked.requests[i]
        busy.update({(r.a, s), (r.b, s)})
        used[s] += 1
        meetings[r.a] += 1
        meetings[r.b] += 1
        chosen[i] = s

    for i, s in checked.fixed_slot.items():
        take(i, s)
    for i in range(len(checked.requests)) if order is None else order:
        r = checked.requests[i]
        if i in chosen or meetings[r.a] >= checked.limit[r.a] or meetings[r.b] >= checked.limit[r.b]:
            continue
        for s in checked.slots_of[i]:
            if used[s] < len(problem.tables) and (r.a, s) not in busy and (r.b, s) not in busy:
                take(i, s)
                break
    return chosen


def _with_tables(checked: _Checked, chosen: dict[int, int]) -> list[Meeting]:
    """Table numbers, given after the slots: fixed meetings keep theirs, the others take the free ones in order."""
    problem = checked.problem
    taken: dict[int, set[str]] = defaultdict(set)
    fixed_table = {}
    for m in problem.fixed:
        fixed_table[_pair(m.a, m.b)] = m.table
        taken[problem.slots.index(m.slot)].add(m.table)
    meetings = []
    for i in sorted(chosen, key=lambda i: (chosen[i], i)):
        r, s = checked.requests[i], chosen[i]
        table = fixed_table.get(_pair(r.a, r.b))
        if table is None:
            table = next(t for t in problem.tables if t not in taken[s])
            taken[s].add(table)
        meetings.append(Meeting(r.a, r.b, problem.slots[s], table))
    return meetings


def greedy(problem: Problem) -> Schedule:
    """The first-come baseline alone (what most event tools do)."""
    started = time.perf_counter()
    checked = check(problem)
    chosen = _greedy_slots(checked)
    value = sum(checked.requests[i].weight for i in chosen)
    meetings = _with_tables(checked, chosen)
    seconds = time.perf_counter() - started
    return Schedule(meetings, value, value, False, len(chosen), value, seconds, "GREEDY", checked.warnings)


def solve(
    problem: Problem,
    time_limit: float = DEFAULT_TIME_LIMIT,
    workers: int = DEFAULT_WORKERS,
    gap_limit: float = 0.0,
    seed: int = 0,
    log: bool = False,
) -> Schedule:
    """The schedule of greatest total priority, with CP-SAT's proven bound; stops at `time_limit` seconds
    or once the gap is at most `gap_limit` (0: only at proven optimality)."""
    started = time.perf_counter()
    checked = check(problem)
    first_come = _greedy_slots(checked)
    greedy_value = sum(checked.requests[i].weight for i in first_come)
    # The warm start: the better of first come and the same greedy taking high priorities first. Only hints:
    # the model is the whole problem, and the solver may move every one of them.
    by_priority = _greedy_slots(
        checked, sorted(range(len(checked.requests)), key=lambda i: -checked.requests[i].weight)
    )
    value = sum(checked.requests[i].weight for i in by_priority)
    hint = by_priority if value > greedy_value else first_come
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    by_person_slot: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    by_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    by_person: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    y: dict[int, cp_model.IntVar] = {}
    for i, r in enumerate(checked.requests):
        own = []
        for s in checked.slots_of[i]:
            var = model.new_bool_var(f"x{i}_{s}")
            x[i, s] = var
            own.append(var)
            by_person_slot[r.a, s].append(var)
            by_person_slot[r.b, s].append(var)
            by_slot[s].append(var)
            model.add_hint(var, hint.get(i) == s)
        if own:
            # y_r: the request meets (once at most). The capacity and maximum constraints are also stated on
            # the y's: their LP relaxation is what gives CP-SAT a tight bound on the whole problem.
            y[i] = model.new_bool_var(f"y{i}")
            model.add(sum(own) == y[i])
            model.add_hint(y[i], i in hint)
            by_person[r.a].append(y[i])
            by_person[r.b].append(y[i])
        if i in checked.fixed_slot:
            model.add(x[i, checked.fixed_slot[i]] == 1)
    for variables in by_person_slot.values():
        if len(variables) > 1:
            model.add_at_most_one(variables)
    tables = len(problem.tables)
    for variables in by_slot.values():
        if len(variables) > tables:
            model.add(sum(variables) <= tables)
    if len(y) > tables * len(problem.slots):
        model.add(sum(y.values()) <= tables * len(problem.slots))
    for person, variables in by_person.items():
        if len(variables) > checked.limit[person]:
            model.add(sum(variables) <= checked.limit[person])
    model.maximize(sum(checked.requests[i].weight * var for i, var in y.items()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit - (time.perf_counter() - started))
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.relative_gap_limit = gap_limit
    solver.parameters.random_seed = seed
    solver.parameters.log_search_progress = log
    # Presolve's probing and symmetry detection took 20 of 30 s at 80,000 variables and found next to nothing
    # to simplify (the model is small constraints over booleans): the time goes to the LP and search instead.
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    solver.parameters.max_presolve_iterations = 1
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = {i: s for (i, s), var in x.items() if solver.boolean_value(var)}
        objective, bound = round(solver.objective_value), round(solver.best_objective_bound)
    else:  # no solution in time: the warm start is feasible, and the bound is what is known
        chosen, objective = hint, max(value, greedy_value)
        bound = sum(r.weight for r in checked.requests)
    return Schedule(
        meetings=_with_tables(checked, chosen),
        objective=objective,
        bound=max(bound, objective),
        # With a gap limit CP-SAT also answers OPTIMAL when it stops early: optimal means bound reached.
        optimal=status == cp_model.OPTIMAL and objective >= bound,
        greedy_meetings=len(first_come),
        greedy_objective=greedy_value,
        seconds=time.perf_counter() - started,
        status=solver.status_name(status),
        warnings=checked.warnings,
    )
