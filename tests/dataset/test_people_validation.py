"""Bad people records (training offers, skills, workforce figures): clear errors naming file, line and field."""

import pytest

from fusionatlas.dataset.package import validate_package
from fusionatlas.dataset.problems import ValidationFailed
from tests import fixtures
from tests.fixtures import write_package

OFFER = "train:x,{org},summer_school,X school,Xスクール,JP,{skills},{langs},,,,,,,,,,public,src:qst-jt60sa,false,"


def problems_of(tmp_path, **overrides) -> list[str]:
    folder = write_package(tmp_path / "p", **overrides)
    with pytest.raises(ValidationFailed) as caught:
        validate_package(folder)
    return [str(p) for p in caught.value.problems]


def training(**fields: str) -> str:
    values = {"org": "org:qst", "skills": "skill:magnet-winding", "langs": "ja"} | fields
    return fixtures.TRAINING + OFFER.format(**values) + "\n"


def test_a_training_offer_without_an_organization(tmp_path):
    assert problems_of(tmp_path, training_csv=training(org="")) == [
        "training.csv:3: org_id: required, but empty or missing"
    ]


def test_a_skill_not_in_the_taxonomy(tmp_path):
    assert problems_of(tmp_path, training_csv=training(skills="skill:juggling")) == [
        "training.csv:3: skill_ids: unknown skills id 'skill:juggling'"
    ]


def test_an_offer_that_teaches_no_skill(tmp_path):
    [problem] = problems_of(tmp_path, training_csv=training(skills=""))
    assert problem.startswith("training.csv:3: skill_ids:")


def test_an_unknown_teaching_language(tmp_path):
    [problem] = problems_of(tmp_path, training_csv=training(langs="ja;klingon"))
    assert problem.startswith("training.csv:3: languages:") and "klingon" in problem


def test_a_skill_that_no_technology_needs(tmp_path):
    skills = fixtures.SKILLS + "skill:x,X,エックス,,,,,,,\n"
    [problem] = problems_of(tmp_path, skills_csv=skills)
    assert problem.startswith("skills.csv:4: technology_ids:")


def test_a_skill_on_an_unknown_technology(tmp_path):
    skills = fixtures.SKILLS + "skill:x,X,エックス,,,tech:nowhere,,,,\n"
    assert problems_of(tmp_path, skills_csv=skills) == [
        "skills.csv:4: technology_ids: unknown technologies id 'tech:nowhere'"
    ]


def test_a_workforce_figure_without_a_number_or_a_source(tmp_path):
    rows = fixtures.WORKFORCE + "wf:x,JP,needed,,,2030,,People.,人。,src:qst-jt60sa,false,\n"
    rows += "wf:y,JP,needed,5,9,2030,,People.,人。,,false,\n"
    problems = problems_of(tmp_path, workforce_csv=rows)
    assert problems[0] == "workforce.csv:3: low: a workforce figure needs a number (low, high or both)"
    assert problems[1].startswith("workforce.csv:4: source_ids:")


def test_a_workforce_range_upside_down(tmp_path):
    rows = fixtures.WORKFORCE + "wf:x,JP,needed,900,100,2030,,People.,人。,src:qst-jt60sa,false,\n"
    assert problems_of(tmp_path, workforce_csv=rows) == ["workforce.csv:3: high: the high end is below the low end"]
