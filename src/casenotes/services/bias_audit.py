"""The bias audit: do the tool's quality measures differ by who the person receiving support is?

For each recorded characteristic of the person a case supports (``person_characteristics``),
every drafted session is put in its person's group ("Not recorded" is a group of its own), and
for each group:

- **transcription confidence**: mean recogniser confidence per transcribed recording (mean of
  recordings; imported text transcripts have none), with a normal 95% interval;
- **flags per 100 sentences**: all flags raised on the drafts ÷ drafted sentences, with Byar's
  95% Poisson interval; likewise **stigmatising-language** and **omission** flags;
- **edit share**: mean share of the draft the practitioner changed before signing.

Each is compared with the overall value as a disparity ratio (group ÷ overall); a ratio at or
beyond the ``bias_ratio_threshold`` setting (default 1.25, either direction) raises a warning.
Groups with fewer than ``bias_min_group`` people (default 10) are suppressed and shown as "fewer
than 10", and when that would hide only one group, the next smallest is hidden too so it cannot
be recovered by subtraction. Group sizes count people (cases), not sessions.

Supervisors audit their team's cases; administrators and auditors the whole organisation. The
result holds counts and rates only: no names, no case references.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from casenotes.domain.fairness import (
    Estimate,
    disparity,
    mean_interval,
    poisson_interval,
    suppressed_groups,
)
from casenotes.domain.flags import FlagKind
from casenotes.services.audit_log import record
from casenotes.services.context import AppContext
from casenotes.services.person_characteristics import CHARACTERISTICS, NOT_RECORDED, label
from casenotes.services.practice_dashboard import require_viewer, scope
from casenotes.services.views import UserView
from casenotes.store.repositories import evaluation as eval_repo
from casenotes.store.repositories.evaluation import DraftFact

MEASURES = (
    ("confidence", "Transcription confidence (mean)"),
    ("flags", "Flags per 100 sentences"),
    ("stigmatising", "Stigmatising-language flags per 100 sentences"),
    ("omission", "Omission flags per 100 sentences"),
    ("edit_share", "Share of the draft edited (mean)"),
)


@dataclass(frozen=True)
class Cell:
    value: float | None
    low: float | None
    high: float | None
    n: int
    ratio: float | None
    warn: bool


@dataclass(frozen=True)
class GroupResult:
    label: str
    suppressed: bool
    people: int
    drafts: int
    signed: int
    cells: tuple[Cell, ...]  # in MEASURES order; empty when suppressed


@dataclass(frozen=True)
class CharacteristicResult:
    key: str
    name: str
    groups: tuple[GroupResult, ...]


@dataclass(frozen=True)
class BiasAuditView:
    overall: GroupResult
    characteristics: tuple[CharacteristicResult, ...]
    warnings: tuple[str, ...]
    threshold: float
    min_group: int
    measures: tuple[tuple[str, str], ...]
    scope: str


@dataclass(frozen=True)
class _Unit:
    fact: DraftFact
    flags: dict[str, int]
    confidence: float | None


def _estimates(units: Sequence[_Unit]) -> tuple[Estimate, ...]:
    sentences = sum(u.fact.sentences for u in units)

    def flags(kind: str | None) -> Estimate:
        events = sum(sum(u.flags.values()) if kind is None else u.flags.get(kind, 0)
                     for u in units)
        return poisson_interval(events, sentences, per=100)

    return (
        mean_interval([u.confidence for u in units if u.confidence is not None]),
        flags(None),
        flags(FlagKind.STIGMATISING_LANGUAGE),
        flags(FlagKind.OMISSION),
        mean_interval([u.fact.changed_share for u in units
                       if u.fact.signed_at is not None and u.fact.changed_share is not None]),
    )


def _result(label_text: str, units: Sequence[_Unit], overall: tuple[Estimate, ...] | None,
            threshold: float, suppressed: bool = False) -> GroupResult:
    people = len({u.fact.case_id for u in units})
    signed = sum(1 for u in units if u.fact.signed_at is not None)
    if suppressed:
        return GroupResult(label_text, True, people, len(units), signed, ())
    cells = []
    for i, estimate in enumerate(_estimates(units)):
        gap = (disparity(estimate.value, overall[i].value, threshold) if overall
               else None)
        cells.append(Cell(estimate.value, estimate.low, estimate.high, estimate.n,
                          gap.ratio if gap else None, gap.warn if gap else False))
    return GroupResult(label_text, False, people, len(units), signed, tuple(cells))


def audit(ctx: AppContext, actor: UserView) -> BiasAuditView:
    require_viewer(ctx, actor, "bias_audit")
    threshold = ctx.settings.bias_ratio_threshold
    minimum = ctx.settings.bias_min_group
    with ctx.session() as session:
        case_ids = scope(session, actor)
        facts = eval_repo.draft_facts(session, case_ids=case_ids)
        counts = eval_repo.flag_counts(session, draft_ids=[f.draft_id for f in facts])
        confidence = eval_repo.mean_word_confidence(
            session, recording_ids=[f.recording_id for f in facts])
        people = eval_repo.characteristics(session, case_ids=case_ids)
        values = {case_id: {name: getattr(row, name) for name in CHARACTERISTICS}
                  for case_id, row in people.items()}
        record(session, actor, "evaluation.bias_audit", "evaluation", "bias",
               f"drafts={len(facts)} people={len({f.case_id for f in facts})}")
    flags: dict[int, dict[str, int]] = {}
    for draft_id, kind, _, n in counts:
        flags.setdefault(draft_id, {})
        flags[draft_id][kind] = flags[draft_id].get(kind, 0) + n
    units = [_Unit(f, flags.get(f.draft_id, {}), confidence.get(f.recording_id)) for f in facts]
    overall_estimates = _estimates(units)
    overall = _result("Everyone", units, None, threshold)
    results, warnings = [], []
    for key, (name, choices) in CHARACTERISTICS.items():
        groups: dict[str, list[_Unit]] = {}
        for unit in units:
            code = values.get(unit.fact.case_id, {}).get(key)
            groups.setdefault(label(key, code), []).append(unit)
        sizes = {g: len({u.fact.case_id for u in us}) for g, us in groups.items()}
        hidden = suppressed_groups(sizes, minimum)
        order = [label(key, c) for c, _ in choices] + [NOT_RECORDED]
        order += sorted(set(groups) - set(order))
        rows = []
        for group_label in order:
            if group_label not in groups:
                continue
            row = _result(group_label, groups[group_label], overall_estimates, threshold,
                          suppressed=group_label in hidden)
            rows.append(row)
            for (_, measure), cell in zip(MEASURES, row.cells, strict=False):
                if cell.warn:
                    ratio = "no overall rate" if cell.ratio is None else f"×{cell.ratio:.2f}"
                    warnings.append(f"{name} — {group_label}: {measure} is {ratio} the overall "
                                    f"value (threshold ×{threshold:g}).")
        results.append(CharacteristicResult(key, name, tuple(rows)))
    return BiasAuditView(overall=overall, characteristics=tuple(results),
                         warnings=tuple(warnings), threshold=threshold, min_group=minimum,
                         measures=MEASURES,
                         scope="your team's cases" if case_ids is not None else "all teams")


def _num(value: float | None, digits: int = 3) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def audit_csv(view: BiasAuditView) -> str:
    """The audit as a table for the equality impact assessment (one row per group)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = ["characteristic", "group", "people", "drafts", "signed notes"]
    for _, measure in MEASURES:
        header += [measure, "95% low", "95% high", "n", "ratio to overall", "warning"]
    writer.writerow(header)
    less = f"fewer than {view.min_group}"
    rows: list[tuple[str, GroupResult]] = [("All", view.overall)]
    rows += [(c.name, g) for c in view.characteristics for g in c.groups]
    for name, group in rows:
        if group.suppressed:
            writer.writerow([name, group.label, less, "suppressed", "suppressed"]
                            + ["suppressed"] * 6 * len(MEASURES))
            continue
        line: list[str | int] = [name, group.label, group.people, group.drafts, group.signed]
        for cell in group.cells:
            line += [_num(cell.value), _num(cell.low), _num(cell.high), cell.n,
                     _num(cell.ratio), "yes" if cell.warn else ""]
        writer.writerow(line)
    return buffer.getvalue()


def cell_text(cell: Cell, fmt: Callable[[float], str]) -> str:
    if cell.value is None:
        return "—"
    interval = (f" ({fmt(cell.low)} to {fmt(cell.high)})"
                if cell.low is not None and cell.high is not None else "")
    return f"{fmt(cell.value)}{interval}"
