"""Rules read from round 9 as dev cases, each on invented words: someone who speaks in few
words (a man with a learning disability, a husband on a speech tablet) is quoted as he speaks;
Scots first-person lines ("A'm no daft") are first person; asking that someone is not told is
a secret kept from them; a guess about the past ("he'll have been…") is not an action; and an
answer to a follow-up takes one place among the quotes with what it follows."""

from __future__ import annotations

from dataclasses import replace

from casenotes.engines.drafting.actions import commitment
from casenotes.engines.drafting.risk import risk_topics
from casenotes.pipeline.templates import load_template
from drafts import draft_turns as _draft
from drafts import section_text as _section
from drafts import small_talk as _small_talk

SW, P, C = "[PERSON_1]", "[PERSON_2]", "[PERSON_3]"


def test_someone_who_speaks_in_few_words_is_quoted_as_he_speaks() -> None:
    mother = [
        "Honestly, I'm worn out. I'm up with him twice a night and I never get a proper sleep.",
        "I feel like I'm letting him down when I lose my temper, and I hate myself for it.",
        "I'm proud of him, I am. I just wish I had a bit more help with the mornings.",
        "I miss my own friends. I haven't been to the quiz at the club since the spring.",
        "I'm scared of what happens to him when I can't do it any more, that's my worry.",
        "I'd love a weekend away with my sister, I haven't had one in years.",
        "I think the college are good with him, I'm happy with the college.",
        "I get lonely in the evenings once he's in bed, I won't lie.",
        "I want him to have his own life, I really do, with his friends.",
    ]
    son = ["[nods] Swimming. Tuesday.", "More swimming.", "Dad car. [points to door]",
           "Bus no. [shakes head]"]
    turns = [(SW, "Hello both. Today is the review of the day service and your carer's "
                  "assessment. Is it okay if I record us?"), (P, "Yes, that's fine."),
             (C, "Yes. OK.")]
    for i in range(9):
        turns += [(SW, "How are things for you?"), (P, mother[i])]
        if i < len(son):
            turns += [(SW, "And what would you like?"), (C, son[i])]
    result = _draft(turns, {SW: "social worker", P: "mother and main carer",
                            C: "adult who uses the day service"}, "assessment_section")
    voice = _section(result, "The person's views")
    for said in ("More swimming.", "Dad car.", "Bus no."):
        assert said in voice


def test_scots_first_person_lines_are_quoted() -> None:
    turns = [
        (SW, "Thanks for coming, everyone. We're here about Mr Reid's safety at the flats."),
        (P, "Aye, well. A've got nothing tae hide."),
        *_small_talk(6, SW, "[PERSON_4]"),
        (SW, "The warden says you were found on the stairs at four in the morning."),
        (P, "A'm no daft, son. A ken where A live."),
        *_small_talk(6, SW, "[PERSON_4]"),
    ]
    result = _draft(turns, {SW: "social worker, chair", P: "adult at the centre of the "
                            "enquiry", "[PERSON_4]": "warden"}, "meeting_minutes")
    assert "A'm no daft, son." in _section(result, "Views of")


def test_asking_that_someone_is_not_told_is_a_secret_kept_from_them() -> None:
    assert "admission_or_secret" in risk_topics("Don't tell my stepdad I said about the lock.")
    assert "admission_or_secret" in risk_topics("Bye. Please don't tell Mum.")
    assert "admission_or_secret" not in risk_topics("I'll tell him on Friday.")


def test_a_guess_about_the_past_is_not_an_action() -> None:
    assert not commitment("She'll have been at her sister's, most likely.")
    assert commitment("I'll have the form done by Monday.")


def test_an_answer_to_a_follow_up_takes_one_place_among_the_quotes() -> None:
    template = load_template("home_visit_note")
    template = replace(template, sections=tuple(
        replace(s, max_sentences=2) if s.voice else s for s in template.sections))
    turns = [
        (SW, "Hiya. I'm here to see how things are at home for you both."),
        (P, "Come in, she's in the front room."),
        *_small_talk(8, SW, P),
        (SW, "What do you do at dinner time at school?"),
        (C, "I go home at dinner time to check. I worry about Mum."),
        (SW, "To check what?"),
        (C, "That Mum's up. I'm scared she won't wake up and I feel sick all morning."),
        *_small_talk(8, SW, P),
        (SW, "Who do you like at school?"),
        (C, "I like Miss Patel."),
        *_small_talk(8, SW, P),
    ]
    result = _draft(turns, {SW: "social worker", P: "mother", C: "child"}, template)
    voice = _section(result, "What the child")
    assert "I go home at dinner time to check." in voice
    assert "I'm scared she won't wake up" in voice
    assert "I like Miss Patel." in voice
