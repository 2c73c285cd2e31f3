"""The evaluation pages in the web app: dashboard, bias audit, DPIA pack, equality monitoring
(issue 10) — through the real app, on the processed demo case."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from websupport import csrf_from, login

from casenotes.demo import load_demo_case
from casenotes.services import accounts
from casenotes.services.context import AppContext
from casenotes.services.demo import (
    DEMO_PASSWORD,
    DEMO_USERNAME,
    OTHER_USERNAME,
    SUPERVISOR_USERNAME,
    DemoInfo,
)
from casenotes.store.models import Recording, StageRunRow

PAGES = ("/evaluation", "/evaluation?by=practitioner", "/evaluation?by=month",
         "/evaluation?by=template", "/evaluation/bias", "/evaluation/dashboard.csv?by=practitioner",
         "/evaluation/flags.csv", "/evaluation/energy.csv", "/evaluation/bias.csv")


def _people_receiving_support() -> list[str]:
    data = load_demo_case()
    practitioner = "Sam Okafor"  # the demo's social worker is on the case record too
    return [p.name for p in data.people if p.name != practitioner] + [data.title, data.reference]


def test_a_supervisor_sees_charts_tables_and_csvs_without_anyone_receiving_support(
    demo: tuple[AppContext, DemoInfo], demo_client: TestClient
) -> None:
    login(demo_client, SUPERVISOR_USERNAME, DEMO_PASSWORD)
    home = demo_client.get("/cases")
    assert 'href="/evaluation"' in home.text
    page = demo_client.get("/evaluation?by=practitioner")
    assert page.status_code == 200
    assert page.text.count("<svg") >= 9 and 'role="img"' in page.text
    assert "Sam Okafor (demo)" in page.text  # practitioners' names: it is about practice
    assert "estimated (CPU time × watts per core)" in page.text  # the demo run was measured
    csv = demo_client.get("/evaluation/energy.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert "pseudonymise: " in csv.text and "estimated" in csv.text
    for url in PAGES:
        response = demo_client.get(url)
        assert response.status_code == 200, url
        for name in _people_receiving_support():
            assert name not in response.text, (url, name)


def test_processing_the_demo_measured_each_stage_with_its_engine(
    demo: tuple[AppContext, DemoInfo],
) -> None:
    ctx, info = demo
    with ctx.session() as session:
        runs = list(session.query(StageRunRow).filter_by(recording_id=info.recording_id)
                    .order_by(StageRunRow.id))
        recording = session.get(Recording, info.recording_id)
        assert recording is not None
        engines = {e["stage"]: e for e in recording.engines}
        assert [r.stage for r in runs] == ["pseudonymise", "draft", "check"]
        assert runs[0].engine == engines["pseudonymise"]["name"]
        assert (runs[1].engine, runs[1].engine_version) == (engines["draft"]["name"],
                                                            engines["draft"]["version"])
        assert engines["check"]["name"] in runs[2].engine_version
        for run in runs:
            assert run.wall_seconds > 0 and run.cpu_seconds >= 0 and run.device == "cpu"
            assert run.energy_method == "estimate"  # this machine exposes no RAPL counters
            assert run.energy_joules == pytest.approx(run.cpu_seconds
                                                      * ctx.settings.watts_per_core)
        assert sum(r.cpu_seconds for r in runs) > 0  # real work was done and counted


def test_a_practitioner_cannot_open_the_evaluation_pages(demo_client: TestClient) -> None:
    login(demo_client, DEMO_USERNAME, DEMO_PASSWORD)
    assert 'href="/evaluation"' not in demo_client.get("/cases").text
    for url in (*PAGES, "/evaluation/dpia", "/evaluation/dpia.pdf"):
        response = demo_client.get(url)
        assert response.status_code == 403, url
        assert "Traceback" not in response.text


def test_an_administrator_downloads_the_dpia_pack_and_a_supervisor_cannot(
    demo: tuple[AppContext, DemoInfo], demo_client: TestClient
) -> None:
    ctx, _ = demo
    accounts.add_user(ctx, username="ada", password=DEMO_PASSWORD, role="admin")
    login(demo_client, "ada", DEMO_PASSWORD)
    page = demo_client.get("/evaluation/dpia")
    assert page.status_code == 200 and 'href="/evaluation/dpia.docx"' in page.text
    docx = demo_client.get("/evaluation/dpia.docx")
    assert docx.status_code == 200 and "attachment" in docx.headers["content-disposition"]
    from docx import Document

    document = Document(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "127.0.0.1" in text  # the default allow-list: loopback only
    bias = demo_client.get("/evaluation/bias")
    assert bias.status_code == 200 and "fewer than 10" in bias.text  # one demo person
    demo_client.post("/logout", data={"csrf_token": csrf_from(page.text)})
    login(demo_client, SUPERVISOR_USERNAME, DEMO_PASSWORD)
    assert demo_client.get("/evaluation/dpia.pdf").status_code == 403


def test_the_allocated_practitioner_edits_the_equality_monitoring_details(
    demo: tuple[AppContext, DemoInfo], demo_client: TestClient
) -> None:
    _, info = demo
    login(demo_client, DEMO_USERNAME, DEMO_PASSWORD)
    case_page = demo_client.get(f"/cases/{info.case_id}")
    assert f'href="/cases/{info.case_id}/characteristics"' in case_page.text
    form = demo_client.get(f"/cases/{info.case_id}/characteristics")
    assert form.status_code == 200
    assert '<option value="white" selected>' in form.text  # set by the demo
    saved = demo_client.post(f"/cases/{info.case_id}/characteristics", data={
        "csrf_token": csrf_from(form.text), "ethnicity": "mixed", "first_language": "welsh",
        "age_band": "", "disability": "yes", "sex": "female"})
    assert saved.status_code == 200 and "Saved." in saved.text
    assert '<option value="mixed" selected>' in saved.text
    assert '<option value="welsh" selected>' in saved.text
    bad = demo_client.post(f"/cases/{info.case_id}/characteristics", data={
        "csrf_token": csrf_from(form.text), "ethnicity": "martian"})
    assert bad.status_code == 422 and "Choose from the list" in bad.text


def test_another_practitioner_cannot_see_a_cases_equality_monitoring(
    demo: tuple[AppContext, DemoInfo], demo_client: TestClient
) -> None:
    _, info = demo
    login(demo_client, OTHER_USERNAME, DEMO_PASSWORD)
    assert demo_client.get(f"/cases/{info.case_id}/characteristics").status_code == 404
