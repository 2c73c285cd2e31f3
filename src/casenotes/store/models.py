"""SQLAlchemy models. The schema itself is owned by the Alembic migrations beside this file."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from casenotes.store.encrypted_types import EncryptedJSON, EncryptedText


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    team: Mapped[str | None] = mapped_column(String(100), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(EncryptedText("cases.title"))  # often names the family
    team: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    people: Mapped[list[Person]] = relationship(
        back_populates="case", order_by="Person.id", cascade="all, delete-orphan"
    )


class Person(Base):
    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(EncryptedText("persons.name"))
    role: Mapped[str] = mapped_column(String(100), default="")
    aliases: Mapped[list[Any]] = mapped_column(EncryptedJSON("persons.aliases"), default=list)

    case: Mapped[Case] = relationship(back_populates="people")


class Allocation(Base):
    __tablename__ = "allocations"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Recording(Base):
    """One session's capture: an imported transcript now, audio later."""

    __tablename__ = "recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(EncryptedText("recordings.title"))
    source: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(255), default="")
    template: Mapped[str] = mapped_column(String(100), default="home_visit_note")
    stage: Mapped[str] = mapped_column(String(20), default="imported")
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    engines: Mapped[list[Any]] = mapped_column(JSON, default=list)


class SegmentRow(Base):
    __tablename__ = "segments"
    __table_args__ = (UniqueConstraint("recording_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(EncryptedText("segments.text"))
    start: Mapped[float | None] = mapped_column(Float, nullable=True)
    end: Mapped[float | None] = mapped_column(Float, nullable=True)
    words: Mapped[list[Any]] = mapped_column(EncryptedJSON("segments.words"), default=list)
    pseudo_speaker: Mapped[str | None] = mapped_column(String(200), nullable=True)
    pseudo_text: Mapped[str | None] = mapped_column(
        EncryptedText("segments.pseudo_text"), nullable=True
    )
    replacements: Mapped[list[Any]] = mapped_column(
        EncryptedJSON("segments.replacements"), default=list
    )


class ConsentRow(Base):
    """The consent ledger: rows are only appended; the newest row per party is in force."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), index=True
    )
    party: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(50))
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    party_kind: Mapped[str] = mapped_column(String(20), default="person")  # person / agency
    transcript_time: Mapped[float | None] = mapped_column(Float, nullable=True)


class PseudonymMapRow(Base):
    __tablename__ = "pseudonym_maps"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("pseudonym_maps.data"),
                                                 default=dict)


class DraftRow(Base):
    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), unique=True
    )
    template: Mapped[str] = mapped_column(String(100))
    engine: Mapped[str] = mapped_column(String(100))
    engine_version: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    sections: Mapped[list[DraftSectionRow]] = relationship(
        order_by="DraftSectionRow.position", cascade="all, delete-orphan"
    )


class DraftSectionRow(Base):
    __tablename__ = "draft_sections"
    __table_args__ = (UniqueConstraint("draft_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    reserved: Mapped[bool] = mapped_column(Boolean, default=False)
    human_text: Mapped[str] = mapped_column(EncryptedText("draft_sections.human_text"),
                                            default="")

    sentences: Mapped[list[DraftSentenceRow]] = relationship(
        order_by="DraftSentenceRow.position", cascade="all, delete-orphan"
    )


class DraftSentenceRow(Base):
    __tablename__ = "draft_sentences"
    __table_args__ = (UniqueConstraint("draft_id", "sid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("draft_sections.id", ondelete="CASCADE"), index=True
    )
    sid: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(EncryptedText("draft_sentences.text"))  # pseudonymised
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    edited_text: Mapped[str | None] = mapped_column(  # the person's edit
        EncryptedText("draft_sentences.edited_text"), nullable=True
    )


class FlagRow(Base):
    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(20))
    explanation: Mapped[str] = mapped_column(Text)
    section: Mapped[str] = mapped_column(String(200))
    sentence_sid: Mapped[str | None] = mapped_column(String(20), nullable=True)
    segment_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    suggestion: Mapped[str | None] = mapped_column(Text, nullable=True)
    checker: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    resolution: Mapped[str | None] = mapped_column(Text, nullable=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class NoteRow(Base):
    """A signed note. Read-only once written (a database trigger refuses updates)."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id"), unique=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"))
    title: Mapped[str] = mapped_column(EncryptedText("notes.title"))
    text: Mapped[str] = mapped_column(EncryptedText("notes.text"))
    sections: Mapped[list[Any]] = mapped_column(EncryptedJSON("notes.sections"))
    drafted_text: Mapped[str] = mapped_column(EncryptedText("notes.drafted_text"))
    signed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    attestation: Mapped[str] = mapped_column(Text)
    transparency: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_share: Mapped[float] = mapped_column(Float)


class AuditRow(Base):
    """Append-only, hash-chained audit events (database triggers refuse update and delete)."""

    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """One row holding the chain's newest seq and hash; locked while an event is appended."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))


# --- audio transcription (revision 0003) ---


class AudioFileRow(Base):
    """A recording's audio, kept in the blob store under ``blob_key``."""

    __tablename__ = "audio_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), unique=True
    )
    blob_key: Mapped[str] = mapped_column(String(255))
    filename: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(Integer)
    duration_s: Mapped[float] = mapped_column(Float)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AudioUploadRow(Base):
    """A browser recording arriving in parts; each part is a blob until the upload completes."""

    __tablename__ = "audio_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), index=True
    )
    token: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    parts: Mapped[int] = mapped_column(Integer, default=0)
    received_bytes: Mapped[int] = mapped_column(Integer, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TranscriptionJobRow(Base):
    """Progress of one recording's transcription; finished chunks are kept for resuming."""

    __tablename__ = "transcription_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(20))
    engine: Mapped[str] = mapped_column(String(200))
    chunk_seconds: Mapped[float] = mapped_column(Float)
    chunks_total: Mapped[int] = mapped_column(Integer)
    chunks_done: Mapped[int] = mapped_column(Integer, default=0)
    speakers: Mapped[int | None] = mapped_column(Integer, nullable=True)
    dictation: Mapped[bool] = mapped_column(Boolean, default=False)
    message: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TranscriptionChunkRow(Base):
    __tablename__ = "transcription_chunks"
    __table_args__ = (UniqueConstraint("job_id", "idx"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(
        ForeignKey("transcription_jobs.id", ondelete="CASCADE"), index=True
    )
    idx: Mapped[int] = mapped_column(Integer)
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    turns: Mapped[list[Any]] = mapped_column(EncryptedJSON("transcription_chunks.turns"))


class ObservationTagRow(Base):
    __tablename__ = "observation_tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(100))
    time: Mapped[float] = mapped_column(Float)
    words: Mapped[str] = mapped_column(EncryptedText("observation_tags.words"), default="")
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SpeakerMappingRow(Base):
    """Which case participant the diariser's "Speaker N" is, as the practitioner said."""

    __tablename__ = "speaker_mappings"
    __table_args__ = (UniqueConstraint("recording_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(200))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), nullable=True
    )
    name: Mapped[str] = mapped_column(String(200))
    mapped_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    mapped_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SegmentEditRow(Base):
    """One tracked correction of a transcript segment's words or speaker."""

    __tablename__ = "segment_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(
        ForeignKey("segments.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str] = mapped_column(String(20))
    old: Mapped[str] = mapped_column(EncryptedText("segment_edits.old"))
    new: Mapped[str] = mapped_column(EncryptedText("segment_edits.new"))
    edited_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    edited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- end audio transcription ---


# --- records governance (issue 8) ---


class SessionFile(Base):
    """A file held for one session (audio, uploads): deleted on withdrawal or by retention."""

    __tablename__ = "session_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # audio / upload
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class NoteVersionRow(Base):
    """An amendment of a signed note: a new version with its reason (read-only by trigger)."""

    __tablename__ = "note_versions"
    __table_args__ = (UniqueConstraint("note_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(EncryptedText("note_versions.text"))
    sections: Mapped[list[Any]] = mapped_column(EncryptedJSON("note_versions.sections"))
    reason: Mapped[str] = mapped_column(EncryptedText("note_versions.reason"))
    amended_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    amended_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class NoteReplyRow(Base):
    """The person's response to a note (right of reply)."""

    __tablename__ = "note_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(EncryptedText("note_replies.text"))
    source: Mapped[str] = mapped_column(String(20))  # typed / uploaded
    filename: Mapped[str] = mapped_column(String(255), default="")
    added_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class NoteApprovalRow(Base):
    """A supervisor's decision on a note whose template needs approval (newest in force)."""

    __tablename__ = "note_approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(20))  # approved / returned
    comment: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class QaReviewRow(Base):
    """A supervisor's quality-assurance review of a sampled note."""

    __tablename__ = "qa_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), unique=True)
    checklist: Mapped[dict[str, Any]] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- end records governance ---


# --- search and knowledge (issue 9) ---


class SearchChunk(Base):
    """One searchable passage: a signed note's section or a window of a held transcript."""

    __tablename__ = "search_chunks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    note_id: Mapped[int | None] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), nullable=True
    )
    recording_id: Mapped[int | None] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), nullable=True
    )
    source: Mapped[str] = mapped_column(String(20))
    section: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    segment_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(EncryptedText("search_chunks.text"))
    # PostgreSQL's keyword index reads these keyed terms (store/search_terms.py), never words.
    terms: Mapped[str | None] = mapped_column(Text, nullable=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    note_type: Mapped[str] = mapped_column(String(100), default="")
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # float32, and one bit per dimension for a coarse scan before exact scoring
    # (store/vectors.py); not loaded with the row unless asked for.
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)


class SearchChunkPerson(Base):
    __tablename__ = "search_chunk_people"

    chunk_id: Mapped[int] = mapped_column(
        ForeignKey("search_chunks.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )


class Policy(Base):
    __tablename__ = "policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PolicyPassage(Base):
    __tablename__ = "policy_passages"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(
        ForeignKey("policies.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(String(500), default="")
    page: Mapped[int | None] = mapped_column(Integer, nullable=True)
    text: Mapped[str] = mapped_column(Text)
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class NetworkLink(Base):
    """A relationship in a case's family network: confirmed, or suggested from a signed note."""

    __tablename__ = "network_links"
    __table_args__ = (UniqueConstraint("case_id", "from_name", "to_name", "relation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    from_name: Mapped[str] = mapped_column(String(200))
    to_name: Mapped[str] = mapped_column(String(200))
    relation: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))  # suggested / confirmed / rejected
    source: Mapped[str] = mapped_column(String(20))  # "record" or "note"
    note_id: Mapped[int | None] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), nullable=True
    )
    evidence: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

# --- end search and knowledge ---


class KeyEnvelopeRow(Base):
    """A data key, stored only wrapped (AES-GCM) by the master key (see ``store/crypto.py``)."""

    __tablename__ = "key_envelopes"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    wrapped: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    rotated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- training gate, permitted uses, reading settings (issue 10) ---


class TrainingCompletionRow(Base):
    """One passed attempt at the in-app guidance module; it is current for a configured time."""

    __tablename__ = "training_completions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_version: Mapped[str] = mapped_column(String(20))
    score: Mapped[int] = mapped_column(Integer)
    questions: Mapped[int] = mapped_column(Integer)
    completed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PermittedUseRow(Base):
    """An administrator's decision on one feature or template for one role (absent: permitted)."""

    __tablename__ = "permitted_uses"
    __table_args__ = (UniqueConstraint("role", "kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))  # "feature" or "template"
    name: Mapped[str] = mapped_column(String(100))
    permitted: Mapped[bool] = mapped_column(Boolean)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReadingPreferenceRow(Base):
    """How one user likes pages shown: high contrast, dyslexia-friendly reading."""

    __tablename__ = "reading_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    high_contrast: Mapped[bool] = mapped_column(Boolean, default=False)
    dyslexia_friendly: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

# --- end training gate, permitted uses, reading settings ---


# --- practice evaluation (issue 10) ---


class StageRunRow(Base):
    """One measured run of a pipeline stage for a recording: CPU and wall time, energy, engine.

    Written on every run (a resumed or repeated stage adds a row); holds no content.
    """

    __tablename__ = "stage_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(20))  # transcribe / pseudonymise / draft / check
    engine: Mapped[str] = mapped_column(String(200))
    engine_version: Mapped[str] = mapped_column(String(500))
    device: Mapped[str] = mapped_column(String(20), default="cpu")
    cpu_seconds: Mapped[float] = mapped_column(Float)
    gpu_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    wall_seconds: Mapped[float] = mapped_column(Float)
    energy_joules: Mapped[float] = mapped_column(Float)
    energy_method: Mapped[str] = mapped_column(String(40))  # rapl / estimate
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                  index=True)


class PersonCharacteristicsRow(Base):
    """Equality-monitoring characteristics of the person a case supports (special category data,
    encrypted like other personal fields; ``None`` = not recorded)."""

    __tablename__ = "person_characteristics"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    ethnicity: Mapped[str | None] = mapped_column(
        EncryptedText("person_characteristics.ethnicity"), nullable=True)
    first_language: Mapped[str | None] = mapped_column(
        EncryptedText("person_characteristics.first_language"), nullable=True)
    age_band: Mapped[str | None] = mapped_column(
        EncryptedText("person_characteristics.age_band"), nullable=True)
    disability: Mapped[str | None] = mapped_column(
        EncryptedText("person_characteristics.disability"), nullable=True)
    sex: Mapped[str | None] = mapped_column(
        EncryptedText("person_characteristics.sex"), nullable=True)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- end practice evaluation ---


# --- translation (issue 11) ---


class LetterTranslationRow(Base):
    """A machine translation of a note's letter, its checks, and the practitioner's confirmation.

    ``lines`` (encrypted) holds every line: the English, the translation, the back-translation
    and what the checks found; ``checks`` holds counts only.
    """

    __tablename__ = "letter_translations"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    target_lang: Mapped[str] = mapped_column(String(16))
    engine: Mapped[str] = mapped_column(String(64))
    engine_version: Mapped[str] = mapped_column(String(120))
    rtl: Mapped[bool] = mapped_column(Boolean, default=False)
    lines: Mapped[list[Any]] = mapped_column(EncryptedJSON("letter_translations.lines"))
    checks: Mapped[dict[str, Any]] = mapped_column(JSON)
    interpreter_name: Mapped[str | None] = mapped_column(
        EncryptedText("letter_translations.interpreter_name"), nullable=True
    )
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    interpreter_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)


class InterpretedTurnRow(Base):
    """A transcript turn that was interpreted (by the interpreter's role, or marked by hand)."""

    __tablename__ = "interpreted_turns"
    __table_args__ = (UniqueConstraint("recording_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(
        ForeignKey("recordings.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(20))  # role / practitioner
    marked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- end translation ---
