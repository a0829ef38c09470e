"""Every problem the validator and the readers report reads in Japanese: real bad input, translated, and no
English left outside ids, field names, quoted values and format names."""

import re

import pytest

from fusionatlas.dataset.imports import import_file
from fusionatlas.dataset.package import validate_package
from fusionatlas.dataset.problems import BadInput, ValidationFailed
from fusionatlas.domain.messages import in_language, japanese
from tests import fixtures
from tests.fixtures import write_package

# What may stay in Latin letters in a Japanese message: format and standard names, literal values to type.
ALLOWED = {"ISO", "CSV", "JSON", "YAML", "XLSX", "UTF", "Shift_JIS", "CP932", "YYYY", "MM", "DD", "http", "https",
           "id", "true", "false", "yes", "no", "unconfirmed", "awarded", "csv", "xlsx", "json", "yaml"}  # fmt: skip


def english_left(message: str) -> list[str]:
    text = re.sub(r"^[\w.\-]+(:\d+)?: ([\w.]+: )?", "", message)  # file:line: field:
    text = re.sub(
        r"の列: [^)]*", "", text.split("詳細: ")[0]
    )  # a list of column names  # a parser's own words about malformed text, quoted as it gave them
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "", text)  # quoted values
    text = re.sub(r"\b[\w:.\-]*[_:.][\w:.\-]*\b", "", text)  # ids, field names (org:x, source_ids)
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in ALLOWED and not w.isupper()]


def add_row(text: str, row: str) -> str:
    return text + row + "\n"


NEED_HEADER = (
    "id,title_en,buyer_org_id,technology_ids,quantity,quantity_unit,value,currency,published,deadline,"
    "status,awardee_org_ids,source_ids\n"
)
NEEDS = [
    "need:a,A,org:qst,tech:magnet,,,,,2024-05-01,2024-04,open,,src:qst-jt60sa",
    "need:b,A,org:qst,tech:magnet,-3,km,,,,,open,,src:qst-jt60sa",
    "need:c,A,org:qst,tech:magnet,,,,,,,awarded,,src:qst-jt60sa",
    "need:d,A,org:nobody,tech:nowhere,,,,,,,open,,src:qst-jt60sa",
    "need:e,A,org:qst,tech:magnet,,,5000000,,,,open,,src:qst-jt60sa",
    "need:f,A,org:qst,tech:magnet,3,,,,2024-13,,open,,src:qst-jt60sa",
    "need:f,A,org:qst,tech:magnet,,,,,2024-02-30,,pending,,src:qst-jt60sa",
]
ORGS = [
    "org:x,X Corp,,company,JP,,,,,,,public,src:fujikura-hts,false",
    "org:y,Y,,plumber,UK,,javascript:alert(1),,,,,public,,maybe",
    "org:z,Z,,company,US,,,1999-99,,,,public,src:missing,false",
]


@pytest.fixture(scope="module")
def problems(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("bad")
    orgs = fixtures.ORGANIZATIONS
    for row in ORGS:
        orgs = add_row(orgs, row)
    caps = add_row(fixtures.CAPABILITIES, "cap:x,org:qst,tech:magnet,,,,,eleven,,,,public,src:fujikura-hts,false")
    package = write_package(
        folder / "p", organizations_csv=orgs, capabilities_csv=caps, needs_csv=NEED_HEADER + "\n".join(NEEDS) + "\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        validate_package(package)
    columns = write_package(
        folder / "q",
        organizations_csv="id,name_en,country,town,source_ids\norg:x,X,US,Boston,src:qst-jt60sa\norg:x,X,US,Boston,src:qst-jt60sa\n",
    )
    with pytest.raises(ValidationFailed) as other:
        validate_package(columns)
    return [str(caught.value), str(other.value)]


def test_every_validation_problem_reads_in_japanese(problems):
    lines = [line for report in problems for line in report.split("\n")]
    assert len(lines) > 15
    untranslated = {line: japanese(line) for line in lines if english_left(japanese(line))}
    assert not untranslated, "\n".join(f"{k}\n  -> {v}" for k, v in untranslated.items())


def test_a_report_keeps_its_places_and_values(problems):
    report = japanese(problems[0])
    assert re.match(r"\d+件の問題があります。何も書き込んでいません:", report)
    assert "organizations.csv:6: name_ja: 日本の組織には日本語名が必要です" in report
    assert "'UK' は ISO 3166-1 の2文字の国コードではありません(GB を使ってください)" in report
    assert "needs.csv:5: buyer_org_id: 組織に id 'org:nobody' はありません" in report
    assert "needs.csv:3: quantity: 0 以上でなければなりません(入力: '-3')" in report


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.csv", b""),
        ("bad.csv", b"id,id\nx,y\n"),
        ("bad.json", b"{not json"),
        ("list.json", b"{}"),
        ("bad.txt", b"x"),
        ("enc.csv", b"id,name_en\n\x81\xff\xfe,x\n"),
    ],
)
def test_reader_errors_read_in_japanese(tmp_path, loaded_db_url, name, content):
    from fusionatlas.store.engine import open_engine

    path = tmp_path / name
    path.write_bytes(content)
    engine = open_engine(loaded_db_url)
    try:
        with pytest.raises(BadInput) as caught:
            import_file(engine, path, "organizations")
    finally:
        engine.dispose()
    message = in_language(str(caught.value), "ja")
    assert not english_left(message), f"{caught.value}\n  -> {message}"
    assert in_language(str(caught.value), "en") == str(caught.value)
