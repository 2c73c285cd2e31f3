"""Fixtures for the web app, on top of the suite's ``settings`` and ``ctx`` (fresh per test).

Processing the demo visit runs the real PII detector and drafter; it runs once per session into
a template folder that each test copies, so every test still gets its own data folder.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from websupport import TRANSCRIPT, WEB_PASSWORD, make_settings

from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import accounts, cases, recordings
from casenotes.services.context import AppContext, build_context
from casenotes.services.demo import DemoInfo, load_demo
from casenotes.services.views import RecordingSummary, UserView
from casenotes.web.app import create_app
from support import complete_training


@pytest.fixture
def app(ctx: AppContext) -> FastAPI:
    return create_app(ctx=ctx)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    # Server errors become the app's 500 page, as a browser would see them.
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def casey(ctx: AppContext) -> UserView:
    """A practitioner with a known password, for signing in through the form."""
    user = accounts.add_user(ctx, username="casey", password=WEB_PASSWORD, role="practitioner",
                             display_name="Casey Practitioner", team="Adults North")
    complete_training(ctx, user)
    return user


@pytest.fixture
def robin(ctx: AppContext) -> UserView:
    """Another practitioner, in another team, to whom Casey's case is not allocated."""
    user = accounts.add_user(ctx, username="robin", password=WEB_PASSWORD, role="practitioner",
                             display_name="Robin Other", team="Adults West")
    complete_training(ctx, user)
    return user


@pytest.fixture
def case_id(ctx: AppContext, casey: UserView) -> int:
    """A case allocated to Casey (the creating practitioner is allocated)."""
    return cases.create_case(
        ctx, casey, reference="T-0001", title="Test case: Alex Client", team="Adults North",
        people=[("Alex Client", "person", ["Alex"]), ("Jo Practitioner", "social_worker", [])],
    )


@pytest.fixture
def imported(ctx: AppContext, casey: UserView, case_id: int) -> RecordingSummary:
    """A transcript imported into Casey's case, not yet processed."""
    return recordings.import_transcript(ctx, casey, case_id, filename="visit.txt",
                                        content=TRANSCRIPT, title="Phone call")


@pytest.fixture(scope="session")
def demo_template(
    tmp_path_factory: pytest.TempPathFactory, pii_detector: PiiDetector
) -> tuple[Path, DemoInfo]:
    """A data folder with the demo case loaded and processed, made once and copied per test.

    The real engines draft it; the demo's neighbour, who is not on the case record, raises a
    flag the practitioner has to decide before signing.
    """
    folder = tmp_path_factory.mktemp("demo-template") / "data"
    context = build_context(make_settings(folder), pii_detector=pii_detector)
    try:
        info = load_demo(context)
    finally:
        context.close()
    return folder, info


@pytest.fixture
def demo(
    tmp_path: Path, demo_template: tuple[Path, DemoInfo], pii_detector: PiiDetector
) -> Iterator[tuple[AppContext, DemoInfo]]:
    folder, info = demo_template
    data_dir = tmp_path / "demo-data"
    shutil.copytree(folder, data_dir)
    context = build_context(make_settings(data_dir), pii_detector=pii_detector)
    yield context, info
    context.close()


@pytest.fixture
def demo_client(demo: tuple[AppContext, DemoInfo]) -> Iterator[TestClient]:
    context, _ = demo
    with TestClient(create_app(ctx=context), raise_server_exceptions=False) as test_client:
        yield test_client
