"""Input at the boundary: control characters, links, numbers beyond their column, countries and kinds."""

from __future__ import annotations

import math
import typing

import pytest
from pydantic import ValidationError

from fusionatlas.domain import TABLES, Organization, Programme, Source, Technology
from fusionatlas.domain.records import Capability, ExchangeRate
from fusionatlas.domain.values import (
    INT32,
    INT64,
    control_character,
    parse_country,
    parse_org_kind,
    web_url,
)

VALID = {
    "sources": {"id": "src:a", "title": "A"},
    "technologies": {"id": "tech:a", "name_en": "A", "name_ja": "エー", "unconfirmed": "true"},
    "organizations": {"id": "org:a", "name_en": "A", "kind": "company", "country": "FR", "unconfirmed": "true"},
    "capabilities": {"id": "cap:a", "org_id": "org:a", "technology_id": "tech:a", "unconfirmed": "true"},
    "needs": {"id": "need:a", "title_en": "A", "unconfirmed": "true"},
    "facilities": {"id": "fac:a", "name_en": "A", "kind": "device", "country": "JP", "unconfirmed": "true"},
    "programmes": {"id": "prog:a", "country": "JP", "name_en": "A", "unconfirmed": "true"},
    "investments": {"id": "inv:a", "unconfirmed": "true"},
    "milestones": {"id": "ms:a", "kind": "first_plasma", "title_en": "A", "unconfirmed": "true"},
    "regulations": {"id": "reg:a", "country": "JP", "name_en": "A", "unconfirmed": "true"},
    "relations": {
        "id": "rel:a",
        "kind": "mou",
        "org_id": "org:a",
        "other_org_id": "org:b",
        "description_en": "A",
        "description_ja": "エー",
        "unconfirmed": "true",
    },
    "exchange_rates": {"currency": "JPY", "year": 2024, "per_usd": 150, "source_ids": "src:a"},
    "skills": {"id": "skill:a", "name_en": "A", "name_ja": "エー", "technology_ids": "tech:a"},
    "training": {
        "id": "train:a",
        "org_id": "org:a",
        "kind": "summer_school",
        "name_en": "A",
        "name_ja": "エー",
        "country": "JP",
        "skill_ids": "skill:a",
        "unconfirmed": "true",
    },
    "plasma_records": {
        "id": "plasma:a",
        "facility_id": "fac:a",
        "gain": "1.5",
        "gain_kind": "target",
        "basis_en": "A",
        "basis_ja": "エー",
        "source_ids": "src:a",
    },
    "workforce": {
        "id": "wf:a",
        "kind": "needed",
        "low": "10",
        "definition_en": "A",
        "definition_ja": "エー",
        "unconfirmed": "true",
    },
    "capacities": {
        "id": "capa:a",
        "item": "rebco-tape",
        "name_en": "A",
        "name_ja": "エー",
        "unit": "km",
        "year": 2025,
        "low": 1,
        "central": 1,
        "high": 1,
        "basis": "sourced",
        "source_ids": "src:a",
    },
    "roadmap_tracks": {
        "id": "track:a",
        "name_en": "A",
        "name_ja": "エー",
        "target_id": "ms:a",
        "milestone_ids": "ms:a",
        "unconfirmed": "true",
    },
    "milestone_links": {"from_id": "ms:a", "to_id": "ms:b", "unconfirmed": "true"},
    "milestone_dates": {"milestone_id": "ms:a", "announced": "2024", "date": "2030", "unconfirmed": "true"},
    "schedule_references": {
        "id": "sref:a",
        "name_en": "A",
        "name_ja": "エー",
        "kind": "tokamak",
        "scale": "large",
        "event_en": "First plasma",
        "event_ja": "初プラズマ",
        "decision": "2000",
        "decision_en": "Decision",
        "decision_ja": "決定",
        "planned": "2005",
        "actual": "2008",
        "unconfirmed": "true",
    },
    "readiness": {"id": "rdy:a", "technology_id": "tech:a", "value": 4, "date": "2024", "unconfirmed": "true"},
    "country_paths": {
        "id": "path:a",
        "country": "JP",
        "technology_id": "tech:a",
        "programme_en": "A",
        "unconfirmed": "true",
    },
}


def _text_fields(model: type) -> list[str]:
    """Fields whose column holds free text or a list of ids (the ones a control character could reach)."""
    names = []
    for name, info in model.model_fields.items():
        args = typing.get_args(info.annotation) or (info.annotation,)
        if str in args or info.annotation is str or "list[str]" in str(info.annotation):
            names.append(name)
    return names


@pytest.mark.parametrize("spec", TABLES, ids=lambda s: s.name)
def test_every_text_field_of_every_record_refuses_nul(spec):
    base = VALID[spec.name]
    spec.model.model_validate(base)
    fields = _text_fields(spec.model)
    assert fields, spec.name
    for field in fields:
        if field in ("id", "currency", "country", "url", "website", "contact_url") or field.endswith("date"):
            continue  # their own formats refuse NUL with another message, tested elsewhere
        value = "a\x00b" if field not in base or not str(base[field]).startswith(("src:", "tech:", "org:")) else ""
        with pytest.raises(ValidationError) as caught:
            spec.model.model_validate({**base, field: value or "src:a\x00"})
        fields_named = {".".join(map(str, e["loc"])) for e in caught.value.errors()}
        assert field in fields_named, (spec.name, field, caught.value)


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x1b", "\x7f", "\x85"])
def test_control_characters_are_refused_with_their_position(character):
    with pytest.raises(ValidationError, match=r"title\n.*control character \(U\+00[0-9A-F]{2} at position 2\)"):
        Source.model_validate({"id": "src:a", "title": "a" + character + "b"})


def test_a_lone_surrogate_is_refused():
    with pytest.raises(ValidationError, match="title"):
        Source.model_validate({"id": "src:a", "title": "a\ud800b"})
    assert control_character("a\udfff") == "U+DFFF at position 2"


def test_tab_newline_and_carriage_return_are_free_text():
    record = Organization.model_validate(
        {**VALID["organizations"], "description_en": "line one\r\nline two\tand a tab"}
    )
    assert record.description_en == "line one\r\nline two\tand a tab"
    assert control_character("fine\t\n\r") is None
    assert control_character("x\x00") == "U+0000 at position 2"


def test_target_text_is_checked_too():
    bad = '[{"metric": "field\\u0000", "value": 1, "unit": "T"}]'
    with pytest.raises(ValidationError, match="control character"):
        Technology.model_validate({**VALID["technologies"], "targets": bad})


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "//evil.org",
        "http://",
        "https://a b",
    ],
)
def test_links_must_be_http_or_https(url):
    with pytest.raises(ValidationError, match="only http:// and https:// links are accepted"):
        Source.model_validate({"id": "src:a", "title": "A", "url": url})
    for field in ("website", "contact_url"):
        with pytest.raises(ValidationError, match=field):
            Organization.model_validate({**VALID["organizations"], field: url})
    assert web_url(url) is None


def test_web_addresses_are_kept_as_written():
    assert Source.model_validate({"id": "src:a", "title": "A", "url": "HTTPS://Example.org/a?b=1"}).url
    assert Organization.model_validate({**VALID["organizations"], "website": " http://x.jp "}).website == "http://x.jp"
    assert Organization.model_validate({**VALID["organizations"], "website": ""}).website is None


MONEY = {**VALID["programmes"], "currency": "JPY", "definition": "multi_year"}


def test_amount_of_2_63_is_refused_not_left_to_the_database():
    Programme.model_validate({**MONEY, "amount": str(INT64[1])})
    with pytest.raises(ValidationError, match="amount"):
        Programme.model_validate({**MONEY, "amount": str(2**63)})
    with pytest.raises(ValidationError, match="amount"):
        Programme.model_validate({**MONEY, "amount": -(2**63) - 1})


def test_the_domain_and_the_store_agree_on_64_bit_columns():
    from fusionatlas.domain.values import BIG_INT_FIELDS
    from fusionatlas.store import schema

    assert set(BIG_INT_FIELDS) == set(schema._BIG_INT_FIELDS)


def test_a_needs_value_is_a_64_bit_column():
    from fusionatlas.domain.records import Need

    need = {"id": "need:a", "title_en": "A", "unconfirmed": "true", "currency": "JPY"}
    assert Need.model_validate({**need, "value": str(2**40)}).value == 2**40
    with pytest.raises(ValidationError, match="value"):
        Need.model_validate({**need, "value": str(2**63)})


def test_integer_columns_beyond_32_bits_are_refused():
    class Probe(Capability):
        count: int | None = None

    Probe.model_validate({**VALID["capabilities"], "count": INT32[1]})
    with pytest.raises(ValidationError, match=r"count: 2147483648 is out of range"):
        Probe.model_validate({**VALID["capabilities"], "count": INT32[1] + 1})


@pytest.mark.parametrize("number", ["inf", "-inf", "nan", "Infinity", math.inf, math.nan])
def test_non_finite_numbers_are_refused(number):
    with pytest.raises(ValidationError, match="capacity_value"):
        Capability.model_validate({**VALID["capabilities"], "capacity_value": number})
    with pytest.raises(ValidationError, match="per_usd"):
        ExchangeRate.model_validate({**VALID["exchange_rates"], "per_usd": number})


def test_one_country_check_and_one_kind_check():
    assert parse_country(" jp ") == "JP" and parse_country("") is None
    with pytest.raises(ValueError, match=r"'UK' is not an ISO 3166-1 alpha-2 country code \(use GB\)"):
        parse_country("UK")
    assert parse_org_kind("startup") == "startup" and parse_org_kind("  ") is None
    with pytest.raises(ValueError, match=r"'spaceship' is not an organization kind \(one of: company, "):
        parse_org_kind("spaceship")
