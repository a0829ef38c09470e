import pytest

from fusionatlas.domain.values import check_iso_date, fiscal_year, parse_bool, parse_country, parse_list


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("FY2023", 2023),
        ("fy 2024", 2024),
        ("2023年度", 2023),
        ("令和5年度", 2023),
        ("令和元年度", 2019),
        ("R5年度", 2023),
        ("平成30年度", 2018),
        ("2023", None),
        ("next year", None),
    ],
)
def test_fiscal_years(text, year):
    assert fiscal_year(text) == year


@pytest.mark.parametrize("value", ["true", "TRUE", "Yes", "1", 1, True])
def test_true_values(value):
    assert parse_bool(value) is True


@pytest.mark.parametrize("value", ["false", "No", "0", "", None, 0])
def test_false_values(value):
    assert parse_bool(value) is False


def test_bad_boolean_names_the_value():
    with pytest.raises(ValueError, match="'maybe' is not a boolean"):
        parse_bool("maybe")


def test_country_codes_and_the_hint_for_uk():
    assert parse_country("jp") == "JP"
    assert parse_country("EU") == "EU"
    with pytest.raises(ValueError, match=r"use GB"):
        parse_country("UK")
    with pytest.raises(ValueError, match="not an ISO 3166-1"):
        parse_country("XX")


def test_lists_split_on_semicolons_and_drop_blanks():
    assert parse_list("a; b;;c ") == ["a", "b", "c"]
    assert parse_list(["a", " b "]) == ["a", "b"]
    assert parse_list(None) == []


@pytest.mark.parametrize("text", ["2024", "2024-02", "2024-02-29", "2000-02-29"])
def test_iso_dates(text):
    assert check_iso_date(text) == text


@pytest.mark.parametrize("text", ["2023-02-29", "1900-02-29", "2024-13", "24-01-01", "2024/01/01", "Jan 2024"])
def test_bad_iso_dates(text):
    with pytest.raises(ValueError):
        check_iso_date(text)


def test_an_open_need_past_its_deadline_is_closed():
    from fusionatlas.domain.values import need_status

    assert need_status("open", "2026-12-05", "2026-12-06") == "closed"
    assert need_status("open", "2026-12", "2026-12-06") == "open"  # a month's deadline runs to its end
    assert need_status("open", "2026", "2027-01-01") == "closed"
    assert need_status("open", None, "2030-01-01") == "open"
    assert need_status("awarded", "2001", "2026-12-06") == "awarded"
