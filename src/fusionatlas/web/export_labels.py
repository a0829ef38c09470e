"""What an XLSX download shows people instead of codes: a heading for each column code and a label for each
coded value, in English (translated like any text of the pages, through the catalogs).

CSV downloads keep the codes: they are the data package's column names and values, for scripts and imports.
"""

from __future__ import annotations

from functools import cache

COLUMNS = {
    "id": "ID",
    "rank": "Rank",
    "name_en": "Name (English)",
    "name_ja": "Name (Japanese)",
    "title_en": "Title (English)",
    "title_ja": "Title (Japanese)",
    "description_en": "Description (English)",
    "description_ja": "Description (Japanese)",
    "approach_en": "Approach (English)",
    "approach_ja": "Approach (Japanese)",
    "country": "Country",
    "city": "City",
    "website": "Website",
    "contact_url": "Contact page",
    "founded": "Founded",
    "memberships": "Memberships",
    "areas": "Technology areas",
    "area_id": "Area ID",
    "total": "Total",
    "kind": "Kind",
    "status": "Status",
    "recorded_status": "Status as recorded",
    "concept": "Concept",
    "amount": "Amount",
    "currency": "Currency",
    "start": "Start",
    "end": "End",
    "year": "Year",
    "date": "Date",
    "date_text": "Date as worded",
    "definition": "Definition",
    "fiscal_year": "Fiscal year",
    "part_of": "Part of",
    "usd": "US dollars",
    "usd_status": "Conversion",
    "rate_per_usd": "Rate (units per USD)",
    "rate_year": "Rate year",
    "rate_through": "Year-to-date rate through",
    "rate_source_ids": "Rate sources",
    "programme_ids": "Programmes added up",
    "left_out_ids": "Left out (part of a programme counted)",
    "source_ids": "Sources",
    "unconfirmed": "Unconfirmed",
    "notes": "Notes",
    "org_id": "Organization ID",
    "organization": "Organization",
    "round": "Round",
    "investors": "Investors",
    "operator_org_id": "Operator ID",
    "first_plasma": "First plasma",
    "construction_start": "Construction start",
    "operation_end": "End of operation",
    "major_radius_m": "Major radius (m)",
    "minor_radius_m": "Minor radius (m)",
    "field_t": "Field (T)",
    "current_ma": "Plasma current (MA)",
    "heating_mw": "Heating (MW)",
    "fusion_power_mw": "Fusion power (MW)",
    "pulse_length_s": "Pulse length (s)",
    "laser_energy_kj": "Laser energy (kJ)",
    "laser_wavelength_nm": "Laser wavelength (nm)",
    "facility_id": "Facility ID",
    "depends_on": "Depends on",
    "body": "Body",
    "buyer_org_id": "Buyer ID",
    "buyer_name_en": "Buyer (English)",
    "buyer_name_ja": "Buyer (Japanese)",
    "buyer_country": "Buyer's country",
    "technology_id": "Technology ID",
    "technology_ids": "Technology IDs",
    "technologies": "Technologies",
    "min_trl": "Required TRL",
    "trl": "TRL",
    "trl_date": "TRL as of",
    "deadline": "Deadline",
    "published": "Published",
    "quantity": "Quantity",
    "quantity_unit": "Unit of quantity",
    "value": "Value",
    "delivery_start": "Delivery start",
    "delivery_end": "Delivery end",
    "awardee_org_ids": "Awardee IDs",
    "parent": "Parent",
    "depth": "Depth",
    "synonyms_en": "Synonyms (English)",
    "synonyms_ja": "Synonyms (Japanese)",
    "organizations": "Organizations (with sub-technologies)",
    "organizations_direct": "Organizations (this technology)",
    "open_needs": "Open needs",
    "targets": "Targets",
    "metric": "Metric",
    "unit": "Unit",
    "plant": "Plant",
    "score": "Score",
    "why_en": "Reasons (English)",
    "why_ja": "Reasons (Japanese)",
    # The council's figures of an event (web/pages/events.py).
    "figures_group": "Grouped by",
    "figures_of": "Country or technology area",
    "attendees": "Attendees",
    "meetings": "Meetings",
    "meetings_per_attendee": "Meetings per attendee",
    "reported": "Outcomes reported",
    "kept_share": "Kept",
    "follow_up_share": "Follow-up",
    "second_meeting_share": "Second meeting",
}
FIGURES_GROUPS = {"all": "All", "country": "Country", "technology_area": "Technology area"}
USD_STATUSES = {
    "usd": "Already in US dollars",
    "converted": "Converted",
    "no_rate": "No rate for its year",
    "no_year": "No year to choose a rate",
    "no_amount": "No amount",
}


@cache
def values() -> dict[str, dict[str, str]]:
    """Labels of coded values by column (read from the pages that define them: one wording everywhere)."""
    from fusionatlas.web.pages.landscape import rows as landscape
    from fusionatlas.web.pages.organizations import KINDS

    kinds = {**KINDS, **landscape.FACILITY_KINDS, **landscape.MILESTONE_KINDS, **landscape.INVESTMENT_KIND_NAMES}
    statuses = {
        **landscape.FACILITY_STATUSES,
        **landscape.MILESTONE_STATUSES,
        "open": "Open",
        "closed": "Closed",
        "awarded": "Awarded",
    }
    return {
        "kind": kinds,
        "status": statuses,
        "recorded_status": statuses,
        "concept": landscape.CONCEPTS,
        "definition": landscape.FUNDING_DEFINITIONS,
        "usd_status": USD_STATUSES,
        "figures_group": FIGURES_GROUPS,
    }


COUNTRY_COLUMNS = ("country", "buyer_country")
BOOLEAN_COLUMNS = ("unconfirmed",)
