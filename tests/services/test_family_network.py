"""The family network: record, suggestions from signed notes, and the practitioner's decision."""

from __future__ import annotations

import pytest

from casenotes.domain.errors import InvalidInput, NotFound
from casenotes.services import family_network
from casenotes.services.context import AppContext
from casenotes.services.family_network import mine_suggestions
from casenotes.services.views import UserView
from search_notes import make_case, signed_note
from visits import load_case, people


@pytest.fixture
def kayleigh_case(ctx: AppContext, practitioner: UserView) -> int:
    case = load_case("case_01")
    case_id = make_case(ctx, "V-01", allocate_to=[practitioner], people=people(case))
    who = {p["id"]: p["name"] for p in case["participants"]}
    signed_note(ctx, practitioner, case_id, case["reference_note"],
                turns=[(who[t["speaker_id"]], t["text"]) for t in case["transcript"][:6]])
    return case_id


def test_a_relationship_suggestion_is_not_shown_as_fact_until_confirmed(
    ctx: AppContext, practitioner: UserView, kayleigh_case: int
) -> None:
    view = family_network.get_network(ctx, practitioner, kayleigh_case)
    suggestion = next(s for s in view.suggestions if s.to_name == "Pauline Robson")
    assert (suggestion.from_name, suggestion.relation) == ("Kayleigh Robson", "mother")
    assert "Pauline" in suggestion.evidence
    assert view.relationships == ()
    family_network.decide(ctx, practitioner, kayleigh_case, suggestion.id, "confirmed")
    after = family_network.get_network(ctx, practitioner, kayleigh_case)
    assert [(r.from_name, r.relation, r.to_name) for r in after.relationships] == [
        ("Kayleigh Robson", "mother", "Pauline Robson")]
    assert suggestion.id not in {s.id for s in after.suggestions}


def test_a_rejected_suggestion_is_not_suggested_again(
    ctx: AppContext, practitioner: UserView, kayleigh_case: int
) -> None:
    view = family_network.get_network(ctx, practitioner, kayleigh_case)
    for s in view.suggestions:
        family_network.decide(ctx, practitioner, kayleigh_case, s.id, "rejected")
    again = family_network.get_network(ctx, practitioner, kayleigh_case)
    assert again.suggestions == () and again.relationships == ()


def test_who_spoke_at_the_visit_and_who_is_a_professional_are_shown(
    ctx: AppContext, practitioner: UserView, kayleigh_case: int
) -> None:
    view = family_network.get_network(ctx, practitioner, kayleigh_case)
    by_name = {p.name: p for p in view.people}
    assert by_name["Jo Hartley"].professional
    assert not by_name["Kayleigh Robson"].professional
    assert by_name["Kayleigh Robson"].present_at == ("Home visit",)
    assert by_name["Pauline Robson"].present_at == ()


def test_his_nan_is_suggested_for_the_person_named_before_it() -> None:
    found = mine_suggestions("Tyler said he stays with his nan, Pat, at weekends.",
                             [("Tyler Brown", ["Tyler"])])
    assert [(f[0], f[1], f[2]) for f in found] == [("Tyler Brown", "Pat", "nan")]


def test_a_relationship_the_practitioner_adds_is_drawn_and_exported(
    ctx: AppContext, practitioner: UserView, kayleigh_case: int
) -> None:
    # Dean is Jayden's father: from Jayden, to Dean.
    family_network.add_relationship(ctx, practitioner, kayleigh_case, from_name="Jayden",
                                    to_name="Dean Kirtley", relation="Father")
    view = family_network.get_network(ctx, practitioner, kayleigh_case)
    assert ("Jayden", "father", "Dean Kirtley") in {
        (r.from_name, r.relation, r.to_name) for r in view.relationships}
    assert "Jayden" in {p.name for p in view.people}
    exported = family_network.export_csv(view)
    assert "relationship,Jayden,father,Dean Kirtley" in exported
    with pytest.raises(InvalidInput):
        family_network.add_relationship(ctx, practitioner, kayleigh_case, from_name=" ",
                                        to_name="Jayden", relation="father")


def test_an_unallocated_practitioner_cannot_see_the_network(
    ctx: AppContext, other_practitioner: UserView, kayleigh_case: int
) -> None:
    with pytest.raises(NotFound):
        family_network.get_network(ctx, other_practitioner, kayleigh_case)
