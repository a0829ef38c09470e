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
