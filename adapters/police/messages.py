"""What the police send: a placement protocol and a removal act (see README.md)."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field, ValidationInfo, model_validator

from adapters.native import (
    Address,
    FullName,
    Label,
    LongText,
    Native,
    NativeChild,
    Phone,
    Relative,
    Text,
    a_child_on,
    in_order,
    invalid,
    local_date,
    named_or_described,
    not_after_today,
)
from hub import text
from hub.geography.place import Place

ProtocolNumber = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[0-9A-Za-zА-Яа-я/.\-]+$")]


class Officer(Native):
    """The officer who drew up the document (сотрудник, составивший документ)."""

    full_name: FullName = Field(..., description="ФИО")
    rank: Label | None = Field(None, description="специальное звание, e.g. капитан полиции")
    position: Label = Field(..., description="должность, e.g. инспектор по делам несовершеннолетних")
    unit: Annotated[str, text.Line(200)] = Field(
        ..., description="подразделение, e.g. ОЮП УП Алмалинского района г. Алматы"
    )
    badge_no: Label | None = Field(None, description="номер служебного удостоверения")
    phone: Phone | None = None

    @property
    def title(self) -> str:
        return ", ".join(filter(None, (self.rank, self.position, self.unit)))


class FoundChild(NativeChild):
    """Сведения о несовершеннолетнем: the child as the protocol records them."""

    description: Annotated[str, text.Text(1000)] | None = Field(
        None, description="приметы: appearance and clothing, for a child who gives no name"
    )
    documents: Annotated[str, text.Text(500)] | None = Field(None, description="документы при ребёнке; null: none")
    statement: LongText | None = Field(None, description="объяснение несовершеннолетнего: the child's account")
    migration_note: Annotated[str, text.Text(1000)] | None = Field(
        None, description="how the child came to be here, as the child tells it (Annex C D1)"
    )


class AccompanyingAdult(Native):
    """An adult with the child who is not a parent or legal representative (the child is then separated)."""

    full_name: FullName
    relationship: Label = Field(..., description="кем приходится ребёнку: uncle, neighbour, unknown...")
    whereabouts: Address | None = None


class PlacementProtocol(Native):
    """Протокол о доставлении несовершеннолетнего, оставшегося без надзора.

    A juvenile inspector (or another police officer) found a child without care
    and took the child to a place of safety (the CAM/CSC, a hospital, the duty
    unit). cam-csc-manual 8.1 and §2.2: a professional with reasonable cause to
    believe a child is unaccompanied or separated refers the child without delay.
    """

    message_type: Literal["placement_protocol"]
    protocol_no: ProtocolNumber = Field(..., description="номер протокола")
    kui_no: ProtocolNumber | None = Field(None, description="регистрационный номер в Книге учёта информации (КУИ)")
    drawn_up_at: AwareDatetime = Field(..., description="дата и время составления протокола")
    city: Place = Field(..., description="город (область), где обнаружен ребёнок")
    found_at: AwareDatetime = Field(..., description="дата и время обнаружения")
    found_place: Text = Field(..., description="место обнаружения")
    circumstances: LongText = Field(..., description="обстоятельства обнаружения")
    child: FoundChild
    parents: list[Relative] = Field(default_factory=list, max_length=4, description="родители, if known")
    accompanying_adult: AccompanyingAdult | None = None
    injuries_observed: bool = Field(..., description="видимые телесные повреждения")
    injuries_description: Text | None = None
    delivered_to: Text = Field(..., description="куда доставлен ребёнок, e.g. ЦАН г. Алматы")
    delivered_at: AwareDatetime = Field(..., description="дата и время доставления")
    child_agreed: bool = Field(..., description="the child agreed to be taken there")
    officer: Officer

    @model_validator(mode="after")
    def _checks(self, info: ValidationInfo) -> PlacementProtocol:
        named_or_described("child.given_name", self.child, self.child.description)
        in_order(("found_at", self.found_at), ("delivered_at", self.delivered_at), ("drawn_up_at", self.drawn_up_at))
        not_after_today(info, ("drawn_up_at", self.drawn_up_at))
        a_child_on("child.date_of_birth", self.child.date_of_birth, local_date(self.found_at))
        if self.injuries_observed and not self.injuries_description:
            raise invalid("injuries_description", "describe the injuries observed")
        return self


class RemovalAct(Native):
    """Акт об изъятии ребёнка (removal into temporary protection).

    The juvenile inspector assisted the CAM/CSC and the GTA to remove a child in
    imminent danger (cam-csc-manual 8.2.2b, N15) and reports the removal on the
    case the centre named in its request for assistance.
    """

    message_type: Literal["removal_act"]
    act_no: ProtocolNumber = Field(..., description="номер акта")
    drawn_up_at: AwareDatetime
    removed_at: AwareDatetime = Field(..., description="дата и время изъятия")
    case_id: UUID = Field(..., description="the hub's case id, from the centre's request for assistance")
    child_id: UUID = Field(..., description="the hub's child id, from the same request")
    child_name: Annotated[str, text.Name(300)] = Field(..., description="ФИО ребёнка as in the act")
    removed_from: Text = Field(..., description="откуда изъят: address")
    placed_at: Text = Field(..., description="куда помещён, e.g. ЦАН г. Алматы")
    grounds: LongText = Field(..., description="основания: the immediate threat to the child's life or health")
    gta_officer: FullName | None = Field(
        None, description="представитель органа опеки, present at the removal"
    )
    officer: Officer

    @model_validator(mode="after")
    def _checks(self, info: ValidationInfo) -> RemovalAct:
        in_order(("removed_at", self.removed_at), ("drawn_up_at", self.drawn_up_at))
        not_after_today(info, ("drawn_up_at", self.drawn_up_at))
        return self


PoliceMessage = Annotated[PlacementProtocol | RemovalAct, Field(discriminator="message_type")]
