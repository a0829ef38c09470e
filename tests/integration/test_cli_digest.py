"""`fusionatlas digest`: the cron command e-mails watch news through the configured SMTP server, never shows
the SMTP password, and refuses to run without SMTP settings; on both databases."""

from __future__ import annotations

from typer.testing import CliRunner

from fusionatlas.cli import app
from fusionatlas.store import watch
from fusionatlas.store.engine import open_engine
from tests.watch.atlas import NEW_NEED, audience, fill, put
from tests.watch.smtp import smtp_server

runner = CliRunner()


def digest(db_url, env, *args):
    return runner.invoke(app, ["--db", db_url, "digest", *args], env=env)


def test_digest_sends_through_the_configured_server(db_url, tmp_path):
    engine = open_engine(db_url)
    try:
        users = fill(engine, tmp_path / "package")
        with engine.begin() as connection:
            watch.add_watch(connection, users["member"].id, "buyer", "org:qst", audience(users["member"]))
        put(engine, "needs", NEW_NEED)
    finally:
        engine.dispose()
    assert digest(db_url, {"FUSIONATLAS_SMTP_HOST": ""}).exit_code == 2
    with smtp_server() as inbox:
        env = {
            "FUSIONATLAS_SMTP_HOST": "127.0.0.1",
            "FUSIONATLAS_SMTP_PORT": str(inbox.port),
            "FUSIONATLAS_SMTP_TLS": "none",
            "FUSIONATLAS_SMTP_FROM": "atlas@example.org",
            "FUSIONATLAS_BASE_URL": "",
        }
        missing_base = digest(db_url, env)
        assert missing_base.exit_code == 2 and "FUSIONATLAS_BASE_URL" in missing_base.stderr
        # The local server offers no AUTH: the login fails, and the password never appears in the output.
        with_password = {**env, "FUSIONATLAS_SMTP_USER": "atlas", "FUSIONATLAS_SMTP_PASSWORD": "pw-do-not-print"}
        failed = digest(db_url, with_password, "--base-url", "https://atlas.example.org")
        assert failed.exit_code == 1 and "not sent" in failed.stderr
        assert "pw-do-not-print" not in failed.stdout + failed.stderr and not inbox.messages
        result = digest(db_url, env, "--base-url", "https://atlas.example.org")
        assert result.exit_code == 0, result.stderr
        assert "sent 1 e-mails (1 matches)" in result.stderr
        (message,) = inbox.messages
        assert message["To"] == "member@example.org" and NEW_NEED["id"] in message.get_content()
        assert "https://atlas.example.org/watch/unsubscribe?user=" in message.get_content()
        again = digest(db_url, env, "--base-url", "https://atlas.example.org")
        assert again.exit_code == 0 and len(inbox.messages) == 1
