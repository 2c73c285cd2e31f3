"""Risk and the person's voice said in everyday words: money gone, a card someone else holds, a
fist through a door, a tablet stopped, a door locked at night, "I'm on my knees"."""

from __future__ import annotations

from dataclasses import replace

import pytest

from casenotes.domain.template import Template
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.drafting import ExtractiveDrafter
from casenotes.engines.drafting.risk import risk_topics
from casenotes.pipeline.draft import DraftContext, draft
from casenotes.pipeline.templates import load_template

SW, ADULT, CARER = "[PERSON_1]", "[PERSON_2]", "[PERSON_3]"
ROLES = {SW: "social_worker", ADULT: "adult", CARER: "carer"}
#: A visit full of ordinary particulars, so that every section has more to choose from than
#: its cap allows.
ORDINARY = [
    (SW, "Thanks for seeing me today. I'm here to talk about how things are at home."),
    (ADULT, "Come in. The kettle's on. I've lived on this road since nineteen seventy."),
    (SW, "How are you getting on with the shopping and the cooking?"),
    (ADULT, "My neighbour takes me to the big supermarket on Thursdays in her car."),
    (ADULT, "I do a roast on Sundays still, my daughter comes round from the next town."),
    (SW, "And the garden? You said on the phone you like the garden."),
    (ADULT, "I grow tomatoes in the greenhouse and the runner beans up the fence."),
    (ADULT, "The bus into town stops at the end of the road every half hour."),
    (SW, "Do you go to any groups in the week?"),
    (ADULT, "I go to the bowls club on Tuesday afternoons with the chap from number six."),
]
CLOSE = [(SW, "I'll ring you on Monday to see how you're getting on."),
         (ADULT, "Right you are. Mind the step on your way out.")]


def _tight(name: str = "home_visit_note") -> Template:
    """The template with room for one sentence per section."""
    template = load_template(name)
    return replace(template, sections=tuple(replace(s, max_sentences=1)
                                            for s in template.sections))


def _drafted(turns: list[tuple[str, str]], template: Template | None = None) -> str:
    transcript = Transcript(tuple(Segment(i, who, text)
                                  for i, (who, text) in enumerate(turns, 1)))
    result = draft(transcript, template or _tight(), ExtractiveDrafter(), DraftContext(ROLES))
    return " ".join(s.text for _, s in result.sentences())


def test_a_fist_through_a_door_is_drafted_when_the_sections_are_full() -> None:
    said = "He put his fist through the kitchen door on Saturday when he came back."
    assert said.rstrip(".") in _drafted([*ORDINARY, (ADULT, said), *CLOSE])


@pytest.mark.parametrize(("said", "topic"), [
    ("The statement came and there's four hundred pounds gone out of my account.",
     "money_or_housing"),
    ("He's had my bank card since the summer.", "money_or_housing"),
    ("Does he know the PIN?", "money_or_housing"),
    ("He had two thousand off me for the van, he said he'd pay it back.", "money_or_housing"),
    ("He put his fist through the kitchen door.", "harm"),
    ("He's smashed his phone before.", "harm"),
    ("He goes through my phone and asks who I've been texting.", "domestic_abuse"),
    ("I'm walking on eggshells some nights.", "domestic_abuse"),
    ("He said he'd take her to his mum's and I'd never see her again.", "domestic_abuse"),
    ("I stopped the olanzapine on Saturday.", "medication"),
    ("I've not been taking it since the side effects started.", "medication"),
    ("Since then I lock the front door at night.", "missing"),
    ("I found her at the front door at three in the morning.", "missing"),
    ("She's wetting the bed again.", "neglect_or_home"),
    ("There's a second phone he says is a mate's.", "exploitation"),
    ("An older lad keeps picking him up from school.", "exploitation"),
    ("He's been seen picking Reece up near school.", "exploitation"),
    ("Dean's an older young man, about twenty-two.", "exploitation"),
    ("I think it'd be easier if I just wasn't here.", "self_harm"),
    ("Some days I don't see the point of getting up.", "self_harm"),
    ("I wouldn't do that to my son.", "self_harm"),
    ("Honestly? I'm on my knees.", "mental_health"),
    ("I'm running on empty.", "mental_health"),
    ("Lee brings it. Forty pound, Fridays. When he remembers.", "money_or_housing"),
    ("The balance at the bottom says three pounds and twelve pence.", "money_or_housing"),
    ("I had over a thousand in there. For my funeral.", "money_or_housing"),
    ("The money's just gone.", "money_or_housing"),
    ("They want £180 by the end of the month.", "money_or_housing"),
])
def test_risk_said_in_everyday_words_is_read_as_risk(said: str, topic: str) -> None:
    assert topic in risk_topics(said)


def test_ordinary_talk_about_money_and_doors_is_not_read_as_risk() -> None:
    for said in ["I pin the washing out on Mondays.", "Shut the door behind you, love.",
                 "My daughter pays for the paper each week.",
                 "I buy a pound of apples at the market.",
                 "Her balance is better since the physio."]:
        assert not risk_topics(said), said


def test_the_carers_own_figure_of_speech_for_how_she_is_is_quoted_first() -> None:
    turns = [*ORDINARY,
             (SW, "How are you, in yourself?"),
             (CARER, "Honestly? I'm on my knees. I'm not sleeping, I've stopped going to my "
                     "choir. The washing piles up while I'm sorting her tablets and the "
                     "dinners, and by the time I've done the bins and the beds it's gone ten at "
                     "night."),
             (SW, "Who else helps?"),
             (CARER, "My brother rings on Sunday nights and sends money for the shopping, but he "
                     "lives a long way off and he doesn't see how she is day to day."),
             *CLOSE]
    template = load_template("assessment_section")
    template = replace(template, sections=tuple(
        replace(s, max_sentences=1) if s.voice else s for s in template.sections))
    voice = next(s for s in template.sections if s.voice)
    transcript = Transcript(tuple(Segment(i, who, text)
                                  for i, (who, text) in enumerate(turns, 1)))
    result = draft(transcript, template, ExtractiveDrafter(), DraftContext(ROLES))
    quoted = [s.text for s in result.section(voice.name).sentences]
    assert quoted == [f"{CARER} said: “I'm on my knees.”"], quoted


def test_a_phone_number_or_email_is_never_quoted_as_the_persons_voice() -> None:
    turns = [*ORDINARY,
             (SW, "And your number is 07700 900123?"),
             (CARER, "Yes. Or email me, sam.jones@example.com, I'm better at that when I'm at "
                     "work."),
             *CLOSE]
    template = load_template("assessment_section")
    voice = next(s for s in template.sections if s.voice)
    transcript = Transcript(tuple(Segment(i, who, text)
                                  for i, (who, text) in enumerate(turns, 1)))
    result = draft(transcript, template, ExtractiveDrafter(), DraftContext(ROLES))
    quoted = " ".join(s.text for s in result.section(voice.name).sentences)
    assert "example.com" not in quoted and "07700" not in quoted
