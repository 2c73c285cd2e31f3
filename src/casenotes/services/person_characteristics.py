"""Equality-monitoring characteristics of the person receiving support, for the bias audit.

Each case records, optionally, the supported person's ethnicity (ONS 2021 high-level groups),
first language, age band, disability and sex, as fixed codes. "Not recorded" (nothing chosen)
is kept apart from "Prefers not to say" (the person was asked and declined).

These are special category data (UK GDPR Art. 9), so they are stored encrypted like the other
personal fields (``EncryptedText`` columns), not as plain codes. The bias audit therefore groups
in Python after decrypting, not in SQL: the volumes involved (one row per case) make that cheap,
and a database dump or backup alone never shows anyone's ethnicity or disability.

Only people who can open the case (the allocated practitioner; the team's supervisor) can see or
change them; the audit records which fields were set, never their values.
"""

from __future__ import annotations

from dataclasses import dataclass

from casenotes.domain.errors import InvalidInput, PermissionDenied
from casenotes.services.access import case_session, visible_case
from casenotes.services.audit_log import record, record_now
from casenotes.services.context import AppContext
from casenotes.services.views import UserView
from casenotes.store.repositories import evaluation as eval_repo

NOT_SAID = ("not_said", "Prefers not to say")
NOT_RECORDED = "Not recorded"

CHARACTERISTICS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "ethnicity": ("Ethnicity", (
        ("asian", "Asian or Asian British"),
        ("black", "Black, Black British, Caribbean or African"),
        ("mixed", "Mixed or multiple ethnic groups"),
        ("white", "White"),
        ("other", "Another ethnic group"),
        NOT_SAID,
    )),
    "first_language": ("First language", (
        ("english", "English"),
        ("welsh", "Welsh"),
        ("bsl", "British Sign Language"),
        ("other", "Another language"),
        NOT_SAID,
    )),
    "age_band": ("Age band", (
        ("0-4", "0 to 4"), ("5-11", "5 to 11"), ("12-17", "12 to 17"), ("18-25", "18 to 25"),
        ("26-64", "26 to 64"), ("65+", "65 and over"),
    )),
    "disability": ("Disability", (
        ("yes", "Disabled"), ("no", "Not disabled"), NOT_SAID,
    )),
    "sex": ("Sex", (
        ("female", "Female"), ("male", "Male"), NOT_SAID,
    )),
}


def label(characteristic: str, code: str | None) -> str:
    if code is None:
        return NOT_RECORDED
    return dict(CHARACTERISTICS[characteristic][1]).get(code, code)


@dataclass(frozen=True)
class CharacteristicsView:
    case_id: int
    reference: str
    values: dict[str, str | None]  # characteristic → code (None = not recorded)


def _require_case_worker(ctx: AppContext, actor: UserView, case_id: int) -> None:
    if actor.role not in ("practitioner", "supervisor"):
        record_now(ctx, actor, "access.denied", "case", case_id)
        raise PermissionDenied("Only the case's practitioner or supervisor can see these details.",
                               hint="Ask the allocated practitioner.")


def get(ctx: AppContext, actor: UserView, case_id: int) -> CharacteristicsView:
    _require_case_worker(ctx, actor, case_id)
    with case_session(ctx, actor) as session:
        case = visible_case(session, actor, case_id)
        row = eval_repo.get_characteristics(session, case_id=case.id)
        values = {name: getattr(row, name) if row else None for name in CHARACTERISTICS}
        record(session, actor, "characteristics.view", "case", case.id)
        return CharacteristicsView(case.id, case.reference, values)


def save(ctx: AppContext, actor: UserView, case_id: int,
         values: dict[str, str]) -> CharacteristicsView:
    """Set each characteristic to a known code, or to not recorded with ``""``."""
    _require_case_worker(ctx, actor, case_id)
    unknown = set(values) - set(CHARACTERISTICS)
    if unknown:
        raise InvalidInput("The form had a field casenotes does not know.",
                           hint="Reload the page and fill in the form shown.")
    cleaned: dict[str, str | None] = {}
    for name, value in values.items():
        value = value.strip()
        codes = {code for code, _ in CHARACTERISTICS[name][1]}
        if value and value not in codes:
            raise InvalidInput(f"That is not one of the choices for {CHARACTERISTICS[name][0]}.",
                               hint="Choose from the list, or leave it as not recorded.")
        cleaned[name] = value or None
    with case_session(ctx, actor) as session:
        case = visible_case(session, actor, case_id)
        eval_repo.save_characteristics(session, case_id=case.id, values=cleaned,
                                       updated_by=actor.id)
        recorded = sum(1 for v in cleaned.values() if v)
        record(session, actor, "characteristics.save", "case", case.id,
               f"fields={len(cleaned)} recorded={recorded}")
        row = eval_repo.get_characteristics(session, case_id=case.id)
        current = {name: getattr(row, name) if row else None for name in CHARACTERISTICS}
        return CharacteristicsView(case.id, case.reference, current)
