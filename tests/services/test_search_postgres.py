"""Search on PostgreSQL: full-text (tsvector) and exact cosine, with access in the query."""

from __future__ import annotations

from pathlib import Path

import pytest

from casenotes.config import Settings
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import accounts, policies, search
from casenotes.services.context import build_context
from search_notes import make_case, signed_note
from support import empty_postgres


@pytest.mark.postgres
def test_search_and_policies_work_on_postgresql_and_respect_allocation(
    postgres_url: str, tmp_path: Path, pii_detector: PiiDetector
) -> None:
    settings = Settings(data_dir=tmp_path, database_url=postgres_url, secret_key="k",
                        search_index_on_sign=False)
    ctx = build_context(settings, pii_detector=pii_detector)
    try:
        jo = accounts.add_user(ctx, username="jo", password="a-long-password", role="practitioner",
                               team="East")
        al = accounts.add_user(ctx, username="al", password="a-long-password", role="practitioner",
                               team="West")
        mine = make_case(ctx, "P-1", allocate_to=[jo], team="East")
        theirs = make_case(ctx, "P-2", allocate_to=[al], team="West")
        notes = [
            signed_note(ctx, jo, mine, {"Observations": "No food in the cupboards; the "
                                                        "children's clothes were unwashed."}),
            signed_note(ctx, al, theirs, {"Observations": "The cupboards were empty and the "
                                                          "children were hungry."}),
        ]
        for note_id in notes:
            search.index_note(ctx, note_id)
        keyword = search.search(ctx, jo, "cupboards", mode="keyword").hits
        assert [h.note_id for h in keyword] == [notes[0]]
        assert ("cupboards", True) in keyword[0].snippet
        for mode in ("semantic", "hybrid"):
            hits = search.search(ctx, jo, "neglect", mode=mode).hits
            assert hits and {h.case_id for h in hits} == {mine}, mode
        admin = accounts.add_user(ctx, username="admin", password="a-long-password", role="admin")
        policies.load_demo_policies(ctx, admin)
        answer = policies.ask(ctx, jo, "lone working safety")
        assert answer.passages[0].section.endswith("2.2 Lone working")
    finally:
        ctx.close()
        empty_postgres(postgres_url)
