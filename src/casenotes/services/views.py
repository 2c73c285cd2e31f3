"""Plain read-only views the services return to the web app, the API and the CLI.

These are what interfaces render; they hold real names only when returned to a user who is
allowed to see the case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime


def shown_time(moment: datetime) -> str:
    """A stored time as people read it, in UTC (SQLite returns it without its offset)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    display_name: str
    role: str  # practitioner / supervisor / admin / auditor
    team: str | None


@dataclass(frozen=True)
class PersonView:
    id: int
    name: str
    role: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConsentView:
    party: str
    decision: str  # granted / declined / withdrawn / unknown
    method: str
    recorded_by: str
    recorded_at: str


@dataclass(frozen=True)
class RecordingSummary:
    id: int
    case_id: int
    title: str
    source: str  # import / audio
    stage: str  # imported / pseudonymised / drafted / checked / signed
    created_at: str
    open_flags: int
    note_id: int | None


@dataclass(frozen=True)
class CaseSummary:
    id: int
    reference: str
    title: str
    team: str | None
    recordings: int


@dataclass(frozen=True)
class CaseDetail:
    id: int
    reference: str
    title: str
    team: str | None
    people: tuple[PersonView, ...]
    allocated: tuple[str, ...]  # usernames
    recordings: tuple[RecordingSummary, ...]


@dataclass(frozen=True)
class SegmentView:
    id: int
    speaker: str
    text: str  # real names: shown only to allocated users
    start: float | None
    end: float | None
    times: str  # "01:15–01:22" or ""


@dataclass(frozen=True)
class FlagView:
    id: int
    kind: str
    severity: str
    explanation: str
    section: str
    sentence_id: str | None
    segment_ids: tuple[int, ...]
    suggestion: str | None
    status: str  # open / resolved / dismissed
    resolution: str | None  # the dismissal reason
    decided_by: str | None


@dataclass(frozen=True)
class SentenceView:
    id: str  # stable within the draft, e.g. "s3"
    text: str  # current text (the practitioner's edit if any), real names
    drafted_text: str  # what the drafter wrote, real names
    kind: str  # summary / quote / human
    segment_ids: tuple[int, ...]
    edited: bool
    flags: tuple[FlagView, ...] = ()


@dataclass(frozen=True)
class SectionView:
    name: str
    guidance: str
    reserved: bool
    sentences: tuple[SentenceView, ...]
    human_text: str
    flags: tuple[FlagView, ...] = ()  # section-level flags (no sentence)


@dataclass(frozen=True)
class ReviewView:
    """Everything the review page needs: the draft beside its transcript."""

    recording: RecordingSummary
    case: CaseSummary
    template_title: str
    sections: tuple[SectionView, ...]
    segments: tuple[SegmentView, ...]
    consents: tuple[ConsentView, ...]
    open_flags: int
    can_sign: bool
    sign_blockers: tuple[str, ...]  # plain reasons sign-off is refused now
    signed_note_id: int | None


@dataclass(frozen=True)
class NoteView:
    id: int
    case_id: int
    recording_id: int
    title: str
    sections: tuple[tuple[str, str], ...]  # (section name, final text)
    text: str
    signed_by: str
    signed_at: str
    attestation: str
    transparency: str  # the label, in words
    changed_share: float
    engines: tuple[tuple[str, str, str], ...]  # (stage, name, version)


@dataclass(frozen=True)
class AuditView:
    seq: int
    at: str
    actor: str
    action: str
    object_type: str
    object_id: str
    detail: str


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events: int
    broken_at: int | None = None
    reason: str = ""
    extra: dict[str, str] = field(default_factory=dict)
