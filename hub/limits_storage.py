"""Where the counts of every limit live (``HUB_RATE_LIMIT_STORAGE``): the API's rate limits and the
break-the-glass openings per user share it.

The process's memory by default, so each process counts on its own; a Redis or memcached URI of
the ``limits`` library lets every process share the counts. A URI that names no storage stops the
hub from starting, naming the setting.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from limits.errors import ConfigurationError
from limits.storage import storage_from_string

STORAGE_ENV = "HUB_RATE_LIMIT_STORAGE"
DEFAULT_STORAGE = "memory://"


def limits_storage(env: Mapping[str, str], *, asynchronous: bool = False) -> Any:
    """``asynchronous``: the library's variant for checks that run on the event loop."""
    uri = env.get(STORAGE_ENV) or DEFAULT_STORAGE
    if asynchronous and not uri.startswith("async+"):
        uri = f"async+{uri}"
    try:
        return storage_from_string(uri)
    except ConfigurationError as error:
        raise ValueError(f"{STORAGE_ENV} must be a storage URI of the limits library: {error}") from None
