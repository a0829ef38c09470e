"""What the landscape pages show, as rows: each table's records with their names in the page's language, money
with its conversion to US dollars, the overview's headline figures and the sources the shown rows cite.

Money is shown in its own currency with its definition; the dollar column names the rate and year it
used, or says "no rate". Investment rounds are summed, cumulative totals never are (analysis/landscape.py).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any

from fusionatlas.analysis.landscape import (
    COMPARED,
    CUMULATIVE,
    ROUND,
    Landscape,
    countries_without_figures,
    funding_totals,
    investment_kind,
    listed_figures,
    programme_year,
    programme_years,
    rounds_by_year,
    year_of,
)
from fusionatlas.web.conventions import date_in
from fusionatlas.web.names import country_name, display_name

FACILITY_KINDS = {
    "device": "Experimental device",
    "test_facility": "Test facility",
    "neutron_source": "Neutron source",
    "laser_facility": "Laser facility",
    "plant": "Power plant",
}
CONCEPTS = {
    "tokamak": "Tokamak",
    "spherical_tokamak": "Spherical tokamak",
    "stellarator": "Stellarator",
    "heliotron": "Heliotron",
    "frc": "Field-reversed configuration",
    "mirror": "Magnetic mirror",
    "zpinch": "Z-pinch",
    "laser_icf": "Laser inertial confinement",
    "mtf": "Magnetized target fusion",
    "linear": "Linear plasma device",
    "other": "Other",
}
FACILITY_STATUSES = {
    "operating": "Operating",
    "under_construction": "Under construction",
    "planned": "Planned",
    "shutdown": "Shut down",
    "cancelled": "Cancelled",
}
MILESTONE_STATUSES = {"achieved": "Achieved", "planned": "Planned", "delayed": "Delayed", "cancelled": "Cancelled"}
MILESTONE_KINDS = {
    "first_plasma": "First plasma",
    "construction_start": "Construction start",
    "operation_start": "Operation start",
    "record": "Performance record",
    "funding": "Funding",
    "strategy": "Strategy",
    "agreement": "Agreement",
    "regulation": "Regulation",
    "decision": "Formal decision",
    "founding": "Founding",
    "other": "Other",
}
INVESTMENT_KIND_NAMES = {ROUND: "Single round", CUMULATIVE: "Cumulative total", "other": "Other figure"}
FUNDING_DEFINITIONS = {  # domain/values.py FundingDefinition
    "appropriation": "Appropriation (enacted, one fiscal year)",
    "request": "Request or draft budget (one fiscal year)",
    "proposal": "Proposal or plan (not adopted)",
    "multi_year": "Multi-year package",
    "in_kind": "In-kind contribution",
    "award": "Competitive funding announced or awarded",
    "no_amount": "No amount stated",
}
LABELS = {
    "FUNDING_DEFINITIONS": FUNDING_DEFINITIONS,
    "FACILITY_KINDS": FACILITY_KINDS,
    "CONCEPTS": CONCEPTS,
    "FACILITY_STATUSES": FACILITY_STATUSES,
    "MILESTONE_STATUSES": MILESTONE_STATUSES,
    "MILESTONE_KINDS": MILESTONE_KINDS,
    "INVESTMENT_KIND_NAMES": INVESTMENT_KIND_NAMES,
}
PARAMETERS = [  # facility column, English label with its unit
    ("major_radius_m", "Major radius (m)"),
    ("minor_radius_m", "Minor radius (m)"),
    ("field_t", "Field (T)"),
    ("current_ma", "Plasma current (MA)"),
    ("heating_mw", "Heating (MW)"),
    ("fusion_power_mw", "Fusion power (MW)"),
    ("pulse_length_s", "Pulse length (s)"),
    ("laser_energy_kj", "Laser energy (kJ)"),
    ("laser_wavelength_nm", "Laser wavelength (nm)"),
]


def record_name(record: dict[str, Any] | None, lang: str, field: str = "name") -> str:
    """A record's name (or other bilingual field) in the page language, falling back to the other language."""
    return display_name(record, lang, f"{field}_en", f"{field}_ja") if record else ""


def _money_columns(conversion: Any) -> dict[str, Any]:
    rate = conversion.rate
    return {
        "usd": round(conversion.usd) if conversion.usd is not None else None,
        "usd_status": conversion.status,
        "rate_per_usd": rate.per_usd if rate else (1.0 if conversion.status == "usd" else None),
        "rate_year": rate.year if rate else None,
        "rate_through": rate.through if rate else None,  # a year-to-date average, named as such
        "rate_source_ids": list(rate.source_ids) if rate else [],
    }


# --- rows of each table ---------------------------------------------------------------------------------


def programme_rows(landscape: Landscape, lang: str, country: str = "", year: str = "") -> list[dict[str, Any]]:
    rows = []
    for p in landscape.programmes:
        if country and p["country"] != country:
            continue
        if year and int(year) not in programme_years(p):
            continue
        when = programme_year(p)
        conversion = landscape.rates.to_usd(p.get("amount"), p.get("currency"), when)
        rows.append(
            {
                **p,
                "country_name": country_name(p["country"], lang),
                "name": record_name(p, lang),
                "year": when,
                **_money_columns(conversion),
            }
        )
    return sorted(rows, key=lambda r: (r["country_name"], r["year"] or 0, r["id"]))


def budget_rows(landscape: Landscape, lang: str, country: str = "", definition: str = "") -> list[dict[str, Any]]:
    """Per-country totals of one-year figures (analysis/landscape.py `funding_totals`), one row per country,
    definition and fiscal year, in the order of the compared countries."""
    names = {p["id"]: record_name(p, lang) for p in landscape.programmes}
    rows = []
    for total in funding_totals(landscape.programmes, landscape.rates):
        if (country and total.country != country) or (definition and total.definition != definition):
            continue
        rows.append(
            {
                "id": f"{total.country}-{total.definition}-{total.fiscal_year}",
                "country": total.country,
                "country_name": country_name(total.country, lang),
                "definition": total.definition,
                "fiscal_year": total.fiscal_year,
                "amount": total.amount,
                "currency": total.currency,
                **_money_columns(total.conversion),
                "programme_ids": list(total.counted),
                "programmes": [names[i] for i in total.counted],
                "left_out_ids": list(total.inside),
                "source_ids": list(total.source_ids),
            }
        )
    order = {code: i for i, code in enumerate(COMPARED)}
    return sorted(rows, key=lambda r: (order.get(r["country"], len(order)), r["country"], r["definition"],
                                       r["fiscal_year"]))  # fmt: skip


def listed_rows(landscape: Landscape, lang: str, country: str = "") -> list[dict[str, Any]]:
    """Multi-year packages, in-kind contributions and awards, each as stated."""
    rows = [
        {
            **p,
            "country_name": country_name(p["country"], lang),
            "name": record_name(p, lang),
            **_money_columns(landscape.rates.to_usd(p.get("amount"), p.get("currency"), programme_year(p))),
        }
        for p in listed_figures(landscape.programmes)
        if not country or p["country"] == country
    ]
    return sorted(rows, key=lambda r: (r["country_name"], r["definition"], r.get("start") or "", r["id"]))


def rate_years(landscape: Landscape) -> str:
    """The years that have exchange rates, as ranges: "2015, 2017–2023"."""
    years = sorted({year for _currency, year in landscape.rates.by_key})
    spans: list[list[int]] = []
    for year in years:
        if spans and spans[-1][1] == year - 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def missing_countries(landscape: Landscape) -> list[tuple[str, str]]:
    """The compared countries without figures, and which are missing ("none" or "no_one_year")."""
    return list(countries_without_figures(landscape.programmes).items())


def investment_rows(
    landscape: Landscape, lang: str, country: str = "", kind: str = "", year: str = ""
) -> list[dict[str, Any]]:
    rows = []
    for i in landscape.investments:
        org = landscape.organizations.get(i.get("org_id") or "")
        where = i.get("country") or (org or {}).get("country")
        figure = investment_kind(i.get("definition"))
        when = year_of(i.get("date"))
        if (country and where != country) or (kind and figure != kind) or (year and when != int(year)):
            continue
        conversion = landscape.rates.to_usd(i.get("amount"), i.get("currency"), when)
        rows.append(
            {
                **i,
                "organization": record_name(org, lang) if org else "",
                "country": where,
                "country_name": country_name(where, lang),
                "kind": figure,
                **_money_columns(conversion),
            }
        )
    return sorted(rows, key=lambda r: (r.get("date") or "", r["id"]), reverse=True)


def facility_rows(
    landscape: Landscape, lang: str, country: str = "", kind: str = "", concept: str = "", status: str = ""
) -> list[dict[str, Any]]:
    rows = []
    for f in landscape.facilities:
        if (kind and f["kind"] != kind) or (concept and f.get("concept") != concept):
            continue
        if (status and f.get("status") != status) or (country and f["country"] != country):
            continue
        operator = landscape.organizations.get(f.get("operator_org_id") or "")
        rows.append(
            {
                **f,
                "name": record_name(f, lang),
                "country_name": country_name(f["country"], lang),
                "operator": record_name(operator, lang) if operator else "",
            }
        )
    return sorted(rows, key=lambda r: (r["country_name"], r["name"]))


def milestone_rows(
    landscape: Landscape, lang: str, country: str = "", kind: str = "", status: str = ""
) -> list[dict[str, Any]]:
    facilities = {f["id"]: f for f in landscape.facilities}
    rows = []
    for m in landscape.milestones:
        if (country and m.get("country") != country) or (kind and m["kind"] != kind):
            continue
        if status and m.get("status") != status:
            continue
        org = landscape.organizations.get(m.get("org_id") or "")
        rows.append(
            {
                **m,
                "title": record_name(m, lang, "title"),
                "when": date_in(m.get("date_text") or m.get("date") or "", lang),
                "year": year_of(m.get("date")),
                "country_name": country_name(m.get("country"), lang),
                "organization": record_name(org, lang) if org else "",
                "facility": record_name(facilities.get(m.get("facility_id") or ""), lang),
            }
        )
    return sorted(rows, key=lambda r: (r.get("date") or "9999", r["id"]))


def regulation_rows(landscape: Landscape, lang: str, country: str = "") -> list[dict[str, Any]]:
    rows = [
        {
            **r,
            "name": record_name(r, lang),
            "approach": record_name(r, lang, "approach"),
            "country_name": country_name(r["country"], lang),
        }
        for r in landscape.regulations
        if not country or r["country"] == country
    ]
    return sorted(rows, key=lambda r: (r["country_name"], r.get("date") or "", r["id"]))


# --- overview -----------------------------------------------------------------------------------------


def headlines(landscape: Landscape, lang: str, today: datetime.date | None = None) -> dict[str, Any]:
    """The overview's figures: counts, the latest worldwide cumulative total as reported, recorded rounds."""
    worldwide = [
        i for i in landscape.investments
        if not i.get("org_id") and investment_kind(i.get("definition")) == CUMULATIVE and i.get("amount")
    ]  # fmt: skip
    latest = max(worldwide, key=lambda i: i.get("date") or "", default=None)
    rounds = rounds_by_year(landscape.investments, landscape.rates)
    statuses = Counter(f.get("status") for f in landscape.facilities)
    milestones = Counter(m.get("status") for m in landscape.milestones)
    # Planned events still dated in the past are stale plans, not what comes next.
    this_month = (today or datetime.date.today()).isoformat()[:7]
    upcoming = sorted(
        (m for m in landscape.milestones if m.get("status") == "planned" and (m.get("date") or "") >= this_month),
        key=lambda m: m["date"],
    )
    return {
        "programmes": len(landscape.programmes),
        "programme_countries": sorted({p["country"] for p in landscape.programmes}),
        "programmes_with_amount": sum(1 for p in landscape.programmes if p.get("amount") is not None),
        "latest_cumulative": latest,
        "rounds_usd": sum(r.usd for r in rounds),
        "rounds_counted": sum(len(r.counted) for r in rounds),
        "rounds_not_converted": sum(len(r.not_converted) for r in rounds),
        "facilities": len(landscape.facilities),
        "facility_countries": sorted({f["country"] for f in landscape.facilities}),
        "facility_statuses": [(k, statuses[k]) for k in FACILITY_STATUSES if statuses[k]],
        "milestones": len(landscape.milestones),
        "milestone_statuses": [(k, milestones[k]) for k in MILESTONE_STATUSES if milestones[k]],
        "upcoming": [{**m, "title": record_name(m, lang, "title")} for m in upcoming[:3]],
        "regulations": len(landscape.regulations),
        "regulation_countries": sorted({r["country"] for r in landscape.regulations}),
    }


def sources_of(rows: Iterable[dict[str, Any]], landscape: Landscape, *extra: str) -> list[dict[str, Any]]:
    """The sources the shown rows cite (and their rates cite), in order of first mention."""
    wanted: dict[str, None] = {}
    for row in rows:
        for source_id in [*(row.get("source_ids") or []), *(row.get("rate_source_ids") or [])]:
            wanted.setdefault(source_id)
    for source_id in extra:
        wanted.setdefault(source_id)
    return [landscape.sources.get(s) or {"id": s, "title": s} for s in wanted]
