"""Rules read from round 10 as dev cases, each on invented words: the answers of a child who
writes rather than speaks, read out by the worker ("She's written: …"), are her voice; and
what a person who is not there said, passed on without quotation marks ("He said, I like my
job. They let me choose the music."), is quoted word for word, up to where the one passing it
on speaks of him again (in a long turn; a short one is quoted whole, as before)."""

from __future__ import annotations

from drafts import draft_turns as _draft
from drafts import section_text as _section
from drafts import small_talk as _small_talk

SW, P, C = "[PERSON_1]", "[PERSON_2]", "[PERSON_3]"


def test_a_childs_written_answers_read_out_are_her_voice() -> None:
    turns = [
        (SW, "Hello both. This is the carers' review; is it okay if I record us?"),
        (P, "Yes, that's fine."),
        *_small_talk(6, SW, P),
        (SW, "Can you write down what's hardest at the moment? She's written: the dog "
             "next door barks all night. And she's pointing at the window."),
        (P, "It does, to be fair."),
        *_small_talk(4, SW, P),
        (SW, "And where would you like to live? She's written: with Gran and the "
             "chickens. She's underlined it."),
        (P, "Bless her."),
        *_small_talk(4, SW, P),
    ]
    result = _draft(turns, {SW: "social worker", P: "foster carer"}, "assessment_section")
    voice = _section(result, "The person's views")
    assert "with Gran and the chickens" in voice


def test_words_passed_on_without_quotation_marks_are_quoted_up_to_the_teller_again() -> None:
    turns = [
        (SW, "Thanks, everyone. We're here about Mr Lomax, who didn't want to come today."),
        (P, "I'm his advocate. I saw him on Monday."),
        *_small_talk(6, SW, C),
        (P, "So I went through it all with him at his flat, with the easy-read pictures, "
            "and it took a good while because he gets tired. I asked him about the lads at "
            "the park, and he said, they're my best mates. I buy them chips because I like "
            "them. He looked really pleased about that, and then he put the telly on."),
        *_small_talk(6, SW, C),
    ]
    result = _draft(turns, {SW: "social worker, chair", P: "advocate", C: "police officer"},
                    "meeting_minutes")
    voice = _section(result, "Views of")
    assert "they're my best mates. I buy them chips because I like them" in voice
    assert "He looked really pleased" not in voice
