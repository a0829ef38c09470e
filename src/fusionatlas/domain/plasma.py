"""Plasma performance records: what a device achieved in one experiment (density, temperature, confinement
time or their triple product, energy gain), each citing the original publication or a compilation that keeps
the original reference (Wurzel and Hsu, Physics of Plasmas 29, 062103, 2022). The explainer draws the triple
product against the year from them (web/charts/lawson.py).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from fusionatlas.domain.records import Sourced
from fusionatlas.domain.values import IdList, OptFloat, OptText, Text, blank_to_none


class GainKind(StrEnum):
    """Which energy gain Q a record states: they are not the same ratio."""

    SCIENTIFIC = "scientific"  # fusion energy over the heating energy absorbed by the fuel or plasma
    EQUIVALENT = "equivalent"  # deuterium-only plasma; the fusion power had half the fuel been tritium
    TARGET = "target"  # laser fusion: fusion yield over the laser energy delivered to the target


def _positive(value: float | None) -> float | None:
    if value is not None and value <= 0:
        raise ValueError("must be above zero")
    return value


Positive = Annotated[OptFloat, AfterValidator(_positive)]


class PlasmaRecord(Sourced):
    """One experiment's performance on one device. Values as the source states them, in SI units and keV;
    `basis_*` says what was measured (peak or average, ion or electron temperature) and how a value was
    converted; `original_reference` names the original paper when the source is a compilation."""

    PREFIX: ClassVar[str] = "plasma:"
    id: Text
    facility_id: Text
    date: OptText = None  # YYYY, YYYY-MM or YYYY-MM-DD as the source gives it; blank: the source gives none
    density_m3: Positive = None  # fuel ion density, per cubic metre
    temperature_kev: Positive = None  # ion temperature, keV
    confinement_s: Positive = None  # energy confinement time, seconds
    triple_product: Positive = None  # n·T·τ as the source states it, keV·s/m³
    gain: Positive = None
    gain_kind: Annotated[GainKind | None, BeforeValidator(blank_to_none)] = None
    basis_en: Text
    basis_ja: Text
    original_reference: OptText = None
    source_ids: IdList = Field(default_factory=list)

    @model_validator(mode="after")
    def _a_measurement_with_its_source(self) -> PlasmaRecord:
        values = (self.density_m3, self.temperature_kev, self.confinement_s, self.triple_product, self.gain)
        if all(v is None for v in values):
            raise ValueError("triple_product: a plasma record needs a value (n, T, τ, triple product or gain)")
        if (self.gain is None) != (self.gain_kind is None):
            raise ValueError("gain_kind: give the gain and which gain it is (scientific, equivalent, target) together")
        if not self.source_ids:
            raise ValueError("source_ids: a device parameter must cite its publication (unconfirmed is not enough)")
        if self.date and not (len(self.date) in (4, 7, 10) and self.date[:4].isdigit()):
            raise ValueError("date: write YYYY, YYYY-MM or YYYY-MM-DD")
        return self

    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    def product(self) -> tuple[float, bool] | None:
        """The triple product and whether it was computed here from n, T and τ (the source gives no product)."""
        if self.triple_product is not None:
            return self.triple_product, False
        if self.density_m3 and self.temperature_kev and self.confinement_s:
            return self.density_m3 * self.temperature_kev * self.confinement_s, True
        return None
