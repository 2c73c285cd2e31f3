"""Accessibility in a real Chromium: axe-core (WCAG 2.2 AA) on every page, for every role, and
the review journey done with the keyboard alone.

Pages are found from the app's own routes, so a new page is checked as soon as it exists; path
parameters are filled from a seeded copy of the demo (a draft, a signed note, ...). Routes that
answer with something other than HTML (JSON, CSV, PDF, DOCX) are not pages and are left out.
axe-core comes from the npm registry (``tests/web/a11y``, installed by ``make test``).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from browser_support import CHROMIUM, NEEDS_CHROMIUM, chromium, serving, sign_in
from fastapi import FastAPI
from playwright.sync_api import Page, expect
from websupport import WEB_PASSWORD, make_settings

from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import accounts, cases, processing, reading, recordings, review
from casenotes.services.context import AppContext, build_context
from casenotes.services.demo import DEMO_PASSWORD, SUPERVISOR_USERNAME, DemoInfo
from casenotes.services.review import ATTESTATION
from casenotes.services.views import UserView
from casenotes.web.app import create_app

AXE = Path(__file__).parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PARAM = re.compile(r"\{(\w+)\}")
DEMO_VISIT = resources.files("casenotes.demo") / "demo_visit.txt"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=NEEDS_CHROMIUM,
    ),
    pytest.mark.skipif(
        not AXE.exists(),
        reason="needs axe-core: npm ci --prefix tests/web/a11y (make test does this)",
    ),
]


@dataclass
class Site:
    base: str
    ctx: AppContext
    info: DemoInfo
    params: dict[str, str]
    logins: dict[str, tuple[str, str]]  # role → (username, password)
    paths: list[str]


def get_routes(app: FastAPI) -> list[str]:
    """Every GET route's path, the routers included by the app followed down."""

    def walk(routes: list[Any], prefix: str) -> Iterator[tuple[str, Any]]:
        for route in routes:
            included = getattr(route, "include_context", None)
            if included is not None:  # FastAPI's wrapper around an included router
                yield from walk(route.original_router.routes, prefix + included.prefix)
            elif getattr(route, "routes", None) is not None and hasattr(route, "prefix"):
                yield from walk(route.routes, prefix + route.prefix)
            elif getattr(route, "methods", None):
                yield prefix + route.path, route

    return sorted({path for path, route in walk(app.router.routes, "") if "GET" in route.methods})


def user_named(ctx: AppContext, username: str) -> UserView:
    user = accounts.get_user_by_username(ctx, username)
    assert user is not None
    return user


def signed_note(ctx: AppContext, worker: UserView, case_id: int) -> tuple[int, int]:
    """A second visit in the demo case, drafted and signed: (recording id, note id)."""
    rec = recordings.import_transcript(ctx, worker, case_id, filename="visit.txt",
                                       content=DEMO_VISIT.read_bytes(),
                                       title="Second visit (signed)")
    for party in recordings.speakers(ctx, worker, rec.id):
        recordings.record_consent(ctx, worker, rec.id, party=party, decision="granted")
    processing.process_recording(ctx, worker, rec.id)
    view = review.get_review(ctx, worker, rec.id)
    flags = [f for sec in view.sections for f in sec.flags]
    flags += [f for sec in view.sections for s in sec.sentences for f in s.flags]
    for flag in flags:
        if flag.status == "open":
            review.dismiss_flag(ctx, worker, flag.id, "Checked against the recording.")
    for section in view.sections:
        if section.reserved:
            review.write_section(ctx, worker, rec.id, section.name,
                                 "My own analysis: practical help with the flat comes first.")
    return rec.id, review.sign_off(ctx, worker, rec.id, attested=True).id


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, demo_template: tuple[Path, DemoInfo],
    pii_detector: PiiDetector,
) -> Iterator[Site]:
    folder, info = demo_template
    data_dir = tmp_path_factory.mktemp("a11y") / "data"
    shutil.copytree(folder, data_dir)
    ctx = build_context(make_settings(data_dir), pii_detector=pii_detector)
    try:
        worker = user_named(ctx, info.username)
        accounts.add_user(ctx, username="a11y-admin", password=WEB_PASSWORD, role="admin")
        accounts.add_user(ctx, username="a11y-auditor", password=WEB_PASSWORD, role="auditor")
        _, note_id = signed_note(ctx, worker, info.case_id)
        params = {"case_id": str(info.case_id), "recording_id": str(info.recording_id),
                  "note_id": str(note_id), "fmt": "pdf", "token": "0"}
        params.update(seed_translation(ctx, worker, note_id))
        app = create_app(ctx=ctx)
        paths = get_routes(app)
        with serving(app) as base:
            yield Site(base=base, ctx=ctx, info=info, params=params, paths=paths, logins={
                "practitioner": (info.username, info.password),
                "supervisor": (SUPERVISOR_USERNAME, DEMO_PASSWORD),
                "admin": ("a11y-admin", WEB_PASSWORD),
                "auditor": ("a11y-auditor", WEB_PASSWORD),
            })
    finally:
        ctx.close()


def seed_translation(ctx: AppContext, worker: UserView, note_id: int) -> dict[str, str]:
    """A translated letter for ``/letter-translations/{translation_id}``, where one can be made."""
    from casenotes.services import translations

    usable = [o for o in translations.language_options(ctx) if getattr(o, "available", False)]
    if not usable:
        return {}
    view = translations.translate_note_letter(ctx, worker, note_id, usable[0].code)
    return {"translation_id": str(view.id)}


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    with chromium(tmp_path_factory.mktemp("chromium-a11y")) as context:
        # axe-core is added to every document before its own scripts run (not subject to CSP).
        context.add_init_script(path=str(AXE))
        yield context.pages[0] if context.pages else context.new_page()


def axe_violations(page: Page) -> list[str]:
    """Each violation as "rule (impact): targets" (the page fixture loads axe in every page)."""
    found: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact,
                targets: v.nodes.map(n => n.target.join(" ")),
            }));
        }""",
        WCAG_TAGS,
    )
    return [f"{v['id']} ({v['impact']}): {', '.join(v['targets'][:8])}" for v in found]


def fill(path: str, params: dict[str, str]) -> str | None:
    missing = [name for name in PARAM.findall(path) if name not in params]
    if missing:
        return None
    return PARAM.sub(lambda m: params[m.group(1)], path)


def check_pages(
    page: Page, site: Site, who: str, paths: list[str], seen: set[str]
) -> tuple[list[str], int]:
    """axe on every HTML page among ``paths`` not yet in ``seen`` → (problems, pages checked).

    An error page is rendered the same for everyone (no user, no navigation), so each status is
    checked once; a redirect is checked once at the page it lands on.
    """
    problems: list[str] = []
    checked = 0
    for path in paths:
        url = fill(path, site.params)
        if url is None:
            problems.append(f"{who} {path}: no seeded value for {PARAM.findall(path)}")
            continue
        answer = page.request.get(f"{site.base}{url}")
        if not answer.headers.get("content-type", "").startswith("text/html"):
            continue  # JSON, CSV or a file download: not a page
        if "<html" not in answer.text()[:500].lower():
            continue  # an HTMX fragment, checked inside the page that shows it
        key = f"error {answer.status}" if answer.status >= 400 else f"{who} {answer.url}"
        if key in seen:
            continue
        seen.add(key)
        page.goto(f"{site.base}{url}")
        checked += 1
        problems += [f"{who} {url} [{answer.status}]: {v}" for v in axe_violations(page)]
    return problems, checked


def test_axe_core_finds_no_wcag_violations_on_any_page_for_any_role(
    site: Site, page: Page
) -> None:
    assert {"/cases", "/recordings/{recording_id}/review", "/notes/{note_id}", "/training",
            "/settings/reading", "/admin/permitted-uses"} <= set(site.paths)
    problems: list[str] = []
    seen: set[str] = set()
    page.context.clear_cookies()
    signed_out, pages = check_pages(page, site, "signed out", ["/login"], seen)
    problems += signed_out
    for role, (username, password) in site.logins.items():
        sign_in(page, site.base, username, password)
        found, checked = check_pages(page, site, role, site.paths, seen)
        problems += found
        pages += checked
    # The reading settings restyle every page: check the busiest ones with both turned on.
    worker = user_named(site.ctx, site.info.username)
    reading.set_preferences(site.ctx, worker, high_contrast=True, dyslexia_friendly=True)
    try:
        sign_in(page, site.base, *site.logins["practitioner"])
        assert "reading-high-contrast" in (page.locator("body").get_attribute("class") or "")
        found, checked = check_pages(page, site, "practitioner (high contrast, dyslexia)", [
            "/cases", "/cases/{case_id}", "/recordings/{recording_id}/review",
            "/notes/{note_id}", "/training", "/settings/reading"], seen)
        problems += found
        pages += checked
    finally:
        reading.set_preferences(site.ctx, worker, high_contrast=False, dyslexia_friendly=False)
    assert pages >= 4 * 10, f"only {pages} pages were checked"
    assert not problems, "axe-core found WCAG 2.2 AA violations:\n" + "\n".join(problems)


# --- the review journey with the keyboard alone ---

FOCUSED = """() => {
    const e = document.activeElement;
    const style = getComputedStyle(e);
    return {
        tag: e.tagName.toLowerCase(), id: e.id || "", type: e.getAttribute("type") || "",
        text: (e.textContent || "").replace(/\\s+/g, " ").trim().slice(0, 120),
        label: e.labels && e.labels.length ? e.labels[0].textContent.trim() : "",
        outline: style.outlineStyle === "none" ? "0px" : style.outlineWidth,
        shadow: style.boxShadow,
    };
}"""


def tab_to(page: Page, wanted: str, *, field: str = "text", limit: int = 400) -> None:
    """Press Tab until the focused element's ``field`` contains ``wanted``; focus must show."""
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        element: dict[str, str] = page.evaluate(FOCUSED)
        if wanted in element[field]:
            visible = element["outline"] not in ("0px", "") or element["shadow"] != "none"
            assert visible, f"focus is not visible on {element}"
            return
        seen.append(f"{element['tag']}:{element[field][:30]}")
    raise AssertionError(f"Tab never reached {wanted!r}; passed {seen[-15:]}")


def open_flags(page: Page) -> int:
    match = re.match(r"(\d+) open flag", page.locator("#flag-count").inner_text())
    assert match
    return int(match.group(1))


def test_the_review_journey_works_with_the_keyboard_alone(site: Site, page: Page) -> None:
    base, info = site.base, site.info
    page.context.clear_cookies()
    page.goto(f"{base}/login")
    tab_to(page, "Username", field="label")
    page.keyboard.type(info.username)
    tab_to(page, "Password", field="label")
    page.keyboard.type(info.password)
    tab_to(page, "Sign in")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/cases")

    # Open the case, then its draft.
    worker = user_named(site.ctx, info.username)
    title = next(c.title for c in cases.list_cases(site.ctx, worker) if c.id == info.case_id)
    tab_to(page, title)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/cases/{info.case_id}")
    tab_to(page, "Review the draft")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/recordings/{info.recording_id}/review")

    # An evidence link shows the turn in the transcript.
    tab_to(page, "turn ")
    page.keyboard.press("Enter")
    expect(page.locator(".evidence-active").first).to_be_in_viewport()

    # Edit a sentence: open its editor with Enter, type, save with Enter.
    tab_to(page, "Edit sentence")
    page.keyboard.press("Enter")
    tab_to(page, "Sentence text", field="label")
    page.keyboard.type("Checked with the family: ")
    tab_to(page, "Save sentence")
    page.keyboard.press("Enter")
    expect(page.locator(".badge-edited", has_text="Edited by you")).to_have_count(1)

    # Write the reserved section.
    tab_to(page, "Write the Analysis yourself", field="label")
    page.keyboard.type("My analysis: the damp and the arrears need practical help first.")
    tab_to(page, "Save Analysis")
    page.keyboard.press("Enter")
    expect(page.locator("#section-analysis .notice")).to_have_text("Analysis saved.")

    # Decide every flag: the first dismissed with a reason, the rest resolved with Space.
    flags = open_flags(page)
    assert flags > 0
    tab_to(page, "Reason for dismissing", field="label")
    page.keyboard.type("Checked against the recording.")
    tab_to(page, "Dismiss this flag")
    page.keyboard.press("Enter")
    flags -= 1
    expect(page.locator("#flag-count")).to_have_text(re.compile(rf"^{flags} open flag"))
    while flags:
        tab_to(page, "Resolve this flag")
        page.keyboard.press("Space")
        flags -= 1
        expect(page.locator("#flag-count")).to_have_text(re.compile(rf"^{flags} open flag"))
    expect(page.locator("#sign-blockers")).to_have_text(re.compile("Nothing blocks sign-off"))

    # Sign off: tick the statement with Space, sign with Enter.
    tab_to(page, ATTESTATION[:40], field="label")
    page.keyboard.press("Space")
    expect(page.get_by_label(ATTESTATION)).to_be_checked()
    tab_to(page, "Sign off note")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{base}/notes/\d+$"))
    expect(page.locator("article.note")).to_contain_text("practical help first")
