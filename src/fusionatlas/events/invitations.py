"""Invitations by e-mail: an organizer invites addresses; each gets a registration link with a single-use token.

The token is random (secrets), shown once in the e-mail and kept only as its HMAC digest (the site secret, as API
tokens are), so a copy of the database does not give working links. Registering through the link (signed in,
with the registration form) uses the token: the invitation is then `registered` and names the participant;
a used or unknown token is refused and nothing is written. Status: `unsent` (no e-mail configured, or sending
failed), `sent`, `registered`. An address already invited to the event is not invited again.

An invitee without an account makes one with the link (`create_account`): a member account under the invited
address (the link reached that mailbox, so the address is the invitation's, never typed), with the password rules
and hashing of store/accounts.py. The token stays open: the registration that follows uses it. An address that has
an account already is told to sign in instead.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from fusionatlas.events.core import Event, EventError, is_organizer, now
from fusionatlas.store import accounts
from fusionatlas.store.accounts import User, digest, normalize_email, site_secret
from fusionatlas.store.events import event_invitations

MAX_ADDRESSES = 200
NOT_VALID = "this invitation link was used already or is not valid"
HAS_ACCOUNT = "an account with this e-mail address exists already: sign in instead"
MEMBER = "member"  # the ordinary role (store/accounts.py ROLES): an invitation never grants more
ADDRESS = re.compile(r"[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+")


@dataclass(frozen=True)
class Invitation:
    id: int
    email: str
    language: str
    status: str
    participant_id: int | None
    created: datetime


def parse_addresses(text: str) -> list[str]:
    """One address a line (blank lines skipped), lower-cased, duplicates dropped; EventError names a wrong one."""
    found: list[str] = []
    for line in text.splitlines():
        address = normalize_email(line)
        if not address:
            continue
        if len(address) > 320 or not ADDRESS.fullmatch(address):
            raise EventError("{field}: not an e-mail address: {value}", field="addresses", value=address[:100])
        if address not in found:
            found.append(address)
    if not found:
        raise EventError("{field}: required", field="addresses")
    if len(found) > MAX_ADDRESSES:
        raise EventError("{field}: at most {limit} addresses at once", field="addresses", limit=MAX_ADDRESSES)
    return found


def invite(connection: Connection, event: Event, organizer: User, text: str, language: str) -> list[tuple[int, str]]:
    """New invitations for the addresses not invited yet: (invitation id, token) each; the token goes in the link."""
    if not is_organizer(organizer):
        raise EventError("only organizers (editors and admins) create events")
    addresses = parse_addresses(text)
    known = set(
        connection.execute(select(event_invitations.c.email).where(event_invitations.c.event_id == event.id)).scalars()
    )
    secret = site_secret(connection)
    made = []
    for address in addresses:
        if address in known:
            continue
        token = secrets.token_urlsafe(32)
        row = {
            "event_id": event.id,
            "email": address,
            "language": language if language in ("en", "ja") else "en",
            "token_digest": digest(secret, token),
            "status": "unsent",
            "invited_by": organizer.id,
            "created": now(),
        }
        new_id = connection.execute(insert(event_invitations).values(**row)).inserted_primary_key[0]  # type: ignore[index]
        made.append((int(new_id), token))
    return made


def mark_sent(connection: Connection, invitation_ids: list[int]) -> None:
    c = event_invitations.c
    connection.execute(
        update(event_invitations).where(c.id.in_(invitation_ids), c.status == "unsent").values(status="sent")
    )


def get_invitation(connection: Connection, invitation_id: int) -> Invitation | None:
    row = connection.execute(select(event_invitations).where(event_invitations.c.id == invitation_id)).first()
    return _invitation(row) if row else None


def _invitation(row: object) -> Invitation:
    values = row._mapping  # type: ignore[attr-defined]
    return Invitation(**{k: values[k] for k in Invitation.__dataclass_fields__})


def invitations(connection: Connection, event_id: int) -> list[Invitation]:
    query = select(event_invitations).where(event_invitations.c.event_id == event_id).order_by(event_invitations.c.id)
    return [_invitation(row) for row in connection.execute(query)]


def valid_token(connection: Connection, event_id: int, token: str) -> bool:
    """Whether the token is an unused invitation to this event."""
    return _open(connection, event_id, token) is not None


def open_invitation(connection: Connection, event_id: int, token: str) -> Invitation | None:
    """The unused invitation to this event that the token opens, if any."""
    found = _open(connection, event_id, token)
    return get_invitation(connection, found) if found is not None else None


def has_account(connection: Connection, email: str) -> bool:
    users = accounts.users
    return connection.execute(select(users.c.id).where(users.c.email == normalize_email(email))).first() is not None


def create_account(connection: Connection, event_id: int, token: str, password: str) -> User:
    """A member account for the invited address, made with the invitation link (no admin needed). EventError when
    the link is used or unknown, the address has an account already (HAS_ACCOUNT: sign in instead) or the password
    breaks the rules; the caller's transaction then writes nothing."""
    found = open_invitation(connection, event_id, token)
    if found is None:
        raise EventError(NOT_VALID)
    if has_account(connection, found.email):
        raise EventError(HAS_ACCOUNT)
    if len(password) < accounts.MIN_PASSWORD or "\x00" in password:
        raise EventError("{field}: at least {limit} characters", field="password", limit=accounts.MIN_PASSWORD)
    try:
        with connection.begin_nested():
            return accounts.create_user(connection, found.email, password, MEMBER)
    except IntegrityError as error:  # the same link used twice at once: the other request made the account
        raise EventError(HAS_ACCOUNT) from error
    except accounts.AccountError as error:  # the rules of store/accounts.py, checked again there
        raise EventError("{field}: {problem}", field="password", problem=str(error)) from error


def _open(connection: Connection, event_id: int, token: str) -> int | None:
    if not token or len(token) > 100:
        return None
    c = event_invitations.c
    key = digest(site_secret(connection), token)
    query = select(c.id).where(c.event_id == event_id, c.token_digest == key, c.status != "registered")
    return connection.execute(query).scalar()


def use_token(connection: Connection, event_id: int, token: str, participant_id: int) -> None:
    """The invitation is used by this registration; a used or unknown token: EventError (the caller's transaction
    then writes nothing)."""
    found = _open(connection, event_id, token)
    if found is None:
        raise EventError(NOT_VALID)
    c = event_invitations.c
    used = connection.execute(
        update(event_invitations)
        .where(c.id == found, c.status != "registered")  # checked again in the write: two uses race, one wins
        .values(status="registered", participant_id=participant_id)
    )
    if used.rowcount != 1:
        raise EventError(NOT_VALID)
