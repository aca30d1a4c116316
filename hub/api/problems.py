"""RFC 9457 problem details for every error the API returns."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from hub.api.body_limit import BodyTooLarge
from hub.api.utf8_bodies import NotUtf8
from hub.errors import HubError
from hub.store import UNAVAILABLE, discard_dead_connections

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "urn:referral-hub:problem:"


class FieldError(BaseModel):
    field: str = Field(..., description="dotted path of the offending field, e.g. child.city")
    message: str


class FailedCheck(BaseModel):
    name: str = Field(..., description="database, views or broker")
    detail: str = Field(..., description="what failed, in an operator's words; never a record's value")


class Problem(BaseModel):
    type: str = Field(..., examples=[TYPE_BASE + "illegal-transition"])
    title: str
    status: int
    detail: str
    instance: str | None = None
    field: str | None = Field(None, description="the field the problem is about, where there is one")
    errors: list[FieldError] | None = None
    rule: str | None = Field(None, description="the manual's rule that refused the command")
    state: str | None = None
    command: str | None = None
    limit: int | None = Field(None, description="the largest body accepted, in bytes (413)")
    checks: list[FailedCheck] | None = Field(None, description="the readiness checks that failed (503 of /ready)")


_DESCRIPTIONS = {
    400: "Malformed request: the body is not valid JSON",
    401: "No valid bearer token",
    403: "The caller's role may not run this command, or a rule reserves it to another body",
    404: "No such record, or none the caller may see",
    409: "The record's state does not allow this command, or a concurrent change won",
    413: "The request body is too large",
    415: "The file's content is not of an accepted type, or not the type it was sent as (docs/decisions/0047)",
    410: "The child's personal data was erased (docs/decisions/0015)",
    422: "A field is missing or invalid, or names something unknown",
    503: "The store did not answer (or, for /ready, the checks named in `checks` failed): try again shortly",
    429: "Too many requests from this token or address: send it again after Retry-After seconds (docs/decisions/0022)",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries so that every route documents each error it can return."""
    return {
        status: {
            "model": Problem,
            "description": _DESCRIPTIONS[status],
            "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


def problem(
    request: Request, status: int, slug: str, title: str, detail: str, headers: dict[str, str] | None = None, **ext: Any
) -> JSONResponse:
    body = {"type": TYPE_BASE + slug, "title": title, "status": status, "detail": detail, "instance": request.url.path}
    body.update({k: v for k, v in ext.items() if v is not None})
    # How far the views had come (hub/api/freshness.py): a 404 from views behind a reader's own write says so.
    views = getattr(request.state, "views_headers", None) or {}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers={**views, **(headers or {})})


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


async def _record(request: Request, status: int, slug: str) -> None:
    """Every refusal is recorded (hub/api/refusals.py) as it is answered; on a worker thread, as the
    recording reads and writes the store and the handlers run on the event loop."""
    await run_in_threadpool(request.app.state.refusals.record, request, status, slug)


async def _refused(
    request: Request, status: int, slug: str, title: str, detail: str, headers: dict[str, str] | None = None, **ext: Any
) -> JSONResponse:
    await _record(request, status, slug)
    return problem(request, status, slug, title, detail, headers, **ext)


async def _on_validation(request: Request, error: RequestValidationError) -> JSONResponse:
    errors = error.errors()
    malformed = [e for e in errors if e.get("type") == "json_invalid"]
    if malformed:
        ctx = malformed[0].get("ctx", {})
        return await _malformed(request, ctx.get("error", "parse error"))
    fields = [{"field": _field_path(tuple(e["loc"])), "message": e["msg"]} for e in errors]
    detail = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
    # A check that applies a rule of the manuals names it (hub/birth.py: L58-adult).
    rule = next((e["ctx"]["rule"] for e in errors if "rule" in (e.get("ctx") or {})), None)
    return await _refused(
        request, 422, "validation-error", "Invalid request", detail, field=fields[0]["field"], errors=fields, rule=rule
    )


async def _malformed(request: Request, reason: str) -> JSONResponse:
    return await _refused(request, 400, "malformed-json", "Malformed JSON", f"the request body is not valid JSON: {reason}")


async def _on_hub_error(request: Request, error: HubError) -> Response:
    await _record(request, error.status, error.problem_type)
    if request.url.path.startswith("/ui/"):
        from hub.web.pages import on_error  # the managers' pages answer errors with a page

        return await on_error(request, error)
    return problem(
        request, error.status, error.problem_type, error.title, error.detail, headers=error.headers, **error.extensions
    )


async def _on_body_too_large(request: Request, error: BodyTooLarge) -> JSONResponse:
    return await _refused(request, 413, "body-too-large", "Request body too large", str(error.detail), limit=error.limit)


async def too_many_requests(request: Request, retry_after: int, detail: str) -> JSONResponse:
    return await _refused(
        request, 429, "rate-limited", "Too many requests", detail, headers={"Retry-After": str(retry_after)}
    )


async def _on_not_utf8(request: Request, error: NotUtf8) -> JSONResponse:
    return await _malformed(request, "it is not UTF-8")


async def _on_http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    if error.status_code == 400 and isinstance(error.__cause__, RecursionError):
        # FastAPI answers a body json.loads gave up on with a bare 400, chaining the cause.
        return await _malformed(request, "it is nested too deeply")
    if error.status_code == 400 and isinstance(error.__cause__, ClientDisconnect):
        # The client left, or was cut off for sending too slowly (hub/api/request_deadlines.py): no one hears
        # this answer, but the request is recorded like any other refused.
        detail = "the connection closed before the whole body arrived"
        return await _refused(request, 400, "body-incomplete", "Request body incomplete", detail)
    return await _refused(request, error.status_code, f"http-{error.status_code}", str(error.detail), str(error.detail))


async def _on_store_unavailable(request: Request, error: Exception) -> JSONResponse:
    # The database is away or ended the hub's sessions: say so, and replace the dead connections now so
    # that the client's next attempt does not meet them.
    await run_in_threadpool(discard_dead_connections, request.app.state.hub.store.recorder.datastore)
    return problem(
        request, 503, "store-unavailable", "Store unavailable",
        "the store did not answer: send the request again in a moment (with the same Idempotency-Key, a "
        "referral is never recorded twice)", headers={"Retry-After": "1"},
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(HubError, _on_hub_error)  # type: ignore[arg-type]
    app.add_exception_handler(BodyTooLarge, _on_body_too_large)  # type: ignore[arg-type]
    app.add_exception_handler(NotUtf8, _on_not_utf8)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _on_http_error)  # type: ignore[arg-type]
    for unavailable in UNAVAILABLE:
        app.add_exception_handler(unavailable, _on_store_unavailable)
