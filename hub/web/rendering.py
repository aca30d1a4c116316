"""How a page is rendered: the reader's language, its catalogue, the CSRF token, times in the deployment's zone
(HUB_TIMEZONE, the zone its deadlines are counted in) and the reader's locale, and the names of codes."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

from babel.dates import format_date, format_datetime, format_timedelta
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from hub import clock
from hub.deadlines.clock import ClockStatus
from hub.deadlines.clocks import default_calendar
from hub.web import labels, policy_text
from hub.web.i18n import DEFAULT, LANGUAGES, translations
from hub.web.vocabulary import name_of

COOKIE = "hub_session"
LANG_COOKIE = "hub_lang"


@cache
def _environment(language: str) -> Environment:
    """One environment a language: jinja's i18n extension binds its gettext to the environment."""
    environment = Environment(
        loader=FileSystemLoader(str(resources.files("hub.web").joinpath("templates"))),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
    )
    catalogue = translations(language)
    environment.install_gettext_translations(catalogue, newstyle=True)  # type: ignore[attr-defined]
    environment.globals["labels"] = labels
    environment.filters["named"] = lambda code, table: _named(catalogue.gettext, table, code)
    environment.filters["deadline_title"] = lambda title: policy_text.deadline_title(catalogue.gettext, title)
    environment.filters["routing_reason"] = lambda reason: policy_text.routing_reason(catalogue.gettext, reason)
    environment.filters["citation"] = policy_text.citation
    environment.filters["relative"] = lambda due, status: relative(due, status, language)
    return environment


def _named(gettext: Any, table: str, code: str | None) -> str:
    name = name_of(table, code)
    return gettext(name) if name else ""


def language(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    accepted = request.headers.get("accept-language", "")
    return next((code for code in (part.split(";")[0].strip()[:2] for part in accepted.split(",")) if code in LANGUAGES), DEFAULT)


def translate(request: Request, message: str, **values: Any) -> str:
    """A message of Python code (an error, a notice) in the reader's language."""
    text = translations(language(request)).gettext(message)
    return text % values if values else text


def csrf(session_id: str) -> str:
    return hmac.new(session_id.encode(), b"hub csrf", hashlib.sha256).hexdigest()


def local_time(value: str | datetime | None, lang: str) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return format_datetime(moment, "short", tzinfo=default_calendar().tz, locale=lang)


def local_day(value: str | None, lang: str) -> str:
    """A day (a plan item's "complete by") as the reader's locale writes it."""
    return format_date(date.fromisoformat(value), "medium", locale=lang) if value else ""


def relative(due: str | datetime | None, status: str, lang: str) -> str:
    """How far a clock is from its due time, in words: "in 3 hours", or "2 days overdue"."""
    if not due or status in (ClockStatus.MET, ClockStatus.MET_LATE):
        return ""
    moment = datetime.fromisoformat(due) if isinstance(due, str) else due
    left = moment - clock.now()
    if status == ClockStatus.OVERDUE:
        late = format_timedelta(-left, threshold=1.1, locale=lang)
        return translations(lang).gettext(labels.OVERDUE_BY) % {"time": late}
    return format_timedelta(left, threshold=1.1, add_direction=True, locale=lang)


def agency_name(request: Request, code: str | None) -> str:
    """A body as it was registered (its name is data, in the language it was registered in), not its code."""
    found = request.app.state.hub.directory.find_agency(code) if code else None
    return found.name if found else code or ""


def page(request: Request, template: str, caller: Any, status: int = 200, **context: Any) -> HTMLResponse:
    lang = language(request)
    session_id = request.cookies.get(COOKIE, "")
    html = _environment(lang).get_template(template).render(
        lang=lang, caller=caller, csrf=csrf(session_id) if session_id else "",
        local=lambda value: local_time(value, lang), local_day=lambda value: local_day(value, lang),
        agency_name=lambda code: agency_name(request, code),
        awaiting=lambda text: policy_text.awaiting(translations(lang).gettext, text, lambda c: agency_name(request, c)),
        **context,
    )
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, samesite="strict", httponly=True, path="/ui")
    return response
