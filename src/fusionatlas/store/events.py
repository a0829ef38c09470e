"""Tables of matchmaking events: events, participants, meeting requests, scheduled meetings and outcomes.

They sit on the store's one `metadata` (the migrations test covers them); the logic is in `events/`.
Who may see what (events/access.py): an event's public part (names, dates, place, description) once it is
published; a participant's profile only to the organizers, to themself, and, with the owner's consent, to
the event's other participants; requests, meetings and outcomes only to the two participants and organizers.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, String, Table, Text, false

from fusionatlas.store.schema import ID_LENGTH, metadata

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name_en", Text, nullable=False),
    Column("name_ja", Text, nullable=False),
    Column("description_en", Text, nullable=True),
    Column("description_ja", Text, nullable=True),
    Column("venue", Text, nullable=True),
    Column("first_day", Date, nullable=False),
    Column("days", Integer, nullable=False),
    Column("time_zone", String(64), nullable=False),  # IANA name: agendas' times are local to the venue
    Column("first_slot", String(5), nullable=False),  # "HH:MM", each day
    Column("slot_minutes", Integer, nullable=False),
    Column("slots_per_day", Integer, nullable=False),
    Column("tables", Integer, nullable=False),
    Column("online", Boolean, nullable=False),  # online meetings (with a link) allowed
    Column("published", Boolean, nullable=False),
    Column("organizer_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("scheduled", DateTime(timezone=True), nullable=True),
    # The last run's objective, proven bound, status and greedy baseline (JSON), shown to the organizers.
    Column("schedule_report", JSON, nullable=True),
)

event_participants = Table(
    "event_participants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("org_id", String(ID_LENGTH), ForeignKey("organizations.id"), nullable=True),
    Column("name", Text, nullable=False),
    Column("offers", Text, nullable=False),
    Column("seeks", Text, nullable=False),
    Column("consent", Boolean, nullable=False),  # the profile is shown to the event's other participants
    Column("max_meetings", Integer, nullable=True),
    Column("unavailable", JSON, nullable=False),  # slot numbers the participant cannot meet in
    Column("language", String(8), nullable=False),  # of e-mails and of the agenda by default
    Column("created", DateTime(timezone=True), nullable=False),
    # The participant created their organization at registration (private to them until an editor approves it).
    Column("new_org", Boolean, nullable=False, server_default=false()),
)
Index(None, event_participants.c.event_id, event_participants.c.user_id, unique=True)

event_requests = Table(
    "event_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("sender_id", Integer, ForeignKey("event_participants.id"), nullable=False),
    Column("receiver_id", Integer, ForeignKey("event_participants.id"), nullable=False),
    Column("priority", Integer, nullable=False),  # 1 normal, 2 high, 3 essential: the scheduler's weight
    Column("status", String(16), nullable=False),  # pending, accepted, declined, cancelled
    Column("message", Text, nullable=True),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("answered", DateTime(timezone=True), nullable=True),  # accepted first, scheduled first by greedy
)
Index(None, event_requests.c.event_id)

event_meetings = Table(
    "event_meetings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("request_id", Integer, ForeignKey("event_requests.id"), nullable=False, unique=True),
    Column("slot", Integer, nullable=False),
    Column("table_label", String(32), nullable=False),
    # An online meeting's link (https only, events/core.py `check_link`): shown to its two participants only.
    Column("link", Text, nullable=True),
)
Index(None, event_meetings.c.event_id)

event_outcomes = Table(
    "event_outcomes",
    metadata,
    Column("meeting_id", Integer, ForeignKey("event_meetings.id"), primary_key=True),
    Column("participant_id", Integer, ForeignKey("event_participants.id"), primary_key=True),
    Column("kept", Boolean, nullable=False),  # the meeting took place
    Column("outcome", String(16), nullable=False),  # none, nda, quotation, proposal, contract
    Column("second_meeting", Boolean, nullable=False),
    Column("note", Text, nullable=True),
    Column("recorded", DateTime(timezone=True), nullable=False),
    # This participant agrees that the relation the outcome became be public (both must agree).
    Column("public", Boolean, nullable=False, server_default=false()),
)

# Invitations by e-mail: the registration link carries a single-use token, kept only as its digest.
event_invitations = Table(
    "event_invitations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("email", String(320), nullable=False),
    Column("language", String(8), nullable=False),  # of the e-mail
    Column("token_digest", String(64), nullable=False, unique=True),
    Column("status", String(16), nullable=False),  # unsent, sent, registered
    Column("participant_id", Integer, ForeignKey("event_participants.id"), nullable=True),
    Column("invited_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
)
Index(None, event_invitations.c.event_id)
