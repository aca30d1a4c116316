"""A form's refused input in the reader's words, naming the field, instead of pydantic's English.

The page keeps what was typed and shows the message beside its field (decision 0048): a form is
re-rendered, never left for an error page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hub.web.i18n import translations
from hub.web.labels import N_, NP_

# pydantic's error types (and hub/text.py's own), each a message; a type not listed says the value is not valid
COUNTED = {
    "string_too_long": (NP_("%(field)s: at most %(num)d character", "%(field)s: at most %(num)d characters"), "max_length"),
    "string_too_short": (NP_("%(field)s: at least %(num)d character", "%(field)s: at least %(num)d characters"),
                         "min_length"),
    "too_long": (NP_("%(field)s: at most %(num)d line", "%(field)s: at most %(num)d lines"), "max_length"),
    "too_short": (NP_("%(field)s: at least %(num)d line", "%(field)s: at least %(num)d lines"), "min_length"),
}
MESSAGES = {
    "missing": N_("%(field)s: this field is required."),
    "nothing_visible": N_("%(field)s: nothing visible was written."),
    "control_character": N_("%(field)s: holds a character that cannot be stored (%(code_point)s)."),
    "direction_control": N_("%(field)s: holds a character that reorders text (%(code_point)s)."),
    "invisible_character": N_("%(field)s: holds an invisible character (%(code_point)s)."),
    "no_letter": N_("%(field)s: a name holds at least one letter."),
    "literal_error": N_("%(field)s: choose one of the options offered."),
    "enum": N_("%(field)s: choose one of the options offered."),
    "iin_check_digit": N_("%(field)s: not a valid IIN; check its digits."),
    "iin_no_birth": N_("%(field)s: not a valid IIN: its first six digits are not a date of birth."),
}
# A rule of the hub that refuses a well-formed form, by its problem type, in the reader's words
REFUSALS = {
    "iin-date-of-birth": N_("The IIN is of a person born on another day than the date of birth given."),
    "iin-sex": N_("The IIN is of a person of the other sex than the one given."),
}
NOT_VALID = N_("%(field)s: this value is not valid.")


def message(language: str, field: str, error: Mapping[str, Any]) -> str:
    """``field``: the field's label message (translated here); ``error``: one of ValidationError.errors()."""
    catalogue = translations(language)
    context = error.get("ctx") or {}
    values = {"field": catalogue.gettext(field), "code_point": context.get("code_point", "")}
    if error["type"] in COUNTED:
        (singular, plural), limit = COUNTED[error["type"]]
        count = int(context.get(limit, 0))
        return catalogue.ngettext(singular, plural, count) % {**values, "num": count}
    return catalogue.gettext(MESSAGES.get(error["type"], NOT_VALID)) % values
