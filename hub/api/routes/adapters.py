"""/v1/adapters/{name}/messages: an agency without Kafka posts its own messages over HTTP.

The body is the agency's native JSON (see adapters/<name>/README.md), exactly as
it would be put on the Kafka topic ``hub.in.<name>``; the same code parses,
translates and applies it. One route per adapter, so that OpenAPI shows each
agency's own message schema and samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Request, Response, status
from pydantic import BaseModel, Field

from adapters.apply import Received
from adapters.registry import ADAPTERS, Adapter, adapter_named
from hub.aggregates.vocabulary import BodyKind
from hub.api.auth import Caller, Gate, authenticated, permitted
from hub.api.deps import Messages
from hub.api.problems import problem_responses
from hub.privacy.policy_file import PolicyFile

router = APIRouter(prefix="/v1/adapters", tags=["adapters"])
ERRORS = problem_responses(400, 401, 403, 404, 409, 413, 422)


class AppliedRecord(BaseModel):
    command: Literal["submit_referral", "record_placement", "report_medical_examination"]
    record_type: Literal["referral", "case"]
    record_id: UUID = Field(..., description="the hub record the command created or changed")
    child_id: UUID


class MessageApplied(BaseModel):
    """What the hub made of the message: the same answer every time the same Message-Id is sent."""

    adapter: str
    message_type: str
    message_id: str
    repeat: bool = Field(..., description="true when this Message-Id was applied before: nothing changed now")
    applied: list[AppliedRecord]

    @classmethod
    def of(cls, received: Received) -> MessageApplied:
        return cls(
            adapter=received.adapter,
            message_type=received.message_type,
            message_id=received.message_id,
            repeat=received.repeat,
            applied=[AppliedRecord(**a.as_dict()) for a in received.applied],
        )


async def raw_body(request: Request) -> bytes:
    """The message exactly as sent: the adapter parses it strictly, as the Kafka consumer does."""
    return await request.body()


MessageId = Header(
    ...,
    alias="Message-Id",
    min_length=1,
    max_length=255,
    pattern=r"^[\x21-\x7e]+$",
    description="The sender's id of this message, unique per sender and adapter: a repeat changes nothing",
)


def _request_body(adapter: Adapter) -> dict[str, Any]:
    return {
        "required": True,
        "content": {
            "application/json": {
                "schema": _inline(adapter.json_schema()),
                "examples": {name: {"value": sample} for name, sample in adapter.samples().items()},
            }
        },
    }


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """The message schema with its $defs written in place, so it stands on its own in the OpenAPI document."""
    defs = schema.get("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, list):
            return [resolve(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            return resolve(defs[node["$ref"].rsplit("/", 1)[-1]])
        return {
            key: ({"propertyName": value["propertyName"]} if key == "discriminator" else resolve(value))
            for key, value in node.items()
            if key != "$defs"
        }

    return resolve(schema)


@dataclass(frozen=True)
class SentBy(Gate):
    """Each adapter takes messages only from its own kinds of body; refused before the message is read."""

    adapter: Adapter

    def allows(self, kind: BodyKind, role: str, policy: PolicyFile) -> bool:
        return kind in self.adapter.senders

    def describe(self) -> str:
        return f"sent by {', '.join(sorted(self.adapter.senders))}"

    def __call__(self, caller: Annotated[Caller, Depends(authenticated)], messages: Messages) -> None:
        messages.check_sender(caller.actor, self.adapter)


def _post(adapter: Adapter) -> None:
    def post_message(  # the gate is built per adapter, so it is a default rather than an annotation
        *,
        response: Response,
        caller: Annotated[Caller, Depends(permitted("adapter.submit"))],
        sender: None = Depends(SentBy(adapter)),
        body: Annotated[bytes, Depends(raw_body)],
        messages: Messages,
        message_id: str = MessageId,
    ) -> MessageApplied:
        received = messages.receive(caller.actor, adapter.name, body, message_id)
        if received.repeat:
            response.status_code = status.HTTP_200_OK
            response.headers["Idempotency-Replayed"] = "true"
        return MessageApplied.of(received)

    router.add_api_route(
        f"/{adapter.name}/messages",
        post_message,
        methods=["POST"],
        status_code=status.HTTP_201_CREATED,
        response_model=MessageApplied,
        responses={200: {"model": MessageApplied, "description": "A repeat of an applied Message-Id"}, **ERRORS},
        summary=f"Send a {adapter.name} message",
        description=f"{adapter.summary}. Senders: {', '.join(sorted(adapter.senders))}. Kafka topic: "
        f"`{adapter.topic}`. Errors name the field of the message and a reason (see adapters/errors.py).",
        name=f"adapter_{adapter.name}",
        openapi_extra={"requestBody": _request_body(adapter)},
    )


for _adapter in ADAPTERS.values():
    _post(_adapter)


@router.post(
    "/{name}/messages",
    status_code=status.HTTP_201_CREATED,
    response_model=MessageApplied,
    responses=problem_responses(401, 403, 404, 422),
    summary="Any other adapter: there is none",
)
def unknown_adapter(name: str, caller: Annotated[Caller, Depends(permitted("adapter.submit"))]) -> MessageApplied:
    adapter_named(name)  # raises: the known names have their own routes
    raise AssertionError("unreachable")
