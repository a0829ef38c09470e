"""Analysis over the atlas: gaps, supplier concentration, readiness, support-programme targeting."""
