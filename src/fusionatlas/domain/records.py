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


class Target(BaseModel):
    """A quantitative target for a technology, for one plant class (ITER, JA-DEMO, EU-DEMO...)."""

    model_config = ConfigDict(extra="forbid")
    metric: Text
    value: Finite
    unit: Text
    plant: OptText = None
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
    trl: Trl = None
    trl_date: IsoDate = None
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
    founded: IsoDate = None
    memberships: IdList = []
    description_en: OptText = None
    description_ja: OptText = None
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


class Regulation(Sourced):
    PREFIX: ClassVar[str] = "reg:"
    id: Text
    country: Country
    body: OptText = None
    name_en: Text
    name_ja: OptText = None
    approach_en: OptText = None
    approach_ja: OptText = None
    date: IsoDate = None


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
