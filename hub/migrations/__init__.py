"""Versioned changes to the shape of the tables that hold original data (docs/decisions/0045)."""
