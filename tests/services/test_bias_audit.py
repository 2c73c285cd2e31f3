"""The bias audit: rates by the person's characteristics, with intervals, disparity ratios,
small-group suppression and warnings (issue 10)."""

from __future__ import annotations

import csv
import io

import pytest

from casenotes.config import Settings
from casenotes.domain.errors import InvalidInput, NotFound, PermissionDenied
from casenotes.domain.fairness import (
    disparity,
    mean_interval,
    poisson_interval,
    suppressed_groups,
    wilson_interval,
)
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import bias_audit, person_characteristics
from casenotes.services.bias_audit import BiasAuditView, GroupResult
from casenotes.services.context import AppContext, build_context
from casenotes.services.views import UserView
from evaluation_support import PERSON_PREFIX, bias_specs, seed
from support import make_user

FLAGS = 1  # index of "flags per 100 sentences" in MEASURES
CONFIDENCE, EDIT_SHARE = 0, 4


def _group(view: BiasAuditView, characteristic: str, label: str) -> GroupResult:
    found = next(c for c in view.characteristics if c.key == characteristic)
    return next(g for g in found.groups if g.label == label)


@pytest.fixture
def admin(ctx: AppContext, practitioner: UserView) -> UserView:
    seed(ctx, bias_specs(practitioner))
    return make_user(ctx, "ada", role="admin", team=None)


def test_a_group_flagged_one_and_a_half_times_the_overall_rate_raises_a_warning(
    ctx: AppContext, admin: UserView
) -> None:
    view = bias_audit.audit(ctx, admin)
    overall = view.overall.cells[FLAGS]
    assert overall.value == pytest.approx(48 / 360 * 100)
    black = _group(view, "ethnicity", "Black, Black British, Caribbean or African")
    assert not black.suppressed and black.people == 12
    assert black.cells[FLAGS].value == pytest.approx(20.0)
    assert black.cells[FLAGS].ratio == pytest.approx(1.5)
    assert black.cells[FLAGS].warn
    low, high = black.cells[FLAGS].low, black.cells[FLAGS].high
    assert low is not None and high is not None and low < 20.0 < high
    assert any("Black" in w and "Flags per 100 sentences" in w and "×1.50" in w
               for w in view.warnings)
    white = _group(view, "ethnicity", "White")
    assert white.cells[FLAGS].ratio == pytest.approx(0.75) and white.cells[FLAGS].warn


def test_confidence_and_edit_share_are_compared_with_everyone(
    ctx: AppContext, admin: UserView
) -> None:
    view = bias_audit.audit(ctx, admin)
    assert view.overall.cells[CONFIDENCE].value == pytest.approx((12 * 0.6 + 32 * 0.9) / 44)
    assert view.overall.cells[EDIT_SHARE].value == pytest.approx((12 * 0.3 + 32 * 0.1) / 44)
    black = _group(view, "ethnicity", "Black, Black British, Caribbean or African")
    assert black.cells[CONFIDENCE].value == pytest.approx(0.6)
    assert black.cells[CONFIDENCE].warn  # 0.6 / 0.818 = ×0.73
    assert black.cells[EDIT_SHARE].ratio == pytest.approx(0.3 / ((3.6 + 3.2) / 44))


def test_groups_of_fewer_than_ten_people_are_suppressed(ctx: AppContext, admin: UserView) -> None:
    view = bias_audit.audit(ctx, admin)
    asian = _group(view, "ethnicity", "Asian or Asian British")
    mixed = _group(view, "ethnicity", "Mixed or multiple ethnic groups")
    assert asian.suppressed and asian.people == 7 and asian.cells == ()
    assert mixed.suppressed
    assert not any("Asian" in w or "Mixed" in w for w in view.warnings)
    text = bias_audit.audit_csv(view)
    rows = {(r[0], r[1]): r for r in csv.reader(io.StringIO(text))}
    assert rows[("Ethnicity", "Asian or Asian British")][2] == "fewer than 10"
    assert "7" not in rows[("Ethnicity", "Asian or Asian British")]
    not_recorded = _group(view, "sex", "Not recorded")
    assert not_recorded.people == 44 and not not_recorded.cells[FLAGS].warn
    assert PERSON_PREFIX not in text


def test_the_warning_threshold_is_a_setting(
    tmp_path: object, practitioner: UserView, pii_detector: PiiDetector, settings: Settings
) -> None:
    strict = build_context(settings.model_copy(update={
        "data_dir": settings.data_dir.parent / "strict", "bias_ratio_threshold": 1.6}),
        pii_detector=pii_detector)
    try:
        author = make_user(strict, "jo2")
        seed(strict, bias_specs(author))
        view = bias_audit.audit(strict, make_user(strict, "ada", role="admin", team=None))
    finally:
        strict.close()
    black = _group(view, "ethnicity", "Black, Black British, Caribbean or African")
    assert black.cells[FLAGS].ratio == pytest.approx(1.5) and not black.cells[FLAGS].warn
    assert not any("Flags per 100 sentences" in w for w in view.warnings)


def test_a_supervisor_audits_only_their_team_and_a_practitioner_not_at_all(
    ctx: AppContext, admin: UserView, practitioner: UserView
) -> None:
    elsewhere = make_user(ctx, "pat", role="supervisor", team="Adults West")
    view = bias_audit.audit(ctx, elsewhere)
    assert view.overall.drafts == 0
    with pytest.raises(PermissionDenied):
        bias_audit.audit(ctx, practitioner)


# --- the practitioner records the characteristics on the case ---


def test_the_allocated_practitioner_records_characteristics_encrypted_at_rest(
    ctx: AppContext, practitioner: UserView, other_practitioner: UserView
) -> None:
    from sqlalchemy import text

    from casenotes.services import cases

    case_id = cases.create_case(ctx, practitioner, reference="C-1", title="t", team="Children East",
                                people=[("Alex Client", "person", [])])
    saved = person_characteristics.save(ctx, practitioner, case_id, {
        "ethnicity": "black", "first_language": "", "disability": "not_said"})
    assert saved.values["ethnicity"] == "black" and saved.values["first_language"] is None
    assert person_characteristics.get(ctx, practitioner, case_id).values["disability"] == \
        "not_said"
    with ctx.engine.connect() as connection:
        stored = connection.execute(text("SELECT ethnicity FROM person_characteristics")).scalar()
    assert stored is not None and "black" not in stored and stored.startswith("cne1:")
    with pytest.raises(NotFound):
        person_characteristics.get(ctx, other_practitioner, case_id)
    with pytest.raises(InvalidInput):
        person_characteristics.save(ctx, practitioner, case_id, {"ethnicity": "martian"})


# --- the statistics themselves ---


def test_poisson_and_wilson_intervals_match_published_values() -> None:
    rate = poisson_interval(20, 100, per=1)
    assert rate.value == pytest.approx(0.2)
    assert rate.low == pytest.approx(0.1222, abs=5e-4)  # exact Poisson: 12.22 / 100
    assert rate.high == pytest.approx(0.3089, abs=5e-4)  # 30.89 / 100
    zero = poisson_interval(0, 50, per=100)
    assert zero.value == 0 and zero.low == 0 and zero.high == pytest.approx(7.378, abs=1e-3)
    share = wilson_interval(5, 10)
    assert (share.low, share.high) == (pytest.approx(0.2366, abs=1e-4),
                                       pytest.approx(0.7634, abs=1e-4))
    assert mean_interval([1.0]).low is None
    assert poisson_interval(3, 0).value is None


def test_disparity_warns_in_either_direction_and_on_a_zero_baseline() -> None:
    assert disparity(1.5, 1.0, 1.25).warn and disparity(0.7, 1.0, 1.25).warn
    assert not disparity(1.2, 1.0, 1.25).warn and not disparity(0.9, 1.0, 1.25).warn
    assert disparity(2.0, 0.0, 1.25) == disparity(2.0, 0.0, 1.25)
    assert disparity(2.0, 0.0, 1.25).warn and disparity(2.0, 0.0, 1.25).ratio is None
    assert not disparity(0.0, 0.0, 1.25).warn


def test_one_small_group_is_not_left_recoverable_by_subtraction() -> None:
    assert suppressed_groups({"a": 30, "b": 12, "c": 7}, 10) == {"c", "b"}
    assert suppressed_groups({"a": 30, "b": 8, "c": 7}, 10) == {"b", "c"}
    assert suppressed_groups({"a": 30, "b": 12}, 10) == set()
