"""Who is asking, and what they may see: the one place the atlas decides visibility.

Every reader (store queries, search, analysis, matching, exports, the web pages and the API) takes an
`Audience` and asks it; nothing else spells visibility out.

The rules:
- A record with a `visibility` column is `public`, `members` (any signed-in account) or `private`
  (its owning organization's users, and editors and admins).
- A record's *owner* is the organization it is about: the table's `owner` in the registry
  (`domain/tables.py`: `org_id`, `buyer_org_id`, `operator_org_id`; an organization owns itself).
- A record's effective visibility is the stricter of its own and its owner's: a public capability of a
  private organization is private. A table without a visibility column inherits its owner's (a
  milestone of a private organization is private); a record with no owner and no visibility
  (technologies, programmes, regulations, sources, exchange rates) is public.
- The users of an organization see everything it owns, whatever its visibility.

Audiences: the public (anonymous visitors, level 0); members (signed in, level 1), optionally of an
organization; editors and admins (level 2, everything); the operator (the CLI, direct database access:
level 2, unless a command is given `--public-only`).
"""

from __future__ import annotations

from dataclasses import dataclass

PUBLIC_LEVEL, MEMBERS_LEVEL, ALL_LEVEL = 0, 1, 2
# The level a visibility needs; an unknown value needs the most (fail closed).
NEEDED = {"public": PUBLIC_LEVEL, "members": MEMBERS_LEVEL, "private": ALL_LEVEL}
# The visibilities each level below ALL_LEVEL sees.
SEEN_AT = {PUBLIC_LEVEL: ("public",), MEMBERS_LEVEL: ("public", "members")}
ROLE_LEVELS = {"admin": ALL_LEVEL, "editor": ALL_LEVEL, "member": MEMBERS_LEVEL}


def needed_level(visibility: str | None) -> int:
    """The level a record of this visibility needs (blank means public, as in the data package)."""
    return NEEDED.get(visibility or "public", ALL_LEVEL)


@dataclass(frozen=True)
class Audience:
    """Who is asking: a level (0 public, 1 members, 2 everything) and the organization they belong to."""

    level: int = PUBLIC_LEVEL
    org_id: str | None = None
    user_id: int | None = None
    role: str | None = None

    @classmethod
    def of_user(cls, user_id: int, role: str, org_id: str | None) -> Audience:
        return cls(ROLE_LEVELS.get(role, MEMBERS_LEVEL), org_id, user_id, role)

    @classmethod
    def operator(cls, public_only: bool = False) -> Audience:
        """The CLI: everything, or what the public sees when a command is given `--public-only`."""
        return PUBLIC if public_only else OPERATOR

    @property
    def sees_everything(self) -> bool:
        return self.level >= ALL_LEVEL

    @property
    def visibilities(self) -> tuple[str, ...] | None:
        """The visibilities this audience sees in anyone's records; None: all of them."""
        return None if self.sees_everything else SEEN_AT[self.level]

    @property
    def sight(self) -> tuple[int, str | None]:
        """All that `may_see` depends on: results kept for one audience serve every audience of the same sight."""
        return (ALL_LEVEL, None) if self.sees_everything else (self.level, self.org_id)

    def may_see(self, visibility: str | None, owner_visibility: str | None = None, owner_id: str | None = None) -> bool:
        """Whether a record may be shown, given its own visibility and its owning organization's.

        Pass `owner_visibility=None` for a record without an owner (or when the owner is the record itself).
        """
        if owner_id is not None and owner_id == self.org_id:
            return True
        return max(needed_level(visibility), needed_level(owner_visibility)) <= self.level


PUBLIC = Audience()
OPERATOR = Audience(level=ALL_LEVEL, role="operator")
