"""Supply-chain scenarios: what announced and hypothetical fusion plants would demand, year by year, against
the makers' capacity.

- `physics`: tritium burn and lithium-6 use from fusion power (constants, no data);
- `inputs`: the bundled items (with capacities), plant designs (bills of materials) and scenarios, and user
  scenario files, read from YAML and checked (every problem names file, line and field);
- `model`: the vectorised Monte Carlo of demand and capacity (P10/P50/P90, first shortfall year);
- `results`: a scenario run against the atlas (makers and their countries as the audience may see them),
  and `demand_by_node` for the gap analysis.
"""
