"""How many items of a list a page's form offers at first: a body model's hint to the forms built from it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rows:
    """``Annotated[list[Model], Rows(3)]``: the form shows three rows, and a button for one more (hub/web/forms.py);
    a list of models without it is one row in the form, more over the API."""

    count: int
