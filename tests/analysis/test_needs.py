"""The needs reader: what each audience may see, statuses as of a given day, the list's order and filters,
and one need with its technologies, awardees and sources; on SQLite and PostgreSQL."""

import pytest

from fusionatlas.analysis.needs import (
    NeedFilterError,
    NeedFilters,
    check_filters,
    filter_needs,
    needs_per_node,
    read_need,
    read_needs,
    status_counts,
)
from fusionatlas.domain.audience import MEMBERS_LEVEL, OPERATOR, PUBLIC, Audience
from fusionatlas.store import queries
from fusionatlas.store.engine import open_engine
from tests.needs_fixtures import HIDDEN_NEEDS, PUBLIC_NEEDS, load_needs

TODAY = "2026-12-06"


@pytest.fixture
def loaded(db_from_template):
    engine = open_engine(db_from_template("needs", load_needs))
    yield engine
    engine.dispose()


def ids(needs):
    return [need["id"] for need in needs]


def test_the_public_sees_public_needs_of_visible_buyers_open_first(loaded):
    with loaded.connect() as connection:
        needs = read_needs(connection, PUBLIC, TODAY)
    assert ids(needs) == PUBLIC_NEEDS
    by_id = {need["id"]: need for need in needs}
    # Recorded open, deadline 2020-01-31: closed as of today.
    assert by_id["need:qst-hts-tape-2019"]["status"] == "closed"
    assert by_id["need:qst-hts-tape-2019"]["recorded_status"] == "open"
    assert by_id["need:iter-gyrotron"]["status"] == "open"
    # The members-only awardee is left out; the buyer comes with its names and country.
    assert by_id["need:qst-rebco-award-2025"]["awardee_org_ids"] == ["org:fujikura"]
    assert by_id["need:qst-magnet-2031"]["buyer"] == {
        "id": "org:qst",
        "name_en": "National Institutes for Quantum Science and Technology",
        "name_ja": "量子科学技術研究開発機構",
        "country": "JP",
    }


def test_status_is_as_of_the_day_asked(loaded):
    with loaded.connect() as connection:
        needs = read_needs(connection, PUBLIC, "2019-12-01")
    # Before its deadline the tape need is open, and its deadline is the nearest of the open ones.
    assert ids(needs)[:3] == ["need:qst-hts-tape-2019", "need:iter-gyrotron", "need:qst-magnet-2031"]
    assert [n["status"] for n in needs[:3]] == ["open", "open", "open"]


@pytest.mark.parametrize(
    ("audience", "hidden_seen", "awardees"),
    [
        (Audience(level=MEMBERS_LEVEL), ["need:members-bellows"], ["org:fujikura", "org:members-only-co"]),
        (Audience(level=MEMBERS_LEVEL, org_id="org:private-buyer"), HIDDEN_NEEDS, None),
        (OPERATOR, HIDDEN_NEEDS, ["org:fujikura", "org:members-only-co"]),
    ],
)
def test_other_audiences_see_what_they_may(loaded, audience, hidden_seen, awardees):
    with loaded.connect() as connection:
        needs = read_needs(connection, audience, TODAY)
    assert sorted(set(ids(needs)) - set(PUBLIC_NEEDS)) == sorted(hidden_seen)
    if awardees:
        award = next(n for n in needs if n["id"] == "need:qst-rebco-award-2025")
        assert award["awardee_org_ids"] == awardees


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (NeedFilters(status="open"), ["need:iter-gyrotron", "need:qst-magnet-2031"]),
        (NeedFilters(status="closed"), ["need:qst-hts-tape-2019"]),
        (NeedFilters(status="awarded"), ["need:qst-rebco-award-2025"]),
        (NeedFilters(status="cancelled"), ["need:iter-hcd-2024"]),
        # A node keeps the needs on it and below it.
        (
            NeedFilters(technology="tech:magnet"),
            ["need:qst-magnet-2031", "need:qst-hts-tape-2019", "need:qst-rebco-award-2025"],
        ),
        (NeedFilters(technology="tech:magnet.hts"), ["need:qst-hts-tape-2019", "need:qst-rebco-award-2025"]),
        (NeedFilters(technology="tech:hcd", status="open"), ["need:iter-gyrotron"]),
        (NeedFilters(country="FR"), ["need:iter-gyrotron", "need:iter-hcd-2024"]),
        (NeedFilters(country="jp", status="open"), ["need:qst-magnet-2031"]),
        (NeedFilters(country="US"), []),
        # Deadlines, both ends inclusive; a year counts only when the whole year is on the chosen side.
        (NeedFilters(deadline_after="2030"), ["need:iter-gyrotron", "need:qst-magnet-2031"]),
        (NeedFilters(deadline_after="2030-01-02"), ["need:qst-magnet-2031"]),
        (NeedFilters(deadline_before="2030-06-30"), ["need:iter-hcd-2024", "need:qst-hts-tape-2019"]),
        (NeedFilters(deadline_before="2030"), ["need:iter-gyrotron", "need:iter-hcd-2024", "need:qst-hts-tape-2019"]),
        (
            NeedFilters(deadline_after="2020-01-31", deadline_before="2024-12-31"),
            ["need:iter-hcd-2024", "need:qst-hts-tape-2019"],
        ),
        (NeedFilters(status=" ", technology=""), PUBLIC_NEEDS),
    ],
)
def test_filters(loaded, filters, expected):
    with loaded.connect() as connection:
        needs = read_needs(connection, PUBLIC, TODAY)
        technologies, _children = queries.technology_tree(connection)
    assert ids(filter_needs(needs, check_filters(filters, technologies), technologies)) == expected


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (NeedFilters(status="pending"), "status: unknown status 'pending' (one of: open, closed, awarded, cancelled)"),
        (NeedFilters(technology="tech:warp"), "technology: unknown technology 'tech:warp'"),
        (NeedFilters(country="XX"), "country: 'XX' is not an ISO 3166-1 alpha-2 country code"),
        (NeedFilters(deadline_after="2025-13"), "deadline_after: '2025-13' has no month 13"),
        (NeedFilters(deadline_before="soon"), "deadline_before: 'soon' is not an ISO 8601 date"),
    ],
)
def test_bad_filters_name_their_field(loaded, filters, message):
    with loaded.connect() as connection:
        technologies, _children = queries.technology_tree(connection)
    with pytest.raises(NeedFilterError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        check_filters(filters, technologies)


def test_counts(loaded):
    with loaded.connect() as connection:
        needs = read_needs(connection, PUBLIC, TODAY)
        technologies, _children = queries.technology_tree(connection)
    assert status_counts(needs) == {"open": 2, "closed": 1, "awarded": 1, "cancelled": 1}
    assert status_counts([]) == {"open": 0, "closed": 0, "awarded": 0, "cancelled": 0}
    assert needs_per_node(needs, technologies) == {
        "tech:magnet": 3,
        "tech:magnet.hts": 2,
        "tech:hcd": 2,
        "tech:hcd.gyrotron": 1,
    }


def test_one_need_with_its_technologies_awardees_and_sources(loaded):
    with loaded.connect() as connection:
        detail = read_need(connection, "need:qst-rebco-award-2025", PUBLIC, TODAY)
    assert detail is not None
    assert detail.need["quantity"] == 20 and detail.need["quantity_unit"] == "km of REBCO tape"
    assert detail.need["value"] == 3500000000 and detail.need["currency"] == "JPY"
    assert (detail.need["delivery_start"], detail.need["delivery_end"]) == ("2025-06", "2026-03")
    assert detail.technologies == [{"id": "tech:magnet.hts", "name_en": "HTS REBCO tape", "name_ja": "高温超伝導線材"}]
    assert [org["id"] for org in detail.awardees] == ["org:fujikura"]
    assert list(detail.sources) == ["src:fujikura-hts"]


def test_a_hidden_need_reads_as_a_missing_one(loaded):
    with loaded.connect() as connection:
        assert read_need(connection, "need:members-bellows", PUBLIC, TODAY) is None
        assert read_need(connection, "need:private-buyer-call", Audience(level=MEMBERS_LEVEL), TODAY) is None
        assert read_need(connection, "need:nothing-here", OPERATOR, TODAY) is None
        assert read_need(connection, "need:members-bellows", Audience(level=MEMBERS_LEVEL), TODAY) is not None
        assert read_need(connection, "need:private-buyer-call", OPERATOR, TODAY) is not None
