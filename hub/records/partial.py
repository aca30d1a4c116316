"""A record model with every field optional: what a body receives is the record minus what it may not see."""

from __future__ import annotations

from functools import cache
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, create_model


@cache
def partial(model: type[BaseModel]) -> type[BaseModel]:
    fields: dict[str, Any] = {
        name: (Optional[field.annotation], None)  # noqa: UP045 - create_model needs a runtime type
        for name, field in model.model_fields.items()
    }
    return create_model(  # type: ignore[call-overload,no-any-return]
        f"Visible{model.__name__}",
        __config__=ConfigDict(extra="forbid"),
        __doc__=f"{model.__doc__ or model.__name__} Fields the caller may not see are absent.",
        **fields,
    )
