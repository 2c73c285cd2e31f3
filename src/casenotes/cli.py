"""The command line: a thin shell over the same services the web app uses."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from casenotes.cli_audio import transcribe
from casenotes.cli_keys import keys_app
from casenotes.cli_search import policy_app, search_app
from casenotes.cli_support import acting_user, err, friendly, open_context, out
from casenotes.cli_templates import templates_app
from casenotes.cli_training import training_app, uses_app
from casenotes.config import Settings
from casenotes.domain.errors import InvalidInput
from casenotes.services import accounts, audit_log, cases, demo, processing, recordings, review
from casenotes.services.context import build_context

app = typer.Typer(help="casenotes: AI case-recording assistant for social workers.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
user_app = typer.Typer(help="Manage local accounts.", no_args_is_help=True)
audit_app = typer.Typer(help="Read and verify the audit trail.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
case_app = typer.Typer(help="Cases and allocations.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")
app.add_typer(db_app, name="db")
app.add_typer(case_app, name="case")
__import__("casenotes.cli_governance").cli_governance.register(app)  # retention, sar, note, session
__import__("casenotes.cli_letters").cli_letters.register(app)  # letters translate (issue 11)
__import__("casenotes.cli_evaluation").cli_evaluation.register(app)  # dashboard, bias, DPIA
app.add_typer(templates_app, name="templates")
app.add_typer(keys_app, name="keys")
app.add_typer(search_app, name="search")
app.add_typer(policy_app, name="policy")
app.add_typer(training_app, name="training")  # training gate (issue 10)
app.add_typer(uses_app, name="uses")
app.command("transcribe")(transcribe)


UserOpt = Annotated[str, typer.Option("--user", "-u", envvar="CASENOTES_USER",
                                      help="Act as this user (audited under that name).")]


@db_app.command("upgrade")
@friendly
def db_upgrade() -> None:
    """Create or migrate the database to the newest schema."""
    settings = Settings()
    ctx = build_context(settings)
    ctx.close()
    out.print(f"Database is up to date ({_safe_url(settings.sqlalchemy_url)}).")


def _safe_url(url: str) -> str:
    if "@" in url:  # hide credentials
        scheme, _, rest = url.partition("://")
        return f"{scheme}://…@{rest.rpartition('@')[2]}"
    return url


@user_app.command("add")
@friendly
def user_add(
    username: str,
    role: Annotated[str, typer.Option(help="practitioner, supervisor, admin or auditor")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True,
                                          confirmation_prompt=True,
                                          envvar="CASENOTES_NEW_PASSWORD")],
    team: Annotated[str | None, typer.Option(help="Team (supervisors see their team's cases)")]
    = None,
    display_name: Annotated[str, typer.Option(help="Name shown in the app")] = "",
) -> None:
    """Add a local account."""
    ctx = open_context()
    user = accounts.add_user(ctx, username=username, password=password, role=role,
                             display_name=display_name, team=team)
    out.print(f"Added {user.role} [bold]{user.username}[/].")


@case_app.command("create")
@friendly
def case_create(
    reference: str,
    title: Annotated[str, typer.Option(help="A short title")],
    user: UserOpt,
    team: Annotated[str | None, typer.Option()] = None,
    person: Annotated[list[str] | None, typer.Option(
        help="A person in the case as 'Full Name:role[:alias,alias]' (repeat)")] = None,
) -> None:
    """Create a case; the acting practitioner is allocated to it."""
    ctx = open_context()
    people = []
    for spec in person or []:
        name, _, rest = spec.partition(":")
        role, _, aliases = rest.partition(":")
        people.append((name.strip(), role.strip(), [a.strip() for a in aliases.split(",")
                                                    if a.strip()]))
    case_id = cases.create_case(ctx, acting_user(ctx, user), reference=reference, title=title,
                                team=team, people=people)
    out.print(f"Created case {case_id} ({reference}).")


@case_app.command("allocate")
@friendly
def case_allocate(case_id: int, username: str) -> None:
    """Allocate a case to a user."""
    ctx = open_context()
    cases.allocate(ctx, None, case_id, username)
    out.print(f"Allocated case {case_id} to {username}.")


@app.command("import-transcript")
@friendly
def import_transcript(
    file: Annotated[Path, typer.Argument(help="A .txt ('Speaker: words'), .vtt or .srt file")],
    case: Annotated[int, typer.Option("--case", help="The case number")],
    user: UserOpt,
    title: Annotated[str, typer.Option(help="A title for this visit")] = "",
    template: Annotated[str, typer.Option(help="Note template")] = "home_visit_note",
    consent: Annotated[list[str] | None, typer.Option(
        help="Record a consent decision as 'Speaker=granted' (repeat for each party)")] = None,
) -> None:
    """Import a visit transcript into a case."""
    if not file.is_file():
        raise InvalidInput(f"There is no file at {file}.", hint="Check the path and try again.")
    ctx = open_context()
    actor = acting_user(ctx, user)
    rec = recordings.import_transcript(ctx, actor, case, filename=file.name,
                                       content=file.read_bytes(), title=title, template=template)
    for spec in consent or []:
        party, _, decision = spec.rpartition("=")
        recordings.record_consent(ctx, actor, rec.id, party=party, decision=decision)
    speakers = recordings.speakers(ctx, actor, rec.id)
    out.print(f"Imported recording {rec.id} with speakers: {', '.join(speakers)}.")


@app.command("consent")
@friendly
def consent(
    recording: int,
    party: Annotated[str, typer.Option(help="The speaker as it appears in the transcript")],
    decision: Annotated[str, typer.Option(help="granted, declined or withdrawn")],
    user: UserOpt,
    method: Annotated[str, typer.Option(help="verbal or written")] = "verbal",
) -> None:
    """Record one party's consent decision for a recording."""
    ctx = open_context()
    recordings.record_consent(ctx, acting_user(ctx, user), recording, party=party,
                              decision=decision, method=method)
    out.print(f"Recorded: {party} {decision}.")


@app.command("draft")
@friendly
def draft(recording: int, user: UserOpt) -> None:
    """Pseudonymise, draft and check a recording (resumes where it stopped), then show it."""
    ctx = open_context()
    actor = acting_user(ctx, user)
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task("consent → pseudonymise → draft → check", total=1)
        processing.process_recording(ctx, actor, recording)
        progress.update(task, completed=1)
    view = review.get_review(ctx, actor, recording)
    for section in view.sections:
        out.print(f"\n[bold]{section.name}[/]" + ("  [dim](reserved for you)[/]"
                                                 if section.reserved else ""))
        for sentence in section.sentences:
            turns = ", ".join(str(i) for i in sentence.segment_ids)
            out.print(f"  {sentence.text} [dim](turn {turns})[/]", highlight=False)
            for flag in sentence.flags:
                out.print(f"    [yellow]⚑ {flag.explanation}[/]", highlight=False)
    out.print(f"\n{view.open_flags} open flag(s). Review and sign in the web app.")


@app.command("demo")
@friendly
def demo_cmd() -> None:
    """Load the fictional demo case (users, a case, a processed visit)."""
    ctx = open_context()
    info = demo.load_demo(ctx)
    out.print(f"Demo case loaded (case {info.case_id}, recording {info.recording_id}).")
    out.print(f"Demo login: [bold]{info.username}[/] / [bold]{info.password}[/]")


@audit_app.command("verify")
@friendly
def audit_verify() -> None:
    """Check every link of the audit chain; exit 1 at the first broken one."""
    result = audit_log.verify_chain(open_context())
    if result.ok:
        out.print(f"Audit chain intact: {result.events} events.")
        return
    err.print(f"[bold red]Audit chain broken at event {result.broken_at}:[/] {result.reason}.")
    raise typer.Exit(code=1)


@app.command("serve")
@friendly
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
) -> None:
    """Serve the web app."""
    import uvicorn

    from casenotes.web.app import create_app

    settings = Settings()
    web_app = create_app(settings)
    out.print(f"casenotes is running at [bold]http://{host}:{port}/[/]")
    out.print(f"Demo login (after 'casenotes demo'): {demo.DEMO_USERNAME} / {demo.DEMO_PASSWORD}")
    uvicorn.run(web_app, host=host, port=port, log_level="warning")


if __name__ == "__main__":  # pragma: no cover
    app()
