"""Relations between organizations (stakes, loans, memberships, MoUs...): on both parties' pages, in both
languages, and only where the audience may see both parties and the relation itself."""

import re

import pytest
from fastapi.testclient import TestClient

from fusionatlas.dataset.package import load_package
from fusionatlas.domain.audience import MEMBERS_LEVEL, Audience
from fusionatlas.web.app import create_app
from tests.fixtures import write_package

PUBLIC_RELATION = "domestic agency for ITER procurement."  # after "Japan's", which the page escapes
MEMBERS_RELATION = "A contract only members may see."


def _client(engine, tmp_path, audience: Audience | None) -> TestClient:
    load_package(engine, write_package(tmp_path / "package"))
    app = create_app(str(engine.url))
    if audience is not None:

        @app.middleware("http")
        async def as_viewer(request, call_next):  # stands in for the accounts middleware
            request.state.viewer = audience
            return await call_next(request)

    return TestClient(app)


@pytest.mark.parametrize("org_id", ["org:qst", "org:iter-organization"])
def test_a_relation_is_on_both_parties_pages_in_both_languages(engine, tmp_path, org_id):
    with _client(engine, tmp_path, None) as client:
        english = client.get(f"/organizations/{org_id}", params={"lang": "en"}).text
        japanese = client.get(f"/organizations/{org_id}", params={"lang": "ja"}).text
    assert 'id="relations"' in english and PUBLIC_RELATION in english and "Partnership" in english
    assert "ITER調達における日本の国内機関。" in japanese and "組織間の関係" in japanese and "提携" in japanese
    assert "Partnership" not in japanese
    other = "org:iter-organization" if org_id == "org:qst" else "org:qst"
    assert f'href="/organizations/{other}"' in english
    assert "ITER gyrotrons" in english  # its source is cited
    assert MEMBERS_RELATION not in english


def test_a_members_relation_shows_to_members_only(engine, tmp_path):
    with _client(engine, tmp_path, Audience(level=MEMBERS_LEVEL)) as client:
        qst = client.get("/organizations/org:qst", params={"lang": "en"}).text
        other = client.get("/organizations/org:members-only-co", params={"lang": "en"}).text
    assert MEMBERS_RELATION in qst and MEMBERS_RELATION in other
    assert "Contract" in qst and 'href="/organizations/org:members-only-co"' in qst


def test_an_organization_without_relations_has_no_section(engine, tmp_path):
    with _client(engine, tmp_path, None) as client:
        page = client.get("/organizations/org:fujikura", params={"lang": "en"}).text
    assert 'id="relations"' not in page


def test_relation_dates_and_verification_in_nengappi_on_japanese_pages(engine, tmp_path):
    from tests.fixtures import RELATIONS

    relations = RELATIONS.replace(",org:iter-organization,2007,", ",org:iter-organization,2007-10-24,")
    load_package(engine, write_package(tmp_path / "package", relations_csv=relations))
    with TestClient(create_app(str(engine.url))) as client:
        japanese = client.get("/organizations/org:qst", params={"lang": "ja"}).text
        english = client.get("/organizations/org:qst", params={"lang": "en"}).text
    table = japanese.split('id="relations"')[1].split("</table>")[0]
    assert "<td>2007年10月24日</td>" in table and not re.search(r"<td>\d{4}-\d{2}", table)
    assert not re.search(r'id="org-verified">\d{4}-', japanese)
    assert "<td>2007-10-24</td>" in english.split('id="relations"')[1]
