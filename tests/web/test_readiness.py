"""Readiness on the web: a member's self-assessment, reviewed by an editor, shown as self-assessed on the
technology page and used by the gap analysis only where no independent assessment exists; who sees it."""

import re

from fastapi.testclient import TestClient

from tests.web.test_accounts import app, logged_in  # noqa: F401  (the fixture and the login helper)


def _submit(member: TestClient, **changes: str):
    form = {
        "csrf": member.cookies.get("csrftoken"),
        "technology_id": "tech:hcd.gyrotron",
        "value": "7",
        "context": "demo",
        "concept": "tokamak",
        "date": "2026-11",
        "description_en": "Our 170 GHz gyrotron ran 1 MW for 300 s",
        "description_ja": "170 GHzジャイロトロンで1 MW・300秒を達成",
        "visibility": "private",
        **changes,
    }
    return member.post("/submit/readiness", data=form)


def test_self_assessment_is_reviewed_then_shown_as_self_assessed(app):  # noqa: F811
    member = logged_in(app, "fujikura@example.org")
    form = member.get("/submit/readiness", params={"technology_id": "tech:hcd.gyrotron", "lang": "ja"})
    assert form.status_code == 200 and "自組織の技術成熟度を評価する" in form.text
    assert '<option value="tech:hcd.gyrotron" selected>' in form.text
    # Bad input names the field, in the member's language, and stores nothing.
    bad = _submit(member, value="12")
    assert bad.status_code == 422 and "value" in bad.text
    undated = _submit(member, date="")
    assert undated.status_code == 422 and "date" in undated.text
    assert _submit(member).status_code == 200
    # A member without an organization has nothing of its own to assess.
    loner = logged_in(app, "member@example.org")
    refused = _submit(loner)
    assert refused.status_code == 403 and "Only users of an organization" in refused.text

    # Not shown before review.
    page = member.get("/technologies/tech:hcd.gyrotron", params={"lang": "en"}).text
    assert "No readiness assessment recorded yet." in page

    editor = logged_in(app, "editor@example.org")
    review = editor.get("/review", params={"lang": "en"})
    (number,) = re.findall(r'action="/review/(\d+)"', review.text)
    token = editor.cookies.get("csrftoken")
    assert editor.post(f"/review/{number}", data={"csrf": token, "decision": "approve"}).status_code == 200

    # Its organization sees it, marked self-assessed and used (no independent assessment of the node).
    mine = member.get("/technologies/tech:hcd.gyrotron", params={"lang": "en"}).text
    section = mine[mine.index('id="readiness-section"') :]
    assert "Our 170 GHz gyrotron ran 1 MW for 300 s" in section
    assert 'class="self-assessed"' in section and 'class="used"' in section
    assert "TRL 7 (demo, 2026-11) — self-assessed" in mine
    japanese = member.get("/technologies/tech:hcd.gyrotron", params={"lang": "ja"}).text
    assert "自己評価" in japanese and "170 GHzジャイロトロンで1 MW・300秒を達成" in japanese
    # The chart downloads as SVG, with the assessment for its organization and without it for others.
    chart = member.get("/technologies/tech:hcd.gyrotron/readiness.svg")
    assert chart.headers["content-type"].startswith("image/svg+xml") and 'class="assessment"' in chart.text
    assert member.get("/technologies/tech:nowhere/readiness.svg").status_code == 404
    # Private to its organization: the public and other members do not see it, nor its words.
    for other in (TestClient(app), loner):
        shown = other.get("/technologies/tech:hcd.gyrotron", params={"lang": "en"}).text
        assert "1 MW for 300 s" not in shown and "No readiness assessment recorded yet." in shown
        assert 'class="assessment"' not in other.get("/technologies/tech:hcd.gyrotron/readiness.svg").text
    # The CLI's shape, through the core, for the operator.
    from fusionatlas.analysis.readiness import as_json, assessments
    from fusionatlas.domain.audience import OPERATOR, PUBLIC

    with app.state.engine.connect() as connection:
        everyone = as_json(assessments(connection, OPERATOR, "tech:hcd.gyrotron"))["assessments"]
        public = assessments(connection, PUBLIC, "tech:hcd.gyrotron")
    assert public == [] and len(everyone) == 1
    row = everyone[0]
    assert row["self_assessed"] is True and row["assessor_org_id"] == "org:fujikura" and row["value"] == 7
    assert set(row) == {
        "id",
        "technology_id",
        "scale",
        "value",
        "context",
        "assessor_org_id",
        "method",
        "date",
        "self_assessed",
        "source_ids",
    }


def test_assessments_are_listed_newest_first_and_the_documented_one_is_used(app):  # noqa: F811
    member = logged_in(app, "fujikura@example.org")
    for date, value in (("2025-01", "4"), ("2026-06", "6")):
        assert _submit(member, date=date, value=value, visibility="public").status_code == 200
    editor = logged_in(app, "editor@example.org")
    for number in re.findall(r'action="/review/(\d+)"', editor.get("/review").text):
        editor.post(f"/review/{number}", data={"csrf": editor.cookies.get("csrftoken"), "decision": "approve"})
    page = TestClient(app).get("/technologies/tech:hcd.gyrotron", params={"lang": "en"}).text
    table = page[page.index('id="assessments"') :]
    dates = re.findall(r"<td>(20\d\d-\d\d)</td>", table)
    assert dates == ["2026-06", "2025-01"]
    used = re.search(r'<tr class="used" data-id="([^"]+)"', table)
    assert used and "2026-06" in table[table.index(used.group(0)) :][:400]
