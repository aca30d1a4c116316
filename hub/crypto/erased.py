"""What a personal attribute reads as once its child's key has been shredded."""

from __future__ import annotations

from eventsourcing.persistence import Transcoding


class _Erased:
    """A singleton, so ``value is ERASED`` holds after copying and pickling too."""

    _instance: _Erased | None = None

    def __new__(cls) -> _Erased:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ERASED"

    def __copy__(self) -> _Erased:
        return self

    def __deepcopy__(self, memo: dict) -> _Erased:
        return self

    def __reduce__(self) -> str:
        return "ERASED"


ERASED = _Erased()


class ErasedAsMarker(Transcoding):
    """Should an erased value ever be written again (a snapshot, say), it stays ERASED."""

    type = _Erased
    name = "erased"

    def encode(self, obj: _Erased) -> str:
        return ""

    def decode(self, data: str) -> _Erased:
        return ERASED
