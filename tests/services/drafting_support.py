"""The demo visit, loaded and processed once per test session, copied into each test's folder.

Processing the demo runs the real PII detector, drafter and checkers (~20 s); the regenerate and
letter tests each get their own copy of the result, so they stay independent and quick.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from casenotes.config import Settings
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import accounts, review
from casenotes.services.context import AppContext, build_context
from casenotes.services.demo import DemoInfo, load_demo
from casenotes.services.views import UserView

_MADE: dict[str, tuple[Path, DemoInfo]] = {}


@dataclass(frozen=True)
class Demo:
    ctx: AppContext
    info: DemoInfo
    worker: UserView

    @property
    def recording_id(self) -> int:
        return self.info.recording_id


def _settings(folder: Path) -> Settings:
    return Settings(data_dir=folder, secret_key="drafting-tests")


def _template(factory: pytest.TempPathFactory, detector: PiiDetector) -> tuple[Path, DemoInfo]:
    if "demo" not in _MADE:
        folder = factory.mktemp("drafting-demo") / "data"
        ctx = build_context(_settings(folder), pii_detector=detector)
        try:
            info = load_demo(ctx)
        finally:
            ctx.close()
        _MADE["demo"] = (folder, info)
    return _MADE["demo"]


def demo_copy(
    tmp_path: Path, factory: pytest.TempPathFactory, detector: PiiDetector
) -> Iterator[Demo]:
    folder, info = _template(factory, detector)
    data = tmp_path / "data"
    shutil.copytree(folder, data)
    ctx = build_context(_settings(data), pii_detector=detector)
    try:
        worker = accounts.get_user_by_username(ctx, info.username)
        assert worker is not None
        yield Demo(ctx, info, worker)
    finally:
        ctx.close()


def sign_demo(demo: Demo, analysis: str) -> int:
    """Decide every flag, write Analysis, sign; returns the note id."""
    view = review.get_review(demo.ctx, demo.worker, demo.recording_id)
    flags = [f for sec in view.sections for s in sec.sentences for f in s.flags]
    for flag in flags + [f for sec in view.sections for f in sec.flags]:
        review.dismiss_flag(demo.ctx, demo.worker, flag.id, "Checked against the recording.")
    review.write_section(demo.ctx, demo.worker, demo.recording_id, "Analysis", analysis)
    return review.sign_off(demo.ctx, demo.worker, demo.recording_id, attested=True).id
