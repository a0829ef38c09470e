"""The meeting scheduler: hand-worked instances with known optima, bad input, and feasibility on random ones."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from fusionatlas.events.problem_file import synthetic
from fusionatlas.events.scheduler import Meeting, Participant, Problem, Request, ScheduleError, greedy, solve


def person(pid: str, slots: str = "s1", org: str | None = None, most: int | None = None) -> Participant:
    return Participant(pid, org or f"org-{pid}", tuple(slots.split()), most)


def feasible(problem: Problem, meetings: list[Meeting]) -> None:
    """Every rule of the brief, checked from the outside."""
    people = {p.id: p for p in problem.participants}
    weights = {frozenset((r.a, r.b)): r.weight for r in problem.requests}
    pairs = [frozenset((m.a, m.b)) for m in meetings]
    assert len(set(pairs)) == len(pairs), "a request met twice"
    assert all(pair in weights for pair in pairs), "a meeting nobody asked for"
    busy = Counter((who, m.slot) for m in meetings for who in (m.a, m.b))
    assert max(busy.values(), default=0) <= 1, "a participant double-booked"
    tables = Counter((m.slot, m.table) for m in meetings)
    assert max(tables.values(), default=0) <= 1, "a table double-booked"
    assert all(m.table in problem.tables and m.slot in problem.slots for m in meetings)
    for m in meetings:
        assert m.slot in people[m.a].available and m.slot in people[m.b].available, "outside availability"
        assert people[m.a].org_id != people[m.b].org_id, "one organization with itself"
    count = Counter(who for m in meetings for who in (m.a, m.b))
    for pid, n in count.items():
        most = people[pid].max_meetings
        assert most is None or n <= most, f"{pid} over their maximum"


def test_one_meeting() -> None:
    problem = Problem(["s1"], ["T1"], [person("a"), person("b")], [Request("a", "b")])
    result = solve(problem)
    assert [(m.a, m.b, m.slot, m.table) for m in result.meetings] == [("a", "b", "s1", "T1")]
    assert (result.objective, result.bound, result.optimal, result.gap) == (1, 1, True, 0.0)


def test_table_capacity_keeps_the_highest_priorities() -> None:
    """One slot, two tables, three disjoint pairs of weights 1, 2, 3: the optimum is 3 + 2; first come takes 1 + 2."""
    people = [person(x) for x in "abcdef"]
    requests = [Request("a", "b", 1), Request("c", "d", 2), Request("e", "f", 3)]
    problem = Problem(["s1"], ["T1", "T2"], people, requests)
    result = solve(problem)
    assert sorted((m.a, m.b) for m in result.meetings) == [("c", "d"), ("e", "f")]
    assert (result.objective, result.bound, result.optimal) == (5, 5, True)
    assert sorted(m.table for m in result.meetings) == ["T1", "T2"]
    assert (result.greedy_meetings, result.greedy_objective) == (2, 3)
    feasible(problem, result.meetings)


def test_first_come_loses_a_meeting_that_the_model_keeps() -> None:
    """a-b came first; a-c and b-d together are two meetings in the one slot."""
    people = [person(x) for x in "abcd"]
    problem = Problem(["s1"], ["T1", "T2"], people, [Request("a", "b"), Request("a", "c"), Request("b", "d")])
    assert greedy(problem).greedy_meetings == 1
    result = solve(problem)
    assert sorted((m.a, m.b) for m in result.meetings) == [("a", "c"), ("b", "d")]
    assert result.optimal and result.objective == 2


def test_no_double_booking_and_availability() -> None:
    people = [person("a", "s1 s2"), person("b", "s1 s2"), person("c", "s2"), person("d", "s3"), person("e", "s1 s2 s3")]
    requests = [Request("a", "b"), Request("a", "c"), Request("d", "a"), Request("e", "d")]
    problem = Problem(["s1", "s2", "s3"], ["T1"], people, requests)
    result = solve(problem)
    # d is free only in s3, when a is not: d meets e. a meets c in s2 (c's only slot) and b in s1.
    assert sorted((m.a, m.b, m.slot) for m in result.meetings) == [("a", "b", "s1"), ("a", "c", "s2"), ("e", "d", "s3")]
    assert result.optimal
    feasible(problem, result.meetings)


def test_maximum_per_participant() -> None:
    people = [
        person("a", "s1 s2 s3", most=1),
        person("b", "s1 s2 s3"),
        person("c", "s1 s2 s3"),
        person("d", "s1 s2 s3"),
    ]
    requests = [Request("a", "b", 1), Request("a", "c", 3), Request("a", "d", 1), Request("b", "c", 1)]
    result = solve(Problem(["s1", "s2", "s3"], ["T1"], people, requests))
    met = Counter(who for m in result.meetings for who in (m.a, m.b))
    assert met["a"] == 1 and ("a", "c") in {(m.a, m.b) for m in result.meetings}
    assert result.objective == 4 and result.optimal


def test_one_organization_never_meets_itself() -> None:
    people = [person("a", org="o1"), person("b", org="o1"), person("c", org="o2")]
    result = solve(Problem(["s1"], ["T1", "T2"], people, [Request("a", "b", 3), Request("a", "c", 1)]))
    assert [(m.a, m.b) for m in result.meetings] == [("a", "c")]
    assert any("both are of organization 'o1'" in w for w in result.warnings)


def test_more_requests_than_slots_is_a_warning_and_the_schedule_runs() -> None:
    people = [person("a", "s1"), person("b", "s1"), person("c", "s1")]
    result = solve(Problem(["s1"], ["T1"], people, [Request("a", "b"), Request("a", "c")]))
    assert len(result.meetings) == 1
    assert any("participant 'a': 2 accepted requests but at most 1 meetings" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("requests", "people", "expected"),
    [
        ([Request("a", "zz")], None, "requests[0] ('a' with 'zz'): unknown participant 'zz'"),
        ([Request("a", "a")], None, "requests[0] ('a' with 'a'): a request with itself"),
        ([Request("a", "b"), Request("b", "a")], None, "requests[1] ('b' with 'a'): duplicate of requests[0]"),
        ([Request("a", "b", 0)], None, "requests[0] ('a' with 'b'): weight must be"),
        ([], [Participant("a", "o", ())], "participants[0] (id 'a'): no available slot"),
        ([], [Participant("a", "o", ("s9",))], "participants[0] (id 'a'): available names unknown slots ['s9']"),
    ],
)
def test_bad_input_names_the_record(requests: list[Request], people: list[Participant] | None, expected: str) -> None:
    problem = Problem(["s1"], ["T1"], people or [person("a"), person("b")], requests)
    with pytest.raises(ScheduleError) as raised:
        solve(problem)
    assert expected in str(raised.value)


def test_every_error_at_once() -> None:
    problem = Problem(["s1"], ["T1"], [person("a"), person("b")], [Request("a", "x"), Request("b", "b")])
    with pytest.raises(ScheduleError) as raised:
        solve(problem)
    assert "requests[0]" in str(raised.value) and "requests[1]" in str(raised.value)


def test_a_reschedule_keeps_existing_meetings_where_they_are() -> None:
    """The optimum alone would move a-b to s1 (c-d can meet only in s2); fixed, it stays in s2 at T2 and c-d waits."""
    people = [person("a", "s1 s2"), person("b", "s1 s2"), person("c", "s2"), person("d", "s2")]
    requests = [Request("a", "b"), Request("c", "d")]
    fixed = [Meeting("a", "b", "s2", "T2")]
    problem = Problem(["s1", "s2"], ["T1", "T2"], people, requests, fixed)
    result = solve(problem)
    assert Meeting("a", "b", "s2", "T2") in result.meetings
    assert Meeting("c", "d", "s2", "T1") in result.meetings
    one_table = Problem(["s1", "s2"], ["T1"], people, requests, [Meeting("a", "b", "s2", "T1")])
    assert [m for m in solve(one_table).meetings] == [Meeting("a", "b", "s2", "T1")]


@pytest.mark.parametrize("seed", range(12))
def test_random_instances_are_feasible_and_beat_or_equal_greedy(seed: int) -> None:
    rng = random.Random(seed)
    people = rng.randint(8, 40)
    problem = synthetic(
        participants=people,
        requests=rng.randint(5, people * 2),
        slots=rng.randint(1, 6),
        tables=rng.randint(1, 8),
        seed=seed,
    )
    result = solve(problem, time_limit=10)
    feasible(problem, result.meetings)
    weights = {frozenset((r.a, r.b)): r.weight for r in problem.requests}
    assert result.objective == sum(weights[frozenset((m.a, m.b))] for m in result.meetings)
    assert result.greedy_objective <= result.objective <= result.bound
    feasible(problem, greedy(problem).meetings)
    assert result.optimal  # small instances are proven optimal well within the limit
