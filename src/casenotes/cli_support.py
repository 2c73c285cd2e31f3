"""What every CLI module shares: consoles, the friendly-error wrapper, context and actor."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

from casenotes.config import Settings
from casenotes.domain.errors import CasenotesError, InvalidInput
from casenotes.services import accounts
from casenotes.services.context import AppContext, build_context
from casenotes.services.views import UserView

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
P = ParamSpec("P")
R = TypeVar("R")


def show_error(error: CasenotesError) -> None:
    """What was wrong and what to do, in words; never a stack trace."""
    err.print(f"[bold red]Error:[/] {error.message}")
    if error.hint:
        err.print(f"[yellow]What to do:[/] {error.hint}")


def friendly(func: Callable[P, R]) -> Callable[P, R]:
    """Show a user-facing error as a message and a hint, and exit with status 2."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except CasenotesError as error:
            show_error(error)
            raise typer.Exit(code=2) from None

    return wrapper


def open_context() -> AppContext:
    return build_context(Settings())


def acting_user(ctx: AppContext, username: str) -> UserView:
    """The user a command acts as (every action is audited under that name)."""
    user = accounts.get_user_by_username(ctx, username)
    if user is None:
        raise InvalidInput(f"There is no user called {username!r}.",
                           hint="Add one with: casenotes user add USERNAME --role practitioner")
    return user
