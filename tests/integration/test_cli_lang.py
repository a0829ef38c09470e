"""The global --lang: errors in Japanese, the default from LANG, and gaps reports following it."""

import pytest
from typer.testing import CliRunner

from fusionatlas.cli import app

runner = CliRunner()


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("id,name_en,kind,country,source_ids\norg:x,X,company,UK,src:none\n", encoding="utf-8")
    return path


def test_import_errors_in_japanese(loaded_db_url, bad_file):
    result = runner.invoke(
        app, ["--db", loaded_db_url, "--lang", "ja", "import", str(bad_file), "--table", "organizations"]
    )
    assert result.exit_code == 2
    assert "エラー:" in result.stderr and "何も書き込んでいません" in result.stderr
    assert "'UK' は ISO 3166-1 の2文字の国コードではありません(GB を使ってください)" in result.stderr
    english = runner.invoke(
        app, ["--db", loaded_db_url, "--lang", "en", "import", str(bad_file), "--table", "organizations"]
    )
    assert "nothing was written" in english.stderr and "エラー" not in english.stderr


@pytest.mark.parametrize(("lang", "japanese"), [("ja_JP.UTF-8", True), ("C.UTF-8", False), ("en_US.UTF-8", False)])
def test_the_default_language_comes_from_lang(loaded_db_url, bad_file, monkeypatch, lang, japanese):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", lang)
    result = runner.invoke(app, ["--db", loaded_db_url, "import", str(bad_file), "--table", "organizations"])
    assert ("エラー:" in result.stderr) == japanese, result.stderr


def test_a_bad_language_is_refused(loaded_db_url):
    result = runner.invoke(app, ["--db", loaded_db_url, "--lang", "fr", "stats"])
    assert result.exit_code == 2 and "--lang must be ja or en" in result.stderr


def test_gaps_reports_follow_the_global_language(loaded_db_url, tmp_path):
    japanese = tmp_path / "ja.html"
    assert runner.invoke(app, ["--db", loaded_db_url, "--lang", "ja", "gaps", "--report", str(japanese)]).exit_code == 0
    assert 'lang="ja"' in japanese.read_text(encoding="utf-8")
    english = tmp_path / "en.html"
    assert (
        runner.invoke(
            app, ["--db", loaded_db_url, "--lang", "ja", "gaps", "--report", str(english), "--lang", "en"]
        ).exit_code
        == 0
    )
    assert 'lang="en"' in english.read_text(encoding="utf-8")


def test_search_finds_a_maker_by_its_reading(loaded_db_url):
    result = runner.invoke(app, ["--db", loaded_db_url, "search", "ふじくら", "--json"])
    assert result.exit_code == 0 and '"id": "org:fujikura"' in result.stdout
