"""Evaluation pages (issue 10): the practice dashboard, the bias audit, the DPIA pack, and the
equality-monitoring form on a case."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Request
from markupsafe import Markup
from starlette.responses import RedirectResponse, Response

from casenotes.services import bias_audit, dpia_pack, person_characteristics, practice_dashboard
from casenotes.services.practice_dashboard import DashboardView, GroupRow
from casenotes.web.charts import Bar, bar_chart
from casenotes.web.deps import CtxDep, CurrentUser, RendererDep

router = APIRouter(include_in_schema=False)

MEDIA = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@dataclass(frozen=True)
class ChartBlock:
    id: str
    title: str
    svg: Markup
    column: str
    value_label: str
    rows: tuple[tuple[str, str], ...]
    csv: str


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _one(value: float) -> str:
    return f"{value:.1f}"


def _charts(view: DashboardView) -> list[ChartBlock]:
    measures: list[tuple[str, str, Callable[[GroupRow], float | None],
                         Callable[[float], str]]] = [
        ("draft-time", "Median minutes from end of recording to draft ready",
         lambda r: r.minutes_to_draft, _one),
        ("sign-time", "Median hours from end of recording to sign-off",
         lambda r: r.hours_to_sign, _one),
        ("edit-share", "Mean share of the AI draft changed by the practitioner",
         lambda r: r.edit_share, _pct),
        ("unedited", "Notes signed almost unedited", lambda r: r.almost_unedited, _pct),
        ("unsupported", "Unsupported-claim flags per 100 drafted sentences",
         lambda r: r.unsupported_per_100, _one),
        ("omission", "Omission flags per 100 drafted sentences",
         lambda r: r.omission_per_100, _one),
        ("voice", "Signed notes keeping the person's own words", lambda r: r.voice_share, _pct),
    ]
    blocks = []
    csv_link = f"/evaluation/dashboard.csv?by={view.by}"
    for chart_id, title, get, fmt in measures:
        bars = []
        for row in view.rows:
            value = get(row)
            bars.append(Bar(row.label, value, fmt(value) if value is not None else "no data"))
        blocks.append(ChartBlock(
            chart_id, title, bar_chart(f"chart-{chart_id}", title, bars), view.by_label,
            "Value", tuple((b.label, b.shown) for b in bars), csv_link))
    flag_bars = [Bar(f.kind, float(f.raised), str(f.raised)) for f in view.flags]
    blocks.append(ChartBlock(
        "flags", "Flags raised by kind", bar_chart("chart-flags", "Flags raised by kind",
                                                   flag_bars),
        "Kind", "Raised", tuple((b.label, b.shown) for b in flag_bars), "/evaluation/flags.csv"))
    energy_bars = [Bar(e.label, e.energy_wh, f"{e.energy_wh:.3f} Wh ({e.method})")
                   for e in view.energy_by_month]
    blocks.append(ChartBlock(
        "energy", "Energy per month (Wh)", bar_chart("chart-energy", "Energy per month (Wh)",
                                                     energy_bars),
        "Month", "Energy and method", tuple((b.label, b.shown) for b in energy_bars),
        "/evaluation/energy.csv"))
    return blocks


def _csv(text: str, name: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/evaluation")
def dashboard_page(request: Request, ctx: CtxDep, user: CurrentUser, renderer: RendererDep,
                   by: str = "team") -> Response:
    view = practice_dashboard.dashboard(ctx, user, by)
    return renderer.page(request, "evaluation/dashboard.html", user=user, view=view,
                         charts=_charts(view), dimensions=practice_dashboard.DIMENSIONS)


@router.get("/evaluation/dashboard.csv")
def dashboard_csv(ctx: CtxDep, user: CurrentUser, by: str = "team") -> Response:
    view = practice_dashboard.dashboard(ctx, user, by)
    return _csv(practice_dashboard.dashboard_csv(view), f"practice-dashboard-by-{by}.csv")


@router.get("/evaluation/flags.csv")
def flags_csv(ctx: CtxDep, user: CurrentUser) -> Response:
    view = practice_dashboard.dashboard(ctx, user)
    return _csv(practice_dashboard.flags_csv(view), "flags-by-kind.csv")


@router.get("/evaluation/energy.csv")
def energy_csv(ctx: CtxDep, user: CurrentUser) -> Response:
    view = practice_dashboard.dashboard(ctx, user)
    return _csv(practice_dashboard.energy_csv(view), "energy-and-cost.csv")


@router.get("/evaluation/bias")
def bias_page(request: Request, ctx: CtxDep, user: CurrentUser,
              renderer: RendererDep) -> Response:
    view = bias_audit.audit(ctx, user)
    return renderer.page(request, "evaluation/bias.html", user=user, audit=view)


@router.get("/evaluation/bias.csv")
def bias_csv(ctx: CtxDep, user: CurrentUser) -> Response:
    return _csv(bias_audit.audit_csv(bias_audit.audit(ctx, user)), "bias-audit.csv")


@router.get("/evaluation/dpia")
def dpia_page(request: Request, ctx: CtxDep, user: CurrentUser,
              renderer: RendererDep) -> Response:
    if user.role not in dpia_pack.READERS:
        dpia_pack.build_pack(ctx, user)  # refuses (403) and audits the refusal
    return renderer.page(request, "evaluation/dpia.html", user=user)


@router.get("/evaluation/dpia.{fmt}")
def dpia_download(fmt: str, ctx: CtxDep, user: CurrentUser) -> Response:
    name, data = dpia_pack.export_pack(ctx, user, fmt)
    return Response(data, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/cases/{case_id}/characteristics")
def characteristics_page(request: Request, case_id: int, ctx: CtxDep, user: CurrentUser,
                         renderer: RendererDep, saved: bool = False) -> Response:
    view = person_characteristics.get(ctx, user, case_id)
    return renderer.page(request, "evaluation/characteristics.html", user=user, view=view,
                         characteristics=person_characteristics.CHARACTERISTICS,
                         notice="Saved." if saved else None)


@router.post("/cases/{case_id}/characteristics")
def characteristics_save(
    case_id: int, ctx: CtxDep, user: CurrentUser,
    ethnicity: Annotated[str, Form(max_length=40)] = "",
    first_language: Annotated[str, Form(max_length=40)] = "",
    age_band: Annotated[str, Form(max_length=40)] = "",
    disability: Annotated[str, Form(max_length=40)] = "",
    sex: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    person_characteristics.save(ctx, user, case_id, {
        "ethnicity": ethnicity, "first_language": first_language, "age_band": age_band,
        "disability": disability, "sex": sex})
    return RedirectResponse(f"/cases/{case_id}/characteristics?saved=true", status_code=303)
