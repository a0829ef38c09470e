"""Matchmaking events in Chromium: an organizer and two participants run an event end to end in Japanese
(create, publish, register, suggestions, request, accept, schedule, agenda and .ics, outcome, figures), and the
organizer's and a visitor's path in English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest

from fusionatlas.dataset.package import load_package
from fusionatlas.events import core
from fusionatlas.store import accounts
from fusionatlas.store.engine import open_engine
from tests.browser.conftest import served
from tests.fixtures import write_package
from tests.watch.smtp import smtp_server

PASSWORD = "correct horse battery"
SMTP = {  # the local test server's port goes where None is
    "FUSIONATLAS_SMTP_HOST": "127.0.0.1",
    "FUSIONATLAS_SMTP_PORT": None,
    "FUSIONATLAS_SMTP_TLS": "none",
    "FUSIONATLAS_SMTP_FROM": "atlas@example.org",
}


@pytest.fixture(scope="module")
def event_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("events")
    database = f"sqlite:///{folder / 'atlas.db'}"
    engine = open_engine(database)
    load_package(engine, write_package(folder / "package"))
    with engine.begin() as connection:
        accounts.create_user(connection, "organizer@example.org", PASSWORD, "editor")
        accounts.create_user(connection, "iter@example.org", PASSWORD, "member", "org:iter-organization")
        accounts.create_user(connection, "fujikura@example.org", PASSWORD, "member", "org:fujikura")
    engine.dispose()
    with served(database) as url:
        yield url


def log_in(browser, server, email, lang):
    context = browser.new_context(locale="ja-JP" if lang == "ja" else "en-US", accept_downloads=True)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.goto(f"{server}/login?lang={lang}")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{server}/account")
    return page


def create_event(page, server, name_en, name_ja):
    page.goto(f"{server}/events")
    page.fill("input[name=name_en]", name_en)
    page.fill("input[name=name_ja]", name_ja)
    page.fill("input[name=first_day]", "2027-03-10")
    page.fill("input[name=slots_per_day]", "4")
    page.fill("input[name=tables]", "2")
    page.click("#event-form button[type=submit]")
    page.wait_for_url(f"{server}/events/*")
    page.click("#publish")
    page.wait_for_url(f"{server}/events/*")
    return page.url


def register(page, url, name, seeks="", consent=True):
    page.goto(url)
    page.fill("#register-form input[name=name]", name)
    if seeks:
        page.fill("#register-form textarea[name=seeks]", seeks)
    if consent:
        page.check("#consent")
    page.click("#register-form button[type=submit]")
    page.wait_for_url(url)


@pytest.mark.browser
def test_an_event_end_to_end_in_japanese(browser, event_server, monkeypatch):
    server = event_server
    # The app runs in this process: its clock stands the day after the event, when outcomes may be recorded.
    monkeypatch.setattr(core, "now", lambda: datetime(2027, 3, 11, tzinfo=UTC))
    organizer = log_in(browser, server, "organizer@example.org", "ja")
    organizer.click("nav >> text=商談会")
    organizer.wait_for_url(f"{server}/events")
    assert "商談会" in organizer.inner_text("h1")
    url = create_event(organizer, server, "Supplier day", "サプライヤーデー")
    assert organizer.inner_text("#event-name") == "サプライヤーデー"
    assert "非公開にする" in organizer.inner_text("#publish")

    iter_page = log_in(browser, server, "iter@example.org", "ja")
    iter_page.goto(url)
    assert "170 GHzジャイロトロン" in iter_page.input_value("#register-form textarea[name=seeks]")  # prefilled
    register(iter_page, url, "伊藤", seeks="核融合マグネット用のREBCO高温超伝導線材")
    fujikura = log_in(browser, server, "fujikura@example.org", "ja")
    register(fujikura, url, "藤倉")
    assert "%" in fujikura.inner_text("#completeness") and "未記入" in fujikura.inner_text("#profile")

    iter_page.goto(url)
    suggested = iter_page.locator("#suggestions tr", has_text="藤倉")
    assert "フジクラ" in suggested.inner_text()
    suggested.locator("select[name=priority]").select_option("3")
    suggested.locator("button", has_text="面談を申し込む").click()
    iter_page.wait_for_url(f"{url}#requests")
    assert "回答待ち" in iter_page.inner_text("#requests")

    fujikura.goto(url)
    fujikura.locator("#requests button", has_text="承諾する").click()
    fujikura.wait_for_url(f"{url}#requests")
    assert "承諾" in fujikura.inner_text("#requests .status")

    organizer.goto(url)
    assert organizer.inner_text("#accepted-count") == "1"
    organizer.click("#schedule-form button[type=submit]")
    organizer.wait_for_url(f"{url}#schedule")
    report = organizer.inner_text("#schedule-report")
    assert "面談数: 1" in report and "最適" in report and "証明された上界: 3" in report

    iter_page.goto(url)
    assert "藤倉" in iter_page.inner_text("#agenda")
    with iter_page.expect_download() as download:
        iter_page.click("#agenda-ics")
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    (meeting,) = calendar.walk("VEVENT")
    assert str(meeting["SUMMARY"]) == "藤倉 との面談"
    assert meeting.decoded("DTSTART").utcoffset().total_seconds() == 9 * 3600
    row = iter_page.locator("#agenda tr[data-meeting]")
    row.locator("input[name=kept]").check()
    row.locator("select[name=outcome]").select_option("quotation")
    row.locator("button", has_text="保存").click()
    iter_page.wait_for_url(f"{url}#agenda")
    assert "記録済み" in iter_page.inner_text("#agenda")
    # A quotation is a relation between the two organizations, private to them and the organizers.
    assert "両組織の関係としてアトラスに記録しました。両組織と主催者にだけ表示されます。" in iter_page.inner_text(
        "#agenda"
    )

    organizer.goto(url)
    figures = organizer.inner_text("#figures")
    assert "参加者1人あたりの面談数" in figures and "100%" in figures
    for page in (organizer, iter_page, fujikura):
        assert page.problems == []
        page.context.close()


@pytest.mark.browser
def test_the_organizer_and_a_visitor_in_english(browser, event_server, page):
    server = event_server
    organizer = log_in(browser, server, "organizer@example.org", "en")
    url = create_event(organizer, server, "Magnet forum", "マグネットフォーラム")
    assert organizer.inner_text("#event-name") == "Magnet forum"
    assert "Participants: 0" in organizer.inner_text("#organize")
    organizer.context.close()
    page.goto(f"{url}?lang=en")
    assert page.inner_text("#event-name") == "Magnet forum"
    assert "Log in" in page.inner_text("#login-to-register")
    assert page.locator("#register-form").count() == 0 and page.locator("#organize").count() == 0
    page.goto(f"{server}/events")
    assert "Magnet forum" in page.inner_text("#events")
    assert page.problems == []


@pytest.mark.browser
def test_an_invitee_makes_an_account_with_the_link_and_registers(browser, event_server, monkeypatch):
    """The invitation e-mail's link (a local SMTP server; the app runs in this process), opened signed out."""
    server = event_server
    organizer = log_in(browser, server, "organizer@example.org", "en")
    url = create_event(organizer, server, "Invitation day", "招待デー")
    with smtp_server() as inbox:
        for name, value in SMTP.items():
            monkeypatch.setenv(name, str(inbox.port) if value is None else value)
        organizer.fill("#invite-form textarea[name=addresses]", "newcomer@example.org")
        organizer.click("#invite-form button[type=submit]")
        organizer.wait_for_url(f"{url}#invitations")
    (message,) = inbox.messages
    link = re.search(r"(/events/\d+\?invite=[\w-]+)", message.get_content()).group(1)
    context = browser.new_context(locale="ja-JP")
    invitee = context.new_page()
    invitee.goto(f"{server}{link}&lang=ja")
    assert invitee.input_value("#join-form input[name=email]") == "newcomer@example.org"
    invitee.fill("#join-form input[name=name]", "新井")
    invitee.fill("#join-form input[name=password]", PASSWORD)
    invitee.fill("#join-form input[name=password_again]", PASSWORD)
    invitee.click("#join-form button[type=submit]")
    invitee.wait_for_url(f"{url}?invite=*")
    assert invitee.input_value("#register-form input[name=name]") == "新井"  # signed in, on the registration form
    invitee.check("#consent")
    invitee.click("#register-form button[type=submit]")
    invitee.wait_for_url(url)
    assert "%" in invitee.inner_text("#completeness")
    organizer.goto(f"{url}?lang=en#invitations")
    assert "registered" in organizer.text_content("#invitation-list")
    context.close()
    organizer.context.close()
