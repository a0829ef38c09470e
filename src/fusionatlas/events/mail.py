"""E-mails of events: registration confirmed, a meeting request received, a request answered, the agenda changed.

Sent through the SMTP settings of the watch digest (watch/digest.py `SmtpSettings`, from the environment); with
no FUSIONATLAS_SMTP_HOST no e-mail is sent and nothing fails. Each message is text/plain in the recipient's
language (their registration's), with a link to the event's page. A failed send is reported, never raised: the
change it announces is already committed and stays.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import Engine

from fusionatlas.events import core
from fusionatlas.store import accounts
from fusionatlas.watch.digest import SmtpSettings

TEXTS = {
    "registered": {
        "en": ("Registered: {event}", "You are registered for {event}. Your profile and suggested meetings: {link}"),
        "ja": ("登録完了: {event}", "{event} への参加登録が完了しました。プロフィールと面談の提案: {link}"),
    },
    "request": {
        "en": ("Meeting request: {event}", "{name} asks to meet you at {event}. Accept or decline: {link}"),
        "ja": (
            "面談の申し込み: {event}",
            "{name} さんから {event} での面談の申し込みがありました。承諾または辞退: {link}",
        ),
    },
    "accepted": {
        "en": ("Meeting accepted: {event}", "{name} accepted your meeting request at {event}: {link}"),
        "ja": ("面談承諾: {event}", "{name} さんが {event} での面談を承諾しました: {link}"),
    },
    "declined": {
        "en": ("Meeting declined: {event}", "{name} declined your meeting request at {event}: {link}"),
        "ja": ("面談辞退: {event}", "{name} さんが {event} での面談を辞退しました: {link}"),
    },
    "agenda": {
        "en": (
            "Your agenda changed: {event}",
            "Your meetings at {event} were scheduled or changed. Your agenda: {link}",
        ),
        "ja": (
            "アジェンダ更新: {event}",
            "{event} での面談の日程が決まりました(または変更されました)。アジェンダ: {link}",
        ),
    },
}


@dataclass(frozen=True)
class Notice:
    participant_id: int
    kind: str  # a key of TEXTS
    name: str = ""  # the other participant, where there is one


def compose(kind: str, lang: str, event: core.Event, link: str, name: str = "") -> tuple[str, str]:
    subject, body = TEXTS[kind]["ja" if lang == "ja" else "en"]
    fields = {"event": event.name(lang), "link": link, "name": name}
    return subject.format(**fields), body.format(**fields) + "\n"


def send(
    engine: Engine, event_id: int, notices: list[Notice], base: str, smtp: SmtpSettings | None = None
) -> list[str]:
    """Sends the notices; returns the failures (empty when all went, or when e-mail is off)."""
    settings = smtp if smtp is not None else SmtpSettings.from_env()
    if settings is None or not notices:
        return []
    messages = []
    with engine.connect() as connection:
        event = core.get_event(connection, event_id)
        if event is None:
            return []
        for notice in notices:
            participant = core.get_participant(connection, notice.participant_id)
            user = accounts.get_user(connection, participant.user_id) if participant else None
            if participant is None or user is None or not user.active:
                continue
            subject, text = compose(notice.kind, participant.language, event, f"{base}/events/{event.id}", notice.name)
            message = EmailMessage()
            message["From"], message["To"], message["Subject"] = settings.sender, user.email, subject
            message["Date"], message["Message-ID"] = formatdate(localtime=False), make_msgid(domain="fusionatlas")
            message.set_content(text, subtype="plain", charset="utf-8")
            messages.append(message)
    failed = []
    try:
        server = settings.connect()
    except (smtplib.SMTPException, OSError) as error:
        return [f"{type(error).__name__}: {error}"]
    try:
        for message in messages:
            try:
                server.send_message(message)
            except smtplib.SMTPException as error:
                failed.append(f"{message['To']}: {type(error).__name__}: {error}")
    finally:
        server.quit()
    return failed
