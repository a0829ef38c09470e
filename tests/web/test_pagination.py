"""The one pagination helper: where a page stands, its rows, its neighbours' links, and bad input."""

import pytest

from fusionatlas.web.pagination import Page, paginate, query_link


def numbered(number: int) -> str:
    return f"#{number}"


def test_a_middle_page_links_both_ways():
    page = paginate(list(range(10)), 2, 3, numbered)
    assert page == Page([3, 4, 5], 2, 4, 10, 3, "#1", "#3")


def test_the_first_and_last_pages_link_one_way():
    first, last = paginate(range(10), 1, 3, numbered), paginate(range(10), 4, 3, numbered)
    assert (first.rows, first.previous, first.next) == ([0, 1, 2], None, "#2")
    assert (last.rows, last.previous, last.next) == ([9], "#3", None)


def test_an_exact_fit_has_no_empty_last_page():
    assert paginate(range(6), 2, 3, numbered).pages == 2
    assert paginate(range(6), 2, 3, numbered).next is None


def test_no_rows_is_one_empty_page():
    page = paginate([], 1, 50, numbered)
    assert (page.rows, page.page, page.pages, page.total, page.previous, page.next) == ([], 1, 1, 0, None, None)


def test_a_page_past_the_end_is_empty_and_links_back():
    page = paginate(range(5), 9, 2, numbered)
    assert (page.rows, page.pages, page.total, page.previous, page.next) == ([], 3, 5, "#8", None)


def test_bad_page_or_size_is_refused():
    with pytest.raises(ValueError, match="page=0"):
        paginate(range(5), 0, 2, numbered)
    with pytest.raises(ValueError, match="size=0"):
        paginate(range(5), 1, 0, numbered)


def test_query_links_keep_the_other_parameters_and_replace_the_page():
    link = query_link({"country": "JP", "page": "3", "q": "a b&c"})
    assert link(4) == "?country=JP&page=4&q=a+b%26c"
    assert query_link({}, "/landscape/facilities")(2) == "/landscape/facilities?page=2"
