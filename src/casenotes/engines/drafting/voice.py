"""The person's voice: which of their own words the extractive drafter keeps as quotes.

A short turn is quoted whole (only pure filler comes off its edges, and a commitment such as
"I'll ring her" is left to the actions when it opens or closes the turn; so is a short answer
that agrees to a request or proposal, which the actions draft with it). Quotes are ranked
across the whole visit by what they say about the person (what they say of themselves, their
feelings, wishes and fears); the greetings at the start of a visit are not quoted.
"""

from __future__ import annotations

import re

from casenotes.domain.template import Template, TemplateSection
from casenotes.domain.transcript import Transcript
from casenotes.engines.drafting.actions import commitment, prompt
from casenotes.engines.drafting.units import (
    CHILD,
    EXCHANGE_WORDS,
    FILLER,
    INTERPRETER,
    PERSON,
    WHOLE_TURN_WORDS,
    Unit,
    answers_details_check,
    eligible,
    follows_up,
    has_content,
    hits,
    in_opening,
    join,
    opening,
    question_before,
    salience,
    trimmed_sentences,
    welcome,
    whole_or_sentences,
    words,
)
from casenotes.pipeline.draft import DraftContext

_FIRST_PERSON = re.compile(  # with common Scots forms (ah, a'm, ma)
    r"(?<![\w'])(i|i'm|i've|i'll|i'd|me|my|we|we're|us|our|ah|ah'm|ah've|ah'll|ah'd|a'm|a've|"
    r"a'll|a'd|ma)(?![\w'])"
)
# "she said, “I like it here.”", "he told me: "Alfie arm sore."", "And then, "…"": the words.
# What someone says of themselves: "I'm just skint", "I feel like a mug", "about me".
_SELF = re.compile(
    r"(?<![\w'])(?:a (?:cannae|canna|dinnae|dinna|didnae|couldnae|wouldnae|wisnae|wis|ken)|"
    r"(?:i|ah|a(?='))(?:'m|'d|'ve| am| feel| felt| want| wanted| like| love| hate| miss|"
    r" need| think| wish| hope| don't| didn't| can't| cannae| won't| will not| never| just|"
    r" keep| get| thought| was| know| wouldn't| couldn't)|(?:about|for|to|with|without|withoot|on|"
    r"at|asked|believed in|listens to|cares about) me|(?:my|ma) (?:head|life|heart|mind|soul)|"
    r"how i (?:am|feel|felt))"
    r"(?![\w'])"
)
_FEELING = re.compile(
    r"(?<![\w'])(?:low|flat|down|dark|lonely|alone|bored|proud|ashamed|embarrass\w*|guilty|"
    r"angry|upset|stress\w*|exhaust\w*|knackered|tired|rubbish|useless|burden|mug|love|hate|"
    r"enjoy\w*|miss|hope|afraid|scared|frightened|worr\w*|happy|sad|safe|unsafe|better|worse|"
    r"hard|trouble|like it|like here)(?![\w'])"
)
# Everyday figures of speech for how someone is ("I'm on my knees", "running on empty"): the
# lines a practitioner quotes, because no paraphrase says it as well.
_IDIOM = re.compile(
    r"(?<![\w'])(?:on (?:my|ma|her|his) knees|running on empty|end of (?:my|her|his) tether|"
    r"(?:my|her|his) wits'? end|falling apart|fall(?:ing)? to bits|(?:had|have had) enough|"
    r"can't take (?:any )?more|(?:can't|cannot|can't) cope|at breaking point|in (?:my|her|his) "
    r"soul|(?:gave|give|given|giving) up on|let (?:him|her|them|you|us) down|"
    r"(?:nobody|no one|no-one|anyone|anybody)(?:'s| has| ever)? (?:asked|listens|listened|cares|"
    r"cared|believes|believed)|(?:the )?first time (?:anyone|anybody|someone)|only one who|"
    r"not (?:a|my|his|her|your) (?:little )?(?:baby|boy|girl|kid|child)|"
    r"(?:not|no) (?:daft|stupid|thick|mad|a liar)|not going anywhere|"
    r"(?:like|feel like) a (?:zombie|prisoner|mug|failure|burden|ghost)|on the streets|"
    r"walking on eggshells|(?:get|getting|gettin'|got) (?:him|her|them|you) (?:in|into) "
    r"(?:trouble|bother)|(?:wouldn't|would never) do that to)(?![\w'])"
)
# The closing question that leaves the last word to the person ("Is there anything I haven't
# asked that you want me to know?", "Anything else you'd like to say?"): what they choose to
# say then is theirs to be quoted.
_LAST_WORD = re.compile(
    r"(?<![\w'])anything (?:else |more )?(?:(?:that )?i (?:haven't|have not|didn't) asked|"
    r"(?:that )?you(?:'d)? (?:want|like|wanted|would like) (?:me to know|to (?:say|add|tell|ask)|"
    r"(?:written|put|writing) down|recorded|(?:said )?in your (?:own )?words)|to add)"
)
#: A first-person line this short is the quotable kind ("I'm on my knees."): a note quotes a
#: line, not a paragraph.
_QUOTABLE_WORDS = 12
# Contact details are not the person's voice: an email, a phone number, or their placeholders.
_CONTACT = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+|(?:\d[\s-]?){7,}|\[(?:PHONE|EMAIL|ADDRESS|POSTCODE|NHS_NUMBER|"
    r"NI_NUMBER|DATE_OF_BIRTH)_\d+\]"
)
#: How much more the quoted words of someone absent count than those of the people there.
_ABSENT_VOICE = 1.5
#: Someone whose turns mostly hold at most this many words (a man with a learning disability who
#: answers "More Lodge." and signs MORE, a stroke survivor finding words, a young child) speaks
#: in few words: those words are all the record has of their voice, so they are quoted as they
#: are, without the first person or a keyword, and count this much more.
_FEW_WORDS = 4
_FEW_WORDS_VOICE = 1.5
# What is done rather than said, written in brackets: "[signs MORE]", "[thumbs up]".
_GESTURE = re.compile(r"\[[^\]]*\]")
_COURTESY = frozenset("hello hi hiya bye goodbye ta thanks thank cheers ok okay".split())
#: A reply this short to a request or proposal is an agreement (or a condition), drafted with
#: it in the actions rather than quoted: "If they don't touch my papers."
_AGREEMENT_WORDS = 8
# Someone's words repeated in quotation marks, double or single: "she said, “I like it here.”",
# "he told a teaching assistant, 'I'm the man of the house now.'", "in his words, 'not if he
# shouts'". A single quote ends where an apostrophe is not inside a word ("didn't", "Mia's").
_REPORTED = re.compile(
    r"(?:\b(?:said|says|say|told (?:me|us|her|him|them|(?:a|an|the|his|her|their) \w+(?: \w+)?)|"
    r"went|and then)\b|\b(?:in )?(?:his|her|their|my) (?:own )?words\b)[^“\"‘']{0,40}?[,:]?\s*"
    r"(?:[“\"](?P<words>[^”\"]{3,300})[”\"]|"
    r"(?<!\w)['‘](?P<single>(?:[^'’\n]|['’](?=[a-z])){3,300}?)['’](?![a-z]))",
    re.IGNORECASE,
)


# Words someone wrote, typed or spelt out, read out by another ("She's written: here till I
# am big."): a child who does not speak, or a person who writes their answers, is heard so.
_WRITTEN = re.compile(
    r"\b(?:she|he|they)(?:'s|’s| has| have)?\s+(?:written|wrote|typed|spelt|spelled)"
    r"(?: (?:down|out))?\s*[:,]\s*(?P<written>[^.!?\n]{3,200})", re.IGNORECASE)


# Someone's words passed on without quotation marks, as speech is transcribed ("He said,
# they're my mates. They said I'm famous on the phone."): after "he said," the words in the
# first person are theirs, sentence by sentence, until one speaks of them again ("He was
# quite proud of that").
_SAID_PLAIN = re.compile(r"\b(?:he|she|they)\s+(?:said|says|went|told (?:me|us|her|him))\s*,\s*",
                         re.IGNORECASE)
_THIRD_PERSON = re.compile(r"\b(?:he|she|him|her|his|he's|she's)\b", re.IGNORECASE)
_PLAIN_SENTENCE = re.compile(r"[^.!?]+[.!?]?")
#: Words of first-person speech a passed-on quote may hold.
_PLAIN_WORDS = 45


def _said_plainly(text: str) -> list[tuple[int, int]]:
    """Spans of words passed on without quotation marks (see ``_SAID_PLAIN``)."""
    spans = []
    for m in _SAID_PLAIN.finditer(text):
        start, end = m.end(), m.end()
        for sentence in _PLAIN_SENTENCE.finditer(text, m.end()):
            said = sentence.group()
            if not _FIRST_PERSON.search(said.lower()) or (
                    sentence.start() > start and _THIRD_PERSON.search(said)) or (
                    len(words(text[start:sentence.end()])) > _PLAIN_WORDS):
                break
            end = sentence.end()
        while end > start and text[end - 1] in ".!?, ":
            end -= 1
        if len(words(text[start:end])) >= 3:
            spans.append((start, end))
    return spans


def _said(match: re.Match[str]) -> str:
    """Which quotation marks were used (or none, for written words), the group that holds
    the words."""
    for group in ("words", "single", "written"):
        if group in match.re.groupindex and match.group(group) is not None:
            return group
    return "single"


def of_self(unit: Unit) -> bool:
    """Whether the span says something of the speaker themself ("I'm not going back")."""
    return bool(_SELF.search(unit.norm))


def quotes(
    transcript: Transcript, ctx: DraftContext, groups: dict[str, str], template: Template,
    ts: TemplateSection, carried: dict[int, frozenset[str]],
) -> list[Unit]:
    """The person's salient own words: a whole short turn or its best sentences (``carried``:
    ``follow_on_risks`` of the transcript).

    Speakers of the first role listed for the section (the child, usually) are quoted when they
    speak in the first person or use a keyword of the section; others only with a keyword.
    """
    strict = [t for t in template.sections
              if (t.required_keywords or t.actions) and not t.reserved]
    ranks = {s: r for s in transcript.speakers if (r := _rank(s, ctx, groups, ts)) is not None}
    top = min(ranks.values(), default=0)
    few = {s for s, r in ranks.items() if r == top and _in_few_words(transcript, s)}
    scored: list[tuple[float, Unit]] = []
    chosen: list[Unit] = []  # their answer to "anything you want written down?"
    for i, seg in enumerate(transcript.segments):
        if seg.speaker not in ranks:
            continue
        rank = ranks[seg.speaker] - top  # 0 for the most preferred speakers present
        asked = question_before(transcript, i, groups)
        if answers_details_check(seg, asked):
            continue
        last_word = asked is not None and bool(_LAST_WORD.search(asked.norm))
        sentences = trimmed_sentences(seg, i, ctx, groups[seg.speaker], asked is not None)
        while sentences and _claimed(sentences[-1], strict):
            sentences.pop()
        if sentences and not _claimed(sentences[0], strict):
            sentences = opening(sentences, transcript, groups, carried)
        while sentences and _claimed(sentences[0], strict):
            sentences.pop(0)
        if not sentences:
            continue
        candidates = whole_or_sentences(sentences)
        for unit in candidates:
            brief = seg.speaker in few and _says_a_word(unit)
            if not (_says_something(unit) or brief) or (unit.question and len(unit.words) < 5):
                continue
            asked = unit.context
            if asked is not None and ("?" not in asked.text or (
                    len(unit.words) <= _AGREEMENT_WORDS and prompt(asked.text))):
                continue  # "Yes. That I want." to a proposal: an agreement, for the actions
            if welcome(unit, len(transcript.segments)) or _CONTACT.search(unit.text):
                continue
            if len(candidates) > 1 and _claimed(unit, strict):
                continue
            first_person = brief or bool(_FIRST_PERSON.search(unit.norm))
            if not (hits(unit, ts) or (rank == 0 and (first_person or last_word))):
                continue
            score = _score(unit, ts, unit.norm, len(transcript.segments)) - 1.5 * rank
            if brief:
                score += _FEW_WORDS_VOICE
            if last_word:
                chosen.append(unit)
            scored.append((score + (1.0 if first_person else 0.0), unit))
    if PERSON in ts.speaker_roles or CHILD in ts.speaker_roles:
        # when no one of the first role (the child) is there, the words others repeat in
        # quotation marks are most often theirs: a child's, told by a foster carer or a teacher
        lift = _ABSENT_VOICE if top > 0 else 0.0
        scored.extend((sc + lift, u) for sc, u in _reported(transcript, ctx, groups, ts))
    best: list[Unit] = []
    for _, unit in sorted(scored, key=lambda su: -su[0]):
        if sum(not _joins(b, best) for b in best) == ts.max_sentences:
            break
        if not any(_overlaps(b, unit) for b in best):
            best.append(unit)
    best = _every_voice(best, scored, {s for s, r in ranks.items() if r == top}, groups, ts)
    best = _few_words_heard(best, scored, few, ts.max_sentences)
    if top > 0:
        best = _absent_heard(best, scored, ts.max_sentences)
    # What the person chose for the record is kept, in place of the least telling of the rest.
    for unit in reversed(chosen[:max(ts.max_sentences - 1, 1)]):
        if not any(_overlaps(b, unit) for b in best):
            best = [unit, *best][:ts.max_sentences]
    return sorted(best, key=lambda u: u.key)


def _every_voice(
    best: list[Unit], scored: list[tuple[float, Unit]], first: set[str], groups: dict[str, str],
    ts: TemplateSection,
) -> list[Unit]:
    """Each speaker of the section's first role is heard: one who has no quote yet (a husband
    who speaks through a tablet in his wife's carer's assessment, the quieter of two children)
    takes the place of the least telling quote of a speaker who has several: their words that
    say most of what the section asks (wishes, feelings: "Home. Not hospice. Home."). An
    interpreter counts as the person they voice."""
    score = {id(u): sc for sc, u in scored}

    def heard(speaker: str) -> str:
        return INTERPRETER if groups.get(speaker) == INTERPRETER else speaker

    def voice(unit: Unit) -> str:
        return heard(unit.segment.speaker)

    for speaker in sorted({heard(s) for s in first}):
        if any(voice(b) == speaker for b in best):
            continue
        theirs = [(sc, u) for sc, u in scored if voice(u) == speaker and sc > 0
                  and not any(_overlaps(b, u) for b in best)]
        if not theirs:
            continue
        counts: dict[str, int] = {}
        for b in best:
            counts[voice(b)] = counts.get(voice(b), 0) + 1
        many = [b for b in best if counts[voice(b)] > 1]
        if not many:
            continue
        weakest = min(many, key=lambda b: score.get(id(b), 0.0))
        pick = max(theirs, key=lambda su: (min(hits(su[1], ts), 3), su[0]))[1]
        best = [b for b in best if b is not weakest] + [pick]
    return best


def _few_words_heard(
    best: list[Unit], scored: list[tuple[float, Unit]], few: set[str], cap: int
) -> list[Unit]:
    """Each thing said by someone who speaks in few words is kept, up to half the quotes:
    every word costs them effort ("Home. Not hospice. Home.", "Moira needs a rest. Tell
    her."); each takes the place of the least telling quote of someone who says more."""
    score = {id(u): sc for sc, u in scored}
    theirs = sorted((su for su in scored if su[1].segment.speaker in few and su[0] > 0
                     and not any(_overlaps(b, su[1]) for b in best)), key=lambda su: -su[0])
    for _, unit in theirs:
        if sum(b.segment.speaker in few for b in best) >= cap // 2:
            break
        others = [b for b in best if b.segment.speaker not in few]
        if len(best) >= cap and not others:
            break
        if len(best) >= cap:
            weakest = min(others, key=lambda b: score.get(id(b), 0.0))
            best = [b for b in best if b is not weakest]
        best = [*best, unit]
    return best


def _absent_heard(best: list[Unit], scored: list[tuple[float, Unit]], cap: int) -> list[Unit]:
    """When no one of the section's first role is there (the child), their words as others
    repeat them are heard: the best of the reported quotes joins the quotes, or (at ``cap``)
    takes the place of the least telling quote of whoever has most."""
    if not best or any(b.reported for b in best):
        return best
    theirs = [(sc, u) for sc, u in scored if u.reported
              and not any(_overlaps(b, u) for b in best)]
    if not theirs:
        return best
    pick = max(theirs, key=lambda su: su[0])[1]
    if len(best) < cap:
        return [*best, pick]
    score = {id(u): sc for sc, u in scored}
    counts: dict[str, int] = {}
    for b in best:
        counts[b.segment.speaker] = counts.get(b.segment.speaker, 0) + 1
    most = max(counts.values())
    weakest = min((b for b in best if counts[b.segment.speaker] == most),
                  key=lambda b: score.get(id(b), 0.0))
    return [b for b in best if b is not weakest] + [pick]


def _in_few_words(transcript: Transcript, speaker: str) -> bool:
    """Whether most of the speaker's turns (at least four of them) hold at most ``_FEW_WORDS``
    words, leaving out what is done rather than said ("[signs MORE]")."""
    sizes = sorted(len(words(_GESTURE.sub(" ", s.text))) for s in transcript.segments
                   if s.speaker == speaker)
    return len(sizes) >= 4 and sizes[len(sizes) // 2] <= _FEW_WORDS


def _says_a_word(unit: Unit) -> bool:
    """A word that is not only a reply, a courtesy or filler: "More Lodge.", "Mum knee."."""
    said = words(_GESTURE.sub(" ", unit.text))
    return any(w not in FILLER and w not in _COURTESY for w in said) and not _CONTACT.search(
        unit.text)


def _joins(unit: Unit, best: list[Unit]) -> bool:
    """Whether the quote answers a follow-up to the speaker's quote just before it ("I come
    home at dinner to check." / "To check what?" / "To check Mum's alright."): the draft reads
    them as one, so they take one place among the quotes."""
    asked = unit.context
    if asked is None or "?" not in asked.text:
        return False
    return any(b.segment.speaker == unit.segment.speaker and b.index == asked.index - 1
               and len(b.words) + len(unit.words) + len(asked.words) <= EXCHANGE_WORDS
               and follows_up(asked, b) for b in best)


def _overlaps(one: Unit, other: Unit) -> bool:
    return (one.segment.id == other.segment.id and one.start < other.end
            and other.start < one.end)


def _says_something(unit: Unit) -> bool:
    """Content, or a plain statement about oneself ("I like it here.") in everyday words."""
    return has_content(unit) or len(unit.words) >= 3 and bool(
        _SELF.search(unit.norm) or _FEELING.search(unit.norm))


def _score(unit: Unit, ts: TemplateSection, said: str, turns: int) -> float:
    """How much a span says about the person, across the whole visit.

    What they say of themselves ("I'm not a bad mam", "nobody asks about me") and of their
    feelings, risk, and the section's keywords count; the greetings at the start of a visit,
    phone numbers and dates, and long runs of words count against.
    """
    # Risk counts for little here: risk is carried into the draft whether quoted or not.
    score = min(hits(unit, ts), 3) + salience(unit) / 4 + (0.5 if unit.risks else 0.0)
    score += min(len(_SELF.findall(said)), 2) + 0.5 * min(len(_FEELING.findall(said)), 2)
    if _IDIOM.search(said):
        score += 1.5
    if len(unit.words) <= _QUOTABLE_WORDS and _FIRST_PERSON.search(said):
        score += 1
    if in_opening(unit.index, turns):
        score -= 2  # "Come in, sit down, you want tea?"
    if re.search(r"\d", unit.text):
        score -= 1
    if len(unit.words) > 40:
        score -= 2
    return score


def _claimed(unit: Unit, strict: list[TemplateSection]) -> bool:
    """Whether the actions section (or one that requires certain words) would take this span:
    "Aye, Ah'll phone her after." at the end of a turn is left to the actions."""
    return any(eligible(unit, t) and (commitment(unit.text) if t.actions else hits(unit, t))
               for t in strict)


def _reported(
    transcript: Transcript, ctx: DraftContext, groups: dict[str, str], ts: TemplateSection
) -> list[tuple[float, Unit]]:
    """Words someone repeats in quotation marks after "said" or "told me" (a professional
    quoting a child seen alone, a daughter quoting her mother): often the only record of them.
    Kept verbatim and marked as reported; in a short turn, with the words around them (who
    said it, when, what they were asked), since a disclosure is read in its circumstances."""
    found: list[tuple[float, Unit]] = []
    for i, seg in enumerate(transcript.segments):
        group = groups.get(seg.speaker, "")
        if group == INTERPRETER:
            continue
        matches = [m for pattern in (_REPORTED, _WRITTEN) for m in pattern.finditer(seg.text)
                   if len(words(m.group(_said(m)))) >= 2]
        spans = [(m.start(_said(m)), m.end(_said(m))) for m in matches]
        spans += [span for span in _said_plainly(seg.text)
                  if not any(a < span[1] and span[0] < b for a, b in spans)]
        if not spans:
            continue
        said = " ".join(seg.text[a:b] for a, b in spans).lower()
        first_person = bool(_FIRST_PERSON.search(said))
        sentences = trimmed_sentences(seg, i, ctx, group)
        if sentences and sum(len(u.words) for u in sentences) <= WHOLE_TURN_WORDS:
            whole = join(sentences)
            units = [Unit(seg, i, whole.start, whole.end, whole.role, group, reported=True)]
        else:
            units = [Unit(seg, i, a, b, "", group, reported=True) for a, b in spans]
        for unit in units:
            score = _score(unit, ts, said, len(transcript.segments))
            found.append((score + (1.0 if first_person else 0.5), unit))
    return found


def _rank(
    speaker: str, ctx: DraftContext, groups: dict[str, str], ts: TemplateSection
) -> int | None:
    """Where the speaker's role comes in the section's list (an interpreter counts as the
    person they interpret for); ``None`` when the section does not take their words."""
    group = groups[speaker]
    if group == INTERPRETER and INTERPRETER not in ts.speaker_roles:
        return None
    if not ts.speaker_roles:
        return 0
    ranked = PERSON if group == INTERPRETER and PERSON in ts.speaker_roles else group
    role = ctx.speaker_roles.get(speaker, "")
    listed = [r for r in ts.speaker_roles if r in (ranked, role)]
    return ts.speaker_roles.index(listed[0]) if listed else None

