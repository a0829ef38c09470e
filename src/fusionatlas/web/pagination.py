"""One way to cut a list into pages: the landscape sections, the organization list and a technology's suppliers.

A page asked for past the last one is empty (it still links back to the page before it); a list of no rows
has one page. How a page links to its neighbours is each list's own affair (`link`): the landscape keeps every
other query parameter, the organization list rebuilds its filters, a technology page keeps only the size.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar
from urllib.parse import urlencode

from fastapi import Query

T = TypeVar("T")
LAST_PAGE = 100_000  # a page number beyond this is a 422: nobody reads that far, and it bounds the slicing
PageParam = Annotated[int, Query(ge=1, le=LAST_PAGE)]


@dataclass(frozen=True)
class Page(Generic[T]):
    """The rows of one page, where it stands, and links to the pages either side (None at either end)."""

    rows: list[T]
    page: int
    pages: int
    total: int
    size: int
    previous: str | None
    next: str | None


def paginate(items: Sequence[T], page: int, size: int, link: Callable[[int], str]) -> Page[T]:
    """Page `page` (from 1) of `size` rows each; `link(number)` is the address of page `number`."""
    if page < 1 or size < 1:
        raise ValueError(f"page and size start at 1 (got page={page}, size={size})")
    pages = max(1, math.ceil(len(items) / size))
    return Page(
        list(items[(page - 1) * size : page * size]),
        page,
        pages,
        len(items),
        size,
        link(page - 1) if page > 1 else None,
        link(page + 1) if page < pages else None,
    )


def query_link(query: Mapping[str, str], path: str = "") -> Callable[[int], str]:
    """Links to other pages that keep every other parameter of the query (`path` blank: relative to the page)."""

    def link(number: int) -> str:
        return path + "?" + urlencode({**query, "page": number})

    return link
