"""The service layer: commands and queries over the aggregates, one concern per module."""
