"""The typed records of the atlas. Pure: no I/O, no database.

Field names are the data package's column names (docs/data-guide.md), so a record round-trips through CSV,
XLSX, JSON and the store without a mapping table.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from fusionatlas.domain.values import (
    INT64,
    Country,
    Currency,
    FacilityStatus,
    Finite,
    Flag,
    FundingDefinition,
    IdList,
    IsoDate,
    MilestoneStatus,
    NeedStatus,
    OptCountry,
    OptFloat,
    OptText,
    OrgKind,
    Text,
    Visibility,
    WebUrl,
    blank_to_none,
    earliest_day,
    fiscal_year,
    int_range,
    latest_day,
    parse_date,
)

Vis = Annotated[Visibility, BeforeValidator(lambda v: blank_to_none(v) or Visibility.PUBLIC)]
Trl = Annotated[Annotated[int, Field(ge=1, le=9)] | None, BeforeValidator(blank_to_none)]
_ID = re.compile(r"^[a-z]+:[a-z0-9][a-z0-9._\-]*$")


def parse_amount(value: Any) -> Any:
    """Money in units; people paste 650,000,000 from spreadsheets, so separators are dropped."""
    value = blank_to_none(value)
    if isinstance(value, str):
        return value.replace(",", "").replace("_", "")
    return value


# A BIGINT column: beyond 64 bits is refused here, not by the database at write time.
Amount = Annotated[Annotated[int, Field(ge=INT64[0], le=INT64[1])] | None, BeforeValidator(parse_amount)]


class Record(BaseModel):
    """Behaviour common to every table: id prefix, sourcing rule, fiscal-year dates."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=True)

    PREFIX: ClassVar[str] = ""
    # Date fields that mark the end of a period: a fiscal year there means its last month.
    END_FIELDS: ClassVar[frozenset[str]] = frozenset({"end", "deadline", "operation_end"})

    @classmethod
    def date_fields(cls) -> list[str]:
        """Names of the ISO-date fields (computed once per class: this runs for every row)."""
        cached = cls.__dict__.get("_date_field_names")
        if cached is None:
            cached = [
                name
                for name, info in cls.model_fields.items()
                if any(getattr(m, "func", None) is parse_date for m in info.metadata)
            ]
            cls._date_field_names = cached  # type: ignore[attr-defined]
        return cached

    @model_validator(mode="before")
    @classmethod
    def _fiscal_years(cls, data: Any) -> Any:
        """Japanese fiscal years (令和5年度, FY2023) become ISO dates; the original text is kept in notes."""
        if not isinstance(data, dict):
            return data
        kept: list[str] = []
        for name in cls.date_fields():
            value = data.get(name)
            if not isinstance(value, str):
                continue
            year = fiscal_year(value)
            if year is None:
                continue
            data = {**data, name: f"{year + 1}-03" if name in cls.END_FIELDS else f"{year}-04"}
            kept.append(f"{name}: {value.strip()}")
        if kept and "notes" in cls.model_fields:
            original = "original dates: " + ", ".join(kept)
            notes = blank_to_none(data.get("notes"))
            data = {**data, "notes": f"{notes}; {original}" if notes else original}
        return data

    @model_validator(mode="after")
    def _fits_its_column(self) -> Any:
        """Every integer fits its column (64-bit for amounts, 32-bit otherwise), whatever new field is added."""
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, int) and not isinstance(value, bool):
                low, high = int_range(name)
                if not low <= value <= high:
                    raise ValueError(f"{name}: {value} is out of range (from {low} to {high})")
        return self

    @field_validator("id", check_fields=False)
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not value.startswith(cls.PREFIX) or not _ID.match(value):
            raise ValueError(
                f"{value!r} is not a valid id: lowercase, starting with {cls.PREFIX!r} (letters, digits, '.', '-', '_')"
            )
        return value


class Sourced(Record):
    source_ids: IdList = []
    unconfirmed: Flag = False
    notes: OptText = None
    # When someone last checked the record against its sources. Optional: left blank, it is the latest
    # `accessed` date of the record's sources (analysis/check.py `last_verified`), so that re-reading a
    # source re-verifies every record citing it without touching each row.
    last_verified: IsoDate = None

    @model_validator(mode="after")
    def _sourced_or_marked(self) -> Sourced:
        if not self.source_ids and not self.unconfirmed:
            raise ValueError("source_ids: the record names no source and is not marked unconfirmed=true")
        return self


class Source(Record):
    PREFIX: ClassVar[str] = "src:"
    id: Text
    title: Text
    publisher: OptText = None
    date: IsoDate = None
    url: WebUrl = None
    accessed: IsoDate = None
    language: OptText = None
    # True when `url` is a copy (mirror, archive) kept because the publisher's own page is gone: the label
    # readers and `fusionatlas check` go by (an unlabelled address on a mirror host is a weak source).
    mirror: Flag = False


class Target(BaseModel):
    """A quantitative target for a technology, for one plant class (ITER, JA-DEMO, EU-DEMO...)."""

    model_config = ConfigDict(extra="forbid")
    metric: Text
    metric_ja: OptText = None  # the metric in Japanese
    value: Finite
    unit: Text
    unit_ja: OptText = None  # a unit in words (modules, lines of sight) in Japanese
    plant: OptText = None
    plant_ja: OptText = None  # the plant as Japanese pages show it, when its name holds English words
    source_ids: IdList = []


class Technology(Sourced):
    PREFIX: ClassVar[str] = "tech:"
    id: Text
    parent: OptText = None
    name_en: Text
    name_ja: Text
    description_en: OptText = None
    description_ja: OptText = None
    synonyms_en: IdList = []
    synonyms_ja: IdList = []
    # Readiness is recorded as assessments of their own (Readiness, readiness.csv), not on the node.
    targets: list[Target] = []
    # True only where a cited source says items of this technology fall under export control.
    export_controlled: Flag = False

    @field_validator("targets", mode="before")
    @classmethod
    def _targets_from_text(cls, value: Any) -> Any:
        # CSV and XLSX imports carry the targets list as JSON text in one cell.
        if isinstance(value, str):
            import json

            return json.loads(value) if value.strip() else []
        return value or []


class Organization(Sourced):
    PREFIX: ClassVar[str] = "org:"
    id: Text
    name_en: Text
    name_ja: OptText = None
    kind: OrgKind
    country: Country
    city: OptText = None
    website: WebUrl = None
    # The public inquiry or contact page the organization publishes (never a person's address): how a buyer
    # or a partner reaches it from its atlas page.
    contact_url: WebUrl = None
    founded: IsoDate = None
    memberships: IdList = []
    description_en: OptText = None
    description_ja: OptText = None
    # The name's reading in katakana, for 五十音 order and for finding it by reading or romaji: the one the
    # organization publishes, or a dictionary reading (text/kana.py) marked kana_generated=true.
    name_kana: OptText = None
    kana_generated: Flag = False
    visibility: Vis = Visibility.PUBLIC

    @model_validator(mode="after")
    def _japanese_name(self) -> Organization:
        if self.country == "JP" and not self.name_ja:
            raise ValueError("name_ja: a Japanese organization needs its Japanese name")
        return self


class Capability(Sourced):
    PREFIX: ClassVar[str] = "cap:"
    id: Text
    org_id: Text
    technology_id: Text
    description_en: OptText = None
    description_ja: OptText = None
    evidence_en: OptText = None
    evidence_ja: OptText = None
    trl: Trl = None
    capacity_value: OptFloat = None
    capacity_unit: OptText = None
    capacity_period: OptText = None
    capacity_unit_ja: OptText = None  # the unit and period as Japanese pages show them
    capacity_period_ja: OptText = None
    visibility: Vis = Visibility.PUBLIC


def _need_status(value: Any) -> Any:
    """Blank is open; `fulfilled` (the status's name before awards were recorded) is `awarded`."""
    value = blank_to_none(value)
    if value is None:
        return NeedStatus.OPEN
    return NeedStatus.AWARDED if str(value).strip().lower() == "fulfilled" else value


NonNegative = Annotated[Annotated[float, Field(ge=0)] | None, BeforeValidator(blank_to_none)]


class Need(Sourced):
    """What a buyer wants: a call, a tender, a programme's request, or an announced contract (then awarded)."""

    PREFIX: ClassVar[str] = "need:"
    id: Text
    title_en: Text
    title_ja: OptText = None
    description_en: OptText = None
    description_ja: OptText = None
    buyer_org_id: OptText = None
    technology_ids: IdList = []
    min_trl: Trl = None
    countries: IdList = []
    # How much is wanted, where the source states it (e.g. 10000 km of tape, 24 gyrotrons).
    quantity: NonNegative = None
    quantity_unit: OptText = None
    quantity_unit_ja: OptText = None  # the unit as Japanese pages show it (基のTFコイル)
    # The value of the call or contract, where stated, in units of its currency.
    value: Amount = None
    currency: Currency = None
    published: IsoDate = None
    deadline: IsoDate = None
    delivery_start: IsoDate = None
    delivery_end: IsoDate = None
    status: Annotated[NeedStatus, BeforeValidator(_need_status)] = NeedStatus.OPEN
    # Who won it, when awarded (each award is also capability evidence of its awardee).
    awardee_org_ids: IdList = []
    visibility: Vis = Visibility.PUBLIC

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        from fusionatlas.domain.values import parse_country

        return [parse_country(code) for code in value]

    @field_validator("value")
    @classmethod
    def _value_not_negative(cls, value: int | None) -> int | None:
        if value is not None and value < 0:
            raise ValueError("a need's value cannot be negative")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Need:
        if self.value is not None and not self.currency:
            raise ValueError("currency: a value needs its currency")
        if self.quantity is not None and not self.quantity_unit:
            raise ValueError("quantity_unit: a quantity needs its unit")
        if self.deadline and self.published and latest_day(self.deadline) < earliest_day(self.published):
            raise ValueError(f"deadline: {self.deadline} is before the publication date {self.published}")
        if (
            self.delivery_start
            and self.delivery_end
            and latest_day(self.delivery_end) < earliest_day(self.delivery_start)
        ):
            raise ValueError(f"delivery_end: {self.delivery_end} is before delivery_start {self.delivery_start}")
        if self.status == NeedStatus.AWARDED and not self.awardee_org_ids:
            raise ValueError("awardee_org_ids: an awarded need names the organizations it was awarded to")
        if self.awardee_org_ids and self.status != NeedStatus.AWARDED:
            raise ValueError(f"status: a need with awardees is awarded, not {self.status}")
        return self


class FacilityKind(StrEnum):
    DEVICE = "device"
    TEST_FACILITY = "test_facility"
    NEUTRON_SOURCE = "neutron_source"
    LASER_FACILITY = "laser_facility"
    PLANT = "plant"


class Concept(StrEnum):
    TOKAMAK = "tokamak"
    SPHERICAL_TOKAMAK = "spherical_tokamak"
    STELLARATOR = "stellarator"
    HELIOTRON = "heliotron"
    FRC = "frc"
    MIRROR = "mirror"
    ZPINCH = "zpinch"
    LASER_ICF = "laser_icf"
    MTF = "mtf"
    LINEAR = "linear"
    OTHER = "other"


class Facility(Sourced):
    PREFIX: ClassVar[str] = "fac:"
    id: Text
    name_en: Text
    name_ja: OptText = None
    kind: FacilityKind
    concept: Annotated[Concept | None, BeforeValidator(blank_to_none)] = None
    country: Country
    operator_org_id: OptText = None
    status: Annotated[FacilityStatus | None, BeforeValidator(blank_to_none)] = None
    major_radius_m: OptFloat = None
    minor_radius_m: OptFloat = None
    field_t: OptFloat = None
    current_ma: OptFloat = None
    heating_mw: OptFloat = None
    fusion_power_mw: OptFloat = None
    pulse_length_s: OptFloat = None
    laser_energy_kj: OptFloat = None
    laser_wavelength_nm: OptFloat = None
    first_plasma: IsoDate = None
    construction_start: IsoDate = None
    operation_end: IsoDate = None
    description_en: OptText = None
    description_ja: OptText = None


def _money_has_currency(record: Any) -> Any:
    if record.amount is not None and not record.currency:
        raise ValueError("currency: an amount needs its currency")
    return record


class Programme(Sourced):
    PREFIX: ClassVar[str] = "prog:"
    id: Text
    country: Country
    name_en: Text
    name_ja: OptText = None
    amount: Amount = None
    currency: Currency = None
    start: IsoDate = None
    end: IsoDate = None
    definition: Annotated[FundingDefinition | None, BeforeValidator(blank_to_none)] = None
    # The scope the source states, in Japanese (its English wording is in `notes`, "Scope as stated: ...").
    definition_ja: OptText = None
    fiscal_year: Annotated[Annotated[int, Field(ge=1900, le=2100)] | None, BeforeValidator(blank_to_none)] = None
    part_of: OptText = None

    _currency = model_validator(mode="after")(_money_has_currency)

    @model_validator(mode="after")
    def _definition_fits(self) -> Programme:
        if self.amount is not None and self.definition in (None, FundingDefinition.NO_AMOUNT):
            raise ValueError("definition: an amount needs its definition (appropriation, request, multi_year...)")
        without_amount = (None, FundingDefinition.NO_AMOUNT, FundingDefinition.IN_KIND)
        if self.amount is None and self.definition not in without_amount:
            raise ValueError(f"definition: {self.definition} needs an amount (or use no_amount)")
        one_year = (FundingDefinition.APPROPRIATION, FundingDefinition.REQUEST)
        if self.definition in one_year and self.fiscal_year is None:
            raise ValueError(f"fiscal_year: a figure of one fiscal year ({self.definition}) needs the year it is for")
        if self.part_of is not None and self.part_of == self.id:
            raise ValueError("part_of: a programme cannot be part of itself")
        return self


class Investment(Sourced):
    """A funding round of one organization, or (org_id blank) an aggregate over a country or the world."""

    PREFIX: ClassVar[str] = "inv:"
    id: Text
    org_id: OptText = None
    country: OptCountry = None
    amount: Amount = None
    currency: Currency = None
    date: IsoDate = None
    round: OptText = None
    investors: IdList = []
    definition: OptText = None
    definition_ja: OptText = None  # what the figure counts, in Japanese

    _currency = model_validator(mode="after")(_money_has_currency)


class Milestone(Sourced):
    PREFIX: ClassVar[str] = "ms:"
    id: Text
    date: IsoDate = None
    # The source's own wording when it gives no exact date ("early 2030s"): `date` is then its bound.
    date_text: OptText = None
    country: OptCountry = None
    org_id: OptText = None
    facility_id: OptText = None
    kind: Text
    status: Annotated[MilestoneStatus | None, BeforeValidator(blank_to_none)] = None
    title_en: Text
    title_ja: OptText = None
    depends_on: IdList = []


class RelationKind(StrEnum):
    SHAREHOLDING = "shareholding"
    LOAN = "loan"
    MEMBERSHIP = "membership"
    MOU = "mou"
    SHORTLISTING = "shortlisting"
    PARTNERSHIP = "partnership"
    CONTRACT = "contract"
    # Outcomes of a meeting at an event (events/relations.py): a joint proposal is a partnership.
    NDA = "nda"
    QUOTATION = "quotation"


class Relation(Sourced):
    """A tie between two organizations that is not an ability: a stake, a loan, a membership, an MoU...

    `org_id` is the party the record is filed under (its owner for visibility) and `other_org_id` the
    other party; both must be visible for the relation to be shown (store/visibility.py).
    """

    PREFIX: ClassVar[str] = "rel:"
    id: Text
    kind: RelationKind
    org_id: Text
    other_org_id: Text
    date: IsoDate = None
    description_en: Text
    description_ja: Text
    visibility: Vis = Visibility.PUBLIC

    @model_validator(mode="after")
    def _two_parties(self) -> Relation:
        if self.org_id == self.other_org_id:
            raise ValueError("other_org_id: a relation needs two different organizations")
        return self


class RoadmapTrack(Sourced):
    """A named line of the roadmap (JA-DEMO, ITER, a private pilot): its milestones and the one it leads to."""

    PREFIX: ClassVar[str] = "track:"
    id: Text
    name_en: Text
    name_ja: Text
    description_en: OptText = None
    description_ja: OptText = None
    # The milestone the track leads to; its critical path ends there.
    target_id: Text
    milestone_ids: IdList = Field(min_length=1)

    @model_validator(mode="after")
    def _target_in_track(self) -> RoadmapTrack:
        if self.target_id not in self.milestone_ids:
            raise ValueError(f"target_id: {self.target_id!r} is not one of the track's milestone_ids")
        return self


class LinkKind(StrEnum):
    # Milestones are points in time: the successor comes no earlier than the predecessor plus the lag.
    FINISH_TO_START = "finish_to_start"


class MilestoneLink(Sourced):
    """A typed dependency between two milestones, beyond the plain `depends_on` of milestones.csv."""

    from_id: Text
    to_id: Text
    kind: LinkKind = LinkKind.FINISH_TO_START
    # Months between the predecessor and the successor at the least; 0 to 600 (50 years).
    lag_months: Annotated[int, Field(ge=0, le=600)] = 0

    @model_validator(mode="after")
    def _not_itself(self) -> MilestoneLink:
        if self.from_id == self.to_id:
            raise ValueError(f"to_id: a milestone cannot depend on itself ({self.to_id!r})")
        return self


class MilestoneDate(Sourced):
    """One announced date of a milestone, kept with the day it was announced: re-baselines add rows."""

    milestone_id: Text
    announced: Annotated[str, BeforeValidator(parse_date)]
    date: IsoDate = None
    date_text: OptText = None

    @model_validator(mode="after")
    def _has_a_date(self) -> MilestoneDate:
        if not self.date and not self.date_text:
            raise ValueError("date: give the announced date (or date_text when the source names none)")
        return self


class ScheduleReference(Sourced):
    """A past project: the date planned at a stated decision point, and the actual date (reference class)."""

    PREFIX: ClassVar[str] = "sref:"
    id: Text
    name_en: Text
    name_ja: Text
    country: OptCountry = None
    # Device type (tokamak, stellarator, laser, ...) and its scale (small, medium, large).
    kind: Text
    scale: Text
    event_en: Text
    event_ja: Text
    decision: Annotated[str, BeforeValidator(parse_date)]
    decision_en: Text
    decision_ja: Text
    planned: Annotated[str, BeforeValidator(parse_date)]
    actual: Annotated[str, BeforeValidator(parse_date)]

    @model_validator(mode="after")
    def _in_order(self) -> ScheduleReference:
        decided = earliest_day(self.decision)
        if latest_day(self.planned) < decided:
            raise ValueError(f"planned: {self.planned} is before the decision date {self.decision}")
        if latest_day(self.actual) < decided:
            raise ValueError(f"actual: {self.actual} is before the decision date {self.decision}")
        return self


class Regulation(Sourced):
    PREFIX: ClassVar[str] = "reg:"
    id: Text
    country: Country
    body: OptText = None
    body_ja: OptText = None  # the body's name in Japanese
    name_en: Text
    name_ja: OptText = None
    approach_en: OptText = None
    approach_ja: OptText = None
    date: IsoDate = None


class ReadinessContext(StrEnum):
    """What an assessment judges readiness for: ITER, a DEMO, a power plant, or no stated plant class."""

    ITER = "iter"
    DEMO = "demo"
    POWER_PLANT = "power_plant"
    GENERAL = "general"


class Readiness(Sourced):
    """One assessment of a technology's readiness: several per node may disagree, each keeps its source.

    `value` is on the TRL 1-9 scale; a source with its own scale keeps it in `source_scale` and
    `source_value`, and `mapping_note` says how it became a TRL. A source's item that spans several
    nodes is recorded on their common parent with the source's own name in `source_item`.
    `assessor_org_id` owns the record: a member's self-assessment of its organization is its own.
    """

    PREFIX: ClassVar[str] = "rdy:"
    id: Text
    technology_id: Text
    # Blank is TRL: the only scale a value may be on (a source's own scale goes in source_scale).
    scale: Annotated[str, BeforeValidator(lambda v: blank_to_none(v) or "TRL")] = "TRL"
    value: Annotated[int, Field(ge=1, le=9)]
    source_scale: OptText = None
    source_value: OptText = None
    source_item: OptText = None
    mapping_note: OptText = None
    context: Annotated[ReadinessContext, BeforeValidator(lambda v: blank_to_none(v) or "general")] = (
        ReadinessContext.GENERAL
    )
    concept: OptText = None
    assessor: OptText = None
    assessor_org_id: OptText = None
    method: OptText = None
    date: IsoDate = None
    # What was assessed and on what basis (tests, prototypes, reports), in the curator's own words.
    description_en: OptText = None
    description_ja: OptText = None
    self_assessed: Flag = False
    visibility: Vis = Visibility.PUBLIC

    @model_validator(mode="after")
    def _self_assessed_names_its_org(self) -> Readiness:
        if not self.date:
            raise ValueError("date: an assessment states when it was made (YYYY, YYYY-MM or YYYY-MM-DD)")
        if self.self_assessed and not self.assessor_org_id:
            raise ValueError("assessor_org_id: a self-assessment names the organization it assesses")
        return self

    @field_validator("scale")
    @classmethod
    def _trl_scale(cls, value: str) -> str:
        if value != "TRL":
            raise ValueError("value is on the TRL 1-9 scale; keep the source's own scale in source_scale")
        return value


class CountryPath(Sourced):
    """A concept or technology area a country's strategy, programmes or DEMO design pursue (its path)."""

    PREFIX: ClassVar[str] = "path:"
    id: Text
    country: Country
    technology_id: Text
    # Nodes below technology_id that this path does not take, with their subtrees: another country's variant
    # of a technology the area holds (Europe's EUROFER97 under Japan's materials). Without them a path naming
    # a whole area would put every variant in it on the country's path. The sources say why.
    excludes: IdList = []
    concept: OptText = None
    programme_en: Text
    programme_ja: OptText = None
    description_en: OptText = None
    description_ja: OptText = None


class ExchangeRate(Record):
    """Units of `currency` per US dollar, averaged over `year`: the whole year when `through` is blank, else
    from 1 January through that date (a year-to-date average, shown as such)."""

    currency: Currency
    year: int = Field(ge=1900, le=2100)
    per_usd: Finite = Field(gt=0)
    through: IsoDate = None
    source_ids: IdList = Field(min_length=1)
    notes: OptText = None

    @model_validator(mode="after")
    def _through_in_year(self) -> ExchangeRate:
        if self.through is not None and not self.through.startswith(f"{self.year}-"):
            raise ValueError(f"through: {self.through} is not a date of {self.year}")
        return self


class Basis(StrEnum):
    SOURCED = "sourced"
    DERIVED = "derived"
    ASSUMPTION = "assumption"


Quantity = Annotated[Finite, Field(ge=0)]
_ITEM = re.compile(r"^[a-z0-9][a-z0-9\-]*$")


class Capacity(Sourced):
    """A maker's (or, org_id blank, the world's or other makers') yearly output of one supply-chain item, as the
    scenarios use it: a range low <= central <= high in the item's unit, in a stated year. A sourced or derived
    figure names its sources; an assumption carries a note in both languages saying why (and is unconfirmed)."""

    PREFIX: ClassVar[str] = "capa:"
    id: Text
    item: Text
    org_id: OptText = None
    name_en: Text
    name_ja: Text
    unit: Text
    year: Annotated[int, Field(ge=2000, le=2100)]
    low: Quantity
    central: Quantity
    high: Quantity
    basis: Basis
    description_en: OptText = None  # why: what the figure counts, or why the range is assumed
    description_ja: OptText = None

    @field_validator("item")
    @classmethod
    def _item_id(cls, value: str) -> str:
        if not _ITEM.match(value):
            raise ValueError(f"{value!r} is not an item id (lower-case letters, digits and '-', e.g. rebco-tape)")
        return value

    @model_validator(mode="after")
    def _range_and_basis(self) -> Capacity:
        if self.low > self.high:
            raise ValueError(f"low: the range is reversed (low {self.low:g} > high {self.high:g})")
        if not self.low <= self.central <= self.high:
            raise ValueError(f"central: {self.central:g} is outside {self.low:g}-{self.high:g}")
        if self.basis in (Basis.SOURCED, Basis.DERIVED) and not self.source_ids:
            raise ValueError(f"source_ids: a {self.basis} capacity names its sources")
        if self.basis == Basis.ASSUMPTION:
            if not (self.description_en and self.description_ja):
                raise ValueError("description_en: an assumption says why, in English and Japanese")
            if self.high == self.low and self.central != 0:
                raise ValueError("high: an assumption is a range (low < high), not one number")
        return self
