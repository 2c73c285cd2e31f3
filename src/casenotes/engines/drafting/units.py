"""What the extractive drafter selects: spans of transcript turns, each with its exact evidence.

A span is one sentence, or a whole short turn: the person's turn is kept together so that what
they said is not split across sections and lost. An answer that means nothing on its own
("No. None.", "Every night, with my tea.") carries the question it answers, and so does any
answer to a question about risk: "Any thoughts of harming yourself?" belongs with its answer.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace

from casenotes.domain.draft import Evidence
from casenotes.domain.template import TemplateSection
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.drafting.risk import risk_topics
from casenotes.pipeline.draft import DraftContext

PRACTITIONER, PERSON, CHILD, INTERPRETER = "practitioner", "person", "child", "interpreter"
#: A turn of at most this many words (after filler at its edges) is one span, not split.
WHOLE_TURN_WORDS = 40
#: The share of a visit's first turns that are greetings and settling in (at least 3 turns).
_OPENING_SHARE = 0.06
_WELCOME = re.compile(
    r"(?<![\w'])(?:come in|come through|sit down|have a seat|take a seat|cup of tea|tea\?|"
    r"coffee|kettle|mind the|excuse the|sorry about the|(?:hello|hiya|hi|welcome)\b|"
    r"nice to (?:meet|see) you|thanks for (?:coming|having))"
)
#: A question of more words is not carried along with its answer.
_QUESTION_WORDS = 35
#: What a practitioner may add after their question for it still to be the one answered.
_AFTER_QUESTION_WORDS = 8
# A short follow-up that points back ("When's that due?", "How often do they come?") is
# drafted with the sentence before it.
_FOLLOW_UP = re.compile(
    r"(?i)(?:and |so )?(?:when|where|what|who|how|why|which)\b(?=[^?]*\b(?:that|those|these|"
    r"this|it|they|them|there|then)\b)(?:\W*\w+){0,5}\W*\?$"
)

_END = re.compile(r"[.!?…]+[\"”’')]*(?=\s|$)")
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
    """Greetings and hospitality at the start of a visit ("Come in, sit down, you want tea?")."""
    return in_opening(unit.index, turns) and bool(_WELCOME.search(unit.norm)) and not unit.risks


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
    return all(w in FILLER or w.startswith("[") for w in found)


def trimmed_sentences(
    seg: Segment, index: int, ctx: DraftContext, group: str, keep_reply: bool = False
) -> list[Unit]:
    """The turn's sentences without pure filler at either end (a reply word stays when the
    turn answers a question)."""
    sentences = [sentence_unit(seg, index, s, e, ctx, group, keep_reply)
                 for s, e in split_sentences(seg.text)]
    while sentences and edge_filler(sentences[0]) and not (keep_reply and _replies(sentences[0])):
        sentences.pop(0)
    while sentences and edge_filler(sentences[-1]):
        sentences.pop()
    return sentences


def join(sentences: list[Unit]) -> Unit:
    """One span from the first of ``sentences`` to the last (all of one segment)."""
    return replace(sentences[0], end=sentences[-1].end)


def whole_or_sentences(sentences: list[Unit]) -> list[Unit]:
    """A short turn as one span; a long one as its sentences."""
    if len(sentences) > 1 and sum(len(u.words) for u in sentences) <= WHOLE_TURN_WORDS:
        return [join(sentences)]
    return sentences


def question_before(
    transcript: Transcript, index: int, groups: dict[str, str]
) -> Unit | None:
    """The question someone else asked just before turn ``index`` (the practitioner, mostly).

    That is their turn's last question with the little they said after it ("Again, I ask
    everybody."); a short follow-up ("When's that due?") comes with the sentence it follows.
    An interpreter's turn answers the question asked before the words they interpret.
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
    asked = [i for i, (s, e) in enumerate(spans) if Unit(before, back, s, e, "", "").question]
    if not asked:
        return None
    last = asked[-1]
    if len(words(before.text[spans[last][1]:])) > _AFTER_QUESTION_WORDS:
        return None
    start = spans[last][0]
    group = groups.get(before.speaker, PERSON)
    if last > 0 and _FOLLOW_UP.match(before.text[start:spans[last][1]]):
        lead = Unit(before, back, *spans[last - 1], "", group)
        start = start if edge_filler(lead) else lead.start
    unit = Unit(before, back, start, spans[-1][1], "", group)
    return None if len(unit.words) > _QUESTION_WORDS else unit


def _replies(unit: Unit) -> bool:
    return any(w in _REPLY for w in unit.words[:3])


def needs_question(answer: Unit, asked: Unit) -> bool:
    """Whether the answer is drafted with its question: it opens with a bare reply or a
    fragment ("Naw, never.", "Every night, with my tea."), or the question is about risk."""
    if asked.risks:
        return True
    first = split_sentences(answer.text)[0]
    opening = Unit(answer.segment, answer.index, answer.start + first[0], answer.start + first[1],
                   answer.role, answer.group) if first else answer
    opening_words = opening.words
    if _replies(opening) and len(opening_words) <= 4:
        return True
    return len(opening_words) <= 5 and not _SUBJECT.search(opening.norm)


def has_content(unit: Unit, min_words: int = 4) -> bool:
    """Enough words that are not filler, in English (a name spelt out is not content).

    A reply drafted with its question counts the question's words too: "Aye." after "Can I
    tell your GP?" says something."""
    if unit.context is not None:
        answer = Unit(unit.segment, unit.index, unit.start, unit.end, unit.role, unit.group)
        says = any(w not in FILLER or w in _REPLY for w in answer.words)
        return says and not _SPELT.search(unit.text) and (
            has_content(answer, min_words) or has_content(unit.context, min_words))
    found = unit.words
    if len(found) < min_words or sum(w not in FILLER for w in found) < 2:
        return False
    if _SPELT.search(unit.text):
        return False  # a name spelt out letter by letter
    plain = [w for w in found if not w.startswith("[")]
    english = sum(w in _ENGLISH for w in plain)
    return len(plain) < 3 or (english > 0 and english >= len(plain) / 8)  # not another language


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


def turn_units(
    transcript: Transcript, ctx: DraftContext, groups: dict[str, str], main: str | None,
    quoted: dict[int, list[tuple[int, int]]],
) -> list[Unit]:
    """Every turn's spans for placement.

    The note's author (the main practitioner) is taken sentence by sentence: their turns mix
    greetings, questions and what they saw. Everyone else's short turn is one span, with the
    question it needs. Words already quoted (``quoted``: spans by segment id) are left out.
    """
    units: list[Unit] = []
    carried = follow_on_risks(transcript, groups)
    for i, seg in enumerate(transcript.segments):
        group = groups[seg.speaker]
        if seg.speaker == main:
            units.extend(sentence_unit(seg, i, s, e, ctx, group)
                         for s, e in split_sentences(seg.text))
            continue
        asked = question_before(transcript, i, groups)
        sentences = trimmed_sentences(seg, i, ctx, group, keep_reply=asked is not None)
        sentences = opening(sentences, transcript, groups, carried)
        spans = quoted.get(seg.id, [])
        if spans:
            units.extend(u for u in sentences
                         if not any(u.start < e and s < u.end for s, e in spans))
        else:
            units.extend(whole_or_sentences(sentences))
    return units


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
    if asked is not None and (inherited or needs_question(first, asked)):
        first = replace(first, context=asked)
    return [replace(first, inherited=inherited), *sentences[1:]]


def follow_on_risks(
    transcript: Transcript, groups: dict[str, str]
) -> dict[int, frozenset[str]]:
    """The risk a turn continues, by segment id: an answer to a follow-up question ("When do
    those thoughts come?") asked right after the same person spoke of risk."""
    carried: dict[int, frozenset[str]] = {}
    for i, seg in enumerate(transcript.segments):
        asked = question_before(transcript, i, groups)
        if asked is None or asked.index == 0:
            continue
        earlier = transcript.segments[asked.index - 1]
        if earlier.speaker != seg.speaker:
            continue
        topics = risk_topics(earlier.text) | carried.get(earlier.id, frozenset())
        if topics:
            carried[seg.id] = topics
    return carried



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
    the section requires a word the span itself lacks (an "I'll" for the actions)."""
    if ts.required_keywords and not any(
        keyword_pattern(k).search(unit.norm) for k in ts.required_keywords
    ):
        return 0
    return sum(1 for k in ts.keywords if keyword_pattern(k).search(unit.asked_norm))
