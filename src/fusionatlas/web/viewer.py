"""The audience of a request (domain/audience.py): resolved once per request and kept.

Every page and API endpoint reads records through `viewer(request)`: anonymous visitors are the public;
a session cookie or an API token (web/auth.py) makes the request its user's audience.
"""

from __future__ import annotations

from fastapi import Request

from fusionatlas.domain.audience import Audience


def viewer(request: Request) -> Audience:
    """The audience of this request: resolved once (session cookie or API token, web/auth.py) and kept."""
    found = getattr(request.state, "viewer", None)
    if found is None:
        from fusionatlas.web.auth import identify  # late: auth builds on this module

        found = identify(request)
        request.state.viewer = found
    return found
