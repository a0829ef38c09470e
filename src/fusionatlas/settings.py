"""Numbers a deployment sets in the environment, read one way: blank means the default; anything else must
be a number at least `minimum`, or a ValueError names the variable and what it expects."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TypeVar

N = TypeVar("N", int, float)


def number_from_env(
    name: str,
    default: N,
    parse: Callable[[str], N],
    minimum: N,
    expected: str,
    environ: Mapping[str, str] | None = None,
) -> N:
    """`name`'s value parsed by `parse` (int or float), `default` when unset or blank."""
    setting = (os.environ if environ is None else environ).get(name, "").strip()
    if not setting:
        return default
    try:
        value = parse(setting)
    except ValueError:
        raise ValueError(f"{name}={setting!r}: expected {expected}") from None
    if not value >= minimum:  # also refuses nan
        raise ValueError(f"{name}={setting!r}: expected {expected}")
    return value
