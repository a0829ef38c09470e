"""Watches: a user's saved search text, technology (with its subtree) or buyer organization, and what changed.

Design ("new or changed" since the watch last looked):
- `watch_matches` keeps, per watch, one row per matched need or capability: a SHA-256 of the record's
  stored content and, once it is news, when it became new or changed (`changed`, with `state`).
- `look` (and `refresh`, inside a transaction) recomputes a watch's matches, as the user's audience
  sees them (`domain/audience.py`, through `store/queries.search` and `store/visibility.where_visible`),
  and compares hashes: a record
  not seen before is `new`, one whose hash differs is `changed`, an unchanged one is left alone, and
  one that no longer matches (or that the user may no longer see) is forgotten.
- A watch's first look is a baseline: what matched when it was saved is not news.
- A watch is looked at again only when the store's data version (`store/version.py`) or the user's
  sight changed since its last look (`watches.looked`), so reading the inbox costs one lookup.
- `watch_users` holds per user: the feed secret's HMAC digest (like API tokens), whether e-mail is on,
  the language of e-mails (none: both), and when the last digest went out.

Write transactions start with a write (see store/accounts.py on SQLite's WAL mode).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    delete,
    insert,
    or_,
    select,
    update,
)

from fusionatlas.domain import table
from fusionatlas.domain.audience import Audience

# Modules, not names: schema.py imports this module while accounts.py may still be loading.
from fusionatlas.store import accounts, queries
from fusionatlas.store.schema import ID_LENGTH, TABLES_BY_NAME, metadata, search_entries

KINDS = ("text", "technology", "buyer")
WATCHED = ("needs", "capabilities")
LANGUAGES = ("en", "ja")
MAX_VALUE = 200
MAX_WATCHES = 50  # per user
SEARCH_LIMIT = 1000
FEED_PREFIX = "feed:"

watches = Table(
    "watches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("value", Text, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("email", Boolean, nullable=False),
    Column("looked", String(200), nullable=True),  # the data version and sight of its last look
)
Index(None, watches.c.user_id)

watch_matches = Table(
    "watch_matches",
    metadata,
    Column("watch_id", Integer, ForeignKey("watches.id", ondelete="CASCADE"), primary_key=True),
    Column("table_name", String(32), primary_key=True),
    Column("record_id", String(ID_LENGTH), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("state", String(8), nullable=True),  # "new", "changed"; None: part of the baseline
    Column("changed", DateTime(timezone=True), nullable=True),
)
Index(None, watch_matches.c.changed)

watch_users = Table(
    "watch_users",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("feed_hash", String(64), nullable=True, unique=True),
    Column("email", Boolean, nullable=False),
    Column("language", String(8), nullable=True),
    Column("last_digest", DateTime(timezone=True), nullable=True),
)


class WatchError(ValueError):
    """A watch that cannot be saved: the message says which field and why."""


@dataclass(frozen=True)
class Watch:
    id: int
    user_id: int
    kind: str
    value: str
    created: datetime
    email: bool


@dataclass(frozen=True)
class Match:
    watch_id: int
    kind: str
    value: str
    table_name: str
    record_id: str
    state: str
    changed: datetime
    name_en: str | None
    name_ja: str | None
    link: str


@dataclass(frozen=True)
class Settings:
    email: bool
    language: str | None
    last_digest: datetime | None
    has_feed: bool


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything here is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _watch(row: Any) -> Watch:
    return Watch(row.id, row.user_id, row.kind, row.value, row.created, row.email)


def list_watches(connection: Connection, user_id: int) -> list[Watch]:
    query = select(watches).where(watches.c.user_id == user_id).order_by(watches.c.id)
    return [_watch(row) for row in connection.execute(query)]


def get_watch(connection: Connection, watch_id: int) -> Watch | None:
    row = connection.execute(select(watches).where(watches.c.id == watch_id)).first()
    return _watch(row) if row else None


def check_watch(connection: Connection, kind: str, value: str) -> str:
    """The value to store, or a WatchError naming the field."""
    value = value.strip()
    if kind not in KINDS:
        raise WatchError(f"kind: must be one of {', '.join(KINDS)}, not {kind!r}")
    if not value:
        raise WatchError("value: empty")
    if len(value) > MAX_VALUE:
        raise WatchError(f"value: longer than {MAX_VALUE} characters")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise WatchError("value: holds a control character")
    if kind == "technology" and value not in queries.technology_parents(connection):
        raise WatchError(f"value: no technology {value!r}")
    if kind == "buyer" and value not in queries.ids(connection, "organizations"):
        raise WatchError(f"value: no organization {value!r}")
    return value


def add_watch(connection: Connection, user_id: int, kind: str, value: str, audience: Audience) -> int:
    """Save a watch and take its baseline (what matches now is not news)."""
    value = check_watch(connection, kind, value)
    if len(list_watches(connection, user_id)) >= MAX_WATCHES:
        raise WatchError(f"at most {MAX_WATCHES} watches per user")
    statement = insert(watches).values(user_id=user_id, kind=kind, value=value, created=accounts.now(), email=True)
    watch_id = int(connection.execute(statement.returning(watches.c.id)).scalar_one())
    _ensure_user(connection, user_id)
    refresh(connection, _watch(connection.execute(select(watches).where(watches.c.id == watch_id)).one()), audience)
    return watch_id


def delete_watch(connection: Connection, user_id: int, watch_id: int) -> None:
    condition = (watches.c.id == watch_id) & (watches.c.user_id == user_id)
    if connection.execute(select(watches.c.id).where(condition)).first() is None:
        raise WatchError(f"no watch {watch_id}")
    connection.execute(delete(watch_matches).where(watch_matches.c.watch_id == watch_id))
    connection.execute(delete(watches).where(condition))


def set_watch_email(connection: Connection, watch_id: int, on: bool) -> None:
    connection.execute(update(watches).where(watches.c.id == watch_id).values(email=on))


# ---- per-user settings: the feed secret, e-mail, language ------------------------------------------


def _ensure_user(connection: Connection, user_id: int) -> None:
    if connection.execute(select(watch_users.c.user_id).where(watch_users.c.user_id == user_id)).first() is None:
        connection.execute(insert(watch_users).values(user_id=user_id, email=True))


def settings(connection: Connection, user_id: int) -> Settings:
    row = connection.execute(select(watch_users).where(watch_users.c.user_id == user_id)).first()
    if row is None:
        return Settings(True, None, None, False)
    last = _utc(row.last_digest) if row.last_digest else None
    return Settings(row.email, row.language, last, row.feed_hash is not None)


def update_settings(connection: Connection, user_id: int, **values: Any) -> None:
    if "language" in values and values["language"] not in (*LANGUAGES, None):
        raise WatchError(f"language: must be one of {', '.join(LANGUAGES)} or empty")
    _ensure_user(connection, user_id)
    connection.execute(update(watch_users).where(watch_users.c.user_id == user_id).values(**values))


def rotate_feed(connection: Connection, user_id: int) -> str:
    """A new feed secret for the user (the old URL stops working); only its digest is stored."""
    secret = secrets.token_urlsafe(32)
    feed_hash = accounts.digest(accounts.site_secret(connection), FEED_PREFIX + secret)
    update_settings(connection, user_id, feed_hash=feed_hash)
    return secret


def feed_user(connection: Connection, secret: str) -> int | None:
    """The user whose feed this secret opens, if any."""
    wanted = accounts.digest(accounts.site_secret(connection), FEED_PREFIX + secret)
    return connection.execute(select(watch_users.c.user_id).where(watch_users.c.feed_hash == wanted)).scalar()


def unsubscribe_signature(connection: Connection, user_id: int, watch_id: int | None) -> str:
    """The HMAC that lets an e-mail's link turn off e-mail (of one watch, or all) without logging in."""
    return accounts.digest(accounts.site_secret(connection), f"unsubscribe:{user_id}:{watch_id or 'all'}")


def valid_unsubscribe(connection: Connection, user_id: int, watch_id: int | None, signature: str) -> bool:
    return hmac.compare_digest(unsubscribe_signature(connection, user_id, watch_id), signature)


def unsubscribe(connection: Connection, user_id: int, watch_id: int | None, signature: str) -> bool:
    """Turn off e-mail for the watch (or the user) if the signature is right; False when it is not."""
    if not valid_unsubscribe(connection, user_id, watch_id, signature):
        return False
    if watch_id is None:
        update_settings(connection, user_id, email=False)
        return True
    watch = get_watch(connection, watch_id)
    if watch is None or watch.user_id != user_id:
        return False
    set_watch_email(connection, watch_id, False)
    return True


# ---- matching and looking ---------------------------------------------------------------------------


def _content_hash(row: dict[str, Any]) -> str:
    text = json.dumps(row, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _rows(connection: Connection, table_name: str, audience: Audience, *conditions: Any) -> list[dict[str, Any]]:
    from fusionatlas.store.visibility import where_visible

    spec = table(table_name)
    db_table = TABLES_BY_NAME[table_name]
    query = select(*(db_table.c[name] for name in spec.columns)).where(*conditions)
    return [
        dict(zip(spec.columns, row, strict=True))
        for row in connection.execute(where_visible(query, audience, table_name))
    ]


def _subtree(connection: Connection, root: str) -> set[str]:
    _technologies, children = queries.technology_tree(connection)
    found, todo = set(), [root]
    while todo:
        node = todo.pop()
        if node not in found:
            found.add(node)
            todo.extend(children.get(node, []))
    return found


def current_matches(connection: Connection, watch: Watch, audience: Audience) -> dict[tuple[str, str], str]:
    """The needs and capabilities the watch matches now, as the audience sees them: their content hashes."""
    needs, caps = TABLES_BY_NAME["needs"], TABLES_BY_NAME["capabilities"]
    found: dict[str, list[dict[str, Any]]] = {}
    if watch.kind == "text":
        hits = queries.search(connection, watch.value, audience, limit=SEARCH_LIMIT)
        for name, db_table in (("needs", needs), ("capabilities", caps)):
            wanted = [hit.id for hit in hits if hit.table == name]
            found[name] = _rows(connection, name, audience, db_table.c.id.in_(wanted)) if wanted else []
    elif watch.kind == "technology":
        subtree = _subtree(connection, watch.value)
        found["needs"] = [r for r in _rows(connection, "needs", audience) if subtree & set(r["technology_ids"] or [])]
        found["capabilities"] = _rows(connection, "capabilities", audience, caps.c.technology_id.in_(subtree))
    else:
        found["needs"] = _rows(connection, "needs", audience, needs.c.buyer_org_id == watch.value)
        found["capabilities"] = _rows(connection, "capabilities", audience, caps.c.org_id == watch.value)
    return {(name, row["id"]): _content_hash(row) for name, rows in found.items() for row in rows}


def _look_key(connection: Connection, audience: Audience) -> str:
    from fusionatlas.store.version import data_version  # late: it needs accounts.py loaded

    level, org = audience.sight
    return f"{data_version(connection)}|{level}|{org or ''}"


def refresh(connection: Connection, watch: Watch, audience: Audience) -> int:
    """Look at a watch again inside the caller's write transaction (saving a watch takes its baseline so);
    returns how many records became news. Pages and the digest use `look`, whose transactions start with a write."""
    key = _look_key(connection, audience)
    looked = connection.execute(select(watches.c.looked).where(watches.c.id == watch.id)).scalar()
    if looked == key:
        return 0
    matched = current_matches(connection, watch, audience)
    connection.execute(update(watches).where(watches.c.id == watch.id).values(looked=key))
    return _record(connection, watch.id, matched, baseline=looked is None)


def look(engine: Engine, user_id: int, audience: Audience) -> int:
    """Look at every watch of a user whose last look is older than the data version or the user's sight.

    Matching reads in one transaction; each watch's result is written in a short one that starts with its
    write (claiming the look), as SQLite's WAL mode needs: a concurrent look of the same watch then waits,
    and finds the hashes already recorded (nothing counts twice)."""
    with engine.connect() as connection:
        key = _look_key(connection, audience)
        query = select(watches).where(watches.c.user_id == user_id).order_by(watches.c.id)
        stale = [(_watch(row), row.looked) for row in connection.execute(query) if row.looked != key]
        found = [(watch, looked, current_matches(connection, watch, audience)) for watch, looked in stale]
    news = 0
    for watch, looked, matched in found:
        with engine.begin() as connection:
            claim = update(watches).where(
                watches.c.id == watch.id, or_(watches.c.looked.is_(None), watches.c.looked != key)
            )
            if connection.execute(claim.values(looked=key)).rowcount:
                news += _record(connection, watch.id, matched, baseline=looked is None)
    return news


def _record(connection: Connection, watch_id: int, matched: dict[tuple[str, str], str], baseline: bool) -> int:
    """Compare a watch's matches with the hashes it keeps: new and changed records become news."""
    known = {
        (row.table_name, row.record_id): row.content_hash
        for row in connection.execute(select(watch_matches).where(watch_matches.c.watch_id == watch_id))
    }
    moment, news = accounts.now(), 0
    for (table_name, record_id), content in matched.items():
        old = known.get((table_name, record_id))
        if old == content:
            continue
        state = None if baseline else ("new" if old is None else "changed")
        news += state is not None
        values = {"content_hash": content, "state": state, "changed": moment if state else None}
        if old is None:
            connection.execute(
                insert(watch_matches).values(watch_id=watch_id, table_name=table_name, record_id=record_id, **values)
            )
        else:
            connection.execute(
                update(watch_matches)
                .where(
                    (watch_matches.c.watch_id == watch_id)
                    & (watch_matches.c.table_name == table_name)
                    & (watch_matches.c.record_id == record_id)
                )
                .values(**values)
            )
    for table_name, record_id in set(known) - set(matched):
        connection.execute(
            delete(watch_matches).where(
                (watch_matches.c.watch_id == watch_id)
                & (watch_matches.c.table_name == table_name)
                & (watch_matches.c.record_id == record_id)
            )
        )
    return news


def _link(table_name: str, row: Any) -> str:
    """A need's own page; a capability's organization (capabilities have no page of their own)."""
    if table_name == "needs":
        return f"/needs/{quote(row.record_id, safe=':')}"
    if row.cap_org:
        return f"/organizations/{row.cap_org}"
    return f"/?{urlencode({'q': row.record_id})}"


def news(
    connection: Connection, user_id: int, since: datetime | None = None, emailed_only: bool = False, limit: int = 200
) -> list[Match]:
    """The user's new and changed matches, newest first (only those since `since`, when given)."""
    caps = TABLES_BY_NAME["capabilities"]
    query = (
        select(
            watch_matches,
            watches.c.kind,
            watches.c.value,
            search_entries.c.name_en,
            search_entries.c.name_ja,
            caps.c.org_id.label("cap_org"),
        )
        .join(watches, watches.c.id == watch_matches.c.watch_id)
        .outerjoin(
            search_entries,
            (search_entries.c.table_name == watch_matches.c.table_name)
            & (search_entries.c.record_id == watch_matches.c.record_id),
        )
        .outerjoin(caps, (watch_matches.c.table_name == "capabilities") & (caps.c.id == watch_matches.c.record_id))
        .where(watches.c.user_id == user_id, watch_matches.c.changed.is_not(None))
        .order_by(watch_matches.c.changed.desc(), watch_matches.c.table_name, watch_matches.c.record_id)
        .limit(limit)
    )
    if since is not None:
        query = query.where(watch_matches.c.changed > since)
    if emailed_only:
        query = query.where(watches.c.email.is_(True))
    return [
        Match(
            row.watch_id,
            row.kind,
            row.value,
            row.table_name,
            row.record_id,
            row.state,
            _utc(row.changed),
            row.name_en,
            row.name_ja,
            _link(row.table_name, row),
        )
        for row in connection.execute(query)
    ]
