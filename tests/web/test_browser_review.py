"""What a practitioner sees, in a real Chromium: review the demo visit, decide flags, sign.

The app runs under uvicorn on a free loopback port, over a data folder with the demo loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import CHROMIUM, NEEDS_CHROMIUM, chromium, serving, sign_in
from playwright.sync_api import BrowserContext, Page, expect

from casenotes.services import accounts, review
from casenotes.services.context import AppContext
from casenotes.services.demo import DemoInfo
from casenotes.services.review import ATTESTATION
from casenotes.web.app import create_app

SCREENSHOT = Path("/tmp/casenotes-review.png")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=NEEDS_CHROMIUM,
    ),
]


@pytest.fixture
def server(demo: tuple[AppContext, DemoInfo]) -> Iterator[str]:
    ctx, _ = demo
    with serving(create_app(ctx=ctx)) as base:
        yield base


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[BrowserContext]:
    with chromium(tmp_path / "chromium-profile") as context:
        yield context


def open_flag_count(page: Page) -> int:
    text = page.locator("#flag-count").inner_text()
    match = re.match(r"(\d+) open flag", text)
    assert match, text
    return int(match.group(1))


def test_when_a_practitioner_reviews_the_demo_then_evidence_flags_and_sign_off_work(
    server: str, browser: BrowserContext, demo: tuple[AppContext, DemoInfo]
) -> None:
    ctx, info = demo
    page = browser.pages[0] if browser.pages else browser.new_page()
    problems: list[str] = []  # script errors and CSP violations
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    sign_in(page, server, info.username, info.password)

    page.goto(f"{server}/recordings/{info.recording_id}/review")
    expect(page.get_by_role("heading", name="Draft note")).to_be_visible()
    expect(page.locator(".reserved-label").first).to_have_text("Reserved for the practitioner")

    # Select the sentence whose evidence is furthest down the transcript: it must scroll there.
    user = accounts.get_user_by_username(ctx, info.username)
    assert user is not None
    view = review.get_review(ctx, user, info.recording_id)
    sentence = max((s for sec in view.sections for s in sec.sentences if s.segment_ids),
                   key=lambda s: s.segment_ids[0])
    segment = page.locator(f"#seg-{sentence.segment_ids[0]}")
    expect(segment).not_to_be_in_viewport()
    page.locator(f"#sentence-{sentence.id} .sentence-text").click()
    for seg_id in sentence.segment_ids:
        expect(page.locator(f"#seg-{seg_id}")).to_have_class(re.compile(r"\bevidence-active\b"))
        expect(page.locator(f"#seg-{seg_id}")).to_have_attribute("aria-current", "true")
    expect(segment).to_be_in_viewport()
    expect(page.locator(".evidence-active")).to_have_count(len(sentence.segment_ids))
    expect(page.locator(f"#sentence-{sentence.id}")).to_have_class(
        re.compile(r"\bsentence-selected\b"))
    page.wait_for_timeout(400)  # let the smooth scroll settle for the picture
    page.screenshot(path=str(SCREENSHOT))

    # Signing while flags are open is refused, with the reasons.
    flags = open_flag_count(page)
    assert flags > 0
    page.get_by_label(ATTESTATION).check()
    page.get_by_role("button", name="Sign off note").click()
    expect(page.get_by_role("alert")).to_contain_text("The note cannot be signed yet")
    expect(page.get_by_role("alert")).to_contain_text("still open")
    expect(page.get_by_role("heading", name="Draft note")).to_be_visible()

    # The practitioner writes the Analysis (HTMX swaps the section in place).
    page.get_by_label("Write the Analysis yourself").fill(
        "Rachel is open about her low mood and has a GP appointment; the mould in Maisie's "
        "room and the rent arrears need practical help first.")
    page.get_by_role("button", name="Save Analysis").click()
    expect(page.locator("#section-analysis .notice")).to_have_text("Analysis saved.")

    # Decide every open flag, alternately dismissing (with a reason) and resolving.
    flags = open_flag_count(page)
    while flags:
        first = page.locator(".flag-actions").first
        if flags % 2:
            first.get_by_label("Reason for dismissing").fill("Checked against the recording.")
            first.get_by_role("button", name="Dismiss this flag").click()
        else:
            first.get_by_role("button", name="Resolve this flag").click()
        flags -= 1
        expect(page.locator("#flag-count")).to_have_text(
            re.compile(rf"^{flags} open flag"))
    expect(page.locator("#sign-blockers")).to_have_text(re.compile("Nothing blocks sign-off"))

    page.get_by_label(ATTESTATION).check()
    page.get_by_role("button", name="Sign off note").click()
    expect(page).to_have_url(re.compile(rf"{server}/notes/\d+$"))
    expect(page.get_by_role("heading", name="Transparency label")).to_be_visible()
    expect(page.locator(".transparency-text")).to_contain_text("Drafted with AI assistance")
    expect(page.locator("article.note")).to_contain_text("practical help first")
    # The signed note is not editable in place: once the governance panel has loaded, the
    # only forms are the amendment (a new version, with a reason) and the person's reply.
    expect(page.locator("#note-record")).to_be_visible()
    expect(page.locator("article.note form")).to_have_count(0)
    expect(page.get_by_role("button", name="Sign off note")).to_have_count(0)
    actions = page.locator("main form").evaluate_all("fs => fs.map(f => f.getAttribute('action'))")
    assert sorted(a.rsplit("/", 1)[-1] for a in actions) == ["amend", "replies"]
    # The one expected failure: the refused sign-off page answers 409.
    assert [p for p in problems if "status of 409" not in p] == []
