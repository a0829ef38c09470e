"""The docs agree with the code: the CLI option reference is current, and links stay inside the repository."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import pytest
import typer

from fusionatlas import clidoc

ROOT = Path(__file__).resolve().parent.parent
CLI_MD = ROOT / "docs" / "cli.md"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
OUTSIDE = "DESIGN" + ".md"  # the old design notes: never part of the repository
LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_the_cli_option_reference_is_current():
    # On failure: `make docs` regenerates it from the commands' --help.
    clidoc.check(CLI_MD)


def test_a_changed_option_makes_the_reference_stale(tmp_path):
    stale = tmp_path / "cli.md"
    changed = CLI_MD.read_text(encoding="utf-8").replace("How many results.", "How many hits.")
    stale.write_text(changed, encoding="utf-8")
    with pytest.raises(clidoc.StaleDoc, match="out of date"):
        clidoc.check(stale)
    assert clidoc.main([str(stale)]) == 0  # what `make docs` runs
    clidoc.check(stale)
    assert stale.read_text(encoding="utf-8") == CLI_MD.read_text(encoding="utf-8")


def test_a_file_without_the_markers_is_refused(tmp_path):
    bare = tmp_path / "cli.md"
    bare.write_text("# Command-line reference\n", encoding="utf-8")
    with pytest.raises(clidoc.StaleDoc, match="markers"):
        clidoc.check(bare)
    assert clidoc.main([str(bare)]) == 1
    assert bare.read_text(encoding="utf-8") == "# Command-line reference\n"


def test_the_reference_shows_what_help_shows():
    app = typer.Typer()

    @app.command()
    def first(  # pragma: no cover - never run, only described
        thing: Annotated[str, typer.Argument(help="A thing.")],
        top: Annotated[int, typer.Option("--top", min=1, max=5, help="How many | at most.")] = 3,
        quiet: Annotated[bool, typer.Option("--quiet", help="Say less.")] = False,
    ) -> None:
        """Do the first thing."""

    @app.command()
    def second(where: Annotated[Path | None, typer.Option("--out", metavar="DIR", help="Output.")] = None) -> None:
        """Do the second thing."""

    text = clidoc.reference(app)
    assert "### `fusionatlas first`" in text and "### `fusionatlas second`" in text
    assert "fusionatlas [--db URL] first [OPTIONS] THING" in text
    assert "| `THING` | A thing. (required) |" in text
    assert "| `--top INTEGER` | How many \\| at most. (default `3`; 1 to 5) |" in text
    assert "| `--quiet` | Say less. |" in text
    assert "| `--out DIR` | Output. |" in text


def test_the_hand_written_table_names_every_command():
    text = CLI_MD.read_text(encoding="utf-8")
    hand_written = text[: text.index(clidoc.BEGIN)]
    generated = set(re.findall(r"^### `fusionatlas ([a-z ]+)`", text, re.MULTILINE))
    # A row's first lower-case words name the command; its arguments follow in upper case or brackets.
    named = set(re.findall(r"^\| `fusionatlas ([a-z]+(?: [a-z]+)?)", hand_written, re.MULTILINE))
    assert named == generated


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.name)
def test_links_point_inside_the_repository(doc):
    text = doc.read_text(encoding="utf-8")
    assert OUTSIDE not in text, f"{doc.name}: {OUTSIDE} is not part of the repository (see docs/architecture.md)"
    for target in LINK.findall(text):
        if target.startswith(("http://", "https://", "mailto:", "#")):
            continue
        path = (doc.parent / target.split("#", 1)[0]).resolve()
        assert path.exists(), f"{doc.name}: link to {target} points at no file"
        assert path.is_relative_to(ROOT), f"{doc.name}: link to {target} leaves the repository"


def test_no_source_comment_points_at_a_file_outside_the_repository():
    for folder in ("src", "tests", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            assert OUTSIDE not in path.read_text(encoding="utf-8"), f"{path.relative_to(ROOT)} mentions {OUTSIDE}"
