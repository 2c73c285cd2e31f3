"""Errors a person can act on: what was wrong, and what to do."""

from __future__ import annotations


class CasenotesError(Exception):
    """Base for every error shown to a user.

    ``message`` says what was wrong; ``hint`` says what to do. Neither may contain personal data
    beyond what the user themself supplied (a file name, a line number).
    """

    status_code = 400

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class InvalidInput(CasenotesError):
    status_code = 422


class ConsentRefused(CasenotesError):
    status_code = 409


class NotFound(CasenotesError):
    """Also raised for objects the user may not see: a 404 says nothing about existence."""

    status_code = 404


class SignOffRefused(CasenotesError):
    status_code = 409


class ReadOnly(CasenotesError):
    status_code = 409


class PermissionDenied(CasenotesError):
    status_code = 403
