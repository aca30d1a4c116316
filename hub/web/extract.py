"""A Babel extractor for the policy files: the words of deadlines.yaml, notices.yaml and routing.yaml that
a reader sees (deadline titles, notice titles, routing reasons) become catalogue messages.

babel.cfg names it (``[hub.web.extract:policy: policy/*.yaml]``), so ``scripts/i18n extract`` finds a
changed title as it finds a changed template, and the completeness test asks for its translation.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from hub.yaml_data import load_yaml

Extracted = tuple[int, str, str, list[str]]


def policy(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any) -> Iterator[Extracted]:
    document = load_yaml(fileobj.read().decode("utf-8")) or {}
    for message in shown_messages(document):
        yield 0, "_", message, []


def shown_messages(document: dict[str, Any]) -> list[str]:
    """The messages of one policy file, found by what the file holds: deadlines, notices or routing rules."""
    titles = [d["title"] for d in document.get("deadlines", [])]
    titles += [n["title"] for n in document.get("notices", []) if n.get("form") == "notice"]
    rules = document.get("rules", []) if isinstance(document.get("rules"), list) else []
    reasons = [r["reason"] for r in rules if "reason" in r]
    reasons += [document[key]["reason"] for key in ("named", "accused_body") if "reason" in document.get(key, {})]
    return titles + reasons
