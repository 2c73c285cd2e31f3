"""Plain-language letters from a signed note: reading age shown, no third parties named."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from drafting_support import Demo, demo_copy, sign_demo

from casenotes.domain.errors import NotFound
from casenotes.domain.people import Person
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.pipeline.templates import load_template
from casenotes.services import accounts
from casenotes.services.letters import (
    TARGET_GRADE,
    _audience,
    compose_letter,
    grade,
    letter_for_note,
)

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


def _letter(sentences: dict[str, list[str]], detector: PiiDetector) -> dict[str, str]:
    people = [Person("Ronald Pickering", "adult"), Person("Helen Brackenbury", "social_worker"),
              Person("Maisie Pickering", "child"), Person("Dr Shah", "GP"),
              Person("Gary Pickering", "nephew")]
    audience = _audience(people, ["Helen Brackenbury", "Ronald Pickering"], "Helen Brackenbury")
    template = load_template("home_visit_note")
    note = [{"name": name, "sentences": [{"text": t} for t in texts]}
            for name, texts in sentences.items()]
    composed = compose_letter(note, template, load_template("letter_to_family"), audience,
                              detector, "Helen Brackenbury")
    return dict(composed.sections)


def test_a_question_and_answer_in_the_note_reads_as_i_asked_and_you_told_me(
    pii_detector: PiiDetector,
) -> None:
    body = _letter({"Discussion": [
        "“So no heating and no hot water?” Ronald Pickering said: No hot water, no.",
        "Helen Brackenbury asked: “Where do you use the camping stove?” Ronald Pickering said: "
        "On the side there. Maisie Pickering said: By the bread bin.",
    ]}, pii_detector)["What we talked about"]
    assert "I asked: “So no heating and no hot water?” You told me: “No hot water, no.”" in body
    assert ("I asked: “Where do you use the camping stove?” You told me: “On the side there.” "
            "Maisie said: “By the bread bin.”") in body
    assert "Ronald Pickering said" not in body and "Helen Brackenbury" not in body


def test_a_note_sentence_with_a_third_partys_own_words_stays_out_of_the_letter(
    pii_detector: PiiDetector,
) -> None:
    body = _letter({"Discussion": [
        "“Can I ask about the hall?” Dr Shah said: He needs the hall clear for the nurses.",
        "“Do you have any family who visits?” Ronald Pickering said: Gary Pickering. Gary "
        "Pickering. At the Gary Pickering. Lovely lad.",
        "“Who helps?” Ronald Pickering said: My nephew Gary Pickering comes once a month.",
    ]}, pii_detector)["What we talked about"]
    assert "Dr Shah" not in body and "hall clear" not in body
    assert "Lovely lad" not in body, "a sentence that is mostly 'someone else' says nothing"
    assert "My nephew someone else comes once a month." in body


def test_a_neutral_phrase_that_starts_a_sentence_starts_with_a_capital(
    pii_detector: PiiDetector,
) -> None:
    body = _letter({"Discussion": [
        "“Who helps?” Ronald Pickering said: I manage. Gary Pickering comes once a month.",
    ]}, pii_detector)["What we talked about"]
    assert "I manage. Someone else comes once a month." in body


def test_a_long_note_makes_a_short_letter_that_keeps_the_risk_and_the_dates(
    pii_detector: PiiDetector,
) -> None:
    small_talk = [f"Ronald Pickering said: The {thing} is nice this time of year."
                  for thing in ("garden", "park", "canal", "market", "library", "bowls club",
                                "church hall", "bus route")]
    risk = "Ronald Pickering said: I fell on the stairs and lay on the floor all night."
    date = "Ronald Pickering said: My daughter comes on Thursday at ten."
    body = _letter({"Discussion": [*small_talk[:4], risk, *small_talk[4:], date]},
                   pii_detector)["What we talked about"]
    cap = load_template("letter_to_family").section("What we talked about").max_sentences
    assert "I fell on the stairs and lay on the floor all night." in body
    assert "My daughter comes on Thursday at ten." in body
    assert body.index("I fell on the stairs") < body.index("Thursday at ten")  # order kept
    assert sum(t in body for t in ("garden", "park", "canal", "market", "library", "bowls",
                                   "church", "bus route")) == cap - 2
