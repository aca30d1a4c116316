"""A refusal of the hub (hub/errors.py) in the reader's language.

A rule's message is a catalogue message (scripts/i18n extracts the message argument of ``GuardViolation`` and
``InvalidInput``); one that names something of the moment is a template and its values, translated before the
values are filled in, a value that is a code (a state, a kind of body, a choice) named in words. An illegal
transition is one sentence naming the step and the record's state in words, not the API's English.
"""

from __future__ import annotations

from fastapi import Request

from hub.errors import HubError, IllegalTransition
from hub.web import words
from hub.web.labels import N_
from hub.web.rendering import translate

NOT_IN_THIS_STATE = N_("“%(step)s” cannot be done while the record is in the state “%(state)s”.")
STEP = N_("This step")


def said(request: Request, refusal: HubError, step: str | None = None) -> str:
    """``step``: the title of the command refused (its route's summary), where a form ran one."""
    if isinstance(refusal, IllegalTransition):
        title = words.TITLES.get(step, STEP) if step else STEP
        return translate(request, NOT_IN_THIS_STATE, step=translate(request, title),
                         state=_named(request, refusal.state))
    values = {name: _named(request, value) for name, value in refusal.values.items()}
    return translate(request, refusal.template, **values)


def _named(request: Request, value: object) -> object:
    """A code the pages name (a state, a kind of body, a role, a choice of a form, a field), in words; numbers,
    dates, ids and what people typed as they are."""
    if not isinstance(value, str):
        return value
    message: str | None = words.option_name(value)  # the code itself where no table names it
    if message == value and value not in words.OPTIONS:
        message = words.FIELDS.get(value)
    return value if message is None else translate(request, message)
