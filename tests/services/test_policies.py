"""The policy library: documents split into cited passages that answer plain questions."""

from __future__ import annotations

import io

import pytest

from casenotes.domain.errors import InvalidInput, PermissionDenied
from casenotes.engines.search.passages import split_document
from casenotes.services import policies
from casenotes.services.context import AppContext
from casenotes.services.views import UserView
from support import make_user


@pytest.fixture
def admin(ctx: AppContext) -> UserView:
    return make_user(ctx, "admin1", role="admin", team=None)


@pytest.fixture
def library(ctx: AppContext, admin: UserView) -> list[str]:
    return [v.title for v in policies.load_demo_policies(ctx, admin)]


def test_the_demo_policy_set_loads_with_titles_from_its_headings(
    ctx: AppContext, admin: UserView, library: list[str]
) -> None:
    assert "Northmoor Borough Council: Home Visits Procedure" in library
    assert len(library) == 3
    assert policies.load_demo_policies(ctx, admin) == []  # loading again adds nothing


def test_a_plain_question_gets_the_passage_that_answers_it_with_its_section(
    ctx: AppContext, practitioner: UserView, library: list[str]
) -> None:
    answer = policies.ask(ctx, practitioner, "what if I could not see the child on my visit?")
    best = answer.passages[0]
    assert best.section.endswith("3.1 Seeing the child")
    assert "five working days" in best.text
    assert best.citation.startswith("Northmoor Borough Council: Home Visits Procedure, ")


def test_a_question_in_other_words_still_finds_the_poverty_guidance(
    ctx: AppContext, practitioner: UserView, library: list[str]
) -> None:
    answer = policies.ask(ctx, practitioner, "family is skint and cannot pay for gas")
    assert any("Poverty and neglect" in p.section for p in answer.passages)


def test_only_an_administrator_adds_policies(
    ctx: AppContext, practitioner: UserView
) -> None:
    with pytest.raises(PermissionDenied):
        policies.add_policy(ctx, practitioner, filename="a.md", content=b"# A\n\ntext")


def test_bad_documents_are_refused_clearly_and_nothing_is_stored(
    ctx: AppContext, admin: UserView, library: list[str]
) -> None:
    for name, content, words in [
        ("notes.txt", b"hello", "not a document type"),
        ("empty.md", b"", "empty"),
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "could not be read"),
        ("broken.docx", b"PK not a zip", "could not be read"),
        ("latin.md", "# Caf\u00e9".encode("latin-1"), "could not be read"),
    ]:
        with pytest.raises(InvalidInput, match=words):
            policies.add_policy(ctx, admin, filename=name, content=content)
    again = policies.demo_policy_files()[0]
    with pytest.raises(InvalidInput, match="already in the library"):
        policies.add_policy(ctx, admin, filename=again[0], content=again[1])
    assert len(policies.list_policies(ctx, admin)) == 3


def test_html_is_split_under_its_headings() -> None:
    html = (b"<html><head><title>x</title></head><body><nav>Menu</nav><h1>Fostering</h1>"
            b"<p>Intro text.</p><h2>Allowances</h2><p>Carers are paid weekly.</p>"
            b"<ul><li>Birthday money</li></ul></body></html>")
    passages = split_document("html", html)
    assert [(p.heading, p.text) for p in passages] == [
        ("Fostering", "Intro text."),
        ("Fostering > Allowances", "Carers are paid weekly. Birthday money"),
    ]


def test_word_documents_keep_heading_styles() -> None:
    from docx import Document

    document = Document()
    document.add_heading("Leaving care", level=1)
    document.add_paragraph("Young people get a personal adviser until 25.")
    buffer = io.BytesIO()
    document.save(buffer)
    passages = split_document("docx", buffer.getvalue())
    assert passages[0].heading == "Leaving care"
    assert passages[0].text == "Young people get a personal adviser until 25."


def test_pdf_passages_keep_their_page_numbers() -> None:
    from weasyprint import HTML

    pdf = HTML(string="<h1>Transport Policy</h1><p>Taxis need a manager's approval.</p>"
                      "<p style='page-break-before: always'>2. Mileage</p>"
                      "<p>Mileage is paid at the council rate.</p>").write_pdf()
    assert pdf is not None
    passages = split_document("pdf", pdf)
    assert passages[0].page == 1 and "Taxis" in passages[0].text
    assert passages[0].heading == "Transport Policy"
    assert passages[-1].page == 2 and passages[-1].heading.endswith("2. Mileage")
    assert "council rate" in passages[-1].text
