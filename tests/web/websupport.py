"""Helpers for the web tests: signing in through the form, finding CSRF tokens."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from casenotes.config import Settings

WEB_PASSWORD = "web-test-password"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')

TRANSCRIPT = (
    b"Jo Practitioner: Hello Alex, thanks for seeing me today.\n"
    b"Alex Client: That's fine. The boiler has been broken since Monday.\n"
    b"Jo Practitioner: I'll ring the housing officer about the boiler by Friday.\n"
)


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    return Settings(data_dir=data_dir, secret_key="test").model_copy(update=overrides)


def csrf_from(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def post_login(
    client: TestClient, username: str, password: str, **extra: str
) -> httpx.Response:
    token = csrf_from(client.get("/login").text)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, **extra},
        follow_redirects=False,
    )


def login(client: TestClient, username: str, password: str = WEB_PASSWORD) -> str:
    """Sign in through the form; returns the session's CSRF token (it changes at sign-in)."""
    response = post_login(client, username, password)
    assert response.status_code == 303, response.text
    me = client.get("/api/me")
    assert me.status_code == 200, me.text
    token: str = me.json()["csrf_token"]
    return token
