"""Hybrid search over signed notes and held transcripts, as a practitioner uses it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from casenotes.domain.errors import InvalidInput, NotFound, PermissionDenied
from casenotes.services import search
from casenotes.services.context import AppContext
from casenotes.services.search import SearchFilters
from casenotes.services.views import UserView
from search_notes import make_case, signed_note
from support import make_user

NEGLECT_NOTE = {
    "Observations": "There was no food in the cupboards and the children's clothes were "
                    "unwashed. The kitchen floor was sticky.",
    "Discussion": "Mother said the money ran out on Tuesday.",
}
SCHOOL_NOTE = {
    "Observations": "The house was tidy and warm.",
    "Discussion": "Tyler's attendance at school has improved to 96 percent this term.",
}


@pytest.fixture
def indexed(ctx: AppContext, practitioner: UserView, other_practitioner: UserView
            ) -> dict[str, int]:
    mine = make_case(ctx, "C-1", allocate_to=[practitioner],
                     people=[("Tyler Brown", "child", ["Tyler"])])
    theirs = make_case(ctx, "C-2", allocate_to=[other_practitioner], team="Adults West")
    ids = {
        "neglect": signed_note(ctx, practitioner, mine, NEGLECT_NOTE),
        "school": signed_note(ctx, practitioner, mine, SCHOOL_NOTE,
                              turns=[("Jo", "How is Tyler getting on at school?"),
                                     ("Mum", "He goes every day now, he loves the football.")]),
        "hidden": signed_note(ctx, other_practitioner, theirs, {
            "Observations": "No food in the cupboards; the children were hungry and unwashed."}),
        "mine": mine, "theirs": theirs,
    }
    for key in ("neglect", "school", "hidden"):
        search.index_note(ctx, ids[key])
    return ids


def test_a_concept_query_finds_a_note_without_its_words(
    ctx: AppContext, practitioner: UserView, indexed: dict[str, int]
) -> None:
    results = search.search(ctx, practitioner, "neglect", mode="semantic")
    assert results.hits[0].note_id == indexed["neglect"]
    assert results.hits[0].section == "Observations"
    assert "neglect" not in results.hits[0].snippet_text.lower()


def test_a_search_that_names_a_concept_also_finds_its_signs_and_says_which_concept(
    ctx: AppContext, practitioner: UserView, indexed: dict[str, int]
) -> None:
    results = search.search(ctx, practitioner, "neglect")
    assert results.concepts == ("neglect",)
    best = results.hits[0]
    assert best.note_id == indexed["neglect"] and "concepts" in best.found_by
    marked = {part.lower() for part, match in best.snippet if match}
    assert marked & {"food", "unwashed", "hungry"}  # the signs it was found by are marked
    # A keyword search keeps to the words typed.
    assert search.search(ctx, practitioner, "neglect", mode="keyword").concepts == ()


def test_keyword_search_marks_the_matching_words_in_the_snippet(
    ctx: AppContext, practitioner: UserView, indexed: dict[str, int]
) -> None:
    hit = search.search(ctx, practitioner, "attendance school", mode="keyword").hits[0]
    assert hit.note_id == indexed["school"]
    assert ("attendance", True) in hit.snippet
    assert hit.link == f"/notes/{indexed['school']}#section-1"
    assert hit.evidence_segments == (1,)


def test_hybrid_search_reports_which_rankings_found_each_passage(
    ctx: AppContext, practitioner: UserView, indexed: dict[str, int]
) -> None:
    hits = search.search(ctx, practitioner, "unwashed clothes").hits
    assert hits[0].note_id == indexed["neglect"]
    assert set(hits[0].found_by) == {"keyword", "semantic"}


def test_an_unallocated_cases_note_never_appears_in_any_result(
    ctx: AppContext, practitioner: UserView, indexed: dict[str, int]
) -> None:
    for mode in search.MODES:
        for query in ("no food in the cupboards hungry unwashed", "neglect"):
            hits = search.search(ctx, practitioner, query, mode=mode).hits
            if mode != "keyword" or query != "neglect":  # the word is in no note
                assert hits, (mode, query)
            assert {h.case_id for h in hits} <= {indexed["mine"]}, (mode, query)
    filtered = search.search(ctx, practitioner, "hungry", filters=SearchFilters(source="note"))
    assert filtered.hits
    assert indexed["hidden"] not in {h.note_id for h in filtered.hits}


def test_a_supervisor_finds_their_teams_notes_but_not_another_teams(
    ctx: AppContext, supervisor: UserView, indexed: dict[str, int]
) -> None:
    cases = {h.case_id for h in search.search(ctx, supervisor, "hungry children food").hits}
    assert cases == {indexed["mine"]}


def test_filtering_by_a_case_the_user_cannot_see_is_refused_as_not_found(
    ctx: AppContext, practitioner: UserView, indexed: dict[str, int]
) -> None:
    with pytest.raises(NotFound):
        search.search(ctx, practitioner, "food", filters=SearchFilters(case_id=indexed["theirs"]))


def test_the_transcript_still_held_is_searchable_and_links_to_its_segment(
    ctx: AppContext, practitioner: UserView, indexed: dict[str, int]
) -> None:
    hits = search.search(ctx, practitioner, "football",
                         filters=SearchFilters(source="transcript")).hits
    assert hits[0].source == "transcript"
    assert hits[0].evidence_segments == (1, 2)
    assert hits[0].link.endswith("#segment-1")


def test_filters_narrow_by_person_author_type_and_date(
    ctx: AppContext, practitioner: UserView, indexed: dict[str, int]
) -> None:
    def notes(**kw: object) -> set[int | None]:
        hits = search.search(ctx, practitioner, "house food school",
                             filters=SearchFilters(**kw)).hits  # type: ignore[arg-type]
        return {h.note_id for h in hits}

    with ctx.session() as session:
        from casenotes.store.repositories import cases as cases_repo

        tyler = cases_repo.people(session, case_id=indexed["mine"])[0].id
    assert notes(person_id=tyler) == {indexed["school"]}
    assert notes(author="jo") == {indexed["neglect"], indexed["school"]}
    assert notes(note_type="meeting_minutes") == set()
    today = date.today()
    assert notes(date_from=today - timedelta(days=1)) == {indexed["neglect"], indexed["school"]}
    assert notes(date_to=today - timedelta(days=1)) == set()


def test_bad_searches_get_a_clear_message(ctx: AppContext, practitioner: UserView) -> None:
    for query in ("", "   ", "?!", "x" * 501):
        with pytest.raises(InvalidInput):
            search.search(ctx, practitioner, query)
    with pytest.raises(InvalidInput, match="mode"):
        search.search(ctx, practitioner, "food", mode="fuzzy")
    with pytest.raises(InvalidInput, match="start date"):
        search.search(ctx, practitioner, "food", filters=SearchFilters(
            date_from=date(2026, 2, 1), date_to=date(2026, 1, 1)))
    with pytest.raises(InvalidInput, match="username"):
        search.search(ctx, practitioner, "food", filters=SearchFilters(author="nobody"))


def test_searches_are_audited_without_the_words_searched(
    ctx: AppContext, practitioner: UserView, indexed: dict[str, int]
) -> None:
    search.search(ctx, practitioner, "Tyler football")
    with ctx.session() as session:
        from casenotes.store.repositories import audit as audit_repo

        events = [e for e in audit_repo.recent_events(session, limit=50)
                  if e.action == "search.query"]
    assert events and events[0].actor == "jo"
    assert "Tyler" not in events[0].detail and "football" not in events[0].object_id


def test_reindex_completes_a_missing_index_and_only_admins_run_it(
    ctx: AppContext, practitioner: UserView
) -> None:
    case_id = make_case(ctx, "C-9", allocate_to=[practitioner])
    note_id = signed_note(ctx, practitioner, case_id, NEGLECT_NOTE)
    admin = make_user(ctx, "admin1", role="admin", team=None)
    with pytest.raises(PermissionDenied):
        search.reindex(ctx, practitioner)
    seen: list[tuple[int, int]] = []
    report = search.reindex(ctx, admin, progress=lambda done, total: seen.append((done, total)))
    assert (report.notes, seen) == (1, [(1, 1)])
    assert search.search(ctx, practitioner, "cupboards").hits[0].note_id == note_id
    assert search.reindex(ctx, admin).notes == 0  # resumes: nothing left to do
    again = search.reindex(ctx, admin, everything=True)
    assert again.notes == 1
    assert len(search.search(ctx, practitioner, "cupboards", mode="keyword").hits) == 1


def test_signing_a_note_indexes_it_in_the_background(ctx: AppContext) -> None:
    from casenotes.services import accounts, demo, review

    info = demo.load_demo(ctx)
    worker = accounts.get_user_by_username(ctx, info.username)
    assert worker is not None
    view = review.get_review(ctx, worker, info.recording_id)
    flags = [f for sec in view.sections for s in sec.sentences for f in s.flags]
    for flag in flags + [f for sec in view.sections for f in sec.flags]:
        if flag.status == "open":
            review.dismiss_flag(ctx, worker, flag.id, "Checked against the recording.")
    review.write_section(ctx, worker, info.recording_id, "Analysis",
                         "The family needs practical support with heating costs.")
    note = review.sign_off(ctx, worker, info.recording_id, attested=True)
    search.wait_for_indexing(ctx)
    hits = search.search(ctx, worker, "heating costs", mode="keyword").hits
    assert hits and hits[0].note_id == note.id


def test_the_keyword_index_on_disk_holds_no_readable_words_yet_finds_other_word_forms(
    ctx: AppContext, practitioner: UserView, indexed: dict[str, int]
) -> None:
    with ctx.engine.connect() as conn:
        stored = " ".join(str(v) for (v,) in conn.execute(text("SELECT text FROM search_fts")))
        chunks = " ".join(str(v) for (v,) in conn.execute(text("SELECT text FROM search_chunks")))
    assert stored  # the index is there
    for word in ("cupboards", "cupboard", "attendance", "tyler", "money", "kitchen"):
        assert word not in stored.lower()
        assert word not in chunks.lower()
    # Stemmed before keying: another form of a word still finds the passage.
    hit = search.search(ctx, practitioner, "cupboard unwashed", mode="keyword").hits[0]
    assert hit.note_id == indexed["neglect"]
    assert "cupboards" in hit.snippet_text


def test_a_transcript_passage_is_found_by_what_was_said_not_by_who_said_it(
    ctx: AppContext, practitioner: UserView
) -> None:
    case = make_case(ctx, "C-3", allocate_to=[practitioner])
    officer = signed_note(ctx, practitioner, case, {"Discussion": "A visit about the garden."},
                          turns=[("Police Constable Reid", "The roses are doing well."),
                                 ("Police Constable Reid", "I water them every evening."),
                                 ("Police Constable Reid", "The hedge needs cutting back.")])
    told = signed_note(ctx, practitioner, case, {"Discussion": "A visit after a bad week."},
                       turns=[("Jo", "How has the week been?"),
                              ("Mum", "Officers came to the house on Friday night after the "
                                      "shouting, and they arrested him."),
                              ("Jo", "Thank you for telling me.")])
    for note_id in (officer, told):
        search.index_note(ctx, note_id)
    hits = search.search(ctx, practitioner, "police", mode="semantic",
                         filters=SearchFilters(case_id=case, source="transcript")).hits
    assert hits[0].note_id == told
