"""Building the hub's referral content (Annex C) from what an agency's message says."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from adapters.errors import AdapterError
from hub.aggregates.referral_content import ReferralContent


def referral_content(
    *,
    referrer: dict[str, Any],
    child: dict[str, Any],
    concern: dict[str, Any],
    consent: dict[str, Any],
    parents: Iterable[dict[str, Any]] = (),
    existing_services: str | None = None,
    self_referral: dict[str, Any] | None = None,
) -> ReferralContent:
    """The content, or an AdapterError naming the part of it the message cannot fill (never a half-built referral)."""
    try:
        return ReferralContent.model_validate(
            {
                "referrer": referrer,
                "child": child,
                "parents": list(parents),
                "concern": concern,
                "consent": consent,
                "existing_services": existing_services,
                "self_referral": self_referral,
            }
        )
    except ValidationError as error:
        refused = AdapterError.from_validation(error)
        raise AdapterError(
            "invalid-value", f"referral.{refused.field}", f"the message cannot make a referral: {refused.detail}"
        ) from error


def paragraphs(*parts: tuple[str, str | None] | str | None) -> str:
    """Labelled paragraphs, skipping the empty ones: ("Seen", text) -> "Seen: text"."""
    lines = []
    for part in parts:
        if isinstance(part, tuple):
            label, text = part
            if text:
                lines.append(f"{label}: {text}")
        elif part:
            lines.append(part)
    return "\n".join(lines)


def consent_statement(child: bool, parent: bool, note: str | None = None) -> dict[str, Any]:
    by = [who for who, agreed in (("child", child), ("parent", parent)) if agreed]
    return {"given": bool(by), "by": by, "note": note}
