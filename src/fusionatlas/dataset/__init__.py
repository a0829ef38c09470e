"""The bundled data package and the code that validates, loads, imports and exports data packages."""

from pathlib import Path

BUNDLED = Path(__file__).parent / "data"
