"""Amendments, right of reply and exports of a signed note."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from casenotes.domain.errors import InvalidInput, NotFound
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import amendments, exports, replies, review
from casenotes.services.context import AppContext
from casenotes.services.note_record import note_record
from governance_support import Seeded, seeded_context, user


@pytest.fixture
def gov(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, pii_detector: PiiDetector
        ) -> Iterator[tuple[AppContext, Seeded]]:
    yield from seeded_context(tmp_path, tmp_path_factory, pii_detector)


def _amend(ctx: AppContext, note_id: int, reason: str = "The date of the visit was wrong."
           ) -> None:
    jo = user(ctx, "jo")
    name, body = amendments.versions(ctx, jo, note_id)[-1].sections[0]
    amendments.amend(ctx, jo, note_id, sections=[(name, body + " Visit was on Tuesday.")],
                     reason=reason)


def test_an_amendment_keeps_the_original_and_shows_every_version(
    gov: tuple[AppContext, Seeded]
) -> None:
    ctx, seeded = gov
    jo = user(ctx, "jo")
    note_id = seeded.notes[0]
    original = review.get_note(ctx, jo, note_id)

    _amend(ctx, note_id)
    _amend(ctx, note_id, "Added the housing officer's name.")

    versions = amendments.versions(ctx, jo, note_id)
    assert [v.version for v in versions] == [1, 2, 3]
    assert versions[0].text == original.text
    assert versions[0].sections == original.sections
    assert versions[2].sections[0][1].count("Visit was on Tuesday.") == 2
    assert [v.reason for v in versions[1:]] == ["The date of the visit was wrong.",
                                                "Added the housing officer's name."]
    assert review.get_note(ctx, jo, note_id) == original  # the signed note itself is unchanged
    record = note_record(ctx, jo, note_id)
    assert record.current.version == 3


def test_stored_versions_cannot_be_rewritten(gov: tuple[AppContext, Seeded]) -> None:
    ctx, seeded = gov
    _amend(ctx, seeded.notes[0])
    with pytest.raises(DatabaseError, match="read-only"), ctx.session() as session:
        session.execute(text("UPDATE note_versions SET text = 'rewritten'"))


@pytest.mark.parametrize(("sections", "reason", "message"), [
    ([("Summary", "x")], "   ", "needs a reason"),
    ([("No such section", "x")], "Fix", "no section called"),
    ([], "Nothing really", "changes nothing"),
])
def test_a_bad_amendment_is_refused_and_stores_nothing(
    gov: tuple[AppContext, Seeded], sections: list[tuple[str, str]], reason: str, message: str
) -> None:
    ctx, seeded = gov
    jo = user(ctx, "jo")
    with pytest.raises(InvalidInput, match=message):
        amendments.amend(ctx, jo, seeded.notes[0], sections=sections, reason=reason)
    assert len(amendments.versions(ctx, jo, seeded.notes[0])) == 1


def test_another_team_cannot_amend_or_reply(gov: tuple[AppContext, Seeded]) -> None:
    ctx, seeded = gov
    robin = user(ctx, "robin")
    with pytest.raises(NotFound):
        amendments.amend(ctx, robin, seeded.notes[0], sections=[("Summary", "x")], reason="r")
    with pytest.raises(NotFound):
        replies.add_reply(ctx, robin, seeded.notes[0], text="Not mine to add.")


def test_a_reply_typed_or_uploaded_is_attached_and_shown_with_the_note(
    gov: tuple[AppContext, Seeded]
) -> None:
    ctx, seeded = gov
    jo = user(ctx, "jo")
    replies.add_reply(ctx, jo, seeded.notes[0], text="I said the boiler broke on Sunday.")
    uploaded = replies.reply_text_from_upload("reply.txt", b"I also want this noted.")
    replies.add_reply(ctx, jo, seeded.notes[0], text=uploaded, filename="reply.txt")
    shown = note_record(ctx, jo, seeded.notes[0]).replies
    assert [(r.text, r.source) for r in shown] == [
        ("I said the boiler broke on Sunday.", "typed"),
        ("I also want this noted.", "uploaded")]
    with pytest.raises(InvalidInput, match="plain text"):
        replies.reply_text_from_upload("reply.pdf", b"%PDF-1.7")
    with pytest.raises(InvalidInput, match="empty"):
        replies.add_reply(ctx, jo, seeded.notes[0], text="  ")


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "export.pdf"
    path.write_bytes(data)
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"],  # noqa: S607
                            capture_output=True, check=True, text=True)
    return " ".join(result.stdout.split())


def test_a_pdf_export_renders_with_the_label_the_amendment_and_the_reply(
    gov: tuple[AppContext, Seeded], tmp_path: Path
) -> None:
    ctx, seeded = gov
    jo = user(ctx, "jo")
    note_id = seeded.notes[0]
    _amend(ctx, note_id)
    replies.add_reply(ctx, jo, note_id, text="I said the boiler broke on Sunday.")
    note = review.get_note(ctx, jo, note_id)

    name, data = exports.export_note(ctx, jo, note_id, "pdf")

    assert name == f"note-{note_id}-v2.pdf"
    assert data.startswith(b"%PDF")
    words = _pdf_text(data, tmp_path)
    assert note.title in words
    assert "Transparency label" in words
    assert " ".join(note.transparency.split()) in words
    assert "Visit was on Tuesday." in words
    assert "I said the boiler broke on Sunday." in words
    assert "The date of the visit was wrong." in words


def test_a_docx_export_carries_the_transparency_label_and_the_reply(
    gov: tuple[AppContext, Seeded]
) -> None:
    ctx, seeded = gov
    jo = user(ctx, "jo")
    note_id = seeded.notes[0]
    replies.add_reply(ctx, jo, note_id, text="I want my view recorded.")
    note = review.get_note(ctx, jo, note_id)

    _, data = exports.export_note(ctx, jo, note_id, "docx")

    paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert note.title in paragraphs
    assert "Transparency label" in paragraphs
    assert note.transparency in paragraphs
    assert "I want my view recorded." in paragraphs
    for name, _ in note.sections:
        assert name in paragraphs
    with pytest.raises(InvalidInput, match="not an export format"):
        exports.export_note(ctx, jo, note_id, "odt")
