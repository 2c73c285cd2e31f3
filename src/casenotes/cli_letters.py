"""``casenotes letters``: a signed note's letter in the family's language (issue 11).

Translation runs on this device, sentence by sentence, and every check runs before anything can
be exported; the practitioner confirms the translation first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from casenotes.cli_support import acting_user, err, friendly, open_context, out
from casenotes.engines.translation.bergamot_dir_engine import scan
from casenotes.services import translations
from casenotes.services.views import TranslationView

letters_app = typer.Typer(help="Letters to families, in their language.", no_args_is_help=True)
UserOpt = Annotated[str, typer.Option("--user", "-u", envvar="CASENOTES_USER",
                                      help="Act as this user (audited under that name).")]


def register(app: typer.Typer) -> None:
    app.add_typer(letters_app, name="letters")


def _show(view: TranslationView, *, all_lines: bool) -> None:
    checks = view.checks
    out.print(f"[bold]Translation {view.id}[/] of note {view.note_id} into {view.language_name}"
              f" — machine-translated by {view.engine} ({view.engine_version})")
    out.print(f"English sentences: {checks.get('source_sentences')}, translated: "
              f"{checks.get('translated_sentences')}, dropped: {checks.get('dropped')}, "
              f"number/date/time/name problems: {checks.get('fact_problems')}, "
              f"flagged for review: {checks.get('flagged')}"
              + ("" if checks.get("back_translated") else " (not back-translated)"))
    for index, line in enumerate(view.lines):
        if not (all_lines or line.problems or line.flagged):
            continue
        mark = ("[red]problem[/]" if line.problems else
                "[yellow]review[/]" if line.flagged else line.kind)
        out.print(f"\n[dim]{index}[/] {mark}: {line.source}", highlight=False)
        out.print(f"    → {line.target}", highlight=False)
        if line.back:
            out.print(f"    ← {line.back} [dim](similarity {line.similarity})[/]",
                      highlight=False)
        for problem in line.problems:
            out.print(f"    [red]{problem}[/]")
    status = (f"confirmed by {view.confirmed_by} on {view.confirmed_at}" if view.confirmed
              else "not confirmed: check it, then run `casenotes letters confirm "
                   f"{view.id}`")
    out.print(f"\nStatus: {status}")


@letters_app.command("languages")
@friendly
def languages() -> None:
    """Which languages letters can be translated into on this device, and why not the others."""
    ctx = open_context()
    table = Table("code", "language", "available", "engine / why not")
    for option in translations.language_options(ctx):
        table.add_row(option.code, option.name, "yes" if option.available else "no",
                      option.engine or option.reason)
    out.print(table)
    for folder in scan(ctx.settings.translation_model_dirs):
        state = f"[red]not usable: {folder.problem}[/]" if folder.problem else "usable"
        out.print(f"Model folder {folder.path} ({folder.source}→{folder.target}): {state}")
    out.print("Supported model folders: Bergamot/Firefox Translations int8 'tiny' models "
              "(model.<src><tgt>.intgemm.alphas.bin, lex.*.s2t.bin, tokenizer.json). Other Marian "
              "formats need the bergamot-translator runtime, which is not installed.")


@letters_app.command("translate")
@friendly
def translate(
    note_id: Annotated[int, typer.Argument(help="The signed note whose letter to translate.")],
    user: UserOpt,
    to: Annotated[str, typer.Option("--to", help="Language code, e.g. pt.")],
    show_all: Annotated[bool, typer.Option("--all", help="Show every line, not only the "
                                                         "ones to check.")] = False,
) -> None:
    """Translate a note's letter, sentence by sentence, and check it."""
    ctx = open_context()
    actor = acting_user(ctx, user)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True) as progress:
        task = progress.add_task("translating sentences", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        view = translations.translate_note_letter(ctx, actor, note_id, to, progress=advance)
    _show(view, all_lines=show_all)


@letters_app.command("show")
@friendly
def show(translation_id: Annotated[int, typer.Argument()], user: UserOpt) -> None:
    """Show a translation beside the English, with what the checks found."""
    ctx = open_context()
    _show(translations.get_translation(ctx, acting_user(ctx, user), translation_id),
          all_lines=True)


@letters_app.command("confirm")
@friendly
def confirm(
    translation_id: Annotated[int, typer.Argument()], user: UserOpt,
    checked: Annotated[bool, typer.Option("--checked", help="I have checked the translation "
                                                            "beside the English.")] = False,
    interpreter: Annotated[str, typer.Option(help="Interpreter who checked it.")] = "",
    interpreter_confirmed: Annotated[bool, typer.Option(help="The interpreter confirmed it.")]
    = False,
) -> None:
    """Confirm a translation (needed before export)."""
    ctx = open_context()
    view = translations.confirm(ctx, acting_user(ctx, user), translation_id, checked=checked,
                                interpreter_name=interpreter,
                                interpreter_confirmed=interpreter_confirmed)
    out.print(f"Translation {view.id} confirmed by {view.confirmed_by}.")


@letters_app.command("export")
@friendly
def export(
    translation_id: Annotated[int, typer.Argument()], user: UserOpt,
    fmt: Annotated[str, typer.Option("--format", help="pdf or docx")] = "pdf",
    output: Annotated[Path | None, typer.Option(help="File to write (default: its name, "
                                                     "here).")] = None,
) -> None:
    """Write the confirmed letter in English and the translation (PDF or Word)."""
    ctx = open_context()
    name, data = translations.export_translation(ctx, acting_user(ctx, user), translation_id,
                                                 fmt)
    target = output or Path(name)
    target.write_bytes(data)
    out.print(f"Wrote {target}")


@letters_app.command("interpreted")
@friendly
def interpreted(
    recording_id: Annotated[int, typer.Argument()], user: UserOpt,
    mark: Annotated[list[int] | None, typer.Option(help="Mark this turn as interpreted.")]
    = None,
    unmark: Annotated[list[int] | None, typer.Option(help="Unmark this turn.")] = None,
) -> None:
    """Which transcript turns were interpreted; mark or unmark turns by hand."""
    ctx = open_context()
    actor = acting_user(ctx, user)
    for seq in mark or []:
        translations.mark_turn(ctx, actor, recording_id, seq, interpreted=True)
    for seq in unmark or []:
        translations.mark_turn(ctx, actor, recording_id, seq, interpreted=False)
    turns = translations.interpreted_turns(ctx, actor, recording_id)
    if not turns:
        out.print("No turn of this transcript is recorded as interpreted.")
    for turn in turns:
        out.print(f"turn {turn.seq}: {turn.speaker} ({turn.source})", highlight=False)
