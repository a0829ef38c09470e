"""The version has one source: pyproject.toml, read back through the installed package's metadata."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

import fusionatlas
from fusionatlas.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent


def test_the_version_is_pyprojects():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert fusionatlas.__version__ == version("fusionatlas") == declared


def test_the_api_reports_that_version(tmp_path):
    app = create_app(f"sqlite:///{tmp_path / 'atlas.db'}")
    try:
        assert app.version == fusionatlas.__version__
    finally:
        app.state.engine.dispose()
