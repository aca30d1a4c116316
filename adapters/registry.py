"""The agency adapters: who may send each, its messages, its translation and its Kafka topic."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, TypeAdapter, ValidationError

from adapters.commands import Translation
from adapters.errors import AdapterError
from adapters.guardianship.messages import GuardianshipMessage
from adapters.guardianship.translate import translate as guardianship
from adapters.health.messages import HealthMessage
from adapters.health.translate import translate as health
from adapters.helpline.messages import HelplineMessage
from adapters.helpline.translate import translate as helpline
from adapters.ngo.messages import NgoMessage
from adapters.ngo.translate import translate as ngo
from adapters.ombudsman.messages import OmbudsmanMessage
from adapters.ombudsman.translate import translate as ombudsman
from adapters.police.messages import PoliceMessage
from adapters.police.translate import translate as police
from adapters.schools.messages import SchoolMessage
from adapters.schools.translate import translate as schools
from hub import clock
from hub.aggregates.vocabulary import BodyKind

HERE = Path(__file__).parent
Payload = bytes | str | Mapping[str, Any]


@dataclass(frozen=True)
class Adapter:
    name: str
    senders: frozenset[BodyKind]  # the kinds of body that may send these messages
    message: Any  # the pydantic model, or a union of them discriminated by ``message_type``
    translate: Callable[[Any], Translation]
    summary: str
    _types: TypeAdapter = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_types", TypeAdapter(self.message))

    @property
    def topic(self) -> str:
        return f"hub.in.{self.name}"

    @property
    def models(self) -> tuple[type[BaseModel], ...]:
        union = get_args(self.message)
        return get_args(union[0]) if union else (self.message,)

    @property
    def message_types(self) -> tuple[str, ...]:
        return tuple(get_args(m.model_fields["message_type"].annotation)[0] for m in self.models)

    def parse(self, payload: Payload, now: datetime | None = None) -> Any:
        """The native message, or an AdapterError naming the first thing wrong with it (and listing all)."""
        raw = payload if isinstance(payload, bytes | str) else json.dumps(payload)
        try:
            return self._types.validate_json(raw, context={"now": now or clock.now()})
        except ValidationError as error:
            raise AdapterError.from_validation(error, tags=self.message_types) from None

    def json_schema(self) -> dict[str, Any]:
        return self._types.json_schema()

    def samples(self) -> dict[str, dict[str, Any]]:
        """The documented sample messages, by file name."""
        folder = HERE / self.name / "samples"
        return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))}


_POLICE = frozenset(
    {BodyKind.JUVENILE_POLICE, BodyKind.POLICE_INVESTIGATION, BodyKind.MIGRATION_POLICE, BodyKind.BORDER_GUARD}
)

ADAPTERS: dict[str, Adapter] = {
    a.name: a
    for a in (
        Adapter("police", _POLICE, PoliceMessage, police,
                "Police protocols of children found without care, and acts of removal into temporary protection"),
        Adapter("guardianship", frozenset({BodyKind.GTA, BodyKind.CIM}), GuardianshipMessage, guardianship,
                "Placement decisions and guardian appointments of the GTA (and the CIM)"),
        Adapter("schools", frozenset({BodyKind.SCHOOL}), SchoolMessage, schools,
                "A school psychologist's or social pedagogue's concern report"),
        Adapter("health", frozenset({BodyKind.HEALTH}), HealthMessage, health,
                "Suspected-violence notices under the health SOP, and reports of requested examinations"),
        Adapter("ngo", frozenset({BodyKind.NGO}), NgoMessage, ngo,
                "An NGO's referral form (Annex C), and its independent supporter's steps, recommendations and the child's views"),
        Adapter("ombudsman", frozenset({BodyKind.OMBUDSMAN}), OmbudsmanMessage, ombudsman,
                "Safeguarding concerns from monitoring visits to closed institutions, and children's complaints"),
        # Helpline 150 is run by an NGO, the Union of Crisis Centres (vse L1594; docs/decisions/0043).
        Adapter("helpline", frozenset({BodyKind.NGO}), HelplineMessage, helpline,
                "Calls to the national helpline 150 its counsellors logged, the caller perhaps anonymous or the child"),
    )
}


def adapter_named(name: str) -> Adapter:
    adapter = ADAPTERS.get(name)
    if adapter is None:
        raise AdapterError("unknown-adapter", "adapter", f"no adapter {name!r}; adapters: {', '.join(ADAPTERS)}",
                           status=404)
    return adapter
