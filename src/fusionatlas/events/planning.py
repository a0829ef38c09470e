"""Scheduling a stored event: its accepted requests through the scheduler, its meetings written in one transaction.

A run keeps the meetings already scheduled (their slot and table) whose request is still accepted, so that a late
cancellation or a new request moves nobody else's agenda; cancelled requests lost their meeting when they were
cancelled (events/core.py). Slots are numbered 0..n-1 through the event's days; tables are labelled T1..Tn.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select, update

from fusionatlas.events import core
from fusionatlas.events.scheduler import DEFAULT_WORKERS, Meeting, Participant, Problem, Request, Schedule, solve
from fusionatlas.store.events import event_meetings, event_requests, events


@dataclass
class Planned:
    schedule: Schedule
    added: int  # meetings new in this run
    kept: int  # meetings fixed from earlier runs
    changed_participants: set[int]  # whose agenda changed: they are told by e-mail


def table_label(n: int) -> str:
    return f"T{n + 1}"


def problem_of(engine: Engine, event_id: int) -> tuple[core.Event, Problem, dict[tuple[str, str], int]]:
    """The scheduling problem of a stored event, and the request id of each (participant, participant) pair."""
    with engine.connect() as connection:
        event = core.get_event(connection, event_id)
        if event is None:
            raise core.EventError("no such event")
        people = core.participants(connection, event_id)
        accepted = [r for r in core.event_requests_list(connection, event_id) if r.status == "accepted"]
        rows = connection.execute(
            select(event_meetings.c.request_id, event_meetings.c.slot, event_meetings.c.table_label).where(
                event_meetings.c.event_id == event_id
            )
        ).all()
    slots = [str(s) for s in range(event.slot_count)]
    participants = [
        Participant(
            str(p.id),
            p.org_id,
            tuple(s for s in slots if int(s) not in p.unavailable),
            p.max_meetings,
        )
        for p in people
    ]
    # First come: requests in the order they were accepted.
    accepted.sort(key=lambda r: (r.answered or r.created, r.id))
    requests = [Request(str(r.sender_id), str(r.receiver_id), r.priority) for r in accepted]
    by_id = {r.id: r for r in accepted}
    fixed = [
        Meeting(str(by_id[m.request_id].sender_id), str(by_id[m.request_id].receiver_id), str(m.slot), m.table_label)
        for m in rows
        if m.request_id in by_id
    ]
    pairs = {(str(r.sender_id), str(r.receiver_id)): r.id for r in accepted}
    tables = [table_label(n) for n in range(event.tables)]
    return event, Problem(slots, tables, participants, requests, fixed), pairs


def schedule_event(engine: Engine, event_id: int, time_limit: float = 10.0, workers: int = DEFAULT_WORKERS) -> Planned:
    event, problem, pairs = problem_of(engine, event_id)
    result = solve(problem, time_limit=time_limit, workers=workers)
    fixed = {(m.a, m.b) for m in problem.fixed}
    new = [m for m in result.meetings if (m.a, m.b) not in fixed]
    changed = {int(who) for m in new for who in (m.a, m.b)}
    report = {k: v for k, v in result.as_dict().items() if k != "meetings"}
    report["meetings"] = len(result.meetings)
    with engine.begin() as connection:
        connection.execute(
            update(events).where(events.c.id == event_id).values(scheduled=core.now(), schedule_report=report)
        )
        # Meetings of requests that are no longer accepted (declined after acceptance is not possible; cancelled
        # ones are deleted on cancellation): none should remain, and none may.
        stale = select(event_requests.c.id).where(
            event_requests.c.event_id == event_id, event_requests.c.status != "accepted"
        )
        connection.execute(delete(event_meetings).where(event_meetings.c.request_id.in_(stale)))
        # A request cancelled while the solver ran gets no meeting.
        accepted = select(event_requests.c.id).where(
            event_requests.c.event_id == event_id, event_requests.c.status == "accepted"
        )
        still = set(connection.execute(accepted).scalars())
        for m in new:
            if pairs[m.a, m.b] not in still:
                continue
            connection.execute(
                insert(event_meetings).values(
                    event_id=event.id, request_id=pairs[m.a, m.b], slot=int(m.slot), table_label=m.table
                )
            )
    return Planned(result, len(new), len(problem.fixed), changed)
