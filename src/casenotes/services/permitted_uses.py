"""Which features and templates each role may use: set by an administrator, checked by services.

With no decision recorded, every feature and template is permitted for the roles that have it
(practitioners and supervisors, the roles that work on cases); an administrator can withdraw
one from a role, and give it back. A refused use is audited and explained.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from casenotes.domain.errors import InvalidInput, PermissionDenied
from casenotes.domain.people import Role
from casenotes.pipeline.templates import list_templates
from casenotes.services.audit_log import record, record_now
from casenotes.services.context import AppContext
from casenotes.services.views import PermittedUseView, UserView
from casenotes.store.repositories import training as training_repo

CASE_ROLES = (Role.PRACTITIONER.value, Role.SUPERVISOR.value)

# name → label; every one of them is used by the roles that work on cases.
FEATURES: dict[str, str] = {
    "ai_drafting": "AI drafting (process a recording, regenerate a section)",
    "audio_recording": "Audio recording and on-device transcription",
    "letters": "Plain-language letters to families",
    "translation": "Translation of letters",
    "search": "Search across notes and the family network",
}
KINDS = ("feature", "template")


class UseNotPermitted(PermissionDenied):
    """The organisation has not permitted this feature or template for the user's role."""


def _labels(ctx: AppContext, kind: str) -> dict[str, str]:
    if kind == "feature":
        return dict(FEATURES)
    return {t.name: t.title for t in list_templates(ctx.settings.template_dirs)}


def is_permitted(session: Session, *, role: str, kind: str, name: str) -> bool:
    """Roles that do not work on cases are not governed here (their access rules apply)."""
    if role not in CASE_ROLES:
        return True
    row = training_repo.permitted_use(session, role=role, kind=kind, name=name)
    return row.permitted if row is not None else True


def refusal(actor: UserView, kind: str, name: str, label: str) -> UseNotPermitted:
    what = label if kind == "feature" else f"The template '{label}'"
    return UseNotPermitted(
        f"{what} is not permitted for your role ({actor.role}) in this organisation.",
        hint="Ask an administrator (Permitted uses page) if your work needs it.",
    )


def ensure_permitted(ctx: AppContext, actor: UserView, feature: str) -> None:
    """Raise ``UseNotPermitted`` (audited) unless ``actor``'s role may use ``feature``."""
    if feature not in FEATURES:
        raise ValueError(f"unknown feature {feature!r}")
    with ctx.session() as session:
        allowed = is_permitted(session, role=actor.role, kind="feature", name=feature)
    if not allowed:
        record_now(ctx, actor, "use.refused", "feature", feature, f"role={actor.role}")
        raise refusal(actor, "feature", feature, FEATURES[feature])


def uses(ctx: AppContext, actor: UserView) -> list[PermittedUseView]:
    """Every (role, feature or template) cell, for the administrators' page."""
    _require_admin(ctx, actor)
    with ctx.session() as session:
        stored = {(r.role, r.kind, r.name): r.permitted
                  for r in training_repo.permitted_uses(session)}
        record(session, actor, "permitted_use.view", "permitted_use", "-",
               f"decisions={len(stored)}")
    cells = []
    for kind in KINDS:
        for name, label in _labels(ctx, kind).items():
            for role in CASE_ROLES:
                default = True
                permitted = stored.get((role, kind, name), default)
                cells.append(PermittedUseView(role=role, kind=kind, name=name, label=label,
                                              permitted=permitted, changed=permitted != default))
    return cells


def set_uses(
    ctx: AppContext, actor: UserView, permitted: Iterable[tuple[str, str, str]]
) -> int:
    """Make exactly ``permitted`` (role, kind, name) cells permitted; returns cells changed."""
    _require_admin(ctx, actor)
    chosen = set(permitted)
    valid = {(role, kind, name) for kind in KINDS for name in _labels(ctx, kind)
             for role in CASE_ROLES}
    unknown = chosen - valid
    if unknown:
        raise InvalidInput("The permitted-uses form named a role, feature or template that "
                           "does not exist.", hint="Reload the page and choose again.")
    changed = 0
    with ctx.session() as session:
        for role, kind, name in sorted(valid):
            want = (role, kind, name) in chosen
            if is_permitted(session, role=role, kind=kind, name=name) != want:
                training_repo.set_permitted_use(session, role=role, kind=kind, name=name,
                                                permitted=want, updated_by=actor.id)
                record(session, actor, "permitted_use.set", kind, name,
                       f"role={role} permitted={int(want)}")
                changed += 1
    return changed


def set_use(
    ctx: AppContext, actor: UserView, *, role: str, kind: str, name: str, permitted: bool
) -> None:
    """Permit or withdraw one feature or template for one role."""
    _require_admin(ctx, actor)
    if role not in CASE_ROLES:
        raise InvalidInput(f"Uses are set for the roles that work on cases, not {role!r}.",
                           hint=f"Choose one of: {', '.join(CASE_ROLES)}.")
    if kind not in KINDS:
        raise InvalidInput(f"Unknown kind {kind!r}.", hint="Choose feature or template.")
    names = _labels(ctx, kind)
    if name not in names:
        raise InvalidInput(f"There is no {kind} called {name[:100]!r}.",
                           hint=f"Choose one of: {', '.join(sorted(names))}.")
    with ctx.session() as session:
        training_repo.set_permitted_use(session, role=role, kind=kind, name=name,
                                        permitted=permitted, updated_by=actor.id)
        record(session, actor, "permitted_use.set", kind, name,
               f"role={role} permitted={int(permitted)}")


def _require_admin(ctx: AppContext, actor: UserView) -> None:
    if actor.role != Role.ADMIN.value:
        record_now(ctx, actor, "access.denied", "permitted_use", "-")
        raise PermissionDenied("Only administrators can set which uses are permitted.",
                               hint="Ask your system administrator.")
