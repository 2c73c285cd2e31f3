"""Evaluation on the command line: the practice dashboard, the bias audit, energy, the DPIA pack.

Registered on the main CLI with ``register(app)``; a thin shell over the services.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from casenotes.cli_support import acting_user, err, friendly, open_context, out
from casenotes.services import bias_audit, dpia_pack, practice_dashboard

evaluation_app = typer.Typer(
    help="Evaluation: practice dashboard, bias audit, energy, DPIA pack.", no_args_is_help=True)

UserOpt = Annotated[str, typer.Option("--user", "-u", envvar="CASENOTES_USER",
                                      help="Act as this user (audited under that name).")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table")]


def register(app: typer.Typer) -> None:
    app.add_typer(evaluation_app, name="evaluation")


def _n(value: float | None, fmt: str = "{:.2f}") -> str:
    return "—" if value is None else fmt.format(value)


@evaluation_app.command("dashboard")
@friendly
def dashboard(
    user: UserOpt,
    by: Annotated[str, typer.Option(help="team, practitioner, template or month")] = "team",
    csv: CsvOpt = False,
) -> None:
    """Time to draft and sign-off, edit share, flags and the person's voice, by group."""
    ctx = open_context()
    try:
        view = practice_dashboard.dashboard(ctx, acting_user(ctx, user), by)
    finally:
        ctx.close()
    if csv:
        out.print(practice_dashboard.dashboard_csv(view), end="", markup=False)
        return
    table = Table(title=f"Practice dashboard by {view.by_label.lower()} ({view.scope})")
    for column in (view.by_label, "drafts", "signed", "min. to draft", "hours to sign",
                   "edit share", "almost unedited", "unsupported /100", "omission /100",
                   "voice kept"):
        table.add_column(column)
    for row in (*view.rows, view.overall):
        table.add_row(row.label, str(row.drafts), str(row.signed), _n(row.minutes_to_draft),
                      _n(row.hours_to_sign), _n(row.edit_share, "{:.0%}"),
                      _n(row.almost_unedited, "{:.0%}"), _n(row.unsupported_per_100),
                      _n(row.omission_per_100), _n(row.voice_share, "{:.0%}"))
    out.print(table)


@evaluation_app.command("energy")
@friendly
def energy(user: UserOpt, csv: CsvOpt = False) -> None:
    """Energy and cost per month and per stage, with the method used for each figure."""
    ctx = open_context()
    try:
        view = practice_dashboard.dashboard(ctx, acting_user(ctx, user))
    finally:
        ctx.close()
    if csv:
        out.print(practice_dashboard.energy_csv(view), end="", markup=False)
        return
    table = Table(title=f"Energy and cost ({view.currency}{view.price_per_kwh:g}/kWh)")
    for column in ("month or stage", "sessions", "CPU s", "wall s", "Wh", "Wh/session",
                   f"cost {view.currency}", "method"):
        table.add_column(column)
    for row in (*view.energy_by_month, *view.energy_by_stage):
        table.add_row(row.label, str(row.sessions), f"{row.cpu_seconds:.1f}",
                      f"{row.wall_seconds:.1f}", f"{row.energy_wh:.3f}",
                      _n(row.wh_per_session, "{:.3f}"), f"{row.cost:.6f}", row.method)
    out.print(table)
    err.print(f"Energy on this machine now: {view.energy_method_now}.")


@evaluation_app.command("bias-audit")
@friendly
def bias(user: UserOpt, csv: CsvOpt = False) -> None:
    """Quality measures by the recorded characteristics of the person receiving support."""
    ctx = open_context()
    try:
        view = bias_audit.audit(ctx, acting_user(ctx, user))
    finally:
        ctx.close()
    if csv:
        out.print(bias_audit.audit_csv(view), end="", markup=False)
        return
    for characteristic in view.characteristics:
        table = Table(title=characteristic.name)
        table.add_column("group")
        table.add_column("people")
        for _, measure in view.measures:
            table.add_column(measure)
        for group in characteristic.groups:
            if group.suppressed:
                table.add_row(group.label, f"fewer than {view.min_group}",
                              *["suppressed"] * len(view.measures))
                continue
            table.add_row(group.label, str(group.people), *[
                bias_audit.cell_text(c, lambda v: f"{v:.2f}")
                + (f" ×{c.ratio:.2f}" if c.ratio is not None else "")
                + (" WARNING" if c.warn else "") for c in group.cells])
        out.print(table)
    for warning in view.warnings:
        err.print(f"[bold red]Warning:[/] {warning}", markup=True)


@evaluation_app.command("dpia")
@friendly
def dpia(
    user: UserOpt,
    fmt: Annotated[str, typer.Option("--format", help="pdf or docx")] = "pdf",
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="File to write (default: a dated name)")]
    = None,
) -> None:
    """Generate the DPIA and equality support pack from the live configuration."""
    ctx = open_context()
    try:
        name, data = dpia_pack.export_pack(ctx, acting_user(ctx, user), fmt)
    finally:
        ctx.close()
    path = output or Path(name)
    path.write_bytes(data)
    out.print(f"Wrote {path} ({len(data):,} bytes).")
