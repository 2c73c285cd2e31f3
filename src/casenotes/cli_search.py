"""``casenotes search`` and ``casenotes policy``: search records, rebuild the index, policies."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from typer.core import TyperGroup

from casenotes.cli_support import acting_user, err, open_context, out, show_error
from casenotes.domain.errors import CasenotesError, InvalidInput
from casenotes.services import policies, search
from casenotes.services.context import AppContext
from casenotes.services.search import SearchFilters
from casenotes.services.views import SearchHitView


class _QueryByDefault(TyperGroup):
    """``casenotes search WORDS`` runs ``search query WORDS``; subcommands keep their names."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # a click Context
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["query", *args]
        return super().parse_args(ctx, args)


search_app = typer.Typer(cls=_QueryByDefault, no_args_is_help=True,
                         help="Search signed notes and held transcripts (by words and meaning).")
policy_app = typer.Typer(help="The organisation's policy library.", no_args_is_help=True)

UserOpt = Annotated[str, typer.Option("--user", "-u", envvar="CASENOTES_USER",
                                      help="Act as this user (audited under that name).")]


def _run(work: Callable[[AppContext], None]) -> None:
    """Build the context, run, and show a user-facing error as a message and a hint."""
    try:
        ctx = open_context()
        try:
            work(ctx)
        finally:
            ctx.close()
    except CasenotesError as error:
        show_error(error)
        raise typer.Exit(code=2) from None


def _date(value: str | None, label: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"The {label} date {value!r} is not a date.",
                           hint="Write dates as YYYY-MM-DD.") from None


@search_app.command("query")
def query(
    words: Annotated[list[str], typer.Argument(help="What to search for.")],
    user: UserOpt,
    case: Annotated[int | None, typer.Option(help="Only this case (id).")] = None,
    person: Annotated[int | None, typer.Option(help="Only passages naming this person (id).")]
    = None,
    date_from: Annotated[str | None, typer.Option("--from", help="From date, YYYY-MM-DD.")]
    = None,
    date_to: Annotated[str | None, typer.Option("--to", help="To date, YYYY-MM-DD.")] = None,
    author: Annotated[str | None, typer.Option(help="Only notes signed by this username.")]
    = None,
    note_type: Annotated[str | None, typer.Option("--type", help="Note template name.")]
    = None,
    source: Annotated[str | None, typer.Option(help="'note' or 'transcript'.")] = None,
    mode: Annotated[str, typer.Option(help="hybrid, keyword or semantic.")] = "hybrid",
    limit: Annotated[int, typer.Option(help="How many results.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search the cases you may see: best passages first, with where they come from."""

    def work(ctx: AppContext) -> None:
        actor = acting_user(ctx, user)
        filters = SearchFilters(case_id=case, person_id=person,
                                date_from=_date(date_from, "start"), date_to=_date(date_to, "end"),
                                author=author, note_type=note_type, source=source)
        results = search.search(ctx, actor, " ".join(words), filters=filters, mode=mode,
                                limit=limit)
        if as_json:
            out.print_json(json.dumps([_hit_json(h) for h in results.hits]))
            return
        if not results.hits:
            out.print("No results in the cases you can see.")
        elif results.concepts:
            out.print("Also looked for the usual signs of: " + ", ".join(results.concepts) + ".")
        for n, hit in enumerate(results.hits, start=1):
            snippet = "".join(f"[bold yellow]{t}[/]" if m else t.replace("[", r"\[")
                              for t, m in hit.snippet)
            out.print(f"{n}. [bold]{hit.case_reference}[/] · {hit.title} · {hit.section} "
                       f"({hit.source}, {hit.occurred_at}) [dim]{hit.link}[/]")
            out.print(f"   {snippet}", highlight=False)

    _run(work)


def _hit_json(hit: SearchHitView) -> dict[str, Any]:
    return {"case_id": hit.case_id, "case_reference": hit.case_reference,
            "note_id": hit.note_id, "recording_id": hit.recording_id, "source": hit.source,
            "title": hit.title, "section": hit.section, "snippet": hit.snippet_text,
            "link": hit.link, "evidence_segments": list(hit.evidence_segments),
            "found_by": list(hit.found_by), "score": hit.score}


@search_app.command("reindex")
def reindex(
    user: UserOpt,
    everything: Annotated[bool, typer.Option("--all", help="Rebuild every note, not only "
                                             "those missing from the index.")] = False,
) -> None:
    """Complete (or with --all rebuild) the search index; safe to stop and run again."""

    def work(ctx: AppContext) -> None:
        actor = acting_user(ctx, user)
        with Progress(TextColumn("indexing notes"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err) as progress:
            task = progress.add_task("index", total=None)

            def step(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            report = search.reindex(ctx, actor, everything=everything, progress=step)
        out.print(f"Indexed {report.notes} notes ({report.chunks} passages).")

    _run(work)


@policy_app.command("add")
def policy_add(
    files: Annotated[list[Path], typer.Argument(help="PDF, DOCX, Markdown or HTML files.")],
    user: UserOpt,
    title: Annotated[str | None, typer.Option(help="Title (one file only).")] = None,
) -> None:
    """Add documents to the policy library (administrators)."""

    def work(ctx: AppContext) -> None:
        actor = acting_user(ctx, user)
        if title and len(files) > 1:
            raise InvalidInput("A title can be given for one file at a time.",
                               hint="Add the files one by one, or leave out --title.")
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      console=err, transient=True) as progress:
            task = progress.add_task("adding policies", total=len(files))
            for path in files:
                if not path.is_file():
                    raise InvalidInput(f"There is no file {str(path)!r}.",
                                       hint="Check the path.")
                view = policies.add_policy(ctx, actor, filename=path.name,
                                           content=path.read_bytes(), title=title)
                progress.advance(task)
                out.print(f"Added {view.title!r} ({view.passages} passages).")

    _run(work)


@policy_app.command("list")
def policy_list(user: UserOpt) -> None:
    """List the documents in the policy library."""

    def work(ctx: AppContext) -> None:
        for view in policies.list_policies(ctx, acting_user(ctx, user)):
            out.print(f"{view.id}. {view.title} ({view.filename}, {view.passages} passages)")

    _run(work)


@policy_app.command("ask")
def policy_ask(
    question: Annotated[list[str], typer.Argument(help="Your question, in plain words.")],
    user: UserOpt,
    passages: Annotated[int, typer.Option(help="How many passages to quote.")] = 3,
    model_answer: Annotated[bool | None, typer.Option(
        "--model-answer/--no-model-answer",
        help="Also ask the language model for an answer citing the passages.")] = None,
) -> None:
    """Quote the policy passages that best answer a question, with document, section and page."""

    def work(ctx: AppContext) -> None:
        answer = policies.ask(ctx, acting_user(ctx, user), " ".join(question), limit=passages,
                              model_answer=model_answer)
        if not answer.passages:
            out.print("The policy library is empty: add documents with casenotes policy add.")
        for n, passage in enumerate(answer.passages, start=1):
            out.print(f"[{n}] [bold]{passage.citation}[/]", highlight=False)
            out.print(f"    {passage.text}", highlight=False)
        if answer.model_sentences:
            out.print(f"\nA language model's answer ({answer.model}), from these passages:")
        for sentence in answer.model_sentences:
            cited = f" [{', '.join(map(str, sentence.cites))}]" if sentence.cites else ""
            warning = f"  [red]NOT BACKED: {sentence.flag}[/]" if sentence.flag else ""
            out.print(f"  {sentence.text}{cited}{warning}", highlight=False)
        if answer.model_problem:
            out.print(f"No language-model answer: {answer.model_problem}", highlight=False)

    _run(work)
