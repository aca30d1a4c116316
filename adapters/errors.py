"""Why an agency's message was refused: one machine-readable reason and the offending field.

The same error serves the HTTP route (rendered as RFC 9457 problem+json, the
reason being the problem type) and the Kafka consumer (``dead_letter()`` is the
record it parks beside the message). A refused message applies nothing.

Reasons:

- ``malformed-json``: the payload is not JSON at all;
- ``unknown-message-type``: ``message_type`` names no message of this agency;
- ``unknown-field``: a field the agency's message does not have;
- ``missing-field``: a required field is absent;
- ``wrong-type``: a value of the wrong JSON type (a number for a text, text for a date...);
- ``invalid-value``: the right type, but not a value the message allows;
- ``impossible-date``: no such date (30.02), or dates that cannot all be true
  (born after the visit, a visit after its report, a child aged 18 or more);
- ``child-mismatch``: the message names one child and a record of another
  (an IIN that is not this date of birth; a case that is not this child's);
- ``unknown-adapter``, ``agency-not-allowed``: no such agency adapter, or the
  sender's kind of body may not send it;
- ``message-id-reused``: the Message-Id was already used for a different message;
- and, from the hub's own checks, its problem types: ``unknown-agency``,
  ``unknown-child``, ``unknown-case``, ``unknown-examination``, ``forbidden``,
  ``rule-violation`` (with ``rule``), ``illegal-transition``...
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from hub.errors import HubError

_DATE_TYPES = {
    "date_parsing",
    "date_from_datetime_parsing",
    "datetime_parsing",
    "datetime_from_date_parsing",
}


class AdapterError(HubError):
    """A message refused whole, with the reason and the field (a dotted path in the agency's own message)."""

    title = "Message refused"

    def __init__(
        self,
        reason: str,
        field: str | None,
        detail: str,
        status: int = 422,
        errors: Sequence[Mapping[str, str]] | None = None,
        **extensions: object,
    ) -> None:
        listed = [dict(e) for e in errors] if errors else [{"field": field or "body", "reason": reason, "message": detail}]
        super().__init__(detail, reason=reason, field=field, errors=listed, **extensions)
        self.reason = reason
        self.field = field
        self.status = status
        self.problem_type = reason
        self.errors = listed

    def dead_letter(self) -> dict[str, Any]:
        """What a consumer may record beside a message it cannot apply: codes and field paths, never values
        (a detail can quote the message, e.g. an IIN)."""
        record: dict[str, Any] = {"reason": self.reason, "field": self.field, "status": self.status}
        record.update({k: self.extensions[k] for k in ("rule", "command_index") if self.extensions.get(k) is not None})
        record["errors"] = [{"field": e.get("field"), "reason": e.get("reason")} for e in self.errors]
        return record

    @classmethod
    def from_validation(cls, error: ValidationError, tags: Sequence[str] = ()) -> AdapterError:
        """The first error decides the reason; every error is listed.

        ``tags`` are the message types of a discriminated union, which pydantic puts first in a field's path.
        """
        listed = [_listed(e, tags) for e in error.errors()]
        first = listed[0]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in listed)
        status = 400 if first["reason"] == "malformed-json" else 422
        return cls(first["reason"], first["field"], detail, status=status, errors=listed)

    @classmethod
    def from_hub(cls, error: HubError, fields: Mapping[str, str], command_index: int | None = None) -> AdapterError:
        """A hub command refused; its field is translated back to the message's own field where known."""
        extensions: dict[str, Any] = {k: v for k, v in error.extensions.items() if k != "field"}
        if command_index is not None:
            extensions["command_index"] = command_index
        hub_field = error.extensions.get("field")
        field = fields.get(str(hub_field), str(hub_field)) if hub_field is not None else None
        return cls(error.problem_type, field, error.detail, status=error.status, **extensions)


def _listed(error: Mapping[str, Any], tags: Sequence[str]) -> dict[str, str]:
    loc = list(error["loc"])
    if loc and loc[0] in tags:
        loc = loc[1:]
    ctx = error.get("ctx") or {}
    if ctx.get("field"):
        loc.append(ctx["field"])  # a check across fields names the one it blames
    elif error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        loc.append(ctx.get("discriminator", "message_type").strip("'"))
    field = ".".join(str(p) for p in loc) or "body"
    return {"field": field, "reason": _reason(error, field), "message": error["msg"]}


def _reason(error: Mapping[str, Any], field: str) -> str:
    kind = error["type"]
    if kind == "json_invalid":
        return "malformed-json"
    if kind == "extra_forbidden":
        return "unknown-field"
    if kind == "missing":
        return "missing-field"
    if kind in ("union_tag_invalid", "union_tag_not_found") or (kind == "literal_error" and field == "message_type"):
        return "unknown-message-type"
    if kind in ("impossible_date", "child_mismatch"):
        return kind.replace("_", "-")
    if kind in _DATE_TYPES and "range" in str((error.get("ctx") or {}).get("error", "")):
        return "impossible-date"  # a date of the right form that does not exist: 2026-02-30
    if kind.endswith(("_type", "_parsing", "_inexact")) or kind in ("int_from_float", "timezone_aware"):
        return "wrong-type"
    return "invalid-value"
