"""What the events add to the atlas and around it, on both databases: outcomes become relations between the two
organizations (private to both parties and the organizers, public when both consent, written again never
duplicated), invitations by e-mail with single-use links (received by a local aiosmtpd server), organizations
created at registration for an editor's review, and online meeting links (https only) on their two agendas."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from sqlalchemy import delete, func, select

from fusionatlas.dataset.edits import write_edit
from fusionatlas.domain.audience import Audience
from fusionatlas.events import core, invitations, mail
from fusionatlas.events.agenda import ics
from fusionatlas.events.planning import schedule_event
from fusionatlas.events.relations import relation_id, relations_of, sync_relation
from fusionatlas.store import accounts
from fusionatlas.store.engine import open_engine
from fusionatlas.store.events import event_invitations, event_outcomes
from fusionatlas.store.schema import TABLES_BY_NAME, search_entries
from fusionatlas.store.visibility import entries_condition, where_visible
from fusionatlas.watch.digest import SmtpSettings
from tests.watch.smtp import smtp_server

PASSWORD = "correct horse battery"
EVENT = {
    "name_en": "Blanket day",
    "name_ja": "ブランケットの日",
    "first_day": "2027-05-11",
    "time_zone": "Asia/Tokyo",
    "first_slot": "10:00",
    "slot_minutes": "30",
    "days": "1",
    "slots_per_day": "4",
    "tables": "2",
    "online": "true",
}
RELATIONS = TABLES_BY_NAME["relations"]


AFTER = datetime(2027, 5, 12, tzinfo=UTC)  # the day after the event: outcomes may be recorded


@pytest.fixture
def world(loaded_db_url, monkeypatch):
    """An online event, Fujikura (a) and QST (b) met; ITER (c) is a third participant; `x` has no organization.
    The clock (core.now) stands the day after the event."""
    monkeypatch.setattr(core, "now", lambda: AFTER)
    engine = open_engine(loaded_db_url)
    with engine.begin() as connection:
        organizer = accounts.create_user(connection, "org@example.org", PASSWORD, "editor")
        users = [
            accounts.create_user(connection, f"{name}@example.org", PASSWORD, "member", org)
            for name, org in (("a", "org:fujikura"), ("b", "org:qst"), ("c", "org:iter-organization"))
        ]
        users.append(accounts.create_user(connection, "x@example.org", PASSWORD, "member", None))
        event_id = core.create_event(connection, organizer, EVENT)
        core.set_published(connection, event_id, True)
        event = core.get_event(connection, event_id)
        a, b, c = (core.register(connection, event, u, u.email[0].upper(), "offer", "seek", True) for u in users[:3])
        rid = core.send_request(connection, event, core.get_participant(connection, a), b, 2, None)
        core.answer_request(connection, rid, core.get_participant(connection, b), True)
    schedule_event(engine, event_id)
    with engine.connect() as connection:
        (item,) = core.agenda(connection, core.get_event(connection, event_id), core.get_participant(connection, a))
    yield engine, event_id, (a, b, c), item.meeting_id, organizer, users
    engine.dispose()


def outcome(engine, pid, meeting_id, what, kept=True, public=False):
    with engine.begin() as connection:
        return core.record_outcome(
            connection, meeting_id, core.get_participant(connection, pid), kept, what, False, None, public
        )


def seen_by(engine, audience, record_id):
    with engine.connect() as connection:
        rows = connection.execute(where_visible(select(RELATIONS.c.id), audience, "relations")).scalars().all()
        found = (
            connection.execute(
                select(search_entries.c.record_id).where(
                    search_entries.c.record_id == record_id,
                    entries_condition(audience) if audience.visibilities else True,
                )
            )
            .scalars()
            .all()
        )
    assert (record_id in rows) == (record_id in found)  # the table and the search index agree
    return record_id in rows


def test_an_outcome_becomes_one_private_relation_then_public_when_both_consent(world):
    engine, event_id, (a, b, _c), meeting_id, organizer, users = world
    record_id = relation_id(event_id, meeting_id)
    assert outcome(engine, a, meeting_id, "none") is None  # no follow-up: no relation
    assert outcome(engine, a, meeting_id, "nda") == "private"
    assert outcome(engine, a, meeting_id, "nda") == "private"  # again: updated, not duplicated
    assert outcome(engine, b, meeting_id, "contract", public=True) == "private"  # only one party consents
    with engine.connect() as connection:
        rows = connection.execute(select(RELATIONS).where(RELATIONS.c.id.like("rel:event-%"))).all()
        assert relations_of(connection, event_id, [meeting_id]) == {meeting_id: "private"}
    assert len(rows) == 1
    (row,) = rows
    assert (row.kind, row.org_id, row.other_org_id, row.date) == ("contract", "org:fujikura", "org:qst", "2027-05-11")
    assert row.description_en == "Contract after a meeting at Blanket day" and "ブランケットの日" in row.description_ja
    assert row.unconfirmed is True and f"event {event_id}" in row.notes
    # Private: both parties' members and the organizers, nobody else.
    a_user, b_user, c_user, x_user = users
    assert seen_by(engine, Audience.of_user(a_user.id, "member", "org:fujikura"), record_id)
    assert seen_by(engine, Audience.of_user(b_user.id, "member", "org:qst"), record_id)
    assert seen_by(engine, Audience.of_user(organizer.id, "editor", None), record_id)
    assert not seen_by(engine, Audience.of_user(c_user.id, "member", "org:iter-organization"), record_id)
    assert not seen_by(engine, Audience.of_user(x_user.id, "member", None), record_id)
    assert not seen_by(engine, Audience(), record_id)
    # Both consent: public, seen by everyone.
    assert outcome(engine, a, meeting_id, "nda", public=True) == "public"
    assert seen_by(engine, Audience(), record_id)
    # A consent withdrawn makes it private again; no outcome left beyond "no follow-up" removes it.
    assert outcome(engine, b, meeting_id, "contract", public=False) == "private"
    assert outcome(engine, a, meeting_id, "none", kept=False) == "private"  # b's contract still stands
    assert outcome(engine, b, meeting_id, "none") is None
    with engine.connect() as connection:
        assert (
            connection.execute(select(func.count()).select_from(RELATIONS).where(RELATIONS.c.id == record_id)).scalar()
            == 0
        )
        assert (
            connection.execute(
                select(func.count()).select_from(search_entries).where(search_entries.c.record_id == record_id)
            ).scalar()
            == 0
        )


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http://meet.example.org/abc",
        "HTTPS://meet.example.org/abc",
        "https://",
        "https:///path",
        "https://meet.example.org/a b",
        "https://meet.example.org/\x00",
        "//meet.example.org/abc",
        "https://" + "a" * 600 + ".example.org",
    ],
)
def test_a_meeting_link_is_https_only(link):
    with pytest.raises(core.EventError):
        core.check_link(link)


def test_an_online_meeting_link_is_on_both_agendas_only(world):
    engine, event_id, (a, b, c), meeting_id, _organizer, _users = world
    assert core.check_link(" https://meet.example.org/j/123?pwd=x ") == "https://meet.example.org/j/123?pwd=x"
    assert core.check_link("") is None
    with engine.begin() as connection:
        event = core.get_event(connection, event_id)
        core.set_link(
            connection, event, meeting_id, core.get_participant(connection, b), "https://meet.example.org/j/1"
        )
        with pytest.raises(core.EventError, match="no such meeting"):
            core.set_link(
                connection, event, meeting_id, core.get_participant(connection, c), "https://evil.example.org"
            )
        offline = core.Event(**{**event.__dict__, "online": False})
        with pytest.raises(core.EventError, match="no online meetings"):
            core.set_link(connection, offline, meeting_id, core.get_participant(connection, a), "https://x.example.org")
    with engine.connect() as connection:
        event = core.get_event(connection, event_id)
        mine = {p: core.agenda(connection, event, core.get_participant(connection, p)) for p in (a, b, c)}
    assert [i.link for i in mine[a]] == [i.link for i in mine[b]] == ["https://meet.example.org/j/1"]
    assert mine[c] == []
    parsed = icalendar.Calendar.from_ical(ics(event, mine[a], "ja"))
    (vevent,) = parsed.walk("VEVENT")
    assert str(vevent["URL"]) == "https://meet.example.org/j/1"
    assert "https://meet.example.org/j/1" in str(vevent["LOCATION"])


def test_invitations_are_mailed_in_their_language_and_used_once(world, monkeypatch):
    engine, event_id, (a, _b, _c), _meeting_id, organizer, _users = world
    with engine.begin() as connection:
        event = core.get_event(connection, event_id)
        with pytest.raises(core.EventError, match="not an e-mail address: not-an-address"):
            invitations.invite(connection, event, organizer, "ok@example.org\nnot-an-address\n", "ja")
    with engine.connect() as connection:
        assert invitations.invitations(connection, event_id) == []  # nothing written
    with engine.begin() as connection:
        made = invitations.invite(
            connection, event, organizer, "Guest@Example.org\n\nguest@example.org\nx@example.org", "ja"
        )
    assert len(made) == 2
    with smtp_server() as inbox:
        smtp = SmtpSettings("127.0.0.1", inbox.port, None, None, "atlas@example.org", "none")
        assert mail.send_invitations(engine, event_id, made, "https://x.example", smtp) == []
    assert sorted((m["To"], m["Subject"]) for m in inbox.messages) == [
        ("guest@example.org", "ご招待: ブランケットの日"),
        ("x@example.org", "ご招待: ブランケットの日"),
    ]
    body = next(m for m in inbox.messages if m["To"] == "x@example.org").get_content()
    token = dict(made)[max(i for i, _ in made)]
    assert f"https://x.example/events/{event_id}?invite={token}" in body and "2027-05-11" in body
    with engine.connect() as connection:
        assert [(i.email, i.status) for i in invitations.invitations(connection, event_id)] == [
            ("guest@example.org", "sent"),
            ("x@example.org", "sent"),
        ]
        stored = connection.execute(select(event_invitations.c.token_digest)).scalars().all()
    assert token not in stored  # only its digest is kept
    with engine.begin() as connection:  # inviting an address again makes no second invitation
        assert invitations.invite(connection, event, organizer, "x@example.org", "en") == []
    with engine.begin() as connection:
        invitations.use_token(connection, event_id, token, a)
    with engine.connect() as connection:
        assert [(i.status, i.participant_id) for i in invitations.invitations(connection, event_id)][1] == (
            "registered",
            a,
        )
        assert not invitations.valid_token(connection, event_id, token)
    for wrong in (token, "no-such-token", ""):
        with engine.begin() as connection, pytest.raises(core.EventError, match="used already or is not valid"):
            invitations.use_token(connection, event_id, wrong, a)
    monkeypatch.delenv("FUSIONATLAS_SMTP_HOST", raising=False)
    with engine.begin() as connection:  # e-mail off: nothing sent, nothing fails, the invitation stays unsent
        more = invitations.invite(connection, event, organizer, "late@example.org", "en")
    assert mail.send_invitations(engine, event_id, more, "https://x.example") == []
    with engine.connect() as connection:
        assert invitations.invitations(connection, event_id)[-1].status == "unsent"


def test_a_new_organization_is_private_to_its_member_until_approved(world):
    engine, event_id, _people, _meeting_id, organizer, users = world
    x_user, c_user = users[3], users[2]
    orgs = TABLES_BY_NAME["organizations"]
    with engine.begin() as connection:
        event = core.get_event(connection, event_id)
        new = core.NewOrganization("Tritium Works KK", "", "jp", "startup")
        with pytest.raises(core.EventError, match="org_name_ja: a Japanese organization needs its Japanese name"):
            core.register(connection, event, x_user, "Xavier", "", "", True, new_org=new)
        with pytest.raises(core.EventError, match="org_country"):
            core.register(connection, event, x_user, "Xavier", "", "", True, new_org=replace(new, country="Japan"))
    with engine.begin() as connection:
        event = core.get_event(connection, event_id)
        pid = core.register(
            connection,
            event,
            x_user,
            "Xavier",
            "",
            "",
            True,
            new_org=core.NewOrganization("Tritium Works KK", "トリチウム工業", "jp", "startup"),
        )
        participant = core.get_participant(connection, pid)
        user = accounts.get_user(connection, x_user.id)
    assert participant.org_id == "org:tritium-works-kk" == user.org_id
    with engine.connect() as connection:
        row = connection.execute(select(orgs).where(orgs.c.id == participant.org_id)).one()
        assert (row.visibility, row.country, row.kind, row.unconfirmed) == ("private", "JP", "startup", True)

        def sees(audience):
            query = where_visible(select(orgs.c.id).where(orgs.c.id == participant.org_id), audience, "organizations")
            return connection.execute(query).first() is not None

        assert sees(Audience.of_user(x_user.id, "member", user.org_id))
        assert sees(Audience.of_user(organizer.id, "editor", None))
        assert not sees(Audience.of_user(c_user.id, "member", "org:iter-organization"))
        assert not sees(Audience())
        assert core.orgs_for_review(connection, event_id) == [
            (participant.org_id, "Tritium Works KK", "トリチウム工業", "private")
        ]
    with engine.begin() as connection:
        with pytest.raises(core.EventError, match="no such organization awaiting review"):
            core.approve_org(connection, event_id, "org:qst", organizer, "public")
        core.approve_org(connection, event_id, participant.org_id, organizer, "public")
    with engine.connect() as connection:
        assert connection.execute(select(orgs.c.visibility).where(orgs.c.id == participant.org_id)).scalar() == "public"
        assert core.orgs_for_review(connection, event_id) == []


def test_a_meeting_with_a_recorded_outcome_cannot_be_cancelled(world, monkeypatch):
    """Cancelling would delete the meeting under its outcomes (a foreign key: an IntegrityError, a 500 on the
    page) and orphan the relation they made: it is refused, with nothing changed; without outcomes it goes."""
    engine, event_id, (a, b, _c), meeting_id, _organizer, _users = world
    assert outcome(engine, b, meeting_id, "nda") == "private"
    with engine.connect() as connection:
        (found,) = core.requests_of(connection, core.get_participant(connection, a))
    for who in (a, b):
        with engine.begin() as connection, pytest.raises(core.EventError, match="has a recorded outcome"):
            core.answer_request(connection, found.id, core.get_participant(connection, who), False)
    with engine.connect() as connection:
        (still,) = core.requests_of(connection, core.get_participant(connection, a))
        assert still.status == "accepted"
        event = core.get_event(connection, event_id)
        assert [i.meeting_id for i in core.agenda(connection, event, core.get_participant(connection, a))] == [
            meeting_id
        ]
        assert relations_of(connection, event_id, [meeting_id]) == {meeting_id: "private"}
    # Without an outcome the cancellation removes the meeting.
    with engine.begin() as connection:
        connection.execute(delete(event_outcomes))
        sync_relation(connection, meeting_id)
    with engine.begin() as connection:
        core.answer_request(connection, found.id, core.get_participant(connection, a), False)
    with engine.connect() as connection:
        assert core.agenda(connection, core.get_event(connection, event_id), core.get_participant(connection, a)) == []


def test_the_registration_is_prefilled_only_with_what_other_members_may_see(world):
    """The registration's offers and seeks are shown to the other participants: a private need or capability of the
    user's organization (which the user sees, as its member) never goes in; public and members-only ones do."""
    engine, _event_id, _people, _meeting_id, organizer, users = world
    iter_user = users[2]
    with engine.begin() as connection:
        for visibility in ("private", "members"):
            need = {
                "id": f"need:iter-{visibility}",
                "title_en": f"A {visibility} need",
                "title_ja": f"{visibility}のニーズ",
                "buyer_org_id": "org:iter-organization",
                "technology_ids": ["tech:hcd.gyrotron"],
                "status": "open",
                "visibility": visibility,
                "unconfirmed": True,
            }
            write_edit(connection, "needs", need, organizer.id)
            capability = {
                "id": f"cap:iter-{visibility}",
                "org_id": "org:iter-organization",
                "technology_id": "tech:hcd.gyrotron",
                "description_en": f"A {visibility} capability",
                "description_ja": f"{visibility}の能力",
                "visibility": visibility,
                "unconfirmed": True,
            }
            write_edit(connection, "capabilities", capability, organizer.id)
    with engine.connect() as connection:
        offers, seeks = core.prefill(connection, iter_user, "en")
        offers_ja, seeks_ja = core.prefill(connection, iter_user, "ja")
    assert "170 GHz gyrotrons" in seeks and "A members need" in seeks and "members capability" in offers
    assert "private" not in offers + seeks and "private" not in offers_ja + seeks_ja
    assert "membersのニーズ" in seeks_ja


def test_an_outcome_is_recorded_only_once_the_meeting_has_started(world, monkeypatch):
    """Before its slot, an outcome of a meeting would become a relation dated in the future, shown publicly."""
    engine, event_id, (a, _b, _c), meeting_id, _organizer, _users = world
    with engine.connect() as connection:
        (item,) = core.agenda(connection, core.get_event(connection, event_id), core.get_participant(connection, a))
    assert item.start.isoformat() == "2027-05-11T10:00:00+09:00"
    for before in (datetime(2026, 12, 6, tzinfo=UTC), item.start - timedelta(minutes=1)):
        monkeypatch.setattr(core, "now", lambda before=before: before)
        with pytest.raises(core.EventError, match="not taken place yet: its outcome can be recorded from") as refused:
            outcome(engine, a, meeting_id, "contract", public=True)
        assert refused.value.fields == {"start": "2027-05-11 10:00"}
        with engine.connect() as connection:
            assert core.outcomes_of(connection, core.get_participant(connection, a)) == {}
            assert relations_of(connection, event_id, [meeting_id]) == {}
    monkeypatch.setattr(core, "now", lambda: item.start)
    assert outcome(engine, a, meeting_id, "contract") == "private"
