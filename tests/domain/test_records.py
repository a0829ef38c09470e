import pytest
from pydantic import ValidationError

from fusionatlas.domain import TABLES, Capability, Organization, Programme, Technology


def org(**changes):
    base = {
        "id": "org:fujikura",
        "name_en": "Fujikura",
        "name_ja": "フジクラ",
        "kind": "company",
        "country": "JP",
        "source_ids": "src:a",
    }
    return Organization.model_validate({**base, **changes})


def test_defaults_for_optional_columns():
    record = org(visibility="", unconfirmed="")
    assert record.visibility == "public"
    assert record.unconfirmed is False
    assert record.source_ids == ["src:a"]


def test_a_record_needs_sources_or_the_unconfirmed_mark():
    with pytest.raises(ValidationError, match="names no source"):
        org(source_ids="")
    assert org(source_ids="", unconfirmed="yes").unconfirmed is True


def test_japanese_organizations_need_a_japanese_name():
    with pytest.raises(ValidationError, match="needs its Japanese name"):
        org(name_ja="")
    assert org(country="US", name_ja="", id="org:x").name_ja is None


def test_id_prefix_is_checked():
    with pytest.raises(ValidationError, match="starting with 'org:'"):
        org(id="fujikura")


def test_fiscal_years_convert_and_keep_the_original_text():
    programme = Programme.model_validate(
        {"id": "prog:x", "country": "JP", "name_en": "X", "start": "令和5年度", "end": "FY2027", "unconfirmed": True}
    )
    assert programme.start == "2023-04"
    assert programme.end == "2028-03"
    assert "令和5年度" in programme.notes and "FY2027" in programme.notes


def test_money_needs_a_currency_and_takes_separators():
    with pytest.raises(ValidationError, match="needs its currency"):
        Programme.model_validate({"id": "prog:x", "country": "GB", "name_en": "X", "amount": 5, "unconfirmed": True})
    programme = Programme.model_validate(
        {
            "id": "prog:x",
            "country": "GB",
            "name_en": "X",
            "amount": "650,000,000",
            "currency": "gbp",
            "definition": "multi_year",
            "unconfirmed": True,
        }
    )
    assert (programme.amount, programme.currency) == (650000000, "GBP")


def test_technology_targets_accept_json_text_from_spreadsheets():
    tech = Technology.model_validate(
        {
            "id": "tech:a",
            "name_en": "A",
            "name_ja": "エー",
            "unconfirmed": True,
            "targets": '[{"metric": "heat flux", "value": 10, "unit": "MW/m2", "plant": "ITER"}]',
        }
    )
    assert tech.targets[0].value == 10.0


def test_trl_is_between_1_and_9():
    with pytest.raises(ValidationError):
        Capability.model_validate(
            {"id": "cap:a", "org_id": "org:a", "technology_id": "tech:a", "unconfirmed": True, "trl": 10}
        )


def test_every_table_lists_its_key_first_and_bookkeeping_last():
    for spec in TABLES:
        assert spec.columns[0] == spec.key[0]
        if "unconfirmed" in spec.columns:
            assert spec.columns[-4:] == ["source_ids", "unconfirmed", "notes", "last_verified"]
        elif "source_ids" in spec.columns:  # exchange rates; the skills taxonomy (not a sourced claim)
            assert spec.columns[-2:] == ["source_ids", "notes"]


def test_a_relation_needs_two_different_organizations():
    from fusionatlas.domain import Relation

    row = {
        "id": "rel:a",
        "kind": "loan",
        "org_id": "org:a",
        "other_org_id": "org:a",
        "description_en": "Lent money to itself",
        "description_ja": "自分に貸した",
        "unconfirmed": "true",
    }
    with pytest.raises(ValueError, match="other_org_id"):
        Relation.model_validate(row)
    assert Relation.model_validate({**row, "other_org_id": "org:b"}).kind == "loan"


def test_a_programme_amount_says_what_it_counts():
    base = {"id": "prog:x", "country": "JP", "name_en": "X", "unconfirmed": True}
    with pytest.raises(ValidationError, match="an amount needs its definition"):
        Programme.model_validate({**base, "amount": 5, "currency": "JPY"})
    with pytest.raises(ValidationError, match="definition"):
        Programme.model_validate({**base, "amount": 5, "currency": "JPY", "definition": "public funding"})
    with pytest.raises(ValidationError, match="fiscal_year: a figure of one fiscal year"):
        Programme.model_validate({**base, "amount": 5, "currency": "JPY", "definition": "appropriation"})
    with pytest.raises(ValidationError, match="request needs an amount"):
        Programme.model_validate({**base, "definition": "request", "fiscal_year": 2025})
    with pytest.raises(ValidationError, match="part of itself"):
        Programme.model_validate({**base, "definition": "no_amount", "part_of": "prog:x"})
    granted = {**base, "amount": 5, "currency": "JPY", "definition": "appropriation", "fiscal_year": "2024"}
    assert Programme.model_validate(granted).fiscal_year == 2024
    assert Programme.model_validate({**base, "definition": "in_kind"}).amount is None


def test_a_year_to_date_rate_ends_inside_its_year():
    from fusionatlas.domain import ExchangeRate

    rate = {"currency": "JPY", "year": 2026, "per_usd": 150, "source_ids": "src:a"}
    assert ExchangeRate.model_validate({**rate, "through": "2026-11-30"}).through == "2026-11-30"
    with pytest.raises(ValidationError, match="not a date of 2026"):
        ExchangeRate.model_validate({**rate, "through": "2025-12-31"})
