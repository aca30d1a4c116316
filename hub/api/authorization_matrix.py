"""The authorization matrix: every route of the API against every kind of body and role the hub knows.

Who may call a route is read from the gates it depends on (hub/api/auth.py:
commands.yaml's permission for the route's command, and any further rule such
as an adapter's senders), so the matrix is generated, never kept by hand. A
route without a gate must be on ``UNGATED`` with the reason; any other route is
unclassified, and tests/test_authorization_matrix.py fails on it.
``python -m hub.api.authorization_matrix`` prints docs/authorization-matrix.md.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts

from hub.aggregates.vocabulary import BodyKind
from hub.api.auth import Gate
from hub.permissions import roles_of
from hub.privacy.policy_file import LoadedPolicy, PolicyFile, packaged_policy_text

_DOCS = "the API's own description: public, and it says nothing about any record"
_PAGES = "a manager's page (hub/web/): only in a live session; the page checks the role against commands.yaml"
UNGATED: dict[tuple[str, str], str] = {
    ("GET", "/health"): "liveness for load balancers: it names the kind of store and nothing else",
    ("GET", "/ready"): "readiness for load balancers: which of the database, the views' lag and the broker "
                       "failed, and no record's value (docs/decisions/0032)",
    ("GET", "/metrics"): "Prometheus: only for the bearer of HUB_METRICS_TOKEN (a secret of the deployment, not "
                         "an agency's token); without one set, answered as a route that does not exist (0032)",
    ("GET", "/openapi.json"): _DOCS,
    ("GET", "/docs"): _DOCS,
    ("GET", "/redoc"): _DOCS,
    ("*", "/docs/assets"): "the documentation pages' scripts and styles (hub/api/docs.py)",
    ("*", "/ui/static"): "the pages' stylesheet, and the documentation pages' start-up scripts",
    ("GET", "/ui"): "redirects to the inbox page",
    ("GET", "/ui/login"): "the sign-in form",
    ("POST", "/ui/login"): "signing in: it checks the token given and starts a session (docs/decisions/0027)",
    ("POST", "/ui/login/link"): "asking for a sign-in link: the same answer for any address, limited per address (0048)",
    ("GET", "/ui/login/link"): "the page of an emailed sign-in link: a button, which signs nobody in by itself (0048)",
    ("POST", "/ui/login/link/use"): "signing in with a one-time link: good once, for minutes (docs/decisions/0048)",
    ("POST", "/ui/login/code"): "signing in with a one-time code: good once, for minutes, five wrong tries (0048)",
    ("POST", "/ui/logout"): _PAGES,
    ("GET", "/ui/inbox"): _PAGES,
    ("GET", "/ui/referrals/{referral_id}"): _PAGES,
    ("POST", "/ui/referrals/{referral_id}/{action}"): _PAGES,
    ("POST", "/ui/referrals/{referral_id}/act/{action}"): _PAGES,
    ("GET", "/ui/cases/{case_id}"): _PAGES,
    ("POST", "/ui/cases/{case_id}/intake/{action}"): _PAGES,
    ("POST", "/ui/cases/{case_id}/social-worker"): _PAGES,
    ("POST", "/ui/cases/{case_id}/act/{action}"): _PAGES,
    ("POST", "/ui/cases/{case_id}/notes"): _PAGES,
    ("POST", "/ui/cases/{case_id}/files"): _PAGES,
    ("GET", "/ui/files/{attachment_id}"): _PAGES,
    ("POST", "/ui/referrals/{referral_id}/same-child/{child_id}"): _PAGES,
    ("GET", "/ui/notices/{notice_id}"): _PAGES,
    ("POST", "/ui/notices/{notice_id}/act/{action}"): _PAGES,
    ("GET", "/ui/portal"): _PAGES,
    ("GET", "/ui/portal/referral"): _PAGES,
    ("POST", "/ui/portal/referral"): _PAGES,
    ("GET", "/ui/search"): _PAGES,
}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    gates: tuple[Gate, ...]

    def allows(self, kind: BodyKind, role: str, policy: PolicyFile) -> bool:
        return all(gate.allows(kind, role, policy) for gate in self.gates)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class Routes:
    gated: list[Endpoint]
    ungated: list[tuple[str, str]]
    unclassified: list[tuple[str, str]]


def principals() -> list[tuple[BodyKind, str]]:
    """Every kind of body and role a token can be issued for (commands.yaml's ``roles``)."""
    return [(kind, role) for kind in BodyKind for role in roles_of(kind)]


def packaged_policy() -> PolicyFile:
    return LoadedPolicy(packaged_policy_text()).file


def routes(app: FastAPI) -> Routes:
    gated: list[Endpoint] = []
    ungated: list[tuple[str, str]] = []
    unclassified: list[tuple[str, str]] = []
    for route in iter_route_contexts(app.routes):
        dependant: Dependant | None = getattr(route, "dependant", None)
        gates = tuple(_gates(dependant)) if dependant is not None else ()
        path = str(route.path)
        for method in sorted(route.methods - {"HEAD"} if route.methods else {"*"}):
            if gates:
                gated.append(Endpoint(method, path, gates))
            elif (method, path) in UNGATED:
                ungated.append((method, path))
            else:
                unclassified.append((method, path))
    return Routes(gated, ungated, unclassified)


def _gates(dependant: Dependant) -> list[Gate]:
    found = []
    for sub in dependant.dependencies:
        if isinstance(sub.call, Gate):
            found.append(sub.call)
        found += _gates(sub)
    return found


def _cell(endpoint: Endpoint, kind: BodyKind, policy: PolicyFile) -> str:
    roles = roles_of(kind)
    allowed = [role for role in roles if endpoint.allows(kind, role, policy)]
    if not allowed:
        return ""
    return "all" if allowed == roles else ", ".join(allowed)


def render(app: FastAPI, policy: PolicyFile) -> str:
    found = routes(app)
    kinds = [kind for kind in BodyKind if roles_of(kind)]
    lines = [
        "# Authorization matrix",
        "",
        "Generated from the API's routes and the gates they depend on (`hub/policy/commands.yaml`, an adapter's",
        "senders, `hub/policy/privacy.yaml`'s `aggregates`) by `python -m hub.api.authorization_matrix`;",
        "do not edit by hand. `tests/test_authorization_matrix.py` calls every route with a token of every",
        "kind of body and role below and checks this table.",
        "",
        "A cell names the roles of that kind of body that may call the route (`all`: every role); an empty",
        "cell is refused with 403 problem+json, and a request without a valid token with 401. Passing the",
        "gate is not yet seeing a record: a read then shows only what `hub/policy/privacy.yaml` lets that body",
        "see, and a record it may not see answers 404, exactly as one that does not exist",
        "(docs/decisions/0009); a command on a record another body manages is refused the same way.",
        "",
        "| route | gates | " + " | ".join(str(kind) for kind in kinds) + " |",
        "|---|---|" + "---|" * len(kinds),
    ]
    for endpoint in found.gated:
        gates = "; ".join(gate.describe() for gate in endpoint.gates)
        cells = " | ".join(_cell(endpoint, kind, policy) for kind in kinds)
        lines.append(f"| `{endpoint}` | {gates} | {cells} |")
    lines += ["", "## Routes without a gate", "", "| route | why |", "|---|---|"]
    lines += [f"| `{method} {path}` | {UNGATED[(method, path)]} |" for method, path in found.ungated]
    if found.unclassified:
        lines += ["", "## Unclassified (refused by the tests)", ""]
        lines += [f"- `{method} {path}`" for method, path in found.unclassified]
    return "\n".join(lines) + "\n"


def main() -> None:
    from hub.api.app import create_app
    from hub.bootstrap import bootstrap

    hub = bootstrap({"HUB_DATABASE_URL": "sqlite:///:memory:"})  # the routes need an app, not its data
    sys.stdout.write(render(create_app(hub), packaged_policy()))
    hub.close()


if __name__ == "__main__":
    main()
