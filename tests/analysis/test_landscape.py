"""Money conversion with a named yearly rate, investment figure kinds, and round totals that leave cumulative
totals out."""

import pytest

from fusionatlas.analysis.landscape import (
    COMPARED,
    CUMULATIVE,
    OTHER,
    ROUND,
    Rates,
    countries_without_figures,
    funding_totals,
    investment_kind,
    listed_figures,
    programme_year,
    programme_years,
    rounds_by_year,
    year_of,
)

RATES = Rates.from_records(
    [
        {"currency": "GBP", "year": 2023, "per_usd": 0.8039, "source_ids": ["src:frb"]},
        {"currency": "JPY", "year": 2023, "per_usd": 140.5, "source_ids": ["src:frb"]},
    ]
)


def test_conversion_names_its_rate():
    conversion = RATES.to_usd(650_000_000, "GBP", 2023)
    assert conversion.status == "converted"
    assert conversion.usd == pytest.approx(650_000_000 / 0.8039)
    assert (
        conversion.rate.year == 2023
        and conversion.rate.per_usd == 0.8039
        and conversion.rate.source_ids == ("src:frb",)
    )


def test_no_rate_means_no_conversion():
    # 2024 has no JPY rate: nothing is converted, not even with the nearest year's.
    assert RATES.to_usd(21_300_000_000, "JPY", 2024).usd is None
    assert RATES.to_usd(21_300_000_000, "JPY", 2024).status == "no_rate"
    assert RATES.to_usd(1, "JPY", None).status == "no_year"
    assert RATES.to_usd(None, "JPY", 2023).status == "no_amount"
    dollars = RATES.to_usd(790_000_000, "USD", 2031)
    assert dollars.usd == 790_000_000 and dollars.status == "usd" and dollars.rate is None


@pytest.mark.parametrize(
    ("definition", "kind"),
    [
        ("equity, single round", ROUND),
        ("equity, single tranche", ROUND),
        ("public grant, single award", ROUND),
        ("equity, part of a round; amount not disclosed", ROUND),
        ("cumulative total raised (approximate)", CUMULATIVE),
        ("Cumulative private investment (aggregate, not a single round)", CUMULATIVE),
        ("funding listed in FIA 2023 report year (may aggregate more than one round)", OTHER),
        ("new funding in the survey year (aggregate of 27 investments, worldwide)", OTHER),
        (None, OTHER),
    ],
)
def test_investment_kind(definition, kind):
    assert investment_kind(definition) == kind


def test_rounds_by_year_never_adds_cumulative_totals():
    investments = [
        {"id": "inv:a", "amount": 100, "currency": "USD", "date": "2023-01", "definition": "equity, single round"},
        {"id": "inv:b", "amount": 50, "currency": "USD", "date": "2023-09-01", "definition": "equity, single round"},
        {"id": "inv:c", "amount": 1000, "currency": "USD", "date": "2023-12", "definition": "cumulative total raised"},
        {"id": "inv:d", "amount": 400, "currency": "USD", "date": "2023-07", "definition": "funding in report year"},
        {"id": "inv:e", "amount": 140_500, "currency": "JPY", "date": "2023", "definition": "equity, single round"},
        {"id": "inv:f", "amount": 10, "currency": "JPY", "date": "2025", "definition": "equity, single round"},
        {"id": "inv:g", "amount": None, "currency": None, "date": "2025", "definition": "equity, part of a round"},
    ]
    totals = {t.year: t for t in rounds_by_year(investments, RATES)}
    assert totals[2023].usd == pytest.approx(1150) and totals[2023].counted == ("inv:a", "inv:b", "inv:e")
    assert totals[2025].usd == 0 and totals[2025].not_converted == ("inv:f",)


def test_years():
    assert year_of("2023-10-26") == 2023 and year_of(None) is None and year_of("soon") is None
    assert programme_year({"start": None, "end": "2040"}) == 2040
    assert list(programme_years({"start": "2023", "end": "2027"})) == [2023, 2024, 2025, 2026, 2027]
    assert list(programme_years({"start": "2024-11"})) == [2024]
    assert list(programme_years({})) == []


def _programme(pid, country, amount, currency, definition, year=None, part_of=None):
    return {
        "id": pid, "country": country, "amount": amount, "currency": currency, "definition": definition,
        "fiscal_year": year, "part_of": part_of, "source_ids": [f"src:{pid[5:]}"], "start": None, "end": None,
    }  # fmt: skip


PROGRAMMES = [
    _programme("prog:us-a-24", "US", 790, "USD", "appropriation", 2024),
    _programme("prog:us-b-24", "US", 690, "USD", "appropriation", 2024),
    _programme("prog:us-iter-24", "US", 250, "USD", "appropriation", 2024, part_of="prog:us-a-24"),
    _programme("prog:us-req-24", "US", 1000, "USD", "request", 2024),
    _programme("prog:jp-a-23", "JP", 140_500, "JPY", "appropriation", 2023),
    _programme("prog:jp-r-23", "JP", 281_000, "JPY", "request", 2023),
    _programme("prog:jp-a-26", "JP", 300, "JPY", "appropriation", 2026),
    _programme("prog:gb-pack", "GB", 650, "GBP", "multi_year"),
    _programme("prog:gb-pack-part", "GB", 200, "GBP", "multi_year", part_of="prog:gb-pack"),
    _programme("prog:de-pack", "DE", 370, "EUR", "multi_year"),
    _programme("prog:jp-ba", "JP", None, None, "in_kind"),
    _programme("prog:kr-plan", "KR", None, None, "no_amount"),
]


def test_funding_totals_never_add_across_definitions_or_count_a_part_twice():
    rates = Rates.from_records(
        [
            {"currency": "JPY", "year": 2023, "per_usd": 140.5, "source_ids": ["src:frb"]},
            {"currency": "JPY", "year": 2026, "per_usd": 150.0, "source_ids": ["src:ytd"], "through": "2026-11-30"},
        ]
    )
    totals = {(t.country, t.definition, t.fiscal_year): t for t in funding_totals(PROGRAMMES, rates)}
    assert set(totals) == {
        ("US", "appropriation", 2024), ("US", "request", 2024), ("JP", "appropriation", 2023),
        ("JP", "request", 2023), ("JP", "appropriation", 2026),
    }  # fmt: skip
    us = totals["US", "appropriation", 2024]
    # The ITER line is inside the first appropriation: counted once, in its parent.
    assert us.amount == 790 + 690 and us.counted == ("prog:us-a-24", "prog:us-b-24")
    assert us.inside == ("prog:us-iter-24",) and "src:us-iter-24" in us.source_ids
    assert totals["US", "request", 2024].amount == 1000  # a request is never added to what was granted
    japan = totals["JP", "appropriation", 2023]
    assert japan.conversion.status == "converted" and japan.conversion.usd == pytest.approx(1000)
    assert totals["JP", "request", 2023].conversion.usd == pytest.approx(2000)
    # 2026 converts with the year-to-date average, which says so.
    ytd = totals["JP", "appropriation", 2026].conversion
    assert ytd.usd == pytest.approx(2) and ytd.rate.through == "2026-11-30"
    # Multi-year packages and in-kind contributions are listed, never summed into a year.
    assert {p["id"] for p in listed_figures(PROGRAMMES)} == {"prog:gb-pack", "prog:gb-pack-part", "prog:de-pack",
                                                              "prog:jp-ba"}  # fmt: skip


def test_countries_without_public_figures_are_named():
    missing = countries_without_figures(PROGRAMMES)
    assert set(COMPARED) >= set(missing)
    assert missing == {"GB": "no_one_year", "EU": "none", "DE": "no_one_year", "FR": "none", "CN": "none",
                       "KR": "none"}  # fmt: skip
