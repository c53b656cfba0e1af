"""Alliance: an engine, API and portal for partner programs and customer reward programs."""

__version__ = "0.1.0"
