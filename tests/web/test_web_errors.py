"""Errors are pages (or JSON under /api) that say what to do; no stack traces, no personal data
in logs; security headers on every response."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from websupport import WEB_PASSWORD, login, make_settings

from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import accounts, cases
from casenotes.services.context import build_context
from casenotes.services.views import UserView
from casenotes.web.app import create_app

SECRET_DETAIL = "Alex Client lives at 12 Private Road"  # stands in for personal data


def add_failing_routes(app: FastAPI) -> None:
    def boom() -> None:
        raise RuntimeError(SECRET_DETAIL)

    app.add_api_route("/boom", boom)
    app.add_api_route("/api/boom", boom)


def no_trace(text: str) -> None:
    assert "Traceback" not in text
    assert "RuntimeError" not in text
    assert 'File "' not in text
    assert SECRET_DETAIL not in text


def test_when_a_route_fails_unexpectedly_then_a_plain_apology_and_no_trace(
    app: FastAPI, client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    add_failing_routes(app)
    with caplog.at_level(logging.DEBUG):
        page = client.get("/boom")
        api = client.get("/api/boom")
    assert page.status_code == 500
    assert "Something went wrong on our side, sorry." in page.text
    no_trace(page.text)
    assert api.status_code == 500
    assert set(api.json()) == {"error", "hint"}
    no_trace(api.text)
    logged = "\n".join(r.getMessage() + str(r.exc_info or "") for r in caplog.records)
    assert "Unhandled RuntimeError on GET /boom" in logged
    assert SECRET_DETAIL not in logged


def test_when_a_page_does_not_exist_then_404_page_without_trace(client: TestClient) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert "There is nothing at this address." in page.text
    no_trace(page.text)
    api = client.get("/api/no-such-thing")
    assert api.status_code == 404
    assert api.json()["error"] == "There is nothing at this address."


def test_when_a_service_refuses_then_the_page_shows_message_and_hint(
    client: TestClient, casey: UserView
) -> None:
    login(client, casey.username)
    page = client.get("/cases/424242")
    assert page.status_code == 404
    assert "There is no case 424242 that you can open." in page.text
    assert "ask your team manager" in page.text
    assert 'role="alert"' in page.text
    no_trace(page.text)


def test_when_an_htmx_request_fails_then_a_fragment_goes_to_the_message_area(
    client: TestClient, casey: UserView
) -> None:
    login(client, casey.username)
    response = client.get("/cases/424242", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert response.headers["HX-Retarget"] == "#messages"
    assert "<html" not in response.text
    assert "There is no case 424242" in response.text


def test_when_api_input_is_invalid_then_422_names_the_field_without_echoing_it(
    client: TestClient, casey: UserView
) -> None:
    token = login(client, casey.username)
    response = client.post("/api/recordings/1/consents", headers={"X-CSRF-Token": token},
                           json={"party": SECRET_DETAIL, "decision": "maybe"})
    assert response.status_code == 422
    body = response.json()
    assert "decision" in body["error"]
    assert SECRET_DETAIL not in response.text


def test_when_any_response_is_sent_then_it_carries_the_security_headers(
    client: TestClient, casey: UserView, case_id: int
) -> None:
    login(client, casey.username)
    for path in ("/login", f"/cases/{case_id}", "/api/cases", "/no-such-page"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["cache-control"] == "no-store"
    static = client.get("/static/app.css")
    assert static.status_code == 200
    assert static.headers["x-frame-options"] == "DENY"
    assert "no-store" not in static.headers.get("cache-control", "")


def test_when_an_upload_is_larger_than_the_limit_then_413_before_parsing(
    app: FastAPI, client: TestClient, casey: UserView, case_id: int
) -> None:
    token = login(client, casey.username)
    limit = app.state.ctx.settings.max_upload_bytes
    response = client.post(
        f"/api/cases/{case_id}/transcripts", headers={"X-CSRF-Token": token},
        files={"file": ("big.txt", b"A: " + b"x" * (limit + 128 * 1024), "text/plain")},
    )
    assert response.status_code == 413
    assert response.json()["error"] == "The upload is too large."


def test_when_a_streamed_upload_passes_the_limit_then_413_not_a_parse_error(
    tmp_path: Path, pii_detector: PiiDetector
) -> None:
    ctx = build_context(make_settings(tmp_path / "data", max_upload_bytes=1000),
                        pii_detector=pii_detector)
    try:
        user = accounts.add_user(ctx, username="casey", password=WEB_PASSWORD,
                                 role="practitioner")
        case_id = cases.create_case(ctx, user, reference="R-1", title="Small limits",
                                    team=None, people=[])
        with TestClient(create_app(ctx=ctx)) as client:
            token = login(client, "casey")

            def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
                for _ in range(200):
                    yield b"x" * 1024

            streamed = client.post(
                f"/api/cases/{case_id}/transcripts", content=chunks(),
                headers={"X-CSRF-Token": token,
                         "content-type": "multipart/form-data; boundary=b"},
            )
            assert streamed.status_code == 413
            assert streamed.json()["hint"] == "Files up to 1000 bytes can be imported."
            # Under the framing allowance but over the file limit: refused by the route.
            page = client.post(f"/cases/{case_id}/transcripts", data={"csrf_token": token},
                               files={"file": ("v.txt", b"A: " + b"x" * 2000, "text/plain")})
            assert page.status_code == 413
            assert "The file is too large to import." in page.text
    finally:
        ctx.close()
