"""FusionAtlas: a sourced, bilingual atlas of the fusion-energy industry."""

__version__ = "0.1.0"
