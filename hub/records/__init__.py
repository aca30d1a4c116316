"""The records a body can be shown: each built whole from the aggregates, then cut down by the privacy policy."""
