"""The family network page (ecomap and table), decisions on suggestions, export."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from casenotes.services import family_network
from casenotes.web.deps import CtxDep, CurrentUser, RendererDep
from casenotes.web.routes.api import ERRORS

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api", responses=ERRORS)


@router.get("/cases/{case_id}/network")
def network_page(request: Request, case_id: int, ctx: CtxDep, user: CurrentUser,
                 renderer: RendererDep) -> Response:
    view = family_network.get_network(ctx, user, case_id)
    positions = {p.name: (p.x, p.y) for p in view.people}
    return renderer.page(request, "search/network.html", user=user, network=view,
                         positions=positions)


@router.post("/cases/{case_id}/network/{link_id}")
def decide(case_id: int, link_id: int, ctx: CtxDep, user: CurrentUser,
           decision: Annotated[str, Form()]) -> Response:
    family_network.decide(ctx, user, case_id, link_id, decision)
    return RedirectResponse(f"/cases/{case_id}/network", status_code=303)


@router.post("/cases/{case_id}/network")
def add(case_id: int, ctx: CtxDep, user: CurrentUser, from_name: Annotated[str, Form()],
        relation: Annotated[str, Form()], to_name: Annotated[str, Form()]) -> Response:
    family_network.add_relationship(ctx, user, case_id, from_name=from_name, to_name=to_name,
                                    relation=relation)
    return RedirectResponse(f"/cases/{case_id}/network", status_code=303)


@router.get("/cases/{case_id}/network.csv")
def export(case_id: int, ctx: CtxDep, user: CurrentUser) -> Response:
    view = family_network.get_network(ctx, user, case_id)
    return Response(family_network.export_csv(view), media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="network-{view.case_reference}.csv"'})


@api_router.get("/cases/{case_id}/network", tags=["cases"])
def api_network(case_id: int, ctx: CtxDep, user: CurrentUser) -> dict[str, Any]:
    """People, confirmed relationships and suggestions awaiting a decision (kept apart)."""
    view = family_network.get_network(ctx, user, case_id)
    return asdict(view)
