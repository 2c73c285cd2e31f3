"""The API is described by its OpenAPI schema; its docs load nothing from elsewhere."""

from __future__ import annotations

import re
from importlib.resources import files

from fastapi.testclient import TestClient

API_PATHS = {
    "/api/cases": {"get"},
    "/api/cases/{case_id}": {"get"},
    "/api/cases/{case_id}/transcripts": {"post"},
    "/api/recordings/{recording_id}/consents": {"post"},
    "/api/recordings/{recording_id}/process": {"post"},
    "/api/recordings/{recording_id}/review": {"get"},
    "/api/recordings/{recording_id}/sentences/{sentence_id}": {"patch"},
    "/api/flags/{flag_id}/resolve": {"post"},
    "/api/flags/{flag_id}/dismiss": {"post"},
    "/api/recordings/{recording_id}/sections/{name}": {"put"},
    "/api/recordings/{recording_id}/sign-off": {"post"},
    "/api/notes/{note_id}": {"get"},
}


def test_when_the_schema_is_fetched_then_it_lists_every_api_path_and_no_pages(
    client: TestClient,
) -> None:
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    for path, methods in API_PATHS.items():
        assert path in paths, path
        assert methods <= set(paths[path]), path
    assert all(p.startswith("/api/") for p in paths)
    review = paths["/api/recordings/{recording_id}/review"]["get"]
    assert review["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ReviewOut"
    }
    assert "ErrorOut" in schema["components"]["schemas"]


def test_when_the_docs_are_opened_then_they_load_nothing_from_elsewhere(
    client: TestClient,
) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert "/api/recordings/{recording_id}/sign-off" in page.text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources
    assert all(s.startswith(("/", "#")) for s in sources), sources
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


def test_when_htmx_is_served_then_it_is_the_vendored_copy_with_its_licence(
    client: TestClient,
) -> None:
    static = files("casenotes.web") / "static"
    script = client.get("/static/htmx.min.js")
    assert script.status_code == 200
    assert script.text.startswith("/*! htmx.org 2.")
    assert script.text == static.joinpath("htmx.min.js").read_text(encoding="utf-8")
    licence = static.joinpath("htmx.LICENSE").read_text(encoding="utf-8")
    assert "Zero-Clause BSD" in licence
    assert client.get("/static/review.js").status_code == 200
