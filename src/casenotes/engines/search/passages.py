"""Split policy documents (Markdown, HTML, PDF, DOCX) into passages under their headings."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser

MAX_PASSAGE_CHARS = 900
FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
           ".pdf": "pdf", ".docx": "docx"}


class UnreadableDocument(ValueError):
    """The file is not a readable document of the format its name says."""


@dataclass(frozen=True)
class Passage:
    heading: str  # "Section > Subsection"
    page: int | None
    text: str


class _Builder:
    """Collects (heading level, heading) and paragraphs into passages of bounded size."""

    def __init__(self) -> None:
        self.passages: list[Passage] = []
        self._headings: list[tuple[int, str]] = []
        self._parts: list[str] = []
        self._page: int | None = None

    @property
    def heading(self) -> str:
        return " > ".join(h for _, h in self._headings)

    def heading_at(self, level: int, text: str) -> None:
        self.flush()
        self._headings = [(lv, h) for lv, h in self._headings if lv < level]
        self._headings.append((level, " ".join(text.split())))

    def paragraph(self, text: str, page: int | None = None) -> None:
        text = " ".join(text.split())
        if not text:
            return
        if page != self._page and self._parts:
            self.flush()
        self._page = page
        if self._parts and sum(len(p) for p in self._parts) + len(text) > MAX_PASSAGE_CHARS:
            self.flush()
        self._parts.append(text)

    def flush(self) -> None:
        if self._parts:
            self.passages.append(Passage(self.heading, self._page, " ".join(self._parts)))
        self._parts = []


def split_markdown(source: str) -> list[Passage]:
    builder = _Builder()
    paragraph: list[str] = []

    def end_paragraph() -> None:
        builder.paragraph(" ".join(paragraph))
        paragraph.clear()

    for line in source.splitlines():
        heading = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if heading:
            end_paragraph()
            builder.heading_at(len(heading.group(1)), heading.group(2))
        elif not line.strip():
            end_paragraph()
        else:
            paragraph.append(re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line).replace("**", ""))
    end_paragraph()
    builder.flush()
    return builder.passages


class _HtmlSplitter(HTMLParser):
    _BLOCKS = {"p", "li", "td", "th", "dd", "dt", "blockquote", "pre", "div", "br"}
    _SKIP = {"script", "style", "nav", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.builder = _Builder()
        self._text: list[str] = []
        self._heading: int | None = None
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self._end()
            self._heading = int(tag[1])
        elif tag in self._BLOCKS:
            self._end()

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif re.fullmatch(r"h[1-6]", tag) or tag in self._BLOCKS:
            self._end()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._text.append(data)

    def _end(self) -> None:
        text = " ".join("".join(self._text).split())
        self._text = []
        if self._heading is not None:
            if text:
                self.builder.heading_at(self._heading, text)
            self._heading = None
        elif text:
            self.builder.paragraph(text)


def split_html(source: str) -> list[Passage]:
    parser = _HtmlSplitter()
    parser.feed(source)
    parser.close()
    parser._end()
    parser.builder.flush()
    return parser.builder.passages


_NUMBERED_HEADING = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+([A-Z].{0,80})$")


def split_pdf(data: bytes) -> list[Passage]:
    """Pages keep their numbers; short numbered or title-like lines are taken as headings."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise UnreadableDocument("not a readable PDF") from exc
    builder = _Builder()
    for number, text in enumerate(pages, start=1):
        paragraph: list[str] = []
        for line in text.splitlines() + [""]:
            stripped = line.strip()
            numbered = _NUMBERED_HEADING.match(stripped)
            if numbered and not stripped.endswith("."):
                builder.paragraph(" ".join(paragraph), number)
                paragraph = []
                builder.heading_at(numbered.group(1).count(".") + 2, stripped)
            elif _looks_like_title(stripped):
                builder.paragraph(" ".join(paragraph), number)
                paragraph = []
                builder.heading_at(1, stripped)
            elif not stripped:
                builder.paragraph(" ".join(paragraph), number)
                paragraph = []
            else:
                paragraph.append(stripped)
    builder.flush()
    return builder.passages


def _looks_like_title(line: str) -> bool:
    words = line.split()
    return (0 < len(words) <= 8 and not line.endswith((".", ",", ";", ":"))
            and all(w[0].isupper() or not w[0].isalpha() or w in ("and", "of", "the", "to",
                                                                    "for", "in", "a", "on")
                    for w in words)
            and words[0][0].isupper())


def split_docx(data: bytes) -> list[Passage]:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocument("not a readable Word document") from exc
    builder = _Builder()
    for paragraph in document.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        level = re.match(r"Heading (\d)", style or "")
        if style == "Title":
            builder.heading_at(1, paragraph.text)
        elif level:
            builder.heading_at(int(level.group(1)) + 1, paragraph.text)
        else:
            builder.paragraph(paragraph.text)
    builder.flush()
    return builder.passages


def split_document(kind: str, data: bytes) -> list[Passage]:
    """Passages of a document of ``kind`` (a value of ``FORMATS``)."""
    if kind in ("markdown", "html"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnreadableDocument("not UTF-8 text") from exc
        return split_markdown(text) if kind == "markdown" else split_html(text)
    if kind == "pdf":
        return split_pdf(data)
    if kind == "docx":
        return split_docx(data)
    raise UnreadableDocument(f"unknown format {kind}")
