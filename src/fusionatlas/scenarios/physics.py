"""Fuel arithmetic from physical constants: D + T -> He-4 + n releases 17.59 MeV and burns one triton; a
blanket breeds one triton for each lithium-6 atom it splits (Li-6 + n -> T + He-4)."""

from __future__ import annotations

import math

MEV_J = 1.602176634e-13  # joules per MeV (exact, SI 2019)
ATOMIC_MASS_KG = 1.66053906660e-27
DT_ENERGY_MEV = 17.589  # Q value of D-T fusion
TRITIUM_U = 3.01604928  # atomic mass of tritium
LITHIUM6_U = 6.0151228874  # atomic mass of lithium-6
YEAR_S = 365.25 * 86400.0  # a Julian year
TRITIUM_HALF_LIFE_Y = 12.32


def tritium_burn_kg(fusion_power_mw: float, availability: float = 1.0) -> float:
    """Kilograms of tritium burnt in one year by `fusion_power_mw` of D-T fusion running `availability` of the
    year (full-power fraction)."""
    reactions = fusion_power_mw * 1e6 * availability * YEAR_S / (DT_ENERGY_MEV * MEV_J)
    return reactions * TRITIUM_U * ATOMIC_MASS_KG


def lithium6_for_tritium_t(tritium_kg: float) -> float:
    """Tonnes of lithium-6 split to breed `tritium_kg` of tritium (one Li-6 atom per triton)."""
    return tritium_kg * LITHIUM6_U / TRITIUM_U / 1000.0


def decay_factor(years: float = 1.0) -> float:
    """The fraction of a tritium stock left after `years` of radioactive decay."""
    return math.exp(-math.log(2.0) * years / TRITIUM_HALF_LIFE_Y)
