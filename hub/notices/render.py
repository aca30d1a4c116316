"""The notices table as Markdown: every notification of both manuals, how the hub carries it, or why not."""

from __future__ import annotations

from hub.notices.status import status_of
from hub.notices.table import Entry, Limit, NoticeTable, packaged_notices
from hub.privacy.policy_file import LoadedPolicy
from hub.privacy.table import render

FORMS = {
    "notice": "a notice",
    "referral": "the referral itself (acknowledged, accepted or declined with reasons, redirected)",
    "answer": "the answer to another notice",
}


def policy_tables(policy: LoadedPolicy, table: NoticeTable | None = None) -> str:
    """What ``hub policy table`` prints (docs/privacy-policy.md): who may see what, and who is told what."""
    return render(policy) + render_notices(table or packaged_notices())


def render_notices(table: NoticeTable) -> str:
    produced = [n for n in table.notices if status_of(n, table).produced]
    lines = [
        "",
        "## Notices (hub/policy/notices.yaml)",
        "",
        f"Every notification of both manuals: {len(produced)} produced, {len(table.notices) - len(produced)} not, each",
        "with the reason. A produced notice is raised by the event named, in the transaction that records it, to the",
        "body of the kind named in the child's city; it must be acknowledged by its deadline (by default within",
        f"{_limit(table.acknowledge_within)}; an urgent one within {_limit(table.readings.get('immediately'))}) and",
        "answered by the manual's, or it is escalated (docs/decisions/0025).",
        "",
        "| notice | what | carried as | raised on | to | deadlines |",
        "|---|---|---|---|---|---|",
    ]
    for entry in table.notices:
        lines.append(
            f"| {entry.id} | {entry.title} ({entry.lines.strip()}) | {_form(entry, table)} | {_raised_on(entry)} "
            f"| {_to(entry)} | {_deadlines(entry, table)} |"
        )
    lines.append("")
    return "\n".join(lines)


def _form(entry: Entry, table: NoticeTable) -> str:
    if not entry.produced:
        return f"**not produced**: {' '.join((entry.reason or '').split())}"
    status = status_of(entry, table)
    if not status.produced:
        return f"**not produced yet**: {status.why_not}"
    produced_as = getattr(entry, "produced_as", None)
    if produced_as:
        return f"the same notice as {produced_as}"
    return FORMS[entry.form]


def _raised_on(entry: Entry) -> str:
    rules = []
    for rule in entry.produce:
        conditions = "; ".join(f"{k} in {v}" for k, v in rule.when.items())
        unless = "; ".join(f"{k} in {v}" for k, v in rule.unless.items())
        rules.append(rule.event + (f" when {conditions}" if conditions else "") + (f" unless {unless}" if unless else ""))
    return "<br>".join(rules)


def _to(entry: Entry) -> str:
    kinds = [r.kind if isinstance(r.kind, str) else "/".join(r.kind) for p in entry.produce for r in (p.to or [])]
    return ", ".join(dict.fromkeys(kinds or [r.kind if isinstance(r.kind, str) else "/".join(r.kind) for r in entry.to]))


def _deadlines(entry: Entry, table: NoticeTable) -> str:
    if not entry.produce:
        return ""
    acknowledge = entry.acknowledge or (table.readings.get("immediately") if entry.urgent else table.acknowledge_within)
    answer = entry.deadline.recipient if entry.deadline else None
    text = f"acknowledge within {_limit(acknowledge)}"
    return text + (f"; answer within {_limit(answer)}" if answer is not None and answer.amount else "")


def _limit(limit: Limit | None) -> str:
    if limit is None or limit.amount is None or limit.unit is None:
        return "no set time"
    unit = limit.unit.replace("_", " ")
    return f"{limit.amount} {unit[:-1] if limit.amount == 1 else unit}"
