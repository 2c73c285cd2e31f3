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
    # Filled for the signed-in web user (issue 10): CSS classes of their reading settings, and
    # why AI drafting is not enabled for them ("" when it is).
    reading_classes: str = ""
    drafting_blocked: str = ""
    search_allowed: bool = True  # search is permitted for their role (the menu shows it)


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


# --- records governance (issue 8) ---


@dataclass(frozen=True)
class ConsentEntryView:
    """One row of the consent ledger, as recorded (rows are never changed)."""

    id: int
    party: str
    party_kind: str  # person / agency
    decision: str  # granted / declined / withdrawn
    uses: tuple[str, ...]  # audio / transcription / drafting
    method: str  # verbal / written / …
    transcript_time: str  # "01:15" where it was said, or ""
    recorded_by: str
    recorded_at: str


@dataclass(frozen=True)
class PartyConsentView:
    party: str
    party_kind: str
    decisions: tuple[tuple[str, str], ...]  # (use, decision in force)


@dataclass(frozen=True)
class ConsentLedgerView:
    recording_id: int
    case_id: int
    stage: str
    parties: tuple[PartyConsentView, ...]
    entries: tuple[ConsentEntryView, ...]
    recording_allowed: bool  # every present party granted audio recording
    notes_only_reason: str  # why only notes can be taken, or ""
    withdrawn: bool
    audio_files: int


@dataclass(frozen=True)
class WithdrawalView:
    recording_id: int
    audio_files_deleted: int
    segments_deleted: int
    draft_sentences_deleted: int
    signed_note_id: int | None
    message: str  # what happened, said to the practitioner


@dataclass(frozen=True)
class NoteVersionView:
    version: int  # 1 is the note as signed
    text: str
    sections: tuple[tuple[str, str], ...]
    reason: str
    by: str
    at: str


@dataclass(frozen=True)
class ReplyView:
    id: int
    text: str
    source: str  # typed / uploaded
    filename: str
    added_by: str
    added_at: str


@dataclass(frozen=True)
class EditDiffView:
    changed_share: float
    chunks: tuple[tuple[str, str], ...]  # (same / added / removed, words)


@dataclass(frozen=True)
class NoteRecordView:
    """A signed note with everything governance adds: versions, replies, edits, supervision."""

    note: NoteView
    template: str
    versions: tuple[NoteVersionView, ...]  # oldest first; the last is in force
    replies: tuple[ReplyView, ...]
    diff: EditDiffView
    approval_needed: bool
    approval: str  # pending / approved / returned / not needed
    qa_sampled: bool
    qa_result: tuple[tuple[str, bool], ...]  # checklist answers, when reviewed
    can_amend: bool

    @property
    def current(self) -> NoteVersionView:
        return self.versions[-1]


@dataclass(frozen=True)
class QueueItemView:
    note_id: int
    case_id: int
    title: str
    signed_by: str
    signed_at: str
    changed_share: float


@dataclass(frozen=True)
class SupervisionView:
    approvals: tuple[QueueItemView, ...]
    qa_sample: tuple[QueueItemView, ...]
    qa_percent: float


@dataclass(frozen=True)
class RetentionItemView:
    kind: str  # audio / transcript / draft / note
    recording_id: int
    note_id: int | None
    amount: int  # files, segments, sentences or notes
    due_since: str


@dataclass(frozen=True)
class RetentionReport:
    dry_run: bool
    items: tuple[RetentionItemView, ...]
    counts: tuple[tuple[str, int], ...]  # (kind, items due/deleted)
    vacuumed: bool
    policy: tuple[tuple[str, str], ...]  # (kind, rule in words)


@dataclass(frozen=True)
class SubjectAccessExport:
    filename: str
    data: bytes  # a ZIP: subject_access.json and subject_access.pdf
    notes: int
    recordings: int
    access_events: int


# --- end records governance ---


# --- search and knowledge (issue 9) ---


@dataclass(frozen=True)
class SearchHitView:
    chunk_id: int
    case_id: int
    case_reference: str
    note_id: int | None
    recording_id: int | None
    source: str  # "note" or "transcript"
    title: str
    section: str
    snippet: tuple[tuple[str, bool], ...]  # (text, is_match)
    link: str
    evidence_segments: tuple[int, ...]
    occurred_at: str
    score: float
    found_by: tuple[str, ...]  # "keyword", "semantic", "concepts"

    @property
    def snippet_text(self) -> str:
        return "".join(part for part, _ in self.snippet)


@dataclass(frozen=True)
class SearchResultsView:
    query: str
    mode: str
    hits: tuple[SearchHitView, ...]
    concepts: tuple[str, ...] = ()  # concepts whose signs were looked for too


@dataclass(frozen=True)
class IndexReport:
    notes: int
    chunks: int


@dataclass(frozen=True)
class PolicyView:
    id: int
    title: str
    filename: str
    media_type: str
    passages: int
    uploaded_at: str


@dataclass(frozen=True)
class PolicyPassageView:
    passage_id: int
    policy_id: int
    document: str
    section: str
    page: int | None
    text: str
    highlighted: tuple[tuple[str, bool], ...]  # the best sentence, matches marked
    score: float

    @property
    def citation(self) -> str:
        where = f", page {self.page}" if self.page is not None else ""
        return f"{self.document}, {self.section or 'introduction'}{where}"


@dataclass(frozen=True)
class ModelSentenceView:
    text: str
    cites: tuple[int, ...]  # numbers of the passages above (1-based)
    flag: str  # why not to rely on it; "" when its citations back it


@dataclass(frozen=True)
class PolicyAnswerView:
    question: str
    passages: tuple[PolicyPassageView, ...]
    # The language model's cited answer, when the organisation turned it on.
    model_sentences: tuple[ModelSentenceView, ...] = ()
    model: str = ""
    model_problem: str = ""  # why there is no model answer (refused, unavailable)


@dataclass(frozen=True)
class NetworkPersonView:
    name: str
    role: str
    professional: bool
    on_record: bool  # a person on the case record (not only named in a relationship)
    present_at: tuple[str, ...]  # visits (recording titles) where they spoke
    x: float  # position in the ecomap
    y: float


@dataclass(frozen=True)
class NetworkLinkView:
    id: int
    from_name: str
    to_name: str
    relation: str
    status: str  # confirmed / suggested / rejected
    source: str  # record / note
    evidence: str
    note_id: int | None


@dataclass(frozen=True)
class NetworkView:
    case_id: int
    case_reference: str
    centre: str
    people: tuple[NetworkPersonView, ...]
    relationships: tuple[NetworkLinkView, ...]  # confirmed only: shown as fact
    suggestions: tuple[NetworkLinkView, ...]  # awaiting the practitioner's decision


# --- end search and knowledge ---


# --- drafting: regenerate a section, plain-language letters (issue 6) ---
@dataclass(frozen=True)
class RegeneratedSectionView:
    """What regenerating one section of a draft changed."""

    section: str
    removed: int  # drafted sentences replaced (with any edits to them)
    added: int
    flags: int  # open flags now on the section


@dataclass(frozen=True)
class LetterView:
    """A plain-language letter made from a signed note, with its measured reading age."""

    note_id: int
    case_id: int
    title: str
    sections: tuple[tuple[str, str], ...]  # (heading, text); empty text: for the worker to write
    text: str
    grade: float  # Flesch-Kincaid grade of the drafted text
    reading_age: int  # years: grade + 5
    target_grade: float
    meets_target: bool
    left_out: int  # sentences not carried over (they name someone else, or are too complex)
    shortened: int = 0  # sentences past a letter section's length (the note keeps them)
    # translation (issue 11): who the letter is to and from, and who interpreted at the visit
    addressee: str = ""
    signer: str = ""
    interpreters: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # every name in the letter, protected when it is translated
# --- end drafting ---


# --- training gate, permitted uses, reading settings (issue 10) ---
@dataclass(frozen=True)
class TrainingStatusView:
    """Whether a user's guidance module is current, and until when."""

    current: bool
    module_version: str
    completed_at: str | None  # shown time of the latest completion of this version
    expires_at: str | None
    expired: bool  # completed once, but no longer current: renew
    renew_soon: bool  # current, but expiring within 30 days


@dataclass(frozen=True)
class PermittedUseView:
    """One cell of the permitted-uses table: may ``role`` use ``name`` (a feature or template)?"""

    role: str
    kind: str  # "feature" or "template"
    name: str
    label: str
    permitted: bool
    changed: bool  # differs from the default


@dataclass(frozen=True)
class ReadingView:
    high_contrast: bool
    dyslexia_friendly: bool
# --- end training gate, permitted uses, reading settings ---


# --- translation (issue 11) ---


@dataclass(frozen=True)
class LanguageOptionView:
    """A target language: available (an engine and fixed letter text exist) or why not."""

    code: str
    name: str
    available: bool
    engine: str  # the engine that would translate it; empty when not available
    reason: str  # why it is not available; empty when it is


@dataclass(frozen=True)
class TranslatedLineView:
    section: str
    kind: str  # heading / fixed / sentence
    source: str
    target: str
    back: str | None
    similarity: float | None
    flagged: bool
    problems: tuple[str, ...]


@dataclass(frozen=True)
class TranslationView:
    """A machine translation of a letter, its checks and who confirmed it."""

    id: int
    note_id: int
    case_id: int
    title: str
    target_lang: str
    language_name: str
    native_name: str
    rtl: bool
    engine: str
    engine_version: str
    label: str  # the machine-translation label in the target language
    lines: tuple[TranslatedLineView, ...]
    checks: dict[str, int | float | bool]
    created_by: str
    created_at: str
    confirmed_by: str | None
    confirmed_at: str | None
    interpreter_name: str | None
    interpreter_confirmed: bool
    interpreters: tuple[str, ...]  # interpreters who took part in the visit

    @property
    def blocking(self) -> int:
        return int(self.checks.get("dropped", 0)) + int(self.checks.get("fact_problems", 0))

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


@dataclass(frozen=True)
class InterpretedTurnView:
    seq: int
    speaker: str
    source: str  # role (the interpreter's turn, or the turn they rendered) / practitioner
# --- end translation ---
