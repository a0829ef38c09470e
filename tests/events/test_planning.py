"""Scheduling a stored event (events/planning.py) and its e-mails (events/mail.py through the digest's SMTP
settings, received by a local aiosmtpd server), on both databases; the .ics of an event across a daylight-saving
change; the figures on a hand-counted event."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import pytest

from fusionatlas.events import core, mail
from fusionatlas.events.agenda import ics
from fusionatlas.events.outcomes import figures
from fusionatlas.events.planning import schedule_event
from fusionatlas.store import accounts
from fusionatlas.store.engine import open_engine
from fusionatlas.watch.digest import SmtpSettings
from tests.watch.smtp import smtp_server

PASSWORD = "correct horse battery"
EVENT = {
    "name_en": "Magnet day",
    "name_ja": "マグネットの日",
    "first_day": "2027-03-27",
    "days": "2",
    "time_zone": "Europe/Paris",  # daylight saving starts in the night of 27 to 28 March 2027
    "first_slot": "09:00",
    "slot_minutes": "20",
    "slots_per_day": "3",
    "tables": "1",
}


@pytest.fixture
def world(loaded_db_url):
    engine = open_engine(loaded_db_url)
    with engine.begin() as connection:
        organizer = accounts.create_user(connection, "org@example.org", PASSWORD, "editor")
        users = [
            accounts.create_user(connection, f"{name}@example.org", PASSWORD, "member", org)
            for name, org in (("a", "org:fujikura"), ("b", "org:qst"), ("c", "org:iter-organization"))
        ]
        event_id = core.create_event(connection, organizer, EVENT)
        core.set_published(connection, event_id, True)
        event = core.get_event(connection, event_id)
        people = [
            core.register(connection, event, u, u.email[0].upper(), "offer", "seek", True, language=lang)
            for u, lang in zip(users, ("ja", "en", "en"), strict=True)
        ]
    yield engine, event_id, people
    engine.dispose()


def request(engine, event_id, sender, receiver, priority=1, accept=True):
    with engine.begin() as connection:
        event = core.get_event(connection, event_id)
        rid = core.send_request(connection, event, core.get_participant(connection, sender), receiver, priority, None)
        if accept:
            core.answer_request(connection, rid, core.get_participant(connection, receiver), True)
    return rid


def test_schedule_keeps_meetings_and_mails_the_changed_agendas(world):
    engine, event_id, (a, b, c) = world
    request(engine, event_id, a, b, 2)
    first = schedule_event(engine, event_id)
    assert (first.added, first.kept, first.changed_participants) == (1, 0, {a, b})
    assert first.schedule.optimal
    with engine.connect() as connection:
        event = core.get_event(connection, event_id)
        (kept,) = core.agenda(connection, event, core.get_participant(connection, a))
    request(engine, event_id, c, a, 3)
    second = schedule_event(engine, event_id)
    assert (second.added, second.kept, second.changed_participants) == (1, 1, {a, c})
    with engine.connect() as connection:
        event = core.get_event(connection, event_id)
        items = core.agenda(connection, event, core.get_participant(connection, a))
    assert (items[0].slot, items[0].table) == (kept.slot, kept.table) or (items[1].slot, items[1].table) == (
        kept.slot,
        kept.table,
    )
    assert event.schedule_report["meetings"] == 2 and event.schedule_report["optimal"] is True
    with smtp_server() as inbox:
        smtp = SmtpSettings("127.0.0.1", inbox.port, None, None, "atlas@example.org", "none")
        failed = mail.send(
            engine,
            event_id,
            [mail.Notice(p, "agenda") for p in sorted(second.changed_participants)],
            "https://x.example",
            smtp,
        )
    assert failed == []
    subjects = sorted((m["To"], m["Subject"]) for m in inbox.messages)
    assert subjects == [
        ("a@example.org", "アジェンダ更新: マグネットの日"),
        ("c@example.org", "Your agenda changed: Magnet day"),
    ]
    assert f"https://x.example/events/{event_id}" in inbox.messages[0].get_content()


def test_no_smtp_host_means_no_mail_and_no_failure(world, monkeypatch):
    engine, event_id, (a, _b, _c) = world
    monkeypatch.delenv("FUSIONATLAS_SMTP_HOST", raising=False)
    assert mail.send(engine, event_id, [mail.Notice(a, "registered")], "https://x.example") == []


def test_the_agenda_crosses_daylight_saving_in_local_time(world):
    engine, event_id, (a, b, _c) = world
    with engine.connect() as connection:
        event = core.get_event(connection, event_id)
    items = [
        core.AgendaItem(1, 0, event.slot_start(0), event.slot_end(0), "T1", _participant(b, "B"), 1),
        core.AgendaItem(2, 4, event.slot_start(4), event.slot_end(4), "T1", _participant(b, "B"), 1),
    ]
    parsed = icalendar.Calendar.from_ical(ics(event, items, "en"))
    starts = [e.decoded("DTSTART") for e in parsed.walk("VEVENT")]
    # 09:00 local both days: UTC+1 before the change, UTC+2 after it.
    assert [s.strftime("%Y-%m-%d %H:%M") for s in starts] == ["2027-03-27 09:00", "2027-03-28 09:20"]
    assert [s.utcoffset().total_seconds() / 3600 for s in starts] == [1, 2]
    assert str(parsed.walk("VEVENT")[0]["SUMMARY"]) == "Meeting with B"
    del a


def _participant(pid, name):
    return core.Participant(pid, 1, 1, None, name, "", "", True, None, (), "en")


def test_figures_on_a_hand_counted_event(world, monkeypatch):
    """Three attendees, two meetings; one kept with a quotation and a second meeting, one not kept."""
    engine, event_id, (a, b, c) = world
    monkeypatch.setattr(core, "now", lambda: datetime(2027, 3, 29, tzinfo=UTC))  # after the event
    request(engine, event_id, a, b)
    request(engine, event_id, a, c)
    schedule_event(engine, event_id)
    with engine.begin() as connection:
        event = core.get_event(connection, event_id)
        pa = core.get_participant(connection, a)
        meetings = {i.counterpart.id: i.meeting_id for i in core.agenda(connection, event, pa)}
        core.record_outcome(connection, meetings[b], pa, True, "quotation", True, "sent specs")
        core.record_outcome(connection, meetings[c], core.get_participant(connection, c), False, "contract", True, None)
        overall, by_country, by_area = figures(connection, event_id)
    assert overall.as_dict() == {
        "label": "",
        "attendees": 3,
        "meetings": 2,
        "meetings_per_attendee": 1.333,
        "reported": 2,
        "kept_share": 0.5,
        "follow_up_share": 0.5,  # a meeting not kept has no outcome, whatever was chosen
        "second_meeting_share": 0.5,
    }
    assert {f.label: (f.attendees, f.meetings) for f in by_country} == {"JP": (2, 2), "FR": (1, 1)}
    # Only Fujikura (a) has capabilities in the fixture: REBCO tape, under the magnets of the technology map.
    assert [(f.label, f.attendees, f.meetings, f.kept) for f in by_area] == [("tech:magnet", 1, 2, 1)]
    # Meetings per attendee, by hand: the meetings a group's attendees took part in, per attendee. Overall, each of
    # the 2 meetings has 2 attendees: 4 / 3. Japan (a, b): a-b counts for both, a-c for a: 3 / 2. France (c): its
    # one attendee had one meeting: 1 / 1 (not 2). Magnets (a only): a's 2 meetings: 2 / 1.
    assert {f.label: f.as_dict()["meetings_per_attendee"] for f in by_country + by_area} == {
        "JP": 1.5,
        "FR": 1.0,
        "tech:magnet": 2.0,
    }


def test_bad_registration_and_requests(world):
    engine, event_id, (a, b, _c) = world
    with engine.begin() as connection:
        event = core.get_event(connection, event_id)
        user = accounts.get_user(connection, core.get_participant(connection, a).user_id)
        with pytest.raises(core.EventError, match="unavailable: a participant needs at least one available slot"):
            core.register(connection, event, user, "A", "", "", True, unavailable=list(range(6)))
        with pytest.raises(core.EventError, match="unavailable: no such slot 6"):
            core.register(connection, event, user, "A", "", "", True, unavailable=[6])
        with pytest.raises(core.EventError, match="a request with yourself"):
            core.send_request(connection, event, core.get_participant(connection, a), a, 1, None)
        with pytest.raises(core.EventError, match="priority: 1, 2 or 3"):
            core.send_request(connection, event, core.get_participant(connection, a), b, 7, None)
    with pytest.raises(core.EventError, match="slots_per_day: the slots of a day end after midnight"):
        core.check_event_fields({**EVENT, "first_slot": "23:30"})


def test_a_short_japanese_sentence_completes_a_profile():
    """Japanese says in 16 characters what English says in about 30: a wide character counts as two columns."""
    sixteen = "超伝導線材の供給元を探しています"
    assert len(sixteen) == 16 and core.text_width(sixteen) == 32
    assert core.text_width("REBCO tape, 12 mm") == 17 and core.text_width("ＲＥＢＣＯ") == 10  # full-width forms
    profile = core.Participant(1, 1, 1, "org:qst", "Q", "REBCO tape for fusion magnets", sixteen, True, None, (), "ja")
    assert profile.completeness() == (100, [])
    short = core.Participant(1, 1, 1, "org:qst", "Q", "REBCO tape", "線材を探しています", True, None, (), "ja")
    assert short.completeness() == (50, ["What you offer", "What you seek"])  # 10 columns, 9 characters: 18
