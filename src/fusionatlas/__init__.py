"""FusionAtlas: a sourced, bilingual atlas of the fusion-energy industry."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("fusionatlas")  # one source of truth: pyproject.toml's [project] version
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
