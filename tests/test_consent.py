"""Consent of the child and family (ngo-services-manual §3.7.3, §5.3; cam-csc-manual §3.4 M, §5 P-05, P-17).

- 16 or over: the child consents alone;
- under 16: a parent or legal representative, and the child as well if mature;
- medical examination: a mature child's own consent is enough when the parent refuses (L2352-2356);
- independent supporter: the child if capable of forming his/her own views (ngo §3.7.3, P-18).
A consent is kept per child, purpose and recipient: given, withdrawn at any time, expired; a
withdrawn or expired consent can be given again (renewed).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from hub import clock
from hub.aggregates.consent import ConsentPurpose
from hub.aggregates.vocabulary import Signatory
from hub.errors import InvalidInput, NotFound
from tests.builders import GTA_OFFICER, INSPECTOR, MANAGER, OTHER_CENTRE, SCHOOL_PSYCHOLOGIST
from tests.scenario import illegal, open_case, refused, store_position, submit

P = ConsentPurpose
CHILD, PARENT, REP = Signatory.CHILD, Signatory.PARENT, Signatory.LEGAL_REPRESENTATIVE


def give(app, child_id, signatories=(PARENT,), purpose=P.SOCIAL_SUPPORT, recipient="ngo-rodnik", mature=False,
         expires_at=None, parent_refused=False, actor=MANAGER):
    return app.consents.give_consent(actor, child_id, purpose, recipient, list(signatories), mature, "signature",
                            expires_at=expires_at, parent_refused=parent_refused)


def withdraw(app, child_id, purpose=P.SOCIAL_SUPPORT, recipient="ngo-rodnik", actor=MANAGER):
    return app.consents.withdraw_consent(actor, child_id, purpose, recipient, "the family changed its mind")


def status(app, child_id, purpose=P.SOCIAL_SUPPORT, recipient="ngo-rodnik"):
    return app.consents.consent_status(MANAGER, child_id, purpose, recipient).status(clock.now())


def child(app, age: int | None = 14) -> object:
    return open_case(app, child__stated_age=age).child_id


# -- who signs (age and maturity) -------------------------------------------------------------------------

SIGNATORIES = [
    # age, mature, purpose, parent refused, signatories, valid?
    (16, False, P.INFORMATION_SHARING, False, [CHILD], True),  # >= 16: the child alone (decision 0004)
    (17, True, P.LEGAL_SERVICES, False, [CHILD], True),
    (16, True, P.MEDICAL_EXAMINATION, False, [CHILD], True),
    (16, True, P.SOCIAL_SUPPORT, False, [CHILD, PARENT], True),
    (15, False, P.INFORMATION_SHARING, False, [PARENT], True),  # < 16, not mature: a parent or legal rep
    (15, False, P.INFORMATION_SHARING, False, [REP], True),
    (15, False, P.INFORMATION_SHARING, False, [CHILD], False),
    (15, False, P.INFORMATION_SHARING, False, [], False),
    (15, True, P.INFORMATION_SHARING, False, [PARENT], False),  # < 16, mature: the child as well
    (15, True, P.INFORMATION_SHARING, False, [CHILD], False),
    (15, True, P.INFORMATION_SHARING, False, [CHILD, PARENT], True),
    (15, True, P.INFORMATION_SHARING, False, [CHILD, REP], True),
    (14, True, P.MEDICAL_EXAMINATION, False, [CHILD, PARENT], True),
    (14, True, P.MEDICAL_EXAMINATION, False, [CHILD], False),  # the parent did not refuse: ask the parent
    (14, True, P.MEDICAL_EXAMINATION, True, [CHILD], True),  # parent refuses, mature child: enough (L2352-2356)
    (14, False, P.MEDICAL_EXAMINATION, True, [CHILD], False),  # not mature: the GTA or a court (L2356-2364)
    (14, True, P.INFORMATION_SHARING, True, [CHILD], False),  # the medical carve-out only (§10.2.5)
    (None, False, P.SOCIAL_SUPPORT, False, [CHILD], False),  # age unknown: as under 16
    (None, False, P.SOCIAL_SUPPORT, False, [PARENT], True),
    (14, True, P.INDEPENDENT_SUPPORTER, False, [CHILD], True),  # ngo §3.7.3, §5.3; cam P-18
]


@pytest.mark.parametrize(
    ("age", "mature", "purpose", "parent_refused", "signatories", "valid"),
    SIGNATORIES,
    ids=[f"{a}-{'mature' if m else 'immature'}-{p}-{'refused-' if r else ''}{'+'.join(s) or 'none'}"
         for a, m, p, r, s, _ in SIGNATORIES],
)
def test_who_must_sign(app, age, mature, purpose, parent_refused, signatories, valid):
    child_id = child(app, age)
    recipient = "hospital-almaty-1" if purpose == P.MEDICAL_EXAMINATION else "ngo-rodnik"
    attempt = lambda: give(app, child_id, signatories, purpose, recipient, mature, parent_refused=parent_refused)  # noqa: E731
    if valid:
        consent = attempt()
        assert consent.is_valid(clock.now())
        assert status(app, child_id, purpose, recipient) == "given"
    else:
        with refused(app, rule="consent-signatories") as info:
            attempt()
        assert info.value.field == "signatories"


def test_a_child_turning_16_consents_alone(app, frozen):
    child_id = child(app, 15)
    with refused(app, rule="consent-signatories"):
        give(app, child_id, [CHILD])
    frozen.advance(timedelta(days=365))
    give(app, child_id, [CHILD])
    assert status(app, child_id) == "given"


# -- lifecycle: given / withdrawn / expired, renewed ---------------------------------------------------------

CONSENT_ALLOWED = {
    ("given", "give"): None,  # illegal: already valid
    ("given", "withdraw"): "withdrawn",
    ("withdrawn", "give"): "given",  # renewed
    ("withdrawn", "withdraw"): None,
    ("expired", "give"): "given",  # renewed
    ("expired", "withdraw"): None,
}


def consent_in(app, frozen, state: str):
    child_id = child(app)
    give(app, child_id, expires_at=frozen.now() + timedelta(days=30))
    if state == "withdrawn":
        withdraw(app, child_id)
    elif state == "expired":
        frozen.advance(timedelta(days=30))
    assert status(app, child_id) == state
    return child_id


@pytest.mark.parametrize(("state", "command"), list(CONSENT_ALLOWED), ids=[f"{s}-{c}" for s, c in CONSENT_ALLOWED])
def test_consent_lifecycle(app, frozen, state, command):
    child_id = consent_in(app, frozen, state)
    attempt = {"give": lambda: give(app, child_id, [REP]), "withdraw": lambda: withdraw(app, child_id)}[command]
    target = CONSENT_ALLOWED[(state, command)]
    if target is None:
        with illegal(app, state, command):
            attempt()
        assert status(app, child_id) == state
        return
    version = app.consents.consent_status(MANAGER, child_id, P.SOCIAL_SUPPORT, "ngo-rodnik").version
    attempt()
    consent = app.consents.consent_status(MANAGER, child_id, P.SOCIAL_SUPPORT, "ngo-rodnik")
    assert consent.status(clock.now()) == target
    assert consent.version == version + 1  # the same record, renewed or withdrawn in place
    if command == "give":
        assert consent.signatories == [REP]
        assert consent.expires_at is None


def test_a_consent_expires_at_its_expiry(app, frozen):
    child_id = child(app)
    give(app, child_id, expires_at=frozen.now() + timedelta(days=90))
    frozen.advance(timedelta(days=90) - timedelta(seconds=1))
    assert status(app, child_id) == "given"
    frozen.advance(timedelta(seconds=1))
    assert status(app, child_id) == "expired"
    give(app, child_id, expires_at=frozen.now() + timedelta(days=90))
    assert status(app, child_id) == "given"


@pytest.mark.parametrize("delta", [timedelta(0), timedelta(days=-1)], ids=["now", "past"])
def test_a_consent_cannot_expire_before_it_is_given(app, frozen, delta):
    child_id = child(app)
    with refused(app, rule="expiry-in-past"):
        give(app, child_id, expires_at=frozen.now() + delta)
    give(app, child_id, expires_at=frozen.now() + timedelta(minutes=1))


def test_a_renewal_is_checked_like_a_first_consent(app):
    child_id = child(app, 14)
    give(app, child_id, [PARENT, CHILD], mature=True)
    withdraw(app, child_id)
    with refused(app, rule="consent-signatories"):
        give(app, child_id, [PARENT], mature=True)
    assert status(app, child_id) == "withdrawn"


def test_consents_are_kept_per_purpose_and_recipient(app):
    child_id = child(app)
    give(app, child_id, recipient="ngo-rodnik")
    give(app, child_id, recipient="school")  # a kind of body: every school
    give(app, child_id, purpose=P.FAMILY_TRACING, recipient="ngo-rodnik")
    withdraw(app, child_id, recipient="ngo-rodnik")
    assert status(app, child_id, recipient="ngo-rodnik") == "withdrawn"
    assert status(app, child_id, recipient="school") == "given"
    assert status(app, child_id, P.FAMILY_TRACING, "ngo-rodnik") == "given"
    with refused(app, NotFound):
        withdraw(app, child_id, purpose=P.LEGAL_SERVICES)
    with pytest.raises(NotFound):
        app.consents.consent_status(MANAGER, child_id, P.LEGAL_SERVICES, "ngo-rodnik")


def test_an_unknown_recipient_is_invalid_input(app):
    child_id = child(app)
    with refused(app, InvalidInput) as info:
        give(app, child_id, recipient="no-such-agency")
    assert info.value.field == "recipient"


def test_uninvolved_agencies_get_not_found(app):
    referral = submit(app)
    app.referrals.acknowledge_referral(MANAGER, referral.id)
    child_id = app.referrals.accept_referral(MANAGER, referral.id).child_id
    give(app, child_id)
    for outsider in (OTHER_CENTRE, SCHOOL_PSYCHOLOGIST, GTA_OFFICER):
        with refused(app, NotFound):
            give(app, child_id, purpose=P.LEGAL_SERVICES, actor=outsider)
        with refused(app, NotFound):
            withdraw(app, child_id, actor=outsider)
        with pytest.raises(NotFound):
            app.consents.consent_status(outsider, child_id, P.SOCIAL_SUPPORT, "ngo-rodnik")
    before = store_position(app)
    assert app.consents.consent_status(INSPECTOR, child_id, P.SOCIAL_SUPPORT, "ngo-rodnik").status(clock.now()) == "given"
    assert store_position(app) == before
