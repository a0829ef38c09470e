"""What the watch tests share: the fixture package with a QST user, and writes made as the app makes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from fusionatlas.dataset.edits import current_record, write_edit
from fusionatlas.dataset.package import load_package
from fusionatlas.domain.audience import Audience
from fusionatlas.store import accounts
from tests.fixtures import write_package

PASSWORD = "correct horse battery"
# A private need of QST: only QST's users (and editors) may ever learn of it.
PRIVATE_NEED = {
    "id": "need:qst-secret-gyrotron",
    "title_en": "Secret gyrotron upgrade",
    "title_ja": "非公開ジャイロトロン更新",
    "buyer_org_id": "org:qst",
    "technology_ids": ["tech:hcd.gyrotron"],
    "visibility": "private",
    "unconfirmed": True,
}
NEW_NEED = {
    "id": "need:qst-gyrotron-windows",
    "title_en": "Gyrotron diamond windows",
    "title_ja": "ジャイロトロン用ダイヤモンド窓",
    "buyer_org_id": "org:qst",
    "technology_ids": ["tech:hcd.gyrotron"],
    "unconfirmed": True,
}
MAGNET_CAP = {
    "id": "cap:fujikura.magnet.joint",
    "org_id": "org:fujikura",
    "technology_id": "tech:magnet.hts",
    "description_en": "Low-resistance joints for HTS cables",
    "unconfirmed": True,
}


def fill(engine: Engine, folder: Path) -> dict[str, accounts.User]:
    """The fixture package and two members: one without an organization, one of QST."""
    load_package(engine, write_package(folder))
    with engine.begin() as connection:
        return {
            "member": accounts.create_user(connection, "member@example.org", PASSWORD, "member"),
            "qst": accounts.create_user(connection, "qst@example.org", PASSWORD, "member", "org:qst"),
        }


def audience(user: accounts.User) -> Audience:
    return Audience.of_user(user.id, user.role, user.org_id)


def put(engine: Engine, table_name: str, values: dict[str, Any]) -> None:
    """Write one record (new or changed) as an editor's edit does: validated, upserted, audited."""
    with engine.begin() as connection:
        write_edit(connection, table_name, values, None)


def change_iter_need(engine: Engine, title: str = "170 GHz gyrotrons, 1 MW each") -> None:
    """The fixture's ITER need with another English title (the same title: rewritten unchanged)."""
    with engine.connect() as connection:
        record = current_record(connection, "needs", "need:iter-gyrotron")
    assert record is not None
    put(engine, "needs", {**record, "title_en": title})
