"""Matchmaking events: the list (/events), one event's page for visitors, participants and organizers, the forms
that register, request, answer, schedule and record outcomes, the agenda (printable page and .ics), the figures
(CSV) and the API of the schedule and of one's agenda. What may be seen and done: events/core.py.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Annotated, Any, TypeVar
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection, Engine, select

from fusionatlas.domain.values import INT32
from fusionatlas.events import core, invitations, mail
from fusionatlas.events.agenda import ics
from fusionatlas.events.outcomes import Figures, figures
from fusionatlas.events.planning import schedule_event
from fusionatlas.events.relations import relations_of
from fusionatlas.events.scheduler import ScheduleError
from fusionatlas.events.suggest import suggestions
from fusionatlas.store import accounts
from fusionatlas.store.accounts import User
from fusionatlas.store.schema import TABLES_BY_NAME
from fusionatlas.watch.digest import DigestError, SmtpSettings, base_url
from fusionatlas.web import auth
from fusionatlas.web.auth import current_user, require_user, viewer_of
from fusionatlas.web.exports import XLSX, workbook_bytes
from fusionatlas.web.i18n import language, translator
from fusionatlas.web.match_index import shared_index
from fusionatlas.web.names import country_name
from fusionatlas.web.pages.organizations import KINDS as ORG_KINDS
from fusionatlas.web.render import check_csrf, render

AnyUser = Annotated[User, Depends(require_user())]
Organizer = Annotated[User, Depends(require_user(*core.ORGANIZER_ROLES))]
Text = Annotated[str, Form(max_length=core.MAX_TEXT + 100)]
NO_STORE = {"Cache-Control": "private, no-store"}
OUTCOME_LABELS = {
    "none": "No follow-up",
    "nda": "NDA",
    "quotation": "Quotation",
    "proposal": "Joint proposal",
    "contract": "Contract",
}
PRIORITY_LABELS = {1: "Normal", 2: "High", 3: "Essential"}
STATUS_LABELS = {
    "pending": "awaiting an answer",
    "accepted": "accepted",
    "declined": "declined",
    "cancelled": "cancelled",
}
INVITATION_LABELS = {"unsent": "not sent", "sent": "sent", "registered": "registered"}
T = TypeVar("T")
SCHEDULE_SECONDS = 10.0  # a web request waits at most this long for the solver (the CLI may take longer)


def _message(request: Request, error: core.EventError | ScheduleError) -> str:
    t = translator(language(request))
    if isinstance(error, core.EventError):
        return t(error.template).format(**error.fields)
    return t("The schedule cannot be made:") + f" {error}"


def _mail_off() -> bool:
    """No SMTP server is configured (a wrong setting is not "off": sending then fails, and says so)."""
    try:
        return SmtpSettings.from_env() is None
    except DigestError:
        return False


def _site(request: Request) -> str:
    try:
        return base_url()
    except ValueError:
        return str(request.base_url).rstrip("/")


def _technology_names(connection: Connection, ids: set[str]) -> dict[str, tuple[str, str | None]]:
    """(English, Japanese) names of technology-map nodes: the figures' technology areas."""
    techs = TABLES_BY_NAME["technologies"]
    query = select(techs.c.id, techs.c.name_en, techs.c.name_ja).where(techs.c.id.in_(sorted(ids)))
    return {row[0]: (row[1], row[2]) for row in connection.execute(query)}


FIGURES_COLUMNS = (
    "figures_group",
    "figures_of",
    "attendees",
    "meetings",
    "meetings_per_attendee",
    "reported",
    "kept_share",
    "follow_up_share",
    "second_meeting_share",
)
FIGURES_FORMATS = {"meetings_per_attendee": "0.00"} | {c: "0.0%" for c in FIGURES_COLUMNS if c.endswith("_share")}
FIGURES_WHAT = (
    "The council's figures of a matchmaking event: meetings per attendee, kept share, follow-up share and"
    " second-meeting share, overall, by country and by technology area"
)


def _counts(f: Figures) -> list[Any]:
    """The numbers of one row of the figures' workbook (shares as fractions: the sheet shows them as percent)."""
    shares = [f.share(f.kept), f.share(f.follow_up), f.share(f.second_meeting)]
    return [f.attendees, f.meetings, f.per_attendee, f.reported, *shares]


# A row id in a path is a positive 32-bit integer (the tables' integer keys): a larger one is refused (422)
# before it reaches PostgreSQL, which would fail on it.
RowId = Annotated[int, Path(ge=1, le=INT32[1])]


def router(engine: Engine) -> APIRouter:
    routes = APIRouter()

    def _event_or_404(event_id: int, user: User | None) -> core.Event:
        with engine.connect() as connection:
            found = core.visible_event(connection, event_id, user)
        if found is None:
            raise HTTPException(404)
        return found

    def _me(event: core.Event, user: User) -> core.Participant:
        with engine.connect() as connection:
            found = core.own_participant(connection, event.id, user.id)
        if found is None:
            raise HTTPException(403, "register for this event first")
        return found

    def _write(request: Request, event: core.Event, change: Callable[[Connection], T]) -> T | Response:
        """One form's change in its own transaction: its result, or, when events/core.py refuses it, the event's
        page again with the reason in the visitor's language (422) and nothing written."""
        try:
            with engine.begin() as connection:
                return change(connection)
        except core.EventError as error:
            return page(request, event, _message(request, error), 422)

    def _back(event: core.Event, section: str) -> Response:
        return RedirectResponse(f"/events/{event.id}#{section}", status_code=303)

    @routes.get("/events", response_class=HTMLResponse)
    def event_list(request: Request) -> Response:
        user = current_user(request)
        with engine.connect() as connection:
            found = core.list_events(connection, user)
        context = {"events": found, "organizer": core.is_organizer(user), "error": None, "form": {}}
        return render(request, "events_list.html", context)

    @routes.post("/events", response_class=HTMLResponse)
    def create(
        request: Request,
        user: Organizer,
        name_en: Annotated[str, Form(max_length=300)],
        name_ja: Annotated[str, Form(max_length=300)],
        first_day: Annotated[str, Form(max_length=20)],
        time_zone: Annotated[str, Form(max_length=64)],
        first_slot: Annotated[str, Form(max_length=10)],
        days: Annotated[str, Form(max_length=10)] = "1",
        slot_minutes: Annotated[str, Form(max_length=10)] = "30",
        slots_per_day: Annotated[str, Form(max_length=10)] = "16",
        tables: Annotated[str, Form(max_length=10)] = "10",
        venue: Annotated[str, Form(max_length=300)] = "",
        description_en: Text = "",
        description_ja: Text = "",
        online: Annotated[bool, Form()] = False,
    ) -> Response:
        fields = dict(locals())
        del fields["request"], fields["user"]
        try:
            with engine.begin() as connection:
                event_id = core.create_event(connection, user, fields)
        except core.EventError as error:
            with engine.connect() as connection:
                found = core.list_events(connection, user)
            context = {"events": found, "organizer": True, "error": _message(request, error), "form": fields}
            return render(request, "events_list.html", context, status=422)
        return RedirectResponse(f"/events/{event_id}", status_code=303)

    def page(
        request: Request,
        event: core.Event,
        error: str | None = None,
        status: int = 200,
        invite: str = "",
        join_name: str = "",
        reminded: int | None = None,
        addresses: str = "",
        unsent_links: list[tuple[str, str]] | None = None,
    ) -> Response:
        """`addresses`: the invitation form's text, kept when it was refused; `unsent_links`: (address, link) of the
        invitations just made that no e-mail carried, shown to the organizer this once (only digests are kept)."""
        user = current_user(request)
        organizer = core.is_organizer(user)
        lang = language(request)
        context: dict[str, Any] = {
            "event": event,
            "user": user,
            "organizer": organizer,
            "error": error,
            "mine": None,
            "OUTCOMES": OUTCOME_LABELS,
            "PRIORITIES": PRIORITY_LABELS,
            "STATUSES": STATUS_LABELS,
            "slots": [(n, event.slot_label(n)) for n in range(event.slot_count)],
            "INVITATIONS": INVITATION_LABELS,
            "ORG_KINDS": ORG_KINDS,
            "invite": "",
            "invite_login": "",
            "join": None,
            "join_name": join_name,
            "min_password": accounts.MIN_PASSWORD,
            "reminded": reminded if organizer else None,
            "addresses": addresses if organizer else "",
            "unsent_links": unsent_links if organizer else None,
            "mail_off": organizer and _mail_off(),
        }
        if invite:
            with engine.connect() as connection:
                opened = invitations.open_invitation(connection, event.id, invite)
                known = opened is not None and user is None and invitations.has_account(connection, opened.email)
            if opened is not None:  # carried by the registration form; the login link comes back here with it
                context["invite"] = invite
                context["invite_login"] = "/login?next=" + quote(f"/events/{event.id}?invite={invite}", safe="")
                if user is None:  # signed out: make an account with the link, or sign in when there is one
                    context["join"] = {"email": opened.email, "has_account": known}
            else:
                context["error"] = context["error"] or _message(
                    request, core.EventError("this invitation link was used already or is not valid")
                )
        if user is None:
            return render(request, "events_detail.html", context, status=status)
        audience = viewer_of(user)
        with engine.connect() as connection:
            me = core.own_participant(connection, event.id, user.id)
            people = core.visible_participants(connection, event, user)
            names = {p.id: p.name for p in people}
            orgs = core.org_names(connection, {p.org_id for p in people if p.org_id}, audience)
            context.update(mine=me, people=people, orgs=orgs)
            if me is None and event.published:
                offers, seeks = core.prefill(connection, user, lang)
                context["prefill"] = {"offers": offers, "seeks": seeks}
            if me is not None:
                mine = core.requests_of(connection, me)
                for r in mine:  # the counterpart of a request is named even without consent: they are in touch
                    other = r.receiver_id if r.sender_id == me.id else r.sender_id
                    if other not in names:
                        found = core.get_participant(connection, other)
                        names[other] = found.name if found else "?"
                items = core.agenda(connection, event, me)
                # One open request (pending or accepted) per pair, as core.send_request checks: no second offer.
                open_requests = {
                    (r.receiver_id if r.sender_id == me.id else r.sender_id): r.status
                    for r in mine
                    if r.status in ("pending", "accepted")
                }
                context.update(
                    requests=mine,
                    open_requests=open_requests,
                    settled=core.requests_with_outcomes(connection, [r.id for r in mine]),
                    agenda=items,
                    outcomes=core.outcomes_of(connection, me),
                    relations=relations_of(connection, event.id, [i.meeting_id for i in items]),
                    completeness=me.completeness(),
                    now=core.now(),  # the outcome form is offered once a meeting has started
                )
            if organizer:
                overall, by_country, by_area = figures(connection, event.id)
                context.update(
                    all_requests=core.event_requests_list(connection, event.id),
                    figures=overall,
                    by_country=by_country,
                    by_area=by_area,
                    area_names=_technology_names(connection, {f.label for f in by_area}),
                    country_name=country_name,
                    invitations=invitations.invitations(connection, event.id),
                    for_review=core.orgs_for_review(connection, event.id),
                )
                for p in core.participants(connection, event.id):
                    names.setdefault(p.id, p.name)
        context["names"] = names
        if me is not None:
            index = shared_index(request.app, engine)
            asked = {frozenset((r.sender_id, r.receiver_id)) for r in context["requests"] if r.status != "declined"}
            context["suggestions"] = [
                s for s in suggestions(index, me, people, audience) if frozenset((me.id, s.participant.id)) not in asked
            ]
        context["lang"] = lang
        return render(request, "events_detail.html", context, status=status)

    @routes.get("/events/{event_id}", response_class=HTMLResponse)
    def detail(
        request: Request,
        event_id: RowId,
        invite: Annotated[str, Query(max_length=100)] = "",
        name: Annotated[str, Query(max_length=core.MAX_NAME)] = "",
        reminded: Annotated[int | None, Query(ge=0, le=INT32[1])] = None,
    ) -> Response:
        """`name`: the invitee's name given with their new account, prefilled in the registration form;
        `reminded`: how many reminders the organizer's last "remind" sent (shown to organizers)."""
        return page(
            request, _event_or_404(event_id, current_user(request)), invite=invite, join_name=name, reminded=reminded
        )

    @routes.post("/events/{event_id}/join", response_class=HTMLResponse)
    def join(
        request: Request,
        event_id: RowId,
        csrf: Annotated[str, Form()],
        invite: Annotated[str, Form(max_length=100)],
        name: Annotated[str, Form(max_length=core.MAX_NAME)],
        password: Annotated[str, Form(max_length=1000)],
        password_again: Annotated[str, Form(max_length=1000)],
    ) -> Response:
        """An invitee without an account makes a member account with the invitation link (its address, the
        password rules of store/accounts.py), is signed in and lands on the registration form. CSRF (bound to the
        pre-session nonce, as the login's) and the login's rate limits, per client address and per invitation."""
        check_csrf(request, csrf)
        event = _event_or_404(event_id, None)  # a draft: 404, as for any visitor
        if current_user(request) is not None:  # signed in already: the registration form is on the page
            return RedirectResponse(f"/events/{event.id}?invite={quote(invite)}#register", status_code=303)
        with engine.connect() as connection:
            found = invitations.open_invitation(connection, event.id, invite)
            by_address, _ = accounts.login_keys(connection, "", auth.client_address(request))
            # Per invitation, not per e-mail: tries with a link never lock its address out of the login.
            by_invitation = accounts.digest(accounts.site_secret(connection), f"invitation|{found.id if found else 0}")
        keys = (by_address, by_invitation)
        limits = [(by_address, auth.ADDRESS_ATTEMPTS), (by_invitation, auth.LOGIN_ATTEMPTS)]
        t = translator(language(request))
        try:
            with engine.begin() as connection:  # its own write, committed first: concurrent tries see the count
                accounts.reserve_attempts(connection, limits, auth.LOGIN_WINDOW)
        except accounts.RateLimited:
            error = t("Too many failed attempts. Please wait 15 minutes and try again.")
            return page(request, event, error, 429, invite)
        name = name.strip()
        try:
            if not name:
                raise core.EventError("{field}: required", field="name")
            if password != password_again:
                raise core.EventError("the two passwords differ")
            with engine.begin() as connection:
                user = invitations.create_account(connection, event.id, invite, password)
        except core.EventError as error:
            return page(request, event, _message(request, error), 422, invite, name)
        with engine.begin() as connection:
            accounts.clear_attempts(connection, keys[1])
            accounts.refund_attempt(connection, keys[0])
            token = accounts.start_session(connection, user.id)
        target = f"/events/{event.id}?" + urlencode({"invite": invite, "name": name}) + "#register"
        response = RedirectResponse(target, status_code=303)
        auth.set_session_cookie(request, response, token)
        return response

    @routes.post("/events/{event_id}/invitations", response_class=HTMLResponse)
    def invite(
        request: Request,
        event_id: RowId,
        user: Organizer,
        addresses: Annotated[str, Form(max_length=40_000)],
        invite_language: Annotated[str, Form(max_length=8)] = "",
    ) -> Response:
        """One address a line; each gets a registration link in the chosen language (the organizer's by default)."""
        event = _event_or_404(event_id, user)
        lang = invite_language if invite_language in ("en", "ja") else language(request)
        try:
            with engine.begin() as connection:
                made = invitations.invite(connection, event, user, addresses, lang)
        except core.EventError as error:  # the organizer's text stays in the form, to correct the wrong address
            return page(request, event, _message(request, error), 422, addresses=addresses)
        site = _site(request)
        mail.send_invitations(engine, event.id, made, site)
        with engine.connect() as connection:
            unsent = [(i, invitations.get_invitation(connection, i)) for i, _ in made]
        tokens = dict(made)
        links = [
            (f.email, f"{site}/events/{event.id}?invite={tokens[i]}") for i, f in unsent if f and f.status == "unsent"
        ]
        if not links:
            return _back(event, "invitations")
        # No e-mail carried these links, and only their digests are stored: this answer (to the POST, so the tokens
        # are in no address, no log and no history) shows them once, never cached, for the organizer to copy.
        response = page(request, event, unsent_links=links)
        response.headers.update({**NO_STORE, "Referrer-Policy": "no-referrer"})
        return response

    @routes.post("/events/{event_id}/organizations/{org_id}/approve", response_class=HTMLResponse)
    def approve(
        request: Request,
        event_id: RowId,
        org_id: Annotated[str, Path(max_length=200)],
        user: Organizer,
        visibility: Annotated[str, Form(max_length=16)] = "public",
    ) -> Response:
        event = _event_or_404(event_id, user)
        done = _write(
            request, event, lambda connection: core.approve_org(connection, event.id, org_id, user, visibility)
        )
        return done if isinstance(done, Response) else _back(event, "review")

    @routes.post("/events/{event_id}/meetings/{meeting_id}/link", response_class=HTMLResponse)
    def meeting_link(
        request: Request,
        event_id: RowId,
        meeting_id: RowId,
        user: AnyUser,
        link: Annotated[str, Form(max_length=core.MAX_LINK + 100)] = "",
    ) -> Response:
        event = _event_or_404(event_id, user)
        me = _me(event, user)
        done = _write(request, event, lambda connection: core.set_link(connection, event, meeting_id, me, link))
        return done if isinstance(done, Response) else _back(event, "agenda")

    @routes.post("/events/{event_id}/remind", response_class=HTMLResponse)
    def remind(request: Request, event_id: RowId, user: Organizer) -> Response:
        """E-mails every participant whose profile is incomplete (events/mail.py), naming what is missing in their
        language; the page then says how many reminders went (none when e-mail is off)."""
        event = _event_or_404(event_id, user)
        with engine.connect() as connection:
            incomplete = [(p, p.completeness()) for p in core.participants(connection, event.id)]
        notices = []
        for p, (done, missing) in incomplete:
            if missing:
                t, comma = translator(p.language), "、" if p.language == "ja" else ", "
                notices.append(mail.Notice(p.id, "remind", missing=comma.join(t(m) for m in missing), done=done))
        sent = 0
        if notices and SmtpSettings.from_env() is not None:
            sent = len(notices) - len(mail.send(engine, event.id, notices, _site(request)))
        return RedirectResponse(f"/events/{event_id}?reminded={sent}#all-participants", status_code=303)

    @routes.post("/events/{event_id}/publish")
    def publish(event_id: RowId, user: Organizer, published: Annotated[bool, Form()] = False) -> Response:
        event = _event_or_404(event_id, user)
        with engine.begin() as connection:
            core.set_published(connection, event.id, published)
        return RedirectResponse(f"/events/{event_id}", status_code=303)

    @routes.post("/events/{event_id}/register", response_class=HTMLResponse)
    def register(
        request: Request,
        event_id: RowId,
        user: AnyUser,
        name: Annotated[str, Form(max_length=300)],
        offers: Text = "",
        seeks: Text = "",
        consent: Annotated[bool, Form()] = False,
        max_meetings: Annotated[int | None, Form(ge=1, le=1000)] = None,
        unavailable: Annotated[list[int] | None, Form()] = None,
        invite: Annotated[str, Form(max_length=100)] = "",
        new_org: Annotated[bool, Form()] = False,
        org_name_en: Annotated[str, Form(max_length=300)] = "",
        org_name_ja: Annotated[str, Form(max_length=300)] = "",
        org_country: Annotated[str, Form(max_length=10)] = "",
        org_kind: Annotated[str, Form(max_length=32)] = "company",
    ) -> Response:
        event = _event_or_404(event_id, user)
        organization = core.NewOrganization(org_name_en, org_name_ja, org_country, org_kind) if new_org else None
        try:
            with engine.begin() as connection:
                new = core.own_participant(connection, event.id, user.id) is None
                pid = core.register(
                    connection,
                    event,
                    user,
                    name,
                    offers,
                    seeks,
                    consent,
                    max_meetings,
                    unavailable or [],
                    language(request),
                    organization,
                )
                if invite:  # in the same transaction: a used token undoes the registration
                    invitations.use_token(connection, event.id, invite, pid)
        except core.EventError as error:
            return page(request, event, _message(request, error), 422, invite)
        if new:
            mail.send(engine, event.id, [mail.Notice(pid, "registered")], _site(request))
        return RedirectResponse(f"/events/{event_id}", status_code=303)

    @routes.post("/events/{event_id}/requests", response_class=HTMLResponse)
    def send_request(
        request: Request,
        event_id: RowId,
        user: AnyUser,
        receiver: Annotated[int, Form()],
        priority: Annotated[int, Form()] = 1,
        message: Text = "",
    ) -> Response:
        event = _event_or_404(event_id, user)
        me = _me(event, user)
        sent = _write(
            request, event, lambda connection: core.send_request(connection, event, me, receiver, priority, message)
        )
        if isinstance(sent, Response):
            return sent
        mail.send(engine, event.id, [mail.Notice(receiver, "request", me.name)], _site(request))
        return _back(event, "requests")

    @routes.post("/events/{event_id}/requests/{request_id}", response_class=HTMLResponse)
    def answer(
        request: Request,
        event_id: RowId,
        request_id: RowId,
        user: AnyUser,
        action: Annotated[str, Form(max_length=16)],
    ) -> Response:
        event = _event_or_404(event_id, user)
        me = _me(event, user)
        if action not in ("accept", "decline", "cancel"):
            raise HTTPException(422, "action: accept, decline or cancel")
        found = _write(
            request, event, lambda connection: core.answer_request(connection, request_id, me, action == "accept")
        )
        if isinstance(found, Response):
            return found
        if me.id == found.receiver_id and action in ("accept", "decline"):
            kind = "accepted" if action == "accept" else "declined"
            mail.send(engine, event.id, [mail.Notice(found.sender_id, kind, me.name)], _site(request))
        return _back(event, "requests")

    @routes.post("/events/{event_id}/schedule", response_class=HTMLResponse)
    def schedule(request: Request, event_id: RowId, user: Organizer) -> Response:
        event = _event_or_404(event_id, user)
        try:
            planned = schedule_event(engine, event.id, time_limit=SCHEDULE_SECONDS)
        except (core.EventError, ScheduleError) as error:
            return page(request, event, _message(request, error), 422)
        notices = [mail.Notice(pid, "agenda") for pid in sorted(planned.changed_participants)]
        mail.send(engine, event.id, notices, _site(request))
        return RedirectResponse(f"/events/{event_id}#schedule", status_code=303)

    @routes.post("/events/{event_id}/outcomes/{meeting_id}", response_class=HTMLResponse)
    def outcome(
        request: Request,
        event_id: RowId,
        meeting_id: RowId,
        user: AnyUser,
        outcome: Annotated[str, Form(max_length=16)] = "none",
        kept: Annotated[bool, Form()] = False,
        second: Annotated[bool, Form()] = False,
        note: Text = "",
        public: Annotated[bool, Form()] = False,
    ) -> Response:
        event = _event_or_404(event_id, user)
        me = _me(event, user)
        done = _write(
            request,
            event,
            lambda connection: core.record_outcome(connection, meeting_id, me, kept, outcome, second, note, public),
        )
        return done if isinstance(done, Response) else _back(event, "agenda")

    @routes.get("/events/{event_id}/agenda", response_class=HTMLResponse)
    def agenda_page(request: Request, event_id: RowId, user: AnyUser) -> Response:
        """Print-ready: the browser's print (or save as PDF) gives the paper agenda."""
        event = _event_or_404(event_id, user)
        me = _me(event, user)
        with engine.connect() as connection:
            items = core.agenda(connection, event, me)
        return render(request, "events_agenda.html", {"event": event, "mine": me, "agenda": items})

    @routes.get("/events/{event_id}/agenda.ics")
    def agenda_ics(request: Request, event_id: RowId, user: AnyUser) -> Response:
        event = _event_or_404(event_id, user)
        me = _me(event, user)
        with engine.connect() as connection:
            items = core.agenda(connection, event, me)
        headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="agenda-{event.id}.ics"'}
        body = ics(event, items, language(request), request.url.hostname or "fusionatlas")
        return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)

    @routes.get("/events/{event_id}/figures.csv")
    def figures_csv(event_id: RowId, user: Organizer) -> Response:
        event = _event_or_404(event_id, user)
        with engine.connect() as connection:
            overall, by_country, by_area = figures(connection, event.id)
        buffer = io.StringIO()
        rows = [{"group": "all"} | overall.as_dict() | {"label": "all"}]
        rows += [{"group": "country"} | f.as_dict() for f in by_country]
        rows += [{"group": "technology_area"} | f.as_dict() for f in by_area]
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="event-{event.id}-figures.csv"'}
        return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)

    @routes.get("/events/{event_id}/figures.xlsx")
    def figures_xlsx(request: Request, event_id: RowId, user: Organizer) -> Response:
        """The figures for people (web/exports.py `workbook_bytes`): headings and groups in the page's language,
        countries and technology areas by name, shares as percentages, an about sheet naming the event."""
        event = _event_or_404(event_id, user)
        lang = language(request)
        t = translator(lang)
        with engine.connect() as connection:
            overall, by_country, by_area = figures(connection, event.id)
            areas = _technology_names(connection, {f.label for f in by_area})

        def area(label: str) -> str:
            english, japanese = areas.get(label, (label, None))
            return (japanese or english) if lang == "ja" else english

        rows: list[Sequence[Any]] = [["all", t("All"), *_counts(overall)]]
        rows += [["country", country_name(f.label, lang) or f.label, *_counts(f)] for f in by_country]
        rows += [["technology_area", area(f.label), *_counts(f)] for f in by_area]
        last_day = event.first_day + timedelta(days=event.days - 1)
        about = [
            (t("Event"), event.name(lang)),
            (t("Dates"), f"{event.first_day:%Y-%m-%d} – {last_day:%Y-%m-%d}"),
            (t("Figures as of"), datetime.now(ZoneInfo(event.time_zone)).strftime("%Y-%m-%d %H:%M %Z")),
        ]
        body = workbook_bytes(
            request, FIGURES_WHAT, FIGURES_COLUMNS, rows, t("Figures"), about=about, formats=FIGURES_FORMATS
        )
        headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="event-{event.id}-figures.xlsx"'}
        return Response(body, media_type=XLSX, headers=headers)

    @routes.get("/api/events/{event_id}/schedule")
    def api_schedule(event_id: RowId, user: Organizer) -> dict[str, Any]:
        """Every meeting of the event (organizers), with the last run's objective, bound and gap."""
        event = _event_or_404(event_id, user)
        with engine.connect() as connection:
            people = {p.id: p for p in core.participants(connection, event.id)}
            meetings = []
            for p in people.values():
                for item in core.agenda(connection, event, p):
                    if p.id < item.counterpart.id:
                        meetings.append(
                            {"a": p.id, "b": item.counterpart.id, "slot": item.slot, "start": item.start.isoformat()}
                            | {"table": item.table, "priority": item.priority}
                        )
        return {
            "event": event.id,
            "meetings": sorted(meetings, key=lambda m: (m["slot"], m["table"])),
            "report": event.schedule_report,
        }

    @routes.get("/api/events/{event_id}/agenda")
    def api_agenda(event_id: RowId, user: AnyUser) -> dict[str, Any]:
        """The signed-in participant's own meetings."""
        event = _event_or_404(event_id, user)
        me = _me(event, user)
        with engine.connect() as connection:
            items = core.agenda(connection, event, me)
        return {
            "event": event.id,
            "time_zone": event.time_zone,
            "meetings": [
                {"slot": i.slot, "start": i.start.isoformat(), "end": i.end.isoformat(), "table": i.table}
                | {"with": i.counterpart.name, "priority": i.priority, "link": i.link}
                for i in items
            ],
        }

    return routes
