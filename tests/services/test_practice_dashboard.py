"""The practice dashboard computes each measure from what is stored (issue 10)."""

from __future__ import annotations

import csv
import io

import pytest

from casenotes.domain.errors import InvalidInput, PermissionDenied
from casenotes.services import practice_dashboard
from casenotes.services.context import AppContext
from casenotes.services.views import UserView
from evaluation_support import PERSON_PREFIX, SessionSpec, seed
from support import make_user


@pytest.fixture
def seeded(ctx: AppContext, practitioner: UserView, supervisor: UserView
           ) -> dict[str, UserView]:
    kim = make_user(ctx, "kim")
    robin = make_user(ctx, "robin", team="Adults West")
    seed(ctx, [
        SessionSpec(practitioner, "Children East", "2026-10-01T10:00:00", "2026-10-01T10:06:00",
                    "2026-10-01T14:00:00", sentences=10, changed_share=0.01, quote_kept=True,
                    flags=[("unsupported_claim", "resolved"), ("omission", "dismissed"),
                           ("stigmatising_language", "open")]),
        SessionSpec(practitioner, "Children East", "2026-11-02T09:00:00", "2026-11-02T09:10:00",
                    "2026-11-03T09:00:00", sentences=10, changed_share=0.30,
                    flags=[("unsupported_claim", "dismissed")]),
        SessionSpec(kim, "Children East", "2026-11-05T12:00:00", "2026-11-05T12:02:00",
                    template="meeting_minutes", sentences=20,
                    flags=[("omission", "open"), ("omission", "open")]),
        SessionSpec(robin, "Adults West", "2026-11-06T12:00:00", "2026-11-06T12:30:00",
                    sentences=5, flags=[("stigmatising_language", "open")] * 3),
    ])
    return {"jo": practitioner, "kim": kim, "robin": robin, "sam": supervisor}


def test_a_supervisor_sees_their_teams_measures_with_the_expected_values(
    ctx: AppContext, seeded: dict[str, UserView]
) -> None:
    view = practice_dashboard.dashboard(ctx, seeded["sam"], "team")
    assert [r.label for r in view.rows] == ["Children East"]  # not Adults West
    row = view.rows[0]
    assert (row.drafts, row.signed) == (3, 2)
    assert row.minutes_to_draft == pytest.approx(6.0)  # median of 6, 10, 2
    assert row.hours_to_sign == pytest.approx(14.0)  # median of 4, 24
    assert row.edit_share == pytest.approx(0.155)
    assert row.almost_unedited == pytest.approx(0.5)  # 0.01 ≤ 2%, 0.30 is not
    assert row.unsupported_per_100 == pytest.approx(5.0)  # 2 flags / 40 sentences
    assert row.omission_per_100 == pytest.approx(7.5)  # 3 / 40
    assert row.voice_share == pytest.approx(0.5)
    assert row.voice_low is not None and row.voice_low < 0.5 < (row.voice_high or 0)
    flags = {f.kind: (f.raised, f.open, f.resolved, f.dismissed) for f in view.flags}
    assert flags == {"unsupported claim": (2, 0, 1, 1), "omission": (3, 2, 0, 1),
                     "stigmatising language": (1, 1, 0, 0)}


def test_breakdowns_by_practitioner_template_and_month(
    ctx: AppContext, seeded: dict[str, UserView]
) -> None:
    by_person = practice_dashboard.dashboard(ctx, seeded["sam"], "practitioner")
    assert {r.label: r.drafts for r in by_person.rows} == {"jo": 2, "kim": 1}
    by_template = practice_dashboard.dashboard(ctx, seeded["sam"], "template")
    assert {r.label: r.drafts for r in by_template.rows} == {"home visit note": 2,
                                                             "meeting minutes": 1}
    by_month = practice_dashboard.dashboard(ctx, seeded["sam"], "month")
    months = {r.label: r for r in by_month.rows}
    assert set(months) == {"2026-10", "2026-11"}
    assert months["2026-11"].minutes_to_draft == pytest.approx(6.0)  # median of 10 and 2
    assert months["2026-11"].hours_to_sign == pytest.approx(24.0)


def test_administrators_see_all_teams_but_practitioners_only_as_numbers(
    ctx: AppContext, seeded: dict[str, UserView]
) -> None:
    admin = make_user(ctx, "ada", role="admin", team=None)
    view = practice_dashboard.dashboard(ctx, admin, "team")
    assert [r.label for r in view.rows] == ["Adults West", "Children East"]
    assert view.overall.drafts == 4
    people = practice_dashboard.dashboard(ctx, admin, "practitioner")
    assert {r.label for r in people.rows} == {"Practitioner 1", "Practitioner 2",
                                              "Practitioner 3"}


def test_a_practitioner_cannot_open_the_dashboard(
    ctx: AppContext, seeded: dict[str, UserView]
) -> None:
    with pytest.raises(PermissionDenied):
        practice_dashboard.dashboard(ctx, seeded["jo"])


def test_an_unknown_breakdown_is_refused_with_the_choices(
    ctx: AppContext, seeded: dict[str, UserView]
) -> None:
    with pytest.raises(InvalidInput) as refused:
        practice_dashboard.dashboard(ctx, seeded["sam"], "postcode")
    assert "team, practitioner, template, month" in refused.value.hint


def test_the_csv_export_has_every_group_and_no_person_receiving_support(
    ctx: AppContext, seeded: dict[str, UserView]
) -> None:
    view = practice_dashboard.dashboard(ctx, seeded["sam"], "practitioner")
    text = practice_dashboard.dashboard_csv(view)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Practitioner"
    assert [r[0] for r in rows[1:]] == ["jo", "kim", "All"]
    assert rows[-1][1:3] == ["3", "2"]
    assert PERSON_PREFIX not in text
    assert PERSON_PREFIX not in practice_dashboard.flags_csv(view)


def test_draft_ready_is_when_the_checks_first_finished_where_that_was_measured(
    ctx: AppContext, seeded: dict[str, UserView]
) -> None:
    from casenotes.store.models import Recording, StageRunRow
    from evaluation_support import at

    with ctx.session() as session:
        first = session.query(Recording).order_by(Recording.id).first()
        assert first is not None
        for finished in ("2026-10-01T10:20:00", "2026-10-02T10:00:00"):  # then a re-check
            session.add(StageRunRow(
                recording_id=first.id, stage="check", engine="checks", engine_version="1",
                cpu_seconds=1.0, wall_seconds=1.0, energy_joules=12.0,
                energy_method="estimate", started_at=at(finished), finished_at=at(finished)))
    october = practice_dashboard.dashboard(ctx, seeded["sam"], "month").rows[0]
    assert october.label == "2026-10" and october.minutes_to_draft == pytest.approx(20.0)
