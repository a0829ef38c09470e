"""Japanese conventions for figures on Japanese pages: amounts in 万/億/兆 (650億円, 18億ドル), dates as
2025年6月4日, a Japanese budget's year as 年度; English pages keep the figures as stored.

Registered as Jinja filters (`money`, `date_text`, `year_text`), which take the page's language from the
template's context, so a template writes `{{ row.amount | money(row.currency) }}` once for both languages.
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

# Currencies as Japanese text names them after the figure (18億ドル, 3.7億ユーロ).
CURRENCY_JA = {
    "JPY": "円", "USD": "ドル", "EUR": "ユーロ", "GBP": "ポンド", "CNY": "元", "KRW": "ウォン",
    "CAD": "カナダドル", "AUD": "豪ドル", "CHF": "スイスフラン", "INR": "ルピー", "RUB": "ルーブル",
}  # fmt: skip
_UNITS = ((10**12, "兆"), (10**8, "億"), (10**4, "万"))
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def _number(value: float) -> str:
    """At most three significant decimals, no trailing zeros: 3.7, 650, 1,234, 12.35."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if value < 100 else f"{round(value):,}"
    return text


def amount_ja(amount: float, currency: str | None) -> str:
    """An amount in Japanese units: 10,000,000,000 JPY -> 100億円; 1,234,500,000,000 JPY -> 1兆2,345億円."""
    unit_name = CURRENCY_JA.get((currency or "").upper(), f" {currency}" if currency else "")
    sign = "-" if amount < 0 else ""
    value = abs(amount)
    if value >= 10**12 and value % 10**8 == 0 and value % 10**12:
        cho, oku = divmod(int(value), 10**12)
        return f"{sign}{cho:,}兆{oku // 10**8:,}億{unit_name}"
    for size, unit in _UNITS:
        if value >= size:
            return f"{sign}{_number(value / size)}{unit}{unit_name}"
    return f"{sign}{_number(value)}{unit_name}"


def amount_text(amount: float | None, currency: str | None, lang: str) -> str:
    """An amount with its currency in the page's language; blank for none."""
    if amount is None:
        return ""
    if lang == "ja":
        return amount_ja(amount, currency)
    return f"{amount:,.0f} {currency or ''}".strip() if amount == int(amount) else f"{amount:,} {currency or ''}"


def date_ja(value: str | None) -> str:
    """2025-06-04 -> 2025年6月4日, 2025-06 -> 2025年6月, 2025 -> 2025年; other text unchanged."""
    if not value:
        return ""
    found = _ISO_DATE.match(str(value).strip())
    if not found:
        return str(value)
    year, month, day = found.groups()
    return f"{year}年" + (f"{int(month)}月" if month else "") + (f"{int(day)}日" if day else "")


def year_ja(year: Any, fiscal: bool) -> str:
    """A year as Japanese text writes it: 2025年, or 2025年度 where the source counts fiscal years."""
    if year in (None, ""):
        return ""
    return f"{year}年度" if fiscal else f"{year}年"


@pass_context
def money_filter(context: Context, amount: float | None, currency: str | None) -> str:
    return amount_text(amount, currency, context.get("lang", "en"))


@pass_context
def date_filter(context: Context, value: str | None) -> str:
    return date_ja(value) if context.get("lang") == "ja" else (value or "")


@pass_context
def year_filter(context: Context, year: Any, fiscal: bool = False) -> str:
    if context.get("lang") == "ja":
        return year_ja(year, fiscal)
    return "" if year in (None, "") else (f"FY{year}" if fiscal else str(year))


FILTERS = {"money": money_filter, "date_text": date_filter, "year_text": year_filter}
