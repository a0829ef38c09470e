"""Members' saved supply-chain scenarios: the YAML a signed-in user wrote, stored so that it can be opened,
run, edited, shared and deleted later.

Who sees a saved scenario (`visible`, and `condition` for lists):
- `public`: everyone, anonymous visitors included;
- `members`: every signed-in user;
- `private` (the default): its owner, the members of the organization the owner belonged to when it was
  saved (the audience model's rule that an organization's members see its private records), and editors.
Only its owner edits it or changes its visibility; the owner or an editor deletes it.

What is stored is always a scenario that parses (`scenarios.inputs.parse_scenario`): bad YAML is refused
with the parser's error (file, line and field) and nothing is written. Its names are copied from the YAML
when it is saved, so that a list needs no parsing. Saved scenarios are users' work, not sourced atlas data:
they carry no sources and no `last_verified`, they are not part of the data package, and saving one does
not change the store's data version (a scenario's run is cached by its YAML's hash instead).

Write transactions start with their write (see store/accounts.py on SQLite's WAL mode).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    true,
    update,
)

from fusionatlas.domain.audience import Audience
from fusionatlas.scenarios.inputs import Library, Scenario, ScenarioError, bundled, parse_scenario
from fusionatlas.store import accounts
from fusionatlas.store.schema import ID_LENGTH, metadata

VISIBILITIES = ("private", "members", "public")
MAX_YAML = 50_000  # characters
MAX_PER_USER = 100
FILENAME = "scenario.yaml"  # the name errors give for YAML typed into the form

saved_scenarios = Table(
    "saved_scenarios",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    # The owner's organization when it was saved: its members see a private scenario too.
    Column("org_id", String(ID_LENGTH), ForeignKey("organizations.id"), nullable=True),
    Column("name_en", Text, nullable=False),
    Column("name_ja", Text, nullable=False),
    Column("yaml", Text, nullable=False),
    Column("visibility", String(16), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("updated", DateTime(timezone=True), nullable=False),
)
Index(None, saved_scenarios.c.user_id)


class SavedScenarioError(ValueError):
    """A saved scenario that cannot be stored or changed: the message says which field and why."""


@dataclass(frozen=True)
class SavedScenario:
    id: int
    user_id: int
    org_id: str | None
    name_en: str
    name_ja: str
    yaml: str
    visibility: str
    created: datetime
    updated: datetime

    @property
    def digest(self) -> str:
        """What a run of it depends on besides the atlas: a cache key that changes with every edit."""
        return hashlib.sha256(self.yaml.encode()).hexdigest()


def _saved(row: Any) -> SavedScenario:
    return SavedScenario(
        row.id, row.user_id, row.org_id, row.name_en, row.name_ja, row.yaml, row.visibility, row.created, row.updated
    )


def parse(text: str, library: Library | None = None) -> Scenario:
    """The scenario the YAML describes, or the parser's ScenarioError (file, line, field)."""
    library = library or bundled()
    if len(text) > MAX_YAML:
        raise ScenarioError(f"{FILENAME}: longer than {MAX_YAML} characters")
    return parse_scenario(Path(FILENAME), library.designs, library.items, text=text)


def _check_visibility(visibility: str) -> str:
    if visibility not in VISIBILITIES:
        raise SavedScenarioError(f"visibility: must be one of {', '.join(VISIBILITIES)}, not {visibility!r}")
    return visibility


def condition(audience: Audience) -> ColumnElement[bool]:
    """The saved scenarios the audience may see (see the module's docstring)."""
    if audience.sees_everything:
        return true()
    table = saved_scenarios
    parts: list[ColumnElement[bool]] = [table.c.visibility == "public"]
    if audience.user_id is not None:
        parts += [table.c.visibility == "members", table.c.user_id == audience.user_id]
        if audience.org_id:
            parts.append(and_(table.c.visibility == "private", table.c.org_id == audience.org_id))
    return or_(*parts)


def visible(saved: SavedScenario, audience: Audience) -> bool:
    """`condition` for one scenario already read."""
    if audience.sees_everything or saved.visibility == "public":
        return True
    if audience.user_id is None:
        return False
    if saved.visibility == "members" or saved.user_id == audience.user_id:
        return True
    return audience.org_id is not None and saved.org_id == audience.org_id


def may_edit(saved: SavedScenario, audience: Audience) -> bool:
    return audience.user_id is not None and saved.user_id == audience.user_id


def may_delete(saved: SavedScenario, audience: Audience) -> bool:
    return may_edit(saved, audience) or audience.role in ("editor", "admin")


def get(connection: Connection, saved_id: int, audience: Audience) -> SavedScenario | None:
    """The saved scenario if the audience may see it; None alike when it does not exist and when it is hidden."""
    query = select(saved_scenarios).where(saved_scenarios.c.id == saved_id, condition(audience))
    row = connection.execute(query).first()
    return _saved(row) if row else None


def list_own(connection: Connection, user_id: int) -> list[SavedScenario]:
    query = select(saved_scenarios).where(saved_scenarios.c.user_id == user_id).order_by(saved_scenarios.c.id)
    return [_saved(row) for row in connection.execute(query)]


def list_shared(connection: Connection, audience: Audience) -> list[SavedScenario]:
    """The others' saved scenarios the audience may see (for anonymous visitors, the public ones)."""
    query = select(saved_scenarios).where(condition(audience)).order_by(saved_scenarios.c.id)
    if audience.user_id is not None:
        query = query.where(saved_scenarios.c.user_id != audience.user_id)
    return [_saved(row) for row in connection.execute(query)]


def save(
    connection: Connection,
    user: accounts.User,
    text: str,
    visibility: str = "private",
    library: Library | None = None,
    saved_id: int | None = None,
) -> int:
    """Store a new scenario for `user` and return its id; `saved_id` only when an id must be fixed (tests)."""
    _check_visibility(visibility)
    scenario = parse(text, library)
    # The write first, then the count: a transaction that read before another wrote could not write (WAL).
    moment = accounts.now()
    values = {
        "user_id": user.id,
        "org_id": user.org_id,
        "name_en": scenario.name_en,
        "name_ja": scenario.name_ja,
        "yaml": text,
        "visibility": visibility,
        "created": moment,
        "updated": moment,
    }
    if saved_id is not None:
        values["id"] = saved_id
    new_id = int(
        connection.execute(insert(saved_scenarios).values(**values).returning(saved_scenarios.c.id)).scalar_one()
    )
    count = connection.execute(
        select(func.count()).select_from(saved_scenarios).where(saved_scenarios.c.user_id == user.id)
    ).scalar_one()
    if count > MAX_PER_USER:
        raise SavedScenarioError(f"at most {MAX_PER_USER} saved scenarios per user")
    return new_id


def change(
    connection: Connection,
    saved_id: int,
    audience: Audience,
    text: str | None = None,
    visibility: str | None = None,
    library: Library | None = None,
) -> None:
    """Replace the YAML and/or the visibility of the owner's scenario (anyone else: SavedScenarioError)."""
    values: dict[str, Any] = {"updated": accounts.now()}
    if visibility is not None:
        values["visibility"] = _check_visibility(visibility)
    if text is not None:
        scenario = parse(text, library)
        values.update(yaml=text, name_en=scenario.name_en, name_ja=scenario.name_ja)
    owned = (saved_scenarios.c.id == saved_id) & (saved_scenarios.c.user_id == (audience.user_id or -1))
    if connection.execute(update(saved_scenarios).where(owned).values(**values)).rowcount != 1:
        raise SavedScenarioError(f"no saved scenario {saved_id} of yours")


def remove(connection: Connection, saved_id: int, audience: Audience) -> None:
    """Delete a scenario: its owner or an editor (anyone else: SavedScenarioError, as if it did not exist)."""
    allowed = saved_scenarios.c.user_id == (audience.user_id or -1)
    if audience.role in ("editor", "admin"):
        allowed = true()
    statement = delete(saved_scenarios).where(saved_scenarios.c.id == saved_id, allowed)
    if connection.execute(statement).rowcount != 1:
        raise SavedScenarioError(f"no saved scenario {saved_id} you may delete")
