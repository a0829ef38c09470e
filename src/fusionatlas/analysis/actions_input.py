"""Candidate support actions as officials enter them: rows of the page's editor, or an uploaded XLSX workbook,
and the template workbook to fill in (docs/gaps.md, "Support-programme targeting").

Both read the columns of analysis/portfolio.py (id, name_en, name_ja, cost, technologies, closes). A workbook's
headings may be the field names or their English or Japanese labels (`LABELS`). Every problem is an
`ActionError` naming the sheet, the row and the column (letter and heading as the file has them), so the page
can say it in the reader's language; nothing is computed from input with a problem.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Sequence
from typing import Any

from fusionatlas.analysis.portfolio import FIELDS, LABELS, Action, ActionError, _action, check_count

MAX_WORKBOOK_BYTES = 2_000_000  # an uploaded workbook; 500 actions take well under 100 kB
SHEET = {"en": "Actions", "ja": "施策"}
TECHNOLOGY_SHEET = {"en": "Technologies", "ja": "技術一覧"}
ABOUT_SHEET = {"en": "About", "ja": "このファイルについて"}
REQUIRED = ("id", "cost", "technologies", "closes")
EXAMPLE = {
    "id": "act:rebco-line",
    "name_en": "Domestic REBCO tape line",
    "name_ja": "REBCO線材の国内製造ライン",
    "cost": 300,
    "technologies": "tech:magnet.hts.rebco-tape",
    "closes": 0.6,
}


def _key(text: Any) -> str:
    """A heading as compared: width-folded (NFKC), lower case, without spaces."""
    return "".join(unicodedata.normalize("NFKC", str(text)).lower().split())


HEADINGS = {_key(name): field for field in FIELDS for name in (field, *LABELS[field])}


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)  # Excel stores 300 as 300.0: show it as typed in messages
    return value


def _blank_row(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _unique(action: Action, seen: set[str], place: dict[str, Any]) -> Action:
    if action.id in seen:
        raise ActionError("action id %(id)r appears more than once", {"id": action.id}, **place)
    seen.add(action.id)
    return action


def actions_from_rows(rows: Sequence[dict[str, Any]], known: set[str], names: dict[str, str]) -> list[Action]:
    """Actions from the page's row editor. Rows are numbered as the page shows them (from 1); blank rows are
    skipped, so the spare rows a page without scripts carries cost nothing. `names` maps technology names (lower
    case) to ids."""
    actions: list[Action] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        if _blank_row([row.get(f) for f in FIELDS]):
            continue
        check_count(len(actions) + 1)

        def locate(field: str | None, number: int = number) -> dict[str, Any]:
            return {"row": number, "field": field}

        actions.append(_unique(_action(row, locate, known, names), seen, locate("id")))
    if not actions:
        raise ActionError("no actions: fill in at least one row or upload a workbook")
    return actions


def _sheet(book: Any) -> Any:
    """The sheet of actions: the one named Actions (or 施策), else the first whose first row has the headings."""
    for title in book.sheetnames:
        if _key(title) in {_key(t) for t in SHEET.values()}:
            return book[title]
    for title in book.sheetnames:
        first = next(book[title].iter_rows(max_row=1, values_only=True), ())
        if {HEADINGS.get(_key(h)) for h in first if h is not None} >= set(REQUIRED):
            return book[title]
    raise ActionError("no sheet named %(sheet)r with the columns of actions", {"sheet": SHEET["en"]})


def read_workbook(data: bytes, known: set[str], names: dict[str, str]) -> list[Action]:
    """Actions from an XLSX workbook (the template's layout: headings in row 1, one action per row)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    if len(data) > MAX_WORKBOOK_BYTES:
        raise ActionError("the workbook is larger than %(size)s MB", {"size": MAX_WORKBOOK_BYTES // 1_000_000})
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise ActionError("not an XLSX workbook (save it from Excel as .xlsx)") from None
    try:
        sheet = _sheet(book)
        title = sheet.title
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, ())
        columns: dict[str, int] = {}
        for index, heading in enumerate(header):
            if heading is None or not str(heading).strip():
                continue
            field = HEADINGS.get(_key(heading))
            letter = get_column_letter(index + 1)
            if field is None:
                raise ActionError(
                    "unknown column heading %(header)r",
                    {"header": str(heading)},
                    sheet=title,
                    row=1,
                    letter=letter,
                )
            if field in columns:
                raise ActionError("the column appears twice", sheet=title, row=1, field=field, letter=letter)
            columns[field] = index
        for field in REQUIRED:
            if field not in columns:
                raise ActionError("the heading of this column is missing", sheet=title, row=1, field=field)
        headers = {f: str(header[i]).strip() for f, i in columns.items()}
        actions: list[Action] = []
        seen: set[str] = set()
        for number, values in enumerate(rows, start=2):
            if _blank_row(values):
                continue
            check_count(len(actions) + 1, f"sheet {title!r}")
            cells = {f: _cell(values[i]) if i < len(values) else None for f, i in columns.items()}

            def locate(field: str | None, number: int = number) -> dict[str, Any]:
                if field is None or field not in columns:
                    return {"sheet": title, "row": number, "field": field}
                letter = get_column_letter(columns[field] + 1)
                return {"sheet": title, "row": number, "field": field, "letter": letter, "header": headers[field]}

            actions.append(_unique(_action(cells, locate, known, names), seen, locate("id")))
    finally:
        book.close()
    if not actions:
        raise ActionError("no actions: the sheet has headings but no rows", {}, sheet=title)
    return actions


def template_workbook(lang: str, technologies: Sequence[tuple[str, str, str]], licence: str) -> bytes:
    """The workbook to fill in: an about sheet, the actions sheet (headings in `lang`, one example row) and the
    technologies with their ids (`technologies`: id, English name, Japanese name)."""
    from openpyxl import Workbook

    from fusionatlas.dataset.exports import add_about_sheet, bold_header, finish_sheet, xlsx_values

    ja = lang == "ja"
    pick = 1 if ja else 0
    known = {t[0] for t in technologies}
    example = dict(EXAMPLE)
    if example["technologies"] not in known and technologies:
        example["technologies"] = technologies[0][0]
    book = Workbook()
    book.remove(book.active)
    actions = book.create_sheet(SHEET[lang if ja else "en"])
    headings = [LABELS[f][pick] for f in FIELDS]
    row = [example[f] for f in FIELDS]
    actions.append(bold_header(actions, headings))
    actions.append(xlsx_values(actions, row))
    finish_sheet(actions, headings, [row])
    listing = book.create_sheet(TECHNOLOGY_SHEET["ja" if ja else "en"])
    tech_headings = (
        ["技術ID", "技術名（英語）", "技術名（日本語）"]
        if ja
        else ["Technology id", "Name (English)", "Name (Japanese)"]
    )
    listing.append(bold_header(listing, tech_headings))
    for tech in technologies:
        listing.append(xlsx_values(listing, list(tech)))
    finish_sheet(listing, tech_headings, technologies)
    about = ABOUT_ROWS["ja" if ja else "en"]
    columns = [(LABELS[f][pick], COLUMN_HELP[f][pick]) for f in FIELDS]
    add_about_sheet(book, ABOUT_SHEET["ja" if ja else "en"], [*about, *columns, (about_licence(ja), licence)], [], [])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def about_licence(ja: bool) -> str:
    return "ライセンス" if ja else "Licence"


ABOUT_ROWS = {
    "en": [
        ("What", "Candidate support actions for the FusionAtlas budget optimiser (gaps page)"),
        (
            "How",
            "One action per row on the sheet “Actions”; keep the headings (English or Japanese) and replace the "
            "example row. Upload the file on the gaps page.",
        ),
        ("Limit", "At most 500 actions at once"),
    ],
    "ja": [
        ("内容", "FusionAtlas の予算最適化（技術ギャップ分析のページ）に渡す支援施策の候補"),
        (
            "使い方",
            "シート「施策」に1行に1つの施策を書きます。見出し（英語または日本語）はそのままにし、例の行を"
            "書き換えてください。技術ギャップ分析のページでこのファイルをアップロードします。",
        ),
        ("上限", "一度に比べられる施策は500件まで"),
    ],
}
COLUMN_HELP: dict[str, tuple[str, str]] = {
    "id": (
        "A unique id for the action, e.g. act:rebco-line (required)",
        "施策ごとに一意のID（例: act:rebco-line、必須）",
    ),
    "name_en": ("The action's name in English", "施策の英語名"),
    "name_ja": ("The action's name in Japanese", "施策の日本語名"),
    "cost": ("What the action costs, in the budget's unit (required)", "施策の費用（予算と同じ単位、必須）"),
    "technologies": (
        "The technologies it supports: ids from the sheet “Technologies”, separated by commas (required)",
        "支援する技術: シート「技術一覧」のIDをカンマ区切りで（必須）",
    ),
    "closes": (
        "The share of each technology's gap it closes, 0 to 1: one for all, or one per technology (required)",
        "各技術のギャップのうち解消する割合（0〜1）。全技術に1つ、または技術ごとに1つずつ（必須）",
    ),
}
