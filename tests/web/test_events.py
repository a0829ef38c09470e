"""The event pages end to end through HTTP, on both databases: an organizer creates and publishes an event, members
register (prefilled from their organization), see suggestions both ways, request, accept, get scheduled, download
their agenda (.ics parsed by the icalendar library), record outcomes; the organizer sees the figures. And who may
see what: anonymous visitors the public part only, drafts organizers only, profiles only with consent."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import icalendar
import openpyxl
import pytest
from fastapi.testclient import TestClient

from fusionatlas.events import core, invitations
from fusionatlas.store import accounts
from fusionatlas.web import auth
from fusionatlas.web.app import create_app
from fusionatlas.web.exports import XLSX
from tests.watch.smtp import smtp_server

PASSWORD = "correct horse battery"
USERS = {
    "organizer@example.org": ("editor", None),
    "iter@example.org": ("member", "org:iter-organization"),
    "fujikura@example.org": ("member", "org:fujikura"),
    "qst@example.org": ("member", "org:qst"),
    "fujikura2@example.org": ("member", "org:fujikura"),
}
EVENT = {
    "name_en": "Fusion supplier day",
    "name_ja": "核融合サプライヤーデー",
    "first_day": "2027-03-10",
    "time_zone": "Asia/Tokyo",
    "first_slot": "10:00",
    "slot_minutes": "30",
    "slots_per_day": "4",
    "tables": "2",
    "venue": "Tokyo",
    "description_en": "Meetings between buyers and suppliers.",
    "description_ja": "発注者とサプライヤーの面談。",
}


@pytest.fixture
def app(loaded_db_url):
    app = create_app(loaded_db_url)
    with app.state.engine.begin() as connection:
        for email, (role, org) in USERS.items():
            accounts.create_user(connection, email, PASSWORD, role, org)
    yield app
    app.state.engine.dispose()


def signed_in(app, email):
    client = TestClient(app)
    client.get("/login")
    token = client.cookies.get("csrftoken")
    response = client.post("/login", data={"csrf": token, "email": email, "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 303
    return client


def post(client, path, page="/events", **data):
    token = re.search(r'name="csrf" value="([^"]+)"', client.get(page).text).group(1)
    return client.post(path, data={"csrf": token, **data}, follow_redirects=False)


def new_event(app, publish=True):
    organizer = signed_in(app, "organizer@example.org")
    response = post(organizer, "/events", **EVENT)
    assert response.status_code == 303, response.text
    path = response.headers["location"]
    if publish:
        assert post(organizer, f"{path}/publish", published="true").status_code == 303
    return organizer, path


def register(app, path, email, name, consent=True, **extra):
    client = signed_in(app, email)
    data = {"name": name, **({"consent": "true"} if consent else {}), **extra}
    response = post(client, f"{path}/register", page=path, **data)
    assert response.status_code == 303, response.text
    return client


def participant_id(client, path, name):
    match = re.search(r'<tr data-participant="(\d+)"><td>' + re.escape(name), client.get(path).text)
    assert match, f"{name} not listed"
    return match.group(1)


def test_create_needs_an_organizer_and_bad_input_names_the_field(app):
    member = signed_in(app, "iter@example.org")
    assert post(member, "/events", **EVENT).status_code == 403
    organizer = signed_in(app, "organizer@example.org")
    response = post(organizer, "/events", **{**EVENT, "time_zone": "Mars/Olympus"})
    assert response.status_code == 422 and "time_zone: unknown time zone Mars/Olympus" in response.text
    response = post(organizer, "/events?lang=ja", page="/events?lang=ja", **{**EVENT, "slot_minutes": "5"})
    assert response.status_code == 422 and "slot_minutes: 10 から 120 までの整数" in response.text


def test_visitors_see_published_events_only_and_no_participant(app):
    organizer, path = new_event(app, publish=False)
    anonymous = TestClient(app)
    assert anonymous.get(path).status_code == 404
    assert EVENT["name_en"] not in anonymous.get("/events").text
    assert signed_in(app, "iter@example.org").get(path).status_code == 404
    assert post(organizer, f"{path}/publish", published="true").status_code == 303
    register(app, path, "iter@example.org", "Ito Iter", seeks="REBCO superconducting tape for fusion magnets")
    page = anonymous.get(path)
    assert page.status_code == 200 and EVENT["name_en"] in page.text and "Ito Iter" not in page.text
    assert "REBCO" not in page.text
    ja = anonymous.get(path + "?lang=ja").text
    assert EVENT["name_ja"] in ja and "発注者とサプライヤーの面談。" in ja
    # A member who has not registered sees no participant either.
    assert "Ito Iter" not in signed_in(app, "qst@example.org").get(path).text
    assert anonymous.get(path + "/agenda.ics", follow_redirects=False).status_code in (303, 307)
    assert anonymous.get(path.replace("/events", "/api/events") + "/agenda").status_code == 401


def test_profiles_are_shown_only_with_consent(app):
    _, path = new_event(app)
    iter_client = register(app, path, "iter@example.org", "Ito Iter")
    register(app, path, "qst@example.org", "Quiet Q", consent=False, offers="zqsecret offer")
    assert "Quiet Q" not in iter_client.get(path).text and "zqsecret" not in iter_client.get(path).text
    organizer = signed_in(app, "organizer@example.org")
    assert "Quiet Q" in organizer.get(path).text


def test_an_event_end_to_end(app, tmp_path, monkeypatch):
    organizer, path = new_event(app)
    iter_client = signed_in(app, "iter@example.org")
    form = iter_client.get(path).text
    assert 'id="register-form"' in form and "1 MW gyrotrons" not in form  # ITER's need title is the prefill
    assert "170 GHz gyrotrons" in form
    iter_client = register(
        app, path, "iter@example.org", "Ito Iter", seeks="REBCO high-temperature superconducting tape for magnets"
    )
    fujikura = register(app, path, "fujikura@example.org", "Fuji Kura", offers="REBCO tape")
    colleague = register(app, path, "fujikura2@example.org", "Second Fujikura")
    page = iter_client.get(path).text
    assert 'id="completeness">75%' in page  # offers left empty
    # Suggested both ways: Fujikura can help ITER, and (seen from Fujikura) Fujikura can help ITER.
    suggested = page[page.index('id="suggestions"') : page.index('id="participants"')]
    assert "Fuji Kura" in suggested and "Second Fujikura" in suggested
    theirs = fujikura.get(path).text
    assert "Ito Iter" in theirs[theirs.index('id="suggestions"') : theirs.index('id="participants"')]
    fuji_id = participant_id(iter_client, path, "Fuji Kura")
    second_id = participant_id(iter_client, path, "Second Fujikura")
    assert post(iter_client, f"{path}/requests", page=path, receiver=fuji_id, priority="3").status_code == 303
    assert post(iter_client, f"{path}/requests", page=path, receiver=second_id, priority="1").status_code == 303
    again = post(iter_client, f"{path}/requests", page=path, receiver=fuji_id, priority="1")
    assert again.status_code == 422 and "a request between you two exists already" in again.text
    # Asked already: the participants' list says so instead of offering to ask again.
    listed = iter_client.get(path + "?lang=ja").text
    listed = listed[listed.index('<section id="participants">') : listed.index('<section id="requests">')]
    for asked in (fuji_id, second_id):
        row = re.search(rf'<tr data-participant="{asked}">.*?</tr>', listed, re.S).group(0)
        assert "面談を申し込む" not in row and 'name="receiver"' not in row and "回答待ち" in row
    # Colleagues of one organization never meet each other.
    iter_id = participant_id(fujikura, path, "Ito Iter")
    own = post(colleague, f"{path}/requests", page=path, receiver=participant_id(colleague, path, "Fuji Kura"))
    assert own.status_code == 422
    for client in (fujikura, colleague):
        request_id = re.search(r'<tr data-request="(\d+)">', client.get(path).text).group(1)
        assert post(client, f"{path}/requests/{request_id}", page=path, action="accept").status_code == 303
    assert post(organizer, f"{path}/schedule", page=path).status_code == 303
    report = organizer.get(path).text
    assert re.search(r'id="schedule-report">Meetings: 2 ', report) and "optimal" in report
    # ITER meets both, at two different times of the day (10:00 + 30 min steps, Tokyo time).
    api = iter_client.get(path.replace("/events", "/api/events") + "/agenda").json()
    assert sorted(m["with"] for m in api["meetings"]) == ["Fuji Kura", "Second Fujikura"]
    starts = {m["with"]: m["start"] for m in api["meetings"]}
    assert len(set(starts.values())) == 2
    assert set(starts.values()) <= {f"2027-03-10T{t}:00+09:00" for t in ("10:00", "10:30", "11:00", "11:30")}
    calendar = iter_client.get(path + "/agenda.ics?lang=ja")
    assert calendar.headers["content-type"].startswith("text/calendar")
    parsed = icalendar.Calendar.from_ical(calendar.content)
    meetings = list(parsed.walk("VEVENT"))
    assert sorted(str(m["SUMMARY"]) for m in meetings) == ["Fuji Kura との面談", "Second Fujikura との面談"]
    for meeting in meetings:
        who = str(meeting["SUMMARY"]).removesuffix(" との面談")
        start = meeting.decoded("DTSTART")
        assert start == datetime.fromisoformat(starts[who])
        assert start.utcoffset().total_seconds() == 9 * 3600 and str(start.tzinfo) == "Asia/Tokyo"
        assert (meeting.decoded("DTEND") - start).total_seconds() == 30 * 60
        assert re.fullmatch(r"テーブル T[12], Tokyo", str(meeting["LOCATION"]))
    assert parsed.walk("VTIMEZONE")[0]["TZID"] == "Asia/Tokyo"
    printable = iter_client.get(path + "/agenda").text
    assert "Fuji Kura" in printable and f"{starts['Fuji Kura'][:10]} {starts['Fuji Kura'][11:16]}–" in printable
    schedule = organizer.get(path.replace("/events", "/api/events") + "/schedule").json()
    assert len(schedule["meetings"]) == 2 and schedule["report"]["optimal"] is True
    assert iter_client.get(path.replace("/events", "/api/events") + "/schedule").status_code == 403
    # Rescheduling after a late cancellation keeps the other meeting where it was.
    before = {m["with"]: m["slot"] for m in api["meetings"]}
    request_id = re.search(r'<tr data-request="(\d+)"><td>Ito Iter</td><td>Second Fujikura', colleague.get(path).text)
    assert post(colleague, f"{path}/requests/{request_id.group(1)}", page=path, action="cancel").status_code == 303
    assert post(organizer, f"{path}/schedule", page=path).status_code == 303
    after = iter_client.get(path.replace("/events", "/api/events") + "/agenda").json()["meetings"]
    assert [(m["with"], m["slot"]) for m in after] == [("Fuji Kura", before["Fuji Kura"])]
    # Outcomes, once the meeting has started (not before: it would become a relation dated in the future), then
    # the figures.
    meeting_id = re.search(r'<tr data-meeting="(\d+)">', iter_client.get(path).text).group(1)
    monkeypatch.setattr(core, "now", lambda: datetime(2026, 12, 6, tzinfo=UTC))
    agenda = iter_client.get(path + "?lang=ja").text
    agenda = agenda[agenda.index('id="agenda"') :]
    assert f"/outcomes/{meeting_id}" not in agenda and "結果は面談の開始後に記録できます。" in agenda
    early = post(iter_client, f"{path}/outcomes/{meeting_id}?lang=ja", page=path, kept="true", outcome="nda")
    assert early.status_code == 422 and "この面談はまだ行われていません。結果は2027-03-10 " in early.text
    monkeypatch.setattr(core, "now", lambda: datetime(2027, 3, 11, tzinfo=UTC))
    assert f'action="{path}/outcomes/{meeting_id}"' in iter_client.get(path).text
    outcome = post(iter_client, f"{path}/outcomes/{meeting_id}", page=path, kept="true", outcome="nda", second="true")
    assert outcome.status_code == 303
    assert post(fujikura, f"{path}/outcomes/{meeting_id}", page=path, kept="true", outcome="none").status_code == 303
    stranger = post(colleague, f"{path}/outcomes/{meeting_id}", page=path, kept="true")
    assert stranger.status_code == 422 and "no such meeting" in stranger.text
    figures = organizer.get(path + "/figures.csv").text.splitlines()
    assert figures[0].startswith("group,label,attendees,meetings,meetings_per_attendee")
    assert figures[1] == "all,all,3,1,0.667,1,1.0,1.0,1.0"
    assert {tuple(line.split(",")[:2]) for line in figures[2:]} == {
        ("country", "FR"),
        ("country", "JP"),
        ("technology_area", "tech:magnet"),
    }
    # Meetings per attendee: ITER (FR) met Fujikura (JP, with its colleague 2 attendees; magnets the same two):
    # France 1 / 1, Japan and magnets 1 / 2. The CSV keeps country codes.
    per_attendee = {line.split(",")[1]: line.split(",")[4] for line in figures[2:]}
    assert per_attendee == {"FR": "1.0", "JP": "0.5", "tech:magnet": "0.5"}
    assert fujikura.get(path + "/figures.csv").status_code == 403
    check_figures_workbook(organizer, fujikura, path)
    for lang, area, countries in (
        ("en", "Technology area: Superconducting magnets", ("France", "Japan")),
        ("ja", "技術分野: 超伝導マグネット", ("フランス", "日本")),
    ):
        shown = organizer.get(f"{path}?lang={lang}").text
        table = shown[shown.index('id="figures"') : shown.index("</table>", shown.index('id="figures"'))]
        assert area in table and all(f"<td>{name}</td>" in table for name in countries)  # names, not codes
        assert "<td>FR</td>" not in table and "<td>JP</td>" not in table
    del iter_id


def test_profile_edits_unavailable_slots_and_bad_values(app):
    _, path = new_event(app)
    client = register(app, path, "iter@example.org", "Ito Iter")
    token = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text).group(1)
    data = {"csrf": token, "name": "Ito Iter", "unavailable": ["0", "3"], "consent": "true"}
    assert client.post(f"{path}/register", data=data, follow_redirects=False).status_code == 303
    page = client.get(path).text
    assert re.search(r'name="unavailable" value="0" checked', page) and re.search(r'value="3" checked', page)
    assert not re.search(r'name="unavailable" value="1" checked', page)
    every = {"csrf": token, "name": "Ito Iter", "unavailable": [str(n) for n in range(4)]}
    refused = client.post(f"{path}/register?lang=ja", data=every, follow_redirects=False)
    assert refused.status_code == 422 and "unavailable: 面談できる時間枠が少なくとも1つ必要です" in refused.text
    outside = client.post(f"{path}/register", data={**every, "unavailable": ["9"]}, follow_redirects=False)
    assert outside.status_code == 422 and "unavailable: 時間枠 9 はありません" in outside.text  # the language sticks


def test_the_event_pages_in_japanese_have_no_english_sentence(app):
    organizer, path = new_event(app)
    register(app, path, "iter@example.org", "Ito Iter")
    page = organizer.get(path + "?lang=ja").text
    for text in ("主催", "参加者", "承諾済みの申し込み", "集計"):
        assert text in page
    member = signed_in(app, "fujikura@example.org").get(path + "?lang=ja").text
    assert "参加登録" in member and "提供できること" in member


def test_invitations_are_mailed_and_their_link_registers_once(app, monkeypatch):
    organizer, path = new_event(app)
    with smtp_server() as inbox:
        monkeypatch.setenv("FUSIONATLAS_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("FUSIONATLAS_SMTP_PORT", str(inbox.port))
        monkeypatch.setenv("FUSIONATLAS_SMTP_TLS", "none")
        monkeypatch.setenv("FUSIONATLAS_SMTP_FROM", "atlas@example.org")
        bad = post(organizer, f"{path}/invitations", page=path, addresses="qst@example.org\nnobody")
        assert bad.status_code == 422 and "not an e-mail address: nobody" in bad.text
        sent = post(organizer, f"{path}/invitations", page=path, addresses="QST@example.org\n", invite_language="ja")
        assert sent.status_code == 303
    (message,) = inbox.messages
    assert message["To"] == "qst@example.org" and message["Subject"] == "ご招待: 核融合サプライヤーデー"
    link = re.search(r"http://testserver(/events/\d+\?invite=[\w-]+)", message.get_content()).group(1)
    listed = organizer.get(path + "?lang=ja").text
    assert re.search(r"<td>qst@example.org</td><td>日本語</td><td class=\"status\">送信済み</td>", listed)
    # Anonymous: the login link comes back to the invitation.
    login = re.search(r'id="login-to-register"><a href="([^"]+)"', TestClient(app).get(link).text).group(1)
    assert login.startswith("/login?next=%2Fevents%2F") and "invite%3D" in login
    invited = signed_in(app, "qst@example.org")
    page = invited.get(link).text
    token = link.split("invite=")[1]
    assert 'id="invited"' in page and f'name="invite" value="{token}"' in page
    response = post(invited, f"{path}/register", page=link, name="Quentin", invite=token, consent="true")
    assert response.status_code == 303
    assert re.search(
        r'<td>qst@example.org</td><td>Japanese</td><td class="status">registered</td><td>Quentin</td>',
        organizer.get(path + "?lang=en").text,
    )
    # Used once: another member gets an error and is not registered.
    other = signed_in(app, "fujikura@example.org")
    assert "used already or is not valid" in other.get(link).text
    again = post(other, f"{path}/register", page=path, name="Fuji", invite=token)
    assert again.status_code == 422 and 'id="register-form"' in again.text
    assert 'id="register-form"' in other.get(path).text  # still not registered


def test_an_outcome_becomes_a_relation_and_an_online_link_stays_between_the_two(app, monkeypatch):
    monkeypatch.setattr(core, "now", lambda: datetime(2027, 3, 11, tzinfo=UTC))  # the day after the event
    organizer, path = new_event(app, publish=False)
    event_id = path.rsplit("/", 1)[1]
    with app.state.engine.begin() as connection:
        connection.exec_driver_sql(f"UPDATE events SET online = true, published = true WHERE id = {int(event_id)}")
    iter_client = register(app, path, "iter@example.org", "Ito Iter")
    fujikura = register(app, path, "fujikura@example.org", "Fuji Kura")
    third = register(app, path, "qst@example.org", "Quiet Q")
    assert (
        post(
            iter_client, f"{path}/requests", page=path, receiver=participant_id(iter_client, path, "Fuji Kura")
        ).status_code
        == 303
    )
    request_id = re.search(r'<tr data-request="(\d+)">', fujikura.get(path).text).group(1)
    assert post(fujikura, f"{path}/requests/{request_id}", page=path, action="accept").status_code == 303
    assert post(organizer, f"{path}/schedule", page=path).status_code == 303
    assert (
        "First come, first served would give: 1 meeting (" in organizer.get(path + "?lang=en").text
    )  # not "1 meetings"
    assert "先着順で組んだ場合: 1件の面談" in organizer.get(path + "?lang=ja").text
    meeting_id = re.search(r'<tr data-meeting="(\d+)">', iter_client.get(path).text).group(1)
    # Online link: https only; on both agendas (page, print, .ics, API), never to others.
    refused = post(iter_client, f"{path}/meetings/{meeting_id}/link", page=path, link="javascript:alert(1)")
    assert refused.status_code == 422 and "link: an https:// address of the online meeting" in refused.text
    refused = post(iter_client, f"{path}/meetings/{meeting_id}/link?lang=ja", page=path, link="http://x.example.org")
    assert refused.status_code == 422 and "オンライン面談の https:// で始まるアドレス" in refused.text
    meet = "https://meet.example.org/j/42"
    assert post(fujikura, f"{path}/meetings/{meeting_id}/link", page=path, link=meet).status_code == 303
    stranger = post(third, f"{path}/meetings/{meeting_id}/link", page=path, link="https://evil.example.org")
    assert stranger.status_code == 422
    for client in (iter_client, fujikura):
        assert f'href="{meet}"' in client.get(path).text and meet in client.get(path + "/agenda").text
        assert (
            str(icalendar.Calendar.from_ical(client.get(path + "/agenda.ics").content).walk("VEVENT")[0]["URL"]) == meet
        )
    assert client.get(path.replace("/events", "/api/events") + "/agenda").json()["meetings"][0]["link"] == meet
    for client in (third, organizer, TestClient(app)):
        assert meet not in client.get(path).text
    assert meet not in organizer.get(path.replace("/events", "/api/events") + "/schedule").text
    # The outcome: a private relation between ITER and Fujikura, seen by both and the organizers only.
    assert (
        post(iter_client, f"{path}/outcomes/{meeting_id}", page=path, kept="true", outcome="quotation").status_code
        == 303
    )
    assert "private to them and the organizers" in iter_client.get(path + "?lang=en").text
    assert "両組織と主催者にだけ表示されます" in fujikura.get(path + "?lang=ja").text
    described = f"Quotation after a meeting at {EVENT['name_en']}"
    assert described in fujikura.get("/organizations/org:fujikura?lang=en").text
    assert described in iter_client.get("/organizations/org:fujikura?lang=en").text
    assert described in organizer.get("/organizations/org:fujikura?lang=en").text
    assert described not in third.get("/organizations/org:fujikura?lang=en").text
    assert described not in TestClient(app).get("/organizations/org:fujikura").text
    # Both consent: public. Recording again updates the one relation.
    for client in (iter_client, fujikura):
        data = {"kept": "true", "outcome": "quotation", "public": "true"}
        assert post(client, f"{path}/outcomes/{meeting_id}", page=path, **data).status_code == 303
    assert "public, as both of you agreed" in iter_client.get(path + "?lang=en").text
    assert TestClient(app).get("/organizations/org:fujikura").text.count(described) == 1
    # A meeting with a recorded outcome is not cancelled (it was a 500: a foreign key), in either language; the
    # page offers no cancel button for it.
    for client in (iter_client, fujikura):
        row = re.search(rf'<tr data-request="{request_id}">.*?</tr>', client.get(path).text, re.S).group(0)
        assert 'value="cancel"' not in row
    refused = post(fujikura, f"{path}/requests/{request_id}?lang=ja", page=path, action="cancel")
    assert refused.status_code == 422 and "結果が記録されているため取り消せません" in refused.text
    refused = post(iter_client, f"{path}/requests/{request_id}?lang=en", page=path, action="cancel")
    assert refused.status_code == 422 and "has a recorded outcome and cannot be cancelled" in refused.text
    assert TestClient(app).get("/organizations/org:fujikura").text.count(described) == 1


def test_an_organization_created_at_registration_awaits_an_editor(app):
    with app.state.engine.begin() as connection:
        accounts.create_user(connection, "lonely@example.org", PASSWORD, "member", None)
    organizer, path = new_event(app)
    client = signed_in(app, "lonely@example.org")
    assert 'id="new-org"' in client.get(path).text
    data = {"new_org": "true", "org_name_en": "Lithium Loop KK", "org_country": "JP", "org_kind": "startup"}
    refused = post(client, f"{path}/register?lang=ja", page=path, name="Lonely", **data)
    assert refused.status_code == 422 and "org_name_ja: 日本の組織には日本語名が必要です" in refused.text
    assert (
        post(client, f"{path}/register", page=path, name="Lonely", org_name_ja="リチウムループ", **data).status_code
        == 303
    )
    assert "Lithium Loop KK" in client.get("/organizations/org:lithium-loop-kk").text
    assert TestClient(app).get("/organizations/org:lithium-loop-kk").status_code == 404
    review = organizer.get(path + "?lang=ja").text
    assert 'data-review="org:lithium-loop-kk"' in review and "審査待ちの新しい組織" in review
    approve = post(organizer, f"{path}/organizations/org:lithium-loop-kk/approve", page=path, visibility="public")
    assert approve.status_code == 303
    assert TestClient(app).get("/organizations/org:lithium-loop-kk").status_code == 200
    assert 'data-review="org:lithium-loop-kk"' not in organizer.get(path).text
    assert post(client, f"{path}/organizations/org:lithium-loop-kk/approve", page=path).status_code == 403


def _invite(app, organizer, path, monkeypatch, addresses):
    """Invites the addresses through a local SMTP server; the mailed links by address."""
    with smtp_server() as inbox:
        monkeypatch.setenv("FUSIONATLAS_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("FUSIONATLAS_SMTP_PORT", str(inbox.port))
        monkeypatch.setenv("FUSIONATLAS_SMTP_TLS", "none")
        monkeypatch.setenv("FUSIONATLAS_SMTP_FROM", "atlas@example.org")
        assert post(organizer, f"{path}/invitations", page=path, addresses=addresses).status_code == 303
    found = {}
    for message in inbox.messages:
        text = message.get_content()
        assert "create your account" in text
        found[message["To"]] = re.search(r"http://testserver(/events/\d+\?invite=[\w-]+)", text).group(1)
    return found


def test_an_invitee_without_an_account_makes_one_with_the_link_and_registers(app, monkeypatch):
    organizer, path = new_event(app)
    links = _invite(app, organizer, path, monkeypatch, "newcomer@example.org\niter@example.org")
    link = links["newcomer@example.org"]
    token = link.split("invite=")[1]
    visitor = TestClient(app)
    page = visitor.get(link).text
    assert 'id="join-form"' in page and 'name="email" value="newcomer@example.org" readonly' in page
    assert 'id="login-to-register"' in page  # an account elsewhere: signing in stays possible
    fields = {"invite": token, "name": "Nina Newcomer", "password": PASSWORD, "password_again": PASSWORD}
    forged = visitor.post(f"{path}/join", data={"csrf": "forged", **fields}, follow_redirects=False)
    assert forged.status_code == 403
    short = post(visitor, f"{path}/join", page=link, **{**fields, "password": "short", "password_again": "short"})
    assert short.status_code == 422 and "password: at least 10 characters" in short.text
    assert 'value="Nina Newcomer"' in short.text and 'id="join-form"' in short.text  # the name is kept
    differ = post(visitor, f"{path}/join?lang=ja", page=link + "&lang=ja", **{**fields, "password_again": "x" * 12})
    assert differ.status_code == 422 and "2つのパスワードが一致しません" in differ.text
    assert "アカウントを作成" in visitor.get(link + "&lang=ja").text
    with app.state.engine.connect() as connection:
        assert not invitations.has_account(connection, "newcomer@example.org")  # nothing written yet
    made = post(visitor, f"{path}/join", page=link, **fields)
    assert made.status_code == 303 and made.headers["location"].endswith("&name=Nina+Newcomer#register")
    # Signed in, on the registration form, the name prefilled and the invitation carried.
    form = visitor.get(made.headers["location"]).text
    assert 'id="register-form"' in form and 'name="name" required maxlength="200" value="Nina Newcomer"' in form
    assert f'name="invite" value="{token}"' in form
    with app.state.engine.connect() as connection:
        user = next(u for u in accounts.list_users(connection) if u.email == "newcomer@example.org")
    assert user.role == "member" and user.org_id is None and user.active
    registered = post(visitor, f"{path}/register", page=link, name="Nina Newcomer", invite=token, consent="true")
    assert registered.status_code == 303
    assert re.search(
        r'<td>newcomer@example.org</td><td>English</td><td class="status">registered</td><td>Nina Newcomer</td>',
        organizer.get(path + "?lang=en").text,
    )
    # The account is an ordinary one: its password signs in; the used link makes no second account.
    assert 'id="profile"' in signed_in(app, "newcomer@example.org").get(path).text
    again = TestClient(app)
    assert "used already or is not valid" in again.get(link).text and 'id="join-form"' not in again.get(link).text
    assert post(again, f"{path}/join", page="/login", **fields).status_code == 422


def test_an_invited_address_with_an_account_is_told_to_sign_in_and_tries_are_limited(app, monkeypatch):
    organizer, path = new_event(app)
    link = _invite(app, organizer, path, monkeypatch, "iter@example.org")["iter@example.org"]
    token = link.split("invite=")[1]
    visitor = TestClient(app)
    page = visitor.get(link).text
    assert 'id="sign-in-instead"' in page and 'id="join-form"' not in page
    assert "/login?next=%2Fevents%2F" in page
    fields = {"invite": token, "name": "Someone", "password": "a new password", "password_again": "a new password"}
    for _ in range(auth.LOGIN_ATTEMPTS):
        refused = post(visitor, f"{path}/join", page="/login", **fields)
        assert refused.status_code == 422 and "exists already: sign in instead" in refused.text
    limited = post(visitor, f"{path}/join", page="/login", **fields)
    assert limited.status_code == 429 and "Too many failed attempts" in limited.text
    with app.state.engine.connect() as connection:
        assert [u.email for u in accounts.list_users(connection)].count("iter@example.org") == 1
    assert "ログインしてから参加登録してください" in visitor.get(link + "&lang=ja").text


def check_figures_workbook(organizer, participant, path):
    """The figures as XLSX (after the end-to-end test's one meeting: NDA, kept, a second meeting)."""
    assert participant.get(path + "/figures.xlsx").status_code == 403
    for lang, headings, groups, about in (
        (
            "en",
            ["Grouped by", "Country or technology area", "Attendees", "Meetings", "Meetings per attendee"],
            [
                ("All", "All"),
                ("Country", "France"),
                ("Country", "Japan"),
                ("Technology area", "Superconducting magnets"),
            ],
            {"What", "Event", "Dates", "Figures as of", "Exported"},
        ),
        (
            "ja",
            ["集計の単位", "国または技術分野", "参加者数", "面談数", "参加者1人あたりの面談数"],
            [("すべて", "すべて"), ("国", "フランス"), ("国", "日本"), ("技術分野", "超伝導マグネット")],
            {"イベント名", "日程", "集計日"},
        ),
    ):
        response = organizer.get(f"{path}/figures.xlsx?lang={lang}")
        assert response.status_code == 200 and response.headers["content-type"].startswith(XLSX)
        assert "figures.xlsx" in response.headers["content-disposition"]
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        about_sheet, table = book.worksheets
        rows = list(table.iter_rows(values_only=True))
        assert list(rows[0][:5]) == headings
        assert sorted(row[:2] for row in rows[1:]) == sorted(groups)
        overall = next(row for row in rows[1:] if row[0] in ("All", "すべて"))
        assert overall[2:] == (3, 1, pytest.approx(2 / 3), 1, 1.0, 1.0, 1.0)
        assert table["G2"].number_format == "0.0%" and table["E2"].number_format == "0.00"
        assert table.freeze_panes == "A2" and table.auto_filter.ref == f"A1:I{len(rows)}"
        assert all(table.column_dimensions[c].width >= 8 for c in "ABCDEFGHI")
        lines = {row[0]: row[1] for row in about_sheet.iter_rows(values_only=True) if row and row[0]}
        assert set(about) <= set(lines)
        assert lines["Event" if lang == "en" else "イベント名"] == (
            EVENT["name_en"] if lang == "en" else EVENT["name_ja"]
        )
        assert lines["Dates" if lang == "en" else "日程"] == "2027-03-10 – 2027-03-10"


def test_the_organizer_sees_completeness_and_reminds_incomplete_profiles_by_mail(app, monkeypatch):
    organizer, path = new_event(app)
    offers, seeks = "REBCO tape and magnet winding services", "Cryogenic testing of coils at 20 K"
    register(app, path, "fujikura@example.org", "Fuji Kura", offers=offers, seeks=seeks)  # complete
    register(app, path, "iter@example.org", "Ito Iter", consent=False, seeks=seeks)
    qst = signed_in(app, "qst@example.org")
    assert post(qst, f"{path}/register?lang=ja", page=path, name="Kyu Esuti").status_code == 303
    listed = organizer.get(path + "?lang=en").text
    assert re.search(
        r"<td>Ito Iter</td><td>[^<]*</td><td class=\"num\">50%</td><td>What you offer, Profile shown", listed
    )
    assert re.search(r"<td>Fuji Kura</td><td>[^<]*</td><td class=\"num\">100%</td><td></td>", listed)
    assert post(signed_in(app, "fujikura@example.org"), f"{path}/remind", page=path).status_code == 403
    # E-mail off: nothing is sent, nothing fails.
    off = post(organizer, f"{path}/remind", page=path)
    assert off.status_code == 303 and off.headers["location"].endswith("?reminded=0#all-participants")
    said = organizer.get(off.headers["location"]).text
    assert "E-mail is off on this site, so no reminder could be sent." in said.split('id="reminded"')[1]
    with smtp_server() as inbox:
        monkeypatch.setenv("FUSIONATLAS_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("FUSIONATLAS_SMTP_PORT", str(inbox.port))
        monkeypatch.setenv("FUSIONATLAS_SMTP_TLS", "none")
        monkeypatch.setenv("FUSIONATLAS_SMTP_FROM", "atlas@example.org")
        sent = post(organizer, f"{path}/remind", page=path)
    assert sent.headers["location"].endswith("?reminded=2#all-participants")
    assert 'id="reminded">Reminders sent: 2</p>' in organizer.get(sent.headers["location"]).text
    mails = {m["To"]: m for m in inbox.messages}
    assert set(mails) == {"iter@example.org", "qst@example.org"}  # not the complete profile
    english = mails["iter@example.org"]
    assert english["Subject"] == f"Complete your profile: {EVENT['name_en']}"
    assert "50% complete (still missing: What you offer, Profile shown to other participants)" in english.get_content()
    assert re.search(r"http://testserver/events/\d+#profile", english.get_content())
    japanese = mails["qst@example.org"]  # registered in Japanese: the reminder is in Japanese
    assert japanese["Subject"] == f"プロフィールの入力のお願い: {EVENT['name_ja']}"
    assert "未入力: 提供できること、求めること、他の参加者へのプロフィール表示" in japanese.get_content()
    assert "送信したリマインド: 2件" in organizer.get(path + "?reminded=2&lang=ja").text


def test_invitations_without_email_show_their_links_once_and_a_wrong_address_keeps_the_text(app, monkeypatch, caplog):
    """E-mail off: the organizer is told, in both languages, and the answer to the form shows the new links once
    (not cached, in no address or log); the list of invitations then says "not sent". A wrong address refuses the
    whole list but leaves the organizer's text in the form."""
    monkeypatch.delenv("FUSIONATLAS_SMTP_HOST", raising=False)
    organizer, path = new_event(app)
    assert "このサイトではメール送信が設定されていません" in organizer.get(path + "?lang=ja").text
    assert 'id="mail-off"' in organizer.get(path + "?lang=en").text
    assert 'id="mail-off"' not in signed_in(app, "iter@example.org").get(path).text
    typed = "qst@example.org\nnobody\nx@example.org"
    bad = post(organizer, f"{path}/invitations?lang=en", page=path, addresses=typed)
    assert bad.status_code == 422 and "not an e-mail address: nobody" in bad.text
    assert f"required>{typed}</textarea>" in bad.text
    made = post(organizer, f"{path}/invitations?lang=ja", page=path, addresses="QST@example.org\nx@example.org")
    assert made.status_code == 200 and made.headers["cache-control"] == "private, no-store"
    assert made.headers["referrer-policy"] == "no-referrer"
    assert "これらの招待はメールで送信されませんでした。" in made.text and "この一度だけです" in made.text
    links = dict(
        re.findall(r'<td>([^<]+)</td><td><input readonly size="70" value="http://testserver([^"]+)"', made.text)
    )
    assert sorted(links) == ["qst@example.org", "x@example.org"]
    tokens = [link.split("invite=")[1] for link in links.values()]
    assert all(len(token) > 30 for token in tokens)
    later = organizer.get(path + "?lang=ja").text
    assert not any(token in later for token in tokens)  # shown once
    assert len(re.findall(r'<td class="status">未送信</td>', later)) == 2
    assert not any(token in caplog.text for token in tokens)
    again = post(organizer, f"{path}/invitations", page=path, addresses="qst@example.org")
    assert again.status_code == 303  # invited already: nothing new, no link
    invited = signed_in(app, "qst@example.org")
    assert 'id="invited"' in invited.get(links["qst@example.org"]).text
