"""A page's form built from the API's body model, and the form's answer read back into that model.

The pages take no shape of their own: each field of the model is one control (a choice for an
enumeration, a box for a yes/no, several lines for free text or a list), and what is posted is
validated by the same model the API validates with. A refusal names the field it is about, so the
page can show it beside what was typed.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ValidationError
from starlette.datastructures import FormData

from hub.text import Text
from hub.web.labels import N_
from hub.web.rendering import LOCAL


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # choice, choices, check, number, moment, new_id, lines, text, line
    required: bool
    options: tuple[str, ...] = ()
    max_length: int | None = None


def _bare(annotation: Any) -> tuple[Any, list[Any]]:
    """The type without None, and its metadata (Annotated[str, Text(2000)] gives str and [Text(2000)])."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    if typing.get_origin(annotation) is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        return base, metadata
    return annotation, []


def _field(name: str, info: Any) -> Field:
    base, metadata = _bare(info.annotation)
    metadata = [*metadata, *info.metadata]
    length = next((m.max_length for m in metadata if hasattr(m, "max_length") and m.max_length), None)
    required = info.is_required()
    if isinstance(base, type) and issubclass(base, Enum):
        return Field(name, "choice", required, tuple(str(e.value) for e in base))
    if typing.get_origin(base) is list:
        item, item_metadata = _bare(typing.get_args(base)[0])
        if isinstance(item, type) and issubclass(item, Enum):
            return Field(name, "choices", required, tuple(str(e.value) for e in item))
        return Field(name, "lines", required, max_length=next((m.max_length for m in item_metadata), None))
    if base is bool:
        return Field(name, "check", False)
    if base is int:
        return Field(name, "number", required)
    if base in (datetime, AwareDatetime):
        return Field(name, "moment", required)
    if base is UUID:
        return Field(name, "new_id", required)
    return Field(name, "text" if any(isinstance(m, Text) for m in metadata) else "line", required, max_length=length)


@cache
def fields_of(model: type[BaseModel]) -> tuple[Field, ...]:
    return tuple(_field(name, info) for name, info in model.model_fields.items())


def blank(model: type[BaseModel]) -> dict[str, Any]:
    """What a new form holds: a fresh id where the caller names a new meeting, examination or charge."""
    return {f.name: str(uuid4()) for f in fields_of(model) if f.kind == "new_id"}


def typed(model: type[BaseModel], form: FormData) -> dict[str, Any]:
    """What was typed, as the form shows it again."""
    return {
        f.name: form.getlist(f.name) if f.kind == "choices" else form.get(f.name, "")
        for f in fields_of(model)
    }


def _value(field: Field, form: FormData) -> Any:
    raw = form.get(field.name)
    text = raw.strip() if isinstance(raw, str) else ""
    if field.kind == "check":
        return text == "yes"
    if field.kind == "choices":
        return form.getlist(field.name)
    if field.kind == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if not text:
        return None
    if field.kind == "number":
        return int(text) if text.lstrip("-").isdigit() else text
    if field.kind == "moment":
        try:
            return datetime.fromisoformat(text).replace(tzinfo=LOCAL)  # the form's time is the deployment's
        except ValueError:
            return text
    return text


def parsed(model: type[BaseModel], form: FormData) -> tuple[BaseModel | None, dict[str, str]]:
    """The model the form's answer makes, or the messages (as message ids) of the fields it refused."""
    data = {f.name: v for f in fields_of(model) if (v := _value(f, form)) is not None}
    try:
        return model.model_validate(data), {}
    except ValidationError as error:
        errors: dict[str, str] = {}
        for problem in error.errors():
            name = str(problem["loc"][0]) if problem["loc"] else ""
            errors.setdefault(name, PROBLEMS.get(problem["type"], N_("This value is not valid.")))
        return None, errors


# Pydantic's refusals as the page says them: by kind, never pydantic's English sentence.
PROBLEMS = {
    "missing": N_("This field is required."),
    "string_too_long": N_("This text is too long."),
    "string_too_short": N_("This field is required."),
    "too_long": N_("Too many entries."),
    "too_short": N_("Choose or enter at least one."),
    "enum": N_("Choose one of the options."),
    "int_type": N_("Enter a whole number."),
    "int_parsing": N_("Enter a whole number."),
    "datetime_type": N_("Enter a date and time."),
    "datetime_from_date_parsing": N_("Enter a date and time."),
    "uuid_parsing": N_("This value is not valid."),
    "extra_forbidden": N_("This value is not valid."),
}
