"""The extractive drafter on a small pseudonymised home visit: placement, quotes, evidence."""

from __future__ import annotations

from dataclasses import replace

from casenotes.domain.draft import Draft, SentenceKind
from casenotes.domain.template import Template
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.drafting import ExtractiveDrafter, register
from casenotes.engines.drafting.extractive import split_sentences
from casenotes.pipeline.draft import DraftContext, Drafter, draft, tags_by_turn
from casenotes.pipeline.registry import Registry
from casenotes.pipeline.templates import load_template

SW, MUM, CHILD = "[PERSON_1]", "[PERSON_2]", "[PERSON_3]"
TURNS = [
    (SW, "Hello, I'm [PERSON_1] from children's services. Thanks for having me."),
    (MUM, "Come in. Sorry, it's a bit chaotic."),
    (SW, "Is it okay if I record our conversation? You can say no."),
    (MUM, "Yes, that's fine."),
    (SW, "So, [ORGANISATION_1] got in touch because they are worried about [PERSON_3]'s "
         "attendance at school."),
    (MUM, "He has missed a lot of days since Christmas. The heating has been broken for two "
          "weeks and the landlord won't fix it."),
    (SW, "I noticed the kitchen is very cold and there is black mould on the bedroom wall."),
    (SW, "[PERSON_3], what's it like at home?"),
    (CHILD, "It's cold. I don't like it when it's cold and I want my own room."),
    (SW, "What's the best thing about school?"),
    (CHILD, "Football. I play with my friends at dinner time."),
    (MUM, "Da, e în regulă, mulțumesc frumos pentru ajutor."),
    (MUM, "It's [PERSON_2], P-A-T-R-I-C-I-A, they always spell it wrong."),
    (MUM, "Money has been tight since my hours at the shop were cut to twelve a week."),
    (SW, "I'll refer you to the private housing team today about the mould and the heating."),
    (SW, "Can you ring the school tomorrow and tell them about the heating?"),
    (MUM, "I'll ring them in the morning."),
    (SW, "I will come back next Tuesday at ten to see how things are."),
    (MUM, "Okay. Thanks, bye."),
]
ROLES = {SW: "social_worker", MUM: "parent", CHILD: "child"}
VOICE = "What the child/person said (their voice)"
ACTIONS = "Actions agreed (who, what, by when)"


def transcript(turns: list[tuple[str, str]] = TURNS) -> Transcript:
    return Transcript(tuple(Segment(i, who, text) for i, (who, text) in enumerate(turns, 1)))


def run(turns: list[tuple[str, str]] = TURNS, roles: dict[str, str] | None = None) -> Draft:
    context = DraftContext(speaker_roles=ROLES if roles is None else roles)
    return draft(transcript(turns), load_template("home_visit_note"), ExtractiveDrafter(), context)


def texts(result: Draft, section: str) -> list[str]:
    return [s.text for s in result.section(section).sentences]


def test_every_drafted_sentence_is_found_in_its_evidence_segment() -> None:
    result = run()
    source = transcript()
    assert result.sentences()
    for section, sentence in result.sentences():
        assert sentence.evidence
        for evidence in sentence.evidence:  # an answer's evidence holds its question too
            segment = source.segment(evidence.segment_id)
            span = segment.text[evidence.start:evidence.end]
            if section.name == "Who was present":  # evidence is who spoke: an empty span
                assert (evidence.start, evidence.end) == (0, 0)
                assert sentence.text.startswith(segment.speaker)
                continue
            assert span.strip() == span and span
            assert span in sentence.text


def test_summary_sentences_are_the_span_with_at_most_an_attribution_prefix() -> None:
    result = run()
    source = transcript()
    for section, sentence in result.sentences():
        if section.name == "Who was present":
            continue
        evidence = sentence.evidence[0]  # the question, when an answer needs it
        segment = source.segment(evidence.segment_id)
        span = segment.text[evidence.start:evidence.end]
        prefix = sentence.text[: sentence.text.index(span)]
        assert prefix in ("", "“", f"{segment.speaker} said: ", f"{segment.speaker} asked: ",
                          f"{segment.speaker} said: “", f"{segment.speaker} asked: “")


def test_sentence_ids_run_in_draft_order() -> None:
    result = run()
    ids = [s.id for _, s in result.sentences()]
    assert ids == [f"s{i}" for i in range(1, len(ids) + 1)]


def test_analysis_section_is_never_filled() -> None:
    template = load_template("home_visit_note")
    produced = ExtractiveDrafter().draft(transcript(), template, DraftContext(ROLES))
    assert produced.section("Analysis").is_empty
    assert produced.section("Analysis").reserved


def test_every_non_reserved_section_gets_an_evidenced_sentence() -> None:
    result = run()
    for section in result.sections:
        if not section.reserved:
            assert section.sentences, section.name


def test_child_words_are_kept_verbatim_as_quotes_in_the_voice_section() -> None:
    result = run()
    quotes = [s for s in result.section(VOICE).sentences if s.kind is SentenceKind.QUOTE]
    # The whole short turn, its two-word opening too: "It's cold." is the child's word.
    assert (f"{CHILD} said: “It's cold. I don't like it when it's cold and I want my own "
            "room.”") in [q.text for q in quotes]
    assert all(s.kind is SentenceKind.QUOTE for s in result.section(VOICE).sentences)


def test_a_childs_words_repeated_by_the_worker_are_kept_with_where_they_were_said() -> None:
    turns = [*TURNS[:8], (SW, "I saw him at school on his own. He told me, “I hide under the "
                              "covers when they shout.” Then he went back to class.")]
    quotes = [s for s in run(turns).section(VOICE).sentences]
    assert [q.text for q in quotes if "shout" in q.text] == [
        f"{SW} said: I saw him at school on his own. He told me, “I hide under the covers when "
        "they shout.” Then he went back to class."]
    assert all(q.kind is SentenceKind.QUOTE for q in quotes)


def test_words_repeated_in_a_long_turn_are_kept_as_a_reported_quote() -> None:
    long_turn = ("I saw him at school on his own, in the library, after the morning break, and "
                 "we talked about football and his new teacher for a while. He told me, “I hide "
                 "under the covers when they shout.” Then he went back to class.")
    quotes = [s.text for s in run([*TURNS[:8], (SW, long_turn)]).section(VOICE).sentences]
    assert f"{SW} reported these words: “I hide under the covers when they shout.”" in quotes


def test_pure_filler_comes_off_the_edge_of_a_quote_but_short_words_stay() -> None:
    turns = [*TURNS[:8], (CHILD, "Erm, okay. I don't want to go to my dad's. Not yet.")]
    quotes = [s.text for s in run(turns).section(VOICE).sentences]
    assert f"{CHILD} said: “I don't want to go to my dad's. Not yet.”" in quotes


def test_quoted_words_are_not_repeated_in_other_sections() -> None:
    result = run()
    quoted = {s.evidence[0].segment_id for s in result.section(VOICE).sentences}
    for section, sentence in result.sentences():
        if section.name not in (VOICE, "Who was present"):
            assert sentence.evidence[0].segment_id not in quoted


def test_who_was_present_lists_each_speaker_once_with_their_role_and_first_turn() -> None:
    result = run()
    present = result.section("Who was present").sentences
    assert [s.text for s in present] == [
        f"{SW} (social worker)", f"{MUM} (parent)", f"{CHILD} (child)"
    ]
    assert [s.evidence[0].segment_id for s in present] == [1, 2, 9]


def test_purpose_comes_from_the_practitioner_early_in_the_visit() -> None:
    assert texts(run(), "Purpose of visit") == [
        "[ORGANISATION_1] got in touch because they are worried about [PERSON_3]'s attendance "
        "at school."
    ]


def test_observations_come_from_the_practitioner() -> None:
    assert texts(run(), "Observations") == [
        "I noticed the kitchen is very cold and there is black mould on the bedroom wall."
    ]


def test_what_the_parent_said_is_attributed_in_discussion_a_short_turn_kept_whole() -> None:
    discussion = texts(run(), "Discussion")
    assert (f"{MUM} said: He has missed a lot of days since Christmas. The heating has been "
            "broken for two weeks and the landlord won't fix it.") in discussion
    assert (
        f"{MUM} said: Money has been tight since my hours at the shop were cut to twelve a week."
        in discussion
    )


def test_actions_hold_commitments_and_requests_with_their_answers() -> None:
    assert texts(run(), ACTIONS) == [
        "I'll refer you to the private housing team today about the mould and the heating.",
        f"“Can you ring the school tomorrow and tell them about the heating?” {MUM} "
        "said: I'll ring them in the morning.",
        "I will come back next Tuesday at ten to see how things are.",
    ]


def test_greetings_filler_and_content_free_questions_are_left_out() -> None:
    drafted = [s.text for _, s in run().sentences()]
    for left_out in ("Thanks for having me", "Thanks, bye", "that's fine", "a bit chaotic",
                     "what's it like at home?"):
        assert not [text for text in drafted if left_out in text]
    # A question is drafted only with the answer that needs it ("Football." says nothing alone).
    asked = [text for text in drafted if "What's the best thing about school?" in text]
    assert asked == [f"“What's the best thing about school?” {CHILD} said: "
                     "“Football. I play with my friends at dinner time.”"]


def test_other_languages_and_spelt_out_names_are_not_drafted() -> None:
    drafted = " ".join(s.text for _, s in run().sentences())
    assert "regulă" not in drafted
    assert "P-A-T-R-I-C-I-A" not in drafted


def test_sections_never_exceed_their_max_sentences() -> None:
    template = load_template("home_visit_note")
    capped = replace(template, sections=tuple(replace(s, max_sentences=1)
                                              for s in template.sections))
    result = draft(transcript(), capped, ExtractiveDrafter(), DraftContext(ROLES))
    assert all(len(section.sentences) <= 1 for section in result.sections)
    assert len(result.section(ACTIONS).sentences) == 1


def test_without_roles_the_first_speaker_is_taken_as_the_practitioner() -> None:
    result = run(roles={})
    assert texts(result, "Who was present") == [SW, MUM, CHILD]
    assert texts(result, "Observations") == [
        "I noticed the kitchen is very cold and there is black mould on the bedroom wall."
    ]


def test_interpreted_words_are_attributed_to_the_interpreter() -> None:
    turns = [
        (SW, "Thank you for seeing us today about the damp in the flat."),
        ("[PERSON_4]", "\"Yes. The landlord said if we complain, he will put us out.\""),
    ]
    roles = {SW: "social_worker", "[PERSON_4]": "interpreter"}
    assert texts(run(turns, roles), VOICE) == [
        "[PERSON_4], interpreting, said: “The landlord said if we complain, he will put us out.”"
    ]


def test_empty_transcript_gives_an_empty_draft_in_the_template_sections() -> None:
    result = run(turns=[])
    assert [s.name for s in result.sections] == [
        s.name for s in load_template("home_visit_note").sections
    ]
    assert not result.sentences()


def test_drafter_reports_its_engine_and_version() -> None:
    result = run()
    assert (result.engine, result.engine_version) == ("extractive", ExtractiveDrafter.version)
    assert result.template == "home_visit_note"


def test_drafter_is_registered_under_its_name() -> None:
    registry: Registry[Drafter] = Registry("drafter")
    register(registry)
    assert registry.names() == ["extractive", "extractive-minilm"]
    assert isinstance(registry.create("extractive"), ExtractiveDrafter)
    assert isinstance(registry.create("extractive-minilm"), ExtractiveDrafter)


def test_any_template_can_be_drafted_without_keywords() -> None:
    template = Template(
        name="plain", title="Plain", version="1",
        sections=(
            replace(load_template("home_visit_note").section("Discussion"), keywords=()),
        ),
    )
    result = draft(transcript(), template, ExtractiveDrafter(), DraftContext(ROLES))
    assert result.section("Discussion").sentences


def test_split_sentences_keeps_offsets_and_drops_unpaired_quotes() -> None:
    text = '"Yes, many times. He said Mr. Khan will put us out." She asks, "Is it safe?"'
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Yes, many times.",
        "He said Mr. Khan will put us out.",
        'She asks, "Is it safe?"',
    ]


DOG = (SW, "The budgie cage has not been cleaned out for weeks.")


def _where(result: Draft, words: str) -> list[str]:
    return [sec.name for sec, s in result.sentences() if words in s.text]


def test_a_moment_tagged_home_conditions_while_recording_lands_in_observations() -> None:
    turns = [*TURNS[:7], DOG, *TURNS[7:]]
    untagged = draft(transcript(turns), load_template("home_visit_note"), ExtractiveDrafter(),
                     DraftContext(speaker_roles=ROLES))
    assert "Observations" not in _where(untagged, "budgie cage")
    # The practitioner tapped "home conditions" 61 s in, while turn 8 was being said.
    timed = Transcript(tuple(replace(seg, start=float(10 * seg.id - 10), end=float(10 * seg.id))
                             for seg in transcript(turns).segments))
    tags = tags_by_turn(timed, [("Home conditions", 71.0)])
    assert tags == {8: ("home conditions",)}
    tagged = draft(timed, load_template("home_visit_note"), ExtractiveDrafter(),
                   DraftContext(speaker_roles=ROLES, tags=tags))
    assert _where(tagged, "budgie cage") == ["Observations"]


def test_a_tag_in_a_pause_marks_the_turn_just_finished_and_untimed_turns_take_none() -> None:
    timed = Transcript((Segment(1, SW, "One.", 0.0, 4.0), Segment(2, MUM, "Two.", 9.0, 12.0)))
    assert tags_by_turn(timed, [("concern", 6.5), ("strength", 9.5)]) == {
        1: ("concern",), 2: ("strength",)}
    assert tags_by_turn(timed, [("concern", -1.0)]) == {}
    assert tags_by_turn(transcript(), [("concern", 30.0)]) == {}


def _one_each(template_name: str = "home_visit_note") -> Template:
    """The template with room for one sentence per section."""
    template = load_template(template_name)
    return replace(template, sections=tuple(replace(s, max_sentences=1)
                                            for s in template.sections))


def test_a_denial_is_drafted_with_the_risk_question_it_answers() -> None:
    turns = [*TURNS[:13], (SW, "I ask everyone this. Any thoughts of harming yourself?"),
             (MUM, "No. None. I'm alright, honest."), *TURNS[13:]]
    drafted = [s for _, s in run(turns).sentences() if "None." in s.text]
    assert [s.text for s in drafted] == [
        f"“Any thoughts of harming yourself?” {MUM} said: “No. None. I'm alright, "
        "honest.”"]
    assert [e.segment_id for e in drafted[0].evidence] == [14, 15]


def test_a_risk_said_when_its_section_is_full_is_still_drafted() -> None:
    turns = [*TURNS[:13], (MUM, "My mum helps with the shopping on Saturdays, she lives nearby."),
             (MUM, "Last night he grabbed me by the arm and I've got bruises."), *TURNS[13:]]
    result = draft(transcript(turns), _one_each(), ExtractiveDrafter(), DraftContext(ROLES))
    drafted = " ".join(s.text for _, s in result.sentences())
    assert "he grabbed me by the arm and I've got bruises" in drafted


def test_the_answer_to_a_follow_up_about_risk_is_carried_with_its_question() -> None:
    turns = [*TURNS[:13],
             (MUM, "Sometimes I think they'd be better off without me."),
             (SW, "Thank you for telling me. When do those thoughts come?"),
             (MUM, "At night mostly, when the baby won't settle."), *TURNS[13:]]
    result = draft(transcript(turns), _one_each(), ExtractiveDrafter(), DraftContext(ROLES))
    drafted = [s.text for _, s in result.sentences()]
    # The follow-up is drafted with what it follows: the three turns read as one.
    assert any(text.endswith(
        f"{SW} asked: “Thank you for telling me. When do those thoughts come?” {MUM} said: At "
        "night mostly, when the baby won't settle.") and "better off without me" in text
        for text in drafted), drafted


def test_a_childs_fear_said_once_is_kept_as_a_quote() -> None:
    turns = [*TURNS[:8],
             (CHILD, "I made a boat out of a cereal box. It's got a sail."),
             (SW, "Wow. What else have you been doing?"),
             (CHILD, "Playing football at dinner time with my friends, we won."),
             (SW, "Is there anything that worries you?"),
             (CHILD, "I get scared when Dad shouts at night."), *TURNS[9:]]
    template = replace(load_template("home_visit_note"), sections=tuple(
        replace(s, max_sentences=1) if s.voice else s
        for s in load_template("home_visit_note").sections))
    result = draft(transcript(turns), template, ExtractiveDrafter(), DraftContext(ROLES))
    assert [s.text for s in result.section(VOICE).sentences] == [
        f"“Is there anything that worries you?” {CHILD} said: “I get scared when "
        "Dad shouts at night.”"]


def test_a_quote_keeps_words_in_its_middle_that_sound_like_an_action() -> None:
    turns = [*TURNS[:8], (CHILD, "It was cold. I will not lie. But I had my blanket.")]
    quotes = [s.text for s in run(turns).section(VOICE).sentences]
    assert f"{CHILD} said: “It was cold. I will not lie. But I had my blanket.”" in quotes


def test_the_welcome_at_the_start_of_a_visit_is_not_quoted() -> None:
    turns = [(SW, "Hello, I'm [PERSON_1] from children's services."),
             (MUM, "Come in, come in. Sit down. You want a cup of tea? I've just made one."),
             *TURNS[2:]]
    drafted = " ".join(s.text for _, s in run(turns).sentences())
    assert "cup of tea" not in drafted


def test_the_authors_own_question_is_drafted_without_their_name_anothers_with_it() -> None:
    nurse = "[PERSON_7]"
    turns = [*TURNS[:13], (nurse, "Any thoughts of harming yourself?"),
             (MUM, "No. None. I'm alright, honest."),
             (SW, "And has anyone hurt you at home?"), (MUM, "No. Never."), *TURNS[13:]]
    drafted = [s for _, s in run(turns, {**ROLES, nurse: "health_visitor"}).sentences()
               if "No. None." in s.text or "No. Never." in s.text]
    assert [s.text for s in drafted] == [
        f"{nurse} asked: “Any thoughts of harming yourself?” {MUM} said: “No. None. I'm "
        "alright, honest.”",
        f"“And has anyone hurt you at home?” {MUM} said: “No. Never.”"]
    assert [[e.segment_id for e in s.evidence] for s in drafted] == [[14, 15], [16, 17]]


def test_a_follow_up_question_and_its_answer_are_drafted_with_what_they_follow() -> None:
    turns = [*TURNS[:13],
             (MUM, "The cooker's packed up, so I've got a little camping stove for the tea."),
             (SW, "Where do you use the camping stove?"),
             (MUM, "By the bread bin. On the side."),
             (SW, "And how is he getting on at the dentist?"),
             (MUM, "Fine. He had a filling in March and he was brave."), *TURNS[13:]]
    drafted = [s for _, s in run(turns).sentences() if "bread bin" in s.text]
    assert [s.text for s in drafted] == [
        f"{MUM} said: The cooker's packed up, so I've got a little camping stove for the tea. "
        f"{SW} asked: “Where do you use the camping stove?” {MUM} said: By the bread bin. On "
        "the side."]
    assert [e.segment_id for e in drafted[0].evidence] == [14, 15, 16]
    # A question on a new subject starts a sentence of its own.
    dentist = [s for _, s in run(turns).sentences() if "filling" in s.text]
    assert [[e.segment_id for e in s.evidence] for s in dentist] in ([[17, 18]], [[18]])


def test_a_short_answer_to_a_follow_up_completes_the_exchange_it_follows() -> None:
    turns = [*TURNS[:13],
             (MUM, "The rent is paid but there's a shortfall. The letter says I owe three "
                   "hundred and ten."),
             (SW, "Have you got the letter?"),
             (MUM, "It's here. From the council."), *TURNS[13:]]
    drafted = [s for _, s in run(turns).sentences() if "three hundred and ten" in s.text]
    assert [s.text for s in drafted] == [
        f"{MUM} said: The rent is paid but there's a shortfall. The letter says I owe three "
        f"hundred and ten. {SW} asked: “Have you got the letter?” {MUM} said: From the "
        "council."]
    assert [e.segment_id for e in drafted[0].evidence] == [14, 15, 16]


def test_small_talk_gives_way_but_a_short_remark_with_a_particular_stays() -> None:
    turns = [*TURNS[:13], (MUM, "He's a charmer, him."), (MUM, "I'm getting paid Friday."),
             (MUM, "I'm not having him back in the house."), *TURNS[13:]]
    template = load_template("home_visit_note")
    one_quote = replace(template, sections=tuple(  # the child's words fill the voice
        replace(s, max_sentences=1) if s.voice else s for s in template.sections))
    result = draft(transcript(turns), one_quote, ExtractiveDrafter(), DraftContext(ROLES))
    discussion = " ".join(texts(result, "Discussion"))
    assert "I'm getting paid Friday." in discussion
    assert "I'm not having him back in the house." in discussion  # said of herself: it stays
    assert "He's a charmer, him." not in " ".join(s.text for _, s in result.sentences())


def test_what_the_recap_says_again_is_drafted_once() -> None:
    turns = [*TURNS[:14],
             (SW, "I'll write to the landlord about the heating repairs."),
             (MUM, "Thank you."),
             (SW, "So, to recap: I'll write to the landlord about the heating repairs and the "
                  "mould, and I'll come back on Tuesday at ten."),
             (MUM, "Okay. Thanks, bye.")]
    actions = texts(run(turns), ACTIONS)
    assert [a for a in actions if "landlord" in a] == [
        "So, to recap: I'll write to the landlord about the heating repairs and the mould, and "
        "I'll come back on Tuesday at ten."]


def test_a_speaker_introducing_themselves_is_left_to_the_attendee_list() -> None:
    nurse = "[PERSON_7]"
    turns = [*TURNS[:10], (nurse, f"My name's {nurse}, the school nurse who saw him."),
             *TURNS[10:]]
    result = run(turns, {**ROLES, nurse: "school_nurse"})
    drafted = [s.text for sec, s in result.sentences() if sec.name != "Who was present"]
    assert not [text for text in drafted if "My name's" in text]
    assert f"{nurse} (school nurse)" in texts(result, "Who was present")


def test_a_welcome_does_not_fill_an_empty_section() -> None:
    template = load_template("assessment_section")
    turns = [(SW, "Hello, I'm [PERSON_1] from adult social care."),
             (MUM, "Come, come, sit. You want tea? I make masala chai, what you would like."),
             *TURNS[4:]]
    result = draft(transcript(turns), template, ExtractiveDrafter(), DraftContext(ROLES))
    drafted = " ".join(s.text for _, s in result.sentences())
    assert "masala chai" not in drafted


def test_a_greeting_that_says_why_the_visit_happens_is_drafted_as_its_purpose() -> None:
    turns = [(SW, "Hello [PERSON_2], I am visiting today because the school said Tyler has "
                  "missed the last three Mondays."),
             (MUM, "The boiler has been broken since Monday and the flat is cold."),
             (SW, "I will ring the housing officer about the boiler by Friday.")]
    assert any("missed the last three Mondays" in text
               for text in texts(run(turns), "Purpose of visit"))
