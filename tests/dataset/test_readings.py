"""Every Japanese organization of the bundled atlas has a kana reading, marked generated unless published."""

import csv

from fusionatlas.dataset import BUNDLED
from fusionatlas.text.kana import dictionary_reading, is_kana


def test_every_japanese_organization_has_a_reading():
    with (BUNDLED / "organizations.csv").open(encoding="utf-8") as handle:
        japanese = [row for row in csv.DictReader(handle) if row["country"] == "JP"]
    assert len(japanese) > 100
    missing = [row["id"] for row in japanese if not row["name_kana"]]
    assert not missing, f"organizations without name_kana (fill it: text/kana.py dictionary_reading): {missing}"
    for row in japanese:
        assert is_kana(row["name_kana"]) and "・" not in row["name_kana"], row["id"]
        # A reading not marked generated is the organization's own: here, a name written in kana.
        if row["kana_generated"] != "true":
            assert is_kana(row["name_ja"]), row["id"]


def test_generated_readings_are_the_dictionarys():
    with (BUNDLED / "organizations.csv").open(encoding="utf-8") as handle:
        generated = [row for row in csv.DictReader(handle) if row["kana_generated"] == "true"]
    assert generated
    assert all(row["name_kana"] == dictionary_reading(row["name_ja"]) for row in generated)
