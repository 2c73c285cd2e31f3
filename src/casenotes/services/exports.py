"""Exports of a signed note: DOCX (python-docx) and PDF (WeasyPrint, from the Jinja2 template
the note page itself uses), both carrying the transparency label, versions and replies."""

from __future__ import annotations

import io
from typing import Any

import jinja2

from casenotes.domain.errors import InvalidInput
from casenotes.services.audit_log import record as audit
from casenotes.services.context import AppContext
from casenotes.services.note_record import note_record
from casenotes.services.views import NoteRecordView, UserView

FORMATS = ("pdf", "docx")


def document_environment() -> jinja2.Environment:
    """The web app's templates, for documents rendered outside a request."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("casenotes.web", "templates"), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["percent"] = lambda value: f"{value:.0%}"
    return env


def render_pdf(template: str, **context: Any) -> bytes:
    """Render a template to PDF (fonts come from the system; no network access)."""
    from weasyprint import HTML  # imported here: it loads Pango, which is slow to start

    html = document_environment().get_template(template).render(**context)
    data: bytes = HTML(string=html, base_url=None).write_pdf()
    return data


def note_pdf(record: NoteRecordView) -> bytes:
    return render_pdf("governance/note_document.html", note=record.note, record=record)


def note_docx(record: NoteRecordView) -> bytes:
    from docx import Document

    note = record.note
    document = Document()
    document.core_properties.title = note.title
    document.add_heading(note.title, level=0)
    document.add_paragraph(f"Signed case note. Signed by {note.signed_by} on {note.signed_at}.")
    current = record.current
    if len(record.versions) > 1:
        document.add_paragraph(f"Amended: version {current.version} by {current.by} on "
                               f"{current.at} (reason: {current.reason}).")
    document.add_heading("Transparency label", level=1)
    document.add_paragraph(note.transparency)
    document.add_paragraph(f"Drafted text changed by the practitioner: {note.changed_share:.0%}")
    if note.engines:
        table = document.add_table(rows=1, cols=3)
        for cell, title in zip(table.rows[0].cells, ("Stage", "Engine", "Version"), strict=True):
            cell.text = title
        for engine in note.engines:
            for cell, value in zip(table.add_row().cells, engine, strict=True):
                cell.text = value
    for name, text in current.sections:
        document.add_heading(name, level=1)
        paragraphs = [p for p in text.split("\n\n") if p.strip()] or ["(empty)"]
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    document.add_heading("Attestation", level=1)
    document.add_paragraph(note.attestation)
    if record.replies:
        document.add_heading("The person's reply", level=1)
        for reply in record.replies:
            for paragraph in (p for p in reply.text.split("\n\n") if p.strip()):
                document.add_paragraph(paragraph, style="Quote")
            document.add_paragraph(f"Added by {reply.added_by} on {reply.added_at} "
                                   f"({reply.source}).")
    if len(record.versions) > 1:
        document.add_heading("Versions", level=1)
        for version in record.versions:
            document.add_paragraph(f"Version {version.version}: {version.reason}, by "
                                   f"{version.by} on {version.at}", style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def export_note(ctx: AppContext, actor: UserView, note_id: int, fmt: str) -> tuple[str, bytes]:
    """(file name, content) of a signed note as PDF or DOCX; the export is audited."""
    if fmt not in FORMATS:
        raise InvalidInput(f"{fmt!r} is not an export format.", hint="Choose PDF or DOCX.")
    record = note_record(ctx, actor, note_id)
    data = note_pdf(record) if fmt == "pdf" else note_docx(record)
    with ctx.session() as session:
        audit(session, actor, "note.export", "note", note_id,
              f"format={fmt} version={record.current.version} replies={len(record.replies)}")
    return f"note-{note_id}-v{record.current.version}.{fmt}", data
