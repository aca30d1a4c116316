"""The schema of hub/policy/privacy.yaml, and its loading: a malformed policy does not start."""

from __future__ import annotations

import hashlib
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from hub.yaml_data import load_yaml

RecordType = Literal[
    "referral", "case", "child", "consent", "medical_examination", "notice", "allegation", "note", "attachment",
    "family_link", "survivor_report", "involvement",
]
Condition = str | dict[str, Any]  # "name" or {name: argument}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DataClass(_Strict):
    personal: bool
    description: str


class Grant(_Strict):
    id: str
    title: str
    source: str
    to: list[str] = Field(..., min_length=1)
    when: list[Condition] = Field(default_factory=list)
    records: dict[RecordType, Literal["all"] | list[str]]


class Denial(_Strict):
    id: str
    title: str
    source: str
    to: list[str] = Field(..., min_length=1)
    classes: Literal["all"] | list[str]
    when: list[Condition] = Field(default_factory=list)
    unless: list[Condition] = Field(default_factory=list)
    conceal: bool = False
    absolute: bool = False


class GlassRule(_Strict):
    """Who may open which records, when, and on which legal grounds."""

    id: str
    title: str
    to: list[str] = Field(..., min_length=1)
    when: list[Condition] = Field(default_factory=list)
    records: list[RecordType] = Field(..., min_length=1)
    grounds: list[str] = Field(..., min_length=1)


class BreakGlass(_Strict):
    title: str
    source: str
    duration_minutes: int = Field(..., gt=0, le=24 * 60)
    per_user: str = Field(..., pattern=r"^\d+/(second|minute|hour|day)$", description="openings a user may ask for")
    notify: list[str] = Field(default_factory=list, description="kinds of body of the child's city told of each")
    grounds: dict[str, str] = Field(..., min_length=1)
    rules: list[GlassRule]


class Aggregates(_Strict):
    title: str
    source: str
    to: list[str]
    minimum_cell: int = Field(..., ge=1)


class VisitGrant(_Strict):
    id: str
    title: str
    to: list[str] = Field(..., min_length=1, description='kind:role, or "visited": the institution visited')
    fields: list[str] = Field(..., min_length=1)


class MonitoringVisits(_Strict):
    """Who sees what of a monitoring visit (decision 0040): a record about an institution, not a child's."""

    title: str
    source: str
    fields: dict[str, str]  # each field of the visit, with its class
    grants: list[VisitGrant]


class PolicyFile(_Strict):
    version: int = Field(..., ge=1)
    title: str
    sources: dict[str, str]
    classes: dict[str, DataClass]
    records: dict[RecordType, dict[str, str]]
    events: dict[str, str]
    field_sets: dict[str, list[str]]
    conditions: dict[str, str]
    grants: list[Grant]
    denials: list[Denial]
    aggregates: Aggregates
    break_glass: BreakGlass
    # Every privacy engine of the process asks the same references of the same policy as it plans.
    _fields: dict[tuple[str, str | tuple[str, ...]], frozenset[str]] = PrivateAttr(default_factory=dict)
    monitoring_visits: MonitoringVisits | None = None  # None (a policy adopted before 0040): nobody sees a visit

    @model_validator(mode="after")
    def _consistent(self) -> PolicyFile:
        for record, fields in self.records.items():
            for path, data_class in fields.items():
                if data_class not in self.classes:
                    raise ValueError(f"{record}.{path} has unknown class {data_class!r}")
        visits = self.monitoring_visits
        for name, data_class in (visits.fields if visits else {}).items():
            if data_class not in self.classes:
                raise ValueError(f"monitoring_visits.{name} has unknown class {data_class!r}")
        for visit_grant in visits.grants if visits else []:
            if unknown := set(visit_grant.fields) - set(visits.fields):  # type: ignore[union-attr]
                raise ValueError(f"{visit_grant.id} shows unknown visit fields {sorted(unknown)}")
        for attribute, data_class in self.events.items():
            if data_class not in self.classes or self.classes[data_class].personal:
                raise ValueError(
                    f"event attribute {attribute} is of class {data_class!r}: only a class that is not personal"
                    " is kept in clear (every attribute not named under events is sealed)"
                )
        for grant in self.grants:
            for record, refs in grant.records.items():
                if refs != "all":
                    for ref in refs:
                        self.expand(record, ref)
            self._check_conditions(grant.id, grant.when)
        for denial in self.denials:
            if denial.classes != "all":
                unknown = set(denial.classes) - set(self.classes)
                if unknown:
                    raise ValueError(f"denial {denial.id} names unknown classes {sorted(unknown)}")
            self._check_conditions(denial.id, denial.when + denial.unless)
        for rule in self.break_glass.rules:
            self._check_conditions(rule.id, rule.when)
            unknown = set(rule.grounds) - set(self.break_glass.grounds)
            if unknown:
                raise ValueError(f"break-glass rule {rule.id} cites unknown grounds {sorted(unknown)}")
        ids = [g.id for g in self.grants] + [d.id for d in self.denials] + [r.id for r in self.break_glass.rules]
        if len(ids) != len(set(ids)):
            raise ValueError("rule ids must be unique")
        return self

    def _check_conditions(self, rule: str, conditions: list[Condition]) -> None:
        for condition in conditions:
            name = condition if isinstance(condition, str) else next(iter(condition))
            if name not in self.conditions:
                raise ValueError(f"rule {rule} uses an undescribed condition {name!r}")

    def expand(self, record: RecordType, ref: str) -> set[str]:
        """A field reference: a field set's name or one catalogued field path."""
        if ref in self.field_sets:
            return set().union(*(self.expand(record, r) for r in self.field_sets[ref])) & set(self.records[record])
        if ref not in self.records[record]:
            raise ValueError(f"{record} has no field {ref!r} in the catalogue")
        return {ref}

    def fields_of(self, record: RecordType, refs: Literal["all"] | list[str]) -> frozenset[str]:
        key = (record, refs if isinstance(refs, str) else tuple(refs))
        if key not in self._fields:
            self._fields[key] = (
                frozenset(self.records[record]) if refs == "all"
                else frozenset().union(*(self.expand(record, r) for r in refs))
            )
        return self._fields[key]

    def fields_of_classes(self, record: RecordType, classes: Literal["all"] | list[str]) -> frozenset[str]:
        return frozenset(p for p, c in self.records[record].items() if classes == "all" or c in classes)

    def personal_fields(self, record: RecordType) -> frozenset[str]:
        return frozenset(p for p, c in self.records[record].items() if self.classes[c].personal)

    def clear_event_attributes(self) -> frozenset[str]:
        """The attributes of an event about a child that are not sealed with the child's key."""
        return frozenset(self.events)


@lru_cache(maxsize=8)
def _parsed(text: str) -> PolicyFile:
    """Once per text and process: a hub parsed the same policy three times as it started (the mapper, the
    adoption, the views), a quarter of its start, and each test starts one. The model is frozen."""
    return PolicyFile.model_validate(load_yaml(text))


class LoadedPolicy:
    """The policy as adopted: its text (kept in the adoption event) and its parsed form."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.file = _parsed(text)

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()

    @property
    def version(self) -> int:
        return self.file.version


def packaged_policy_text() -> str:
    return resources.files("hub.policy").joinpath("privacy.yaml").read_text(encoding="utf-8")
