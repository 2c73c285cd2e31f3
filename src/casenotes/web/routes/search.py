"""Search pages: the search form with filters; results refresh in place through HTMX."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from casenotes.domain.errors import InvalidInput
from casenotes.services import cases, search
from casenotes.services.search import SearchFilters
from casenotes.web.deps import CtxDep, CurrentUser, RendererDep
from casenotes.web.rendering import is_htmx

router = APIRouter(include_in_schema=False)


def _date(value: str, label: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"The {label} date is not a date.",
                           hint="Use the date picker, or write YYYY-MM-DD.") from None


def _number(value: str, label: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise InvalidInput(f"The {label} is not a number.", hint="Choose it from the list.")
    return int(value)


@router.get("/search")
def search_page(
    request: Request, ctx: CtxDep, user: CurrentUser, renderer: RendererDep,
    q: Annotated[str, Query(max_length=1000)] = "",
    case: str = "", person: str = "", author: str = "", note_type: str = "",
    source: str = "", date_from: str = "", date_to: str = "",
    mode: str = "hybrid",
) -> Response:
    form = {"q": q, "case": case, "person": person, "author": author, "note_type": note_type,
            "source": source, "date_from": date_from, "date_to": date_to, "mode": mode}
    results = None
    error = None
    hint = None
    if q.strip():
        try:
            filters = SearchFilters(
                case_id=_number(case, "case"), person_id=_number(person, "person"),
                date_from=_date(date_from, "start"), date_to=_date(date_to, "end"),
                author=author or None, note_type=note_type or None, source=source or None)
            results = search.search(ctx, user, q, filters=filters, mode=mode)
        except InvalidInput as problem:
            error, hint = problem.message, problem.hint
    template = "search/results.html" if is_htmx(request) else "search/search.html"
    return renderer.page(request, template, user=user, form=form, results=results,
                         error=error, error_hint=hint, modes=search.MODES,
                         cases=cases.list_cases(ctx, user))
