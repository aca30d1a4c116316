"""Names, as every inbound model takes them (hub/text.py, docs/decisions/0023), by property.

Any name holding a control character or a direction control is refused; any
ordinary Kazakh, Russian or Latin name is taken unchanged (in NFC), in the
referral's content, in a command of the API and in an agency's message alike.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

from adapters.native import NativeChild
from hub.aggregates.referral_content import ReferralContent
from hub.api.schemas.children import AddAlias
from hub.text_once import accepted, checking_once
from tests.builders import referral_content


def _in_the_content(name: str) -> str:
    return referral_content(child__given_name=name).child.given_name  # type: ignore[return-value]


def _in_a_command(name: str) -> str:
    return AddAlias.model_validate({"alias": name}).alias


def _in_a_message(name: str) -> str:
    return NativeChild.model_validate_json(json.dumps({"surname": name})).surname  # type: ignore[return-value]


NAME_FIELDS: dict[str, Callable[[str], str]] = {
    "content": _in_the_content, "command": _in_a_command, "message": _in_a_message
}

LETTERS = (
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
)
word = st.text(alphabet=LETTERS, min_size=1, max_size=12)
joins = st.sampled_from([" ", "-", "'", "\u2019", "\u02bc"])  # space, hyphen, apostrophes (Oʻ, Ko‘)


@st.composite
def ordinary_names(draw: st.DrawFn) -> str:
    parts = [draw(word)]
    for _ in range(draw(st.integers(0, 3))):
        parts += [draw(joins), draw(word)]
    return "".join(parts)


CONTROLS = [chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]] + ["\u2028", "\u2029"]  # C0, C1, separators
DIRECTION_CONTROLS = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]  # embeddings, overrides, isolates
REFUSED = CONTROLS + DIRECTION_CONTROLS
STRIPPED = "\t\n\v\f\r\x85\u2028\u2029"  # those of them that are white space


@st.composite
def names_with_a_refused_character(draw: st.DrawFn) -> tuple[str, str]:
    """A name with one refused character in it, and that character."""
    odd = draw(st.sampled_from(REFUSED))
    left, right = draw(ordinary_names()), draw(ordinary_names())
    if odd not in STRIPPED:  # white space around a name is stripped, as it always was
        left, right = draw(st.sampled_from([(left, right), ("", right), (left, "")]))
    assume(len(left + odd + right) <= 100)  # a longer one is refused for its length first, as it always was
    return left + odd + right, odd


def refusal(field: str, name: str) -> str:
    with pytest.raises(ValidationError) as refused:
        NAME_FIELDS[field](name)
    (error,) = refused.value.errors()
    assert error["type"] in ("control_character", "direction_control"), error
    return error["msg"]


@pytest.mark.parametrize("field", sorted(NAME_FIELDS))
@given(name=ordinary_names(), decomposed=st.booleans())
def test_an_ordinary_name_is_taken_unchanged_in_nfc(field: str, name: str, decomposed: bool) -> None:
    typed = unicodedata.normalize("NFD", name) if decomposed else name
    assert NAME_FIELDS[field](typed) == unicodedata.normalize("NFC", name)


@pytest.mark.parametrize("field", sorted(NAME_FIELDS))
@given(odd_name=names_with_a_refused_character())
def test_a_name_holding_a_control_or_direction_character_is_refused_without_quoting_it(
    field: str, odd_name: tuple[str, str]
) -> None:
    name, odd = odd_name
    # The refusal names the character, and says the same whatever the name around it.
    assert f"U+{ord(odd):04X}" in refusal(field, name)
    assert refusal(field, name) == refusal(field, f"Aa{odd}Bb")


def test_a_name_of_invisible_characters_alone_is_refused_and_joiners_inside_a_name_are_not() -> None:
    for invisible in ["\u200b", "\u200c\u200d", "\ufeff", "\u00ad", "\u2060\u200b"]:
        with pytest.raises(ValidationError):
            _in_a_command(invisible)
    with pytest.raises(ValidationError):
        _in_a_command("Ai\u200bgerim")  # a zero-width space would make two spellings of one name
    persian = "\u0645\u06cc\u200c\u0631\u0632\u0627"  # Mirza, spelt with a zero-width non-joiner
    assert _in_a_command(persian) == persian


def test_free_text_keeps_line_breaks_and_tabs_and_a_name_does_not() -> None:
    content = referral_content(concern__description="first line\r\nsecond\tline\rthird")
    assert content.concern.description == "first line\nsecond\tline\nthird"
    with pytest.raises(ValidationError):
        _in_a_command("Aigerim\nNurlanovna")


def test_a_referral_read_back_from_its_event_is_taken_as_it_was_stored() -> None:
    stored = referral_content().model_dump(mode="json")
    stored["child"].update(given_name="Zhan\u202ebolat\x00", date_of_birth="1890-01-01", stated_age=None)
    assert ReferralContent.stored(stored).child.given_name == "Zhan\u202ebolat\x00"


def test_within_one_message_a_text_accepted_once_is_still_held_to_each_fields_length() -> None:
    long = "Әсел" * 30  # 120 characters: an alias may hold 200, a given name 100
    with checking_once():
        assert referral_content(child__aliases=[long]).child.aliases == [long]
        with pytest.raises(ValidationError) as again:
            referral_content(child__given_name=long)
    with pytest.raises(ValidationError) as alone:
        referral_content(child__given_name=long)
    assert [(e["type"], e["loc"]) for e in again.value.errors()] == [(e["type"], e["loc"]) for e in alone.value.errors()]
    assert accepted() is None  # nothing of the message is kept after it


def test_within_one_message_a_refused_text_is_refused_again_with_the_same_error() -> None:
    with checking_once():
        for _ in range(2):
            with pytest.raises(ValidationError) as refused:
                _in_the_content("Zhan\u202ebolat")
            assert refused.value.errors()[0]["type"] == "direction_control"


def test_within_one_message_the_next_model_takes_a_text_as_the_first_accepted_it() -> None:
    decomposed = unicodedata.normalize("NFD", " Йолдыз ")
    with checking_once():
        first = _in_a_message(decomposed)
        assert _in_the_content(decomposed) == _in_the_content(first) == unicodedata.normalize("NFC", "Йолдыз")
