"""The confirmed bilingual letter as PDF (WeasyPrint) and DOCX (python-docx): English and the
translation side by side, the translation column right to left where the language is."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from casenotes.services.exports import render_pdf
from casenotes.services.views import TranslationView

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph


def bilingual_pdf(view: TranslationView) -> bytes:
    return render_pdf("letters/translation_document.html", t=view)


def _label(view: TranslationView) -> str:
    text = (f"Machine-translated from English by {view.engine} ({view.engine_version}). The "
            f"English is the original. Checked and confirmed by {view.confirmed_by} on "
            f"{view.confirmed_at}.")
    if view.interpreter_name:
        text += f" Interpreter: {view.interpreter_name}"
        text += " (confirmed the translation)." if view.interpreter_confirmed else "."
    return text


def _right_to_left(paragraph: Paragraph) -> None:
    """Mark a paragraph and its runs right to left (w:bidi, w:rtl) and align it right."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement

    properties = paragraph._p.get_or_add_pPr()
    properties.append(OxmlElement("w:bidi"))
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for run in paragraph.runs:
        run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))
        run.font.rtl = True


def bilingual_docx(view: TranslationView) -> bytes:
    from docx import Document

    document = Document()
    document.core_properties.title = view.title
    document.core_properties.language = view.target_lang
    document.add_heading(view.title, level=1)
    document.add_paragraph(_label(view))
    if view.label:
        label = document.add_paragraph(view.label)
        if view.rtl:
            _right_to_left(label)
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text = "English"
    table.rows[0].cells[1].text = view.native_name
    if view.rtl:
        _right_to_left(table.rows[0].cells[1].paragraphs[0])
    for line in view.lines:
        left, right = table.add_row().cells
        left.text, right.text = line.source, line.target
        if line.kind == "heading":
            for cell in (left, right):
                for run in cell.paragraphs[0].runs:
                    run.bold = True
        if view.rtl:
            for paragraph in right.paragraphs:
                _right_to_left(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
