"""A helpline call as a hub referral (pure: see adapters.commands).

The referrer is the helpline's counsellor, never the caller: an anonymous caller stays anonymous, and a named one
is named only in the account. A calling child who agreed has referred themself (docs/decisions/0043).
"""

from __future__ import annotations

from adapters.commands import SubmitReferral, Translation
from adapters.content import consent_statement, paragraphs, referral_content
from adapters.helpline.messages import CallRecord
from hub.aggregates.vocabulary import Urgency

NAME = "helpline"
COUNSELLOR = "counsellor, national helpline 150 (Union of Crisis Centres)"


def translate(call: CallRecord) -> Translation:
    caller = call.caller
    by_child = caller.kind == "child"
    # the child's own request for help; a child at immediate risk who did not agree is referred all the same
    asked = by_child and bool(call.child_agreed_to_referral)
    who = "the child" if by_child else f"the child's {caller.kind}"
    content = referral_content(
        referrer={"name": call.counsellor.full_name, "professional_title": COUNSELLOR},
        child=call.child.identity(str(call.city), description=call.child.description),
        concern={
            "category": call.category,
            "description": paragraphs(
                f"Call No. {call.call_no} to helpline 150 on {call.received_at:%d.%m.%Y %H:%M}, from {who}"
                + (" (anonymous)." if caller.anonymous else f" ({caller.name})." if caller.name else "."),
                call.account,
                ("Counselling given", call.counselling),
                ("Redirected during the call to", ", ".join(r.replace("_", " ") for r in call.redirected_to)),
                ("The caller may be reached", caller.call_back),
            ),
            "evidence_of_harm": call.immediate_risk,
            "urgency": Urgency.EMERGENCY if call.immediate_risk else Urgency.HIGH,
        },
        consent=consent_statement(child=bool(call.child_agreed_to_referral), parent=False),
        self_referral={"through": "helpline", "keep_from_parents": call.keep_from_parents} if asked else None,
    )
    fields = {"child.city": "city", "child.date_of_birth": "child.date_of_birth", "recipient_agency": "refer_to",
              "self_referral": "caller.kind"}
    return Translation.of(NAME, call, [SubmitReferral(content=content, idempotency_key="referral",
                                                      recipient_agency=call.refer_to, fields=fields)])
