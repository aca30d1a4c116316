"""A record model with every field optional: what a body receives is the record minus what it may not see.

Once a child is erased, what remains of its records is their residue (docs/decisions/0015): every
personal field, whatever its type (a list, a date, an object), reads as the marker ``"[erased]"``.
Which fields are personal is the policy's to say, and may change, so every field accepts the marker.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, create_model

from hub.aggregates.erasure import ERASED_VALUE

Erased = Literal[ERASED_VALUE]  # type: ignore[valid-type]


@cache
def partial(model: type[BaseModel]) -> type[BaseModel]:
    fields: dict[str, Any] = {
        name: (Optional[Union[field.annotation, Erased]], None)  # noqa: UP007, UP045 - create_model needs a runtime type
        for name, field in model.model_fields.items()
    }
    return create_model(
        f"Visible{model.__name__}",
        __config__=ConfigDict(extra="forbid"),
        __doc__=(
            f"{model.__doc__ or model.__name__} Fields the caller may not see are absent; once the child is"
            f' erased, every personal field reads "{ERASED_VALUE}".'
        ),
        **fields,
    )
