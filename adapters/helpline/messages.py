"""What the national helpline 150 sends: a call its counsellor logged (README.md).

Helpline 150 is "run by the NGO 'Union of Crisis Centres'"; some 40 per cent of its calls come from children
and teenagers; it gives "immediate counselling assistance and psychological support" and redirects, "first of
all" to the police - and none of it reaches administrative data (violence-system-evaluation §2.4, S13, L1594,
L1602). A call logged here becomes a referral (docs/decisions/0043).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, ValidationInfo, model_validator

from adapters.native import (
    AgencyCode,
    FullName,
    Label,
    LongText,
    Native,
    NativeChild,
    a_child_on,
    invalid,
    named_or_described,
    not_after_today,
)
from hub import text
from hub.aggregates.vocabulary import ConcernCategory
from hub.geography.place import Place

CallerKind = Literal["child", "parent", "relative", "neighbour", "friend", "professional", "other"]
Redirected = Literal["police", "ambulance", "crisis_centre", "cam_csc", "gta", "school", "youth_health_centre"]


class Caller(Native):
    """Who called. Anonymous callers are the rule: nothing here is required but who they are to the child."""

    kind: CallerKind = Field(..., description="who the caller is to the child; child: the child called")
    anonymous: bool = Field(..., description="the caller gave no name, or asked not to be named")
    name: FullName | None = Field(None, description="only when the caller gave it and agreed to be named")
    call_back: Annotated[str, text.Text(500)] | None = Field(
        None, description="how the caller may safely be reached back, if they want (never recorded otherwise)"
    )


class CalledAboutChild(NativeChild):
    description: Annotated[str, text.Text(500)] | None = Field(None, description="for a child the caller did not name")


class Counsellor(Native):
    full_name: FullName
    shift: Label | None = None


class CallRecord(Native):
    """Карточка обращения: one call, as the counsellor logged it."""

    message_type: Literal["call_record"]
    call_no: Annotated[str, text.Line(50)] = Field(..., description="the helpline's number of the call")
    received_at: AwareDatetime
    city: Place = Field(..., description="where the child is, as the caller said (the region, at least)")
    caller: Caller
    child: CalledAboutChild
    category: ConcernCategory
    account: LongText = Field(..., description="what the caller said, in their words where possible")
    counselling: Annotated[str, text.Text(1000)] | None = Field(None, description="the support the counsellor gave")
    redirected_to: list[Redirected] = Field(default_factory=list, max_length=7,
                                            description="where the counsellor sent the caller during the call")
    immediate_risk: bool = Field(..., description="the counsellor judged the child at risk of significant harm now")
    child_agreed_to_referral: bool | None = Field(
        None, description="when the child called: whether they agreed that the hub's bodies are told"
    )
    keep_from_parents: bool = Field(False, description="the calling child asked that the parents are not told")
    refer_to: AgencyCode | None = Field(None, description="the body to refer to; leave out to let the hub route it")
    counsellor: Counsellor

    @model_validator(mode="after")
    def _checks(self, info: ValidationInfo) -> CallRecord:
        named_or_described("child.given_name", self.child, self.child.description)
        not_after_today(info, ("received_at", self.received_at))
        a_child_on("child.date_of_birth", self.child.date_of_birth, self.received_at.date())
        if self.caller.anonymous and self.caller.name is not None:
            raise invalid("caller.name", "an anonymous caller is not named")
        by_child = self.caller.kind == "child"
        if by_child and self.child_agreed_to_referral is None:
            raise invalid("child_agreed_to_referral", "a calling child is asked whether the hub's bodies are told")
        if by_child and not self.child_agreed_to_referral and not self.immediate_risk:
            raise invalid("child_agreed_to_referral", "without the calling child's agreement only a child at "
                          "immediate risk is referred (decision 0043): keep the call with the helpline")
        if self.keep_from_parents and not by_child:
            raise invalid("keep_from_parents", "only a calling child asks that the parents are not told")
        return self


HelplineMessage = CallRecord
