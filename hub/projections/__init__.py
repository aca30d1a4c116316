"""Projections: views derived from the event log, each with a tracked position."""
