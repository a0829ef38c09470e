"""The tables of the atlas, declared once as data: file name, record type, key, references.

Every layer (validator, store, import, export, CLI) reads this registry, so adding a table or a
reference is one edit here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fusionatlas.domain.people import Skill, TrainingOffer, WorkforceFigure
from fusionatlas.domain.plasma import PlasmaRecord
from fusionatlas.domain.records import (
    Capability,
    Capacity,
    CountryPath,
    ExchangeRate,
    Facility,
    Investment,
    Milestone,
    MilestoneDate,
    MilestoneLink,
    Need,
    Organization,
    Programme,
    Readiness,
    Record,
    Regulation,
    Relation,
    RoadmapTrack,
    ScheduleReference,
    Source,
    Technology,
)

# Bookkeeping columns go last in files, in this order (docs/data-guide.md).
_TAIL = ("visibility", "source_ids", "unconfirmed", "notes", "last_verified")


@dataclass(frozen=True)
class Reference:
    """`field` of this table holds the id (or, if `many`, a list of ids) of a row of `table`."""

    field: str
    table: str
    many: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    model: type[Record]
    filename: str
    key: tuple[str, ...] = ("id",)
    references: tuple[Reference, ...] = field(default_factory=tuple)
    # The column naming the organization a record is about (its owner: domain/audience.py); an
    # organization owns itself. Records of a table with no owner and no visibility column are public.
    owner: str | None = None
    # A second party whose visibility counts too (a relation between two organizations): a record is
    # shown only to those who may see both parties.
    co_owner: str | None = None

    @property
    def columns(self) -> list[str]:
        names = list(self.model.model_fields)
        return [n for n in names if n not in _TAIL] + [n for n in _TAIL if n in names]

    @property
    def list_columns(self) -> list[str]:
        return [n for n, f in self.model.model_fields.items() if f.annotation == list[str]]

    @property
    def label_column(self) -> str:
        """The column that names a record for people (name_en, title_en or title)."""
        for name in ("name_en", "title_en", "title"):
            if name in self.model.model_fields:
                return name
        return self.key[0]

    @property
    def has_visibility(self) -> bool:
        return "visibility" in self.model.model_fields


def _sources() -> Reference:
    return Reference("source_ids", "sources", many=True)


# Load order: a table comes after every table it references (technologies reference themselves).
TABLES: tuple[TableSpec, ...] = (
    TableSpec("sources", Source, "sources.csv"),
    TableSpec(
        "technologies",
        Technology,
        "technologies.yaml",
        references=(Reference("parent", "technologies"), _sources()),
    ),
    TableSpec("organizations", Organization, "organizations.csv", references=(_sources(),), owner="id"),
    TableSpec(
        "capabilities",
        Capability,
        "capabilities.csv",
        references=(
            Reference("org_id", "organizations"),
            Reference("technology_id", "technologies"),
            _sources(),
        ),
        owner="org_id",
    ),
    TableSpec(
        "needs",
        Need,
        "needs.csv",
        references=(
            Reference("buyer_org_id", "organizations"),
            Reference("technology_ids", "technologies", many=True),
            Reference("awardee_org_ids", "organizations", many=True),
            _sources(),
        ),
        owner="buyer_org_id",
    ),
    TableSpec(
        "facilities",
        Facility,
        "facilities.csv",
        references=(Reference("operator_org_id", "organizations"), _sources()),
        owner="operator_org_id",
    ),
    TableSpec(
        "programmes",
        Programme,
        "programmes.csv",
        references=(Reference("part_of", "programmes"), _sources()),
    ),
    TableSpec(
        "investments",
        Investment,
        "investments.csv",
        references=(Reference("org_id", "organizations"), _sources()),
        owner="org_id",
    ),
    TableSpec(
        "milestones",
        Milestone,
        "milestones.csv",
        references=(
            Reference("org_id", "organizations"),
            Reference("facility_id", "facilities"),
            Reference("depends_on", "milestones", many=True),
            _sources(),
        ),
        owner="org_id",
    ),
    TableSpec(
        "relations",
        Relation,
        "relations.csv",
        references=(Reference("org_id", "organizations"), Reference("other_org_id", "organizations"), _sources()),
        owner="org_id",
        co_owner="other_org_id",
    ),
    TableSpec(
        "roadmap_tracks",
        RoadmapTrack,
        "roadmap_tracks.csv",
        references=(
            Reference("target_id", "milestones"),
            Reference("milestone_ids", "milestones", many=True),
            _sources(),
        ),
    ),
    TableSpec(
        "milestone_links",
        MilestoneLink,
        "milestone_links.csv",
        key=("from_id", "to_id"),
        references=(Reference("from_id", "milestones"), Reference("to_id", "milestones"), _sources()),
    ),
    TableSpec(
        "milestone_dates",
        MilestoneDate,
        "milestone_dates.csv",
        key=("milestone_id", "announced"),
        references=(Reference("milestone_id", "milestones"), _sources()),
    ),
    TableSpec("schedule_references", ScheduleReference, "schedule_references.csv", references=(_sources(),)),
    TableSpec("regulations", Regulation, "regulations.csv", references=(_sources(),)),
    TableSpec(
        "readiness",
        Readiness,
        "readiness.csv",
        references=(
            Reference("technology_id", "technologies"),
            Reference("assessor_org_id", "organizations"),
            _sources(),
        ),
        owner="assessor_org_id",
    ),
    TableSpec(
        "country_paths",
        CountryPath,
        "country_paths.csv",
        references=(
            Reference("technology_id", "technologies"),
            Reference("excludes", "technologies", many=True),
            _sources(),
        ),
    ),
    TableSpec(
        "exchange_rates",
        ExchangeRate,
        "exchange_rates.csv",
        key=("currency", "year"),
        references=(_sources(),),
    ),
    # People (domain/people.py): the skills taxonomy, where people are trained, and workforce figures.
    TableSpec(
        "skills", Skill, "skills.csv", references=(Reference("technology_ids", "technologies", many=True), _sources())
    ),
    TableSpec(
        "training",
        TrainingOffer,
        "training.csv",
        references=(
            Reference("org_id", "organizations"),
            Reference("skill_ids", "skills", many=True),
            Reference("facility_ids", "facilities", many=True),
            Reference("programme_ids", "programmes", many=True),
            _sources(),
        ),
        owner="org_id",
    ),
    TableSpec("workforce", WorkforceFigure, "workforce.csv", references=(_sources(),)),
    # Plasma performance by device and experiment, for the explainer's triple-product chart (domain/plasma.py).
    TableSpec(
        "plasma_records",
        PlasmaRecord,
        "plasma_records.csv",
        references=(Reference("facility_id", "facilities"), _sources()),
    ),
    TableSpec(
        "capacities",
        Capacity,
        "capacities.csv",
        references=(Reference("org_id", "organizations"), _sources()),
        owner="org_id",
    ),
)
BY_NAME: dict[str, TableSpec] = {spec.name: spec for spec in TABLES}


def table(name: str) -> TableSpec:
    """The table called `name`; a KeyError names the tables there are."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"no table {name!r}; tables: {', '.join(BY_NAME)}") from None
