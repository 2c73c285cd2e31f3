"""The fictional demo case: users, a case, a visit transcript with consent, processed."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from casenotes.demo import load_demo_case
from casenotes.domain.training import correct_answers
from casenotes.services import accounts, cases, processing, recordings, training
from casenotes.services.context import AppContext
from casenotes.services.person_characteristics import save as save_characteristics
from casenotes.services.views import UserView

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-password"  # noqa: S105 - printed for the user; demo data only
SUPERVISOR_USERNAME = "demo-supervisor"
OTHER_USERNAME = "demo-other"
DEMO_CHARACTERISTICS = {"ethnicity": "white", "first_language": "english", "age_band": "26-64",
                        "disability": "no", "sex": "female"}


@dataclass(frozen=True)
class DemoInfo:
    username: str
    password: str
    case_id: int
    recording_id: int


def _transcript_bytes(name: str) -> bytes:
    return (resources.files("casenotes.demo") / name).read_bytes()


def _user(ctx: AppContext, username: str, role: str, display: str, team: str) -> UserView:
    user = accounts.get_user_by_username(ctx, username) or accounts.add_user(
        ctx, username=username, password=DEMO_PASSWORD, role=role, display_name=display,
        team=team)
    # The demo's users have read the guidance, so the demo case can be drafted at once.
    if not training.status(ctx, user).current:
        training.complete(ctx, user, correct_answers())
    return user


def load_demo(ctx: AppContext) -> DemoInfo:
    """Load the demo once; loading again returns what is there (it never duplicates)."""
    data = load_demo_case()
    team = data.team
    worker = _user(ctx, DEMO_USERNAME, "practitioner", "Sam Okafor (demo)", team)
    _user(ctx, SUPERVISOR_USERNAME, "supervisor", "Demo Supervisor", team)
    _user(ctx, OTHER_USERNAME, "practitioner", "Another Practitioner (demo)", "Adults West")
    existing = [c for c in cases.list_cases(ctx, worker) if c.reference == data.reference]
    if existing:
        detail = cases.get_case(ctx, worker, existing[0].id)
        if detail.recordings:
            return DemoInfo(DEMO_USERNAME, DEMO_PASSWORD, detail.id, detail.recordings[0].id)
        case_id = detail.id
    else:
        case_id = cases.create_case(
            ctx, worker, reference=data.reference, title=data.title, team=team,
            people=[(p.name, p.role, p.aliases) for p in data.people],
        )
        # equality monitoring for the bias audit (fictional, like the rest of the demo)
        save_characteristics(ctx, worker, case_id, DEMO_CHARACTERISTICS)
    recording = recordings.import_transcript(
        ctx, worker, case_id, filename=data.transcript_name,
        content=_transcript_bytes(data.transcript_name), title="Home visit (demo)",
        template=data.template,
    )
    for party in recordings.speakers(ctx, worker, recording.id):
        recordings.record_consent(ctx, worker, recording.id, party=party, decision="granted",
                                  method="verbal")
    processing.process_recording(ctx, worker, recording.id)
    return DemoInfo(DEMO_USERNAME, DEMO_PASSWORD, case_id, recording.id)
