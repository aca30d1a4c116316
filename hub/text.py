"""The kinds of text the hub takes in, one check each, used by every inbound model (docs/decisions/0023).

A field says what kind of text it holds and how long it may be::

    given_name: Annotated[str, Name(100)] | None = None
    description: Annotated[str, Text(1000)]

Every kind is stripped of surrounding white space and normalised to NFC before it
is checked and stored, so that one name is stored one way whichever keyboard typed
it (a decomposed "й" is composed). Then:

======  ===========================  ===========================================
kind    holds                        refuses
======  ===========================  ===========================================
Name    a person's name              control characters (tabs and line breaks too),
                                     direction controls, invisible formatting
                                     characters other than ZWNJ/ZWJ, unassigned and
                                     private-use code points; a name without a letter
Line    one line: a title, a place,  control characters (tabs and line breaks too),
        a document number...         direction controls; nothing visible
Text    free text: a description,    control characters other than the line break
        a note, minutes              and the tab (CR LF, CR, U+2028 and U+2029 become
                                     a line break), direction controls; nothing visible
Code    an agency code or a kind     anything but a-z, 0-9, "-" and "_"
        of body
======  ===========================  ===========================================

Direction controls are the embeddings, overrides and isolates (U+202A-U+202E,
U+2066-U+2069): they reorder how text is shown, so that a name can display as
another. A refusal names the field and the code point it found, never the text:
a name is personal data. Values read back from the store (``hub.inbound.STORED``)
are taken as they were accepted, and so, within one agency message, is a value its kind
accepted already (hub/text_once.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, ValidationInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, PydanticKnownError, core_schema

from hub import text_once
from hub.inbound import is_stored

# Unicode's White_Space property: what pydantic's str_strip_whitespace strips too.
WHITE_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
    "\u2028\u2029\u202f\u205f\u3000"
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Zero-width non-joiner and joiner: part of how names are spelt in Persian and Indic scripts.
JOINERS = frozenset("\u200c\u200d")
LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029]")


def _code_point(character: str) -> dict[str, str]:
    return {"code_point": f"U+{ord(character):04X}", "name": unicodedata.name(character, "a control character")}


# Characters no kind of text refuses one by one: printable ASCII, Latin (less the soft hyphen, a format
# character), and Cyrillic with the Kazakh letters - nearly every text the agencies send.
_PLAIN = "\x20-\x7e\xa0-\xac\xae-\u02ff\u0400-\u04ff"


def _plain_with(controls_allowed: frozenset[str]) -> re.Pattern[str]:
    allowed = "".join(re.escape(c) for c in sorted(controls_allowed))
    return re.compile(f"[{_PLAIN}{allowed}]*")


@dataclass(frozen=True)
class _Kind:
    """A kind of text, with the lengths a field allows (after stripping and NFC)."""

    max_length: int
    min_length: int = 1

    what: ClassVar[str] = "the text"
    controls_allowed: ClassVar[frozenset[str]] = frozenset()
    controls_rule: ClassVar[str] = "no control character, tab or line break is allowed"
    plain: ClassVar[re.Pattern[str]] = _plain_with(controls_allowed)  # text with nothing to check one by one

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.plain = _plain_with(cls.controls_allowed)

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.with_info_before_validator_function(self._validate, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.update(minLength=self.min_length, maxLength=self.max_length)
        return json_schema

    def _validate(self, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, str) or is_stored(info):
            return value  # not text: the str schema refuses it as such
        accepted = text_once.accepted()
        known = accepted.get((type(self), value)) if accepted is not None else None
        if known is not None:  # this kind accepted it earlier in the message: only the length is this field's
            self.check_length(known)
            return known
        normal = unicodedata.normalize("NFC", self.normalised(value.strip(WHITE_SPACE)))
        self.check_length(normal)
        if self.plain.fullmatch(normal) is None:  # the common case skips the check character by character
            for character in normal:
                self.check_character(character)
        if normal:
            self.check_whole(normal)
        if accepted is not None:
            # as sent, and as accepted (what the next model is given): normalising it again changes nothing
            accepted[(type(self), value)] = accepted[(type(self), normal)] = normal
        return normal

    def check_length(self, value: str) -> None:
        if len(value) < self.min_length:
            raise PydanticKnownError("string_too_short", {"min_length": self.min_length})
        if len(value) > self.max_length:
            raise PydanticKnownError("string_too_long", {"max_length": self.max_length})

    def normalised(self, value: str) -> str:
        return value

    def check_character(self, character: str) -> None:
        category = unicodedata.category(character)
        if category == "Cs":
            raise PydanticCustomError(
                "not_a_character", "{what} holds {code_point}, half of a surrogate pair: not a character",
                {"what": self.what, **_code_point(character)},
            )
        if character in DIRECTION_CONTROLS:
            raise PydanticCustomError(
                "direction_control",
                "{what} may not hold {code_point} ({name}): it changes the direction text is shown in, "
                "which can make it read as something else",
                {"what": self.what, **_code_point(character)},
            )
        if (category == "Cc" and character not in self.controls_allowed) or category in ("Zl", "Zp"):
            raise PydanticCustomError(
                "control_character", "{what} holds a control character ({code_point}): {rule}",
                {"what": self.what, "rule": self.controls_rule, **_code_point(character)},
            )

    def check_whole(self, value: str) -> None:
        # The first character, stripped of white space, is nearly always visible: told without walking the rest.
        if unicodedata.category(value[0])[0] not in "CZ":
            return
        if all(unicodedata.category(c)[0] in "CZ" for c in value):
            raise PydanticCustomError("nothing_visible", "{what} holds nothing visible", {"what": self.what})


class Line(_Kind):
    """One line of text: a title, a place, a relationship, a document number."""


class Text(_Kind):
    """Free text of one or more lines: a description, a note, minutes, findings."""

    controls_allowed = frozenset("\n\t")
    controls_rule = "line breaks and tabs are the only ones allowed"

    def normalised(self, value: str) -> str:
        if "\r" not in value and "\u2028" not in value and "\u2029" not in value:
            return value  # nearly every text: three scans of it cost a tenth of the substitution
        return LINE_BREAKS.sub("\n", value)


class Name(_Kind):
    """A person's name, alias or full name (ФИО): one line, with at least one letter and nothing unseen."""

    what = "a name"

    def check_character(self, character: str) -> None:
        super().check_character(character)
        category = unicodedata.category(character)
        if category in ("Cf", "Co", "Cn") and character not in JOINERS:
            raise PydanticCustomError(
                "invisible_character",
                "a name may not hold {code_point} ({name}): a character that is not shown, or has no shape",
                {**_code_point(character), "name": unicodedata.name(character, "unassigned or private use")},
            )

    def check_whole(self, value: str) -> None:
        if unicodedata.category(value[0])[0] == "L":  # nearly every name starts with one
            return
        if not any(unicodedata.category(c)[0] == "L" for c in value):
            raise PydanticCustomError("no_letter", "a name holds at least one letter", {})


CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class Code(_Kind):
    """An agency code (cam-almaty) or a kind of body (police_investigation)."""

    def check_character(self, character: str) -> None:
        pass  # the pattern below says it all

    def check_whole(self, value: str) -> None:
        if not CODE.match(value):
            raise PydanticCustomError(
                "code_pattern", "a code is lower-case Latin letters, digits, '-' and '_', starting with a letter or digit"
            )

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        json_schema = super().__get_pydantic_json_schema__(schema, handler)
        json_schema["pattern"] = CODE.pattern
        return json_schema
