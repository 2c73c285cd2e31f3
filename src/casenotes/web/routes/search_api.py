"""JSON API for search and the policy library (``/api/search``, ``/api/policies/ask``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from casenotes.services import policies, search
from casenotes.services.search import SearchFilters
from casenotes.web.deps import CtxDep, CurrentUser
from casenotes.web.routes.api import ERRORS

router = APIRouter(prefix="/api", responses=ERRORS)


class SearchHitOut(BaseModel):
    case_id: int
    case_reference: str
    note_id: int | None
    recording_id: int | None
    source: str
    title: str
    section: str
    snippet: str
    highlights: list[str] = Field(description="The words in the snippet that matched")
    link: str
    evidence_segments: list[int]
    occurred_at: str
    found_by: list[str]
    score: float


class SearchOut(BaseModel):
    query: str
    mode: str
    hits: list[SearchHitOut]
    concepts: list[str] = Field(
        default=[], description="Concepts the query names, whose usual signs were looked for too")


class AskIn(BaseModel):
    question: str = Field(max_length=2000)
    passages: int = Field(default=3, ge=1, le=20)
    model_answer: bool | None = Field(
        default=None, description="Ask the language model for a cited answer too (default: "
                                  "the organisation's setting)")


class PassageOut(BaseModel):
    document: str
    section: str
    page: int | None
    text: str
    citation: str
    score: float


class ModelSentenceOut(BaseModel):
    text: str
    cites: list[int] = Field(description="Numbers (1-based) of the passages it relies on")
    flag: str = Field(description="Why not to rely on it; empty when its citations back it")


class AnswerOut(BaseModel):
    question: str
    passages: list[PassageOut]
    model: str = ""
    model_answer: list[ModelSentenceOut] = []
    model_problem: str = ""


@router.get("/search", tags=["search"])
def api_search(
    ctx: CtxDep, user: CurrentUser,
    q: Annotated[str, Query(max_length=2000, description="What to search for")],
    case_id: int | None = None, person_id: int | None = None,
    date_from: date | None = None, date_to: date | None = None, author: str | None = None,
    note_type: str | None = None, source: str | None = None, mode: str = "hybrid",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchOut:
    """Passages of signed notes and held transcripts in the cases you may see, best first."""
    results = search.search(ctx, user, q, mode=mode, limit=limit, filters=SearchFilters(
        case_id=case_id, person_id=person_id, date_from=date_from, date_to=date_to,
        author=author, note_type=note_type, source=source))
    return SearchOut(query=results.query, mode=results.mode, concepts=list(results.concepts), hits=[
        SearchHitOut(
            case_id=h.case_id, case_reference=h.case_reference, note_id=h.note_id,
            recording_id=h.recording_id, source=h.source, title=h.title, section=h.section,
            snippet=h.snippet_text, highlights=[t for t, m in h.snippet if m], link=h.link,
            evidence_segments=list(h.evidence_segments), occurred_at=h.occurred_at,
            found_by=list(h.found_by), score=h.score)
        for h in results.hits])


@router.post("/policies/ask", tags=["policies"])
def api_ask(body: AskIn, ctx: CtxDep, user: CurrentUser) -> AnswerOut:
    """The policy passages that best answer a question, with document, section and page."""
    answer = policies.ask(ctx, user, body.question, limit=body.passages,
                          model_answer=body.model_answer)
    return AnswerOut(question=answer.question, passages=[
        PassageOut(document=p.document, section=p.section, page=p.page, text=p.text,
                   citation=p.citation, score=p.score) for p in answer.passages],
        model=answer.model, model_problem=answer.model_problem, model_answer=[
            ModelSentenceOut(text=s.text, cites=list(s.cites), flag=s.flag)
            for s in answer.model_sentences])
