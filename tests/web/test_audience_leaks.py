"""No audience sees, counts or scores a record it may not see: on any GET route, page or download.

One atlas holds records of every visibility owned by organizations of every visibility
(tests/audience_atlas.py). Each audience walks every GET route of the app: the JSON API's operations
from /openapi.json with every record id and every marker word, and every page and download reachable
by links and search forms from the home page, every record's page and searches for the marker words.

The checks, each per audience:
- no response shows the marker word or the id of a record the audience may not see;
- each restricted audience gets, from the full atlas, the very same answers (status and body, after
  masking CSRF tokens, timestamps and data-version tokens) as from an atlas built with only the records
  it may see: a hidden record moves no count, total, score or ranking;
- no answer of the walk is a server error, the audience finds what it may see (the walk was made as
  that audience), and the walks reach every GET route of the app.
Then the regression cases of the trust issue by name, on SQLite and on PostgreSQL (docs/testing.md).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import text

from fusionatlas.dataset.package import load_package
from fusionatlas.store import accounts, saved_scenarios
from fusionatlas.web.app import create_app
from tests import audience_atlas as aa
from tests.audience_atlas import ATLAS, Audience, Rec, Reply
from tests.conftest import PG_SERVER

BACKGROUND_IDS = (
    "org:fujikura",
    "org:qst",
    "org:iter-organization",
    "tech:magnet",
    "tech:magnet.hts",
    "tech:hcd",
    "tech:hcd.gyrotron",
)
# The searches for a public capability of the private organization P: compared although they search a marker.
P_PUBLIC_CAPABILITY = ATLAS.record("capabilities", "prv", "public")
ALWAYS_COMPARED = {
    "/api/search?" + urlencode({"q": P_PUBLIC_CAPABILITY.marker}),
    "/?" + urlencode({"q": P_PUBLIC_CAPABILITY.marker}),
}
KEEP_FOR = {
    "anonymous": aa.ANONYMOUS,
    "member": aa.MEMBER,
    "member-of-P": aa.MEMBER_P,
    "token-of-P": aa.MEMBER_P,
    "member-of-Q": aa.MEMBER_Q,
    "token-of-Q": aa.MEMBER_Q,
}


@dataclass
class Build:
    """One app over one atlas, with a way in for each user."""

    app: FastAPI
    sessions: dict[str, str]  # email -> session cookie
    tokens: dict[str, str]  # email -> API token

    def client(self, audience: Audience) -> tuple[TestClient, dict[str, str]]:
        # A server error is an answer to record (and to report), not an exception that ends the walk.
        client = TestClient(self.app, raise_server_exceptions=False)
        headers: dict[str, str] = {}
        if audience.email and audience.token:
            headers["Authorization"] = f"Bearer {self.tokens[audience.email]}"
        elif audience.email:
            client.cookies.set("fa_session", self.sessions[audience.email])
        return client, headers


def build(url: str, folder: Path, keep: Callable[[Rec], bool]) -> Build:
    app = create_app(url)
    load_package(app.state.engine, aa.write_atlas(folder, ATLAS, keep))
    aa.plant_script_urls(app.state.engine)
    present = {r.id for r in ATLAS.records if keep(r)}
    sessions, tokens = {}, {}
    with app.state.engine.begin() as connection:
        for audience in aa.USERS:
            assert audience.email and audience.role
            org = audience.org if audience.org in present else None
            user = accounts.create_user(connection, audience.email, aa.PASSWORD, audience.role, org)
            sessions[audience.email] = accounts.start_session(connection, user.id)
            tokens[audience.email] = accounts.create_token(connection, user.id, "leak test")[1]
            # The user's saved scenarios that this build keeps, under the same ids in every build.
            for record in ATLAS.records:
                if record.table == aa.SAVED and record.user == audience.email and keep(record):
                    yaml, number = record.row["yaml"], record.row["number"]
                    saved_scenarios.save(connection, user, yaml, record.own, saved_id=number)
    return Build(app, sessions, tokens)


@dataclass
class World:
    """The full atlas, each audience's walk of it, and each restricted audience's answers from its own atlas."""

    database: str
    walks: dict[str, dict[str, Reply]]
    baselines: dict[str, dict[str, Reply]]
    full: Build


def _database_urls(request: pytest.FixtureRequest, tmp: Path) -> Iterator[Callable[[str], str]]:
    if request.param == "sqlite":
        yield lambda name: f"sqlite:///{tmp / name}.db"
        return
    admin = request.getfixturevalue("pg_admin")
    made: list[str] = []

    def pg(name: str) -> str:
        database = f"fusionatlas_leak_{name.replace('-', '_')}_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
        made.append(database)
        return PG_SERVER.rsplit("/", 1)[0] + f"/{database}"

    yield pg
    with admin.connect() as connection:
        for database in made:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp(f"leaks-{request.param}")
    urls = _database_urls(request, tmp)
    url_of = next(urls)
    builds: list[Build] = []
    try:
        full = build(url_of("full"), tmp / "full", lambda r: True)
        builds.append(full)
        probe, _ = full.client(aa.ANONYMOUS)
        api = aa.api_urls(probe.get("/openapi.json").json(), ATLAS, BACKGROUND_IDS)
        pages = aa.page_seeds(ATLAS, BACKGROUND_IDS)
        walks: dict[str, dict[str, Reply]] = {}
        for audience in aa.AUDIENCES:  # the most privileged first: a cache shared across audiences shows
            client, headers = full.client(audience)
            # Editors may see everything: their walk of the API only shows that they do (and warms caches).
            api_only = audience.token or audience.role == "editor"
            walks[audience.name] = aa.walk(client, headers, api, [] if api_only else pages)
        baselines: dict[str, dict[str, Reply]] = {}
        own_builds: dict[str, Build] = {}
        for audience in aa.RESTRICTED:
            keeper = KEEP_FOR[audience.name]
            if keeper.name not in own_builds:
                own_builds[keeper.name] = build(url_of(keeper.name), tmp / keeper.name, keeper.sees)
                builds.append(own_builds[keeper.name])
            client, headers = own_builds[keeper.name].client(audience)
            compared = [u for u in walks[audience.name] if aa.comparable(u) or u in ALWAYS_COMPARED]
            baselines[audience.name] = aa.refetch(client, headers, compared)
        yield World(request.param, walks, baselines, full)
    finally:
        for made in builds:
            made.app.state.engine.dispose()
        next(urls, None)


def _hidden_words(audience: Audience) -> dict[str, Rec]:
    """Every word that shows a hidden record: its marker and the unique tail of its id."""
    words: dict[str, Rec] = {}
    for record in ATLAS.hidden_from(audience):
        words[record.marker] = record
        words[record.tail] = record
    return words


def _describe(record: Rec) -> str:
    return f"{record.table} {record.id} ({record.own}, owner {record.owner} {record.owner_visibility})"


def _report(title: str, problems: list[str], limit: int = 60) -> str:
    shown = "\n  ".join(problems[:limit])
    more = f"\n  ... and {len(problems) - limit} more" if len(problems) > limit else ""
    return f"{title}: {len(problems)}\n  {shown}{more}"


def leaks(audience: Audience, replies: dict[str, Reply]) -> list[str]:
    """'route: what leaked' for every response that shows a record hidden from the audience."""
    words = _hidden_words(audience)
    pattern = re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)), re.IGNORECASE)
    found: list[str] = []
    for url, reply in replies.items():
        asked = unquote(url).lower()
        shown = {m.group(0).lower() for m in pattern.finditer(reply.text)} - {w for w in words if w in asked}
        records = sorted({_describe(words[w]) for w in shown})
        if records:
            found.append(f"{url} [{reply.status}] shows {'; '.join(records)}")
    return found


def _first_difference(a: str, b: str) -> str:
    for n, (left, right) in enumerate(zip(a.splitlines(), b.splitlines(), strict=False)):
        if left != right:
            return f"line {n + 1}: full {left.strip()[:160]!r} / own {right.strip()[:160]!r}"
    return f"lengths {len(a)} / {len(b)}"


def differences(full: dict[str, Reply], own: dict[str, Reply]) -> list[str]:
    """What differs between the answers to each url `own` has (the full atlas's and the audience's own atlas's)."""
    found = []
    for url, other in own.items():
        reply = full[url]
        if reply.status != other.status:
            found.append(f"{url}: status {reply.status} with hidden records, {other.status} without")
            continue
        left, right = aa.mask(reply.text, reply.content_type), aa.mask(other.text, other.content_type)
        if left != right:
            found.append(f"{url}: {_first_difference(left, right)}")
    return found


RESTRICTED = [pytest.param(a, id=a.name) for a in aa.RESTRICTED]
EVERYONE = [pytest.param(a, id=a.name) for a in aa.AUDIENCES]


@pytest.mark.parametrize("audience", RESTRICTED)
def test_no_response_shows_a_hidden_record(world: World, audience: Audience) -> None:
    found = leaks(audience, world.walks[audience.name])
    assert not found, _report(f"{audience.name} on {world.database}: responses showing hidden records", found)


@pytest.mark.parametrize("audience", EVERYONE)
def test_no_route_fails_on_the_walk(world: World, audience: Audience) -> None:
    """A server error would hide a leak from both checks (it answers the same with or without hidden records)."""
    failed = [f"{url} [{reply.status}]" for url, reply in world.walks[audience.name].items() if reply.status >= 500]
    assert not failed, _report(f"{audience.name} on {world.database}: server errors", failed)


def _get_routes(routes: Iterable[Any]) -> Iterator[APIRoute]:
    """Every GET route, including those of routers added with `include_router` (FastAPI keeps them in an
    included-router object whose own path is empty: reading `app.routes` alone would miss every page)."""
    for route in routes:
        if isinstance(route, APIRoute):
            if "GET" in route.methods:
                yield route
        elif hasattr(route, "original_router"):
            yield from _get_routes(route.original_router.routes)


def _route_of(app: FastAPI, url: str) -> str | None:
    path = unquote(url.split("?", 1)[0])
    for route in _get_routes(app.routes):
        if route.path_regex.match(path):
            return route.path
    return None


# GET routes no restricted audience's walk reaches, and why.
NOT_WALKED = {
    "/openapi.json": "the walk reads it to find the API's operations",
    "/admin/users": "editors and admins only",
    "/admin/audit": "editors and admins only",
    "/admin/import": "editors and admins only",
    "/review": "editors and admins only",
    "/edit/organizations/{org_id}": "editors and admins only",
    "/feeds/{secret}.atom": "a secret address no page links to; tests/web/test_watch.py checks its user's sight",
    "/watch/unsubscribe": "a signed link sent only by e-mail; tests/web/test_watch.py and tests/watch",
    "/api/admin/audit": "editors and admins only",
    "/api/submissions": "a signed-in user's own submissions (API token with its scope); tests/web/test_accounts.py",
    "/gaps/portfolio": "only redirects a GET to /gaps (the form posts there); tests/web/test_portfolio_editor.py",
    "/scenarios/run": "only redirects a GET to /scenarios; tests/web/test_scenarios_pages.py",
    "/scenarios/save": "only redirects a GET to /scenarios; tests/web/test_scenarios_pages.py",
    "/api/scenarios/{sid}": "the run /scenarios/{sid} shows, which the walk reaches; scenario ids are bundled YAML",
    # Events are not atlas records: the audience atlas holds none. tests/web/test_events.py checks who sees
    # what on each of these (public part, participants with consent, organizers).
    "/events/{event_id}": "no event in the audience atlas; tests/web/test_events.py",
    "/events/{event_id}/agenda": "no event in the audience atlas; tests/web/test_events.py",
    "/events/{event_id}/agenda.ics": "no event in the audience atlas; tests/web/test_events.py",
    "/events/{event_id}/figures.csv": "no event in the audience atlas; tests/web/test_events.py",
    "/events/{event_id}/figures.xlsx": "no event in the audience atlas; tests/web/test_events.py",
    "/api/events/{event_id}/agenda": "no event in the audience atlas; tests/web/test_events.py",
    "/api/events/{event_id}/schedule": "no event in the audience atlas; tests/web/test_events.py",
}


def test_the_walk_reaches_every_get_route(world: World) -> None:
    """Every GET route of the app is walked by some restricted audience: a new route cannot dodge the test."""
    app = world.full.app
    reached = {
        _route_of(app, url)
        for audience in aa.RESTRICTED
        for url, r in world.walks[audience.name].items()
        if r.status < 400
    }
    routes = {r.path for r in _get_routes(app.routes)}
    assert "/needs/{need_id}" in routes  # the pages' routers are counted
    missing = sorted(routes - reached - set(NOT_WALKED))
    assert not missing, f"GET routes no audience's walk reached with a 2xx/3xx answer: {missing}"


@pytest.mark.parametrize("audience", RESTRICTED)
def test_hidden_records_move_nothing(world: World, audience: Audience) -> None:
    """The full atlas answers exactly as an atlas of only what the audience may see: no count, score or total moves."""
    found = differences(world.walks[audience.name], world.baselines[audience.name])
    assert not found, _report(f"{audience.name} on {world.database}: answers moved by hidden records", found)


@pytest.mark.parametrize("audience", EVERYONE)
def test_each_audience_finds_what_it_may_see(world: World, audience: Audience) -> None:
    """The walk was made as this audience, and the audience does find the records it may see (no vacuous pass)."""
    replies = world.walks[audience.name]
    me = replies["/api/me"]
    if audience.email:
        assert me.status == 200 and audience.email in me.text, me.text
    else:
        assert me.status == 401
    missing = []
    for record in ATLAS.visible_to(audience):
        if record.table == aa.SAVED:
            # Not searchable: its page, linked from /scenarios, is what the audience must reach.
            page = f"/scenarios/saved/{record.row['number']}"
            if (
                not audience.token
                and audience.role != "editor"
                and replies.get(page, Reply("", 0, "", "")).status != 200
            ):
                missing.append(_describe(record) + f" (its page {page})")
            continue
        reply = replies["/api/search?" + urlencode({"q": record.marker})]
        assert reply.status == 200, reply.text
        if record.id not in reply.text:
            missing.append(_describe(record))
    assert not missing, _report(f"{audience.name}: records it may see that /api/search does not find", missing)
    assert bool(ATLAS.hidden_from(audience)) == (audience.role != "editor")


# --- the regression cases of the trust issue, by name ----------------------------------------------

OUTSIDERS = [pytest.param(a, id=a.name) for a in (aa.ANONYMOUS, aa.MEMBER, aa.MEMBER_Q, aa.TOKEN_Q)]


def _same_as_own_atlas(world: World, audience: Audience, url: str) -> list[str]:
    full, own = world.walks[audience.name], world.baselines[audience.name]
    assert url in full and url in own, f"the walk did not reach {url}"
    return differences({url: full[url]}, {url: own[url]}) + leaks(audience, {url: full[url]})


@pytest.mark.parametrize("audience", OUTSIDERS)
def test_public_capability_of_a_private_organization_is_not_found(world: World, audience: Audience) -> None:
    assert P_PUBLIC_CAPABILITY.effective == "private"
    urls = ["/api/search?" + urlencode({"q": P_PUBLIC_CAPABILITY.marker})]
    if not audience.token:
        urls.append("/?" + urlencode({"q": P_PUBLIC_CAPABILITY.marker}))
    problems = [p for url in urls for p in _same_as_own_atlas(world, audience, url)]
    assert not problems, _report(f"{audience.name}: P's public capability", problems)


@pytest.mark.parametrize("audience", RESTRICTED)
def test_stats_and_home_page_count_only_what_the_audience_may_see(world: World, audience: Audience) -> None:
    urls = ["/api/stats"] + ([] if audience.token else ["/", "/landscape", "/technologies"])
    problems = [p for url in urls for p in _same_as_own_atlas(world, audience, url)]
    assert not problems, _report(f"{audience.name}: counts", problems)


@pytest.mark.parametrize("audience", RESTRICTED)
def test_opportunities_do_not_count_hidden_capabilities(world: World, audience: Audience) -> None:
    visible_orgs = [r.id for r in ATLAS.visible_to(audience) if r.table == "organizations"]
    urls = [f"/api/organizations/{org}/opportunities" for org in [*visible_orgs, "org:fujikura"]]
    if not audience.token:
        urls += [f"/organizations/{org}" for org in visible_orgs]
    # Opportunities for a company's seeds given as text, where the API has them.
    urls += [u for u in world.walks[audience.name] if u.startswith("/api/opportunities?") and "top=100" in u]
    problems = [p for url in urls for p in _same_as_own_atlas(world, audience, url)]
    assert not problems, _report(f"{audience.name}: opportunities", problems)


@pytest.mark.parametrize("audience", RESTRICTED)
def test_match_scores_ignore_hidden_records_words(world: World, audience: Audience) -> None:
    urls = ["/api/match?" + urlencode({"q": word, "top": "100"}) for word in aa.FORM_WORDS]
    problems = [p for url in urls for p in _same_as_own_atlas(world, audience, url)]
    assert not problems, _report(f"{audience.name}: match scores", problems)


_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")


def _runs_script(value: str) -> bool:
    # Browsers drop tabs, newlines and leading control characters and spaces from a URL before reading its scheme.
    cleaned = re.sub(r"[\t\n\r]", "", value).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f ").lower()
    return cleaned.startswith(_SCRIPT_SCHEMES)


SCRIPT_PAGES = (
    "/landscape/programmes",
    "/landscape/facilities",
    "/landscape/timeline",
    "/landscape/regulation",
    "/landscape/investments",
    f"/organizations/{ATLAS.org_ids['pub']}",
)


@pytest.mark.parametrize("audience", [pytest.param(a, id=a.name) for a in (aa.ANONYMOUS, aa.MEMBER_P)])
def test_a_script_url_is_never_a_link(world: World, audience: Audience) -> None:
    """Sources (and a website) with javascript:, data: urls are shown as text, never as href or src."""
    replies = world.walks[audience.name]
    for page in SCRIPT_PAGES:
        assert replies[page].status == 200, page
        assert "Script source" in replies[page].text or "alert(" in replies[page].text, (
            f"{page} does not show the script sources at all: the check would prove nothing there"
        )
    made: dict[str, set[str]] = {}
    for url, reply in replies.items():
        for tag, attribute, value in reply.hrefs:
            if _runs_script(value):
                made.setdefault(url.split("?", 1)[0], set()).add(f"<{tag} {attribute}={value!r}>")
    links = [f"{path} (and its variants): {', '.join(sorted(tags))}" for path, tags in sorted(made.items())]
    assert not links, _report(f"{audience.name}: script urls made links", links)


@pytest.mark.parametrize("path", ["/api/search", "/api/match"])
def test_a_nul_byte_in_a_query_is_refused_not_a_crash(world: World, path: str) -> None:
    client, headers = world.full.client(aa.ANONYMOUS)
    for query in ("a\x00b", "\x00", "gyrotron\x00window"):
        response = client.get(path, params={"q": query}, headers=headers)
        assert response.status_code == 422, f"{path}?q={query!r} on {world.database}: {response.status_code}"


@pytest.mark.parametrize("path", ["/", "/match", "/organizations"])
def test_a_nul_byte_in_a_page_query_is_no_server_error(world: World, path: str) -> None:
    client, _ = world.full.client(aa.ANONYMOUS)
    response = client.get(path, params={"q": "a\x00b"})
    assert response.status_code < 500, f"{path}?q='a\\x00b' on {world.database}: {response.status_code}"
