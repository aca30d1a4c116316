"""Renders the policy as the tables of docs/privacy-policy.md: body x field x condition."""

from __future__ import annotations

from typing import Any

from hub.aggregates.vocabulary import BodyKind
from hub.privacy.addressing import addressed_to
from hub.privacy.policy_file import LoadedPolicy, PolicyFile

BODIES = [k for k in BodyKind if k != BodyKind.HUB]


def _condition(condition: str | dict[str, Any]) -> str:
    if isinstance(condition, str):
        return condition
    (name, argument), = condition.items()
    return f"{name}={argument}"


def _who(patterns: list[str], kind: BodyKind) -> str:  # the roles, where not every role
    roles = addressed_to(patterns, kind, None) or set()
    return "" if "*" in roles else f" [{', '.join(sorted(roles))}]"


def _specific(patterns: list[str], kind: BodyKind | None) -> bool:
    """The rule names this kind itself (kind None: the rule speaks to every body)."""
    kinds = {p.partition(":")[0] for p in patterns}
    return "*" in kinds if kind is None else str(kind) in kinds


def _when(conditions: list[str | dict[str, Any]]) -> str:
    return " & ".join(_condition(c) for c in conditions) or "always"


def _cell(file: PolicyFile, record: str, path: str, kind: BodyKind | None) -> str:
    parts = []
    for grant in file.grants:
        refs = grant.records.get(record)  # type: ignore[call-overload]
        if refs is None or not _specific(grant.to, kind) or path not in file.fields_of(record, refs):  # type: ignore[arg-type]
            continue
        parts.append(f"{grant.id}: {_when(grant.when)}{_who(grant.to, kind) if kind else ''}")
    if not parts or kind is None:
        return "<br>".join(parts)
    for denial in file.denials:
        if _specific(denial.to, kind) and path in file.fields_of_classes(record, denial.classes):  # type: ignore[arg-type]
            unless = f" unless {_when(denial.unless)}" if denial.unless else ""
            parts.append(f"**not** {denial.id}: {_when(denial.when)}{unless}")
    return "<br>".join(parts)


def render(policy: LoadedPolicy) -> str:
    file = policy.file
    lines = [
        f"# Privacy policy, version {file.version}",
        "",
        "Generated from `hub/policy/privacy.yaml` by `hub policy table`; do not edit by hand.",
        f"Policy digest: `{policy.digest[:16]}`.",
        "",
        "A cell lists the grants that show the field to that kind of body, with their conditions (and roles",
        "where not every role), then the denials that take it away again. An empty cell: never shown.",
        "",
        "## Rules",
        "",
        "| rule | what it says | source |",
        "|---|---|---|",
    ]
    lines += [f"| {g.id} | {g.title} | {g.source} |" for g in file.grants]
    lines += [f"| {d.id} (denial{', conceals existence' if d.conceal else ''}) | {d.title} | {d.source} |" for d in file.denials]
    lines += ["", "## Conditions", "", "| condition | meaning |", "|---|---|"]
    lines += [f"| {name} | {text} |" for name, text in file.conditions.items()]
    everyone = [d for d in file.denials if _specific(d.to, None)]
    lines += ["", "Denials that apply to every body, whatever the grants:", ""]
    lines += [f"- **{d.id}**: {d.title} (when {_when(d.when)})." for d in everyone]
    lines += ["", "Denials that apply to particular bodies (also shown in their columns):", ""]
    lines += [
        f"- **{d.id}** to {', '.join(d.to)}: {d.title} (when {_when(d.when)}"
        + (f", unless {_when(d.unless)}" if d.unless else "")
        + ")."
        for d in file.denials
        if d not in everyone
    ]
    for record, fields in file.records.items():
        columns: list[BodyKind | None] = [None]
        columns += [k for k in BODIES if any(_cell(file, record, path, k) for path in fields)]
        names = ["any body" if k is None else str(k) for k in columns]
        lines += ["", f"## {record}", "", "| field | class | " + " | ".join(names) + " |"]
        lines.append("|---|---|" + "---|" * len(columns))
        for path, data_class in fields.items():
            cells = [_cell(file, record, path, k) for k in columns]
            lines.append(f"| {path} | {data_class} | " + " | ".join(cells) + " |")
    agg = file.aggregates
    lines += [
        "",
        "## Anonymised counts",
        "",
        f"{agg.title}: {', '.join(agg.to)}. Counts below {agg.minimum_cell} are shown as \"<{agg.minimum_cell}\".",
        f"Source: {agg.source}.",
    ]
    bg = file.break_glass
    lines += [
        "",
        "## Break-the-glass",
        "",
        f"{bg.title}. An opening lasts {bg.duration_minutes} minutes; a user may ask for {bg.per_user}. It names one",
        "legal ground and a reason. It is never granted to a body the child is concealed from (a denial marked",
        "conceal), and an absolute denial is never lifted. Every opening, granted or refused, is recorded; the",
        "centre managing the child and, in the child's city, these bodies are told of each: "
        + (", ".join(bg.notify) or "none") + ".",
        "A refused opening of a record that exists is answered exactly as one of a record that does not.",
        f"Source: {bg.source}.",
        "",
        "| rule | who | when | records | grounds |",
        "|---|---|---|---|---|",
    ]
    for rule in bg.rules:
        when = ", ".join(c if isinstance(c, str) else ", ".join(f"{k}: {v}" for k, v in c.items()) for c in rule.when)
        lines.append(
            f"| {rule.id}: {rule.title} | {', '.join(rule.to)} | {when or 'always'} | {', '.join(rule.records)}"
            f" | {', '.join(rule.grounds)} |"
        )
    lines += ["", "| ground | meaning |", "|---|---|"]
    lines += [f"| {code} | {meaning} |" for code, meaning in bg.grounds.items()]
    visits = file.monitoring_visits
    if visits is not None:
        grants = visits.grants
        lines += ["", "## Monitoring visits", "", f"{visits.title}. Source: {visits.source}.", "",
                  "| field | class | " + " | ".join(f"{g.id} ({', '.join(g.to)})" for g in grants) + " |",
                  "|---|---|" + "---|" * len(grants)]
        lines += [
            f"| {name} | {data_class} | " + " | ".join("shown" if name in g.fields else "" for g in grants) + " |"
            for name, data_class in visits.fields.items()
        ]
    lines.append("")
    return "\n".join(lines)
