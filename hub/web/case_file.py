"""The notes and files of a case on its page (docs/decisions/0047, 0052): those of the case, its child and its
referrals the reader's body may see, read through the same service as the API (every read recorded), and the
note and upload forms, with what was typed kept and a refusal said in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from hub.actor import Actor
from hub.aggregates.attachment import Category
from hub.errors import HubError, NotFound
from hub.services.attachments import AttachmentService
from hub.web import words
from hub.web.labels import N_

CATEGORIES = tuple(str(c) for c in Category)


@dataclass
class Filing:
    """The note form's or the upload form's state after a refusal: what was typed, and why it was refused."""

    form: str  # "note" or "file"
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)


def records_of(case: dict[str, Any]) -> list[tuple[str, str]]:
    """The records of the case a note or a file may be on, as the case's view shows them: (record type, id)."""
    child = [("child", str(case["child_id"]))] if case.get("child_id") else []
    return [("case", str(case["id"])), *child, *(("referral", str(r)) for r in words.listed(case.get("referral_ids")))]


# What each record a note or a file may be on is called in the page.
ON = {"case": N_("The case"), "child": N_("The child's record"), "referral": N_("Referral")}


def record_options(case: dict[str, Any]) -> list[tuple[str, str, int | None]]:
    """The forms' choice of record: (value, kind, the referral's number counted from 1, or None)."""
    referrals = iter(range(1, len(words.listed(case.get("referral_ids"))) + 1))
    return [(f"{kind}:{record_id}", kind, next(referrals) if kind == "referral" else None)
            for kind, record_id in records_of(case)]


def target(case: dict[str, Any], on: str) -> tuple[str, UUID]:
    """The record a form names (``case:<id>``), one of the case's own; any other is not found."""
    record_type, _, record_id = on.partition(":")
    if (record_type, record_id) not in records_of(case):
        raise NotFound(f"no {record_type or 'record'} {record_id}")
    return record_type, UUID(record_id)


def files_of(attachments: AttachmentService, actor: Actor, case: dict[str, Any]) -> list[dict[str, Any]]:
    """Every note and file of the case's records the caller may see, oldest first, each with the record it is
    on; a record the caller may not read (the child's, a referral's) is left out, its refusal recorded."""
    found: list[dict[str, Any]] = []
    for record_type, record_id in records_of(case):
        try:
            found += [{**each, "on": record_type} for each in attachments.of_record(actor, record_type, UUID(record_id))]
        except NotFound:
            continue
    return sorted(found, key=lambda each: str(each["record"].get("added_at", "")))


# A file's or a note's refusal, as the page says it (the API's problem types, hub/attachments/errors.py).
REFUSALS = {
    "attachment-too-large": N_("The file is too large: at most %(limit)s MB are accepted."),
    "body-too-large": N_("The file is too large: at most %(limit)s MB are accepted."),
    "attachment-empty": N_("The file is empty."),
    "attachment-type-refused": N_("Files of this kind are not accepted: send a PDF or a photo (%(types)s)."),
    "attachment-infected": N_("The virus check found the file infected; it was not stored."),
    "attachment-scan-unavailable": N_("The virus check cannot be reached now; the file was not stored. Try again shortly."),
    "attachment-not-yours": N_("Your body could not read a medical note or file here: choose general."),
}
NO_FILE = N_("Choose a file.")
NO_TEXT = N_("This field is required.")


def refusal_message(error: HubError) -> str | None:
    """The catalogue message for a refused note or file, or None where the page says the hub's own words."""
    return REFUSALS.get(error.problem_type)


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.3g}"
