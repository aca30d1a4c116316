"""The OpenAPI document describes every error each operation can return."""

from __future__ import annotations

from hub.api.app import create_app
from hub.bootstrap import Hub, bootstrap

PROBLEM = "#/components/schemas/Problem"
OPERATIONS = ("/health", "/ready", "/metrics")  # ungated: for load balancers and Prometheus (0032)


def test_every_operation_documents_its_errors_as_problem_json(tmp_path) -> None:
    spec = create_app(bootstrap({"HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}"})).openapi()
    operations = [
        (path, method, op) for path, item in spec["paths"].items() for method, op in item.items() if path not in OPERATIONS
    ]
    assert len(operations) > 30
    for path, method, op in operations:
        errors = {code: r for code, r in op["responses"].items() if code.startswith(("4", "5"))}
        assert {"401", "403"} <= set(errors), f"{method} {path} does not document 401/403"
        assert "429" in errors, f"{method} {path} does not document the rate limit (429)"
        if op.get("requestBody") or op.get("parameters"):
            assert "422" in errors, f"{method} {path} does not document 422"
        if op.get("requestBody"):
            assert {"400", "413"} <= set(errors), f"{method} {path} does not document a malformed or oversized body"
        for code, response in errors.items():
            schema = response["content"]["application/problem+json"]["schema"]
            assert schema == {"$ref": PROBLEM}, f"{method} {path} {code} is not problem+json"
    assert {"type", "title", "status", "detail"} <= set(spec["components"]["schemas"]["Problem"]["properties"])
    assert "429" in spec["paths"]["/health"]["get"]["responses"]  # no route escapes the rate limits
    assert "503" in spec["paths"]["/ready"]["get"]["responses"]  # not ready: which check failed
    assert "404" in spec["paths"]["/metrics"]["get"]["responses"]  # without the scraper's token
