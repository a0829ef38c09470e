"""Money conversion with a named yearly rate, investment figure kinds, and round totals that leave cumulative
totals out."""

import pytest

from fusionatlas.analysis.landscape import (
    CUMULATIVE,
    OTHER,
    ROUND,
    Rates,
    investment_kind,
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
