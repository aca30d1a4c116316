"""An agency's contact email address: one mailbox, checked before it is registered, not after a send fails."""

from __future__ import annotations

import re

from hub.errors import InvalidInput

MAX_LENGTH = 254  # RFC 5321's limit on a forward path
# One address, not a list or a display name: a local part of the characters RFC 5322 allows without
# quoting, and a domain of at least two labels of letters, digits and hyphens.
_ADDRESS = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


def checked_email(value: str | None, field: str = "email") -> str | None:
    """The address as it is kept (the domain in lower case), or None for none; else a 4xx naming the field."""
    if value is None or not value.strip():
        return None
    address = value.strip()
    if len(address) > MAX_LENGTH or len(address.split("@")[0]) > 64 or not _ADDRESS.match(address):
        raise InvalidInput(field, "not an email address (one mailbox: name@domain.kz)", problem_type="invalid-email")
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"
