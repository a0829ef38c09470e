"""The daily e-mail digest: each user with e-mail on gets one text/plain message listing the new and changed
matches of their watches since their last digest, in their language (or both), with unsubscribe links.

SMTP comes from the environment (never logged: the password least of all):
FUSIONATLAS_SMTP_HOST (no host: no e-mail), FUSIONATLAS_SMTP_PORT, FUSIONATLAS_SMTP_USER,
FUSIONATLAS_SMTP_PASSWORD, FUSIONATLAS_SMTP_FROM, FUSIONATLAS_SMTP_TLS (starttls, ssl or none) and
FUSIONATLAS_BASE_URL (the site's address, for the links).
"""

from __future__ import annotations

import contextlib
import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import urlencode

from sqlalchemy import Connection, Engine, select

from fusionatlas.domain.audience import Audience
from fusionatlas.settings import number_from_env
from fusionatlas.store import accounts
from fusionatlas.store import watch as store
from fusionatlas.watch.feed import title, watch_label

TLS_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
BASE_URL_ENV = "FUSIONATLAS_BASE_URL"


class DigestError(ValueError):
    """A setting that is missing or wrong: the message names the variable (and never shows the password)."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None
    password: str | None = field(repr=False)
    sender: str
    tls: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SmtpSettings | None:
        """The settings, or None when FUSIONATLAS_SMTP_HOST is unset (e-mail is off)."""
        env = os.environ if environ is None else environ
        host = env.get("FUSIONATLAS_SMTP_HOST", "").strip()
        if not host:
            return None
        tls = env.get("FUSIONATLAS_SMTP_TLS", "").strip().lower() or "starttls"
        if tls not in TLS_MODES:
            raise DigestError(f"FUSIONATLAS_SMTP_TLS={tls!r}: expected one of {', '.join(TLS_MODES)}")
        port = number_from_env("FUSIONATLAS_SMTP_PORT", DEFAULT_PORTS[tls], int, 1, "a port number", env)
        if port > 65535:
            raise DigestError(f"FUSIONATLAS_SMTP_PORT={port}: expected a port number")
        sender = env.get("FUSIONATLAS_SMTP_FROM", "").strip()
        if not accounts.EMAIL.match(sender):
            raise DigestError(f"FUSIONATLAS_SMTP_FROM={sender!r}: expected the sender's e-mail address")
        user = env.get("FUSIONATLAS_SMTP_USER", "").strip() or None
        return cls(host, port, user, env.get("FUSIONATLAS_SMTP_PASSWORD") or None, sender, tls)

    def connect(self) -> smtplib.SMTP:
        if self.tls == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(self.host, self.port)
            if self.tls == "starttls":
                server.starttls(context=ssl.create_default_context())
        if self.user:
            server.login(self.user, self.password or "")
        return server


def base_url(given: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    url = (given or env.get(BASE_URL_ENV, "")).strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise DigestError(f"{BASE_URL_ENV}={url!r}: expected the site's address, such as https://atlas.example.org")
    return url


@dataclass
class DigestReport:
    sent: int = 0
    matches: int = 0
    skipped: int = 0  # users with nothing new
    failed: list[str] = field(default_factory=list)  # "user ID: reason", never an address's password


def unsubscribe_url(base: str, connection: Connection, user_id: int, watch_id: int | None) -> str:
    signature = store.unsubscribe_signature(connection, user_id, watch_id)
    query = {"user": user_id, **({"watch": watch_id} if watch_id else {}), "sig": signature}
    return f"{base}/watch/unsubscribe?{urlencode(query)}"


def compose(
    user: accounts.User, matches: list[store.Match], lang: str | None, base: str, links: dict[int | None, str]
) -> tuple[str, str]:
    """The subject and text of one user's digest."""
    count = len(matches)
    subjects = {"en": f"FusionAtlas: {count} new or changed", "ja": f"FusionAtlas：新規・更新 {count} 件"}
    subject = subjects.get(lang or "", f"{subjects['en']} / {subjects['ja']}")
    intro = {
        "en": "New and changed needs and capabilities matching your watches:",
        "ja": "ウォッチに合う新規・更新のニーズと能力：",
    }
    lines = [intro.get(lang or "", f"{intro['en']}\n{intro['ja']}"), ""]
    for match in matches:
        lines += [f"- {title(match, lang)}", f"  {watch_label(match, lang)}", f"  {base}{match.link}", ""]
    lines += ["-- ", {"en": "Your inbox", "ja": "受信箱"}.get(lang or "", "Your inbox / 受信箱") + f": {base}/watch"]
    stop_one = {"en": "Stop e-mail for this watch", "ja": "このウォッチのメールを停止"}
    stop_all = {"en": "Stop all watch e-mail", "ja": "ウォッチのメールをすべて停止"}
    for watch_id in sorted({m.watch_id for m in matches}):
        label = next(watch_label(m, lang) for m in matches if m.watch_id == watch_id)
        text = stop_one.get(lang or "", f"{stop_one['en']} / {stop_one['ja']}")
        lines.append(f"{text} ({label}): {links[watch_id]}")
    lines.append(stop_all.get(lang or "", f"{stop_all['en']} / {stop_all['ja']}") + f": {links[None]}")
    return subject, "\n".join(lines) + "\n"


def _prepare(
    engine: Engine, user_id: int, base: str
) -> tuple[accounts.User, list[store.Match], store.Settings, dict[int | None, str]] | None:
    """Look at the user's watches again and gather the news since their last digest."""
    with engine.connect() as connection:
        user = accounts.get_user(connection, user_id)
    if user is None or not user.active:
        return None
    store.look(engine, user.id, Audience.of_user(user.id, user.role, user.org_id))
    with engine.connect() as connection:
        settings = store.settings(connection, user.id)
        matches = store.news(connection, user.id, since=settings.last_digest, emailed_only=True)
        if not matches:
            return None
        links: dict[int | None, str] = {
            w: unsubscribe_url(base, connection, user.id, w) for w in {m.watch_id for m in matches}
        }
        links[None] = unsubscribe_url(base, connection, user.id, None)
    return user, matches, settings, links


def send_digests(engine: Engine, smtp: SmtpSettings, base: str) -> DigestReport:
    """One e-mail per user with e-mail on and news since their last digest; their last digest then moves on.

    A user whose message fails is reported and keeps their news for the next run."""
    report = DigestReport()
    with engine.begin() as connection:
        accounts.site_secret(connection)  # stored now if new, so that the links signed with it keep working
    with engine.connect() as connection:
        query = (
            select(store.watch_users.c.user_id)
            .join(accounts.users, accounts.users.c.id == store.watch_users.c.user_id)
            .where(store.watch_users.c.email.is_(True), accounts.users.c.active.is_(True))
            .order_by(store.watch_users.c.user_id)
        )
        user_ids = list(connection.execute(query).scalars())
    server: smtplib.SMTP | None = None
    try:
        for user_id in user_ids:
            prepared = _prepare(engine, user_id, base)
            if prepared is None:
                report.skipped += 1
                continue
            user, matches, settings, links = prepared
            subject, text = compose(user, matches, settings.language, base, links)
            message = EmailMessage()
            message["From"], message["To"], message["Subject"] = smtp.sender, user.email, subject
            message["Date"], message["Message-ID"] = formatdate(localtime=False), make_msgid(domain="fusionatlas")
            message["List-Unsubscribe"] = f"<{links[None]}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            message.set_content(text, subtype="plain", charset="utf-8")
            try:
                if server is None:
                    server = smtp.connect()
                server.send_message(message)
            except (smtplib.SMTPException, OSError) as error:
                report.failed.append(f"user {user.id}: {type(error).__name__}: {error}")
                server = None
                continue
            with engine.begin() as connection:
                store.update_settings(connection, user.id, last_digest=max(m.changed for m in matches))
            report.sent += 1
            report.matches += len(matches)
    finally:
        if server is not None:
            with contextlib.suppress(smtplib.SMTPException):
                server.quit()
    return report
