"""The roadmap: milestones as a dependency graph with their announced-date history, the critical path of each
track, a reference class of planned-versus-actual dates, Monte Carlo schedule risk and its backtest.

- dates.py: partial ISO dates as decimal years (and back);
- graph.py: nodes, typed links, topological order, the deterministic forward pass and critical paths;
- reference.py: the reference class and its slip ratios;
- simulate.py: the seeded Monte Carlo over the graph (P50, P80, on-time probability, drivers of a target);
- backtest.py: leave-one-out over the reference class beside the naive announced-date forecast;
- read.py: the roadmap as an audience may see it, from the store;
- status.py: overdue and date-changed findings (pages, JSON and `fusionatlas check`);
- report.py: the whole roadmap as one dict (CLI `--json`, the API and the pages).
"""
