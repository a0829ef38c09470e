"""The landscape pages: programmes with their conversions, investments (rounds vs cumulative totals), facilities and
the world map, the milestone timeline, regulation; both languages, filters, exports, visibility, bad input.

The package is the fixture package plus real records copied from the bundled atlas (with their sources), and a
members-only organization's records, which the public must never see.
"""

import csv
import io
import re

import pytest
from fastapi import APIRouter, FastAPI, Request
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from fusionatlas.analysis.landscape import Landscape, read_landscape
from fusionatlas.dataset import BUNDLED
from fusionatlas.dataset.package import load_package
from fusionatlas.domain.audience import MEMBERS_LEVEL, PUBLIC, Audience
from fusionatlas.web import export_labels
from fusionatlas.web.app import create_app
from fusionatlas.web.charts import landscape as landscape_charts
from fusionatlas.web.i18n import catalog
from fusionatlas.web.pages import landscape
from fusionatlas.web.pages.landscape import sections
from fusionatlas.web.pages.landscape.rows import regulation_rows
from fusionatlas.web.pages.landscape.section import Filters, Section, register
from tests.fixtures import FILES, write_package

PICKED = {
    "programmes.csv": [
        "prog:gb-fusion-futures",
        "prog:gb-fusion-futures-skills",
        "prog:jp-mext-fusion-rd-fy2024",
        "prog:us-fes-fy2024",
        "prog:us-iter-contribution-fy2024",
        "prog:us-nnsa-icf-fy2024",
        "prog:us-fes-fy2025-request",
    ],
    "investments.csv": [
        "inv:tokamak-energy-2020-67m",
        "inv:tokamak-energy-cumulative-2024",
        "inv:helical-fusion-2025-series-a",
        "inv:helical-fusion-cumulative-2025",
        "inv:private-fusion-cumulative-fia-2023",
    ],
    "facilities.csv": ["fac:lhd", "fac:nif", "fac:w7-x"],
    "milestones.csv": ["ms:us-arc-grid-power"],
    "regulations.csv": ["reg:de-2025-fusion-outside-atomic-energy-act"],
    "organizations.csv": ["org:tokamak-energy", "org:helical-fusion", "org:commonwealth-fusion-systems"],
}
# A members-only organization's records (invented, marked unconfirmed): never shown to the public.
HIDDEN = {
    "investments.csv": {
        "id": "inv:members-only-co-seed",
        "org_id": "org:members-only-co",
        "amount": "7000000",
        "currency": "USD",
        "date": "2023-02",
        "round": "Seed",
        "investors": "Secret Fund",
        "definition": "equity, single round",
        "unconfirmed": "true",
    },
    "milestones.csv": {
        "id": "ms:members-only-co-secret",
        "date": "2024-05",
        "country": "JP",
        "org_id": "org:members-only-co",
        "kind": "other",
        "status": "achieved",
        "title_en": "Secret members-only milestone",
        "title_ja": "会員限定の秘密のマイルストーン",
        "unconfirmed": "true",
    },
}


def _rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


def _landscape_files() -> dict[str, str]:
    """The fixture's files with the picked bundled rows (and every source they cite) added."""
    files: dict[str, str] = {}
    cited: set[str] = set()
    for name in [*PICKED, "exchange_rates.csv"]:
        fields, rows = _rows(FILES[name])
        bundled_fields, bundled = _rows((BUNDLED / name).read_text(encoding="utf-8"))
        fields += [f for f in bundled_fields if f not in fields]
        wanted = PICKED.get(name)
        extra = [r for r in bundled if wanted is None or r["id"] in wanted]
        if name == "exchange_rates.csv":
            rows = []  # the bundled rates replace the fixture's single one
        for row in extra:
            if name == "milestones.csv":
                row |= {"depends_on": "", "facility_id": ""}  # the linked records are not in this package
            if name == "facilities.csv":
                row |= {"operator_org_id": ""}
        rows += extra
        if name in HIDDEN:
            rows.append(HIDDEN[name])
        cited |= {s for r in rows for s in (r.get("source_ids") or "").split(";") if s}
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fields)
        writer.writeheader()
        writer.writerows({f: r.get(f, "") for f in fields} for r in rows)
        files[name] = buffer.getvalue()
    fields, rows = _rows(FILES["sources.csv"])
    have = {r["id"] for r in rows}
    _bundled_fields, bundled = _rows((BUNDLED / "sources.csv").read_text(encoding="utf-8"))
    rows += [r for r in bundled if r["id"] in cited - have]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fields, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    files["sources.csv"] = buffer.getvalue()
    return files


@pytest.fixture
def client(sqlite_engine, tmp_path):
    package = write_package(tmp_path / "package", **{k.replace(".", "_"): v for k, v in _landscape_files().items()})
    load_package(sqlite_engine, package)
    app = create_app(str(sqlite_engine.url))
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


PAGES = {
    "/landscape": ("International landscape", "国際動向"),
    "/landscape/programmes": ("National programmes and budgets", "国家プログラムと予算"),
    "/landscape/budgets": ("Public funding compared", "公的資金の国際比較"),
    "/landscape/investments": ("Private investment", "民間投資"),
    "/landscape/facilities": ("Fusion facilities", "フュージョン施設"),
    "/landscape/timeline": ("Milestone timeline", "マイルストーン年表"),
    "/landscape/regulation": ("Regulatory approaches", "規制の方針"),
}


@pytest.mark.parametrize("path", PAGES)
def test_pages_in_both_languages(client, path):
    english = client.get(path, params={"lang": "en"})
    assert english.status_code == 200 and PAGES[path][0] in english.text
    assert 'href="/landscape"' in english.text, "the Landscape entry is in the navigation"
    japanese = client.get(path, params={"lang": "ja"})
    assert japanese.status_code == 200 and PAGES[path][1] in japanese.text and 'lang="ja"' in japanese.text


def test_navigation_puts_landscape_before_gaps():
    from fusionatlas.web.navigation import NAV

    paths = [path for path, _label in NAV]
    # The roadmap (the landscape's milestones as a dependency graph) sits between them.
    assert paths.index("/landscape") + 1 == paths.index("/roadmap") == paths.index("/gaps") - 1


def test_records_show_their_japanese_names(client):
    japanese = client.get("/landscape/facilities", params={"lang": "ja"}).text
    assert "大型ヘリカル装置" in japanese and "日本" in japanese
    english = client.get("/landscape/facilities", params={"lang": "en"}).text
    assert "Large Helical Device" in english and "Japan" in english


def test_overview_headlines(client):
    page = client.get("/landscape", params={"lang": "en"}).text
    for card in ("card-programmes", "card-investments", "card-facilities", "card-timeline", "card-regulation"):
        assert card in page
    assert "6,210,000,000 USD" in page, "the latest worldwide cumulative total, as reported"
    assert "https://www.fusionindustryassociation.org" in page, "its source links to its address"
    for path in PAGES:
        assert f'href="{path}"' in page


def test_conversions_show_their_rate_or_no_rate(client):
    page = client.get("/landscape/programmes", params={"lang": "en"}).text
    usd = round(650_000_000 / 0.8039)  # GBP 2023 yearly average (Federal Reserve G.5A)
    assert f"{usd:,}" in page and "rate 0.8039 GBP/USD, 2023" in page
    assert "no rate for JPY 2024" in page, "the JPY budget of FY2024 has no 2024 rate: not converted"
    assert "21,300,000,000" in page and "already in USD" in page
    japanese = client.get("/landscape/programmes", params={"lang": "ja"}).text
    assert "レートなし" in japanese and "レート 0.8039 GBP/USD, 2023" in japanese
    rows = {
        r["id"]: r for r in csv.DictReader(io.StringIO(client.get("/landscape/programmes.csv").text.lstrip("\ufeff")))
    }
    assert rows["prog:gb-fusion-futures"]["usd"] == str(usd)
    assert rows["prog:gb-fusion-futures"]["rate_per_usd"] == "0.8039"
    assert rows["prog:gb-fusion-futures"]["rate_year"] == "2023"
    assert rows["prog:jp-mext-fusion-rd-fy2024"]["usd"] == ""
    assert rows["prog:jp-mext-fusion-rd-fy2024"]["usd_status"] == "no_rate"


def test_programme_chart_draws_converted_amounts_and_names_the_rest(client):
    svg = client.get("/landscape/programmes.svg", params={"lang": "en"})
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    text = svg.text
    assert text.startswith("<?xml") and 'id="programmes-chart"' in text
    assert "$809M" in text and "$790M" in text
    assert "no rate: 21,300,000,000 JPY (2024)" in text, "an unconverted budget is named, never drawn as dollars"


def _budget_rows(client, **params):
    text = client.get("/landscape/budgets.csv", params=params).content.decode("utf-8-sig")
    return {(r["country"], r["definition"], r["fiscal_year"]): r for r in csv.DictReader(io.StringIO(text))}


def test_budget_totals_keep_definitions_apart_and_count_a_part_once(client):
    rows = _budget_rows(client)
    us = rows["US", "appropriation", "2024"]
    # FES (790m, which includes the 250m ITER line) + NNSA ICF (690m); the ITER line is not added again.
    assert us["amount"] == str(790_000_000 + 690_000_000) and us["usd"] == us["amount"]
    assert us["programme_ids"] == "prog:us-fes-fy2024;prog:us-nnsa-icf-fy2024"
    assert us["left_out_ids"] == "prog:us-iter-contribution-fy2024"
    assert rows["US", "request", "2025"]["amount"] == "844000000", "a request is its own row, never added"
    japan = rows["JP", "appropriation", "2024"]
    assert (japan["amount"], japan["usd"], japan["usd_status"]) == ("21300000000", "", "no_rate")
    # The GBP 650m package and its GBP 55m skills line are multi-year: listed on the page, in no yearly total.
    assert not [key for key in rows if key[0] == "GB"]
    page = client.get("/landscape/budgets", params={"lang": "en"}).text
    listed = page.split('id="listed"')[1].split("</table>")[0]
    assert "prog:gb-fusion-futures" in listed and "prog:gb-fusion-futures-skills" in listed
    assert "part of another programme listed" in listed
    assert "1,480,000,000" in page and "left out, part of a programme counted: 1" in page
    assert set(_budget_rows(client, definition="request")) == {("US", "request", "2025")}
    assert set(_budget_rows(client, country="JP")) == {("JP", "appropriation", "2024")}


def test_budget_page_names_countries_without_public_figures(client):
    english = client.get("/landscape/budgets", params={"lang": "en"}).text
    missing = english.split('id="missing"')[1].split("</section>")[0]
    for code, name in [("FR", "France"), ("CN", "China"), ("KR", "South Korea"), ("DE", "Germany")]:
        assert f'id="missing-{code}"' in missing and name in missing
    assert "none is shown rather than an estimate" in missing
    assert 'id="missing-US"' not in missing and 'id="missing-JP"' not in missing
    assert 'id="missing-GB"' in missing and "only multi-year or other figures" in missing
    japanese = client.get("/landscape/budgets", params={"lang": "ja"}).text
    assert "公的な金額が得られない国・地域" in japanese and "中国" in japanese and "成立予算（単年度）" in japanese
    assert "2024年度" in japanese and "推計で補わず" in japanese


def test_budget_chart_draws_one_panel_per_definition(client):
    svg = client.get("/landscape/budgets.svg", params={"lang": "en"}).text
    assert 'id="budgets-chart"' in svg and "$1.5B" in svg and "$844M" in svg
    assert "Appropriation (enacted, one fiscal year)" in svg and "Request or draft budget (one fiscal year)" in svg
    assert "no rate: 21,300,000,000 JPY" in svg, "an unconverted total is named, never drawn as dollars"
    japanese = client.get("/landscape/budgets.svg", params={"lang": "ja"}).text
    assert "定義ごとに1つの枠" in japanese and "2024年度" in japanese


def test_cumulative_totals_are_never_added_to_rounds(client):
    page = client.get("/landscape/investments", params={"lang": "en"}).text
    rounds = round(67_000_000 / 0.7795)  # GBP 2020 yearly average
    assert f'<td>2020</td><td class="num">1</td><td class="num">{rounds:,}</td>' in page
    # Helical Fusion's 2025 round in JPY has no 2025 rate: listed, not converted, not summed.
    assert "Helical Fusion (Series A)" in page.split('id="rounds-by-year"')[1].split("</table>")[0]
    years = page.split('id="rounds-by-year"')[1].split("</table>")[0]
    assert "<td>2024</td>" not in years and "<td>2023</td>" not in years, "cumulative totals make no round-year"
    assert 'class="kind-cumulative"' in page and "Cumulative total" in page and "Single round" in page
    svg = client.get("/landscape/investments.svg").text
    assert 'id="investments-chart"' in svg and "cumulative total as reported" in svg
    assert "$86M" in svg and "$6.2B" not in svg.split("Cumulative totals")[0], "the aggregate is not a bar"
    cumulative = client.get("/landscape/investments", params={"kind": "cumulative", "lang": "en"}).text
    table = cumulative.split('id="investments"')[1]
    assert "Tokamak Energy" in table and "inv:tokamak-energy-2020-67m" not in table


def test_investment_table_columns_and_sources(client):
    page = client.get("/landscape/investments", params={"lang": "en"}).text
    row = page.split('id="inv:tokamak-energy-2020-67m"')[1].split("</tr>")[0]
    for text in ("Tokamak Energy", "67,000,000", "GBP", "2020-01-20", "Legal &amp; General", "equity, single round"):
        assert text in row
    assert 'href="https://www.neimagazine.com/news/uk-tokamak-energy-raises-new-investment-7653757/"' in row
    assert 'title="UK Tokamak Energy raises new investment"' in row
    assert 'id="source-src:nei-2020-tokamak-energy-67m"' in page, "the sources list names every shown source"


def test_facilities_map_and_table(client):
    page = client.get("/landscape/facilities", params={"lang": "en"}).text
    assert 'id="world-map"' in page and 'data-country="JP"' in page and 'data-country="US"' in page
    assert "Major radius (m)" in page and "Field (T)" in page
    lhd = page.split('id="fac:lhd"')[1].split("</tr>")[0]
    assert "Heliotron" in lhd and "Shut down" in lhd and "1998-03-31" in lhd
    svg = client.get("/landscape/facilities.svg", params={"kind": "laser_facility"}).text
    assert svg.startswith("<?xml") and 'id="world-map"' in svg
    assert "United States: 1 facility" in svg and "Japan: 0 facilities" in svg
    assert 'href="/landscape/facilities?kind=laser_facility&amp;country=US"' in svg


def test_filters(client):
    japan = client.get("/landscape/programmes", params={"country": "jp", "lang": "en"}).text
    table = japan.split('id="programmes"')[1]
    assert "prog:jp-mext-fusion-rd-fy2024" in table and "prog:gb-fusion-futures" not in table
    year = client.get("/landscape/programmes", params={"year": "2026"}).text.split('id="programmes"')[1]
    assert "prog:gb-fusion-futures" in year and "prog:us-fes-fy2024" not in year
    heliotrons = client.get("/landscape/facilities", params={"concept": "heliotron"}).text.split('id="facilities"')[1]
    assert "fac:lhd" in heliotrons and "fac:nif" not in heliotrons
    us = client.get("/landscape/timeline", params={"country": "US", "kind": "operation_start"}).text
    assert "ms:us-arc-grid-power" in us and "ms:jt-60sa-first-plasma" not in us.split('id="milestones"')[1]
    planned = client.get("/landscape/timeline", params={"status": "planned"}).text.split('id="milestones"')[1]
    assert "ms:us-arc-grid-power" in planned and "ms:jt-60sa-ceremony" not in planned
    germany = client.get("/landscape/regulation", params={"country": "DE", "lang": "en"}).text
    assert "Germany" in germany and "reg:gb-energy-act-2023" not in germany.split('id="regulations"')[1]
    blank = client.get("/landscape/facilities", params={"country": "", "kind": "", "status": ""})
    assert blank.status_code == 200, "a form's empty selects mean 'all'"


def test_timeline_shows_worded_dates(client):
    page = client.get("/landscape/timeline", params={"lang": "en"}).text
    row = page.split('id="ms:us-arc-grid-power"')[1].split("</tr>")[0]
    assert "<td>early 2030s</td>" in row and "2032" not in row
    svg = client.get("/landscape/timeline.svg").text
    assert 'id="timeline-chart"' in svg and "early 2030s" in svg and "#1f77b4" in svg  # planned colour
    assert "#2e7d32" in svg  # achieved colour


def test_exports(client):
    for table, path in [
        ("programmes", "/landscape/programmes"),
        ("budgets", "/landscape/budgets"),
        ("investments", "/landscape/investments"),
        ("facilities", "/landscape/facilities"),
        ("milestones", "/landscape/timeline"),
        ("regulations", "/landscape/regulation"),
    ]:
        response = client.get(f"{path}.csv")
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows and list(rows[0]) == landscape.COLUMNS[table]
        workbook = load_workbook(io.BytesIO(client.get(f"{path}.xlsx").content))
        sheet = workbook[table]
        headings = [export_labels.COLUMNS[c] for c in landscape.COLUMNS[table]]
        assert [c.value for c in sheet[1]] == headings and sheet.max_row == len(rows) + 1
    for path in ("/landscape/programmes", "/landscape/investments", "/landscape/facilities", "/landscape/timeline"):
        response = client.get(f"{path}.svg", params={"lang": "ja"})
        assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    filtered = client.get("/landscape/investments.csv", params={"kind": "round"}).content.decode("utf-8-sig")
    assert {r["kind"] for r in csv.DictReader(io.StringIO(filtered))} == {"round"}


def test_a_japanese_xlsx_is_for_people(client):
    """Headings and codes in Japanese, widths, a frozen header, an autofilter, and an about sheet naming what,
    the filters, when, the licence and every source the rows cite (the rows' and their rates')."""
    response = client.get("/landscape/budgets.xlsx", params={"lang": "ja", "country": "US"})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["このファイルについて", "budgets"] and book.active.title == "budgets"
    sheet = book["budgets"]
    table = list(sheet.values)
    assert table[0][:4] == ("国", "定義", "年度", "金額")
    assert ("アメリカ合衆国", "成立予算（単年度）", 2024) in {row[:3] for row in table[1:]}
    assert {row[0] for row in table[1:]} == {"アメリカ合衆国"}, "country names, never codes"
    assert "米ドル建て" in {row[6] for row in table[1:]}, "the conversion status is a label, not a code"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:N{len(table)}"
    assert sheet.column_dimensions["B"].width >= 18, "wide enough for the definition's label"
    about = list(book["このファイルについて"].values)
    facts = {row[0]: row[1] for row in about if row[0]}
    assert facts["内容"] == "公的資金の国際比較" and facts["条件"] == "country=US" and facts["行数"] == len(table) - 1
    assert (
        facts["ライセンス"].startswith("CC BY 4.0")
        and facts["出力日時"].endswith("UTC")
        and facts["データのバージョン"]
    )
    cited = [row for row in about if row[0] and str(row[0]).startswith("src:")]
    assert {row[0] for row in cited} >= {"src:fpa-2024-us-fusion-budgets"} and all(row[1] and row[4] for row in cited)
    csv_header = client.get("/landscape/budgets.csv", params={"lang": "ja"}).content.decode("utf-8-sig")
    assert csv_header.startswith("country,definition,fiscal_year"), "CSV keeps the codes, for scripts and imports"


def test_bad_parameters_get_422_and_unknown_formats_404(client):
    for path, params in [
        ("/landscape/programmes", {"country": "UK"}),
        ("/landscape/programmes", {"country": "XYZ"}),
        ("/landscape/programmes", {"year": "20x4"}),
        ("/landscape/budgets", {"definition": "multi_year"}),
        ("/landscape/budgets", {"definition": "everything"}),
        ("/landscape/programmes.csv", {"country": "ZZ"}),
        ("/landscape/investments", {"kind": "everything"}),
        ("/landscape/facilities", {"status": "dreaming"}),
        ("/landscape/facilities", {"kind": "starship"}),
        ("/landscape/timeline", {"status": "soon"}),
        ("/landscape/timeline", {"kind": "<script>"}),
        ("/landscape/regulation", {"page": "0"}),
        ("/landscape/regulation", {"size": "100000"}),
        ("/landscape/timeline", {"page": "many"}),
    ]:
        assert client.get(path, params=params).status_code == 422, (path, params)
    assert client.get("/landscape/programmes.pdf").status_code == 404
    assert client.get("/landscape/regulation.svg").status_code == 404
    assert client.get("/landscape/nowhere").status_code == 404


def test_pagination(client):
    first = client.get("/landscape/facilities", params={"size": 3, "lang": "en"}).text
    assert "Page 1 / 2" in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert first.split('id="facilities"')[1].split("</table>")[0].count("<tr id=") == 3
    last = client.get("/landscape/facilities", params={"size": 3, "page": 2, "lang": "en"}).text
    assert "Page 2 / 2" in last and 'rel="prev"' in last and 'rel="next"' not in last
    assert last.split('id="facilities"')[1].split("</table>")[0].count("<tr id=") == 1


def test_the_public_never_sees_members_records(client):
    for path in ("/landscape", "/landscape/investments", "/landscape/timeline", "/landscape/investments.csv",
                 "/landscape/timeline.csv", "/landscape/investments.svg", "/landscape/timeline.svg"):  # fmt: skip
        text = client.get(path, params={"lang": "en"}).text
        assert "Members Only" not in text and "Secret" not in text and "members-only-co" not in text, path


def test_members_see_members_records(engine, tmp_path):
    # `engine` runs this on SQLite and on PostgreSQL: the landscape reads work on both.
    package = write_package(tmp_path / "package", **{k.replace(".", "_"): v for k, v in _landscape_files().items()})
    load_package(engine, package)
    with engine.connect() as connection:
        public = read_landscape(connection, PUBLIC)
        members = read_landscape(connection, Audience(level=MEMBERS_LEVEL))
    assert "inv:members-only-co-seed" not in {i["id"] for i in public.investments}
    assert "inv:members-only-co-seed" in {i["id"] for i in members.investments}
    assert "ms:members-only-co-secret" in {m["id"] for m in members.milestones}
    assert "ms:members-only-co-secret" not in {m["id"] for m in public.milestones}


def test_every_label_is_translated():
    japanese = {message.id for message in catalog("ja") if message.id}
    labels = {label for table in landscape.LABELS.values() for label in table.values()}
    labels |= {label for _field, label in landscape.PARAMETERS} | set(landscape_charts.LABELS)
    labels |= {"Public funding compared"}
    labels |= {"Overview", "Programmes and budgets", "Facilities", "Timeline", "Regulation", "chart (SVG)", "map (SVG)"}
    labels |= {"Landscape", "Worldwide aggregate", "International", "no rate"}
    assert not sorted(labels - japanese)


def test_world_geometry_is_bundled_and_projected():
    countries = {c.numeric: c for c in landscape_charts.world()}
    assert len(countries) > 170 and "010" not in countries, "Antarctica is left out"
    for code in ("JP", "US", "GB", "FR", "DE", "CN", "KR", "RU", "IT", "CA", "IN", "ES", "CZ", "NL", "CH"):
        assert landscape_charts.NUMERIC[code] in countries, code
    japan = countries["392"]
    lon = japan.centre[0] / landscape_charts.SCALE - 180
    lat = landscape_charts.LAT_TOP - japan.centre[1] / landscape_charts.SCALE
    assert 129 < lon < 146 and 30 < lat < 46
    france = countries["250"]  # metropolitan France, not French Guiana
    assert -5 < france.centre[0] / landscape_charts.SCALE - 180 < 9


def test_chart_axes_use_round_steps():
    assert landscape_charts._ticks(2.3e9) == (2.5e9, 5e8)
    assert landscape_charts._ticks(7.1e9) == (8e9, 2e9)
    assert landscape_charts.money(809_000_000) == "$809M" and landscape_charts.money(1.8e9) == "$1.8B"


def test_a_logged_in_member_sees_members_records(client):
    from fusionatlas.store import accounts

    with client.app.state.engine.begin() as connection:
        accounts.create_user(connection, "member@example.org", "correct horse battery", "member")
    client.get("/login")
    token = client.cookies.get("csrftoken")
    form = {"csrf": token, "email": "member@example.org", "password": "correct horse battery"}
    assert client.post("/login", data=form, follow_redirects=False).status_code in (302, 303)
    page = client.get("/landscape/investments", params={"lang": "en"}).text
    assert "Members Only Co" in page and "Secret Fund" in page


def test_chart_labels_are_cut_by_display_width():
    japanese = landscape_charts._shorten("文部科学省 フュージョンエネルギーの研究開発", 20)
    assert japanese.endswith("…") and len(japanese) <= 11
    assert landscape_charts._shorten("FES FY2024", 20) == "FES FY2024"


# Each section's page and download names, as they were before sections were declared (keep them).
DOWNLOADS = {
    "/landscape/programmes": ("programmes", "landscape-programmes.svg"),
    "/landscape/budgets": ("budgets", "landscape-budgets.svg"),
    "/landscape/investments": ("investments", "landscape-investments.svg"),
    "/landscape/facilities": ("facilities", "landscape-map.svg"),
    "/landscape/timeline": ("milestones", "landscape-timeline.svg"),
    "/landscape/regulation": ("regulations", None),
}


def test_every_declared_section_gets_its_page_and_downloads(client):
    assert [s.path for s in sections.SECTIONS] == list(DOWNLOADS)
    for section in sections.SECTIONS:
        table, svg_name = DOWNLOADS[section.path]
        page = client.get(section.path, params={"lang": "en", "size": 1, "country": ""}).text
        assert f'action="{section.path}"' in page and 'name="country"' in page and "Page 1 / " in page
        assert f'href="{section.path}.csv?lang=en&amp;country="' in page, "downloads keep the filters, not the page"
        for fmt in ("csv", "xlsx"):
            response = client.get(f"{section.path}.{fmt}")
            assert response.headers["content-disposition"] == f'attachment; filename="landscape-{table}.{fmt}"'
        svg = client.get(f"{section.path}.svg")
        if svg_name:
            assert svg.status_code == 200 and svg.headers["content-disposition"] == f'attachment; filename="{svg_name}"'
            assert svg.text.startswith('<?xml version="1.0"') and f'href="{section.path}.svg?' in page
        else:
            assert svg.status_code == 404 and ".svg?" not in page


def test_a_section_is_declared_once_and_registered_anywhere(client):
    """A new section needs only its declaration: page, filters, pager, downloads and chart come with it."""
    engine = client.app.state.engine

    def load(request: Request) -> Landscape:
        with engine.connect() as connection:
            return read_landscape(connection, PUBLIC)

    rules = Section(
        path="/test/rules",
        template="landscape_regulation.html",
        filters=Filters,
        rows=lambda landscape, lang, chosen: regulation_rows(landscape, lang, chosen.country),
        table="rules",
        columns=["id", "country"],
        countries=lambda landscape: (r["country"] for r in landscape.regulations),
        size=1,
        chart=lambda chosen: f'<svg id="rules-chart">{len(chosen.rows)} {chosen.translate("Country")}</svg>',
        chart_name="rules-chart",
    )
    routes = APIRouter()
    register(routes, rules, load)
    app = FastAPI()
    app.state.engine = engine
    app.include_router(routes)
    with TestClient(app) as test:
        german = test.get("/test/rules", params={"country": "de", "lang": "ja"}).text
        assert '<svg id="rules-chart">1 国</svg>' in german and 'action="/test/rules"' in german
        assert '<option value="DE" selected>ドイツ</option>' in german and "reg:de-2025" in german
        first = test.get("/test/rules", params={"lang": "en"}).text
        assert "Page 1 / 2" in first and 'href="?lang=en&amp;page=2"' in first and "Download" in first
        british = test.get("/test/rules.csv", params={"country": "GB"}).content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(british)))
        assert rows == [{"id": "reg:gb-energy-act-2023", "country": "GB"}]
        svg = test.get("/test/rules.svg")
        assert svg.headers["content-disposition"] == 'attachment; filename="rules-chart.svg"'
        assert svg.text.endswith('<svg id="rules-chart">2 Country</svg>')
        assert test.get("/test/rules.pdf").status_code == 404
        assert test.get("/test/rules", params={"country": "UK"}).status_code == 422


def _visible(html: str) -> str:
    """A page's text as a visitor reads it: no tags (and so no attributes), no styles or scripts."""
    html = re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_sources_show_their_titles_not_their_ids(client, path, lang):
    page = client.get(path, params={"lang": lang}).text
    assert "src:" not in _visible(page), "a source id is no reading for a visitor"
    assert "inv:" not in _visible(page)


def test_a_source_link_names_title_publisher_and_date(client):
    english = client.get("/landscape/investments", params={"lang": "en"}).text
    row = english.split('id="inv:tokamak-energy-2020-67m"')[1].split("</tr>")[0]
    assert ">UK Tokamak Energy raises new investment</a>" in row
    assert "(Nuclear Engineering International, 2020-01)" in row
    listed = english.split('id="source-src:nei-2020-tokamak-energy-67m"')[1].split("</li>")[0]
    assert "src:" not in _visible(listed) and "UK Tokamak Energy raises new investment" in listed
    overview = client.get("/landscape", params={"lang": "ja"}).text
    card = _visible(overview.split('id="card-investments"')[1].split("</section>")[0])
    assert "src:" not in card


def test_rounds_without_a_rate_are_named_by_organization_and_round(client):
    english = client.get("/landscape/investments", params={"lang": "en"}).text
    table = english.split('id="rounds-by-year"')[1].split("</table>")[0]
    assert "Helical Fusion (Series A)" in table and "inv:" not in table
    japanese = client.get("/landscape/investments", params={"lang": "ja"}).text
    assert "(シリーズA)" in japanese.split('id="rounds-by-year"')[1].split("</table>")[0]


def test_japanese_pages_write_dollar_amounts_in_oku(client):
    overview = client.get("/landscape", params={"lang": "ja"}).text
    card = _visible(overview.split('id="card-investments"')[1].split("</section>")[0])
    assert re.search(r"[億万]ドル。", card) and "米ドル。" not in card and not re.search(r"\d{1,3}(,\d{3}){2,}", card)
    page = client.get("/landscape/investments", params={"lang": "ja"}).text
    years = _visible(page.split('id="rounds-by-year"')[1].split("</table>")[0])
    assert "万ドル" in years and not re.search(r"\d{1,3}(,\d{3}){2,}", years)
    for path in ("/landscape/programmes", "/landscape/budgets", "/landscape/investments"):
        chart = client.get(path, params={"lang": "ja"}).text.split("<svg")[1].split("</svg>")[0]
        assert not re.search(r"\$[\d.]+[MB]\b", chart), f"{path}: $713M is no Japanese"
        assert not re.search(r"\d{1,3}(,\d{3}){2,} [A-Z]{3}", chart), f"{path}: 21,300,000,000 JPY neither"
        assert "億ドル" in chart or "万ドル" in chart
    english = client.get("/landscape/investments", params={"lang": "en"}).text
    assert re.search(r"\$[\d.]+[MB]\b", english.split("<svg")[1])


ISO_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}(?:-\d{2})?(?![\w-])")


@pytest.mark.parametrize("path", PAGES)
def test_japanese_pages_write_dates_in_nengappi(client, path):
    page = client.get(path, params={"lang": "ja"}).text
    page = re.sub(r'<a class="source".*?</a>', "", page, flags=re.S)  # a source's title is as published
    page = re.sub(r'<ol class="sources">.*?</ol>', "", page, flags=re.S)
    assert not ISO_DATE.findall(_visible(page.split("<main")[1]))


def test_an_exact_date_gets_no_fiscal_year_prefix(client):
    english = client.get("/landscape/programmes", params={"lang": "en"}).text
    row = english.split('id="prog:jp-mext-fusion-rd-fy2024"')[1].split("</tr>")[0]
    assert "<td>2024-04 – 2025-03</td>" in row and "FY2024-04" not in english
    japanese = client.get("/landscape/programmes", params={"lang": "ja"}).text
    assert "<td>2024年4月 – 2025年3月</td>" in japanese.split('id="prog:jp-mext-fusion-rd-fy2024"')[1]


def _circles(svg: str) -> dict[str, tuple[float, float, float]]:
    """Each marker's tooltip with its circle's centre and radius."""
    found = re.findall(r'<title>([^<]*)</title><circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', svg)
    return {title: (float(x), float(y), float(r)) for title, x, y, r in found}


def test_map_markers_of_europe_stay_in_the_inset_and_drawn_countries_are_on_the_map():
    names = {"SE": "Sweden", "NO": "Norway", "FI": "Finland", "DE": "Germany", "EG": "Egypt", "LY": "Libya",
             "EU": "European Union"}  # fmt: skip
    counts = {"SE": 2, "NO": 1, "FI": 1, "DE": 5, "EG": 1, "LY": 1, "EU": 1}
    svg = landscape_charts.world_map(counts, names, lambda code: f"/x?country={code}", str)
    ix, iy, iw, ih = landscape_charts.INSET
    top = 30  # the map's offset under the chart title
    circles = _circles(svg)
    for code in ("SE", "NO", "FI", "DE"):
        x, y, r = next(v for k, v in circles.items() if k.startswith(names[code] + ":"))
        assert ix <= x - r and x + r <= ix + iw and iy + top <= y - r + top and y + r <= iy + ih, code
    assert "Egypt: 1 facility" in circles and "Libya: 1 facility" in circles and "Sweden: 2 facilities" in circles
    note = re.search(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*>Not on the map: ([^<]*)</text>', svg)
    assert note and note.group(3) == "European Union (1)", "Egypt and Libya are drawn, so they are on the map"
    credit = re.search(r'<text x="[\d.]+" y="([\d.]+)"[^>]*>Map: Natural Earth', svg)
    assert credit and float(note.group(2)) >= float(credit.group(1)) + 12, "the note is on its own line"
    assert float(note.group(2)) < float(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))


def test_facility_table_writes_unknown_values_as_such(sqlite_engine, tmp_path):
    fields, rows = _rows(FILES["facilities.csv"])
    rows[0]["status"] = ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fields)
    writer.writeheader()
    writer.writerows(rows)
    load_package(sqlite_engine, write_package(tmp_path / "package", facilities_csv=buffer.getvalue()))
    with TestClient(create_app(str(sqlite_engine.url))) as client:
        for lang, unknown in (("en", "unknown"), ("ja", "不明")):
            page = client.get("/landscape/facilities", params={"lang": lang}).text
            row = page.split(f'id="{rows[0]["id"]}"')[1].split("</tr>")[0]
            assert f"<td>{unknown}</td>" in row, "a blank status says it is not known"
            assert '<td class="num"></td>' not in page and '<td class="num">–</td>' in row


def test_timeline_labels_neither_overlap_dots_nor_leave_the_chart():
    event = landscape_charts.Event
    events = [
        event("Japan", 2020, "achieved", "", "a"),
        event("Japan", 2020, "planned", "around 2020", "b"),
        event("Japan", 2021, "achieved", "", "c"),
        event("Japan", 2022, "achieved", "", "c2"),
        event("Japan", 2026, "planned", "first half of the 2030s", "d"),
        event("Japan", 2027, "planned", "", "e"),
        event("China", 2039, "planned", "by the 2030s", "f"),
        event("China", 2050, "planned", "2050s", "g"),
        event("China", 2006, "achieved", "", "h"),
    ]
    svg = landscape_charts.timeline(events, {s: s for s in landscape_charts.STATUS_COLOURS}, str)
    width = float(re.search(r'viewBox="0 0 (\d+)', svg).group(1))
    dots = [tuple(map(float, d)) for d in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', svg)]
    labels = re.findall(
        r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(start|end)" font-size="9"[^>]*>'
        r"(?:<title>([^<]*)</title>)?([^<]*)",
        svg,
    )
    shown = {full or text: text for _x, _y, _a, full, text in labels}
    assert "2050s" in shown and shown["2050s"] == "2050s", "the last label is whole, drawn where there is room"
    assert shown.get("around 2020") == "around 2020"
    assert all(t == text or t.endswith("…") for text, t in shown.items()), "a cut label keeps its text in <title>"
    for x, y, anchor, _full, text in labels:
        span = len(text) * landscape_charts.COLUMN
        x0, x1 = (float(x), float(x) + span) if anchor == "start" else (float(x) - span, float(x))
        assert x0 >= 0 and x1 <= width, f"{text} leaves the chart"
        for cx, cy, r in dots:
            if abs(cy + 3 - float(y)) < 1:  # a dot of the same row
                assert x1 <= cx - r or x0 >= cx + r, f"{text} runs over a dot"
