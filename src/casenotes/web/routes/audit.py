"""The audit trail, for auditors and administrators, with a check of its hash chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from casenotes.services import audit_log
from casenotes.web.deps import CtxDep, CurrentUser, RendererDep

router = APIRouter(include_in_schema=False)


@router.get("/audit")
def audit_page(
    request: Request,
    ctx: CtxDep,
    user: CurrentUser,
    renderer: RendererDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> Response:
    # list_events refuses (and audits the refusal) for anyone but auditors and admins.
    events = audit_log.list_events(ctx, user, limit=limit)
    return renderer.page(request, "audit.html", user=user, events=events,
                         verify=audit_log.verify_chain(ctx), limit=limit)
