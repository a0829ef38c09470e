"""Bad plasma performance records: clear errors naming file, line and field; the bundled records are sound."""

import pytest

from fusionatlas.dataset import BUNDLED
from fusionatlas.dataset.package import validate_package
from fusionatlas.dataset.problems import ValidationFailed
from fusionatlas.domain.plasma import PlasmaRecord
from tests import fixtures
from tests.fixtures import write_package

ROW = "plasma:x,{fac},{date},5e19,10,1,,{gain},{kind},A shot.,放電。,,{sources},{unconfirmed},,\n"


def problems_of(tmp_path, **fields: str) -> list[str]:
    values = {"fac": "fac:jt-60sa", "date": "2024", "gain": "", "kind": "", "sources": "src:qst-jt60sa"}
    values |= {"unconfirmed": "false"} | fields
    folder = write_package(tmp_path / "p", plasma_records_csv=fixtures.PLASMA_RECORDS + ROW.format(**values))
    with pytest.raises(ValidationFailed) as caught:
        validate_package(folder)
    return [str(p) for p in caught.value.problems]


def test_a_device_parameter_without_a_source_is_refused_even_if_marked_unconfirmed(tmp_path):
    [problem] = problems_of(tmp_path, sources="", unconfirmed="true")
    assert problem.startswith("plasma_records.csv:3: source_ids: a device parameter must cite its publication")


def test_an_unknown_device(tmp_path):
    assert problems_of(tmp_path, fac="fac:nowhere") == [
        "plasma_records.csv:3: facility_id: unknown facilities id 'fac:nowhere'"
    ]


def test_a_gain_without_its_kind_and_a_malformed_date(tmp_path):
    [problem] = problems_of(tmp_path, gain="1.2")
    assert problem.startswith("plasma_records.csv:3: gain_kind:")
    [problem] = problems_of(tmp_path, date="June 1998")
    assert problem.startswith("plasma_records.csv:3: date:")


def test_the_triple_product_is_the_stated_one_or_computed_from_n_t_tau():
    stated = PlasmaRecord(
        id="plasma:a", facility_id="f", triple_product=1.5e21, basis_en="a", basis_ja="a", source_ids=["s"]
    )
    assert stated.product() == (1.5e21, False) and stated.year() is None
    shot = PlasmaRecord(
        id="plasma:b", facility_id="f", date="1998-06-11", density_m3=4.8e19, temperature_kev=16.4, confinement_s=1.1,
        basis_en="a", basis_ja="a", source_ids=["s"],
    )  # fmt: skip
    value, computed = shot.product()
    assert computed and value == pytest.approx(8.66e20, rel=1e-3) and shot.year() == 1998


def test_the_bundled_records_cite_their_sources():
    text = (BUNDLED / "plasma_records.csv").read_text(encoding="utf-8")
    assert "src:learn-jaeri-1998-jt60-q125" in text and "src:learn-llnl-2023-star-power" in text
