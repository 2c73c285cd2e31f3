"""A participant's role is what the practitioner types: it is read by the words in it."""

from __future__ import annotations

import pytest

from casenotes.domain.people import child_role, professional_role


@pytest.mark.parametrize("role", [
    "detective constable, child abuse investigation unit",
    "deputy head and designated safeguarding lead, Hollinsbrook Primary",
    "designated_safeguarding_lead", "GP (joined by phone)", "health visitor", "social_worker",
    "independent domestic violence adviser", "care coordinator", "community midwife",
    "Independent child protection conference chair",
])
def test_a_professional_is_known_by_the_words_of_their_role(role: str) -> None:
    assert professional_role(role)
    assert not child_role(role)


@pytest.mark.parametrize("role", ["child in placement", "young_person", "Young person (15)",
                                  "child", "baby", "teenager, the eldest"])
def test_a_child_is_known_however_the_role_is_worded(role: str) -> None:
    assert child_role(role)
    assert not professional_role(role)


@pytest.mark.parametrize("role", ["mother", "kinship foster carer (maternal grandmother)",
                                  "child's father", "headstrong nephew", "carer", "relative"])
def test_family_and_carers_are_neither(role: str) -> None:
    assert not professional_role(role)
    assert not child_role(role)
