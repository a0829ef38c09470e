# ruff: noqa: E501 (CSV rows of the test package are kept one record a line)
"""The roadmap pages and API on both databases: the Gantt page in both languages, downloads (SVG, CSV, .ics),
the JSON of the issue's shape, members' what-if kept to the request, and a members-only organization's
milestone (with its link and announced date) that the public never sees and that moves nothing it sees."""

import csv
import datetime as dt
import io
import re

import pytest
from fastapi.testclient import TestClient

from fusionatlas.dataset.package import load_package
from fusionatlas.domain.audience import MEMBERS_LEVEL, Audience
from fusionatlas.web.app import create_app
from fusionatlas.web.pages import roadmap as roadmap_pages
from tests import fixtures

DAY = dt.date(2026, 12, 6)
SECRET = "ms:members-only-co-plan"
MILESTONES = """id,date,country,org_id,facility_id,kind,status,title_en,title_ja,depends_on,source_ids,unconfirmed
ms:jt-60sa-first-plasma,2023-10-23,JP,org:qst,fac:jt-60sa,first_plasma,achieved,JT-60SA first plasma,JT-60SA初プラズマ,,src:qst-jt60sa,false
ms:jt-60sa-ceremony,2023-12-01,JP,org:qst,fac:jt-60sa,operation_start,achieved,JT-60SA operation-start ceremony,JT-60SA運転開始記念式典,ms:jt-60sa-first-plasma,src:qst-jt60sa,false
ms:qst-heating-upgrade,2027,JP,org:qst,fac:jt-60sa,other,planned,JT-60SA heating upgrade,JT-60SA加熱増強,ms:jt-60sa-ceremony,src:qst-jt60sa,false
ms:qst-late-review,2024,JP,org:qst,,decision,planned,A review still planned,計画中のままのレビュー,,src:qst-jt60sa,false
ms:members-only-co-plan,2029,JP,org:members-only-co,,other,planned,Zqsecret plant,秘密プラント,ms:qst-heating-upgrade,,true
"""
TRACKS = """id,name_en,name_ja,target_id,milestone_ids,source_ids,unconfirmed
track:jt-60sa,JT-60SA,JT-60SA計画,ms:qst-heating-upgrade,ms:jt-60sa-first-plasma;ms:jt-60sa-ceremony;ms:qst-heating-upgrade;ms:qst-late-review;ms:members-only-co-plan,src:qst-jt60sa,false
"""
LINKS = fixtures.MILESTONE_LINKS + f"ms:qst-heating-upgrade,{SECRET},finish_to_start,6,,true\n"
DATES = fixtures.MILESTONE_DATES + f"{SECRET},2025-01-10,2028,,true\n"
REFERENCES = (
    fixtures.SCHEDULE_REFERENCES
    + "\n".join(
        f"sref:case-{i},Case {i},事例{i},tokamak,large,First plasma,初プラズマ,2010,Decision,決定,2015,{actual},src:qst-jt60sa,false"
        for i, actual in enumerate(["2015", "2017", "2020", "2016", "2023"])
    )
    + "\n"
)


def _package(folder, hidden=True):
    milestones = MILESTONES if hidden else "\n".join(l for l in MILESTONES.splitlines() if SECRET not in l) + "\n"  # noqa: E741
    tracks = TRACKS if hidden else TRACKS.replace(f";{SECRET}", "")
    links = LINKS if hidden else fixtures.MILESTONE_LINKS
    dates = DATES if hidden else fixtures.MILESTONE_DATES
    return fixtures.write_package(
        folder,
        milestones_csv=milestones,
        roadmap_tracks_csv=tracks,
        milestone_links_csv=links,
        milestone_dates_csv=dates,
        schedule_references_csv=REFERENCES,
    )


def _app(url, audience=None):
    app = create_app(url)
    if audience is not None:

        @app.middleware("http")
        async def as_audience(request, call_next):
            request.state.viewer = audience
            return await call_next(request)

    return app


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setattr(roadmap_pages, "today", lambda: DAY)


@pytest.fixture
def urls(db_from_template, tmp_path):
    full = db_from_template("roadmap-full", lambda engine: load_package(engine, _package(tmp_path / "full")))
    public = db_from_template(
        "roadmap-public", lambda engine: load_package(engine, _package(tmp_path / "public", hidden=False))
    )
    return full, public


@pytest.fixture
def clients(urls):
    apps = [_app(urls[0]), _app(urls[0], Audience(level=MEMBERS_LEVEL)), _app(urls[1])]
    with TestClient(apps[0]) as public, TestClient(apps[1]) as member, TestClient(apps[2]) as public_only_atlas:
        yield public, member, public_only_atlas
    for app in apps:
        app.state.engine.dispose()


def test_api_has_the_shape_of_the_issue(clients):
    public, _member, _other = clients
    data = public.get("/api/roadmap").json()
    assert data["as_of"] == "2026-12-06"
    assert {"id", "name_en", "name_ja", "critical_path"} <= set(data["tracks"][0])
    rows = {m["id"]: m for m in data["milestones"]}
    keys = {
        "id",
        "track",
        "title_en",
        "title_ja",
        "announced",
        "p50",
        "p80",
        "p_on_time",
        "critical",
        "status",
        "source_ids",
    }
    assert all(keys <= set(m) for m in rows.values())
    assert set(data["reference_class"]) >= {"n", "median_slip_years", "p80_slip_years"}
    assert set(data["backtest"]) >= {"n", "p80_coverage", "p50_median_error_years", "naive_median_error_years"}
    assert data["reference_class"]["n"] == 6 and data["backtest"]["n"] == 6
    upgrade = rows["ms:qst-heating-upgrade"]
    assert upgrade["critical"] and upgrade["status"] == "planned" and upgrade["p50"] >= "2027"
    assert 0 <= upgrade["p_on_time"] <= 1
    assert data["tracks"][0]["critical_path"][-1] == "ms:qst-heating-upgrade"
    late = rows["ms:qst-late-review"]
    assert late["overdue"] and late["status"] == "overdue" and late["last_verified"] == "2026-11-28"
    assert rows["ms:jt-60sa-first-plasma"]["date_changes"] == [
        {"from": "2020-10", "to": "2023-10-23", "announced": "milestones.csv"}
    ]


def test_the_public_never_sees_the_members_only_milestone_and_nothing_moves(clients):
    public, member, public_only_atlas = clients
    for path in ["/api/roadmap", "/roadmap/track:jt-60sa?lang=en", "/roadmap/track:jt-60sa?lang=ja", "/roadmap",
                 "/roadmap.csv", "/roadmap.ics", "/roadmap/track:jt-60sa.svg", "/roadmap/track:jt-60sa.ics"]:  # fmt: skip
        seen = public.get(path)
        assert seen.status_code == 200
        assert SECRET not in seen.text and "Zqsecret" not in seen.text and "秘密プラント" not in seen.text
        assert seen.text.replace(public.base_url.host, "") == public_only_atlas.get(path).text.replace(
            public_only_atlas.base_url.host, ""
        )
    assert public.get(f"/api/roadmap/risk/{SECRET}").status_code == 404
    assert SECRET in member.get("/api/roadmap").text
    assert "Zqsecret" in member.get("/roadmap/track:jt-60sa?lang=en").text


def test_track_page_in_both_languages_with_chart_and_downloads(clients):
    public, _member, _other = clients
    en = public.get("/roadmap/track:jt-60sa", params={"lang": "en"})
    assert en.status_code == 200 and 'id="gantt-chart"' in en.text
    assert "Chance of the announced date" in en.text and 'class="dependency' in en.text
    ja = public.get("/roadmap/track:jt-60sa", params={"lang": "ja"})
    assert "公表日程どおりの確率" in ja.text and "JT-60SA加熱増強" in ja.text and "JT-60SA計画" in ja.text
    svg = public.get("/roadmap/track:jt-60sa.svg")
    assert svg.headers["content-type"] == "image/svg+xml" and svg.text.startswith("<?xml")
    rows = list(csv.DictReader(io.StringIO(public.get("/roadmap/track:jt-60sa.csv").content.decode("utf-8-sig"))))
    assert [r["id"] for r in rows][-1] == "ms:qst-heating-upgrade" or "ms:qst-heating-upgrade" in [
        r["id"] for r in rows
    ]
    ics = public.get("/roadmap/track:jt-60sa.ics").text
    assert ics.startswith("BEGIN:VCALENDAR") and "DTSTART;VALUE=DATE:20270101" in ics and "\r\n" in ics
    assert "DTSTAMP:20261206T000000Z" in ics
    assert public.get("/roadmap/track:nope").status_code == 404
    assert public.get("/roadmap/track:jt-60sa.pdf").status_code == 404
    overview = public.get("/roadmap", params={"lang": "ja"}).text
    assert "期限を過ぎたマイルストーン" in overview and "計画中のままのレビュー" in overview


def test_what_if_is_for_members_and_for_that_request_only(clients):
    public, member, _other = clients
    params = {"slip_id": "ms:qst-heating-upgrade", "slip_years": "3", "lang": "en"}
    assert public.get("/roadmap/track:jt-60sa", params=params).status_code == 403
    moved = member.get("/roadmap/track:jt-60sa", params=params)
    assert moved.status_code == 200 and 'id="what-if"' in moved.text and "(was 20" in moved.text
    plain = member.get("/roadmap/track:jt-60sa", params={"lang": "en"})
    assert 'id="what-if"' not in plain.text and 'id="what-if-form"' in plain.text
    assert "what-if-form" not in public.get("/roadmap/track:jt-60sa").text
    bad = member.get("/roadmap/track:jt-60sa", params={**params, "slip_years": "99"})
    assert bad.status_code == 422
    achieved = member.get("/roadmap/track:jt-60sa", params={**params, "slip_id": "ms:jt-60sa-ceremony"})
    assert achieved.status_code == 422


def test_api_for_one_track_lists_its_milestones(clients):
    public, _member, _other = clients
    data = public.get("/api/roadmap", params={"track": "track:jt-60sa"}).json()
    assert [t["id"] for t in data["tracks"]] == ["track:jt-60sa"]
    assert {m["track"] for m in data["milestones"]} == {"track:jt-60sa"}
    assert "ms:qst-heating-upgrade" in [m["id"] for m in data["milestones"]]
    assert public.get("/api/roadmap", params={"track": "track:nope"}).status_code == 404


def test_risk_and_backtest_api(clients):
    public, _member, _other = clients
    risk = public.get("/api/roadmap/risk/ms:qst-heating-upgrade").json()
    assert risk["announced"] == "2027" and risk["p50"] <= risk["p80"]
    assert risk["critical_path"][-1] == "ms:qst-heating-upgrade"
    done = public.get("/api/roadmap/risk/ms:jt-60sa-ceremony").json()
    assert done["status"] == "achieved" and done["p50"] is None and done["drivers"] == []
    test = public.get("/api/roadmap/backtest").json()
    assert test["scores"]["n"] == 6 and len(test["cases"]) == 6


def test_japanese_roadmap_pages_write_dates_in_nengappi(clients):
    public, _member, _other = clients
    for path in ("/roadmap", "/roadmap/track:jt-60sa"):
        page = public.get(path, params={"lang": "ja"}).text
        visible = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.S))
        assert not re.findall(r"(?<![\w-])\d{4}-\d{2}(?:-\d{2})?(?![\w-])", visible), path
    english = public.get("/roadmap/track:jt-60sa", params={"lang": "en"}).text
    assert re.search(r"<td>\d{4}(-\d{2})?", english), "English pages keep their dates as stored"


def test_an_overdue_milestone_is_shown_overdue_not_forecast_for_today(clients):
    """An overdue planned milestone once showed P50 = P80 = today and a 0% chance, and a bar on today."""
    public, member, _other = clients
    for lang, word in (("en", "Overdue"), ("ja", "期限超過")):
        page = public.get("/roadmap/track:jt-60sa", params={"lang": lang}).text
        row = page[page.index('<tr id="ms:qst-late-review"') :]
        row = row[: row.index("</tr>")]
        assert f'<td colspan="3" class="overdue">{word}</td>' in row
        assert DAY.isoformat() not in row and "0%" not in row
    svg = public.get("/roadmap/track:jt-60sa.svg").text
    late = svg[svg.index('data-milestone="ms:qst-late-review"') :]
    late = late[: late.index("</g>")]
    assert "<rect" not in late and "<circle" not in late and "P50" not in late
    # A milestone whose sources carry no access date says so, rather than "never".
    page = member.get("/roadmap/track:jt-60sa", params={"lang": "en"}).text
    secret = page[page.index(f'<tr id="{SECRET}"') :]
    assert "no access date recorded" in secret[: secret.index("</tr>")]


def test_gantt_labels_and_today_stay_inside_the_chart():
    """A critical (bold, red) label of 48 columns ran past the chart's left edge; "today" past its right edge."""
    from fusionatlas.web.charts.gantt import LABEL_COLUMNS_BOLD, Bar, gantt

    title = "ARC to deliver about 400 MW to the grid in the early 2030s, with more words"
    bars = [Bar("ms:a", title, "2025-06", None, None, "planned", True, (), "tip")]
    svg = gantt(bars, "Track", dt.date(2026, 12, 20), str)
    label = next(t for t in svg.split("<text") if "ARC to deliver" in t)
    shown = label[label.index(">") + 1 : label.index("</text>")]
    assert shown.endswith("…") and len(shown) <= LABEL_COLUMNS_BOLD
    today = next(t for t in svg.split("<text") if ">today<" in t)
    assert 'text-anchor="end"' in today
