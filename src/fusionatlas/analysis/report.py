"""Gap reports a secretariat can send as they are: HTML (self-contained) and XLSX, in Japanese or English."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from fusionatlas.analysis.gaps import GapError, GapReport
from fusionatlas.dataset.exports import LICENCE, add_about_sheet, finish_sheet, xlsx_values

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(["html"])
)
LABELS = {
    "title": {"en": "Fusion technology gap report", "ja": "フュージョン技術ギャップ報告"},
    "focus": {"en": "Focus country", "ja": "対象国"},
    "partners": {"en": "Partner countries", "ja": "パートナー国"},
    "none": {"en": "none", "ja": "なし"},
    "date": {"en": "Date", "ja": "作成日"},
    "weights": {"en": "Weights of the gap score", "ja": "ギャップスコアの重み"},
    "ranking": {"en": "Technologies ranked by gap", "ja": "ギャップの大きい技術"},
    "rank": {"en": "Rank", "ja": "順位"},
    "technology": {"en": "Technology", "ja": "技術"},
    "score": {"en": "Gap score", "ja": "ギャップスコア"},
    "relevance": {"en": "Relevance", "ja": "関連度"},
    "shortfall": {"en": "Shortfall", "ja": "供給不足度"},
    "category": {"en": "Category", "ja": "区分"},
    "cat_gap": {"en": "gap", "ja": "ギャップ"},
    "cat_not surveyed": {"en": "not surveyed", "ja": "未調査"},
    "cat_not pursued": {"en": "not pursued", "ja": "取り組みなし"},
    "relevance_weights": {"en": "Weights of relevance", "ja": "関連度の重み"},
    "weight_path": {"en": "on the country's path", "ja": "国の路線上"},
    "weight_domestic_activity": {"en": "domestic activity", "ja": "国内の活動"},
    "weight_needs": {"en": "the country's needs and recent awards", "ja": "国内ニーズと最近の発注"},
    "weight_scenario_demand": {"en": "demand in the deployment scenario", "ja": "導入シナリオでの需要"},
    "weight_skills": {"en": "skills shortfall", "ja": "技能人材の不足"},
    "domestic": {"en": "Domestic", "ja": "国内"},
    "partner": {"en": "Partner", "ja": "パートナー"},
    "other": {"en": "Other", "ja": "その他"},
    "trl": {"en": "TRL shown / required", "ja": "TRL 実証 / 必要"},
    "unmet": {"en": "Unmet needs", "ja": "未充足ニーズ"},
    "hhi": {"en": "HHI", "ja": "HHI"},
    "technology_id": {"en": "Technology ID", "ja": "技術ID"},
    "best_trl": {"en": "Best TRL shown", "ja": "実証済みの最高TRL"},
    "required_trl": {"en": "TRL required", "ja": "必要なTRL"},
    "about": {"en": "About", "ja": "このファイルについて"},
    "what": {"en": "What", "ja": "内容"},
    "what_gaps": {"en": "Gap analysis: technologies ranked by gap", "ja": "ギャップ分析：ギャップの大きい技術"},
    "rows": {"en": "Rows", "ja": "行数"},
    "filters": {"en": "Filters", "ja": "条件"},
    "exported": {"en": "Exported", "ja": "出力日時"},
    "licence": {"en": "Licence", "ja": "ライセンス"},
    "sources_note": {
        "en": "Each technology's reasons name their records; the atlas's sources are in its data package.",
        "ja": "各技術の理由に根拠のレコードを示します。出典はデータパッケージに収録しています。",
    },
    "sources": {"en": "Sources", "ja": "出典"},
    "reasons": {"en": "Why", "ja": "理由"},
    "portfolio": {"en": "Support portfolio", "ja": "支援ポートフォリオ"},
    "budget": {"en": "Budget", "ja": "予算"},
    "method": {"en": "Method", "ja": "手法"},
    "cost": {"en": "Cost", "ja": "費用"},
    "value": {"en": "Weighted gap closed", "ja": "解消される重み付きギャップ"},
    "actions": {"en": "Actions", "ja": "施策"},
    "status": {
        "en": "Solver status (optimal, or gap to the optimum at the time limit)",
        "ja": "求解状況（最適、または制限時間での最適解との差）",
    },
    "method_note": {
        "en": "Counts are organizations in the FusionAtlas dataset with a sourced capability on the technology or a "
        "narrower one. A gap score is relevance to the focus country (its path, domestic activity, demand) times "
        "the shortfall of supply, a weighted sum of measures scaled to 0-1 (1 = the largest gap).",
        "ja": "件数は、当該技術またはその下位技術に出典付きの技術能力を持つFusionAtlas収録組織の数。ギャップスコアは"
        "対象国への関連度（国の路線、国内の活動、需要）と、0〜1に正規化した指標の重み付き和である供給不足度の積"
        "（1が最大のギャップ）。",
    },
    "weight_domestic": {"en": "few or no domestic suppliers", "ja": "国内供給者の不足"},
    "weight_partner": {"en": "none among partners either", "ja": "パートナー国を含めた供給者の不足"},
    "weight_readiness": {"en": "readiness below what needs require", "ja": "必要な技術成熟度との差"},
    "weight_unmet_needs": {"en": "open needs nobody can meet", "ja": "充足できない未解決ニーズ"},
    "weight_concentration": {"en": "supply concentrated in few hands", "ja": "供給者の集中"},
    "weight_single_source": {"en": "a single supplier", "ja": "単一供給者"},
    "weight_single_country": {"en": "suppliers in one country", "ja": "供給国の一国集中"},
    "weight_export_control": {"en": "export-controlled items", "ja": "輸出管理対象の品目"},
    "weight_demand": {"en": "needs awarded in the last ten years", "ja": "過去10年に発注されたニーズ"},
}


def labels(lang: str) -> dict[str, str]:
    if lang not in ("en", "ja"):
        raise GapError(f"unknown report language {lang!r} (use ja or en)")
    return {key: value[lang] for key, value in LABELS.items()}


def write_report(report: GapReport, path: Path, lang: str, top: int, portfolio: dict[str, Any] | None = None) -> None:
    """An HTML or XLSX report, by the file's suffix."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        html = _TEMPLATES.get_template("gap_report.html").render(
            report=report,
            rows=report.technologies[:top],
            t=labels(lang),
            lang=lang,
            portfolio=portfolio,
            date=time.strftime("%Y-%m-%d"),
        )
        path.write_text(html, encoding="utf-8")
    elif suffix == ".xlsx":
        _workbook(report, path, lang, top, portfolio)
    else:
        raise GapError(f"{path.name}: a report is .html or .xlsx")


def _workbook(report: GapReport, path: Path, lang: str, top: int, portfolio: dict[str, Any] | None) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    t = labels(lang)
    book = Workbook()
    sheet = book.active
    sheet.title = "gaps"
    header = [
        t["rank"],
        t["technology_id"],
        t["technology"],
        t["category"],
        t["score"],
        t["relevance"],
        t["shortfall"],
        t["domestic"],
        t["partner"],
        t["other"],
        t["best_trl"],
        t["required_trl"],
        t["unmet"],
        t["hhi"],
        t["reasons"],
    ]
    sheet.append(xlsx_values(sheet, header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for rank, gap in enumerate(report.technologies[:top], start=1):
        row = [
            rank,
            gap.technology_id,
            gap.name_ja if lang == "ja" else gap.name_en,
            t[f"cat_{gap.category}"],
            gap.score,
            gap.relevance,
            gap.shortfall,
            gap.domestic,
            gap.partner,
            gap.other,
            gap.best_trl,
            gap.required_trl,
            len(gap.unmet_needs),
            gap.hhi,
            " / ".join(getattr(r, lang) for r in gap.reasons),
        ]
        sheet.append(xlsx_values(sheet, row))
    weights = book.create_sheet("weights")
    weights.append(xlsx_values(weights, [t["weights"], ""]))
    for name, value in report.weights.items():
        weights.append(xlsx_values(weights, [t[f"weight_{name}"], value]))
    weights.append(xlsx_values(weights, [t["relevance_weights"], ""]))
    for name, value in report.relevance_weights.items():
        weights.append(xlsx_values(weights, [t[f"weight_{name}"], value]))
    weights.append(xlsx_values(weights, [t["focus"], report.country]))
    weights.append(xlsx_values(weights, [t["partners"], ", ".join(report.partners) or t["none"]]))
    if portfolio:
        sheet = book.create_sheet("portfolio")
        sheet.append(xlsx_values(sheet, [t["method"], t["cost"], t["value"], t["actions"], t["status"]]))
        for method in ("optimal", "greedy"):
            chosen = portfolio[method]
            actions = ", ".join(a["id"] for a in chosen["actions"])
            status = chosen.get("status", "") if method == "optimal" else ""
            sheet.append(xlsx_values(sheet, [method, chosen["cost"], chosen["value"], actions, status]))
    ranked = book["gaps"]
    finish_sheet(ranked, header, ranked.iter_rows(min_row=2, values_only=True))
    shown = min(top, len(report.technologies))
    entries = [
        (t["what"], t["what_gaps"]),
        (t["rows"], shown),
        (t["filters"], f"{t['focus']}: {report.country}; {t['partners']}: {', '.join(report.partners) or t['none']}"),
        (t["exported"], datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        (t["licence"], LICENCE),
        (t["sources"], t["sources_note"]),
    ]
    add_about_sheet(book, t["about"], entries, [], [])
    book.save(path)
