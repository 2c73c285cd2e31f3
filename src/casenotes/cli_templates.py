"""``casenotes templates``: list the note templates and check an organisation's template folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from casenotes.config import Settings
from casenotes.domain.errors import CasenotesError
from casenotes.pipeline.templates import check_folder, list_templates

templates_app = typer.Typer(help="Note templates.", no_args_is_help=True)
_out = Console(soft_wrap=True)
_err = Console(stderr=True, soft_wrap=True)


def _fail(error: CasenotesError) -> typer.Exit:
    _err.print(f"[bold red]Error:[/] {error.message}")
    if error.hint:
        _err.print(f"[yellow]What to do:[/] {error.hint}")
    return typer.Exit(code=2)


@templates_app.command("check")
def check(
    folder: Annotated[Path, typer.Argument(help="Folder of .yaml template files to check.")],
) -> None:
    """Check every template file in FOLDER; exit with 1 if any is invalid."""
    try:
        results = check_folder(folder)
    except CasenotesError as error:
        raise _fail(error) from None
    for result in results:
        if result.template is not None:
            t = result.template
            reserved = len(t.reserved_sections)
            _out.print(f"[green]ok[/]    {result.file}: {t.title!r}, {len(t.sections)} sections "
                       f"({reserved} reserved), tone {t.tone}")
        else:
            _out.print(f"[red]error[/] {result.problem}")
    bad = sum(1 for r in results if not r.ok)
    _out.print(f"{len(results) - bad} valid, {bad} invalid")
    if bad:
        raise typer.Exit(code=1)


@templates_app.command("list")
def list_all() -> None:
    """List the templates available: the packaged ones and the organisation's folders."""
    try:
        templates = list_templates(Settings().template_dirs)
    except CasenotesError as error:
        raise _fail(error) from None
    for t in templates:
        _out.print(f"{t.name}: {t.title} ({len(t.sections)} sections, tone {t.tone})")
