"""A record with its personal fields replaced: by a marker once erased, by a pseudonym for auditors.

Which fields are personal is the policy's catalogue (its classes marked
``personal``), so a field added to the catalogue is masked the day it is
classified, with no code to change.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from hub.privacy.paths import get_path, present
from hub.privacy.policy_file import PolicyFile

Replace = Callable[[str, Any], Any]  # (field path, value) -> what is shown instead


def masked(policy: PolicyFile, record_type: str, record: dict[str, Any], replace: Replace) -> dict[str, Any]:
    result = copy.deepcopy(record)
    for path in sorted(policy.personal_fields(record_type)):  # type: ignore[arg-type]
        value = get_path(result, path)
        if present(value) and value is not None:
            *parents, leaf = path.split(".")
            node = result
            for part in parents:
                node = node[part]
            node[leaf] = replace(path, value)
    return result
