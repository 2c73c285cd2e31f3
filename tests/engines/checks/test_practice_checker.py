"""Practice prompts: the person's own words, the practitioner's own analysis, clear actions."""

from __future__ import annotations

from checksupport import TEMPLATE, draft, sentence, transcript

from casenotes.domain.draft import Draft, Section, SentenceKind
from casenotes.domain.flags import FlagKind
from casenotes.engines.checks import PracticeChecker
from casenotes.pipeline.check import CheckContext

CONTEXT = CheckContext(TEMPLATE)
SAID = transcript(("[PERSON_2]", "I'm not a bad mam."))
QUOTE = sentence("q1", '"I\'m not a bad mam."', [1], SentenceKind.QUOTE)


def explanations(note: Draft) -> list[str]:
    flags = PracticeChecker().check(note, SAID, CONTEXT)
    assert all(f.kind is FlagKind.PRACTICE for f in flags)
    return [f.explanation for f in flags]


def test_a_note_without_the_persons_own_words_is_prompted() -> None:
    found = explanations(draft(sentence("s1", "The home was cold.", [1]), analysis="Mine."))
    assert found == ["The note does not quote the person in their own words. Add what they "
                     "said that matters most to them, word for word, with who said it."]


def test_an_empty_reserved_analysis_is_prompted_until_written() -> None:
    assert any(e.startswith('"Analysis" is for your own professional judgement')
               for e in explanations(draft(QUOTE)))
    assert explanations(draft(QUOTE, analysis="My analysis.")) == []


def test_an_action_without_owner_or_date_is_prompted() -> None:
    actions = "Actions agreed (who, what, by when)"
    note = Draft("t", (
        Section("Their voice", sentences=(QUOTE,)),
        Section(actions, sentences=(
            sentence("a1", "[PERSON_1] will ring the school by Friday.", [1]),
            sentence("a2", "Apply for a fuel voucher.", [1]),
        )),
        Section("Analysis", reserved=True, human_text="Mine."),
    ))
    flags = PracticeChecker().check(note, SAID, CONTEXT)
    assert [(f.sentence_id, f.explanation) for f in flags] == [
        ("a2", "This action does not say who will do it or by when. Each action needs an owner "
               "and a date.")]
