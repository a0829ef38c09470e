"""Who is looking: the visibility level a request may see, and the organization it belongs to.

Every page and API endpoint filters records through `viewer(request)`. Anonymous visitors see public
records only (level 0); members see members-only records too (level 1); editors and admins see all
(level 2); a user that belongs to an organization also sees that organization's private records.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

PUBLIC, MEMBERS, ALL = 0, 1, 2
LEVELS = {"public": PUBLIC, "members": MEMBERS, "private": ALL}


@dataclass(frozen=True)
class Viewer:
    level: int = PUBLIC
    org_id: str | None = None
    user_id: int | None = None
    role: str | None = None

    def may_see(self, visibility: str | None, org_id: str | None = None) -> bool:
        """Whether a record with this visibility (owned by `org_id`) may be shown."""
        needed = LEVELS.get(visibility or "public", ALL)
        return needed <= self.level or (needed == ALL and org_id is not None and org_id == self.org_id)

    @property
    def sight(self) -> tuple[int, str | None]:
        """All that `may_see` depends on: cached results are shared by every viewer with the same sight."""
        return self.level, self.org_id


ANONYMOUS = Viewer()


def viewer(request: Request) -> Viewer:
    """The viewer of this request: resolved once (session cookie or API token, web/auth.py) and kept."""
    found = getattr(request.state, "viewer", None)
    if found is None:
        from fusionatlas.web.auth import identify  # late: auth builds on this module

        found = identify(request)
        request.state.viewer = found
    return found
