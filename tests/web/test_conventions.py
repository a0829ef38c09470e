"""Japanese conventions for amounts, dates and fiscal years."""

import pytest

from fusionatlas.web.conventions import amount_ja, amount_text, date_ja, round_ja, year_ja


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (10_000_000_000, "JPY", "100億円"),
        (65_000_000_000, "JPY", "650億円"),
        (1_234_500_000_000, "JPY", "1兆2,345億円"),
        (2_000_000_000_000, "JPY", "2兆円"),
        (1_800_000_000, "USD", "18億ドル"),
        (370_000_000, "EUR", "3.7億ユーロ"),
        (15_000_000, "USD", "1,500万ドル"),
        (1_000_000, "JPY", "100万円"),
        (5_000, "JPY", "5,000円"),
        (123_456_789, "GBP", "1.23億ポンド"),
        (500_000_000, "XYZ", "5億 XYZ"),
    ],
)
def test_amounts_in_japanese_units(amount, currency, text):
    assert amount_ja(amount, currency) == text


def test_english_amounts_keep_their_digits():
    assert amount_text(10_000_000_000, "JPY", "en") == "10,000,000,000 JPY"
    assert amount_text(None, "JPY", "ja") == ""


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("2025-06-04", "2025年6月4日"),
        ("2025-06", "2025年6月"),
        ("2025", "2025年"),
        ("after ITER", "after ITER"),
        (None, ""),
    ],
)
def test_dates(value, text):
    assert date_ja(value) == text


def test_fiscal_years():
    assert (
        year_ja(2025, fiscal=True) == "2025年度"
        and year_ja(2025, fiscal=False) == "2025年"
        and year_ja(None, True) == ""
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("early 2030s", "2030年代前半"),
        ("2050s", "2050年代"),
        ("by the 2030s", "2030年代までに"),
        ("by the end of the 2030s", "2030年代末までに"),
        ("within FY2025", "2025年度中"),
        ("mid-2027", "2027年半ば"),
    ],
)
def test_date_wording(value, text):
    assert date_ja(value) == text


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Series C (total of tranches)", "シリーズC(トランシェ合計)"),
        ("Series A extension", "シリーズA(追加)"),
        ("Seed", "シード"),
        (None, ""),
    ],
)
def test_rounds(name, text):
    assert round_ja(name) == text


def test_the_year_filter_puts_fy_only_before_a_fiscal_year():
    from jinja2 import Environment

    from fusionatlas.web.conventions import FILTERS

    environment = Environment()
    environment.filters.update(FILTERS)
    template = environment.from_string("{{ value | year_text(true) }}")
    assert template.render(value="2024", lang="en") == "FY2024"
    assert template.render(value="2007-06-01", lang="en") == "2007-06-01", "an exact date is no fiscal year"
    assert template.render(value="2024-04", lang="en") == "2024-04"
    assert template.render(value="2007-06-01", lang="ja") == "2007年6月1日"
    assert template.render(value="2024", lang="ja") == "2024年度"


def test_moments_in_the_readers_convention():
    from datetime import UTC, datetime

    from fusionatlas.web.conventions import moment_text

    moment = datetime(2026, 12, 6, 12, 50, tzinfo=UTC)
    assert moment_text(moment, "ja") == "2026年12月6日 21:50（日本時間）"
    assert moment_text(moment, "en") == "2026-12-06 12:50 UTC"
    assert moment_text(datetime(2026, 12, 31, 15, 5), "ja") == "2027年1月1日 0:05（日本時間）", "naive is UTC"
    assert moment_text(None, "ja") == ""
