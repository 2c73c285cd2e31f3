"""Helpers for the records-governance tests: a case, a processed session, a signed note."""

from __future__ import annotations

from casenotes.services import cases, processing, recordings, review
from casenotes.services.context import AppContext
from casenotes.services.views import UserView

VISIT = (
    b"Jo Practitioner: Hello Alex, thanks for seeing me today.\n"
    b"Alex Client: That's fine. The boiler has been broken since Monday.\n"
    b"Alex Client: Rachel Smith from next door has been lending us a heater.\n"
    b"Jo Practitioner: I'll ring the housing officer about the boiler by Friday.\n"
)
PEOPLE = [("Alex Client", "person", ["Alex"]), ("Rachel Smith", "neighbour", ["Rachel"]),
          ("Jo Practitioner", "social_worker", [])]


def make_case(ctx: AppContext, user: UserView, reference: str = "G-0001",
              people: list[tuple[str, str, list[str]]] | None = None) -> int:
    return cases.create_case(ctx, user, reference=reference, title="Governance test case",
                             team=user.team, people=people if people is not None else PEOPLE)


def imported(ctx: AppContext, user: UserView, case_id: int, content: bytes = VISIT,
             title: str = "Home visit", template: str = "home_visit_note") -> int:
    rec = recordings.import_transcript(ctx, user, case_id, filename="visit.txt",
                                       content=content, title=title, template=template)
    return rec.id


def grant_all(ctx: AppContext, user: UserView, recording_id: int) -> None:
    for party in recordings.speakers(ctx, user, recording_id):
        recordings.record_consent(ctx, user, recording_id, party=party, decision="granted")


def sign(ctx: AppContext, user: UserView, recording_id: int,
         analysis: str = "My analysis: Alex needs help with the boiler.") -> int:
    """Process, decide every flag, write the reserved sections, and sign; returns the note id."""
    grant_all(ctx, user, recording_id)
    processing.process_recording(ctx, user, recording_id)
    view = review.get_review(ctx, user, recording_id)
    flags = [f for sec in view.sections for s in sec.sentences for f in s.flags]
    flags += [f for sec in view.sections for f in sec.flags]
    for flag in flags:
        if flag.status == "open":
            review.dismiss_flag(ctx, user, flag.id, "Checked against the recording.")
    for section in view.sections:
        if section.reserved:
            review.write_section(ctx, user, recording_id, section.name, analysis)
    return review.sign_off(ctx, user, recording_id, attested=True).id


def signed_note(ctx: AppContext, user: UserView, case_id: int, content: bytes = VISIT,
                template: str = "home_visit_note",
                analysis: str = "My analysis: Alex needs help with the boiler.",
                ) -> tuple[int, int]:
    recording_id = imported(ctx, user, case_id, content, template=template)
    return recording_id, sign(ctx, user, recording_id, analysis)


# --- a signed-notes database made once per test session and copied for each test ---

import shutil  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from casenotes.config import Settings  # noqa: E402
from casenotes.pipeline.pseudonymise import PiiDetector  # noqa: E402
from casenotes.services import accounts  # noqa: E402
from casenotes.services.context import build_context  # noqa: E402
from support import complete_training  # noqa: E402

PASSWORD = "governance-test-password"
SECOND_VISIT = (
    b"Jo Practitioner: How has the week been, Alex?\n"
    b"Alex Client: Better. The heater from Rachel helped a lot.\n"
    b"Jo Practitioner: Good. The housing officer is coming on Tuesday.\n"
)
OTHER_CASE_VISIT = (
    b"Jo Practitioner: Hello Morgan, thanks for letting me in.\n"
    b"Morgan Ellis: The school says my son has missed three days.\n"
)


@dataclass(frozen=True)
class Seeded:
    """Ids in the seeded database (the same in every copy)."""

    case_id: int
    other_case_id: int
    notes: tuple[int, ...]  # signed notes naming Alex: home visit, meeting minutes
    recordings: tuple[int, ...]  # their recordings
    other_note: int  # a signed note in another case that does not name Alex
    unsigned: int  # an imported, consented recording that was never signed


_TEMPLATE: dict[str, tuple[Path, Seeded]] = {}


def _settings(folder: Path) -> Settings:
    return Settings(data_dir=folder, secret_key="governance-tests")


def seeded_template(factory: pytest.TempPathFactory, detector: PiiDetector
                    ) -> tuple[Path, Seeded]:
    if "template" not in _TEMPLATE:
        folder = factory.mktemp("governance-template") / "data"
        ctx = build_context(_settings(folder), pii_detector=detector)
        try:
            jo = accounts.add_user(ctx, username="jo", password=PASSWORD, role="practitioner",
                                   team="Children East")
            complete_training(ctx, jo)
            for name, role, team in (("sam", "supervisor", "Children East"),
                                     ("robin", "practitioner", "Adults West"),
                                     ("ada", "admin", None)):
                added = accounts.add_user(ctx, username=name, password=PASSWORD, role=role,
                                          team=team)
                if role != "admin":
                    complete_training(ctx, added)
            case_id = make_case(ctx, jo)
            first = signed_note(ctx, jo, case_id)
            second = signed_note(ctx, jo, case_id, SECOND_VISIT, template="meeting_minutes")
            other_case = make_case(ctx, jo, "G-0002", [("Morgan Ellis", "parent", ["Morgan"]),
                                                       ("Jo Practitioner", "social_worker", [])])
            _, other_note = signed_note(ctx, jo, other_case, OTHER_CASE_VISIT,
                                        analysis="My analysis: school attendance support.")
            unsigned = imported(ctx, jo, case_id, SECOND_VISIT, title="Unsigned visit")
            grant_all(ctx, jo, unsigned)
        finally:
            ctx.close()
        _TEMPLATE["template"] = (folder, Seeded(
            case_id=case_id, other_case_id=other_case, notes=(first[1], second[1]),
            recordings=(first[0], second[0]), other_note=other_note, unsigned=unsigned))
    return _TEMPLATE["template"]


def seeded_context(tmp_path: Path, factory: pytest.TempPathFactory, detector: PiiDetector,
                   **overrides: object) -> Iterator[tuple[AppContext, Seeded]]:
    folder, seeded = seeded_template(factory, detector)
    data = tmp_path / "data"
    shutil.copytree(folder, data)
    ctx = build_context(_settings(data).model_copy(update=overrides), pii_detector=detector)
    try:
        yield ctx, seeded
    finally:
        ctx.close()


def user(ctx: AppContext, username: str) -> UserView:
    found = accounts.get_user_by_username(ctx, username)
    assert found is not None
    return found
