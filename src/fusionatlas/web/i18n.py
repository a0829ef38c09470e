"""User-facing labels in Japanese and English, and the choice of language for a request."""

from __future__ import annotations

from fastapi import Request

LANGUAGES = ("ja", "en")
LABELS: dict[str, dict[str, str]] = {
    "title": {"en": "FusionAtlas", "ja": "フュージョンアトラス"},
    "tagline": {
        "en": "A sourced, bilingual atlas of the fusion-energy industry",
        "ja": "出典付き・日英二言語のフュージョンエネルギー産業アトラス",
    },
    "formula": {
        "en": "Industry (D) + Technology (T) × Promotion (P) = industrialisation of fusion energy",
        "ja": "産業育成 (D) + 技術開発 (T) × 推進体制 (P) = フュージョンエネルギーの産業化",
    },
    "search": {"en": "Search", "ja": "検索"},
    "search_placeholder": {"en": "e.g. gyrotron, REBCO tape, ダイバータ", "ja": "例: ジャイロトロン、REBCO、divertor"},
    "atlas_holds": {"en": "The atlas holds", "ja": "アトラスの収録件数"},
    "results": {"en": "Results", "ja": "検索結果"},
    "no_results": {"en": "No public record matches.", "ja": "該当する公開レコードはありません。"},
    "coming": {
        "en": "Maps, matching and gap analysis are coming to these pages.",
        "ja": "技術マップ・マッチング・ギャップ分析の画面は準備中です。",
    },
    "other_language": {"en": "日本語", "ja": "English"},
    "home": {"en": "Home", "ja": "ホーム"},
    "gaps": {"en": "Gaps", "ja": "ギャップ分析"},
    "gaps_title": {"en": "Technology gaps", "ja": "技術ギャップ分析"},
    "gaps_intro": {
        "en": "Each technology of the map, with everything below it, scored by how far supply falls short for the "
        "focus country: few domestic suppliers, unmet needs, readiness short of requirements, concentration.",
        "ja": "技術マップの各技術（下位技術を含む）について、対象国にとって供給が"
        "どれだけ不足しているかを、国内供給者の少なさ、未充足ニーズ、"
        "必要な成熟度との差、供給の集中からスコア化します。",
    },
    "focus_country": {"en": "Focus country", "ja": "対象国"},
    "partner_countries": {"en": "Partner countries", "ja": "パートナー国"},
    "weights": {"en": "Weights", "ja": "重み"},
    "analyse": {"en": "Analyse", "ja": "分析"},
    "downloads": {"en": "Download", "ja": "ダウンロード"},
    "report": {"en": "report (HTML)", "ja": "報告書 (HTML)"},
    "heatmap": {"en": "Technology x measure", "ja": "技術 × 指標"},
    "ranking": {"en": "Ranked gaps", "ja": "ギャップの大きい順"},
    "technology": {"en": "Technology", "ja": "技術"},
    "score": {"en": "Gap score", "ja": "ギャップスコア"},
    "domestic": {"en": "Domestic", "ja": "国内"},
    "partner": {"en": "Partner countries", "ja": "パートナー国"},
    "other": {"en": "Elsewhere", "ja": "その他の国"},
    "unmet": {"en": "Unmet needs", "ja": "未充足ニーズ"},
    "why": {"en": "Why", "ja": "理由"},
    "none": {"en": "None.", "ja": "なし。"},
    "open_needs": {"en": "Open needs", "ja": "未解決のニーズ"},
    "met": {"en": "a capable supplier exists", "ja": "供給可能な組織あり"},
    "unmet_one": {"en": "no capable supplier", "ja": "供給可能な組織なし"},
    "portfolio_title": {"en": "Target a support budget", "ja": "支援予算の配分"},
    "portfolio_intro": {
        "en": "Paste candidate support actions (CSV: id, name_en, name_ja, cost, technologies, closes) and a budget: "
        "the exact optimiser picks the set that closes the most weighted gap; a greedy choice is shown beside it.",
        "ja": "支援施策の候補（CSV: id, name_en, name_ja, cost, technologies, closes）と"
        "予算を入力すると、重み付きギャップを最も多く解消する組合せを"
        "厳密最適化で選びます（貪欲法の結果も併記）。",
    },
    "budget": {"en": "Budget", "ja": "予算"},
    "sensitivity": {"en": "Sensitivity to the weights", "ja": "重みに対する感度"},
    "sensitivity_intro": {
        "en": "Each weight moved by half its value, the others rescaled: how much of the top 10 stays, and which "
        "technology moves most (places up +, down -).",
        "ja": "各重みを半分増減し（他は再正規化）、上位10件がどれだけ残るか、"
        "最も順位が動く技術（上昇+、下降-）を示します。",
    },
    "change": {"en": "Change", "ja": "変化"},
    "top_kept": {"en": "Top 10 kept", "ja": "上位10件の維持数"},
    "biggest_move": {"en": "Biggest move", "ja": "最大の順位変動"},
    "optimise": {"en": "Optimise", "ja": "最適化"},
    "method": {"en": "Method", "ja": "手法"},
    "method_optimal": {"en": "Optimal (MILP)", "ja": "最適解 (MILP)"},
    "method_greedy": {"en": "Greedy", "ja": "貪欲法"},
    "cost": {"en": "Cost", "ja": "費用"},
    "value": {"en": "Weighted gap closed", "ja": "解消される重み付きギャップ"},
    "actions": {"en": "Actions", "ja": "施策"},
    "error_title": {"en": "Something is wrong with the request", "ja": "リクエストに問題があります"},
    "weight_domestic": {"en": "few or no domestic suppliers", "ja": "国内供給者の不足"},
    "weight_partner": {"en": "none among partners either", "ja": "パートナー国を含めた供給者の不足"},
    "weight_readiness": {"en": "readiness below requirements", "ja": "必要な技術成熟度との差"},
    "weight_unmet_needs": {"en": "open needs nobody can meet", "ja": "充足できない未解決ニーズ"},
    "weight_concentration": {"en": "supply in few hands", "ja": "供給者の集中"},
    "weight_single_source": {"en": "a single supplier", "ja": "単一供給者"},
    "weight_single_country": {"en": "suppliers in one country", "ja": "供給国の一国集中"},
    "weight_export_control": {"en": "export-controlled items", "ja": "輸出管理対象の品目"},
    "short_export_control": {"en": "Export ctrl", "ja": "輸出管理"},
    "short_domestic": {"en": "Domestic", "ja": "国内"},
    "short_partner": {"en": "Partners", "ja": "パートナー"},
    "short_readiness": {"en": "TRL", "ja": "TRL"},
    "short_unmet_needs": {"en": "Needs", "ja": "ニーズ"},
    "short_concentration": {"en": "Concentr.", "ja": "集中度"},
    "short_single_source": {"en": "1 supplier", "ja": "単一供給"},
    "short_single_country": {"en": "1 country", "ja": "一国集中"},
    "sources": {"en": "sources", "ja": "出典"},
    "technologies": {"en": "technologies", "ja": "技術"},
    "organizations": {"en": "organizations", "ja": "組織"},
    "capabilities": {"en": "capabilities", "ja": "技術能力"},
    "needs": {"en": "needs", "ja": "ニーズ"},
    "facilities": {"en": "facilities", "ja": "施設"},
    "programmes": {"en": "programmes", "ja": "プログラム"},
    "investments": {"en": "investments", "ja": "投資"},
    "milestones": {"en": "milestones", "ja": "マイルストーン"},
    "regulations": {"en": "regulations", "ja": "規制"},
    "exchange_rates": {"en": "exchange rates", "ja": "為替レート"},
}


def language(request: Request) -> str:
    """?lang= first, then the remembered cookie, then the browser's preference; English otherwise."""
    chosen = request.query_params.get("lang") or request.cookies.get("lang")
    if chosen in LANGUAGES:
        return chosen
    accept = request.headers.get("accept-language", "").lower()
    return "ja" if accept.startswith("ja") else "en"


def labels(lang: str) -> dict[str, str]:
    return {key: values[lang] for key, values in LABELS.items()}
