"""The duplicate check before a case opens (peer-systems §1.9; docs/decisions/0011).

Names are matched across Kazakh/Russian Cyrillic and Latin transliterations;
dates of birth and ages raise or lower the score; the recipient sees in full
only children it already knows, and of a child managed elsewhere only who
manages it; acceptance records the check; the manager may link the referral to
a known child instead.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from hub.aggregates.child import AgeStatus
from hub.errors import GuardViolation, NotFound
from hub.matching.profile import profile_of, stem
from hub.matching.score import compare
from hub.matching.similarity import jaro_winkler
from hub.matching.transliteration import name_key
from tests.builders import GTA_OFFICER, INSPECTOR, MANAGER, OTHER_CENTRE
from tests.scenario import illegal, refused, submit

TODAY = date(2026, 3, 2)

# -- names across scripts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings",
    [
        ("Айдос", "Aidos", "Aydos"),
        ("Нурсултан", "Nursultan", "Nursoultan"),
        ("Жанар", "Zhanar", "Janar"),
        ("Ерлан", "Yerlan", "Erlan"),
        ("Қайрат", "Kairat", "Qairat"),
        ("Әлия", "Aliya", "Äliya", "Aliia"),
        ("Ғалым", "Galym", "Ghalym", "Ğalym"),
        ("Өмір", "Omir", "Ömir"),
        ("Шолпан", "Sholpan", "Şolpan"),
        ("Юлия", "Yuliya", "Iuliia", "Yulia"),
        ("Хадижа", "Khadija", "Hadija", "Xadija"),
        ("Ұлан", "Ulan"),
        ("Үміт", "Umit", "Ümit"),
        ("Іңкәр", "Inkar", "Iñkär"),
        ("Һидаят", "Hidayat", "Khidayat"),
    ],
)
def test_transliterations_of_one_name_have_one_key(spellings):
    assert len({name_key(s) for s in spellings}) == 1, {s: name_key(s) for s in spellings}


@pytest.mark.parametrize(
    "spellings",
    [("Ерланович", "Yerlanovich", "Ерланұлы", "Yerlanuly"), ("Нурланова", "Nurlanova", "Nurlanov", "Нурланов")],
)
def test_patronymic_and_family_endings_are_set_aside(spellings):
    assert len({stem(name_key(s)) for s in spellings}) == 1


@pytest.mark.parametrize(("a", "b"), [("Aidos", "Erlan"), ("Жанар", "Zhanna"), ("Aziz", "Timur")])
def test_different_names_have_different_keys(a, b):
    assert name_key(a) != name_key(b)


def test_jaro_winkler_gives_the_published_values():
    assert round(jaro_winkler("martha", "marhta"), 3) == 0.961
    assert round(jaro_winkler("dwayne", "duane"), 2) == 0.84
    assert (jaro_winkler("aidos", "aidos"), jaro_winkler("aidos", "")) == (1.0, 0.0)


# -- scoring -----------------------------------------------------------------------------------------


def record(given: str, family: str | None = None, patronymic: str | None = None, *, dob: date | None = None,
           age: int | None = None, disputed: bool = False, city: str = "almaty", sex: str = "male") -> Any:
    """A stand-in child with what profile_of reads."""
    return SimpleNamespace(
        identity={"given_name": given, "family_name": family, "patronymic": patronymic, "city": city, "sex": sex},
        aliases=[],
        date_of_birth=dob,
        age_on=lambda day: day.year - dob.year if dob else age,
        age_status=AgeStatus.DISPUTED if disputed else AgeStatus.CLAIMED,
    )


def match(a: Any, b: Any):
    return compare(profile_of(a, TODAY), profile_of(b, TODAY))


def test_the_same_child_in_two_scripts_is_a_likely_match():
    found = match(record("Жанар", "Ерланова", "Ерлановна", age=12, sex="female"),
                  record("Janar", "Yerlanova", "Yerlan kyzy", age=12, sex="female"))
    assert found.likelihood == "likely"
    assert set(found.matched) == {"given_name", "family_name", "patronymic", "sex", "age", "city"}


def test_names_given_in_the_other_order_still_match():
    assert match(record("Aziz", "Karimov", age=14), record("Karimov", "Aziz", age=14)).likelihood == "likely"


@pytest.mark.parametrize(
    "other",
    [record("Yerlan", "Nurlanov", age=10), record("Timur", "Sadykov", age=10), record("Aida", "Nurlanova", age=10, sex="female")],
    ids=["brother", "stranger", "sister"],
)
def test_different_children_do_not_match(other):
    assert match(record("Айдос", "Нурланов", age=10), other) is None


def test_the_same_date_of_birth_agrees_fully_and_a_day_month_swap_nearly():
    same = match(record("Қайрат", dob=date(2014, 5, 3)), record("Qairat", dob=date(2014, 5, 3)))
    swapped = match(record("Қайрат", dob=date(2014, 5, 3)), record("Kairat", dob=date(2014, 3, 5)))
    assert same.score == 1.0 and "date_of_birth" in same.matched
    assert swapped.score < same.score and "date_of_birth" in swapped.matched


def test_a_missing_date_of_birth_or_a_disputed_age_lowers_confidence_without_excluding():
    documented = match(record("Айдос", dob=date(2016, 1, 9)), record("Aidos", dob=date(2016, 1, 9)))
    missing = match(record("Айдос", dob=date(2016, 1, 9)), record("Aidos"))
    disputed = match(record("Айдос", dob=date(2016, 1, 9)), record("Aidos", dob=date(2016, 1, 9), disputed=True))
    assert documented.score > disputed.score and documented.score > missing.score
    assert "date_of_birth" not in disputed.matched


def test_dates_of_birth_years_apart_exclude_unless_the_age_is_disputed():
    assert match(record("Айдос", "Нурланов", age=10), record("Aidos", "Nurlanov", age=16)) is None
    assert match(record("Айдос", dob=date(2016, 1, 9)), record("Aidos", dob=date(2011, 1, 9))) is None
    kept = match(record("Айдос", "Нурланов", age=10), record("Aidos", "Nurlanov", age=16, disputed=True))
    assert kept is not None and kept.likelihood == "possible"


def test_another_city_or_sex_lowers_the_score():
    born = date(2016, 1, 9)
    here = match(record("Aidos", dob=born), record("Айдос", dob=born))
    moved = match(record("Aidos", dob=born), record("Айдос", dob=born, city="shymkent"))
    assert moved.score < here.score and "city" not in moved.matched
    assert match(record("Aidos", dob=born), record("Айдос", dob=born, sex="female")).score < moved.score


# -- the service: what the recipient sees ------------------------------------------------------------

AIDOS = {"child__given_name": "Айдос", "child__family_name": "Нурланов", "child__stated_age": 10}
AYDOS = {"child__given_name": "Aydos", "child__family_name": "Nurlanov", "child__stated_age": 10}


def accepted(app, manager=MANAGER, **content):
    referral = submit(app, **content)
    app.referrals.acknowledge_referral(manager, referral.id)
    return referral, app.referrals.accept_referral(manager, referral.id)


def test_the_recipient_sees_a_child_of_its_own_centre_with_its_referrals_and_open_case(app):
    first, case = accepted(app, **AIDOS)
    submit(app, child__given_name="Timur", child__family_name="Sadykov", child__stated_age=10)
    second = submit(app, **AYDOS)
    [candidate] = app.referrals.duplicate_candidates(MANAGER, second.id)
    assert candidate.child_id == first.child_id
    assert candidate.likelihood == "likely"
    assert {"given_name", "family_name", "age", "city"} <= set(candidate.matched)
    assert (candidate.referral_ids, candidate.open_case_ids, candidate.managed_by) == ((first.id,), (case.id,), "cam-almaty")


def test_only_the_recipient_asks(app):
    accepted(app, **AIDOS)
    second = submit(app, **AYDOS)
    with pytest.raises(GuardViolation) as referrer:
        app.referrals.duplicate_candidates(INSPECTOR, second.id)
    assert referrer.value.rule == "recipient-only"
    with pytest.raises(NotFound):
        app.referrals.duplicate_candidates(OTHER_CENTRE, second.id)


def test_of_a_child_managed_elsewhere_the_recipient_learns_only_who_manages_it(app):
    first = submit(app, child__city="astana", **AIDOS)
    app.referrals.acknowledge_referral(OTHER_CENTRE, first.id)
    app.referrals.accept_referral(OTHER_CENTRE, first.id)
    second = submit(app, **AYDOS)
    [candidate] = app.referrals.duplicate_candidates(MANAGER, second.id)
    assert asdict(candidate) == {
        "child_id": None, "likelihood": "likely", "score": None, "matched": (), "referral_ids": (),
        "open_case_ids": (), "managed_by": "csc-astana", "suggests": "same_child",
    }
    assert candidate.summary == "a likely match is managed by csc-astana"
    assert str(first.child_id) not in repr(candidate) and "Aydos" not in repr(candidate)


def test_a_child_no_body_manages_and_the_recipient_never_met_is_not_shown(app):
    submit(app, child__city="astana", **AIDOS)  # referred to the CSC, no case yet
    assert app.referrals.duplicate_candidates(MANAGER, submit(app, **AYDOS).id) == []


def test_a_referral_the_recipient_received_makes_the_child_known_to_it(app):
    first = submit(app, **AIDOS)
    app.referrals.decline_referral(MANAGER, first.id, ["not a CABM"])
    [candidate] = app.referrals.duplicate_candidates(MANAGER, submit(app, **AYDOS).id)
    assert (candidate.child_id, candidate.referral_ids, candidate.open_case_ids) == (first.child_id, (first.id,), ())


def test_an_erased_child_is_never_a_candidate(app):
    first, _ = accepted(app, **AIDOS)
    app.views.catch_up()  # the erasure procedure brings the projections up to date first
    app.store.child_keys.shred(first.child_id)
    assert app.referrals.duplicate_candidates(MANAGER, submit(app, **AYDOS).id) == []


# -- recorded before the case opens ------------------------------------------------------------------


def event_names(app, aggregate_id) -> list[str]:
    return [type(e).__name__ for e in app.store.events.get(aggregate_id)]


def test_acceptance_records_the_check_before_the_case_opens(app):
    known, _ = accepted(app, **AIDOS)
    elsewhere = submit(app, child__city="astana", **AIDOS)  # a record of the same name, at the CSC
    app.referrals.acknowledge_referral(OTHER_CENTRE, elsewhere.id)
    app.referrals.accept_referral(OTHER_CENTRE, elsewhere.id)
    newcomer, _ = accepted(app, **AYDOS)
    assert event_names(app, newcomer.id) == ["Submitted", "Acknowledged", "DuplicatesChecked", "Accepted"]
    [check] = app.referrals.referral_for(MANAGER, newcomer.id).duplicate_checks
    assert check == {
        "candidates": [str(known.child_id)], "managed_elsewhere": ["csc-astana"], "checked_by": MANAGER.user,
    }


def test_a_check_that_finds_nothing_is_recorded_too(app):
    referral, _ = accepted(app, **AIDOS)
    assert app.referrals.referral_for(MANAGER, referral.id).duplicate_checks[0]["candidates"] == []


# -- linking to the known child ----------------------------------------------------------------------


def test_linking_carries_the_referral_on_for_the_known_child(app):
    first, case = accepted(app, **AIDOS)
    second = submit(app, **AYDOS)
    app.referrals.acknowledge_referral(MANAGER, second.id)
    linked = app.referrals.link_to_child(MANAGER, second.id, first.child_id)

    ended = app.referrals.referral_for(INSPECTOR, second.id)
    assert (ended.state, ended.onward_referral_id, ended.linked_to_child) == ("linked", linked.id, first.child_id)
    followed = app.referrals.referral_for(INSPECTOR, linked.id)  # the referrer follows it
    assert (followed.state, followed.child_id, followed.referrer_agency, followed.linked_from) == (
        "acknowledged", first.child_id, "ji-almaty", second.id
    )
    assert followed.content == second.content and followed.routing_rule == second.routing_rule
    assert app.store.repository.get(second.child_id).same_as == first.child_id
    assert linked.id in app.store.repository.get(first.child_id).referral_ids

    # Accepting it joins the child's open case; no new case, so no new check.
    assert app.referrals.accept_referral(MANAGER, linked.id).id == case.id
    assert event_names(app, linked.id) == ["Submitted", "Acknowledged", "Accepted"]
    # The duplicate record is no longer a candidate; the child is.
    third = submit(app, **AYDOS)
    assert [c.child_id for c in app.referrals.duplicate_candidates(MANAGER, third.id)] == [first.child_id]


def test_a_referral_naming_a_duplicate_record_is_about_the_child_it_duplicates(app):
    first, _ = accepted(app, **AIDOS)
    second = submit(app, **AYDOS)
    app.referrals.link_to_child(MANAGER, second.id, first.child_id)
    again = submit(app, child_id=second.child_id)
    assert again.child_id == first.child_id


def test_link_guards(app):
    first, _ = accepted(app, **AIDOS)
    second = submit(app, **AYDOS)
    stranger = submit(app, child__city="astana", child__given_name="Timur")  # a child cam-almaty never met
    with refused(app, NotFound):
        app.referrals.link_to_child(MANAGER, second.id, stranger.child_id)
    with refused(app, rule="recipient-only"):
        app.referrals.link_to_child(INSPECTOR, second.id, first.child_id)
    with refused(app, NotFound):
        app.referrals.link_to_child(GTA_OFFICER, second.id, first.child_id)
    with refused(app, rule="same-child"):
        app.referrals.link_to_child(MANAGER, second.id, second.child_id)
    with illegal(app, "accepted", "link_to_child"):
        app.referrals.link_to_child(MANAGER, first.id, second.child_id)
    app.referrals.link_to_child(MANAGER, second.id, first.child_id)
    with illegal(app, "linked", "link_to_child"):
        app.referrals.link_to_child(MANAGER, second.id, first.child_id)


def test_a_record_with_a_case_of_its_own_is_not_a_duplicate(app):
    first, _ = accepted(app, **AIDOS)
    second = submit(app, child_id=None, **AYDOS)
    app.referrals.acknowledge_referral(MANAGER, second.id)
    app.referrals.accept_referral(MANAGER, second.id)  # a second case, for a second record
    third = submit(app, child_id=second.child_id)
    with refused(app, rule="child-has-case"):
        app.referrals.link_to_child(MANAGER, third.id, first.child_id)
