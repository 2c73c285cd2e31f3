"""Plain-language letters from a signed note: reading age shown, no third parties named."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from drafting_support import Demo, demo_copy, sign_demo

from casenotes.domain.errors import NotFound
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.services import accounts
from casenotes.services.letters import TARGET_GRADE, grade, letter_for_note

THIRD_PARTIES = ("Pat Denby", "Nana Pat", "Dean Carter", "Dean", "Brookfield", "Lorraine")
ANALYSIS = "Professional analysis that must never reach the family's letter."


@pytest.fixture
def demo(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, pii_detector: PiiDetector
) -> Iterator[Demo]:
    yield from demo_copy(tmp_path, tmp_path_factory, pii_detector)


def test_letter_from_the_signed_demo_note_is_plain_keeps_voice_and_names_no_third_party(
    demo: Demo,
) -> None:
    note_id = sign_demo(demo, ANALYSIS)
    letter = letter_for_note(demo.ctx, demo.worker, note_id)

    assert [name for name, _ in letter.sections] == [
        "Opening", "Why we spoke", "What we talked about", "What you told me",
        "What happens next", "Contact details", "Closing"]
    body = dict(letter.sections)
    assert body["Opening"] == "Dear Rachel,"
    assert "I will make the referral" in body["What happens next"]
    assert "You told me: “" in body["What you told me"]
    assert "Maisie said: “" in body["What you told me"], "a child's words are theirs, not 'you'"
    for name in THIRD_PARTIES:
        assert name not in letter.text, name
    assert ANALYSIS not in letter.text
    assert "Oscar" in letter.text, "the family's own children are not third parties"

    measured = " ".join(text for name, text in letter.sections
                        if name not in ("Opening", "Closing", "Contact details"))
    assert letter.grade == pytest.approx(grade(measured), abs=0.05)
    assert letter.reading_age == round(letter.grade) + 5
    assert letter.target_grade == TARGET_GRADE
    assert letter.meets_target == (letter.grade <= TARGET_GRADE)
    assert letter.meets_target, f"the demo letter reads at grade {letter.grade}"


def test_reading_grade_tells_plain_from_formal_text() -> None:
    plain = "We talked about the house. It is cold. I will ring the gas company this week."
    formal = ("Consideration was given to the multifaceted accommodation difficulties "
              "experienced by the household, necessitating comprehensive interagency "
              "coordination regarding prospective utility arrangements.")
    assert grade(plain) <= TARGET_GRADE < grade(formal)
    assert grade("") == 0.0


def test_only_people_allocated_to_the_case_can_have_the_letter(demo: Demo) -> None:
    note_id = sign_demo(demo, ANALYSIS)
    stranger = accounts.add_user(demo.ctx, username="stranger", password="a-long-password-1",
                                 role="practitioner", team="Elsewhere")
    with pytest.raises(NotFound):
        letter_for_note(demo.ctx, stranger, note_id)
    with pytest.raises(NotFound):
        letter_for_note(demo.ctx, demo.worker, note_id + 1000)
