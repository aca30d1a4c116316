"""A referral's fingerprint (its idempotency check) is the hash of the JSON ``json.dumps`` writes with sorted keys
and no spaces: written by an encoder built once, the same bytes, so a fingerprint stored before still matches."""

from __future__ import annotations

import hashlib
import json
from typing import Any
from uuid import UUID, uuid4

import pytest

from hub.services.referrals import _fingerprint
from tests.builders import referral_content

CONTENTS = [
    referral_content().model_dump(mode="json"),
    {
        "z": "Ермек «Дос» Қайратұлы, ә ғ ү ұ і ң ө һ", "a": 'quote " backslash \\ slash /', "m": "\u2028\u2029\x00\x1f\t\n",
        "emoji": "\U0001f476🏠", "é": "clé", "n": [1, -2, 0, 2.5, 1e-07, 123456789012345678901234567890, True, False, None],
        "nested": {"b": [], "a": {}, "c": [{"y": 1, "x": [None]}]}, "empty": "",
    },
    {},
]


def _dumped(content: dict[str, Any], child_id: UUID | None, recipient: str | None) -> str:
    """The fingerprint as it was computed before (every stored one)."""
    canonical = json.dumps(
        {"content": content, "child_id": str(child_id) if child_id else None, "to": recipient},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@pytest.mark.parametrize("content", CONTENTS)
@pytest.mark.parametrize(("child_id", "recipient"), [(None, None), (uuid4(), "cam-almaty"), (None, "ДЕТИ-Алматы")])
def test_the_same_fingerprint_as_json_dumps_writes(content: dict[str, Any], child_id: UUID | None,
                                                   recipient: str | None) -> None:
    assert _fingerprint(content, child_id, recipient) == _dumped(content, child_id, recipient)
