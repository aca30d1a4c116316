"""The policy's words as the records carry them, in the reader's language.

Records keep the policy's English text (a deadline's title, "Acknowledge: " and a notice's title, a routing
rule's id and reason), as the log must; the page translates each part it is made of. The parts are catalogue
messages extracted from the policy files (hub/web/extract.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from hub.web.labels import N_

Gettext = Callable[[str], str]
# The prefixes of a notice's two clocks (hub/deadlines/notice_clocks.py)
NOTICE_CLOCKS = {"Acknowledge: ": N_("Acknowledge: %(notice)s"), "Answer: ": N_("Answer: %(notice)s")}


def deadline_title(gettext: Gettext, title: str | None) -> str:
    if not title:
        return ""
    for prefix, message in NOTICE_CLOCKS.items():
        if title.startswith(prefix):
            return gettext(message) % {"notice": gettext(title.removeprefix(prefix))}
    return gettext(title)


# What an inbox item waits on (hub/inbox/builder.py): a fixed phrase, "reply from CODE", "approval: a, b"
AWAITING = {
    "support provider (NGO or other body)": N_("the support provider (an NGO or another body)"),
    "police / court": N_("the police or the court"),
    "authority in the country of return": N_("the authority in the country of return"),
}
REPLY_FROM = N_("a reply from %(agency)s")
APPROVAL_BY = N_("approval by %(approvers)s")
APPROVERS = {
    "gta": N_("the Guardianship and Tutelage Authority"),
    "cim": N_("the Commission on Minors' Affairs"),
    "care_provider": N_("the care provider"),
    "foreign_authority": N_("the foreign authority"),
}


def awaiting(gettext: Gettext, text: str | None, agency_name: Callable[[str], str]) -> str:
    if not text:
        return ""
    if text in AWAITING:
        return gettext(AWAITING[text])
    if text.startswith("reply from "):
        return gettext(REPLY_FROM) % {"agency": agency_name(text.removeprefix("reply from "))}
    if text.startswith("approval: "):
        approvers = [gettext(APPROVERS.get(a, a)) for a in text.removeprefix("approval: ").split(", ")]
        return gettext(APPROVAL_BY) % {"approvers": ", ".join(approvers)}
    return agency_name(text)  # an escalation's acting body, or a body a notice went to


_PARENTHESIS = re.compile(r"\s*\(([^()]*)\)")
_CITED = re.compile(r"\b[a-z]+(?:-[a-z]+)+-(?:manual|evaluation)\b|docs/decisions/\d+|\b(?:cam|ngo|vse|Annex)\b")
_WORD = re.compile(r"[A-Za-z]{3,}")
_ITEM = re.compile(r"\bitems? ([\d\-–]+(?:, [\d\-–]+)*)")
_ISSUE = re.compile(r"\bissue #?(\d+)")


def citation(rule: str | None) -> str:
    """A rule's citation as numbers every reader reads alike: manuals, sections, ids and lines; the English
    glosses some carry ("8.8 (plan contents)", "(transfer between regions)") are left to the manual itself."""
    if not rule:
        return ""
    text, previous = _ISSUE.sub(r"#\1", _ITEM.sub(r"(\1)", rule)), None
    while text != previous:  # innermost parentheses first
        previous = text
        text = _PARENTHESIS.sub(lambda m: "" if _WORD.search(_CITED.sub("", m[1])) else f" [{m[1]}]", text)
    return text.replace("[", "(").replace("]", ")").strip()


def routing_reason(gettext: Gettext, reason: str | None) -> str:
    """"R-CAM-CSC: a child aged 3 ..." -> the rule's id, then its reason translated."""
    if not reason:
        return ""
    rule, _, words = reason.partition(": ")
    return f"{rule}: {gettext(words)}" if words else gettext(reason)
