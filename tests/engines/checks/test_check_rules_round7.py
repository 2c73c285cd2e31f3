"""Rules from reading blind round 7 as dev cases: the stigmatising word families the list
lacked (a criminally exploited child called a dealer, "confused" as a label, someone said to
"speak for" a person with aphasia, "an abusive son", "committed suicide", tablets "hoarded",
"arranged marriage" for a marriage someone does not want, harm put down to culture, a family
called "controlling", "restrained" for a hold). The wording is invented for the tests, not
taken from the cases."""

from __future__ import annotations

import pytest
from checksupport import CONTEXT, draft, sentence, transcript

from casenotes.engines.checks import LanguageChecker


def _language(text: str) -> list[str]:
    flags = LanguageChecker().check(draft(sentence("s1", text, [1])),
                                    transcript(("[PERSON_1]", "…")), CONTEXT)
    return [f.suggestion for f in flags if f.suggestion and f.suggestion != text]


# --- stigmatising language ----------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Police believe the boy is a drug runner for an older group.",
    "She has been selling weed at the bus station.",
    "He seemed confused when asked about his week.",
    "Confused and tired on arrival.",
    "Her husband has to answer for her on the phone.",
    "He cannot speak for himself since the stroke.",
    "The concern is her emotionally abusive daughter.",
    "His uncle committed suicide in 2019.",
    "It was a failed suicide attempt.",
    "She was hoarding pills in the bathroom cabinet.",
    "A stash of painkillers was found under the bed.",
    "The family are planning an arranged marriage for him.",
    "Staff put the bruising down to a cultural practice.",
    "It's their culture, according to the neighbour.",
    "Her parents are very controlling.",
    "He lives with a controlling father.",
    "The boy was restrained by two staff in the corridor.",
])
def test_round7_stigmatising_wording_families_are_flagged_with_an_alternative(
        text: str) -> None:
    assert _language(text)


@pytest.mark.parametrize("text", [
    "If he is very confused or cannot get up, his wife will ring 999.",
    "She was confused by the letter from the council.",
    "He uses a tablet that speaks for him.",
    "She has a non-molestation order and a restraining order.",
    "Both carers are booked on restraint training in March.",
    "The assessment considered her cultural needs and her faith.",
    "Police are investigating controlling or coercive behaviour.",
    "For religious reasons she does not eat pork.",
    "She left her abusive partner last year.",
])
def test_round7_formal_terms_and_everyday_uses_are_left_alone(text: str) -> None:
    assert not _language(text)
