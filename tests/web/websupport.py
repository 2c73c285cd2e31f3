"""Helpers for the web tests: signing in through the form, finding CSRF tokens."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx2
from fastapi.testclient import TestClient

from casenotes.config import Settings
from casenotes.domain.draft import Draft, Evidence, Sentence
from casenotes.domain.template import Template
from casenotes.domain.transcript import Transcript
from casenotes.engines.drafting import ExtractiveDrafter
from casenotes.pipeline.draft import DraftContext

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
) -> httpx2.Response:
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


class InventingDrafter:
    """Stands in for a language-model drafter that invents, the failure seen in council pilots.

    It returns the real extractive draft plus two sentences nobody said: one with no evidence at
    all, and one linked to a real turn but with a number that turn does not contain. The real
    checks must flag both, and sign-off must wait for the practitioner's decision on each.
    """

    name = "inventing-test-drafter"
    version = "1"
    UNSAID = "She said she has been thinking about ending her life."
    WRONG_NUMBER = "The family has been known to services for 12 years."

    def __init__(self) -> None:
        self.inner = ExtractiveDrafter()

    def draft(self, transcript: Transcript, template: Template, context: DraftContext) -> Draft:
        draft = self.inner.draft(transcript, template, context)
        ids = [int(s.id.lstrip("s")) for _, s in draft.sentences() if s.id[1:].isdigit()]
        next_id = max(ids, default=0) + 1
        filled = [sec for sec in draft.sections if sec.sentences and not sec.reserved]
        unsaid = Sentence(id=f"s{next_id}", text=self.UNSAID)
        first_turn = transcript.segments[0]
        wrong = Sentence(
            id=f"s{next_id + 1}", text=self.WRONG_NUMBER,
            evidence=(Evidence(segment_id=first_turn.id, start=0, end=len(first_turn.text)),),
        )
        draft = draft.with_section(replace(filled[0], sentences=(*filled[0].sentences, unsaid)))
        target = filled[-1]
        return draft.with_section(replace(target, sentences=(*target.sentences, wrong)))
