"""Records governance on the command line: retention sweeps, subject access, note exports.

Registered on the main CLI with ``register(app)``; a thin shell over the services.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from casenotes.cli_support import acting_user, err, friendly, open_context, out
from casenotes.services import consent_ledger, exports, retention, subject_access

retention_app = typer.Typer(help="Retention: delete what the policy says is due.",
                            no_args_is_help=True)
sar_app = typer.Typer(help="Subject access requests.", no_args_is_help=True)
note_app = typer.Typer(help="Signed notes: export them.", no_args_is_help=True)
session_app = typer.Typer(help="Session consent: withdraw after the fact.", no_args_is_help=True)

UserOpt = Annotated[str, typer.Option("--user", "-u", envvar="CASENOTES_USER",
                                      help="Act as this user (audited under that name).")]


def register(app: typer.Typer) -> None:
    app.add_typer(retention_app, name="retention")
    app.add_typer(sar_app, name="sar")
    app.add_typer(note_app, name="note")
    app.add_typer(session_app, name="session")


@retention_app.command("run")
@friendly
def retention_run(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what is due; delete nothing")]
    = False,
    user: Annotated[str | None, typer.Option(
        "--user", "-u", help="Run as this administrator (default: the scheduled system job)")]
    = None,
) -> None:
    """Delete everything due under the retention policy (files, rows; SQLite is vacuumed)."""
    ctx = open_context()
    try:
        actor = acting_user(ctx, user) if user else None
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, transient=True) as progress:
            task = progress.add_task("checking sessions" if dry_run else "deleting", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            report = retention.run_retention(ctx, actor, dry_run=dry_run, progress=advance)
    finally:
        ctx.close()
    table = Table(title="Dry run: due now (nothing deleted)" if dry_run else "Deleted")
    table.add_column("kind")
    table.add_column("policy")
    table.add_column("sessions", justify="right")
    counts = dict(report.counts)
    for kind, rule in report.policy:
        table.add_row(kind, rule, str(counts[kind]) if kind in counts else "-")
    out.print(table)
    if dry_run:
        out.print("Dry run: nothing was deleted. Run without --dry-run to delete.")
    else:
        out.print(f"Retention sweep done; database vacuumed: {'yes' if report.vacuumed else 'no'}.")


@sar_app.command("export")
@friendly
def sar_export(
    person: Annotated[str, typer.Argument(help="The person's name or alias on the case record")],
    user: UserOpt,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="ZIP file to write")]
    = None,
) -> None:
    """Export everything held about PERSON as a ZIP (JSON and a readable PDF), redacted."""
    ctx = open_context()
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                      console=err, transient=True) as progress:
            task = progress.add_task("gathering, redacting, rendering", total=1)
            export = subject_access.export_subject_access(ctx, acting_user(ctx, user), person)
            progress.update(task, completed=1)
    finally:
        ctx.close()
    target = output or Path(export.filename)
    target.write_bytes(export.data)
    out.print(f"Wrote {target}: {export.notes} note(s), {export.recordings} session(s), "
              f"{export.access_events} access record(s).")


@note_app.command("export")
@friendly
def note_export(
    note: int, user: UserOpt,
    fmt: Annotated[str, typer.Option("--format", "-f", help="pdf or docx")] = "pdf",
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    """Export a signed note (with its label, versions and replies) as PDF or DOCX."""
    ctx = open_context()
    try:
        name, data = exports.export_note(ctx, acting_user(ctx, user), note, fmt.lower())
    finally:
        ctx.close()
    target = output or Path(name)
    target.write_bytes(data)
    out.print(f"Wrote {target}.")


@session_app.command("withdraw")
@friendly
def session_withdraw(
    recording: int, party: str, user: UserOpt,
    method: Annotated[str, typer.Option(help="verbal, written, signed form, electronic")]
    = "verbal",
) -> None:
    """Record that PARTY withdrew consent: the session's audio and transcript are deleted."""
    ctx = open_context()
    try:
        result = consent_ledger.withdraw(ctx, acting_user(ctx, user), recording, party=party,
                                         method=method)
    finally:
        ctx.close()
    out.print(result.message)
