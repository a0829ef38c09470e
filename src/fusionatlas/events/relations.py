"""A meeting's outcome as a relation between the two organizations (the `relations` table).

An outcome beyond "no follow-up" (an NDA, a quotation, a joint proposal, a contract) is a tie between the two
participants' organizations: it becomes one relation record, `rel:event-{event}.meeting-{meeting}`, written again
(never duplicated) each time either participant records the outcome, with the furthest outcome either recorded.
It is private: the audience rules (store/visibility.py) show a private relation to the members of both parties
and to editors (the organizers), nobody else. It becomes public when both participants tick their consent.
When no outcome beyond "no follow-up" is left, the relation is removed. Participants without an organization,
or two of one organization, make no relation.

The record names no source (the participants said so): it is marked unconfirmed, with a note saying where it
comes from.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, select

from fusionatlas.domain import table
from fusionatlas.domain.records import Relation, RelationKind
from fusionatlas.domain.values import Visibility
from fusionatlas.store.events import event_meetings, event_outcomes, event_participants, event_requests, events
from fusionatlas.store.schema import TABLES_BY_NAME, search_entries
from fusionatlas.store.version import bump
from fusionatlas.store.write import write_records

# Outcomes in order (events/core.py OUTCOMES), and the relation kind each beyond "none" becomes.
ORDER = ("none", "nda", "quotation", "proposal", "contract")
KINDS = {"nda": "nda", "quotation": "quotation", "proposal": "partnership", "contract": "contract"}
DESCRIPTIONS = {
    "nda": ("Non-disclosure agreement after a meeting at {event}", "{event}での面談を経て秘密保持契約を締結"),
    "quotation": ("Quotation after a meeting at {event}", "{event}での面談を経て見積もりを提示"),
    "proposal": ("Joint proposal after a meeting at {event}", "{event}での面談を経て共同提案"),
    "contract": ("Contract after a meeting at {event}", "{event}での面談を経て契約を締結"),
}


def relation_id(event_id: int, meeting_id: int) -> str:
    return f"rel:event-{event_id}.meeting-{meeting_id}"


def _remove(connection: Connection, record_id: str) -> None:
    relations = TABLES_BY_NAME["relations"]
    gone = connection.execute(delete(relations).where(relations.c.id == record_id)).rowcount
    if gone:
        key = (search_entries.c.table_name == "relations") & (search_entries.c.record_id == record_id)
        connection.execute(delete(search_entries).where(key))
        bump(connection)  # cached pages showing the relation recompute


def sync_relation(connection: Connection, meeting_id: int) -> str | None:
    """Writes, updates or removes the relation of a meeting's outcomes; returns its visibility (None: none)."""
    m, r, p = event_meetings.c, event_requests.c, event_participants.c
    meeting = connection.execute(
        select(m.event_id, r.sender_id, r.receiver_id)
        .join(event_requests, r.id == m.request_id)
        .where(m.id == meeting_id)
    ).first()
    if meeting is None:
        return None
    record_id = relation_id(meeting.event_id, meeting_id)
    orgs = dict(
        connection.execute(select(p.id, p.org_id).where(p.id.in_([meeting.sender_id, meeting.receiver_id]))).all()
    )
    owner, other = orgs.get(meeting.sender_id), orgs.get(meeting.receiver_id)
    told = connection.execute(select(event_outcomes).where(event_outcomes.c.meeting_id == meeting_id)).all()
    furthest = max((ORDER.index(row.outcome) for row in told if row.outcome in ORDER), default=0)
    if owner is None or other is None or owner == other or furthest == 0:
        _remove(connection, record_id)
        return None
    outcome = ORDER[furthest]
    public = len(told) == 2 and all(row.public for row in told)
    event = connection.execute(
        select(events.c.name_en, events.c.name_ja, events.c.first_day).where(events.c.id == meeting.event_id)
    ).one()
    english, japanese = DESCRIPTIONS[outcome]
    relation = Relation(
        id=record_id,
        kind=RelationKind(KINDS[outcome]),
        org_id=owner,
        other_org_id=other,
        date=event.first_day.isoformat(),
        description_en=english.format(event=event.name_en),
        description_ja=japanese.format(event=event.name_ja),
        visibility=Visibility.PUBLIC if public else Visibility.PRIVATE,
        unconfirmed=True,
        notes=f"Recorded by the participants of event {meeting.event_id} (meeting {meeting_id}).",
    )
    for _ in write_records(connection, table("relations"), [relation]):
        pass
    return str(relation.visibility)


def relations_of(connection: Connection, event_id: int, meeting_ids: list[int]) -> dict[int, str]:
    """The visibility of the relation each of these meetings became (meetings without one are left out)."""
    relations = TABLES_BY_NAME["relations"]
    ids = {relation_id(event_id, meeting_id): meeting_id for meeting_id in meeting_ids}
    if not ids:
        return {}
    rows = connection.execute(select(relations.c.id, relations.c.visibility).where(relations.c.id.in_(sorted(ids))))
    return {ids[row.id]: row.visibility or "public" for row in rows}
