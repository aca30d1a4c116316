"""Failures that pass: the database or the broker is away for a moment. They are retried, never dead-lettered."""

from __future__ import annotations

import sqlite3

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError
from kafka.errors import BrokerNotAvailableError, RetriableError

from hub.errors import Conflict

TRANSIENT: tuple[type[BaseException], ...] = (
    OperationalError,  # eventsourcing's wrapper of the drivers' (includes a connection pool timing out)
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    sqlite3.OperationalError,  # "database is locked"
    Conflict,  # a command that kept losing races: try again later
    ConnectionError,
    TimeoutError,
    RetriableError,  # kafka-python's: timeouts, lost connections, leader elections...
    BrokerNotAvailableError,
)
