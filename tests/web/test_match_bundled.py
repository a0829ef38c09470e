"""Matching, opportunities and search on the bundled atlas, as a visitor sees them: a need's buyer is not its
own supplier, an organization is not offered its own needs, the seeds box orders by score."""

import re

import pytest
from fastapi.testclient import TestClient

from fusionatlas.web.app import create_app


@pytest.fixture
def client(bundled_sqlite_url):
    app = create_app(bundled_sqlite_url)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def supplier_ids(html: str) -> list[str]:
    table = html[html.index('id="suppliers"') :]
    table = table[: table.index("</table>")]
    return re.findall(r'href="/organizations/(org:[^"]+)"', table)


@pytest.mark.parametrize(
    ("need_id", "buyer"),
    [
        ("need:qst-rokkasho-site-concept-study-2024", "org:qst"),
        ("need:euratom-2027-01-fusion-innovation-actions", "org:european-commission"),
        ("need:ukifs-step-construction-partner", "org:ukifs"),
    ],
)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_need_s_buyer_is_not_proposed_as_its_supplier(client, need_id, buyer, lang):
    page = client.get(f"/needs/{need_id}", params={"lang": lang})
    assert page.status_code == 200
    proposed = supplier_ids(page.text)
    assert proposed and buyer not in proposed


def test_the_match_api_leaves_out_the_organizations_it_is_told_to(client):
    query = "六ヶ所 原型炉 サイト 概念 検討"
    assert "org:qst" in [r["org_id"] for r in client.get("/api/match", params={"q": query}).json()["results"]]
    answer = client.get("/api/match", params=[("q", query), ("exclude", "org:qst")]).json()
    assert answer["results"] and "org:qst" not in [r["org_id"] for r in answer["results"]]
