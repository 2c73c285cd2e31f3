"""Request and response models of the JSON API, made from the services' views."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from casenotes.services.review import ATTESTATION
from casenotes.services.views import (
    CaseDetail,
    CaseSummary,
    NoteView,
    RecordingSummary,
    ReviewView,
    UserView,
)


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)


class UserOut(Out):
    id: int
    username: str
    display_name: str
    role: str
    team: str | None


class MeOut(Out):
    user: UserOut
    csrf_token: str = Field(description="Send as the X-CSRF-Token header on every change")


class PersonOut(Out):
    id: int
    name: str
    role: str
    aliases: list[str]


class ConsentOut(Out):
    party: str
    decision: str = Field(description="granted / declined / withdrawn / unknown")
    method: str
    recorded_by: str
    recorded_at: str


class RecordingOut(Out):
    id: int
    case_id: int
    title: str
    source: str
    stage: str = Field(description="imported / pseudonymised / drafted / checked / signed")
    created_at: str
    open_flags: int
    note_id: int | None


class CaseSummaryOut(Out):
    id: int
    reference: str
    title: str
    team: str | None
    recordings: int


class CaseOut(Out):
    id: int
    reference: str
    title: str
    team: str | None
    people: list[PersonOut]
    allocated: list[str]
    recordings: list[RecordingOut]


class SegmentOut(Out):
    id: int
    speaker: str
    text: str
    start: float | None
    end: float | None
    times: str


class FlagOut(Out):
    id: int
    kind: str
    severity: str
    explanation: str
    section: str
    sentence_id: str | None
    segment_ids: list[int]
    suggestion: str | None
    status: str = Field(description="open / resolved / dismissed")
    resolution: str | None = Field(description="The reason given when dismissed")
    decided_by: str | None


class SentenceOut(Out):
    id: str
    text: str
    drafted_text: str
    kind: str = Field(description="summary / quote / human")
    segment_ids: list[int] = Field(description="Transcript segments this sentence came from")
    edited: bool
    flags: list[FlagOut]


class SectionOut(Out):
    name: str
    guidance: str
    reserved: bool = Field(description="Reserved for the practitioner: never drafted by AI")
    sentences: list[SentenceOut]
    human_text: str
    flags: list[FlagOut]


class ReviewOut(Out):
    recording: RecordingOut
    case: CaseSummaryOut
    template_title: str
    sections: list[SectionOut]
    segments: list[SegmentOut]
    consents: list[ConsentOut]
    open_flags: int
    can_sign: bool
    sign_blockers: list[str]
    signed_note_id: int | None


class NoteSectionOut(Out):
    name: str
    text: str


class EngineOut(Out):
    stage: str
    name: str
    version: str


class NoteOut(Out):
    id: int
    case_id: int
    recording_id: int
    title: str
    sections: list[NoteSectionOut]
    text: str
    signed_by: str
    signed_at: str
    attestation: str
    transparency: str = Field(description="How the note was made, in words")
    changed_share: float = Field(description="Share of drafted text the practitioner changed")
    engines: list[EngineOut]


class ErrorOut(BaseModel):
    error: str = Field(description="What was wrong")
    hint: str = Field(description="What to do about it")


class ConsentIn(BaseModel):
    party: str = Field(min_length=1, max_length=200)
    decision: Literal["granted", "declined", "withdrawn"]
    method: Literal["verbal", "written"] = "verbal"


class SentenceIn(BaseModel):
    text: str = Field(max_length=20_000, description="New text; empty removes the sentence")


class SectionIn(BaseModel):
    text: str = Field(max_length=20_000)


class DismissIn(BaseModel):
    reason: str = Field(max_length=2000, description="Why the flag does not apply (required)")


class SignOffIn(BaseModel):
    attested: bool = Field(
        description="Confirms the attestation stored with the note: " + ATTESTATION
    )


def user_out(view: UserView) -> UserOut:
    return UserOut.model_validate(view)


def case_summary_out(view: CaseSummary) -> CaseSummaryOut:
    return CaseSummaryOut.model_validate(view)


def case_out(view: CaseDetail) -> CaseOut:
    return CaseOut.model_validate(view)


def recording_out(view: RecordingSummary) -> RecordingOut:
    return RecordingOut.model_validate(view)


def review_out(view: ReviewView) -> ReviewOut:
    return ReviewOut.model_validate(view)


def note_out(view: NoteView) -> NoteOut:
    return NoteOut(
        id=view.id, case_id=view.case_id, recording_id=view.recording_id, title=view.title,
        sections=[NoteSectionOut(name=name, text=text) for name, text in view.sections],
        text=view.text, signed_by=view.signed_by, signed_at=view.signed_at,
        attestation=view.attestation, transparency=view.transparency,
        changed_share=view.changed_share,
        engines=[EngineOut(stage=s, name=n, version=v) for s, n, v in view.engines],
    )
