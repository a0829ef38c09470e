"""Japanese conventions for figures on Japanese pages: amounts in 万/億/兆 (650億円, 18億ドル), dates as
2025年6月4日, a Japanese budget's year as 年度; English pages keep the figures as stored.

Moments (when a record changed, when a scenario was saved) are stored in UTC: Japanese pages show them in
Japan's time, 2026年12月6日 21:50（日本時間）, English pages in UTC, 2026-12-06 12:50 UTC (`time_text`).

Registered as Jinja filters (`money`, `date_text`, `year_text`, `time_text`), which take the page's language from the
template's context, so a template writes `{{ row.amount | money(row.currency) }}` once for both languages.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import pass_context
from jinja2.runtime import Context

# Currencies as Japanese text names them after the figure (18億ドル, 3.7億ユーロ).
CURRENCY_JA = {
    "JPY": "円", "USD": "ドル", "EUR": "ユーロ", "GBP": "ポンド", "CNY": "元", "KRW": "ウォン",
    "CAD": "カナダドル", "AUD": "豪ドル", "CHF": "スイスフラン", "INR": "ルピー", "RUB": "ルーブル",
}  # fmt: skip
_UNITS = ((10**12, "兆"), (10**8, "億"), (10**4, "万"))
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
# Date wording the data uses where a source gives no date ("early 2030s"), as Japanese writes it.
_PART = {"early": "前半", "mid": "半ば", "late": "後半"}
_HALF = {"first": "前半", "second": "後半"}
_WORDING = [
    (re.compile(r"^(early|mid|late)[- ](\d{4})s$", re.I), lambda m: f"{m[2]}年代{_PART[m[1].lower()]}"),
    (re.compile(r"^(early|mid|late)[- ](\d{4})$", re.I), lambda m: f"{m[2]}年{_PART[m[1].lower()]}"),
    (re.compile(r"^(\d{4})s$"), lambda m: f"{m[1]}年代"),
    (re.compile(r"^(first|second) half of the (\d{4})s$", re.I), lambda m: f"{m[2]}年代{_HALF[m[1].lower()]}"),
    (re.compile(r"^around (\d{4})$", re.I), lambda m: f"{m[1]}年頃"),
    (re.compile(r"^from (\d{4}), within a few years$", re.I), lambda m: f"{m[1]}年から数年以内"),
    (re.compile(r"^by the end of the (\d{4})s$", re.I), lambda m: f"{m[1]}年代末までに"),
    (re.compile(r"^by the end of (\d{4})$", re.I), lambda m: f"{m[1]}年末までに"),
    (re.compile(r"^by the (\d{4})s$", re.I), lambda m: f"{m[1]}年代までに"),
    (re.compile(r"^by (\d{4})$", re.I), lambda m: f"{m[1]}年までに"),
    (re.compile(r"^within FY ?(\d{4})$", re.I), lambda m: f"{m[1]}年度中"),
    (re.compile(r"^FY ?(\d{4})$", re.I), lambda m: f"{m[1]}年度"),
]


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
    """2025-06-04 -> 2025年6月4日, 2025-06 -> 2025年6月, 2025 -> 2025年, early 2030s -> 2030年代前半;
    other text unchanged."""
    if not value:
        return ""
    text = str(value).strip()
    for pattern, wording in _WORDING:
        if worded := pattern.match(text):
            return wording(worded)
    found = _ISO_DATE.match(text)
    if not found:
        return text
    year, month, day = found.groups()
    return f"{year}年" + (f"{int(month)}月" if month else "") + (f"{int(day)}日" if day else "")


_ROUND_WORDS = [
    (re.compile(r"^Series ([A-Z]\d?)"), r"シリーズ\1"),
    (re.compile(r"^Seed"), "シード"),
    (re.compile(r"^Angel"), "エンジェル"),
    (re.compile(r"^SPAC merger"), "SPAC合併"),
    (re.compile(r"^grant"), "助成"),
    (re.compile(r" extension$"), "(追加)"),
    (re.compile(r" \(second tranche\)$"), "(第2トランシェ)"),
    (re.compile(r" \(total of tranches\)$"), "(トランシェ合計)"),
    (re.compile(r" \(part\)$"), "(一部)"),
]


def round_ja(name: str | None) -> str:
    """A funding round as Japanese writes it: Series C (total of tranches) -> シリーズC(トランシェ合計)."""
    text = name or ""
    for pattern, japanese in _ROUND_WORDS:
        text = pattern.sub(japanese, text)
    return text


def date_in(value: str | None, lang: str) -> str:
    """A date or date wording in the page's language (English pages keep it as stored)."""
    return date_ja(value) if lang == "ja" else (value or "")


def year_ja(year: Any, fiscal: bool) -> str:
    """A year as Japanese text writes it: 2025年, or 2025年度 where the source counts fiscal years."""
    if year in (None, ""):
        return ""
    if "-" in str(year):  # a month or a day: a date, whatever the budget counts
        return date_ja(str(year))
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
    if year in (None, ""):
        return ""
    # FY only before a year: an exact date or a month (2007-06-01) is a date, whatever the budget counts.
    return f"FY{year}" if fiscal and "-" not in str(year) else str(year)


@pass_context
def round_filter(context: Context, name: str | None) -> str:
    return round_ja(name) if context.get("lang") == "ja" else (name or "")


JAPAN = ZoneInfo("Asia/Tokyo")


def moment_text(moment: datetime | None, lang: str) -> str:
    """A stored moment (UTC; a naive one is taken as UTC) for the reader: Japan's time on Japanese pages,
    saying so, UTC on English pages, saying so."""
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if lang == "ja":
        local = aware.astimezone(JAPAN)
        return f"{local.year}年{local.month}月{local.day}日 {local.hour}:{local.minute:02d}（日本時間）"
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


@pass_context
def time_filter(context: Context, moment: datetime | None) -> str:
    return moment_text(moment, context.get("lang", "en"))


FILTERS = {
    "money": money_filter,
    "date_text": date_filter,
    "year_text": year_filter,
    "round_text": round_filter,
    "time_text": time_filter,
}
