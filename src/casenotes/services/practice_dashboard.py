"""The practice dashboard: does the tool help, and how is it used? (issue 10)

Measures, from what is already stored, for every drafted session in the viewer's scope:

- **minutes to draft ready**: end of the recording (audio upload finished, or transcript
  imported) to the checks first finishing (the first ``check`` stage run; the draft's creation
  time for sessions processed before stage runs were recorded);
- **hours to sign-off**: end of the recording to the note being signed;
- **edit share**: the share of the AI draft changed before signing (``notes.changed_share``,
  word-level edit distance) and the share of notes signed almost unedited (at or below the
  ``unedited_share`` setting);
- **flags** raised, still open, resolved and dismissed, by kind; unsupported-claim and omission
  flags per 100 drafted sentences;
- **person's voice**: the share of signed notes that kept at least one verbatim quote of what the
  person said (sentences the drafter marked ``quote`` and the practitioner kept unedited);
- **energy and cost** per month and per stage (see ``services/energy.py``).

Broken down by team, practitioner, template or month. Supervisors see their team's cases, with
practitioners' names (it is about practice); administrators and auditors see every case, with
practitioners shown as "Practitioner 1, 2…". No name, text or identifier of a person receiving
support is read or shown.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from casenotes.domain.errors import InvalidInput, PermissionDenied
from casenotes.domain.fairness import median, poisson_interval, wilson_interval
from casenotes.domain.flags import FlagKind
from casenotes.services.audit_log import record, record_now
from casenotes.services.context import AppContext
from casenotes.services.energy import JOULES_PER_KWH, current_method, method_label
from casenotes.services.views import UserView
from casenotes.store.models import StageRunRow
from casenotes.store.repositories import cases as cases_repo
from casenotes.store.repositories import evaluation as eval_repo
from casenotes.store.repositories.evaluation import DraftFact

VIEWERS = ("supervisor", "admin", "auditor")
DIMENSIONS = {"team": "Team", "practitioner": "Practitioner", "template": "Template",
              "month": "Month"}
FLAG_STATUSES = ("open", "resolved", "dismissed")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def require_viewer(ctx: AppContext, actor: UserView, what: str) -> None:
    if actor.role not in VIEWERS:
        record_now(ctx, actor, "access.denied", "evaluation", what)
        raise PermissionDenied("Only supervisors, administrators and auditors can see this.",
                               hint="Ask your team manager or quality lead.")


def scope(session: Session, actor: UserView) -> list[int] | None:
    """Case ids a supervisor may see (their team's and allocated); ``None`` = all cases."""
    if actor.role == "supervisor":
        return [c.id for c, _ in cases_repo.list_visible_cases(session, user=actor)]
    return None


@dataclass(frozen=True)
class GroupRow:
    label: str
    drafts: int
    signed: int
    minutes_to_draft: float | None  # median
    hours_to_sign: float | None  # median
    edit_share: float | None  # mean share of the draft changed
    almost_unedited: float | None  # share of signed notes at or below the unedited share
    unsupported_per_100: float | None
    omission_per_100: float | None
    voice_share: float | None  # share of signed notes keeping a verbatim quote
    voice_low: float | None = None
    voice_high: float | None = None


@dataclass(frozen=True)
class FlagKindRow:
    kind: str
    raised: int
    open: int
    resolved: int
    dismissed: int


@dataclass(frozen=True)
class EnergyRow:
    label: str  # month, or "stage: engine version"
    runs: int
    sessions: int
    cpu_seconds: float
    gpu_seconds: float
    wall_seconds: float
    energy_wh: float
    wh_per_session: float | None
    cost: float
    cost_per_session: float | None
    method: str


@dataclass(frozen=True)
class DashboardView:
    by: str
    by_label: str
    rows: tuple[GroupRow, ...]
    overall: GroupRow
    flags: tuple[FlagKindRow, ...]
    energy_by_month: tuple[EnergyRow, ...]
    energy_by_stage: tuple[EnergyRow, ...]
    energy_method_now: str
    watts_per_core: float
    price_per_kwh: float
    currency: str
    unedited_share: float
    scope: str  # "your team" / "all teams"


def _per_100(events: int, sentences: int) -> float | None:
    return poisson_interval(events, sentences, per=100).value


def _group(label: str, facts: Sequence[DraftFact], flags: dict[int, dict[str, int]],
           ready: dict[int, datetime], unedited: float) -> GroupRow:
    signed = [f for f in facts if f.signed_at is not None]
    to_draft = [(_aware(ready.get(f.recording_id, f.drafted_at)) - _aware(f.recorded_at))
                .total_seconds() / 60 for f in facts]
    to_sign = [(_aware(f.signed_at) - _aware(f.recorded_at)).total_seconds() / 3600
               for f in signed if f.signed_at is not None]
    shares = [f.changed_share for f in signed if f.changed_share is not None]
    sentences = sum(f.sentences for f in facts)

    def kind_total(kind: str) -> int:
        return sum(flags.get(f.draft_id, {}).get(kind, 0) for f in facts)

    voice = wilson_interval(sum(1 for f in signed if f.voice_kept), len(signed))
    return GroupRow(
        label=label, drafts=len(facts), signed=len(signed),
        minutes_to_draft=median([max(t, 0.0) for t in to_draft]),
        hours_to_sign=median([max(t, 0.0) for t in to_sign]),
        edit_share=sum(shares) / len(shares) if shares else None,
        almost_unedited=(sum(1 for s in shares if s <= unedited) / len(shares)
                         if shares else None),
        unsupported_per_100=_per_100(kind_total(FlagKind.UNSUPPORTED_CLAIM), sentences),
        omission_per_100=_per_100(kind_total(FlagKind.OMISSION), sentences),
        voice_share=voice.value, voice_low=voice.low, voice_high=voice.high,
    )


def _labeller(session: Session, actor: UserView, by: str,
              facts: Sequence[DraftFact]) -> Callable[[DraftFact], str]:
    if by == "team":
        return lambda f: f.team or "No team"
    if by == "template":
        return lambda f: f.template.replace("_", " ")
    if by == "month":
        return lambda f: _aware(f.recorded_at).strftime("%Y-%m")
    authors = sorted({f.author_id for f in facts})
    if actor.role == "supervisor":
        names = eval_repo.user_names(session, user_ids=authors)
        return lambda f: names.get(f.author_id, f"user {f.author_id}")
    numbered = {a: f"Practitioner {i}" for i, a in enumerate(authors, start=1)}
    return lambda f: numbered[f.author_id]


def _flag_table(facts: Sequence[DraftFact], counts: list[tuple[int, str, str, int]]
                ) -> tuple[FlagKindRow, ...]:
    drafts = {f.draft_id for f in facts}
    by_kind: dict[str, dict[str, int]] = {}
    for draft_id, kind, status, n in counts:
        if draft_id in drafts:
            row = by_kind.setdefault(kind, {})
            row[status] = row.get(status, 0) + n
    order = [k.value for k in FlagKind] + sorted(set(by_kind) - {k.value for k in FlagKind})
    return tuple(
        FlagKindRow(kind=k.replace("_", " "), raised=sum(by_kind[k].values()),
                    open=by_kind[k].get("open", 0), resolved=by_kind[k].get("resolved", 0),
                    dismissed=by_kind[k].get("dismissed", 0))
        for k in order if k in by_kind)


def energy_rows(ctx: AppContext, session: Session, case_ids: list[int] | None
                ) -> tuple[tuple[EnergyRow, ...], tuple[EnergyRow, ...]]:
    """Energy and cost per month, and per stage and engine version."""
    runs = eval_repo.stage_runs(session, case_ids=case_ids)
    price = ctx.settings.energy_price_per_kwh

    def rows(key: Callable[[StageRunRow], str]) -> tuple[EnergyRow, ...]:
        groups: dict[str, list[StageRunRow]] = {}
        for run in runs:
            groups.setdefault(key(run), []).append(run)
        out = []
        for label, group in sorted(groups.items()):
            joules = sum(r.energy_joules for r in group)
            sessions = len({r.recording_id for r in group})
            wh = joules / 3600
            out.append(EnergyRow(
                label=label, runs=len(group), sessions=sessions,
                cpu_seconds=sum(r.cpu_seconds for r in group),
                gpu_seconds=sum(r.gpu_seconds or 0.0 for r in group),
                wall_seconds=sum(r.wall_seconds for r in group), energy_wh=wh,
                wh_per_session=wh / sessions if sessions else None,
                cost=joules / JOULES_PER_KWH * price,
                cost_per_session=joules / JOULES_PER_KWH * price / sessions if sessions else None,
                method=method_label({r.energy_method for r in group})))
        return tuple(out)

    by_month = rows(lambda r: _aware(r.finished_at).strftime("%Y-%m"))
    by_stage = rows(lambda r: f"{r.stage}: {r.engine} {r.engine_version}".strip())
    return by_month, by_stage


def dashboard(ctx: AppContext, actor: UserView, by: str = "team") -> DashboardView:
    require_viewer(ctx, actor, "dashboard")
    if by not in DIMENSIONS:
        raise InvalidInput(f"The dashboard cannot be broken down by {by!r}.",
                           hint=f"Choose one of: {', '.join(DIMENSIONS)}.")
    unedited = ctx.settings.unedited_share
    with ctx.session() as session:
        case_ids = scope(session, actor)
        facts = eval_repo.draft_facts(session, case_ids=case_ids)
        counts = eval_repo.flag_counts(session, draft_ids=[f.draft_id for f in facts])
        ready = eval_repo.first_stage_finish(
            session, recording_ids=[f.recording_id for f in facts], stage="check")
        flags: dict[int, dict[str, int]] = {}
        for draft_id, kind, _, n in counts:
            flags.setdefault(draft_id, {})
            flags[draft_id][kind] = flags[draft_id].get(kind, 0) + n
        label_of = _labeller(session, actor, by, facts)
        groups: dict[str, list[DraftFact]] = {}
        for fact in facts:
            groups.setdefault(label_of(fact), []).append(fact)
        rows = tuple(_group(label, group, flags, ready, unedited)
                     for label, group in sorted(groups.items()))
        by_month, by_stage = energy_rows(ctx, session, case_ids)
        record(session, actor, "evaluation.dashboard", "evaluation", by,
               f"drafts={len(facts)} groups={len(rows)}")
    return DashboardView(
        by=by, by_label=DIMENSIONS[by], rows=rows,
        overall=_group("All", facts, flags, ready, unedited), flags=_flag_table(facts, counts),
        energy_by_month=by_month, energy_by_stage=by_stage,
        energy_method_now=method_label({current_method(ctx.settings)}),
        watts_per_core=ctx.settings.watts_per_core, price_per_kwh=ctx.settings.energy_price_per_kwh,
        currency=ctx.settings.energy_currency, unedited_share=unedited,
        scope="your team's cases" if case_ids is not None else "all teams",
    )


def _fmt(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def dashboard_csv(view: DashboardView) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([view.by_label, "drafts", "signed", "median minutes to draft ready",
                     "median hours to sign-off", "mean share of draft changed",
                     "share signed almost unedited", "unsupported-claim flags per 100 sentences",
                     "omission flags per 100 sentences", "share of notes with the person's voice",
                     "voice share 95% low", "voice share 95% high"])
    for row in (*view.rows, view.overall):
        writer.writerow([row.label, row.drafts, row.signed, _fmt(row.minutes_to_draft),
                         _fmt(row.hours_to_sign), _fmt(row.edit_share, 4),
                         _fmt(row.almost_unedited, 4), _fmt(row.unsupported_per_100),
                         _fmt(row.omission_per_100), _fmt(row.voice_share, 4),
                         _fmt(row.voice_low, 4), _fmt(row.voice_high, 4)])
    return buffer.getvalue()


def flags_csv(view: DashboardView) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["flag kind", "raised", "open", "resolved", "dismissed"])
    for row in view.flags:
        writer.writerow([row.kind, row.raised, row.open, row.resolved, row.dismissed])
    return buffer.getvalue()


def energy_csv(view: DashboardView) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["period or stage", "runs", "sessions", "CPU seconds", "GPU seconds",
                     "wall seconds", "energy Wh", "Wh per session", f"cost ({view.currency})",
                     f"cost per session ({view.currency})", "method"])
    for row in (*view.energy_by_month, *view.energy_by_stage):
        writer.writerow([row.label, row.runs, row.sessions, _fmt(row.cpu_seconds, 3),
                         _fmt(row.gpu_seconds, 3), _fmt(row.wall_seconds, 3),
                         _fmt(row.energy_wh, 4), _fmt(row.wh_per_session, 4),
                         _fmt(row.cost, 6), _fmt(row.cost_per_session, 6), row.method])
    return buffer.getvalue()
