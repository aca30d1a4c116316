"""Kafka ingestion (one topic per sending agency kind), dead letters, and the outbound relay.

See deploy/OPERATOR.md for topics, partitions, scaling and the delivery contracts.
"""
