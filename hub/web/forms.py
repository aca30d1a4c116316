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
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ValidationError
from starlette.datastructures import FormData

from hub.deadlines.clocks import default_calendar
from hub.rows import Rows
from hub.text import Text
from hub.web.labels import N_

Body = TypeVar("Body", bound=BaseModel)


@dataclass(frozen=True)
class Field:
    name: str  # a path into the body: "summary", "child.given_name", "parents.0.name"
    kind: str  # choice, choices, check, number, day, moment, new_id, lines, text, line
    required: bool
    options: tuple[str, ...] = ()
    max_length: int | None = None

    @property
    def key(self) -> str:
        """The last part of the path: what the field is called wherever it is."""
        return self.name.rsplit(".", 1)[-1]

    @property
    def group(self) -> str:
        """The part of the body it belongs to ("child", "parents.0"), or "" for a field of the body itself."""
        return self.name.rpartition(".")[0]

    @property
    def row(self) -> int | None:
        """Which item of a list of parts it is in ("items.2.goal": 2), counted from 0; None outside such a list."""
        last = self.group.rpartition(".")[2]
        return int(last) if last.isdigit() else None


def _bare(annotation: Any) -> tuple[Any, list[Any]]:
    """The type without None, and its metadata (Annotated[str, Text(2000)] gives str and [Text(2000)])."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    metadata: list[Any] = []
    while typing.get_origin(annotation) is typing.Annotated:
        annotation, *more = typing.get_args(annotation)
        metadata = [*more, *metadata]
    return annotation, metadata


def _model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _fields(name: str, info: Any, more: int) -> tuple[Field, ...]:
    base, metadata = _bare(info.annotation)
    metadata = [*metadata, *info.metadata]
    length = next((m.max_length for m in metadata if getattr(m, "max_length", None)), None)
    required = info.is_required()
    if _model(base):
        return _flat(base, f"{name}.", more)
    if isinstance(base, type) and issubclass(base, Enum):
        return (Field(name, "choice", required, tuple(str(e.value) for e in base)),)
    if typing.get_origin(base) is list:
        item, item_metadata = _bare(typing.get_args(base)[0])
        if _model(item):  # as many rows as the model's Rows say and the reader added, else one (more over the API)
            rows = next((m.count + more for m in metadata if isinstance(m, Rows)), 1)
            return tuple(f for row in range(rows) for f in _flat(item, f"{name}.{row}.", more))
        if isinstance(item, type) and issubclass(item, Enum):
            return (Field(name, "choices", required, tuple(str(e.value) for e in item)),)
        return (Field(name, "lines", required, max_length=next((m.max_length for m in item_metadata), None)),)
    pattern = next((m.pattern for m in metadata if getattr(m, "pattern", None)), None)
    kind = {bool: "check", int: "number", date: "day", datetime: "moment", AwareDatetime: "moment", UUID: "new_id"}
    if pattern and pattern.startswith("^(") and pattern.endswith(")$"):  # a closed list written as a pattern
        return (Field(name, "choice", required, tuple(pattern[2:-2].split("|"))),)
    if base in kind:
        return (Field(name, kind[base], required and base is not bool),)
    text = any(isinstance(m, Text) for m in metadata)
    return (Field(name, "text" if text else "line", required, max_length=length),)


def _flat(model: type[BaseModel], prefix: str = "", more: int = 0) -> tuple[Field, ...]:
    return tuple(f for name, info in model.model_fields.items() for f in _fields(f"{prefix}{name}", info, more))


# How many rows the reader may add to a list of parts, one "add a row" at a time: the API's own limit is higher.
MORE_ROWS = 20


@cache
def fields_of(model: type[BaseModel], more: int = 0) -> tuple[Field, ...]:
    """The form's fields; ``more``: the rows the reader added to each list of parts with Rows."""
    return _flat(model, more=more)


def grows(model: type[BaseModel]) -> bool:
    """The form has a list of parts a row can be added to."""
    return len(fields_of(model, 1)) > len(fields_of(model))


def more_rows(form: FormData) -> int:
    """The rows the reader added, as the form posted them back (a hidden field), within MORE_ROWS."""
    raw = str(form.get(MORE_FIELD, "0"))
    return min(int(raw), MORE_ROWS) if raw.isdigit() else 0


MORE_FIELD = "more_rows"  # not a field of any body: the form's own
KEY_FIELD = "idempotency_key"  # the form's own too: a keyed command's Idempotency-Key, made when the form is shown
ADD_ROW = "add_row"  # the button that shows the form again with one row more, nothing run


def blank(model: type[BaseModel]) -> dict[str, Any]:
    """What a new form holds: a fresh id where the caller names a new meeting, examination or charge. An id inside
    a part names a record the hub knows (an alleged perpetrator's ``child_id``): left empty, a new record."""
    return {f.name: str(uuid4()) for f in fields_of(model) if f.kind == "new_id" and not f.group}


def typed(model: type[BaseModel], form: FormData, more: int = 0) -> dict[str, Any]:
    """What was typed, as the form shows it again (a list's empty rows after its filled ones)."""
    fields = fields_of(model, more)
    return _renumbered(fields, {f.name: form.getlist(f.name) if f.kind == "choices" else form.get(f.name, "") for f in fields})


def _renumbered(fields: tuple[Field, ...], values: dict[str, Any]) -> dict[str, Any]:
    """The rows of each list of parts numbered again, the filled ones first in their order, so that a refusal's
    path ("items.1.goal": the second item the body holds) names the row the form shows it in."""
    rows: dict[str, list[int]] = {}
    for f in fields:
        if f.row is not None:
            rows.setdefault(f.group.rpartition(".")[0], []).append(f.row)
    order: dict[tuple[str, int], int] = {}
    for name, numbers in rows.items():
        shown = list(dict.fromkeys(numbers))
        filled = [n for n in shown if any(_filled(values.get(f.name)) for f in fields if f.group == f"{name}.{n}")]
        order |= {(name, n): new for new, n in enumerate([*filled, *(n for n in shown if n not in filled)])}
    renamed = {}
    for name, value in values.items():
        field = next((f for f in fields if f.name == name), None)
        if field is None or field.row is None:
            renamed[name] = value
            continue
        part = field.group.rpartition(".")[0]
        renamed[f"{part}.{order[part, field.row]}.{field.key}"] = value
    return renamed


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
    if field.kind == "day":
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    if field.kind == "moment":
        try:
            return datetime.fromisoformat(text).replace(tzinfo=default_calendar().tz)  # the form's time is the deployment's
        except ValueError:
            return text
    return text


def _nested(values: dict[str, Any]) -> dict[str, Any]:
    """{"child.given_name": "Aziz", "parents.0.name": "Rustam"} as the body: {"child": {...}, "parents": [{...}]}.
    A part left wholly empty is left out, so that an optional part (a parent, a self-referral whose box is left
    unticked) is not asked for."""
    data: dict[str, Any] = {}
    for path, value in values.items():
        *parents, last = path.split(".")
        here = data
        for part in parents:
            here = here.setdefault(part, {})
        here[last] = value

    def listed(node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        if node and all(k.isdigit() for k in node):
            return [listed(v) for _, v in sorted(node.items(), key=lambda kv: int(kv[0])) if _filled(v)]
        return {k: listed(v) for k, v in node.items() if not isinstance(v, dict) or _filled(v)}

    return listed(data)


def _filled(node: Any) -> bool:
    if isinstance(node, dict):
        return any(_filled(v) for v in node.values())
    return node not in (None, False, [], "")


def parsed(model: type[Body], form: FormData, more: int = 0) -> tuple[Body | None, dict[str, str]]:
    """The model the form's answer makes, or the messages (as message ids) of the fields it refused, by path;
    a rule over a whole part (a child needs a name or a description) by the part's path. A row of a list
    left wholly empty is left out: emptying a row removes it."""
    fields = fields_of(model, more)
    data = _nested(_renumbered(fields, {f.name: v for f in fields if (v := _value(f, form)) is not None}))
    try:
        return model.model_validate(data), {}
    except ValidationError as error:
        errors: dict[str, str] = {}
        for problem in error.errors():
            name = ".".join(str(part) for part in problem["loc"])
            message = PROBLEMS.get(problem["type"], N_("This value is not valid."))
            errors.setdefault(name, _RULES.get(problem.get("msg", ""), message))
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
    "date_type": N_("Enter a date."),
    "date_from_datetime_parsing": N_("Enter a date."),
    "greater_than_equal": N_("This value is not valid."),
    "string_pattern_mismatch": N_("Choose one of the options."),
}

# The rules over a whole part of a referral (hub/aggregates/referral_content.py), as the page says them.
_RULES = {
    "Value error, a name, an alias or a description of the child is required":
        N_("Give the child's name, another name they use, or a description."),
    "Value error, give either date_of_birth or stated_age, not both": N_("Give either the date of birth or the age."),
    "Value error, consent given must say by whom": N_("Say who gave consent."),
}
