"""Text checked once per message, though two models read it (issue #13).

An agency's message is validated by its own model (adapters/<agency>/messages.py), then the
adapter builds the hub's records from the values it accepted, and the hub's models (a referral's
content) validate them again: each name, line and text went through the same checks twice, a
seventh of ingesting a police protocol. Inside :func:`checking_once`, a kind of text
(hub/text.py) remembers each value it accepted, as it accepted it, and takes that value again
without checking its characters a second time; its length is still checked against the field it
fills, and a value it refused is checked (and refused) again, with the same error.

Only for the one message: the values are personal data, kept no longer than the message takes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# (kind of text, value) -> the value as accepted; None outside a message
_ACCEPTED: ContextVar[dict[tuple[type, str], str] | None] = ContextVar("text_accepted", default=None)


@contextmanager
def checking_once() -> Iterator[None]:
    token = _ACCEPTED.set({})
    try:
        yield
    finally:
        _ACCEPTED.reset(token)


def accepted() -> dict[tuple[type, str], str] | None:
    """What the kinds of text accepted in this message, to look up and add to; None outside one."""
    return _ACCEPTED.get()
