"""Records of the people side of the atlas: the skills taxonomy, training offers and workforce figures.

Kept apart from records.py because they answer another question (who forms the people the technologies
need) and reference the technology map and the organizations rather than the other way round.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from fusionatlas.domain.records import Record, Sourced, Vis
from fusionatlas.domain.values import (
    Country,
    IdList,
    OptCountry,
    OptText,
    Text,
    TrainingKind,
    Visibility,
    WebUrl,
    WorkforceKind,
    blank_to_none,
)

# Languages a training offer is taught in (ISO 639-1); only those the atlas' users read or meet abroad.
TEACHING_LANGUAGES = frozenset({"ja", "en", "fr", "de", "es", "it", "ko", "zh", "cs", "pt", "nl", "sv", "pl"})
People = Annotated[Annotated[int, Field(ge=0, le=10_000_000)] | None, BeforeValidator(blank_to_none)]


def _languages(values: list[str]) -> list[str]:
    unknown = [v for v in values if v not in TEACHING_LANGUAGES]
    if unknown:
        raise ValueError(f"unknown language code(s) {', '.join(unknown)}; use {', '.join(sorted(TEACHING_LANGUAGES))}")
    return values


class Skill(Record):
    """One node of the skills taxonomy: a skill the industry needs, tied to the technologies that need it.

    The taxonomy is the atlas' own classification (no source asserts it), so sources are optional; the
    technologies are not: a skill that no technology needs has no place in it.
    """

    PREFIX: ClassVar[str] = "skill:"
    id: Text
    name_en: Text
    name_ja: Text
    synonyms_en: IdList = Field(default_factory=list)
    synonyms_ja: IdList = Field(default_factory=list)
    technology_ids: IdList = Field(min_length=1)
    description_en: OptText = None
    description_ja: OptText = None
    source_ids: IdList = Field(default_factory=list)
    notes: OptText = None


class TrainingOffer(Sourced):
    """A course, programme, school or internship that forms people for fusion, run by one organization."""

    PREFIX: ClassVar[str] = "train:"
    id: Text
    org_id: Text
    kind: TrainingKind
    name_en: Text
    name_ja: Text
    country: Country
    skill_ids: IdList = Field(min_length=1)
    languages: Annotated[IdList, AfterValidator(_languages)] = Field(default_factory=list)
    facility_ids: IdList = Field(default_factory=list)
    programme_ids: IdList = Field(default_factory=list)  # funding programmes that pay for it
    url: WebUrl = None
    since: OptText = None  # the year it started, as the source gives it
    places: People = None  # people it takes per intake, when a source states it
    places_note_en: OptText = None
    places_note_ja: OptText = None
    description_en: OptText = None
    description_ja: OptText = None
    visibility: Vis = Visibility.PUBLIC


class WorkforceFigure(Sourced):
    """A published count of people: employed, needed, trained or staffing one plant, with what it counts."""

    PREFIX: ClassVar[str] = "wf:"
    id: Text
    country: OptCountry = None  # none: the whole world
    kind: WorkforceKind
    low: People = None
    high: People = None
    year: OptText = None  # the year (or period) the figure refers to
    published: OptText = None
    definition_en: Text
    definition_ja: Text

    @model_validator(mode="after")
    def _a_figure(self) -> WorkforceFigure:
        if self.low is None and self.high is None:
            raise ValueError("low: a workforce figure needs a number (low, high or both)")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError("high: the high end is below the low end")
        return self
