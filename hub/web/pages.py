"""The pages, in a browser, with plain forms and no script needed: every page reads through the same services
as the API, so it shows only what the caller's view holds, and every read is recorded."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from hub.errors import GuardViolation, HubError, NotFound
from hub.web import (
    case_file_page,
    case_page,
    inbox_page,
    labels,
    notice_page,
    portal_page,
    referral_page,
    search_page,
    sign_in,
)
from hub.web.rendering import COOKIE, page, translate

router = APIRouter()
for part in (sign_in, inbox_page, referral_page, case_page, case_file_page, notice_page, portal_page, search_page):
    router.include_router(part.router)

__all__ = ["COOKIE", "on_error", "router"]


async def on_error(request: Request, error: HubError) -> HTMLResponse:
    """Errors on the pages are pages too, in the reader's language; a refusal looks like absence."""
    caller = None
    status = 404 if isinstance(error, NotFound) else error.status
    message = translate(request, labels.REFUSED.get(status, labels.NOT_ACCEPTED))
    if isinstance(error, GuardViolation):
        message += " " + translate(request, labels.BY_RULE, rule=error.rule)
    return page(request, "base.html", caller, status=status, error=message, offer_back=True)
