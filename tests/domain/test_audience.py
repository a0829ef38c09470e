"""The audience type: the one place that decides who may see a record."""

import pytest

from fusionatlas.domain.audience import MEMBERS_LEVEL, OPERATOR, PUBLIC, Audience


@pytest.mark.parametrize(
    ("audience", "visibility", "owner_visibility", "owner", "expected"),
    [
        (PUBLIC, "public", None, None, True),
        (PUBLIC, None, None, None, True),  # blank means public, as in the data package
        (PUBLIC, "members", None, None, False),
        (PUBLIC, "public", "private", "org:p", False),  # a public record of a private organization
        (PUBLIC, "public", "members", "org:m", False),
        (Audience(level=MEMBERS_LEVEL), "public", "members", "org:m", True),
        (Audience(level=MEMBERS_LEVEL), "members", "public", "org:a", True),
        (Audience(level=MEMBERS_LEVEL), "public", "private", "org:p", False),
        (Audience(level=MEMBERS_LEVEL, org_id="org:p"), "private", "private", "org:p", True),  # its own
        (Audience(level=MEMBERS_LEVEL, org_id="org:q"), "private", "public", "org:p", False),
        (OPERATOR, "private", "private", "org:p", True),
        (PUBLIC, "secret", None, None, False),  # an unknown value fails closed
    ],
)
def test_may_see(audience, visibility, owner_visibility, owner, expected):
    assert audience.may_see(visibility, owner_visibility, owner) is expected


def test_roles_and_the_operator():
    assert Audience.of_user(1, "member", None).level == MEMBERS_LEVEL
    assert Audience.of_user(1, "editor", None).sees_everything
    assert Audience.of_user(1, "admin", "org:p").sight == OPERATOR.sight  # editors' results are shared
    assert Audience.operator(public_only=True) == PUBLIC
    assert Audience.operator() == OPERATOR


def test_sight_tells_apart_what_may_differ():
    assert Audience(level=MEMBERS_LEVEL, user_id=1).sight == Audience(level=MEMBERS_LEVEL, user_id=2).sight
    assert Audience(level=MEMBERS_LEVEL, org_id="org:p").sight != Audience(level=MEMBERS_LEVEL).sight
    assert PUBLIC.visibilities == ("public",)
    assert OPERATOR.visibilities is None
