"""Kazakhstan's administrative units as data (hub/geography/units.yaml, docs/decisions/0026)."""
