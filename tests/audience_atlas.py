"""An atlas for leak tests: records of every visibility, owned by organizations of every visibility.

Every record made here carries a unique marker word (`zqleak007`) in its names, descriptions and
evidence, and a unique id whose tail (`zqid007`) appears nowhere else, so that a response showing a
record is caught by a plain substring test. `Audience.sees` is the test's own statement of who may see
what (the trust issue's rule, written independently of the app's code): a record's effective visibility
is the stricter of its own and its owning organization's; anonymous visitors see public records, members
see members' records too, a member of an organization also sees everything that organization owns,
editors see everything. A relation needs both its organizations visible, and belongs to both: the members of
either party see it whatever its own visibility, provided they may see the other party.

`write_atlas(folder, keep)` writes a data package holding the records `keep` accepts, on top of the
public part of the small fixture package (tests/fixtures.py). Building one atlas with every record and
one with only what an audience may see gives two apps that must answer that audience identically.

The crawler (`walk`) fetches every GET route an audience can reach: the JSON API's operations from
/openapi.json with real ids and marker words as parameters, and every page and download linked from
the home page, from each record's page and from searches.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from fusionatlas.domain import TABLES
from tests import fixtures

PASSWORD = "correct horse battery"
SHARED_SOURCE = "src:iter-gyrotron"  # cited by hidden and visible records alike: citing it discloses nothing
# Sources whose url a browser would run as script: no page may make them a link.
SCRIPT_URLS = {
    "src:zqjs-plain": "javascript:alert(1)",
    "src:zqjs-case": "JaVaScRiPt:alert(2)",
    "src:zqjs-tab": "java\tscript:alert(3)",
    "src:zqjs-data": "data:text/html,<script>alert(4)</script>",
}
SCRIPT_SOURCES = ";".join(SCRIPT_URLS)
PUBLIC_WEBSITE = "https://zq-public.example.org"  # replaced by a script address once loaded
RANK = {"public": 0, "members": 1, "private": 2}
VISIBILITIES = ("public", "members", "private")


@dataclass(frozen=True)
class Rec:
    """One record of the atlas: its table, its row in the package, and who owns it."""

    table: str
    id: str
    row: dict[str, Any]
    owner: str | None  # the owning organization (the organization itself for an organization)
    own: str  # the record's own visibility ("public" for tables without one)
    owner_visibility: str  # the owner's visibility ("public" when it has no owner)
    marker: str
    # The other party of a relation: the record is seen only by those who also see this organization, and by its
    # members whatever the record's own visibility.
    co_owner: str | None = None
    co_owner_visibility: str = "public"
    # A saved scenario's owner (a user's e-mail): saved scenarios follow the users, not the organizations.
    user: str | None = None

    @property
    def effective(self) -> str:
        return max(self.own, self.owner_visibility, key=RANK.__getitem__)

    @property
    def tail(self) -> str:
        """The part of the id that appears in no other record's id, marker or text."""
        return self.id.split(":", 1)[1]


@dataclass(frozen=True)
class Audience:
    """Who is asking: a role (None: anonymous), the organization the user belongs to, and how it asks."""

    name: str
    role: str | None = None
    org: str | None = None
    email: str | None = None
    token: bool = False  # asks the API with a Bearer token instead of a session cookie

    def sees(self, record: Rec) -> bool:
        if record.table == SAVED:
            return self._sees_saved(record)
        if record.co_owner is not None and self.org is not None and self.org == record.co_owner:
            # The other party of a relation: it is theirs too, whatever its own visibility (a private relation
            # is private to its two parties), provided they may see the organization it is filed under.
            return self.role in ("editor", "admin") or self._sees_own(record.owner, record.owner_visibility)
        if record.co_owner is not None and not self._sees_own(record.co_owner, record.co_owner_visibility):
            return False
        return self._sees_own(record.owner, record.effective)

    def _sees_own(self, owner: str | None, effective: str) -> bool:
        """Whether a record of this owner and effective visibility may be seen."""
        if self.role in ("editor", "admin"):
            return True
        if effective == "public":
            return True
        if self.role is None:
            return False
        if effective == "members":
            return True
        return owner is not None and owner == self.org

    def _sees_saved(self, record: Rec) -> bool:
        """A member's saved scenario: public to all, members to signed-in users, private to its owner, the
        members of the organization the owner belonged to, and editors."""
        if self.role in ("editor", "admin") or record.own == "public":
            return True
        if self.role is None:
            return False
        if record.own == "members" or record.user == self.email:
            return True
        return record.owner is not None and record.owner == self.org


SAVED = "saved_scenarios"  # not a table of the data package: the leak test saves them through the store
# Who saves scenarios: the member of the private organization P, and a member with no organization.
SAVERS = {"p@zq.example.org": "prv", "member@zq.example.org": None}


def _saved_yaml(tail: str, marker: str) -> str:
    # A short horizon and one small plant keep each run (15 items, Monte Carlo) quick for the walk.
    return (
        f"id: {tail}\n"
        f"name_en: Gyrotron build-out {marker}\n"
        f"name_ja: ジャイロトロン増産 {marker}\n"
        f"description_en: Saved by a member {marker}.\n"
        f"description_ja: 会員が保存 {marker}。\n"
        "start_year: 2025\nend_year: 2035\n"
        "slip_years: {low: 0, central: 1, high: 2, basis: assumption, note_en: a guess, note_ja: 推定}\n"
        "plants:\n  - {design: fast, count: 1, operation_start: 2034}\n"
    )


# The organizations: one of each visibility, and two private ones (P and Q) each with a member.
ORGS = {"pub": "public", "mem": "members", "prv": "private", "oth": "private"}


class Atlas:
    """The marked records, numbered in a fixed order so that every build gives the same ids."""

    def __init__(self) -> None:
        self.records: list[Rec] = []
        self.org_ids: dict[str, str] = {}
        self._build()

    def _next(self) -> tuple[str, str]:
        n = len(self.records) + 1
        return f"zqid{n:03d}", f"zqleak{n:03d}"

    def _add(self, table: str, prefix: str, owner: str | None, own: str, make: Callable[[str], dict[str, Any]]) -> Rec:
        tail, marker = self._next()
        record_id = f"{prefix}{tail}"
        owner_id = self.org_ids.get(owner) if owner else None
        owner_vis = ORGS[owner] if owner else "public"
        if table == "organizations":
            owner_id = record_id
        row = {"id": record_id, **make(marker)}
        record = Rec(table, record_id, row, owner_id, own, owner_vis, marker)
        self.records.append(record)
        return record

    def _build(self) -> None:
        has_visibility = {spec.name: spec.has_visibility for spec in TABLES}
        for key, visibility in ORGS.items():
            self.org_ids[key] = f"org:zqid{len(self.records) + 1:03d}"
            self._add("organizations", "org:", None, visibility, lambda m, k=key, v=visibility: _organization(k, v, m))
        owners: list[str | None] = [None, *ORGS]
        for owner in ORGS:
            for own in VISIBILITIES:
                org_id = self.org_ids[owner]
                self._add("capabilities", "cap:", owner, own, lambda m, o=org_id, v=own: _capability(o, v, m))
        for owner in owners:
            for own in VISIBILITIES:
                buyer = self.org_ids[owner] if owner else ""
                self._add("needs", "need:", owner, own, lambda m, b=buyer, v=own: _need(b, v, m))
        # Readiness assessments: a self-assessment per organization and visibility, and published ones (no owner).
        for owner in owners:
            for own in VISIBILITIES:
                assessor = self.org_ids[owner] if owner else ""
                self._add("readiness", "rdy:", owner, own, lambda m, a=assessor, v=own: _readiness(a, v, m))
        # Facilities, investments, milestones and capacities: one per owner, and one per visibility where the
        # table has one.
        facility_of: dict[str | None, str] = {}
        for table, prefix, make in (
            ("facilities", "fac:", _facility),
            ("investments", "inv:", _investment),
            ("milestones", "ms:", _milestone),
            ("capacities", "capa:", _capacity),
        ):
            for owner in owners:
                org_id = self.org_ids[owner] if owner else ""
                for own in VISIBILITIES if has_visibility[table] else ("public",):
                    facility = facility_of.get(owner, "") if table == "milestones" else ""
                    extra = {"visibility": own} if has_visibility[table] else {}
                    record = self._add(
                        table, prefix, owner, own, lambda m, mk=make, o=org_id, f=facility, x=extra: mk(o, f, m) | x
                    )
                    if table == "facilities" and own == "public":
                        facility_of[owner] = record.id
        # Relations: between every ordered pair of organizations (public), and of other visibilities
        # between the public organization and P; both parties' visibilities count.
        pairs = [(a, b, "public") for a in ORGS for b in ORGS if a != b]
        # A private relation is seen by both parties' members (P in both directions), but not by a party that may
        # not see the other (P and Q, two private organizations, do not see each other's relation).
        pairs += [("pub", "prv", "members"), ("pub", "prv", "private"), ("prv", "pub", "private")]
        pairs += [("prv", "oth", "private"), ("mem", "prv", "private")]
        for owner, other, own in pairs:
            self._add_relation(owner, other, own)
        # Training offers: one per organization and visibility (an offer's owner is the organization running it).
        for owner in ORGS:
            for own in VISIBILITIES:
                org_id = self.org_ids[owner]
                self._add("training", "train:", owner, own, lambda m, o=org_id, v=own: _training(o, v, m))
        # Saved scenarios: one per saver and visibility; the row holds the YAML and the id to save it under.
        for email, org in SAVERS.items():
            for own in VISIBILITIES:
                tail, marker = self._next()
                org_id = self.org_ids[org] if org else None
                row = {"id": f"saved:{tail}", "number": int(tail[4:]), "yaml": _saved_yaml(tail, marker)}
                self.records.append(Rec(SAVED, row["id"], row, org_id, own, "public", marker, user=email))

    def _add_relation(self, owner: str, other: str, own: str) -> None:
        org_id, other_id = self.org_ids[owner], self.org_ids[other]
        record = self._add("relations", "rel:", owner, own, lambda m: _relation(org_id, other_id, own, m))
        self.records[-1] = Rec(
            record.table,
            record.id,
            record.row,
            record.owner,
            own,
            record.owner_visibility,
            record.marker,
            other_id,
            ORGS[other],
        )

    def visible_to(self, audience: Audience) -> list[Rec]:
        return [r for r in self.records if audience.sees(r)]

    def hidden_from(self, audience: Audience) -> list[Rec]:
        return [r for r in self.records if not audience.sees(r)]

    def record(self, table: str, owner: str | None, own: str = "public") -> Rec:
        """The record of `table` owned by the organization key `owner` ("prv"...) with this own visibility."""
        owner_id = self.org_ids[owner] if owner else None
        for r in self.records:
            if r.table == table and r.own == own and r.owner == owner_id:
                return r
        raise KeyError((table, owner, own))


def _organization(key: str, visibility: str, marker: str) -> dict[str, Any]:
    public = key == "pub"
    return {
        "name_en": f"Gyrotron Works {marker.capitalize()}",
        "name_ja": f"ジャイロトロン工業{marker}",
        "kind": "company",
        "country": "JP",
        "city": "Tokyo",
        # The public organization's website, contact page and sources would run script if made links.
        "website": PUBLIC_WEBSITE if public else f"https://{marker}.example.org",
        "contact_url": PUBLIC_WEBSITE if public else f"https://{marker}.example.org/contact",
        "founded": "2020",
        "memberships": "j-fusion",
        "description_en": f"Builds gyrotron windows and cooling lines {marker}.",
        "description_ja": f"ジャイロトロン窓と冷却系を製造する {marker}。",
        "visibility": visibility,
        "source_ids": f"{SHARED_SOURCE};{SCRIPT_SOURCES}" if public else SHARED_SOURCE,
        "unconfirmed": "false",
    }


def _capability(org_id: str, visibility: str, marker: str) -> dict[str, Any]:
    return {
        "org_id": org_id,
        "technology_id": "tech:hcd.gyrotron",
        "description_en": f"Gyrotron window cooling {marker}",
        "description_ja": f"ジャイロトロン窓の冷却 {marker}",
        "evidence_en": f"Delivered gyrotron windows {marker}",
        "evidence_ja": f"ジャイロトロン窓を納入 {marker}",
        "trl": "6",
        "visibility": visibility,
        "source_ids": SHARED_SOURCE,
        "unconfirmed": "false",
    }


def _relation(org_id: str, other_id: str, visibility: str, marker: str) -> dict[str, Any]:
    return {
        "kind": "contract",
        "org_id": org_id,
        "other_org_id": other_id,
        "date": "2024-06",
        "description_en": f"Contract for gyrotron window cooling {marker}",
        "description_ja": f"ジャイロトロン窓の冷却の契約 {marker}",
        "visibility": visibility,
        "source_ids": SHARED_SOURCE,
        "unconfirmed": "false",
    }


def _need(buyer: str, visibility: str, marker: str) -> dict[str, Any]:
    return {
        "title_en": f"Gyrotron window cooling {marker}",
        "title_ja": f"ジャイロトロン窓の冷却 {marker}",
        "description_en": f"Needs gyrotron windows with cooling {marker}.",
        "description_ja": f"冷却付きジャイロトロン窓が必要 {marker}。",
        "buyer_org_id": buyer,
        "technology_ids": "tech:hcd.gyrotron",
        "min_trl": "5",
        "countries": "JP",
        "deadline": "2031",
        "status": "open",
        "visibility": visibility,
        "source_ids": SHARED_SOURCE,
        "unconfirmed": "false",
    }


def _training(org_id: str, visibility: str, marker: str) -> dict[str, Any]:
    return {
        "org_id": org_id,
        "kind": "summer_school",
        "name_en": f"Gyrotron window school {marker}",
        "name_ja": f"ジャイロトロン窓スクール {marker}",
        "country": "JP",
        "skill_ids": "skill:rf-microwave",
        "languages": "ja",
        "since": "2024",
        "places": "12",
        "description_en": f"Students cool gyrotron windows {marker}.",
        "description_ja": f"学生がジャイロトロン窓を冷却する {marker}。",
        "visibility": visibility,
        "source_ids": SHARED_SOURCE,
        "unconfirmed": "false",
    }


def _readiness(assessor_org_id: str, visibility: str, marker: str) -> dict[str, Any]:
    return {
        "technology_id": "tech:hcd.gyrotron",
        "value": "6",
        "context": "demo",
        "assessor": f"Gyrotron panel {marker}",
        "assessor_org_id": assessor_org_id,
        "method": "review",
        "date": "2025-01",
        "description_en": f"Gyrotron window cooling assessed {marker}",
        "description_ja": f"ジャイロトロン窓の冷却を評価 {marker}",
        "self_assessed": "true" if assessor_org_id else "false",
        "visibility": visibility,
        "source_ids": SHARED_SOURCE,
        "unconfirmed": "false",
    }


def _facility(org_id: str, _facility_id: str, marker: str) -> dict[str, Any]:
    return {
        "name_en": f"Gyrotron test stand {marker}",
        "name_ja": f"ジャイロトロン試験設備{marker}",
        "kind": "test_facility",
        "concept": "tokamak",
        "country": "JP",
        "operator_org_id": org_id,
        "status": "operating",
        "first_plasma": "2024-05-01",
        "description_en": f"Tests gyrotron windows {marker}.",
        "description_ja": f"ジャイロトロン窓を試験する {marker}。",
        "source_ids": f"{SHARED_SOURCE};{SCRIPT_SOURCES}" if not org_id else SHARED_SOURCE,
        "unconfirmed": "false",
    }


def _investment(org_id: str, _facility_id: str, marker: str) -> dict[str, Any]:
    number = int(marker[-3:])
    return {
        "org_id": org_id,
        "country": "" if org_id else "JP",
        # Distinct amounts: a hidden round moves any total it is counted in.
        "amount": str(1_000_000 * number + 7),
        "currency": "JPY",
        "date": "2024-06",
        "round": f"Series A {marker}",
        "investors": f"Investor {marker}",
        "definition": f"Equity round {marker}",
        "source_ids": f"{SHARED_SOURCE};{SCRIPT_SOURCES}" if not org_id else SHARED_SOURCE,
        "unconfirmed": "false",
    }


def _capacity(org_id: str, _facility_id: str, marker: str) -> dict[str, Any]:
    number = int(marker[-3:])
    return {
        "item": "gyrotron",
        "org_id": org_id,
        "name_en": f"Gyrotron line {marker}",
        "name_ja": f"ジャイロトロン製造ライン{marker}",
        "unit": "units",
        "year": "2025",
        # Distinct amounts: a hidden maker's line moves every band and share it is counted in.
        "low": str(number),
        "central": str(number),
        "high": str(number),
        "basis": "sourced",
        "description_en": f"Yearly output {marker}.",
        "description_ja": f"年産数{marker}。",
        "source_ids": f"{SHARED_SOURCE};{SCRIPT_SOURCES}" if not org_id else SHARED_SOURCE,
        "unconfirmed": "false",
    }


def _milestone(org_id: str, facility_id: str, marker: str) -> dict[str, Any]:
    return {
        "date": "2025-03-01",
        "country": "JP",
        "org_id": org_id,
        "facility_id": facility_id,
        "kind": "first_plasma",
        "title_en": f"Gyrotron window test {marker}",
        "title_ja": f"ジャイロトロン窓試験 {marker}",
        "source_ids": f"{SHARED_SOURCE};{SCRIPT_SOURCES}" if not org_id else SHARED_SOURCE,
        "unconfirmed": "false",
    }


# Public records that are in every build: sources whose urls are script, a programme and a regulation citing them.
# Imports refuse such addresses now (domain/values.py), so the package carries harmless ones and
# `plant_script_urls` writes the script ones straight into the database, as rows older than that check or
# written by hand would be: the pages must still never make them links.
SCRIPT_SOURCE_ROWS = [
    {
        "id": source_id,
        "title": f"Script source {n}",
        "publisher": "Nobody",
        "date": "2024",
        "url": "https://zq.example.org",
    }
    for n, source_id in enumerate(SCRIPT_URLS, 1)
]
SCRIPT_WEBSITE = "javascript:alert(5)"


def plant_script_urls(engine: Any) -> None:
    """The script addresses, written past the validator (see SCRIPT_SOURCE_ROWS)."""
    from sqlalchemy import update

    from fusionatlas.store.schema import TABLES_BY_NAME

    sources, orgs = TABLES_BY_NAME["sources"], TABLES_BY_NAME["organizations"]
    with engine.begin() as connection:
        for source_id, url in SCRIPT_URLS.items():
            connection.execute(update(sources).where(sources.c.id == source_id).values(url=url))
        planted = orgs.c.website == PUBLIC_WEBSITE
        connection.execute(update(orgs).where(planted).values(website=SCRIPT_WEBSITE, contact_url=SCRIPT_WEBSITE))


EXTRA_PUBLIC = {
    "programmes": [
        {
            "id": "prog:zq-script",
            "country": "JP",
            "name_en": "Gyrotron programme with script sources",
            "name_ja": "スクリプト出典のジャイロトロン計画",
            "amount": "1000000",
            "currency": "JPY",
            "start": "2024",
            "end": "2026",
            "definition": "multi_year",
            "source_ids": SCRIPT_SOURCES,
            "unconfirmed": "false",
        }
    ],
    "regulations": [
        {
            "id": "reg:zq-script",
            "country": "JP",
            "body": "Cabinet Office",
            "name_en": "Guideline with script sources",
            "name_ja": "スクリプト出典の指針",
            "approach_en": "Fusion outside fission rules.",
            "approach_ja": "核分裂の規制の外。",
            "date": "2024-04-01",
            "source_ids": SCRIPT_SOURCES,
            "unconfirmed": "false",
        }
    ],
}
# The fixture package's records that some audience may not see (the members-only organization) are left out.
_FIXTURE_HIDDEN = "org:members-only-co"


def _fixture_rows(filename: str) -> list[dict[str, Any]]:
    text = fixtures.FILES[filename]
    rows = list(csv.DictReader(io.StringIO(text)))
    return [r for r in rows if _FIXTURE_HIDDEN not in (r.get("id"), r.get("org_id"))]


def write_atlas(folder: Path, atlas: Atlas, keep: Callable[[Rec], bool]) -> Path:
    """The fixture package plus the atlas's records that `keep` accepts, as a data package in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "technologies.yaml").write_text(fixtures.TECHNOLOGIES, encoding="utf-8")
    for spec in TABLES:
        if spec.filename.endswith(".yaml"):
            continue
        rows = _fixture_rows(spec.filename)
        if spec.name == "sources":
            rows += SCRIPT_SOURCE_ROWS
        rows += EXTRA_PUBLIC.get(spec.name, [])
        rows += [r.row for r in atlas.records if r.table == spec.name and keep(r)]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=spec.columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: v for k, v in row.items() if k in spec.columns})
        (folder / spec.filename).write_text(buffer.getvalue(), encoding="utf-8")
    return folder


# --- audiences ------------------------------------------------------------------------------------

ATLAS = Atlas()
ANONYMOUS = Audience("anonymous")
MEMBER = Audience("member", "member", None, "member@zq.example.org")
MEMBER_P = Audience("member-of-P", "member", ATLAS.org_ids["prv"], "p@zq.example.org")
MEMBER_Q = Audience("member-of-Q", "member", ATLAS.org_ids["oth"], "q@zq.example.org")
EDITOR = Audience("editor", "editor", None, "editor@zq.example.org")
TOKEN_P = Audience("token-of-P", "member", ATLAS.org_ids["prv"], "p@zq.example.org", token=True)
TOKEN_Q = Audience("token-of-Q", "member", ATLAS.org_ids["oth"], "q@zq.example.org", token=True)
USERS = (MEMBER, MEMBER_P, MEMBER_Q, EDITOR)  # created in this order in every build: same user ids everywhere
# The order of the walk in one app: the most privileged first, so that a cache shared across audiences shows.
AUDIENCES = (EDITOR, MEMBER_P, TOKEN_P, MEMBER_Q, TOKEN_Q, MEMBER, ANONYMOUS)
# Audiences that may not see everything: each gets a build of only what it may see, to compare with.
RESTRICTED = tuple(a for a in AUDIENCES if a.role != "editor")


# --- masking volatile parts -----------------------------------------------------------------------

_VOLATILE = [
    (re.compile(r'(name="csrf"[^>]*value=")[^"]*(")'), r"\1CSRF\2"),
    (re.compile(r'(value=")[^"]*("[^>]*name="csrf")'), r"\1CSRF\2"),
    (re.compile(r"\bfa_[A-Za-z0-9_\-]{20,}"), "TOKEN"),
    (re.compile(r"\b[0-9a-f]{32}\b"), "HEX"),  # data-version tokens (uuid4().hex)
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"), "TIME"),
]


def mask(text: str, content_type: str = "") -> str:
    """The text with volatile parts replaced; JSON laid out one value a line, so that a difference shows where."""
    if "json" in content_type:
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), indent=1, ensure_ascii=False, sort_keys=True)
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    return text


# --- the walk -------------------------------------------------------------------------------------


@dataclass
class Reply:
    url: str
    status: int
    content_type: str
    text: str  # the body as text: HTML, JSON, CSV, SVG as they are; XLSX as its cells, one per line
    links: list[str] = field(default_factory=list)
    hrefs: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attribute, value) of every URL


class _Links(HTMLParser):
    URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "data")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []
        self.forms: list[tuple[str, list[tuple[str, str, str]]]] = []  # (action, [(tag/type, name, value)])
        self._form: tuple[str, list[tuple[str, str, str]]] | None = None
        self._select: int | None = None  # the index of the open <select> among its form's fields
        self._options: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        for name in self.URL_ATTRIBUTES:
            if name in values:
                self.urls.append((tag, name, values[name]))
        if tag == "form" and values.get("method", "get").lower() == "get":
            self._form = (values.get("action", ""), [])
            self.forms.append(self._form)
        elif tag == "form":
            self._form = None
        elif self._form is not None and tag in ("input", "textarea") and values.get("name"):
            kind = values.get("type", tag).lower()
            self._form[1].append((kind, values["name"], values.get("value", "")))
        elif self._form is not None and tag == "select" and values.get("name"):
            self._select = len(self._form[1])
            self._form[1].append(("select", values["name"], ""))
        elif self._form is not None and tag == "option" and self._select is not None:
            # What a browser sends: the selected option, else the first one.
            kind, name, _ = self._form[1][self._select]
            value = values.get("value", "")
            if "selected" in values or not self._options:
                self._form[1][self._select] = (kind, name, value)
            self._options.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        if tag == "select":
            self._select, self._options = None, []


def xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    lines = []
    for sheet in book.worksheets:
        lines.append(f"[{sheet.title}]")
        for row in sheet.iter_rows(values_only=True):
            lines.append("\t".join("" if v is None else str(v) for v in row))
    book.close()
    return "\n".join(lines)


def normalize_url(base: str, link: str) -> str | None:
    """A same-origin link as path?query (sorted, without lang), or None for other origins and static files."""
    link = link.strip()
    if not link or link.startswith(("#", "mailto:")):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, link))
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver" or parts.path.startswith("/static/"):
        return None
    if parts.path in ("/logout",):
        return None
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang")
    return urlunsplit(("", "", parts.path, urlencode(query), ""))


def fetch(client: TestClient, url: str, headers: dict[str, str]) -> Reply:
    response = client.get(url, headers=headers, follow_redirects=False)
    kind = response.headers.get("content-type", "")
    spreadsheet = "spreadsheetml" in kind and response.status_code == 200
    text = xlsx_text(response.content) if spreadsheet else response.text
    reply = Reply(url, response.status_code, kind, text)
    if response.status_code in (301, 302, 303, 307, 308):
        target = normalize_url(url, response.headers.get("location", ""))
        if target:
            reply.links.append(target)
    if "html" in kind or "svg" in kind:
        parser = _Links()
        parser.feed(text)
        reply.hrefs = parser.urls
        for _tag, _attribute, value in parser.urls:
            target = normalize_url(url, value)
            if target:
                reply.links.append(target)
        for action, inputs in parser.forms:
            reply.links.extend(_form_urls(url, action, inputs))
    return reply


# Words typed into a page's search forms: shared by hidden and visible records, so hidden ones would show.
FORM_WORDS = ("gyrotron window cooling", "ジャイロトロン窓")


def _form_urls(base: str, action: str, inputs: list[tuple[str, str, str]]) -> Iterator[str]:
    """The form submitted with its defaults, and with each search word in its text fields."""
    texts = [name for kind, name, _ in inputs if kind in ("text", "search", "textarea")]
    defaults = [(name, value) for kind, name, value in inputs if kind not in ("submit", "button", "checkbox")]
    variants = [defaults]
    for word in FORM_WORDS:
        variants.append([(n, word if n in texts else v) for n, v in defaults])
    for values in variants:
        target = normalize_url(base, (action or base.split("?")[0]) + "?" + urlencode(values))
        if target:
            yield target


def api_urls(openapi: dict[str, Any], atlas: Atlas, background_ids: Iterable[str]) -> list[str]:
    """Every GET operation under /api/: every record id for its path parameters, marker words for q (or text)."""
    # Saved scenarios have numeric ids in their own pages, not in the API.
    all_ids = sorted({r.id for r in atlas.records if r.table != SAVED} | set(background_ids))
    # Each record's marker (its names hold it), and words that hidden and visible records share.
    words = [r.marker for r in atlas.records] + [*FORM_WORDS, "Gyrotron Works", "Series A"]
    urls: list[str] = []
    for path, operations in sorted(openapi["paths"].items()):
        operation = operations.get("get")
        if not path.startswith("/api/") or operation is None:
            continue
        parameters = operation.get("parameters", [])
        path_names = [p["name"] for p in parameters if p["in"] == "path"]
        required = [p["name"] for p in parameters if p["in"] == "query" and p.get("required")]
        texts = [p["name"] for p in parameters if p["in"] == "query" and p["schema"].get("type") == "string"]
        # The text parameter searched with the words: q, else the first required text parameter (text=...).
        searched = "q" if "q" in texts else next((n for n in required if n in texts), None)
        queries: list[dict[str, str]] = [{}]
        if searched is not None:
            queries = [{searched: w} for w in words]
            if "top" in {p["name"] for p in parameters}:
                queries += [{searched: w, "top": "100"} for w in FORM_WORDS]
        if set(required) - {searched}:
            continue  # an operation with required parameters this walk cannot fill: the fuzzer covers it
        fills: list[str] = [path]
        for name in path_names:
            candidates = [i for i in all_ids if not name.endswith("org_id") or i.startswith("org:")]
            fills = [f.replace("{" + name + "}", quote(i, safe=":")) for f in fills for i in candidates]
        for filled in fills:
            for query in queries:
                urls.append(filled + ("?" + urlencode(query) if query else ""))
    return urls


def page_seeds(atlas: Atlas, background_ids: Iterable[str]) -> list[str]:
    """Where the crawl of pages starts: the home page, every record's page, and searches with marker words."""
    seeds = [
        "/",
        "/organizations",
        "/technologies",
        "/landscape",
        "/gaps",
        "/match",
        "/industry-map",
        "/skills",
        "/training",
        "/scenarios",
    ]
    # Every saved scenario's page and edit page, linked or not: a hidden one must answer as one that does not exist.
    numbers = [r.row["number"] for r in atlas.records if r.table == SAVED]
    seeds += [f"/scenarios/saved/{n}{end}" for n in numbers for end in ("", "/edit")]
    ids = sorted({r.id for r in atlas.records} | set(background_ids))
    seeds += [f"/organizations/{quote(i, safe=':')}" for i in ids if i.startswith("org:")]
    seeds += [f"/technologies/{quote(i, safe=':')}" for i in ids if i.startswith("tech:")]
    seeds += [f"/gaps/technology/{quote(i, safe=':')}" for i in ids if i.startswith("tech:")]
    words = [r.marker for r in atlas.records] + list(FORM_WORDS)
    seeds += ["/?" + urlencode({"q": w}) for w in words]
    seeds += ["/match?" + urlencode({"q": w}) for w in FORM_WORDS]
    seeds += ["/match?" + urlencode({"seeds": w}) for w in FORM_WORDS]
    seeds += ["/match.csv?" + urlencode({"q": w}) for w in FORM_WORDS]
    seeds += ["/organizations?" + urlencode({"q": w}) for w in ("gyrotron", *[r.marker for r in atlas.records[:4]])]
    return [u for u in (normalize_url("/", s) for s in seeds) if u]


VARIANTS = 8  # links followed per path beyond the seeds: filter, sort and page links multiply fast


def walk(client: TestClient, headers: dict[str, str], api: list[str], pages: list[str]) -> dict[str, Reply]:
    """Every API url given, and every page reachable from `pages` by same-origin links (breadth first).

    Of the links found, at most VARIANTS query strings per path are followed (the first ones, in a fixed
    order), so that sorting and paging links over every filter do not make the walk slow.
    """
    replies: dict[str, Reply] = {}
    for url in api:
        replies[url] = fetch(client, url, headers)
    queue = list(pages)
    seen = set(queue) | set(replies)
    per_path: dict[str, int] = {}
    while queue:
        url = queue.pop(0)
        reply = fetch(client, url, headers)
        replies[url] = reply
        for link in reply.links:
            path = link.split("?", 1)[0]
            if link not in seen and per_path.get(path, 0) < VARIANTS:
                seen.add(link)
                per_path[path] = per_path.get(path, 0) + 1
                queue.append(link)
    # Japanese pages show the records' Japanese fields: each page again in Japanese, last (?lang= sticks).
    html = [u for u, r in replies.items() if "html" in r.content_type and r.status == 200 and "q=" not in u]
    for url in html:
        japanese = url + ("&" if "?" in url else "?") + "lang=ja"
        replies[japanese] = fetch(client, japanese, headers)
    return replies


def comparable(url: str) -> bool:
    """Whether the walk compares this url's answers with and without hidden records.

    Searches for one record's marker word and Japanese repeats of pages are left to the marker check:
    counts, totals and scores show on the other pages and in searches for shared words, and comparing
    fewer urls keeps the test fast.
    """
    return "zqleak" not in unquote(url) and "lang=ja" not in url


def refetch(client: TestClient, headers: dict[str, str], urls: Iterable[str]) -> dict[str, Reply]:
    return {url: fetch(client, url, headers) for url in urls}
