"""Signing in and out, session cookies, and login rate limiting."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from websupport import WEB_PASSWORD, csrf_from, login, make_settings, post_login

from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services.context import build_context
from casenotes.services.views import UserView
from casenotes.web.app import create_app
from casenotes.web.security import SESSION_COOKIE, LoginRateLimiter, SessionCodec


def test_when_signed_out_then_pages_redirect_to_login_and_api_says_401(
    client: TestClient,
) -> None:
    page = client.get("/cases", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/cases"
    api = client.get("/api/cases")
    assert api.status_code == 401
    assert api.json()["error"] == "Please sign in to continue."


def test_when_password_is_right_then_session_cookie_is_httponly_lax_and_expires(
    client: TestClient, casey: UserView
) -> None:
    response = post_login(client, casey.username, WEB_PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "/cases"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    assert "Max-Age=28800" in cookie  # session_hours = 8
    assert client.get("/cases").status_code == 200


def test_when_secure_cookies_is_set_then_the_cookie_is_secure(
    tmp_path: Path, pii_detector: PiiDetector
) -> None:
    ctx = build_context(make_settings(tmp_path / "data", secure_cookies=True),
                        pii_detector=pii_detector)
    try:
        with TestClient(create_app(ctx=ctx), base_url="https://testserver") as client:
            cookie = client.get("/login").headers["set-cookie"]
        assert "Secure" in cookie
    finally:
        ctx.close()


def test_when_next_points_to_another_site_then_sign_in_stays_here(
    client: TestClient, casey: UserView
) -> None:
    response = post_login(client, casey.username, WEB_PASSWORD, next="//evil.example/steal")
    assert response.headers["location"] == "/cases"


def test_when_password_is_wrong_then_sign_in_is_refused_and_then_rate_limited(
    client: TestClient, casey: UserView
) -> None:
    limit = 5  # Settings.login_attempts_per_minute
    for _ in range(limit):
        response = post_login(client, casey.username, "wrong password")
        assert response.status_code == 401
        assert "The username or password is not right." in response.text
    blocked = post_login(client, casey.username, "wrong password")
    assert blocked.status_code == 429
    assert "Too many failed sign-in attempts" in blocked.text
    assert 0 < int(blocked.headers["retry-after"]) <= 60
    # The right password waits too, or guessing could simply carry on.
    assert post_login(client, casey.username, WEB_PASSWORD).status_code == 429


def test_when_one_address_tries_many_usernames_then_it_is_rate_limited(
    client: TestClient,
) -> None:
    for n in range(5):
        assert post_login(client, f"nobody{n}", "a guess").status_code == 401
    assert post_login(client, "somebody-else", "a guess").status_code == 429


def test_when_a_minute_passes_then_the_limiter_lets_a_user_try_again() -> None:
    now = [1000.0]
    limiter = LoginRateLimiter(limit=2, clock=lambda: now[0])
    limiter.failed("user:a", "ip:1")
    limiter.failed("user:a", "ip:1")
    assert limiter.retry_after("user:a") == 60
    assert limiter.retry_after("user:b", "ip:2") == 0
    now[0] += 30
    assert limiter.retry_after("user:b", "ip:1") == 30
    now[0] += 30
    assert limiter.retry_after("user:a", "ip:1") == 0


def test_when_signing_out_then_the_session_ends(client: TestClient, casey: UserView) -> None:
    csrf = login(client, casey.username)
    response = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert client.get("/api/cases").status_code == 401


def test_when_a_session_is_older_than_session_hours_then_it_is_ignored() -> None:
    codec = SessionCodec("key", max_age_seconds=3600)
    session = codec.loads(None)
    session.login(7)
    cookie = codec.dumps(session)
    assert codec.loads(cookie).user_id == 7
    assert SessionCodec("key", max_age_seconds=-1).loads(cookie).user_id is None
    assert SessionCodec("another key", max_age_seconds=3600).loads(cookie).user_id is None
    assert codec.loads(cookie + "x").user_id is None


def test_when_signing_in_then_the_csrf_token_changes(client: TestClient, casey: UserView) -> None:
    before = csrf_from(client.get("/login").text)
    after = login(client, casey.username)
    assert before != after


def test_when_many_usernames_are_tried_then_the_limiter_forgets_stale_ones() -> None:
    now = [0.0]
    limiter = LoginRateLimiter(limit=3, clock=lambda: now[0], max_keys=10)
    for n in range(10):
        limiter.failed(f"user:{n}")
    now[0] += 61
    limiter.failed("user:new")
    assert limiter._failures.keys() == {"user:new"}
