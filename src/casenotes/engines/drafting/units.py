"""What the extractive drafter selects: spans of transcript turns, each with its exact evidence.

A span is one sentence, or a whole short turn: the person's turn is kept together so that what
they said is not split across sections and lost, and a sentence that adds to a proposal ("And a
key safe outside.") stays with it. An answer that means nothing on its own ("No. None.",
"Every night, with my tea.") carries the question it answers, and so does any answer to a
question about risk ("Any thoughts of harming yourself?") or to a request ("Would you let an
engineer in?" / "If they don't touch my papers."); a bare agreement ("Yeah, he can.") carries
the proposal or direction it agrees to.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace

from casenotes.domain.draft import Evidence
from casenotes.domain.template import TemplateSection
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.drafting.actions import (
    agrees,
    commitment,
    consent,
    direction,
    prompt,
    request,
)
from casenotes.engines.drafting.risk import HARMFUL_PRACTICES, risk_topics, travel
from casenotes.pipeline.draft import DraftContext

PRACTITIONER, PERSON, CHILD, INTERPRETER = "practitioner", "person", "child", "interpreter"
#: A turn of at most this many words (after filler at its edges) is one span, not split.
WHOLE_TURN_WORDS = 40
#: A follow-up is drafted with the exchange it continues while they hold at most this many words.
EXCHANGE_WORDS = 80
#: In a long turn, fragments join their neighbours while the span holds at most this many words.
_CHUNK_MAX = 35
#: A sentence of at most this many words is a fragment, and so is one of at most
#: ``_NO_SUBJECT_WORDS`` without a subject.
_FRAGMENT_WORDS = 3
_NO_SUBJECT_WORDS = 7
#: The share of a visit's first turns that are greetings and settling in (at least 3 turns).
_OPENING_SHARE = 0.06
_WELCOME = re.compile(
    r"(?<![\w'])(?:come in|come through|sit down|have a seat|take a seat|cup of tea|tea\?|"
    r"coffee|kettle|mind the|excuse the|sorry about the|(?:hello|hiya|hi|welcome)\b|"
    r"nice to (?:meet|see) you|thanks for (?:coming|having))"
)
#: A greeting that gives the reason for the visit is not only a welcome.
_PURPOSE = re.compile(
    r"(?<![\w'])(?:because|the reason|visiting (?:you |today |because|about|after)|"
    r"(?:here|came|come) (?:today )?(?:to (?:talk|see|check|ask|follow)|about)|"
    r"wanted to (?:talk|speak|see|check|ask))"
)
#: A question of more words is not carried along with its answer.
_QUESTION_WORDS = 35
#: What a practitioner may add after their question for it still to be the one answered.
_AFTER_QUESTION_WORDS = 8
#: A speaker's own name at the start of a span this short is them introducing themselves.
_INTRODUCTION_WORDS = 12
#: A question of at most this many words after a proposal asks for agreement to it.
_AGREEMENT_WORDS = 8
# A short follow-up that points back ("When's that due?", "How often do they come?") is
# drafted with the sentence before it.
_FOLLOW_UP = re.compile(
    r"(?i)(?:and |so )?(?:when|where|what|who|how|why|which)\b(?=[^?]*\b(?:that|those|these|"
    r"this|it|they|them|there|then)\b)(?:\W*\w+){0,5}\W*\?$"
)

_END = re.compile(r"[.!?…]+[\"”’')]*(?=\s|$)")
# A sentence that adds to the one before ("And a key safe outside.", "Also the stairs.").
_ADDS = re.compile(r"(?i:and|also|plus|as well as|or)\b")
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "e.g", "i.e", "etc", "approx"})
_WORD = re.compile(r"\[[A-Z_]+_\d+\]|[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
_SPELT = re.compile(r"\b(?:[A-Za-z]-){2,}[A-Za-z]\b")
_LEADING_FILLER = re.compile(
    r"^(?:(?i:aye|yeah|yes|yep|no|nah|okay|ok|erm|um|well|right|so|and|oh|honestly)"
    r"[,.!]?\s+)+(?=[A-Z\[])"
)
# Words that answer a question and say nothing without it (with common Scots forms).
_REPLY = frozenset(
    "yes yeah yep aye no naw nah nope not never none maybe sometimes definitely".split()
)
# A subject and its verb: a sentence with one stands on its own ("It's cold.").
_SUBJECT = re.compile(
    r"(?<![\w'])(i|i'm|i've|i'll|i'd|we|we're|we've|he|he's|she|she's|they|they're|it|it's|"
    r"there|there's|that's|you|you're|ah|ah'm|ah've|ah'll|ah'd)(?![\w'])"
)
_SELF_WORDS = frozenset("i i'm i've i'd me my we we're our ah ah'm ma".split())
#: Words that name who (a person, by pronoun): a sentence of filler words with one says who.
_WHOM = frozenset("him her them me us".split())
FILLER = frozenset(
    """a about after again all also alright am an and any anyway are as at aye be because been
    before being bit both but by can could cos course did do does doing don't erm even for from
    get go going gonna got great had has have he her here hers hi him his hiya honestly how howay
    i i'd i'll i'm i've if in into is it it's just know lovely me mine more mm my no nope not now
    of oh ok okay on or our out pet please really right she so sorry sure than thank thanks that
    that's the their them then there they this to too um up us very was we well were what when
    where which who will with would yeah yep yes you you're your brilliant perfect fine good bye
    cheers ta great wow gosh ah hmm eh like actually basically that'd that'll it'll it'd sound
    innit mint""".split()
)
_ENGLISH = frozenset(
    """the a and of to in on at is it it's i i'm you he he's she she's we they my me him his her
    our their them this that was were are be been have has had with for not never no don't
    didn't can't but so what when said says if can could would will do did just got get all
    there there's from about up out one some any""".split()
)


@dataclass(frozen=True)
class Unit:
    """A candidate span of one segment: one sentence, or a run of them (a whole short turn).

    ``context`` is the question, from the turn before, that this answer needs to be understood;
    it is drafted with the answer and is part of the evidence.
    """

    segment: Segment
    index: int  # position of the segment in the transcript
    start: int
    end: int
    role: str  # the speaker's role as given ("parent"), or "" when unknown
    group: str  # practitioner, person, child or interpreter
    reported: bool = False  # someone else's words the speaker repeated ("she said, “…”")
    context: Unit | None = None
    inherited: frozenset[str] = field(default=frozenset())  # risk of the exchange it continues

    @property
    def text(self) -> str:
        return self.segment.text[self.start:self.end]

    @property
    def norm(self) -> str:
        return self.text.lower().replace("’", "'")

    @property
    def asked_norm(self) -> str:
        """The span with the question it answers, for judging what it is about."""
        return self.norm if self.context is None else f"{self.context.norm} {self.norm}"

    @property
    def words(self) -> list[str]:
        return words(self.text)

    @property
    def question(self) -> bool:
        """A question and nothing else (a turn that goes on after a question is a statement)."""
        body = self.text.rstrip("\"”’') ")
        return body.endswith("?") and not _END.search(body[:-1])

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.segment.id, self.start, self.end)

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        own = Evidence(self.segment.id, self.start, self.end)
        if self.context is None:
            return (own,)
        asked = self.context
        return (Evidence(asked.segment.id, asked.start, asked.end), own)

    @property
    def risks(self) -> frozenset[str]:
        """The risk topics the span (with its question) speaks of, or continues."""
        return risk_topics(self.asked_norm) | self.inherited


def in_opening(index: int, turns: int) -> bool:
    """Whether turn ``index`` comes in the greetings at the start of a visit."""
    return index < max(3, round(turns * _OPENING_SHARE))


def welcome(unit: Unit, turns: int) -> bool:
    """Greetings and hospitality at the start of a visit ("Come in, sit down, you want tea?").

    A greeting that goes on to say something ("Hello, I am visiting because the school said
    …") is not only a welcome: it may be the purpose of the visit."""
    return (in_opening(unit.index, turns) and bool(_WELCOME.search(unit.norm))
            and not unit.risks and not _PURPOSE.search(unit.norm))


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence in ``text``, trimmed of spaces and unpaired quotes."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        before = re.search(r"([A-Za-z.]+)\.$", text[start:match.start() + 1])
        if match.group().startswith(".") and before and before.group(1).lower() in _ABBREVIATIONS:
            continue
        spans.append(_trim(text, start, match.end()))
        start = match.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return [(s, e) for s, e in spans if e > s]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end and text[start] in "\"“" and not re.search("[\"”]", text[start + 1:end]):
        start += 1
    if start < end and text[end - 1] in "\"”" and not re.search("[\"“]", text[start:end - 1]):
        end -= 1
    return start, end


def sentence_unit(
    seg: Segment, index: int, start: int, end: int, ctx: DraftContext, group: str,
    keep_reply: bool = False,
) -> Unit:
    """One sentence, without leading filler ("Yeah, so I ..."); a reply to a question keeps
    its "Yes" or "No"."""
    match = None if keep_reply else _LEADING_FILLER.match(seg.text[start:end])
    if match and match.end() < end - start:
        start += match.end()
    return Unit(seg, index, start, end, ctx.speaker_roles.get(seg.speaker, "").lower(), group)


def edge_filler(unit: Unit) -> bool:
    """A sentence to leave off the edge of a turn: filler, or an interpreter's aside."""
    aside = re.search(r"\binterpret|\b(she|he) (says|asks)\b", unit.norm)
    if aside and unit.group == INTERPRETER:
        return True
    # Only pure filler comes off ("Ehm.", "Sounds good."): "Not yet." and "Hot water." are
    # the person's words and stay, and so does what they say of themselves ("I like it here.").
    found = unit.words
    if len(found) > 2 and any(w in _SELF_WORDS for w in found):
        return False
    if len(found) >= 2 and any(w in _WHOM for w in found):
        return False  # "Not with you. With them.": who, said in few words
    return all(w in FILLER or w.startswith("[") for w in found)


def trimmed_sentences(
    seg: Segment, index: int, ctx: DraftContext, group: str, keep_reply: bool = False,
    agreeing: bool = False,
) -> list[Unit]:
    """The turn's sentences without pure filler at either end (a reply word stays when the
    turn answers a question; ``agreeing``, a reply to a request or proposal that is all the
    turn says stays too: "Aye, you can.")."""
    sentences = [sentence_unit(seg, index, s, e, ctx, group, keep_reply)
                 for s, e in split_sentences(seg.text)]
    while sentences and edge_filler(sentences[0]) and not (keep_reply and (
            _replies(sentences[0]) or _verdict(sentences[0]))):
        sentences.pop(0)
    while sentences and edge_filler(sentences[-1]) and not (
            agreeing and len(sentences) == 1 and _replies(sentences[0])):
        sentences.pop()
    return sentences


_VERDICT_WORDS = frozenset("alright fine good lovely great brilliant perfect ok okay".split())


def _verdict(unit: Unit) -> bool:
    """An answer that says how something is, in everyday words ("It's alright here.", "She's
    fine."): filler elsewhere, but the answer to "How is it living here?"."""
    return bool(_SUBJECT.search(unit.norm)) and any(w in _VERDICT_WORDS for w in unit.words)


def join(sentences: list[Unit]) -> Unit:
    """One span from the first of ``sentences`` to the last (all of one segment)."""
    return replace(sentences[0], end=sentences[-1].end)


def whole_or_sentences(sentences: list[Unit]) -> list[Unit]:
    """A short turn as one span; a long one as its sentences, with the short ones joined to
    their neighbours (``chunked``)."""
    if len(sentences) > 1 and sum(len(u.words) for u in sentences) <= WHOLE_TURN_WORDS:
        return [join(sentences)]
    return chunked(sentences)


def fragment(unit: Unit) -> bool:
    """A sentence that says little without the one before it: a few words ("He cried."), or
    no subject ("Knock on the window, not the door.", "Like one, two in the mornin'.")."""
    found = len(unit.words)
    return found <= _FRAGMENT_WORDS or (
        found <= _NO_SUBJECT_WORDS and not _SUBJECT.search(unit.norm))


_SINGLE_OPENS = re.compile(r"(?<![\w'’])['‘](?=\w)")
_SINGLE_CLOSES = re.compile(r"(?<=[\w.,!?…])['’](?![\w'’])")


def _open_quote(text: str) -> bool:
    """Whether ``text`` opens a quotation it does not close ("He said, 'Abbu was shouting …
    blood." before "I put my hands on her ears.'"): the quote is one span."""
    if text.count("“") > text.count("”") or text.count('"') % 2:
        return True
    return len(_SINGLE_OPENS.findall(text)) > len(_SINGLE_CLOSES.findall(text))


def chunked(sentences: list[Unit]) -> list[Unit]:
    """A long turn's sentences, the short ones joined to their neighbours: people speak in
    fragments ("Ugh. Yeah. Don't. I've not been in three weeks.", "I'm wrecked. I'm not
    sleepin' 'cause of the window knockin'.", "Just on MARAC. The case was referred …"), and
    a fragment drafted alone keeps the least of what was said ("No!" for the answer to "Has
    he ever hurt you?"). A fragment joins the sentence after it, and takes the fragments after
    it, up to ``_CHUNK_MAX`` words; a quotation is kept whole; questions stay apart. A sentence
    that stands on its own ("I'm on my knees.") stays a span of its own."""
    out: list[Unit] = []
    for unit in sentences:
        head = out[-1] if out else None
        if head is not None and not head.question and not unit.question and (
                len(head.words) + len(unit.words) <= _CHUNK_MAX) and (
                fragment(head) or fragment(unit) or _open_quote(head.text)):
            out[-1] = replace(head, end=unit.end)
        else:
            out.append(unit)
    return out


def question_before(
    transcript: Transcript, index: int, groups: dict[str, str]
) -> Unit | None:
    """The question someone else asked just before turn ``index`` (the practitioner, mostly),
    or the proposal or direction a bare reply answers.

    That is their turn's last question with the little they said after it ("Again, I ask
    everybody."); a short follow-up ("When's that due?") comes with the sentence it follows,
    and so does a short question that asks for agreement to what was just proposed ("I can look
    into a grant for the boiler. Would you let an engineer in?"). A reply that says nothing on
    its own ("Yeah, he can.", "Will do.") to a turn that asks no question answers that turn's
    last sentence when it is a proposal, a commitment or a direction ("[PERSON_2], agree that
    [PERSON_1] can speak to your worker monthly."). An interpreter's turn answers the question
    asked before the words they interpret.
    """
    seg = transcript.segments[index]
    back = index - 1
    if groups.get(seg.speaker) == INTERPRETER and back > 0 and groups.get(
            transcript.segments[back].speaker) != PRACTITIONER:
        back -= 1
    if back < 0:
        return None
    before = transcript.segments[back]
    if before.speaker == seg.speaker:
        return None
    spans = split_sentences(before.text)
    group = groups.get(before.speaker, PERSON)
    asked = [i for i, (s, e) in enumerate(spans) if Unit(before, back, s, e, "", "").question]
    if not asked:
        bare = bool(spans) and _bare_reply(seg, index)
        return _proposal(before, back, spans, group) if bare else None
    last = asked[-1]
    if len(words(before.text[spans[last][1]:])) > _AFTER_QUESTION_WORDS:
        return None
    start = spans[last][0]
    question = before.text[start:spans[last][1]]
    if last > 0 and (_FOLLOW_UP.match(question) or (
            fragment(Unit(before, back, *spans[last], "", group))
            and commitment(before.text[slice(*spans[last - 1])]))):
        # "When's that due?"; "I'd like to see you again. Friday, the twentieth, at two?": the
        # time proposed for what the sentence before it proposes
        lead = Unit(before, back, *spans[last - 1], "", group)
        start = start if edge_filler(lead) else lead.start
    elif len(words(question)) <= _AGREEMENT_WORDS and consent(question):  # "Is that okay?"
        proposed = [i for i in range(max(last - 2, 0), last)
                    if commitment(before.text[slice(*spans[i])])]
        if proposed:
            agreed = Unit(before, back, spans[proposed[-1]][0], spans[-1][1], "", group)
            if len(agreed.words) <= _QUESTION_WORDS:
                return _with_taken_up(agreed, spans)
    unit = Unit(before, back, start, spans[-1][1], "", group)
    return None if len(unit.words) > _QUESTION_WORDS else _with_taken_up(unit, spans)


def _with_taken_up(asked: Unit, spans: list[tuple[int, int]]) -> Unit:
    """The proposal asked about, with the sentence before it that it takes up ("We should plan
    for when you're in hospital. I'll put that in the review. Is that alright?")."""
    before = [s for s, e in spans if e <= asked.start]
    if not before or not _TAKES_UP.match(asked.norm):
        return asked
    head = replace(asked, start=before[-1], end=asked.start)
    taken_up = replace(asked, start=before[-1])
    return taken_up if has_content(head) and len(taken_up.words) <= WHOLE_TURN_WORDS else asked


def _last_sentence(text: str) -> str:
    spans = split_sentences(text)
    return text[spans[-1][0]:spans[-1][1]] if spans else text


def _points_back(text: str) -> bool:
    """Whether the last sentence of ``text`` is a short question that points back ("When did
    you last have it?", "What made you think that?")."""
    return bool(_FOLLOW_UP.match(_last_sentence(text)))


#: A question that asks after what was just said: "What happened?", "Why was that?".
_ASKS_AFTER = re.compile(
    r"(?i)^(?:and |so |but |okay,? |right,? )?(?:what happened|why|how come|since when|"
    r"like what|such as|what do you mean|what did (?:he|she|they|you) (?:do|say)|"
    r"when was the (?:last|first) time|how (?:often|many times|long for|long ago))\b"
)
#: A question about "that" or "it", the thing just said: "Have you done anything towards that,
#: or got anything ready?", "Did you tell anyone about it?".
_REFERS_BACK = re.compile(
    r"(?i)\b(?:about|towards?|with|like|since|after|before|of|on|to|for) (?:that|this|it|those|"
    r"them)(?=\s*[,?]|\s+(?:or|and|at all|again|yet|before|since)\b)"
)
#: Content words this short are too common to tie a question to what was just said.
_TIE_LETTERS = 4


def follows_up(question: Unit, said: Unit) -> bool:
    """Whether ``question`` asks after what ``said`` (the turn just before it) says: it points
    back ("When do those thoughts come?"), asks what happened or why, or takes up a content
    word of it ("I've a little camping stove" / "Where do you use the camping stove?")."""
    last = _last_sentence(question.text)
    if _points_back(question.text) or _ASKS_AFTER.match(last) or _REFERS_BACK.search(last):
        return True

    def content(found: list[str]) -> set[str]:
        return {w[:6] for w in found if len(w) >= _TIE_LETTERS and w not in FILLER
                and not w.startswith("[")}

    return bool(content(words(last)) & content(said.words))


def _proposal(
    before: Segment, back: int, spans: list[tuple[int, int]], group: str
) -> Unit | None:
    """The last sentence of a turn (with the one it adds to: "…a pendant alarm. And a key
    safe."), when it proposes, commits to or (from a practitioner) directs something."""
    units = continued([Unit(before, back, s, e, "", group) for s, e in spans])
    unit = units[-1]
    if len(unit.words) > _QUESTION_WORDS or not proposes(unit):
        return None
    if len(units) > 1 and _CONDITION.search(units[-2].norm) and (
            len(units[-2].words) + len(unit.words) <= _QUESTION_WORDS):
        # "If she faints again, or gets chest pain, don't wait. Ring 999.": when, with what
        return replace(unit, start=units[-2].start)
    return unit


#: A sentence that sets the condition of what follows it ("if she faints again …").
_CONDITION = re.compile(r"(?<![\w'])(?:if|unless|whenever|in case)(?![\w'])")


def proposes(unit: Unit) -> bool:
    """Whether the span commits to or proposes something, or is a practitioner's direction."""
    return commitment(unit.text) or (unit.group == PRACTITIONER and direction(unit.text))


def _bare_reply(seg: Segment, index: int) -> bool:
    """Whether a turn opens with a short agreement or refusal that says nothing without what
    it answers ("Yeah, he can.", "Will do.")."""
    spans = split_sentences(seg.text)
    if not spans:
        return False
    first = Unit(seg, index, *spans[0], "", "")
    return agrees(first.text) and len(first.words) <= 4


def _replies(unit: Unit) -> bool:
    return any(w in _REPLY for w in unit.words[:3])


def _asks(unit: Unit) -> bool:
    """Whether the span ends with a question (a proposal may come before it)."""
    return "?" in unit.text


def needs_question(answer: Unit, asked: Unit) -> bool:
    """Whether the answer is drafted with its question: it opens with a bare reply or a
    fragment ("Naw, never.", "Every night, with my tea."), or the question is about risk, or it
    asks for something ("Would you let an engineer in?" / "If they don't touch my papers."):
    the answer is then what was agreed, or refused. (A proposal that is not a question is
    only ever the context of a bare reply.)"""
    if asked.risks or not _asks(asked) or request(asked.text) or commitment(asked.text):
        return True
    first = split_sentences(answer.text)[0]
    opening = Unit(answer.segment, answer.index, answer.start + first[0], answer.start + first[1],
                   answer.role, answer.group) if first else answer
    opening_words = opening.words
    if len(opening_words) <= _AGREEMENT_WORDS and commitment(opening.text):
        return True  # "Would she come to the core group?" / "I'll ask her."
    if _replies(opening) and len(opening_words) <= 4:
        return True
    return len(opening_words) <= 5 and not _SUBJECT.search(opening.norm)


_INTRODUCING = re.compile(
    r"(?i)^(?:(?:hi|hello|hiya|morning|afternoon)\W+)?(?:my name's|my name is|i'm|i am|"
    r"it's|this is)\s+"
)


#: A check of the record's details ("Just to check the details first: …?", "can I just check
#: what I've got for him on my system").
_CHECKS_DETAILS = re.compile(
    r"\b(?:check|confirm)(?:ing)? (?:the |your |a few |some |his |her |their )?(?:details|"
    r"what i've got|what we've got|date of birth|address)\b"
)


def checks_details(unit: Unit) -> bool:
    """Whether the span checks the record's details, or answers such a check ("That's right.
    They spell my name wrong at the hospital."): how the record is kept, drafted nowhere."""
    return bool(_CHECKS_DETAILS.search(unit.asked_norm))


def answers_details_check(seg: Segment, asked: Unit | None) -> bool:
    """Whether the turn only answers a check of the record's details ("That's right." to "Just
    to check your details …?"): drafted nowhere, unless it speaks of risk ("No, I've moved back
    in with him.")."""
    return asked is not None and checks_details(asked) and not risk_topics(seg.text)


def introduces(unit: Unit) -> bool:
    """Whether the span is the speaker saying who they are ("[PERSON_5], health visitor for
    [PERSON_6]."): the attendee list already says it."""
    if unit.context is not None and not unit.context.question:
        return False
    text, speaker = unit.text, unit.segment.speaker
    opening = _INTRODUCING.match(text)
    if opening:  # "My name's [PERSON_1], I'm the independent chair."
        text = text[opening.end():]
    names = {speaker, speaker.split()[0]} if speaker.strip() else set()
    return len(unit.words) <= _INTRODUCTION_WORDS and any(
        text.startswith(name) and text[len(name):len(name) + 1] in (",", " ", ".", "")
        for name in names
    ) and not unit.risks - {"process"}  # "Deborah Platt, safeguarding lead at the college."


def has_content(unit: Unit, min_words: int = 4) -> bool:
    """Enough words that are not filler, in English (a name spelt out is not content).

    A reply drafted with its question counts the question's words too: "Aye." after "Can I
    tell your GP?" says something."""
    if unit.context is not None:
        answer = Unit(unit.segment, unit.index, unit.start, unit.end, unit.role, unit.group)
        says = any(w not in FILLER or w in _REPLY for w in answer.words)
        return says and not _SPELT.search(unit.text) and _in_english(answer, 6) and (
            has_content(answer, min_words) or has_content(unit.context, min_words))
    found = unit.words
    if len(found) < min_words or sum(w not in FILLER for w in found) < 2:
        return False
    if _SPELT.search(unit.text):
        return False  # a name spelt out letter by letter
    return _in_english(unit)


def _in_english(unit: Unit, judged_from: int = 3) -> bool:
    """Whether the span is in English (not the original words an interpreter then gives);
    one of fewer than ``judged_from`` words is taken to be."""
    plain = [w for w in unit.words if not w.startswith("[")]
    english = sum(w in _ENGLISH for w in plain)
    return len(plain) < judged_from or (english > 0 and english >= len(plain) / 8)


_SALIENT = (
    "hungry", "hunger", "food", "meal", "skip", "cold", "freez", "gas", "electric", "heating",
    "debt", "money", "rent", "evict", "police", "hospital", "injur", "hurt", "hit", "bruis",
    "scared", "afraid", "frighten", "worr", "cry", "cries", "cried", "alone", "suicid", "kill",
    "die", "dead", "harm", "drink", "drunk", "alcohol", "drug", "violen", "shout", "abuse",
    "unsafe", "safe", "mould", "damp", "asthma", "breath", "sleep", "bed", "mattress", "dream",
    "school", "attend", "absen", "missed", "court", "order", "breach", "medic", "fell", "pain",
    "depress", "anxi", "panic", "threat", "weapon", "knife", "smack", "neglect", "dirty",
    "bills", "benefit", "credit", "care", "carer", "support", "help",
)
_NUMBER = re.compile(
    r"\d|\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundred|thousand)\b"
)


def salience(unit: Unit) -> float:
    """How much a span matters: words about needs and harm, numbers, content words."""
    norm = unit.norm
    score = sum(1.0 for stem in _SALIENT if re.search(rf"\b{stem}", norm))
    if _NUMBER.search(norm):
        score += 0.5
    return score + min(sum(w not in FILLER for w in unit.words), 15) / 10


_WHEN_WORDS = re.compile(
    r"(?i)\b(?:today|tonight|tomorrow|yesterday|morning|mornings|afternoon|evening|night|"
    r"nights|week|weeks|weekend|weekends|month|months|year|years|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|january|february|march|april|june|july|august|"
    r"september|october|november|december|christmas|easter|summer|winter|weekly|fortnightly|"
    r"monthly|daily)\b"
)
_CONSENT_WORDS = re.compile(r"\b(?:consent\w*|record(?:ed|ing)?|agree[ds]?)\b")
#: A name or a place: a placeholder, or a capitalised word (inside a sentence).
_NAMED = re.compile(r"\[[A-Z_]+_\d+\]|\b[A-Z][a-z][\w'-]*")


def specifics(unit: Unit) -> int:
    """How many particulars a span gives: names and places (a capitalised word inside a
    sentence, a placeholder), numbers, times and days, words about needs and harm. Small talk
    gives none ("He's a charmer, him.", "That's hard to hear, but it's fair.")."""
    found = 0
    for s, e in split_sentences(unit.text):
        sentence = unit.text[s:e]
        found += sum(1 for m in _NAMED.finditer(sentence)
                     if m.start() > 0 or m.group().startswith("["))
        found += len(_WHEN_WORDS.findall(sentence)) + len(_NUMBER.findall(sentence.lower()))
    norm = unit.norm
    found += len(_CONSENT_WORDS.findall(norm))
    return found + sum(1 for stem in _SALIENT if re.search(rf"\b{stem}", norm))


def turn_units(
    transcript: Transcript, ctx: DraftContext, groups: dict[str, str], main: str | None,
    quoted: dict[int, list[tuple[int, int]]], carried: dict[int, frozenset[str]],
) -> list[Unit]:
    """Every turn's spans for placement (``carried``: ``follow_on_risks`` of the transcript).

    The note's author (the main practitioner) is taken sentence by sentence: their turns mix
    greetings, questions and what they saw. Everyone else's short turn is one span, with the
    question it needs. Words already quoted (``quoted``: spans by segment id) are left out.
    """
    units: list[Unit] = []
    practices = any(HARMFUL_PRACTICES in risk_topics(seg.text) for seg in transcript.segments)
    for i, seg in enumerate(transcript.segments):
        group = groups[seg.speaker]
        if seg.speaker == main:
            units.extend(continued([sentence_unit(seg, i, s, e, ctx, group)
                                    for s, e in split_sentences(seg.text)]))
            continue
        asked = question_before(transcript, i, groups)
        if answers_details_check(seg, asked):
            continue
        agreeing = asked is not None and prompt(asked.text, directs=asked.group == PRACTITIONER)
        sentences = trimmed_sentences(seg, i, ctx, group, asked is not None, agreeing)
        sentences = opening(sentences, transcript, groups, carried)
        told = risk_topics(seg.text) & _TOLD_IN_FULL
        if asked is not None and asks_concern(asked.text):
            told |= {"concern_raised"}  # "What is it that worries you?": the answer is the worry
        if practices and (travel(seg.text) or (asked is not None and travel(asked.text))):
            told |= {HARMFUL_PRACTICES}  # "In the summer, maybe. Her sister is getting married."
        if told:  # "I just nipped to the shop. … I know I shouldn't have.": all of it
            sentences = [replace(u, inherited=u.inherited | told) for u in sentences]
        spans = quoted.get(seg.id, [])
        if spans:
            units.extend(u for u in sentences
                         if not any(u.start < e and s < u.end for s, e in spans))
        else:
            units.extend(whole_or_sentences(continued(sentences)))
    return units


#: Risk that a turn tells in full: an admission ("I know I shouldn't have") marks the
#: disclosure around it, said in the turn's other sentences, and a concern raised ("My bigger
#: worry is his weight.") the particulars that follow it.
_TOLD_IN_FULL = frozenset({"admission_or_secret", "concern_raised"})
#: A question that asks for the worry itself: "What is it that worries you?", "What are you
#: most afraid of?", "What's your biggest concern?", "What do you think might happen?".
_ASKS_CONCERN = re.compile(
    r"(?i)\bwhat(?:'s| is| was)?(?: it)?(?: that)? (?:\w+ ){0,3}?(?:worr(?:y|ies|ied)|concerns?|"
    r"scares?|scared|frightens?|frightened|afraid|fears?)\b|\bwhat (?:do|did) you (?:think|fear) "
    r"(?:might|would|could|will) happen\b"
)


def asks_concern(question: str) -> bool:
    """Whether the question (its last sentence) asks for the worry itself."""
    return bool(_ASKS_CONCERN.search(_last_sentence(question)))


def continued(sentences: list[Unit]) -> list[Unit]:
    """The sentences of one turn, a proposal kept whole: a sentence that adds to a commitment
    ("We can put in a pendant alarm … And a key safe outside, so they can get in.") is joined
    to it, and so is a commitment to "that", the sentence before it ("We should plan for when
    you're in hospital. I'll put that in the review."), so that neither is drafted without the
    other."""
    out: list[Unit] = []
    for unit in sentences:
        head = out[-1] if out else None
        if head is not None and not head.question and not unit.question and (
                len(head.words) + len(unit.words) <= WHOLE_TURN_WORDS) and (
                (_ADDS.match(unit.segment.text[head.end:unit.end].lstrip()) and proposes(head))
                or (_TAKES_UP.match(unit.norm) and proposes(unit) and has_content(head))):
            out[-1] = replace(head, end=unit.end)
        else:
            out.append(unit)
    return out


#: A commitment whose object is the sentence before it: "We should plan for when you're in
#: hospital. I'll put that in the review", "… the letter. We can sort that together."
_TAKES_UP = re.compile(
    r"^(?:(?:so|and|okay|right),? )?(?:i'll|i will|we'll|we will|i can|we can|i'm going to|"
    r"we're going to|let me) (?:\w+ ){1,2}?(?:that|this)(?![\w'])"
)


def opening(
    sentences: list[Unit], transcript: Transcript, groups: dict[str, str],
    carried: dict[int, frozenset[str]],
) -> list[Unit]:
    """The turn's sentences (from its start), the first with the risk it continues and the
    question it answers, when it needs that question."""
    if not sentences:
        return sentences
    first = sentences[0]
    inherited = carried.get(first.segment.id, frozenset())
    asked = question_before(transcript, first.index, groups)
    if asked is not None and asked.question and asked.group == PRACTITIONER:
        # "Shona mentioned you'd had a fall. Can you tell me about that?" / "It weren't
        # nothing. I went over by the telly.": the answer tells the risk asked about
        inherited = inherited | (risk_topics(asked.segment.text) - ASKED_IN_PASSING)
    if asked is not None and (inherited or needs_question(first, asked)):
        first = replace(first, context=asked)
    return [replace(first, inherited=inherited), *sentences[1:]]


#: Risk words a practitioner's question uses in passing ("Is there anything worrying you?",
#: "Are you safe to talk?"): they ask, they do not tell.
ASKED_IN_PASSING = frozenset({"fear_or_distress", "process"})


def follow_on_risks(
    transcript: Transcript, groups: dict[str, str]
) -> dict[int, frozenset[str]]:
    """The risk a turn continues, by segment id: an answer to a follow-up question ("When do
    those thoughts come?") asked right after the same person spoke of risk.

    What the person said of risk includes what they were asked: "Have you had thoughts of
    ending your life?" / "Not like, plans. But it'd be easier." / "Easier for everyone?" / "Mia
    would be better off with the insurance.": the second answer continues the first exchange,
    when the question takes it up. Someone else's brief word between them ("Oh, love.") does
    not end the exchange.
    """
    carried: dict[int, frozenset[str]] = {}
    questions = [question_before(transcript, i, groups) for i in range(len(transcript.segments))]
    for seg, asked in zip(transcript.segments, questions, strict=True):
        if asked is None or asked.index == 0 or not _asks(asked):
            continue
        back = _before_interjection(transcript, asked.index - 1, seg.speaker)
        earlier = transcript.segments[back]
        if earlier.speaker != seg.speaker:
            continue
        topics = risk_topics(earlier.text) | carried.get(earlier.id, frozenset())
        answered = questions[back]
        if not topics and answered is not None and follows_up(asked, Unit(
                earlier, back, 0, len(earlier.text), "", groups.get(earlier.speaker, ""))):
            topics = risk_topics(answered.text)  # the exchange goes on
        if not topics and asked.index >= 2 and _points_back(asked.text) and (
                transcript.segments[asked.index - 2].speaker == asked.segment.speaker):
            # "Can I ask about your injection?" / "No." / "When did you last have it?": the
            # answer is about the injection
            topics = risk_topics(transcript.segments[asked.index - 2].text)
        if topics:
            carried[seg.id] = topics
    return carried


#: Someone else's word this short between an answer and the next question ("Oh, Craig.") is an
#: interjection: the exchange goes on past it.
_INTERJECTION_WORDS = 4


def _before_interjection(transcript: Transcript, index: int, speaker: str) -> int:
    """``index``, or the turn before it when turn ``index`` is another's brief interjection
    just after ``speaker`` spoke."""
    seg = transcript.segments[index]
    if seg.speaker != speaker and index > 0 and len(words(seg.text)) <= _INTERJECTION_WORDS and (
            transcript.segments[index - 1].speaker == speaker):
        return index - 1
    return index


@functools.lru_cache(maxsize=1024)
def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """A keyword, phrase or ``stem*`` as a case-insensitive whole-word pattern."""
    word = keyword.lower().replace("’", "'").strip()
    stem = word.endswith("*")
    body = re.escape(word.rstrip("*")).replace(r"\ ", r"\s+")
    tail = r"[\w']*" if stem else ""
    return re.compile(rf"(?<![\w']){body}{tail}(?![\w'])")


def eligible(unit: Unit, ts: TemplateSection) -> bool:
    """Whether the section takes this speaker's words."""
    return not ts.speaker_roles or unit.group in ts.speaker_roles or unit.role in ts.speaker_roles


def hits(unit: Unit, ts: TemplateSection) -> int:
    """How many of the section's keywords the span (with the question it answers) has; 0 when
    the section requires a word the span itself lacks."""
    if ts.required_keywords and not any(
        keyword_pattern(k).search(unit.norm) for k in ts.required_keywords
    ):
        return 0
    return sum(1 for k in ts.keywords if keyword_pattern(k).search(unit.asked_norm))
