"""Japanese and English for the web app: gettext catalogs (.po, read with Babel) and the visitor's choice.

Templates write English text inside `_()`; the Japanese comes from `locales/ja/LC_MESSAGES/*.po`, one
file per area of the app (each area's pages keep their own catalog, merged here). Catalogs are read at
start-up, so editing a .po file needs no compile step. `tests/web/test_i18n.py` fails when any
string in a template or in the name tables below has no Japanese translation.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from fastapi import Request

LANGUAGES = ("ja", "en")
LOCALES = Path(__file__).parent / "locales"

# Names the templates look up by key (tables, weights, groups), in English; translated like any text.
TABLES = {
    "sources": "sources",
    "technologies": "technologies",
    "organizations": "organizations",
    "capabilities": "capabilities",
    "needs": "needs",
    "facilities": "facilities",
    "programmes": "programmes",
    "investments": "investments",
    "milestones": "milestones",
    "regulations": "regulations",
    "exchange_rates": "exchange rates",
    "relations": "relations",
    "capacities": "capacities",
    "roadmap_tracks": "roadmap tracks",
    "milestone_links": "milestone links",
    "milestone_dates": "announced dates",
    "schedule_references": "schedule reference class",
    "readiness": "readiness assessments",
    "country_paths": "country paths",
}
WEIGHTS = {
    "domestic": "few or no domestic suppliers",
    "partner": "none among partners either",
    "readiness": "readiness below requirements",
    "unmet_needs": "open needs nobody can meet",
    "concentration": "supply in few hands",
    "single_source": "a single supplier",
    "single_country": "suppliers in one country",
    "export_control": "export-controlled items",
    "demand": "needs awarded in the last ten years",
    "path": "on the country's path",
    "domestic_activity": "domestic activity",
    "needs": "the country's needs and recent awards",
    "scenario_demand": "demand in the deployment scenario",
    "skills": "skills shortfall",
}
SHORT = {
    "domestic": "Domestic",
    "partner": "Partners",
    "readiness": "TRL",
    "unmet_needs": "Needs",
    "concentration": "Concentr.",
    "single_source": "1 supplier",
    "single_country": "1 country",
    "export_control": "Export ctrl",
    "demand": "Demand",
}
GROUPS = {"domestic": "Domestic", "partner": "Partner countries", "other": "Elsewhere"}
METHODS = {"optimal": "Optimal (MILP)", "greedy": "Greedy"}
# The kinds of relation between two organizations (domain/records.py RelationKind).
RELATION_KINDS = {
    "shareholding": "Shareholding",
    "loan": "Loan",
    "membership": "Member of an association",
    "mou": "Memorandum of understanding",
    "shortlisting": "Shortlisting",
    "partnership": "Partnership",
    "contract": "Contract",
    "nda": "Non-disclosure agreement",
    "quotation": "Quotation",
}
NAMES = {
    "RELATION_KINDS": RELATION_KINDS,
    "TABLES": TABLES,
    "WEIGHTS": WEIGHTS,
    "SHORT": SHORT,
    "GROUPS": GROUPS,
    "METHODS": METHODS,
}


def catalog(lang: str = "ja") -> Catalog:
    """Every .po file of a language, merged into one catalog."""
    merged = Catalog(locale=lang)
    for path in sorted((LOCALES / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                if message.id and message.string:
                    merged.add(message.id, message.string)
    return merged


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    buffer = BytesIO()
    write_mo(buffer, catalog(lang))
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translator(lang: str) -> Callable[[str], str]:
    return translations(lang).gettext


def language(request: Request) -> str:
    """?lang= first, then the remembered cookie, then the browser's preference; English otherwise."""
    chosen = request.query_params.get("lang") or request.cookies.get("lang")
    if chosen in LANGUAGES:
        return chosen
    accept = request.headers.get("accept-language", "").lower()
    return "ja" if accept.startswith("ja") else "en"
