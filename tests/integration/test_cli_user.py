"""`fusionatlas user add`: the operator creates web users (the first admin), on both databases."""

from pathlib import Path

from typer.testing import CliRunner

from fusionatlas.cli import app
from fusionatlas.store import accounts
from fusionatlas.store.engine import open_engine

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


def cli(db_url, *args, **kwargs):
    return runner.invoke(app, ["--db", db_url, *args], **kwargs)


def check_login(db_url, email, password):
    engine = open_engine(db_url)
    try:
        with engine.begin() as connection:
            return accounts.authenticate(connection, email, password)
    finally:
        engine.dispose()


def test_user_add_with_a_password_then_log_in(db_url, package):
    assert cli(db_url, "load", str(package)).exit_code == 0
    result = cli(db_url, "user", "add", "Boss@Example.org", "--role", "admin", "--password", "a long passphrase")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and "a long passphrase" not in result.stderr
    user = check_login(db_url, "boss@example.org", "a long passphrase")
    assert user is not None and user.role == "admin"
    member = cli(
        db_url, "user", "add", "m@example.org", "--role", "member", "--org", "org:fujikura", "--password", "x" * 12
    )
    assert member.exit_code == 0 and "org:fujikura" in member.stderr


def test_user_add_prompts_twice_or_generates(tmp_path):
    db = f"sqlite:///{tmp_path / 'a.db'}"
    prompted = cli(db, "user", "add", "e@example.org", "--role", "editor", input="typed passphrase\ntyped passphrase\n")
    assert prompted.exit_code == 0, prompted.stderr
    assert check_login(db, "e@example.org", "typed passphrase") is not None
    generated = cli(db, "user", "add", "g@example.org", "--role", "member", "--generate")
    assert generated.exit_code == 0
    password = generated.stdout.strip().removeprefix("password: ")
    assert len(password) >= 16 and check_login(db, "g@example.org", password) is not None


def test_user_add_bad_input_exits_2(tmp_path, package):
    db = f"sqlite:///{tmp_path / 'a.db'}"
    cli(db, "load", str(package))
    cli(db, "user", "add", "a@example.org", "--role", "admin", "--password", "long enough pw")
    cases = [
        (["a@example.org", "--role", "member", "--password", "long enough pw"], "exists already"),
        (["b@example.org", "--role", "boss", "--password", "long enough pw"], "unknown role"),
        (
            ["b@example.org", "--role", "member", "--org", "org:nobody", "--password", "long enough pw"],
            "unknown organization",
        ),
        (["b@example.org", "--role", "member", "--password", "short"], "too short"),
        (["not-an-email", "--role", "member", "--password", "long enough pw"], "not an email"),
    ]
    for args, message in cases:
        result = cli(db, "user", "add", *args)
        assert result.exit_code == 2, (args, result.stderr)
        assert message in result.stderr and result.stdout == ""


def test_user_add_is_documented():
    assert "fusionatlas user add" in (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
