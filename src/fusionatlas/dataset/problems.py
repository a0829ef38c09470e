"""Problems found in input, each naming its file, line and field."""

from __future__ import annotations

from dataclasses import dataclass

# Beyond this many, problems are counted but not kept: a broken 100 MB file must not exhaust memory.
MAX_KEPT = 1000


class BadInput(Exception):
    """Input that cannot be read or accepted; the message names the file and where."""


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ValidationFailed(BadInput):
    """One or more problems; the message lists all that were kept."""

    def __init__(self, problems: list[Problem], total: int) -> None:
        self.problems = problems
        self.total = total
        lines = [str(p) for p in problems]
        if total > len(problems):
            lines.append(f"... and {total - len(problems)} more problems")
        super().__init__(f"{total} problem{'s' if total != 1 else ''} found, nothing was written:\n" + "\n".join(lines))
