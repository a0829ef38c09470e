"""Watches: the inbox of new and changed needs and capabilities (/watch), saving and removing watches,
e-mail settings, the per-user Atom feed at a secret URL (/feeds/SECRET.atom) and the signed unsubscribe
link of the digest e-mails (/watch/unsubscribe). What matches and what is news: store/watch.py.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine, select

from fusionatlas.domain.audience import Audience
from fusionatlas.domain.messages import in_language
from fusionatlas.store import accounts
from fusionatlas.store import watch as store
from fusionatlas.store.accounts import User
from fusionatlas.store.schema import TABLES_BY_NAME
from fusionatlas.store.visibility import where_visible
from fusionatlas.watch.feed import atom
from fusionatlas.web.auth import require_user, viewer_of
from fusionatlas.web.i18n import language, translator
from fusionatlas.web.render import render

AnyUser = Annotated[User, Depends(require_user())]
Signature = Annotated[str, Query(min_length=1, max_length=100)]
KINDS = {"text": "Search", "technology": "Technology", "buyer": "Buyer"}  # as a heading names them (translated)
STATES = {"new": "New", "changed": "Changed"}  # of an inbox entry; translated in accounts.po
RECORDS = {"needs": "Need", "capabilities": "Capability"}  # what an inbox entry is
NO_STORE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}


def _t(request: Request, text: str) -> str:
    return translator(language(request))(text)


# The store's problems with a watch (store/watch.py), as the page says them: (pattern, English text in watch
# forms' words, translated in accounts.po).
WATCH_PROBLEMS = [
    (r"value: empty", "Type the text to search for."),
    (r"value: longer than (?P<n>\d+) characters", "The search text is longer than %(n)s characters."),
    (r"value: holds a control character", "The search text holds a control character."),
    (r"value: no technology .*", "There is no such technology."),
    (r"value: no organization .*", "There is no such organization."),
    (r"at most (?P<n>\d+) watches per user", "At most %(n)s watches per user."),
]


def watch_problem(error: Exception, lang: str) -> str:
    """A watch that cannot be saved: why, in the page's language."""
    text = str(error)
    for pattern, message in WATCH_PROBLEMS:
        found = re.fullmatch(pattern, text)
        if found:
            return translator(lang)(message) % found.groupdict()
    return in_language(text, lang)


def _choices(engine: Engine, audience: Audience) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """The technologies and the organizations (that the user may see) a watch may name: (id, English, Japanese)."""
    techs, orgs = TABLES_BY_NAME["technologies"], TABLES_BY_NAME["organizations"]
    with engine.connect() as connection:
        technologies = connection.execute(select(techs.c.id, techs.c.name_en, techs.c.name_ja).order_by(techs.c.id))
        query = select(orgs.c.id, orgs.c.name_en, orgs.c.name_ja).order_by(orgs.c.id)
        organizations = connection.execute(where_visible(query, audience, "organizations"))
        return [(r[0], r[1], r[2]) for r in technologies], [(r[0], r[1], r[2]) for r in organizations]


def router(engine: Engine) -> APIRouter:
    routes = APIRouter()

    def inbox(
        request: Request, user: User, feed_secret: str | None = None, error: str | None = None, status: int = 200
    ) -> HTMLResponse:
        audience = viewer_of(user)
        store.look(engine, user.id, audience)
        with engine.connect() as connection:
            found = store.news(connection, user.id)
            mine = store.list_watches(connection, user.id)
            settings = store.settings(connection, user.id)
        technologies, organizations = _choices(engine, audience)
        lang = language(request)
        feed_url = f"{str(request.base_url).rstrip('/')}/feeds/{feed_secret}.atom" if feed_secret else None
        context = {
            "user": user,
            "news": found,
            "watches": mine,
            "settings": settings,
            "feed_url": feed_url,
            "technologies": technologies,
            "organizations": organizations,
            "error": error,
            "KINDS": KINDS,
            "STATES": STATES,
            "RECORDS": RECORDS,
            # A watch names a technology or a buyer by id: the page shows its name.
            "watched_names": {
                "technology": {i: (ja or en) if lang == "ja" else en for i, en, ja in technologies},
                "buyer": {i: (ja or en) if lang == "ja" else en for i, en, ja in organizations},
            },
        }
        return render(request, "watch.html", context, status=status)

    @routes.get("/watch", response_class=HTMLResponse)
    def watch_page(request: Request, user: AnyUser) -> Response:
        return inbox(request, user)

    @routes.post("/watch", response_class=HTMLResponse)
    def add_watch(
        request: Request,
        user: AnyUser,
        kind: Annotated[str, Form(max_length=16)],
        value: Annotated[str, Form(max_length=store.MAX_VALUE + 50)] = "",
    ) -> Response:
        try:
            with engine.begin() as connection:
                store.add_watch(connection, user.id, kind, value, viewer_of(user))
        except store.WatchError as error:
            message = _t(request, "This watch cannot be saved:") + " " + watch_problem(error, language(request))
            return inbox(request, user, error=message, status=422)
        return RedirectResponse("/watch", status_code=303)

    @routes.post("/watch/{watch_id}/delete")
    def delete_watch(watch_id: int, user: AnyUser) -> Response:
        try:
            with engine.begin() as connection:
                store.delete_watch(connection, user.id, watch_id)
        except store.WatchError:
            raise HTTPException(404) from None
        return RedirectResponse("/watch", status_code=303)

    @routes.post("/watch/{watch_id}/email")
    def watch_email(watch_id: int, user: AnyUser, on: Annotated[bool, Form()] = False) -> Response:
        with engine.begin() as connection:
            found = store.get_watch(connection, watch_id)
            if found is None or found.user_id != user.id:
                raise HTTPException(404)
            store.set_watch_email(connection, watch_id, on)
        return RedirectResponse("/watch", status_code=303)

    @routes.post("/watch/settings")
    def watch_settings(
        user: AnyUser,
        email: Annotated[bool, Form()] = False,
        lang: Annotated[str, Form(max_length=8)] = "",
    ) -> Response:
        if lang not in ("", *store.LANGUAGES):
            raise HTTPException(422, "lang: en, ja or empty")
        with engine.begin() as connection:
            store.update_settings(connection, user.id, email=email, language=lang or None)
        return RedirectResponse("/watch", status_code=303)

    @routes.post("/watch/feed", response_class=HTMLResponse)
    def rotate_feed(request: Request, user: AnyUser) -> Response:
        with engine.begin() as connection:
            secret = store.rotate_feed(connection, user.id)
        # The URL is shown this once; only its digest is stored.
        return inbox(request, user, feed_secret=secret)

    @routes.get("/feeds/{secret}.atom")
    def feed(request: Request, secret: str) -> Response:
        if len(secret) > 100:
            raise HTTPException(404)
        with engine.connect() as connection:
            user_id = store.feed_user(connection, secret)
            user = accounts.get_user(connection, user_id) if user_id is not None else None
        if user is None or not user.active:
            raise HTTPException(404)
        store.look(engine, user.id, viewer_of(user))
        with engine.connect() as connection:
            found = store.news(connection, user.id, limit=100)
            lang = store.settings(connection, user.id).language
        base = str(request.base_url).rstrip("/")
        body = atom(found, base, f"{base}/feeds/{secret}.atom", lang)
        return Response(body, media_type="application/atom+xml; charset=utf-8", headers=NO_STORE)

    def _unsubscribe_target(user: int, watch: int | None) -> dict[str, object]:
        return {"user_id": user, "watch_id": watch}

    @routes.get("/watch/unsubscribe", response_class=HTMLResponse)
    def unsubscribe_page(
        request: Request,
        user: Annotated[int, Query(ge=1)],
        sig: Signature,
        watch: Annotated[int | None, Query(ge=1)] = None,
    ) -> Response:
        """Asks first: mail scanners that open links must not turn e-mail off."""
        with engine.connect() as connection:
            valid = store.valid_unsubscribe(connection, user, watch, sig)
        if not valid:
            raise HTTPException(404)
        context = {"target": _unsubscribe_target(user, watch), "sig": sig, "done": False}
        return render(request, "watch_unsubscribe.html", context)

    @routes.post("/watch/unsubscribe", response_class=HTMLResponse)
    def unsubscribe(
        request: Request,
        user: Annotated[int, Query(ge=1)],
        sig: Signature,
        watch: Annotated[int | None, Query(ge=1)] = None,
    ) -> Response:
        """Turns e-mail off (also RFC 8058's one-click POST from a mail client): the signature is the proof."""
        with engine.begin() as connection:
            done = store.unsubscribe(connection, user, watch, sig)
        if not done:
            raise HTTPException(404)
        context = {"target": _unsubscribe_target(user, watch), "sig": sig, "done": True}
        return render(request, "watch_unsubscribe.html", context)

    return routes
