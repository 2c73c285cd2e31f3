"""Records governance in the web app: consent ledger, note record, exports, supervision, SAR,
retention — through the real app and its forms (CSRF included)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from websupport import csrf_from, login

from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import consent_ledger
from casenotes.services.context import AppContext
from casenotes.web.app import create_app
from governance_support import PASSWORD, Seeded, imported, seeded_context, user


@pytest.fixture
def gov(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, pii_detector: PiiDetector
        ) -> Iterator[tuple[AppContext, Seeded]]:
    yield from seeded_context(tmp_path, tmp_path_factory, pii_detector)


@pytest.fixture
def web(gov: tuple[AppContext, Seeded]) -> Iterator[TestClient]:
    ctx, _ = gov
    with TestClient(create_app(ctx=ctx), raise_server_exceptions=False) as client:
        yield client


def test_the_consent_page_records_an_agency_decline_and_shows_notes_only(
    gov: tuple[AppContext, Seeded], web: TestClient
) -> None:
    ctx, seeded = gov
    recording_id = imported(ctx, user(ctx, "jo"), seeded.case_id, title="Joint visit")
    login(web, "jo", PASSWORD)
    page = web.get(f"/recordings/{recording_id}/consent")
    assert page.status_code == 200 and "Notes only" in page.text
    response = web.post(f"/recordings/{recording_id}/consent", data={
        "csrf_token": csrf_from(page.text), "party": "Police", "party_kind": "agency",
        "decision": "declined", "uses": ["audio", "transcription"], "method": "verbal",
        "transcript_time": "01:15"}, follow_redirects=True)
    assert response.status_code == 200
    assert "Police (agency)" in response.text and "01:15" in response.text
    assert "Police: declined" in response.text  # the reason recording is not offered

    bad = web.post(f"/recordings/{recording_id}/consent", data={
        "csrf_token": csrf_from(page.text), "party": "Police", "decision": "granted",
        "uses": ["audio"], "transcript_time": "soon"})
    assert bad.status_code == 422 and "minutes:seconds" in bad.text
    assert "Traceback" not in bad.text


def test_withdrawing_on_the_web_deletes_the_audio_and_tells_the_practitioner(
    gov: tuple[AppContext, Seeded], web: TestClient
) -> None:
    ctx, seeded = gov
    key = consent_ledger.attach_audio(ctx, user(ctx, "jo"), seeded.recordings[0], b"RIFF")
    login(web, "jo", PASSWORD)
    page = web.get(f"/recordings/{seeded.recordings[0]}/consent")
    response = web.post(f"/recordings/{seeded.recordings[0]}/consent/withdraw", data={
        "csrf_token": csrf_from(page.text), "party": "Alex Client", "method": "written"})
    assert response.status_code == 200
    assert "signed note is part of the record" in response.text
    assert not (ctx.settings.data_dir / "files" / key).exists()


def test_the_note_page_loads_its_record_and_a_practitioner_can_amend_and_attach_a_reply(
    gov: tuple[AppContext, Seeded], web: TestClient
) -> None:
    _, seeded = gov
    note_id = seeded.notes[0]
    login(web, "jo", PASSWORD)
    page = web.get(f"/notes/{note_id}")
    assert f'hx-get="/notes/{note_id}/record"' in page.text
    panel = web.get(f"/notes/{note_id}/record", headers={"HX-Request": "true"})
    assert panel.status_code == 200 and "<html" not in panel.text
    assert "Versions" in panel.text and "Download PDF" in panel.text

    full = web.get(f"/notes/{note_id}/record")
    token = csrf_from(full.text)
    names = [line.split('value="')[1].split('"')[0] for line in full.text.splitlines()
             if 'name="section_name"' in line]
    texts = ["Amended wording." if i == 0 else "" for i in range(len(names))]
    response = web.post(f"/notes/{note_id}/amend", data={
        "csrf_token": token, "reason": "Corrected the summary.", "section_name": names,
        "section_text": texts}, follow_redirects=True)
    assert response.status_code == 200, response.text
    assert "Version 2: Corrected the summary." in response.text
    assert "Version 1: Signed" in response.text  # the original is kept and shown

    response = web.post(f"/notes/{note_id}/replies", data={"csrf_token": token},
                        files={"upload": ("reply.txt", b"This is my reply.", "text/plain")},
                        follow_redirects=True)
    assert response.status_code == 200 and "This is my reply." in response.text


def test_exports_download_as_pdf_and_docx(gov: tuple[AppContext, Seeded],
                                          web: TestClient) -> None:
    _, seeded = gov
    login(web, "jo", PASSWORD)
    pdf = web.get(f"/notes/{seeded.notes[0]}/export.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    docx = web.get(f"/notes/{seeded.notes[0]}/export.docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert web.get(f"/notes/{seeded.notes[0]}/export.exe").status_code == 422


def test_another_team_gets_a_404_for_a_note_record_and_its_export(
    gov: tuple[AppContext, Seeded], web: TestClient
) -> None:
    _, seeded = gov
    login(web, "robin", PASSWORD)
    assert web.get(f"/notes/{seeded.notes[0]}/record").status_code == 404
    assert web.get(f"/notes/{seeded.notes[0]}/export.pdf").status_code == 404


def test_a_supervisor_approves_from_the_supervision_page(
    gov: tuple[AppContext, Seeded], web: TestClient
) -> None:
    _, seeded = gov
    login(web, "sam", PASSWORD)
    page = web.get("/supervision")
    assert page.status_code == 200 and f"/notes/{seeded.notes[1]}/approval" in page.text
    response = web.post(f"/notes/{seeded.notes[1]}/approval", data={
        "csrf_token": csrf_from(page.text), "decision": "approve"}, follow_redirects=True)
    assert response.status_code == 200
    assert f"/notes/{seeded.notes[1]}/approval" not in response.text


def test_the_sar_button_downloads_a_zip(gov: tuple[AppContext, Seeded],
                                       web: TestClient) -> None:
    _, seeded = gov
    login(web, "jo", PASSWORD)
    case_page = web.get(f"/cases/{seeded.case_id}")
    assert 'action="/subject-access"' in case_page.text
    response = web.post("/subject-access", data={"csrf_token": csrf_from(case_page.text),
                                                 "person": "Alex Client"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "subject_access.pdf" in archive.namelist()


def test_retention_page_is_for_administrators_and_previews_before_deleting(
    gov: tuple[AppContext, Seeded], web: TestClient
) -> None:
    login(web, "jo", PASSWORD)
    assert web.get("/retention").status_code == 403
    web.cookies.clear()
    login(web, "ada", PASSWORD)
    page = web.get("/retention")
    assert page.status_code == 200 and "Due now" in page.text and "Audit" in page.text
