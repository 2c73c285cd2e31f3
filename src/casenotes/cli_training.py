"""``casenotes training`` (the guidance module) and ``casenotes uses`` (permitted uses)."""

from __future__ import annotations

from typing import Annotated

import typer

from casenotes.cli_support import acting_user, friendly, open_context, out
from casenotes.domain import training as module
from casenotes.domain.errors import InvalidInput
from casenotes.services import permitted_uses, training

training_app = typer.Typer(help="The guidance module that enables AI drafting.",
                           no_args_is_help=True)
uses_app = typer.Typer(help="Which features and templates each role may use (administrators).",
                       no_args_is_help=True)

UserOpt = Annotated[str, typer.Option("--user", "-u", envvar="CASENOTES_USER",
                                      help="Act as this user (audited under that name).")]


@training_app.command("status")
@friendly
def training_status(user: UserOpt) -> None:
    """Whether your guidance is current, and until when."""
    ctx = open_context()
    view = training.status(ctx, acting_user(ctx, user))
    if view.current:
        out.print(f"Guidance {view.module_version} complete; current until {view.expires_at}.")
    elif view.expired:
        out.print(f"Guidance expired on {view.expires_at}: run `casenotes training complete`.")
    else:
        out.print("Guidance not completed yet: run `casenotes training complete`.")


@training_app.command("complete")
@friendly
def training_complete(
    user: UserOpt,
    answer: Annotated[list[str] | None, typer.Option(
        help="QUESTION=CHOICE; questions not answered here are asked")] = None,
) -> None:
    """Read the guidance and answer its questions (all must be right)."""
    ctx = open_context()
    actor = acting_user(ctx, user)
    given: dict[str, str] = {}
    for item in answer or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise InvalidInput(f"{item[:80]!r} is not QUESTION=CHOICE.",
                               hint="For example: --answer consent=refused")
        given[key.strip()] = value.strip()
    if len(given) < len(module.QUESTIONS):
        for page in module.PAGES:
            out.print(f"\n[bold]{page.title}[/]")
            for paragraph in page.paragraphs:
                out.print(paragraph)
    for question in module.QUESTIONS:
        if question.id in given:
            continue
        out.print(f"\n[bold]{question.text}[/]")
        for value, label in question.options:
            out.print(f"  {value}: {label}")
        given[question.id] = typer.prompt("Your answer").strip()
    view = training.complete(ctx, actor, given)
    out.print(f"Guidance complete: AI drafting is enabled for you until {view.expires_at}.")


@uses_app.command("list")
@friendly
def uses_list(user: UserOpt) -> None:
    """Show every feature and template, and which roles may use it."""
    ctx = open_context()
    for cell in permitted_uses.uses(ctx, acting_user(ctx, user)):
        state = "permitted" if cell.permitted else "not permitted"
        out.print(f"{cell.kind:8} {cell.name:28} {cell.role:12} {state}")


@uses_app.command("set")
@friendly
def uses_set(
    role: Annotated[str, typer.Argument(help="practitioner or supervisor")],
    kind: Annotated[str, typer.Argument(help="feature or template")],
    name: Annotated[str, typer.Argument(help="e.g. ai_drafting, or a template name")],
    user: UserOpt,
    permit: Annotated[bool, typer.Option("--permit/--withdraw")] = True,
) -> None:
    """Permit a feature or template for a role, or withdraw it."""
    ctx = open_context()
    permitted_uses.set_use(ctx, acting_user(ctx, user), role=role, kind=kind, name=name,
                           permitted=permit)
    out.print(f"{kind} {name}: {'permitted' if permit else 'not permitted'} for {role}.")
