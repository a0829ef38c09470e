"""The fuel arithmetic against physical constants written out here, not copied from the code."""

import math

import pytest

from fusionatlas.scenarios import physics


def test_one_gigawatt_year_of_dt_fusion_burns_about_56_kg_of_tritium():
    # One GW for one year: 1e9 J/s x 365.25 days; each D-T reaction frees 17.6 MeV and burns one triton.
    energy_j = 1e9 * 365.25 * 24 * 3600
    per_reaction_j = 17.6e6 * 1.602e-19
    triton_kg = 3.016 * 1.6605e-27
    expected = energy_j / per_reaction_j * triton_kg
    assert physics.tritium_burn_kg(1000.0) == pytest.approx(expected, rel=2e-3)
    assert physics.tritium_burn_kg(1000.0) == pytest.approx(55.8, rel=0.01)


def test_burn_scales_with_power_and_availability():
    assert physics.tritium_burn_kg(500.0, 0.5) == pytest.approx(physics.tritium_burn_kg(1000.0) / 4)
    assert physics.tritium_burn_kg(0.0) == 0.0


def test_breeding_a_kilogram_of_tritium_splits_about_two_kilograms_of_lithium_6():
    # one Li-6 atom (6.015 u) per triton (3.016 u)
    assert physics.lithium6_for_tritium_t(1000.0) == pytest.approx(6.015 / 3.016, rel=1e-3)


def test_tritium_decays_to_half_in_one_half_life():
    assert physics.decay_factor(12.32) == pytest.approx(0.5)
    assert physics.decay_factor(1.0) == pytest.approx(1 - 0.0547, abs=5e-4)  # 5.47 % a year
    assert math.isclose(physics.decay_factor(0.0), 1.0)
