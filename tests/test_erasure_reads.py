"""Every read of the API and of the pages answers an erased child's records with a defined shape, never a 500.

The shape (docs/decisions/0015): a record that was visible stays visible as its residue, with every
personal field - whatever its type, a list, a date, an object - the string "[erased]", which every
response model accepts; history that can no longer be rebuilt (a replay as of a moment) is a 410
problem; anything else is the documented problem the caller would get for any record. Each route is
asked by several bodies, so refusals are walked too.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import quote
from uuid import UUID

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hub import clock
from hub.aggregates.erasure import ERASED_VALUE
from hub.api.app import create_app
from hub.api.authorization_matrix import routes
from hub.bootstrap import Hub
from hub.privacy.paths import get_path, present
from hub.privacy.policy_file import LoadedPolicy, packaged_policy_text
from hub.web.pages import COOKIE
from tests.builders import ADMIN, AUDITOR, DOCTOR, GTA_OFFICER, INSPECTOR, MANAGER
from tests.erasure_story import ErasedStory, erased_story, found

DOCUMENTS = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}  # the API's description of itself
ASKING = (MANAGER, INSPECTOR, GTA_OFFICER, DOCTOR, AUDITOR)
POLICY = LoadedPolicy(packaged_policy_text()).file

Records = Callable[[str, Any], list[tuple[str, dict[str, Any]]]]  # (url, body) -> [(record type, record)]


def _one(record_type: str) -> Records:
    return lambda url, body: [(record_type, body)]


def _listed(url: str, body: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(r["record_type"], r["record"]) for r in body]


def _typed(url: str, body: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(url.split("/")[3], body)]


# Every GET route: the query it is asked with about the erased child, and where its answer holds records.
ROUTES: dict[str, tuple[Callable[[ErasedStory], str], Records | None]] = {
    "/health": (lambda s: "", None),
    "/ready": (lambda s: "", None),
    "/metrics": (lambda s: "", None),  # 404 without the metrics token: nothing of any child in any case
    "/v1/referrals/{referral_id}": (lambda s: "", _one("referral")),
    "/v1/referrals/{referral_id}/duplicates": (lambda s: "", None),
    "/v1/cases/{case_id}": (lambda s: "", _one("case")),
    "/v1/cases/{case_id}/timeline": (lambda s: "", None),
    "/v1/children/{child_id}": (lambda s: "", _one("child")),
    "/v1/children/{child_id}/records": (lambda s: "", _listed),
    "/v1/children/{child_id}/access-log": (lambda s: "", None),
    "/v1/children/{child_id}/family": (lambda s: "", None),
    "/v1/children/{child_id}/involvements": (lambda s: "", None),
    "/v1/children/{child_id}/consents": (lambda s: f"?purpose={s.consent[0]}&recipient={s.consent[1]}", _one("consent")),
    "/v1/records/{record_type}/{record_id}": (lambda s: "", _typed),
    "/v1/break-glass/{opening_id}/record": (lambda s: "", _one("case")),
    "/v1/inbox": (lambda s: "?queue=all", None),
    "/v1/statistics": (lambda s: "", None),
    "/v1/statistics/indicators": (lambda s: f"?from={_moment(-1)}&to={_moment(1)}", None),
    "/v1/agencies": (lambda s: "", None),
    "/v1/agencies/{code}/keys": (lambda s: "", None),
    "/v1/agencies/{code}/institution": (lambda s: "", None),  # places and openings: nothing of any child
    # A monitoring visit is an institution's record, sealed under a key of its own: no child's erasure reaches it.
    "/v1/visits": (lambda s: "", None),
    "/v1/visits/{visit_id}": (lambda s: "", None),
    "/v1/tokens": (lambda s: "", None),
    "/v1/notices/{notice_id}": (lambda s: "", _one("notice")),
    "/v1/allegations/{allegation_id}": (lambda s: "", _one("allegation")),
    "/v1/allegations/{allegation_id}/receipt": (lambda s: "", None),
    "/v1/children/{child_id}/attachments": (lambda s: "", _listed),
    "/v1/referrals/{referral_id}/attachments": (lambda s: "", _listed),
    "/v1/cases/{case_id}/attachments": (lambda s: "", _listed),
    "/v1/attachments/{attachment_id}/content": (lambda s: "", None),  # 410: the bytes went with the key
    "/v1/survivor-reports/{report_id}": (lambda s: "", _one("survivor_report")),
    "/v1/places": (lambda s: "", None),
    "/v1/staff-file": (lambda s: "", None),  # the employer's own staff outcomes: nothing of any child (0044)
    "/v1/places/{code}": (lambda s: "", None),
    "/v1/teams/{supervisor}": (lambda s: "", None),  # staff, no child (decision 0042)
    "/v1/audit/access-report": (lambda s: f"?child_id={s.child_id}", None),
    "/v1/audit/replay/{record_type}/{record_id}": (lambda s: f"?as_of={_moment(0)}", None),
    "/ui": (lambda s: "", None),
    "/ui/login": (lambda s: "", None),
    "/ui/login/link": (lambda s: "", None),  # the sign-in link's landing page: no record in it
    "/ui/inbox": (lambda s: "", None),
    "/ui/referrals/{referral_id}": (lambda s: "", None),
    "/ui/cases/{case_id}": (lambda s: "", None),
    "/ui/files/{attachment_id}": (lambda s: "", None),  # as the API's content: the bytes went with the key
    "/ui/notices/{notice_id}": (lambda s: "", None),
    "/ui/portal": (lambda s: "", None),
    "/ui/portal/referral": (lambda s: "", None),
    "/ui/search": (lambda s: "?q=Aziz", None),
}


def shown_to_the_centre(story: ErasedStory) -> list[str]:
    """What the centre that managed the child is still shown: the residue, not a refusal."""
    referral, case, child = story.referral_ids["accepted"], story.case_id, story.child_id
    return [
        f"/v1/referrals/{referral}", f"/v1/cases/{case}", f"/v1/cases/{case}/timeline", f"/v1/children/{child}",
        f"/v1/children/{child}/records", f"/v1/children/{child}/access-log", f"/v1/records/case/{case}",
        f"/ui/referrals/{referral}", f"/ui/cases/{case}",
    ]


def _moment(days: int) -> str:
    return quote((clock.now() + timedelta(days=days)).isoformat())


def get_routes(app: FastAPI) -> set[str]:
    """The paths of the API's and the pages' GET routes (not the OpenAPI documents)."""
    found = routes(app)
    return {e.path for e in found.gated if e.method == "GET"} | {
        path for method, path in found.ungated if method == "GET" and path not in DOCUMENTS
    }


def urls(path: str, story: ErasedStory, records: list[tuple[str, str]]) -> list[str]:
    """The route's path with every combination of the story's ids in its parameters."""
    ids = {
        "referral_id": list(story.referral_ids.values()),
        "case_id": [story.case_id],
        "child_id": [story.child_id, story.school_child_id],
        "opening_id": [story.opening_id],
        "code": ["cam-almaty"],
        "supervisor": ["g.mukanova"],
        "notice_id": [i for t, i in records if t == "notice"],
        "allegation_id": [i for t, i in records if t == "allegation"],
        "attachment_id": [i for t, i in records if t == "attachment"],
        "visit_id": [str(UUID(int=1))],  # the story has no visit: asked about one that does not exist
        "report_id": [i for t, i in records if t == "survivor_report"],
    }
    names = re.findall(r"{(\w+)}", path)
    if names == ["record_type", "record_id"]:
        return [path.format(record_type=t, record_id=i) for t, i in records]
    return [path.format(**dict(zip(names, values, strict=True))) for values in itertools.product(*(ids[n] for n in names))]


@pytest.fixture
def story(app: Hub) -> ErasedStory:
    return erased_story(app)


def test_every_read_route_answers_an_erased_childs_records_with_a_defined_shape(app: Hub, story: ErasedStory) -> None:
    http_app = create_app(app)
    assert get_routes(http_app) == set(ROUTES), "a read route was added or removed: say what it is asked after an erasure"
    records = sorted({(r.record_type, r.record_id) for c in (story.child_id, story.school_child_id)
                      for r in app.views.store.rows_of_child(c)})
    assert records, "the erased children keep their residue"
    tokens = {actor: app.tokens.issue_token(ADMIN, actor, None) for actor in ASKING}
    spec = http_app.openapi()["paths"]
    erased_fields = 0
    answered: dict[tuple[str, Any], int] = {}
    with TestClient(http_app, raise_server_exceptions=False) as http:
        sessions = {actor: _session(http, tokens[actor]) for actor in ASKING}
        for path, (query, records_of) in ROUTES.items():
            for url, actor in itertools.product(urls(path, story, records), ASKING):
                http.cookies.set(COOKIE, sessions[actor], path="/ui")
                response = http.get(url + query(story), headers={"Authorization": f"Bearer {tokens[actor]}"},
                                    follow_redirects=False)
                asked = f"{actor.agency} GET {url}: {response.status_code} {response.text[:300]}"
                assert response.status_code < 500, asked
                answered[url, actor] = response.status_code
                assert found(response.text) == [], asked
                if path.startswith("/ui"):
                    continue
                if response.status_code >= 400:
                    assert response.headers["content-type"].startswith("application/problem+json"), asked
                    assert str(response.status_code) in spec[path]["get"]["responses"], f"undocumented: {asked}"
                elif records_of is not None:
                    for record_type, record in records_of(url, response.json()):
                        erased_fields += _erased_leaves(record_type, record, asked)
        manager = {"Authorization": f"Bearer {tokens[MANAGER]}"}
        child = http.get(f"/v1/children/{story.child_id}", headers=manager).json()
        timeline = http.get(f"/v1/cases/{story.case_id}/timeline", headers=manager).json()
    shown = shown_to_the_centre(story)
    assert {url: answered[url, MANAGER] for url in shown} == dict.fromkeys(shown, 200)
    assert erased_fields, "the walk must meet erased fields, or it proved nothing"
    assert child["aliases"] == ERASED_VALUE  # a list typed field
    assigned = next(e["details"] for e in timeline if e["event"] == "SocialWorkerAssigned")  # the event, as it reads
    assert (assigned["to_state"], assigned["social_worker"]) == ("initial_assessment", ERASED_VALUE)


def _session(http: TestClient, token: str) -> str:
    """The pages' session of the token's holder, as signing in makes it."""
    http.cookies.clear()
    http.post("/ui/login", data={"token": token}, follow_redirects=False)
    return http.cookies[COOKIE]


def _erased_leaves(record_type: str, record: dict[str, Any], asked: str) -> int:
    """Every personal field the record shows is the marker; how many it shows."""
    shown = 0
    for path in POLICY.personal_fields(record_type):  # type: ignore[arg-type]
        value = get_path(record, path)
        if present(value) and value is not None:
            assert value == ERASED_VALUE, f"{record_type}.{path} = {value!r}: {asked}"
            shown += 1
    return shown
