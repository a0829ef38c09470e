"""FusionAtlas: a sourced, bilingual atlas of the fusion-energy industry."""

from typing import Any


def __getattr__(name: str) -> Any:
    # `__version__` is read from the installed metadata when asked for: importlib.metadata takes longer to
    # import than a short command's own work, and every `import fusionatlas.x` runs this file.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("fusionatlas")  # one source of truth: pyproject.toml's [project] version
        except PackageNotFoundError:  # run from a source tree that was never installed
            return "0+unknown"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
