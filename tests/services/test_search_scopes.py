"""Every way a search narrows to the reader's cases: within a few cases, across many, and the
coarse vector pre-selection. An unallocated case's passage never appears, whichever is taken."""

from __future__ import annotations

import numpy as np
import pytest

from casenotes.engines.search import embedder_for
from casenotes.services import search
from casenotes.services.context import AppContext
from casenotes.services.search import SearchFilters
from casenotes.services.views import UserView
from casenotes.store.repositories import governance as gov_repo
from casenotes.store.repositories import notes as notes_repo
from casenotes.store.repositories import search as search_repo
from casenotes.store.repositories.search import Filters
from search_notes import make_case, signed_note

BOILER = "The boiler was broken, the flat was cold and the boiler engineer has not come."
HEATING = "The heating was off; the children wore coats indoors."
GARDEN = "The garden was tidy and the children played outside."


@pytest.fixture
def cases(ctx: AppContext, practitioner: UserView, other_practitioner: UserView
          ) -> dict[str, int]:
    first = make_case(ctx, "S-1", allocate_to=[practitioner])
    second = make_case(ctx, "S-2", allocate_to=[practitioner])
    hidden = make_case(ctx, "S-3", allocate_to=[other_practitioner], team="Adults West")
    notes = {
        "boiler": signed_note(ctx, practitioner, first, {"Observations": BOILER}),
        "heating": signed_note(ctx, practitioner, second, {"Observations": HEATING}),
        "garden": signed_note(ctx, practitioner, second, {"Observations": GARDEN}),
        # The hidden case's notes match best of all.
        "hidden1": signed_note(ctx, other_practitioner, hidden, {
            "Observations": "Broken boiler, cold flat, boiler broken again, cold cold flat."}),
        "hidden2": signed_note(ctx, other_practitioner, hidden, {
            "Observations": "The boiler was broken and the flat was cold."}),
    }
    for note_id in notes.values():
        search.index_note(ctx, note_id)
    return {**notes, "first": first, "second": second, "hidden": hidden}


def test_a_reader_with_more_cases_than_the_scoped_limit_still_sees_only_their_cases(
    ctx: AppContext, practitioner: UserView, cases: dict[str, int],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    with ctx.session() as session:
        scoped = search_repo.keyword_ranking(session, user=practitioner, terms=["boiler", "cold"],
                                             filters=Filters(), limit=1)
    monkeypatch.setattr(search_repo, "SCOPED_CASES", 1)  # two cases: ranked across the index
    with ctx.session() as session:
        # The best match of the whole index is hidden; the best visible one is still found.
        wide = search_repo.keyword_ranking(session, user=practitioner, terms=["boiler", "cold"],
                                           filters=Filters(), limit=1)
    assert wide == scoped and wide[0].note_id == cases["boiler"]
    for mode in search.MODES:
        hits = search.search(ctx, practitioner, "broken boiler cold flat", mode=mode).hits
        assert hits, mode
        assert {h.case_id for h in hits} <= {cases["first"], cases["second"]}, mode
        one = search.search(ctx, practitioner, "boiler broken, heating off", mode=mode,
                            filters=SearchFilters(case_id=cases["second"])).hits
        assert one and {h.case_id for h in one} == {cases["second"]}, mode


def test_semantic_search_over_more_passages_than_the_signature_pool_keeps_to_the_readers_cases(
    ctx: AppContext, practitioner: UserView, cases: dict[str, int],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_repo, "SIGNATURE_POOL", 2)  # three passages visible: pre-select
    hits = search.search(ctx, practitioner, "no heating at home, a cold flat",
                         mode="semantic").hits
    assert hits
    assert {h.case_id for h in hits} <= {cases["first"], cases["second"]}
    assert cases["hidden1"] not in {h.note_id for h in hits}


def test_with_fewer_visible_passages_than_the_pool_the_semantic_ranking_is_exact(
    ctx: AppContext, practitioner: UserView, cases: dict[str, int]
) -> None:
    vector = embedder_for(None).embed(["the house was cold"])[0]
    with ctx.session() as session:
        ranked = search_repo.semantic_ranking(session, user=practitioner, vector=vector,
                                              filters=Filters(), limit=10)
        exact = search_repo._exact_scan(session, user=practitioner, vector=vector,
                                        filters=Filters(), limit=10)
    assert [r.chunk_id for r in ranked] == [r.chunk_id for r in exact]
    assert len(ranked) == 3  # the reader's three passages, nothing of the hidden case


def test_erasing_a_transcript_removes_its_passages_but_the_signed_note_stays_findable(
    ctx: AppContext, practitioner: UserView
) -> None:
    case_id = make_case(ctx, "S-9", allocate_to=[practitioner])
    note_id = signed_note(ctx, practitioner, case_id, {"Observations": BOILER},
                          turns=[("Jo", "Is the radiator working?"),
                                 ("Mum", "No, the radiator has been off for a week.")])
    search.index_note(ctx, note_id)
    assert {h.source for h in search.search(ctx, practitioner, "radiator boiler").hits} == {
        "note", "transcript"}
    with ctx.session() as session:
        note = notes_repo.get_note(session, note_id=note_id)
        assert note is not None
        gov_repo.erase_transcript(session, recording_id=note.recording_id)  # as retention does
    hits = search.search(ctx, practitioner, "radiator boiler").hits
    assert hits and {h.source for h in hits} == {"note"}
    assert search.search(ctx, practitioner, "radiator", mode="keyword").hits == ()


def test_the_signatures_stored_are_the_sign_bits_of_the_embeddings(
    ctx: AppContext, cases: dict[str, int]
) -> None:
    with ctx.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT embedding, signature FROM search_chunks").all()
    assert rows
    for embedding, stored in rows:
        vector = np.frombuffer(embedding, dtype=np.float32)
        bits = np.unpackbits(np.frombuffer(stored, dtype=np.uint8), bitorder="little")
        assert (bits.astype(bool) == (vector > 0)).all()
