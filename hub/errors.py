"""Domain errors. Each names what was asked and why it cannot be done."""

from __future__ import annotations

from collections.abc import Mapping


class HubError(Exception):
    """Base of every error the hub reports to a caller."""

    problem_type = "about:blank"
    title = "Hub error"
    status = 400

    def __init__(self, detail: str, **extensions: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.template = detail  # the catalogue message a page translates (hub/web/refusals.py)
        self.values: dict[str, object] = {}
        self.extensions = extensions

    def _fill(self, values: Mapping[str, object] | None) -> None:
        """A message naming something of the moment is a template with ``%(name)s`` placeholders: the API's
        ``detail`` is the English with the values filled in, a page translates the template first."""
        if values:
            self.values = dict(values)
            self.detail = self.template % self.values
            self.args = (self.detail,)

    @property
    def headers(self) -> dict[str, str] | None:
        """Headers the answer must carry besides the problem."""
        return None


class IllegalTransition(HubError):
    """A command that the current state of an aggregate does not allow."""

    problem_type = "illegal-transition"
    title = "Illegal transition"
    status = 409

    def __init__(self, aggregate: str, state: str, command: str) -> None:
        super().__init__(
            f"{aggregate} in state {state} cannot {command}",
            aggregate=aggregate,
            state=state,
            command=command,
        )
        self.state = state
        self.command = command


class GuardViolation(HubError):
    """A command allowed in this state but refused by a rule of the manuals."""

    problem_type = "rule-violation"
    title = "Rule violation"

    def __init__(self, rule: str, detail: str, field: str | None = None, status: int = 422,
                 values: Mapping[str, object] | None = None) -> None:
        extensions: dict[str, object] = {"rule": rule}
        if field is not None:
            extensions["field"] = field
        super().__init__(detail, **extensions)
        self._fill(values)
        self.rule = rule
        self.field = field
        self.status = status


class InvalidInput(HubError):
    """Input that is well-formed but names something the hub does not know."""

    problem_type = "invalid-input"
    title = "Invalid input"
    status = 422

    def __init__(self, field: str, detail: str, problem_type: str = "invalid-input",
                 values: Mapping[str, object] | None = None) -> None:
        super().__init__(detail, field=field)
        self._fill(values)
        self.field = field
        self.problem_type = problem_type


class NotFound(HubError):
    problem_type = "not-found"
    title = "Not found"
    status = 404


class Forbidden(HubError):
    problem_type = "forbidden"
    title = "Forbidden"
    status = 403


class Conflict(HubError):
    problem_type = "conflict"
    title = "Conflict"
    status = 409

    def __init__(self, detail: str, values: Mapping[str, object] | None = None) -> None:
        super().__init__(detail)
        self._fill(values)


class Unauthenticated(HubError):
    problem_type = "unauthenticated"
    title = "Unauthenticated"
    status = 401

    @property
    def headers(self) -> dict[str, str] | None:
        return {"WWW-Authenticate": "Bearer"}


class TooMany(HubError):
    """A limit of the policy's (not the API's rate limits, which answer before any route): try again later."""

    problem_type = "too-many"
    title = "Too many"
    status = 429

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail, retry_after=retry_after)
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str] | None:
        return {"Retry-After": str(self.retry_after)}
