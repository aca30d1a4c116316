"""Apps made in one process share their routing table (hub/api/app.py), never their hub: each answers from
its own store, with its own limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hub.api.app import create_app
from hub.bootstrap import Hub, bootstrap
from tests.api_support import assert_problem, bearer
from tests.builders import INSPECTOR, referral_content, register_agencies
from tests.conftest import TEST_MASTER_KEY

BODY = referral_content().model_dump(mode="json")


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_second_app_answers_from_its_own_hub_only(app: Hub, tmp_path: Path) -> None:
    other = bootstrap({"HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite'}", "HUB_MASTER_KEY": TEST_MASTER_KEY,
                       "HUB_MAX_BODY_BYTES": "64"})
    register_agencies(other)
    try:
        with TestClient(create_app(app)) as first, TestClient(create_app(other)) as second:
            made = first.post("/v1/referrals", json=BODY, headers=bearer(app, INSPECTOR))
            assert made.status_code == 201, made.text
            path = f"/v1/referrals/{made.json()['id']}"
            assert first.get(path, headers=bearer(app, INSPECTOR)).status_code == 200
            assert_problem(second.get(path, headers=bearer(other, INSPECTOR)), 404, "not-found")
            # the second app's own, smaller, body limit; the first app's is untouched
            assert_problem(second.post("/v1/referrals", json=BODY, headers=bearer(other, INSPECTOR)), 413, "body-too-large")
            assert first.post("/v1/referrals", json=BODY, headers=bearer(app, INSPECTOR)).status_code == 201
    finally:
        other.close()
