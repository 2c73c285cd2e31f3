"""``casenotes keys``: set up and rotate the master key that protects data at rest."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from casenotes.config import Settings
from casenotes.domain.errors import CasenotesError
from casenotes.services.context import build_context
from casenotes.store import crypto

keys_app = typer.Typer(help="Encryption keys for data at rest.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _fail(error: CasenotesError) -> typer.Exit:
    err.print(f"[bold red]Error:[/] {error.message}")
    if error.hint:
        err.print(f"[yellow]What to do:[/] {error.hint}")
    return typer.Exit(code=2)


@keys_app.command("init")
def keys_init() -> None:
    """Create the master and data keys if missing, and encrypt rows stored before encryption."""
    settings = Settings()
    try:
        ctx = build_context(settings)
    except CasenotesError as error:
        raise _fail(error) from None
    try:
        with ctx.session() as session:
            rows = crypto.reseal_all(session)
    finally:
        ctx.close()
    master = crypto.load_master_key(settings)
    source = master.source if master is not None else "?"
    out.print(f"Encryption is on (master key from {source}); {rows} rows are encrypted.")
    if settings.master_key is None:
        out.print("Keep a copy of the key file somewhere safe: without it the data cannot be "
                  "read.")


@keys_app.command("rotate")
def keys_rotate(
    new_key_file: Annotated[Path | None, typer.Option(
        "--new-key-file",
        help="Write the new master key here (required when the key comes from "
             "CASENOTES_MASTER_KEY); default: replace the key file.")] = None,
) -> None:
    """Replace the master key: the data key is re-wrapped; no stored data changes."""
    settings = Settings()
    try:
        ctx = build_context(settings)
    except CasenotesError as error:
        raise _fail(error) from None
    try:
        result = crypto.rotate_master_key(settings, ctx.engine, new_key_file)
    except CasenotesError as error:
        raise _fail(error) from None
    finally:
        ctx.close()
    out.print(f"The master key was rotated; the new key is in {result.source}.")
    if new_key_file is not None:
        out.print("Point CASENOTES_MASTER_KEY_FILE at that file (or put its content in "
                  "CASENOTES_MASTER_KEY) before the next start; the old key no longer works.")
