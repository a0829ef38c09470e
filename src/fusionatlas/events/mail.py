"""E-mails of events: an invitation with its registration link, registration confirmed, a meeting request
received, a request answered, the agenda changed, an organizer's reminder to complete one's profile.

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

from fusionatlas.events import core, invitations
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
    "invitation": {
        "en": (
            "Invitation: {event}",
            "You are invited to the business meetings of {event} ({when}). Register with this link (it works once;"
            " it lets you create your account, or sign in if you have one): {link}",
        ),
        "ja": (
            "ご招待: {event}",
            "{event}({when})の商談会にご招待します。こちらのリンクから参加登録してください(1回のみ有効です。"
            "アカウントをお持ちでない方はこのリンクから作成でき、お持ちの方はログインしてください): {link}",
        ),
    },
    "remind": {
        "en": (
            "Complete your profile: {event}",
            "Your profile for {event} is {done}% complete (still missing: {missing}). A complete profile gets better"
            " suggested meetings and lets others find you: {link}",
        ),
        "ja": (
            "プロフィールの入力のお願い: {event}",
            "{event} のプロフィールの入力状況は {done}% です(未入力: {missing})。入力を済ませると面談の提案が"
            "より的確になり、他の参加者からも見つけてもらいやすくなります: {link}",
        ),
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
    missing: str = ""  # a reminder's missing parts of the profile, in the participant's language
    done: int = 0  # a reminder's completeness, in percent


def compose(
    kind: str, lang: str, event: core.Event, link: str, name: str = "", missing: str = "", done: int = 0
) -> tuple[str, str]:
    subject, body = TEXTS[kind]["ja" if lang == "ja" else "en"]
    when = f"{event.slot_start(0):%Y-%m-%d} {event.time_zone}"
    fields = {"event": event.name(lang), "link": link, "name": name, "when": when, "missing": missing, "done": done}
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
            link = f"{base}/events/{event.id}" + ("#profile" if notice.kind == "remind" else "")
            subject, text = compose(
                notice.kind, participant.language, event, link, notice.name, notice.missing, notice.done
            )
            messages.append(_message(settings, user.email, subject, text))
    return [failure for _, failure in _deliver(settings, messages) if failure]


def _message(settings: SmtpSettings, to: str, subject: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.sender, to, subject
    message["Date"], message["Message-ID"] = formatdate(localtime=False), make_msgid(domain="fusionatlas")
    message.set_content(text, subtype="plain", charset="utf-8")
    return message


def send_invitations(
    engine: Engine, event_id: int, made: list[tuple[int, str]], base: str, smtp: SmtpSettings | None = None
) -> list[str]:
    """E-mails each new invitation (in its language) with its registration link; marks those sent as `sent`.
    Returns the failures; with e-mail off, nothing is sent and the invitations stay `unsent`."""
    settings = smtp if smtp is not None else SmtpSettings.from_env()
    if settings is None or not made:
        return []
    messages, ids = [], []
    with engine.connect() as connection:
        event = core.get_event(connection, event_id)
        if event is None:
            return []
        for invitation_id, token in made:
            found = invitations.get_invitation(connection, invitation_id)
            if found is None:
                continue
            link = f"{base}/events/{event.id}?invite={token}"
            subject, text = compose("invitation", found.language, event, link)
            messages.append(_message(settings, found.email, subject, text))
            ids.append(invitation_id)
    results = _deliver(settings, messages)
    with engine.begin() as connection:
        invitations.mark_sent(connection, [i for i, (_, failure) in zip(ids, results, strict=True) if not failure])
    return [failure for _, failure in results if failure]


def _deliver(settings: SmtpSettings, messages: list[EmailMessage]) -> list[tuple[EmailMessage, str]]:
    """Each message with its failure ("" when it went)."""
    if not messages:
        return []
    try:
        server = settings.connect()
    except (smtplib.SMTPException, OSError) as error:
        return [(message, f"{type(error).__name__}: {error}") for message in messages]
    results = []
    try:
        for message in messages:
            try:
                server.send_message(message)
                results.append((message, ""))
            except smtplib.SMTPException as error:
                results.append((message, f"{message['To']}: {type(error).__name__}: {error}"))
    finally:
        server.quit()
    return results
