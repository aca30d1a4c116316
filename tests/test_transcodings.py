"""The hub's transcoder writes the bytes the library's would: stored events, their seals and their chain
digests do not depend on which of the two encoded them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

import pytest
from eventsourcing.persistence import JSONTranscoder, TranscodingNotRegisteredError

from hub.actor import Actor
from hub.application import HubApplication
from hub.transcodings import OneEncoder


def _registered(transcoder: JSONTranscoder) -> JSONTranscoder:
    HubApplication.register_transcodings(HubApplication.__new__(HubApplication), transcoder)
    return transcoder


VALUES = [
    {
        "state": "submitted", "count": 3, "share": 2.5, "none": None, "flag": True, "not_a_number": float("inf"),
        "text": 'Ермек "Дос" é\u2028\n\t', "id": uuid4(), "born": date(2015, 3, 1),
        "at": datetime(2026, 12, 7, 16, 0, tzinfo=UTC), "actor": Actor("cam-almaty", "manager", "m-1"),
        "amount": Decimal("1.50"), "items": [{"responsible": "gta-almaty", "ids": [uuid4()]}], 7: "a number as key",
    },
    "a string alone", 5, [], {}, ("a", "tuple"),
]


@pytest.mark.parametrize("value", VALUES)
def test_the_same_bytes_as_the_librarys_encoder(value: object) -> None:
    assert _registered(OneEncoder()).encode(value) == _registered(JSONTranscoder()).encode(value)


def test_a_value_of_no_registered_type_is_refused_as_by_the_library() -> None:
    with pytest.raises(TranscodingNotRegisteredError):
        _registered(OneEncoder()).encode({"x": object()})


def test_the_hub_seals_its_events_with_it() -> None:
    assert isinstance(HubApplication.construct_transcoder(HubApplication.__new__(HubApplication)), OneEncoder)
