"""Events, registrations, meeting requests and outcomes, read and written through the tables of store/events.py.

Who may do what (the pages and the CLI check it through these functions, never on their own):
- organizers are editors and admins: they create, publish and schedule events and see everything of them;
- a signed-in user registers themself, linked to their organization (users.org_id);
- a participant sees another's profile only when its owner consented (`consent`), or is an organizer;
- a request, its meeting and its outcomes belong to its two participants (and the organizers).
Error messages are English templates with {named} fields: the pages translate them (events.po), then fill in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import Connection, delete, insert, select, update

from fusionatlas.dataset.edits import current_record, write_edit
from fusionatlas.dataset.problems import BadInput
from fusionatlas.domain.audience import MEMBERS_LEVEL, Audience
from fusionatlas.events.relations import sync_relation
from fusionatlas.store.accounts import User, update_user
from fusionatlas.store.events import event_meetings, event_outcomes, event_participants, event_requests, events
from fusionatlas.store.schema import TABLES_BY_NAME
from fusionatlas.store.visibility import where_visible

ORGANIZER_ROLES = ("editor", "admin")
PRIORITIES = (1, 2, 3)
STATUSES = ("pending", "accepted", "declined", "cancelled")
OUTCOMES = ("none", "nda", "quotation", "proposal", "contract")
MAX_TEXT = 2000
MAX_NAME = 200


class EventError(ValueError):
    """A user's input that cannot be taken; `template` is the English message (translated by the pages)."""

    def __init__(self, template: str, **fields: object) -> None:
        super().__init__(template.format(**fields))
        self.template = template
        self.fields = fields


def now() -> datetime:
    return datetime.now(UTC)


def is_organizer(user: User | None) -> bool:
    return user is not None and user.role in ORGANIZER_ROLES


@dataclass(frozen=True)
class Event:
    id: int
    name_en: str
    name_ja: str
    description_en: str | None
    description_ja: str | None
    venue: str | None
    first_day: date
    days: int
    time_zone: str
    first_slot: str
    slot_minutes: int
    slots_per_day: int
    tables: int
    online: bool
    published: bool
    organizer_id: int
    scheduled: datetime | None
    schedule_report: dict[str, Any] | None

    @property
    def slot_count(self) -> int:
        return self.days * self.slots_per_day

    def slot_start(self, slot: int) -> datetime:
        """The start of slot number `slot` (0-based, day after day), in the event's time zone."""
        day, within = divmod(slot, self.slots_per_day)
        hour, minute = (int(x) for x in self.first_slot.split(":"))
        start = datetime.combine(self.first_day + timedelta(days=day), datetime.min.time()).replace(
            hour=hour, minute=minute, tzinfo=ZoneInfo(self.time_zone)
        )
        return start + timedelta(minutes=within * self.slot_minutes)

    def slot_end(self, slot: int) -> datetime:
        return self.slot_start(slot) + timedelta(minutes=self.slot_minutes)

    def slot_label(self, slot: int) -> str:
        start = self.slot_start(slot)
        return f"{start:%Y-%m-%d %H:%M}–{self.slot_end(slot):%H:%M}"

    def name(self, lang: str) -> str:
        return self.name_ja if lang == "ja" else self.name_en

    def description(self, lang: str) -> str | None:
        return (self.description_ja or self.description_en) if lang == "ja" else self.description_en


MIN_SAID = 20  # columns of text that say what one offers or seeks (ten Japanese characters, twenty Latin ones)


def text_width(text: str) -> int:
    """The text's width in columns: a wide character (East Asian width W or F: kanji, kana, full-width forms)
    counts as two, as Japanese says in one character what English says in about two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


@dataclass(frozen=True)
class Participant:
    id: int
    event_id: int
    user_id: int
    org_id: str | None
    name: str
    offers: str
    seeks: str
    consent: bool
    max_meetings: int | None
    unavailable: tuple[int, ...]
    language: str

    def completeness(self) -> tuple[int, list[str]]:
        """Share (in percent) of the profile's parts that are filled in, and the missing ones (English labels).
        What one offers and seeks counts when it says something: MIN_SAID columns (text_width)."""
        parts = {
            "Organization": self.org_id is not None,
            "What you offer": text_width(self.offers.strip()) >= MIN_SAID,
            "What you seek": text_width(self.seeks.strip()) >= MIN_SAID,
            "Profile shown to other participants": self.consent,
        }
        missing = [label for label, done in parts.items() if not done]
        return round(100 * (len(parts) - len(missing)) / len(parts)), missing


@dataclass(frozen=True)
class MeetingRequest:
    id: int
    event_id: int
    sender_id: int
    receiver_id: int
    priority: int
    status: str
    message: str | None
    created: datetime
    answered: datetime | None


def _event(row: Any) -> Event:
    return Event(**{k: row._mapping[k] for k in Event.__dataclass_fields__})


def _participant(row: Any) -> Participant:
    values = {k: row._mapping[k] for k in Participant.__dataclass_fields__}
    values["unavailable"] = tuple(values["unavailable"] or ())
    return Participant(**values)


def _request(row: Any) -> MeetingRequest:
    return MeetingRequest(**{k: row._mapping[k] for k in MeetingRequest.__dataclass_fields__})


# ---- events ------------------------------------------------------------------------------------------------


def _clean(value: str | None, field: str, required: bool = False, limit: int = MAX_TEXT) -> str | None:
    text = (value or "").strip()
    if required and not text:
        raise EventError("{field}: required", field=field)
    if len(text) > limit:
        raise EventError("{field}: at most {limit} characters", field=field, limit=limit)
    if "\x00" in text:
        raise EventError("{field}: contains a NUL character", field=field)
    return text or None


def check_event_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The event's columns from a form or a file, checked; EventError names the first wrong field."""
    values: dict[str, Any] = {
        "name_en": _clean(fields.get("name_en"), "name_en", True, MAX_NAME),
        "name_ja": _clean(fields.get("name_ja"), "name_ja", True, MAX_NAME),
        "description_en": _clean(fields.get("description_en"), "description_en"),
        "description_ja": _clean(fields.get("description_ja"), "description_ja"),
        "venue": _clean(fields.get("venue"), "venue", limit=MAX_NAME),
    }
    try:
        values["first_day"] = date.fromisoformat(str(fields.get("first_day", "")).strip())
    except ValueError:
        raise EventError("{field}: expected a date YYYY-MM-DD", field="first_day") from None
    zone = str(fields.get("time_zone") or "").strip()
    try:
        if zone not in available_timezones():
            raise ZoneInfoNotFoundError(zone)
    except ZoneInfoNotFoundError:
        raise EventError("{field}: unknown time zone {value}", field="time_zone", value=zone) from None
    values["time_zone"] = zone
    first_slot = str(fields.get("first_slot") or "").strip()
    try:
        parsed = datetime.strptime(first_slot, "%H:%M")
    except ValueError:
        raise EventError("{field}: expected a time HH:MM", field="first_slot") from None
    values["first_slot"] = f"{parsed:%H:%M}"
    for name, low, high in (("days", 1, 14), ("slot_minutes", 10, 120), ("slots_per_day", 1, 48), ("tables", 1, 1000)):
        try:
            number = int(str(fields.get(name, "")).strip())
        except ValueError:
            number = low - 1
        if not low <= number <= high:
            raise EventError("{field}: a whole number from {low} to {high}", field=name, low=low, high=high)
        values[name] = number
    if parsed.hour * 60 + parsed.minute + values["slots_per_day"] * values["slot_minutes"] > 24 * 60:
        raise EventError("{field}: the slots of a day end after midnight", field="slots_per_day")
    values["online"] = bool(fields.get("online"))
    return values


def create_event(connection: Connection, organizer: User, fields: dict[str, Any]) -> int:
    if not is_organizer(organizer):
        raise EventError("only organizers (editors and admins) create events")
    values = check_event_fields(fields)
    row = {**values, "published": False, "organizer_id": organizer.id, "created": now()}
    return int(connection.execute(insert(events).values(**row)).inserted_primary_key[0])  # type: ignore[index]


def set_published(connection: Connection, event_id: int, published: bool) -> None:
    connection.execute(update(events).where(events.c.id == event_id).values(published=published))


def get_event(connection: Connection, event_id: int) -> Event | None:
    row = connection.execute(select(events).where(events.c.id == event_id)).first()
    return _event(row) if row else None


def visible_event(connection: Connection, event_id: int, user: User | None) -> Event | None:
    """The event if the user may see it: published ones to everyone, drafts to organizers only."""
    found = get_event(connection, event_id)
    if found is None or not (found.published or is_organizer(user)):
        return None
    return found


def list_events(connection: Connection, user: User | None) -> list[Event]:
    query = select(events).order_by(events.c.first_day.desc(), events.c.id)
    if not is_organizer(user):
        query = query.where(events.c.published.is_(True))
    return [_event(r) for r in connection.execute(query)]


# ---- participants ------------------------------------------------------------------------------------------


def prefill(connection: Connection, user: User, lang: str = "en") -> tuple[str, str]:
    """What the user's organization offers (its capabilities) and seeks (its needs), in the page's language where
    the record has it. Only records any other member may see (public or members, of an organization they may see):
    the registration's text is shown to the other participants, so a private need or capability never goes in,
    even though the user (a member of the organization) sees it."""
    if user.org_id is None:
        return "", ""
    audience = Audience(MEMBERS_LEVEL)  # another member: of no organization, so none of the user's private records
    caps, needs = TABLES_BY_NAME["capabilities"], TABLES_BY_NAME["needs"]
    offered = connection.execute(
        where_visible(
            select(caps.c.description_en, caps.c.description_ja).where(caps.c.org_id == user.org_id),
            audience,
            "capabilities",
        )
    ).all()
    sought = connection.execute(
        where_visible(
            select(needs.c.title_en, needs.c.title_ja).where(needs.c.buyer_org_id == user.org_id), audience, "needs"
        )
    ).all()

    def text(rows: Sequence[Any]) -> str:
        chosen = [(r[1] or r[0]) if lang == "ja" else (r[0] or r[1]) for r in rows]
        return "\n".join(t for t in chosen if t)[:MAX_TEXT]

    return text(offered), text(sought)


def _unavailable(event: Event, slots: list[int]) -> list[int]:
    wrong = [s for s in slots if not 0 <= s < event.slot_count]
    if wrong:
        raise EventError("{field}: no such slot {value}", field="unavailable", value=wrong[0])
    if len(set(slots)) >= event.slot_count:
        raise EventError("{field}: a participant needs at least one available slot", field="unavailable")
    return sorted(set(slots))


def register(
    connection: Connection,
    event: Event,
    user: User,
    name: str,
    offers: str,
    seeks: str,
    consent: bool,
    max_meetings: int | None = None,
    unavailable: list[int] | None = None,
    language: str = "en",
    new_org: NewOrganization | None = None,
) -> int:
    """Registers the user (or updates their registration): one participant per user and event. A user without an
    organization may give a new one (`new_org`): it is created for review (create_org_for_review)."""
    if not event.published:
        raise EventError("this event is not open for registration")
    if max_meetings is not None and not 1 <= max_meetings <= event.slot_count:
        raise EventError(
            "{field}: a whole number from {low} to {high}", field="max_meetings", low=1, high=event.slot_count
        )
    values = {
        "name": _clean(name, "name", True, MAX_NAME),
        "offers": _clean(offers, "offers") or "",
        "seeks": _clean(seeks, "seeks") or "",
        "consent": consent,
        "max_meetings": max_meetings,
        "unavailable": _unavailable(event, unavailable or []),
        "language": language if language in ("en", "ja") else "en",
        "org_id": user.org_id,
    }
    if new_org is not None and user.org_id is None:
        values["org_id"] = create_org_for_review(connection, user, new_org, event)
        values["new_org"] = True
    found = own_participant(connection, event.id, user.id)
    if found is not None:
        connection.execute(update(event_participants).where(event_participants.c.id == found.id).values(**values))
        return found.id
    row = {**values, "event_id": event.id, "user_id": user.id, "created": now()}
    return int(connection.execute(insert(event_participants).values(**row)).inserted_primary_key[0])  # type: ignore[index]


ORG_KINDS = ("company", "startup", "national_lab", "university", "agency", "association", "consortium", "international")


@dataclass(frozen=True)
class NewOrganization:
    """A participant's organization that is not in the atlas yet, given at registration."""

    name_en: str
    name_ja: str
    country: str
    kind: str


def _org_id(connection: Connection, name: str) -> str:
    orgs = TABLES_BY_NAME["organizations"]
    stem = "org:" + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "new")
    candidate, n = stem, 1
    while connection.execute(select(orgs.c.id).where(orgs.c.id == candidate)).first():
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def create_org_for_review(connection: Connection, user: User, new: NewOrganization, event: Event) -> str:
    """A new organization record, private (its members, this user among them, and editors see it) until an editor
    approves it; the user becomes its member. Unconfirmed: it names no source yet."""
    if user.org_id is not None:
        raise EventError("your account already belongs to an organization")
    name_en = _clean(new.name_en, "org_name_en", True, MAX_NAME) or ""
    name_ja = _clean(new.name_ja, "org_name_ja", False, MAX_NAME)
    country = (new.country or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise EventError("{field}: a two-letter country code (ISO 3166), such as JP", field="org_country")
    if country == "JP" and not name_ja:
        raise EventError("{field}: a Japanese organization needs its Japanese name", field="org_name_ja")
    if new.kind not in ORG_KINDS:
        raise EventError("{field}: one of {value}", field="org_kind", value=", ".join(ORG_KINDS))
    org_id = _org_id(connection, name_en)
    values = {
        "id": org_id,
        "name_en": name_en,
        "name_ja": name_ja,
        "kind": new.kind,
        "country": country,
        "visibility": "private",
        "unconfirmed": True,
        "notes": f"Created at registration for event {event.id} by user {user.id}: awaiting an editor's review.",
    }
    try:
        write_edit(connection, "organizations", values, user.id)
    except BadInput as error:  # the checks above leave little; name what is left
        raise EventError("{field}: {value}", field="organization", value=str(error)) from None
    update_user(connection, user.id, user.id, org_id=org_id)
    return org_id


def orgs_for_review(connection: Connection, event_id: int) -> list[tuple[str, str, str | None, str]]:
    """(id, English name, Japanese name, visibility) of the organizations the event's participants created at
    registration and that are still private (awaiting an editor)."""
    orgs, p = TABLES_BY_NAME["organizations"], event_participants.c
    query = (
        select(orgs.c.id, orgs.c.name_en, orgs.c.name_ja, orgs.c.visibility)
        .join(event_participants, p.org_id == orgs.c.id)
        .where(p.event_id == event_id, p.new_org.is_(True), orgs.c.visibility == "private")
        .distinct()
        .order_by(orgs.c.id)
    )
    return [tuple(row) for row in connection.execute(query)]


def approve_org(connection: Connection, event_id: int, org_id: str, editor: User, visibility: str) -> None:
    """An editor approves an organization created at registration: it becomes public (or members-only)."""
    if not is_organizer(editor):
        raise EventError("only organizers (editors and admins) create events")
    if visibility not in ("public", "members"):
        raise EventError("{field}: one of {value}", field="visibility", value="public, members")
    if org_id not in {row[0] for row in orgs_for_review(connection, event_id)}:
        raise EventError("no such organization awaiting review")
    record = current_record(connection, "organizations", org_id)
    assert record is not None  # listed just above
    write_edit(connection, "organizations", {**record, "visibility": visibility}, editor.id)


def own_participant(connection: Connection, event_id: int, user_id: int) -> Participant | None:
    query = select(event_participants).where(
        event_participants.c.event_id == event_id, event_participants.c.user_id == user_id
    )
    row = connection.execute(query).first()
    return _participant(row) if row else None


def get_participant(connection: Connection, participant_id: int) -> Participant | None:
    row = connection.execute(select(event_participants).where(event_participants.c.id == participant_id)).first()
    return _participant(row) if row else None


def participants(connection: Connection, event_id: int) -> list[Participant]:
    query = (
        select(event_participants).where(event_participants.c.event_id == event_id).order_by(event_participants.c.id)
    )
    return [_participant(r) for r in connection.execute(query)]


def visible_participants(connection: Connection, event: Event, user: User | None) -> list[Participant]:
    """Organizers see every participant; a participant sees those who consented (and themself); others none."""
    everyone = participants(connection, event.id)
    if is_organizer(user):
        return everyone
    if user is None or not any(p.user_id == user.id for p in everyone):
        return []
    return [p for p in everyone if p.consent or p.user_id == user.id]


def org_names(connection: Connection, org_ids: set[str], audience: Audience) -> dict[str, tuple[str, str | None]]:
    """(English, Japanese) names of the organizations the audience may see."""
    orgs = TABLES_BY_NAME["organizations"]
    query = select(orgs.c.id, orgs.c.name_en, orgs.c.name_ja).where(orgs.c.id.in_(sorted(org_ids)))
    return {r[0]: (r[1], r[2]) for r in connection.execute(where_visible(query, audience, "organizations"))}


# ---- requests ----------------------------------------------------------------------------------------------


def send_request(
    connection: Connection, event: Event, sender: Participant, receiver_id: int, priority: int, message: str | None
) -> int:
    receiver = get_participant(connection, receiver_id)
    if receiver is None or receiver.event_id != event.id or not receiver.consent:
        raise EventError("no such participant")
    if receiver.id == sender.id:
        raise EventError("a request with yourself")
    if sender.org_id is not None and sender.org_id == receiver.org_id:
        raise EventError("participants of one organization do not meet each other here")
    if priority not in PRIORITIES:
        raise EventError("{field}: 1, 2 or 3", field="priority")
    pair = {sender.id, receiver.id}
    for r in requests_of(connection, sender):
        if {r.sender_id, r.receiver_id} == pair and r.status in ("pending", "accepted"):
            raise EventError("a request between you two exists already")
    row = {
        "event_id": event.id,
        "sender_id": sender.id,
        "receiver_id": receiver.id,
        "priority": priority,
        "status": "pending",
        "message": _clean(message, "message"),
        "created": now(),
    }
    return int(connection.execute(insert(event_requests).values(**row)).inserted_primary_key[0])  # type: ignore[index]


def requests_of(connection: Connection, participant: Participant) -> list[MeetingRequest]:
    c = event_requests.c
    query = select(event_requests).where((c.sender_id == participant.id) | (c.receiver_id == participant.id))
    return [_request(r) for r in connection.execute(query.order_by(c.id))]


def event_requests_list(connection: Connection, event_id: int) -> list[MeetingRequest]:
    query = select(event_requests).where(event_requests.c.event_id == event_id).order_by(event_requests.c.id)
    return [_request(r) for r in connection.execute(query)]


def requests_with_outcomes(connection: Connection, request_ids: list[int]) -> set[int]:
    """The requests among these whose meeting has a recorded outcome: they are no longer cancelled."""
    if not request_ids:
        return set()
    m = event_meetings.c
    query = (
        select(m.request_id)
        .join(event_outcomes, event_outcomes.c.meeting_id == m.id)
        .where(m.request_id.in_(request_ids))
        .distinct()
    )
    return set(connection.execute(query).scalars())


def answer_request(connection: Connection, request_id: int, participant: Participant, accept: bool) -> MeetingRequest:
    """The receiver accepts or declines a pending request; either side cancels an accepted or pending one
    (`accept` False from the sender). A cancelled request's meeting is removed (the others stay where they are),
    unless an outcome of it was recorded: the outcome may have become a relation in the atlas, so the cancellation
    is refused (the participants change their outcome to "not kept" instead)."""
    row = connection.execute(select(event_requests).where(event_requests.c.id == request_id)).first()
    found = _request(row) if row else None
    if found is None or participant.id not in (found.sender_id, found.receiver_id):
        raise EventError("no such request")
    if participant.id == found.receiver_id and found.status == "pending":
        status = "accepted" if accept else "declined"
    elif not accept and found.status in ("pending", "accepted"):
        status = "cancelled"
    else:
        raise EventError("this request cannot be answered now")
    if status == "cancelled":
        if requests_with_outcomes(connection, [found.id]):
            raise EventError(
                "this meeting has a recorded outcome and cannot be cancelled: record it as not kept instead"
            )
        connection.execute(delete(event_meetings).where(event_meetings.c.request_id == found.id))
    connection.execute(
        update(event_requests).where(event_requests.c.id == found.id).values(status=status, answered=now())
    )
    return found


# ---- meetings and outcomes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaItem:
    meeting_id: int
    slot: int
    start: datetime
    end: datetime
    table: str
    counterpart: Participant
    priority: int
    link: str | None = None  # an online meeting's link: its two participants' agendas only


def agenda(connection: Connection, event: Event, participant: Participant) -> list[AgendaItem]:
    c, r = event_meetings.c, event_requests.c
    query = (
        select(c.id, c.slot, c.table_label, c.link, r.sender_id, r.receiver_id, r.priority)
        .join(event_requests, event_requests.c.id == c.request_id)
        .where(c.event_id == event.id, (r.sender_id == participant.id) | (r.receiver_id == participant.id))
        .order_by(c.slot)
    )
    items = []
    for row in connection.execute(query).all():
        other = row.receiver_id if row.sender_id == participant.id else row.sender_id
        counterpart = get_participant(connection, other)
        assert counterpart is not None  # a foreign key
        items.append(
            AgendaItem(
                row.id,
                row.slot,
                event.slot_start(row.slot),
                event.slot_end(row.slot),
                row.table_label,
                counterpart,
                row.priority,
                row.link,
            )
        )
    return items


def record_outcome(
    connection: Connection,
    meeting_id: int,
    participant: Participant,
    kept: bool,
    outcome: str,
    second: bool,
    note: str | None,
    public: bool = False,
) -> str | None:
    """Records the participant's outcome of a meeting (again: replaces it); returns the visibility of the relation
    between the two organizations it made (events/relations.py), None when it made none. Not before the meeting's
    slot has started: an outcome of a meeting still to come would become a relation dated in the future."""
    if outcome not in OUTCOMES:
        raise EventError("{field}: one of {value}", field="outcome", value=", ".join(OUTCOMES))
    mine = {
        item.meeting_id: item
        for item in agenda(connection, _required_event(connection, participant.event_id), participant)
    }
    if meeting_id not in mine:
        raise EventError("no such meeting")
    if now() < mine[meeting_id].start:
        raise EventError(
            "this meeting has not taken place yet: its outcome can be recorded from {start}",
            start=f"{mine[meeting_id].start:%Y-%m-%d %H:%M}",
        )
    values = {
        "kept": kept,
        "outcome": outcome if kept else "none",
        "second_meeting": second and kept,
        "note": _clean(note, "note"),
        "recorded": now(),
        "public": public and kept,
    }
    key = (event_outcomes.c.meeting_id == meeting_id) & (event_outcomes.c.participant_id == participant.id)
    connection.execute(delete(event_outcomes).where(key))
    connection.execute(insert(event_outcomes).values(meeting_id=meeting_id, participant_id=participant.id, **values))
    return sync_relation(connection, meeting_id)


MAX_LINK = 500


def check_link(value: str | None) -> str | None:
    """An online meeting's link: https only (no javascript:, data:, http: or other scheme), with a host, no
    spaces or control characters; blank means none."""
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > MAX_LINK:
        raise EventError("{field}: at most {limit} characters", field="link", limit=MAX_LINK)
    parts = urlsplit(text)
    bad = any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text)
    if bad or not text.startswith("https://") or parts.scheme != "https" or not parts.hostname:
        raise EventError("{field}: an https:// address of the online meeting", field="link")
    return text


def set_link(connection: Connection, event: Event, meeting_id: int, participant: Participant, link: str | None) -> None:
    """Either participant of a meeting sets (or clears) its online link, when the event allows online meetings."""
    if not event.online:
        raise EventError("this event has no online meetings")
    if meeting_id not in {item.meeting_id for item in agenda(connection, event, participant)}:
        raise EventError("no such meeting")
    connection.execute(update(event_meetings).where(event_meetings.c.id == meeting_id).values(link=check_link(link)))


def _required_event(connection: Connection, event_id: int) -> Event:
    found = get_event(connection, event_id)
    if found is None:
        raise EventError("no such event")
    return found


def outcomes_of(connection: Connection, participant: Participant) -> dict[int, dict[str, Any]]:
    query = select(event_outcomes).where(event_outcomes.c.participant_id == participant.id)
    return {r.meeting_id: dict(r._mapping) for r in connection.execute(query)}
