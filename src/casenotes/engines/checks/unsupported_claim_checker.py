"""Unsupported-claim check: each drafted sentence must be supported by what was said.

For every drafted sentence it weighs the support score (word overlap and MiniLM similarity
with its evidence and the whole transcript) and adds the rules a similarity score misses:
high-stakes topics nobody spoke about, negation turned around ("does not drink" → "drinks",
read in the linked turns and the two either side), a high-stakes subject stated as fact when
it was only asked about, denied or spoken of as a possibility ("might" → "did"; "Not an
eviction thing" → "facing eviction"), and words put in the wrong person's mouth. Sentences
about high-stakes topics (self-harm, harm to a child, abuse, drugs, police, diagnoses, a
hospital admission, losing a home, a judgement of a person …) need strong support. Names and
numbers are the detail check's job.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from casenotes.domain.draft import Draft, Section, Sentence, SentenceKind
from casenotes.domain.flags import Flag, FlagKind, Severity
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.checks.lexicon import Topic, topics
from casenotes.engines.checks.support_scorer import Prepared, Support, SupportScorer
from casenotes.engines.checks.wording import (
    NEGATIONS,
    content_stems,
    fluent,
    hedged,
    is_content,
    opposite,
    repeated_starts,
    stem,
    words,
)
from casenotes.pipeline.check import CheckContext
from casenotes.pipeline.embed import Embedder

_NAME = r"(?:\[[A-Z]+(?:_[A-Z]+)*_\d+\]|[A-Z][a-z]+)(?:\s+[A-Z][a-z]+)?"
#: "X said", "X and Y said", "X, Y and Z agreed": the people a sentence puts words to.
_ATTRIBUTION = re.compile(
    rf"({_NAME}(?:\s*(?:,|\band\b|&)\s*{_NAME})*)\s+"
    r"(?:said|says|told|explained|described|asked|reported|agreed|stated|added)\b"
)
_SPEAKER_LIST = re.compile(r"\s*(?:,|\band\b|&)\s*")
_KEEP_TRANSCRIPTS = 16
#: Turns either side of the linked ones that the negation rule also reads.
NEIGHBOURHOOD = 2
_QUOTED = re.compile(r"[\"“](.+?)[\"”]")
#: Content words a summary sentence may add around a verbatim quote ("At the end she said").
_FRAME = 2
#: Content words, names aside, of a short frame that says what a verbatim quote was about
#: ("Kieran said of getting help: “There's no one to ask, is there.”"): the quote is checked
#: word for word, so the frame's few words need not find support of their own (a high-stakes
#: subject, a "not" turned around or a wrong speaker in it is still flagged).
_TOPIC_FRAME = 3
#: Words a quote must have for its frame to be read so.
_FRAMED_QUOTE_WORDS = 4


#: Repeated starts of words ("c-c-can't", "b-better") in this many places: the transcript
#: writes a speaker's stammer, so a note may say that someone stammers.
_STAMMERED = 3
_STAMMER_WORDS = ("stammer stammers stammered stammering stutter stutters stuttered "
                  "stuttering dysfluency dysfluent")


def _shown(segments: Sequence[Segment]) -> tuple[str, ...]:
    """Words for what the transcript itself shows of how someone spoke (a stammer written as
    "c-c-can't"), which no one says in words."""
    repeats = sum(repeated_starts(seg.text) for seg in segments)
    return (_STAMMER_WORDS,) if repeats >= _STAMMERED else ()


def _default_embedder() -> Embedder:
    from casenotes.engines.embed.minilm import MiniLMEmbedder

    return MiniLMEmbedder()


class UnsupportedClaimChecker:
    """Flags drafted sentences that what was said does not support, with the reason."""

    name = "unsupported_claim"
    version = "1.1"

    def __init__(self, embedder: Embedder | None = None,
                 data_dirs: Sequence[Path] = (), *, threshold: float = 0.55,
                 high_stakes_threshold: float = 0.70,
                 scorer: SupportScorer | None = None) -> None:
        # MiniLM loads its model on first use, so making the embedder here costs nothing.
        self._embedder = embedder if embedder is not None else _default_embedder()
        self._scorer: SupportScorer | None = scorer
        self._prepared: dict[tuple[str, ...], Prepared] = {}
        self._lock = threading.Lock()
        self._topics = topics("high_stakes_terms.yaml", data_dirs)
        #: Risk subjects of any weight (the omission check's), for a question about a person
        #: answered no ("And she hasn't been cut?" / "No. Never.").
        self._risks = self._topics + topics("safeguarding_topics.yaml", data_dirs)
        self.threshold = threshold
        self.high_stakes_threshold = high_stakes_threshold

    def scorer(self) -> SupportScorer:
        """The support scorer (shared with the benchmarks)."""
        with self._lock:
            if self._scorer is None:
                self._scorer = SupportScorer(self._embedder)
            return self._scorer

    def check(self, draft: Draft, transcript: Transcript, context: CheckContext) -> list[Flag]:
        segments = list(transcript.segments)
        index = {seg.id: i for i, seg in enumerate(segments)}
        said_topics = {t.key for t in self._topics
                       if any(t.matches(seg.text) for seg in segments)}
        todo: list[tuple[Section, Sentence]] = []
        for section, sentence in draft.sentences():
            if sentence.kind is SentenceKind.HUMAN or (
                    self._verbatim(sentence, segments, index)
                    and (sentence.kind is SentenceKind.QUOTE or all(
                        t.key in said_topics for t in self._topics
                        if t.matches(_QUOTED.sub(" ", sentence.text))))):
                continue  # a frame naming a high-stakes subject nobody spoke of ("said of
                # his drinking") is judged like any sentence
            todo.append((section, sentence))
        if not todo or not segments:
            return []
        scorer = self.scorer()
        prepared = self._prepare(scorer, tuple(seg.text for seg in segments))
        linked = [[index[i] for i in s.segment_ids if i in index] for _, s in todo]
        supports = scorer.score([s.text for _, s in todo], prepared, linked,
                                record=context.known_names + context.record
                                + _shown(segments))
        interpreters = interpreter_labels(context.speaker_roles)
        voices = _voices(segments, context.speaker_roles)
        flags = []
        for (section, sentence), support, turns in zip(todo, supports, linked, strict=True):
            flag = self._judge(section, sentence, support, turns, segments, said_topics,
                               interpreters, voices, context.record,
                               framed=_framed_quote(sentence, segments, index))
            if flag is not None:
                flags.append(flag)
        return flags

    def _prepare(self, scorer: SupportScorer, turns: tuple[str, ...]) -> Prepared:
        """The transcript's vectors, kept for the last few transcripts (drafts are re-checked
        after edits and regeneration)."""
        with self._lock:
            if turns in self._prepared:
                return self._prepared[turns]
        prepared = scorer.prepare(turns)
        with self._lock:
            self._prepared[turns] = prepared
            while len(self._prepared) > _KEEP_TRANSCRIPTS:
                del self._prepared[next(iter(self._prepared))]
        return prepared

    @staticmethod
    def _verbatim(sentence: Sentence, segments: list[Segment], index: dict[int, int]) -> bool:
        """A quote whose words are all in its linked turns needs no further support; so does
        a sentence that is mostly such a quote ("At the end she said, “Nobody asked me
        before.”": a few words of its own at most)."""
        quoted = _QUOTED.findall(sentence.text)
        if sentence.kind is not SentenceKind.QUOTE:
            if not quoted or len(content_stems(_QUOTED.sub(" ", sentence.text))) > _FRAME:
                return False
        quoted = quoted or [sentence.text.strip("\"“” ")]
        return _all_said(quoted, sentence, segments, index)

    def _judge(self, section: Section, sentence: Sentence, support: Support, turns: list[int],
               segments: list[Segment], said_topics: set[str],
               interpreters: frozenset[str],
               voices: frozenset[str] = frozenset(),
               record: Sequence[str] = (), *, framed: bool = False) -> Flag | None:
        text = sentence.text
        evidence = turns or list(support.best_turns)
        found: list[Topic] = [t for t in self._topics if t.matches(text)]
        reasons: list[str] = []
        unsaid = [t.label for t in found if t.key not in said_topics]
        if unsaid:
            reasons.append(f"it mentions {', '.join(unsaid)}, which nobody spoke about in the "
                           "conversation")
        # A denial said a moment before or after the linked turns ("Not an eviction thing")
        # is turned around as much as one in them.
        around = sorted({j for i in evidence for j in range(
            max(0, i - NEIGHBOURHOOD), min(len(segments), i + NEIGHBOURHOOD + 1))})
        flipped = opposite(text, " ".join(_as_answered(segments, i) for i in around),
                           _denied(segments, around))
        if flipped:
            reasons.append(f"it says the opposite of what was said about \"{flipped}\" "
                           "(a \"not\" added or lost)")
        if found and not unsaid and _asserts(text, found):
            mentions = [(c, asked and not _granted(segments, n))
                        for n, seg in enumerate(segments) for c, asked in _clauses(seg.text)
                        if any(t.matches(c) for t in found)]
            if mentions and not any(not asked and _asserts(c, found) for c, asked in mentions):
                reasons.append("it states as fact something that was only asked about, denied "
                               "or spoken of as a possibility or a worry")
        risks = [t for t in self._risks if t.matches(text)]
        person = _denied_of(text, risks, segments) if risks else None
        if person:
            reasons.append(f"it states as fact something that, asked about {person}, was "
                           "answered no")
        if not found and _undecided(text, segments):
            reasons.append("it states as decided something that was only raised as a "
                           "possibility, asked about or turned down")
        told = _uninformed(text, segments, voices)
        if told:
            reasons.append(f"it says {told} has been told, but nobody said that {told} was "
                           "told or knows")
        reporter = _unreported(text, segments, voices)
        if reporter:
            reasons.append(f"it says {reporter} reported or said this, but {reporter} did not "
                           f"speak and nobody passed on what {reporter} said")
        referral = _unreferred(text, segments)
        if referral:
            reasons.append(f"it says a referral to {referral} was made, but nobody said they "
                           f"would refer or had referred to {referral}")
        same = _identity(text, segments)
        if same:
            reasons.append(f"it says {same[0]} is {same[1]}, but nobody said the two names "
                           "together")
        settled = _unsettled(text, segments)
        if settled:
            reasons.append(f"it says this has been {settled}, but nobody said it was "
                           f"{settled}: it was only asked for, raised or left open")
        undertaken = _unagreed(text, segments)
        if undertaken:
            reasons.append(f"it says {undertaken[0]} agreed to {undertaken[1]}, but nobody "
                           f"spoke of {undertaken[0]} doing that")
        partner = _unpartnered(text, segments, record)
        if partner:
            reasons.append(f"it says {partner[0]} is {partner[1]}, but nobody said that of "
                           f"{partner[0]}")
        absent = _absent_agreement(text, segments)
        if absent:
            reasons.append(f"it says {absent} agreed, but {absent} did not speak and nobody "
                           f"said that {absent} had agreed")
        speaker = self._misattributed(text, evidence, segments, interpreters)
        if speaker:
            reasons.append(f"it says {speaker} said this, but the turns it is linked to are "
                           "someone else's")
        needed = self.high_stakes_threshold if found else self.threshold
        if _NO_CONCERNS.search(text) and not found:
            raised = [t.label for t in self._risks if t.key in _SAFEGUARDING
                      and any(t.matches(c) and not asked and not _IF.search(c)
                              for seg in segments for c, asked in _clauses(seg.text))]
            if raised:
                reasons.append(f"it says no safeguarding concern was raised, but the "
                               f"conversation spoke of {', '.join(raised[:3])}")
            framed = True  # what nobody said cannot be quoted: the conversation is the support
        if support.score < needed and not (framed and not found):
            strength = "very little" if support.score < needed - 0.15 else "too little"
            extra = "; it is about a high-stakes subject, so it needs strong support" \
                if found else ""
            if support.unmatched:
                never = (" (nothing said near it matches words such as "
                         + ", ".join(repr(w) for w in support.unmatched[:3]) + ")")
            elif support.novel:
                never = (" (words such as " + ", ".join(repr(w) for w in support.novel[:3])
                         + " were never said)")
            else:
                never = ""
            reasons.append(f"{strength} of what was said supports it{never}{extra}")
        if not reasons:
            return None
        seg_ids = tuple(segments[i].id for i in sorted(set(evidence)))
        shown = ", ".join(str(i) for i in seg_ids) or "none"
        return Flag(
            kind=FlagKind.UNSUPPORTED_CLAIM,
            severity=Severity.HIGH if found or flipped else Severity.WARNING,
            explanation=(
                "This sentence may not be what was said: " + "; ".join(reasons) + ". "
                f"Support score {support.score:.2f} of 1 (closest turns: {shown})."
            ),
            section=section.name,
            sentence_id=sentence.id,
            segment_ids=seg_ids,
            suggestion="Check it against the turns shown; remove or reword anything that was "
                       "not said.",
            checker=self.name,
        )

    @staticmethod
    def _misattributed(text: str, evidence: list[int], segments: list[Segment],
                       interpreters: frozenset[str] = frozenset()) -> str | None:
        """Who the sentence says said it, when none of its linked turns is theirs.

        An interpreter speaks for the others: "X said …" linked to an interpreter's turn is X's
        words interpreted, whoever X is (the interpreter's own name aside).
        """
        if not evidence:
            return None
        speakers = {seg.speaker for seg in segments}
        for match in _ATTRIBUTION.finditer(text):
            named = [w.split()[0] if not w.startswith("[") else w
                     for w in _SPEAKER_LIST.split(match.group(1)) if w]
            theirs = {s for s in speakers for who in named
                      if who.lower() in s.lower().split() or who == s}
            if not theirs:
                continue  # someone who did not speak (the school, a GP): nothing to compare
            if not any(segments[i].speaker in theirs
                       or (segments[i].speaker in interpreters and not theirs <= interpreters)
                       or _reports(segments[i].text, named,
                                   " ".join(seg.text for seg in segments[:i]))
                       or _told_back(segments, i, theirs)
                       for i in evidence):
                return match.group(1)
        return None


#: "No safeguarding concerns were raised", "there were no concerns about her safety": a finding
#: that nothing of the kind was said, checked against the whole conversation.
_NO_CONCERNS = re.compile(
    r"\bno (?:safeguarding|child protection|protection|safety|welfare|adult protection) "
    r"(?:concerns?|issues?|worries)\b|\bno (?:concerns?|worries) (?:were |was )?(?:raised |"
    r"identified |noted )?(?:about|for|over|regarding) (?:\w+(?:'s|’s) |his |her |their )?"
    r"(?:safety|welfare|wellbeing|well-being)\b", re.IGNORECASE)
#: "If I got hit by a bus": what might happen, not what did.
_IF = re.compile(r"\b(?:if|in case|suppose|supposing|what if)\b", re.IGNORECASE)
#: The subjects that make a safeguarding concern (high-stakes and safeguarding topic keys).
_SAFEGUARDING = frozenset({
    "self_harm", "suicide", "abuse", "violence", "threats", "injury", "punishment", "harm",
    "domestic_abuse", "police_and_missing", "financial_abuse", "theft_or_financial_abuse",
    "going_missing", "online_sexual_harm", "fear_of_a_person", "images_shared", "fgm",
    "harm_to_a_child", "sexual_harm", "weapons"})


def _all_said(quoted: Sequence[str], sentence: Sentence, segments: list[Segment],
              index: dict[int, int]) -> bool:
    """Whether every quoted piece is said word for word in the sentence's linked turns."""
    said = " ".join(segments[index[i]].text for i in sentence.segment_ids if i in index)
    return bool(said) and all(q.strip() in said for q in quoted)


def _framed_quote(sentence: Sentence, segments: list[Segment], index: dict[int, int]) -> bool:
    """Whether the sentence is a verbatim quote of its linked turns (of
    ``_FRAMED_QUOTE_WORDS`` or more words) in a frame of at most ``_TOPIC_FRAME`` content words
    besides names."""
    quoted = _QUOTED.findall(sentence.text)
    if not quoted or not _all_said(quoted, sentence, segments, index):
        return False
    if sum(len(words(q)) for q in quoted) < _FRAMED_QUOTE_WORDS:
        return False
    frame = re.sub(r"\b[A-Z][a-z]+\b", " ", _QUOTED.sub(" ", sentence.text))
    return len(content_stems(frame)) <= _TOPIC_FRAME


#: "You'd said something to her", "you told me last time": what someone said, put back to them.
_YOU_SAID = re.compile(r"\byou(?:'d|’d| had| have|'ve|’ve)?\s+(?:said|told|mentioned)\b",
                       re.IGNORECASE)


def _told_back(segments: Sequence[Segment], i: int, theirs: set[str]) -> bool:
    """Whether turn ``i`` puts to one of ``theirs`` what they said ("… because you'd said
    something to her at the clinic"): they speak in the turn just before or after it."""
    if not any(_YOU_SAID.search(part) and not part.rstrip().endswith("?")
               for part in re.split(r"(?<=[.!?])\s+", segments[i].text)):
        return False  # "Have you told the landlord?" asks; it puts nothing back
    near = [segments[j].speaker for j in (i - 1, i + 1) if 0 <= j < len(segments)]
    return any(s in theirs for s in near)


#: The start of a yes ("Yeah.", "Would you? Yeah. Please.", "Aye, go on", "That's fine").
_YES = re.compile(r"^\W*(?:(?:would|will|can|could|do|did) (?:you|i|we)\?\s*)?"
                  r"(?:yes|yeah|yep|yup|aye|ok|okay|sure|please|of course|go on|go ahead|"
                  r"that's fine|that is fine|fine|definitely)\b", re.IGNORECASE)


#: A yes that ends an answer after its condition ("If it stops them ringing, yes.").
_LAST_YES = re.compile(r"[,;]\s*(?:then\s+)?(?:yes|yeah|yep|aye|okay|ok|please)\W*$", re.IGNORECASE)


def _answers_yes(answer: str) -> bool:
    """Whether an answer says yes: at its start, or at its end after a condition."""
    answer = answer.replace("’", "'")
    return _YES.match(answer) is not None or (
        _LAST_YES.search(answer) is not None and not _says_no(answer))


def _as_answered(segments: Sequence[Segment], i: int) -> str:
    """A turn's text for the negation rule; a question the next speaker answers yes to is
    said as agreed ("… and you want to come back?" / "Would you? Yeah. Please."), so that
    its words count as affirmed, as the answer affirms them."""
    text = segments[i].text
    if ("?" in text and i + 1 < len(segments) and segments[i + 1].speaker != segments[i].speaker
            and _answers_yes(segments[i + 1].text)):
        return text.replace("?", ".")
    return text


#: The start of a no ("No.", "Nope, not yet", "Never has"), or a can't or won't that stands
#: for the whole answer ("It says ring the line. How would that be?" / "I can't. On the phone
#: it's worse."): what was put to the speaker is turned down.
_NO = re.compile(r"^\W*(?:no|nope|nah|naw|not yet|never|none|not really|not as such|"
                 r"(?:i|we|he|she|they)\s+(?:can't|cannot|can not|couldn't|won't|wouldn't|"
                 r"don't|didn't)\s*(?:[.!\u2013\u2014]|$))(?![\w'])",
                 re.IGNORECASE)


def _says_no(text: str) -> bool:
    """Whether an answer starts with a no (read without a stammer's repeated starts)."""
    return _NO.match(fluent(text.replace("’", "'"))) is not None


def _granted(segments: Sequence[Segment], n: int) -> bool:
    """Whether the question of turn ``n`` is answered yes by the next speaker ("Did he take
    the card?" / "Yeah, Tuesday."): then it was said, as the answer says it. An answer that
    doubts or goes quiet on it ("I don't know. He was close, that's all") grants nothing."""
    if n + 1 >= len(segments) or segments[n + 1].speaker == segments[n].speaker:
        return False
    answer = segments[n + 1].text.replace("’", "'")
    return _answers_yes(answer) or _picks_up(answer)


#: Words an answer picks a question up with ("Do you know your PIN, or does he?" / "He knows
#: it."; "Has she got the keys?" / "She has.").
_PRO_FORMS = frozenset("it that them one does did has had is was do have".split())
#: An answer picks the question up when it speaks of the one asked about ("He knows it."),
#: not of the speaker or the listener ("I asked her that") or in a set phrase ("That's it").
_NOT_THIRD = frozenset("i i'm i've i'll i'd you you're you've we we're we've that's like "
                       "course just".split())
#: Verbs of an answer that tell of asking, knowing or feeling, not of what was asked.
_NOT_PICKING = frozenset("asked ask asks knew think thought love loves loved lost read find "
                         "went wonder".split())
#: Words of an answer short enough to stand for the question it answers.
_SHORT_ANSWER = 6


def _picks_up(answer: str) -> bool:
    """Whether the first sentence of an answer affirms the question by picking it up in a
    short statement with a pronoun or an auxiliary ("He knows it.", "She does."), not denying,
    doubting or asking."""
    first = re.split(r"(?<=[.!?])\s+", answer.strip(), maxsplit=1)[0]
    found = words(first)
    if not found or found[0] in _NOT_THIRD or any(w in _NOT_PICKING for w in found):
        return False  # "I asked her that", "I knew you'd ask that": about the speaker
    return (len(found) <= _SHORT_ANSWER and not first.rstrip().endswith("?")
            and found[-1] in _PRO_FORMS and not _says_no(first) and not hedged(first)
            and not any(w in NEGATIONS or w.endswith("n't") or w in _WEAK for w in found))


def _denied(segments: Sequence[Segment], around: Sequence[int]) -> frozenset[str]:
    """Content stems of the questions among ``around`` that the next speaker answers no to
    ("… should lead a professionals' meeting. Has that happened?" / "No."): what the answer
    denies, so that a sentence saying it did not happen says what was said."""
    out: set[str] = set()
    for i in around:
        text = segments[i].text
        if ("?" in text and i + 1 < len(segments)
                and segments[i + 1].speaker != segments[i].speaker
                and _says_no(segments[i + 1].text)):
            out.update(content_stems(text))
    return frozenset(out)


_REPORTING = (r"(?:said|says|saying|told|tells|telling|asked|asks|mentioned|reckons|"
              r"quoting|kept saying|would say)")


def _reports(text: str, named: Sequence[str], before: str = "") -> bool:
    """Whether a turn passes on what one of the ``named`` said ("Reece says it's a mate's",
    "Riley said something to his teacher … He told her the door got broken"): a teacher,
    carer or worker reporting a child's words is where "Riley told his teacher …" comes from.
    "He" or "she" counts only when the person was named earlier in the conversation (or in
    the turn): the turns of an interpreter are first-person words of someone else."""
    names = [re.escape(n) if n.startswith("[") else rf"\b{re.escape(n)}\b" for n in named]
    if not names:
        return False
    name = "|".join(names)
    tail = rf"(?:\s+[\w'’]+){{0,2}}?\s+{_REPORTING}\b"
    if re.search(rf"(?:{name}){tail}", text, re.IGNORECASE):
        return True
    mentioned = re.search(name, f"{before} {text}", re.IGNORECASE) is not None
    return mentioned and re.search(rf"\b(?:he|she|they){tail}", text, re.IGNORECASE) is not None


_CAP = r"[A-Z][a-z]+(?:['’-][A-Za-z]+)?"
#: "Jonno is Jonathan Pell", "Dee is also known as Denise Carr": two names said to be one
#: person.
_IDENTITY = re.compile(rf"\b({_CAP}) (?:is|was|is actually|is really|is also|is the same "
                       rf"(?:person|man|woman) as|is also known as|is also called) "
                       rf"({_CAP} {_CAP})\b")


def _identity(text: str, segments: Sequence[Segment]) -> tuple[str, str] | None:
    """Two names the sentence makes one person, when no statement of the conversation says
    both (a clause that names them together and does not ask, doubt or plan to find out: "I'll
    try and find out who Jonno is" does not say who he is)."""
    for match in _IDENTITY.finditer(text):
        one, other = match.group(1), match.group(2)
        if not is_content(one.lower()):
            continue  # "This is …", "Mum is …": not a name
        first = other.split()[0]
        together = [part for seg in segments for clause, asked in _clauses(seg.text)
                    if not asked for part in _JOINED.split(clause)
                    if re.search(rf"\b{re.escape(one)}\b", part)
                    and re.search(rf"\b{re.escape(first)}\b", part)]
        if not any(not hedged(c) and not _PLANNED.search(c) for c in together):
            return one, other
    return None


#: Where a sentence joins two statements ("…, and I'll try and find out …").
_JOINED = re.compile(r",\s+(?:and|but)\s+|\s+and\s+(?=I\b|I'll|we\b)")
#: Words of a clause that plans or asks rather than reports ("I'll ask Stacey to agree").
_PLANNED = re.compile(r"\b(?:will|'ll|’ll|going to|gonna|ask|asking|find out|check|whether|if)\b",
                      re.IGNORECASE)
_AGREED = re.compile(rf"\b(?:(?:Mr|Mrs|Ms|Miss|Dr|DC|PC)\.?\s+)?({_CAP})(?:\s+[A-Z][a-z]+)? "
                     r"(?:has |had |have )?(?:agreed|consented|accepted|given (?:her|his|their) "
                     r"consent|signed up)\b")
#: Words that name a group, not a person ("Everyone agreed to the call being recorded").
_EVERYONE = frozenset({"everyone", "everybody", "all", "both", "each", "nobody", "someone",
                       "somebody", "they", "we", "none"})
_AGREE_WORDS = re.compile(r"\b(?:agree[sd]?|agreeing|agreement|consent\w*|accept\w*|said yes|"
                          r"happy (?:with|for|to)|okay with|ok with|fine with|signed)\b",
                          re.IGNORECASE)


def _absent_agreement(text: str, segments: Sequence[Segment]) -> str | None:
    """A person the sentence says agreed who did not speak, when no statement of the
    conversation reports their agreement (one that names them with a word of agreeing and
    does not plan or ask: "I'll ask Stacey to agree when we see her" is not her agreement).
    Someone who spoke is left to the rule of who said what."""
    speakers = set(re.findall(r"\w+", " ".join(seg.speaker for seg in segments).lower()))
    for match in _AGREED.finditer(text):
        who = match.group(1)
        parts = re.findall(r"\w+", who.lower())
        if not is_content(who.lower()) or who.lower() in _EVERYONE or set(parts) <= speakers:
            continue
        reported = [c for seg in segments for c, asked in _clauses(seg.text)
                    if not asked and re.search(rf"\b{re.escape(who)}\b", c)
                    and _AGREE_WORDS.search(c) and not _PLANNED.search(c) and not hedged(c)]
        if not reported:
            return who
    return None


#: Words of a sentence that looks into something rather than states it ("complete the
#: exploitation screening tool", "assess whether").
_INQUIRY = frozenset({"screening", "screen", "assess", "assessment", "explore", "investigate",
                      "investigation", "whether", "check", "checks"})
_CLAUSE = re.compile(r"([^.!?;]+)([.!?;]*)")


@functools.lru_cache(maxsize=8192)
def _clauses(text: str) -> tuple[tuple[str, bool], ...]:
    """The text's clauses, each with whether it asks (kept: every drafted sentence's checks
    read the clauses of every turn)."""
    return tuple((m.group(1).strip(), "?" in m.group(2)) for m in _CLAUSE.finditer(text)
                 if m.group(1).strip())


def _asserts(text: str, found: Sequence[Topic]) -> bool:
    """Whether ``text`` states a topic of ``found`` as fact: not hedged, not an inquiry, and
    with no negation before the words that name it ("Not an eviction thing"); a negation
    that is part of those words ("don't want to wake up") is the topic itself."""
    if any(w in _INQUIRY for w in words(text)):
        return False
    text = fluent(text)  # "the c-credit card": read as the words meant
    # "Abel threatened her": a threat is a hedge word for what it threatens, not for itself.
    plain = text
    for topic in found:
        for pattern in topic.patterns:
            plain = pattern.sub(" ", plain)
    if hedged(plain):
        return False
    for topic in found:
        for pattern in topic.patterns:
            match = pattern.search(text)
            if match and not any(w in NEGATIONS or w.endswith("n't")
                                 for w in words(text[:match.start()])):
                return True
    return False


def interpreter_labels(speaker_roles: Mapping[str, str]) -> frozenset[str]:
    """The speaker labels whose role in the case is an interpreter."""
    return frozenset(label for label, role in speaker_roles.items()
                     if "interpret" in role.lower())


#: Words that only weaken a plan ("may", "could", "if"): a sentence with one does not state
#: it as decided, and a turn's clause with one only raises it.
_WEAK = frozenset("""
might may maybe perhaps possibly possible could unsure wonder wondered if whether probably
likely suspect suspected option options consider considering
""".split())


def _denied_of(text: str, found: Sequence[Topic], segments: Sequence[Segment]) -> str | None:
    """The person a sentence begins with and states a topic of ``found`` of ("Amy has been
    hit"), when a short question of the conversation asked just that of them and was answered
    no ("And Amy hasn't been hit?" / "No. Never.") and no statement says it of them."""
    first = re.match(r"\W*([A-Z][a-z]+(?:['’-][A-Za-z]+)?)\b", text)
    if first is None or not is_content(first.group(1).lower()):
        return None
    name = first.group(1)
    if not _of(name, text, found) or not _asserts(text, found):
        return None
    asked_no = any(
        "?" in seg.text and n + 1 < len(segments) and segments[n + 1].speaker != seg.speaker
        and _says_no(segments[n + 1].text)
        and any(q.strip().endswith("?") and len(words(q)) <= _SHORT_QUESTION and _of(name, q, found)
                for q in re.findall(r"[^.!?]+[.!?]*", seg.text))
        for n, seg in enumerate(segments))
    if not asked_no:
        return None
    stated = any(not asked and _of(name, c, found) and _asserts(c, found)
                 for seg in segments for c, asked in _clauses(seg.text))
    return None if stated else name


#: Words of a question that asks one thing of one person ("And Amy hasn't been hit?").
_SHORT_QUESTION = 12
#: Words between a person's name and what is said of them ("Amy has not been hit").
_OF_WORDS = 4


def _of(name: str, text: str, found: Sequence[Topic]) -> bool:
    """Whether ``text`` says a topic of ``found`` of ``name``: the topic's words within a few
    words after the name."""
    for match in re.finditer(rf"\b{re.escape(name)}\b", text):
        after = text[match.end():]
        for topic in found:
            for pattern in topic.patterns:
                hit = pattern.search(after)
                if hit and len(words(after[:hit.start()])) <= _OF_WORDS:
                    return True
    return False


#: Family members by the words people call them ("Mam", "Nana", "Da"): "her mother has been
#: told" is said as "I've told her mam".
_RELATIVES: dict[str, frozenset[str]] = {
    group: frozenset(said.split()) for group, said in {
        "father": "father fathers dad dads daddy da pa papa dada faither stepdad stepfather",
        "mother": "mother mothers mum mums mam mams mummy mammy mammi ma mom mommy mither maw "
                  "stepmum stepmother",
        "grandmother": "grandmother grandmothers gran granny grandma grandmum nan nana nanna "
                       "nannan nain grandparents",
        "grandfather": "grandfather grandfathers grandad granddad grandpa granda grampa gramps "
                       "grandda taid grandparents",
        "brother": "brother brothers bro brother's stepbrother siblings",
        "sister": "sister sisters sis stepsister siblings",
        "uncle": "uncle uncles",
        "aunt": "aunt aunts auntie aunty aunties",
        "husband": "husband husbands hubby partner",
        "wife": "wife wives missus partner",
        "boyfriend": "boyfriend boyfriends fella partner",
        "girlfriend": "girlfriend girlfriends partner",
        "cousin": "cousin cousins",
        "niece": "niece nieces",
        "nephew": "nephew nephews",
        "son": "son sons boy lad",
        "daughter": "daughter daughters girl lass",
    }.items()}
_RELATIVE_OF = {w: group for group, said in _RELATIVES.items() for w in said
                if w == group or w == group + "s" or w in ("dad", "mum", "mam", "daddy",
                                                           "mummy", "mammy", "gran", "nan",
                                                           "nana", "grandad", "grandma",
                                                           "auntie", "aunty")}


_INFORMED = re.compile(
    r"\b((?:[A-Z][\w'’-]*|[a-z]+['’]s|the|his|her|their)\s+)?([A-Za-z][\w-]*)\s+(?:has|have|had)"
    r"\s+(?:already\s+)?been\s+(?:informed|told|notified|made aware|updated)\b")
_TELLING = re.compile(r"\b(?:told|tell|tells|telling|informed|inform|knows?|knew|rang|phoned|"
                      r"called|spoke|spoken|aware|emailed|wrote|contacted|let \w+ know|"
                      r"updated)\b", re.IGNORECASE)


def _uninformed(text: str, segments: Sequence[Segment],
                voices: frozenset[str] = frozenset()) -> str | None:
    """Someone the sentence says has been told ("Her mother has been informed"), when no
    statement of the conversation says they were told or know (one naming them, with a word
    of telling, that does not ask, deny, plan or doubt: "Does your mam know?" / "Divvent tell
    her" / "I won't contact your mam" are not her being told)."""
    for match in _INFORMED.finditer(text):
        who = match.group(2)
        head = who.lower()
        if not is_content(head) and head not in _RELATIVE_OF:
            continue
        if head in _EVERYONE or head in voices or head in ("this", "that", "it", "he", "she",
                                                            "they"):
            continue
        variants = _RELATIVES.get(_RELATIVE_OF.get(head, ""), frozenset({head}))
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(v) for v in variants) + r")\b",
                             re.IGNORECASE)
        told = [c for seg in segments for c, asked in _clauses(seg.text)
                if not asked and pattern.search(c) and _TELLING.search(c)
                and not _PLANNED.search(c) and not hedged(c)
                and not any(w in NEGATIONS or w.endswith("n't") for w in words(c))]
        if not told:
            whose = (match.group(1) or "").strip()
            return f"{whose} {who}".strip() if whose[:1].isupper() or whose.endswith(("'s", "’s")) \
                else who
    return None


_GROUP_REPORT = re.compile(
    r"\b(?:[Tt]he|[Aa]n?)\s+((?:[a-z][\w'’-]*\s+){0,2}?([a-z][\w'’-]*))\s+(?:has\s+|have\s+|had\s+)?"
    r"(?:reported|said|told|stated|confirmed)\b(?!\s+by\b)")
_PASSED_ON = re.compile(r"\b(?:said|says|say|saying|told|tells|telling|reported|reports|raised|"
                        r"rang|phoned|called|emailed|wrote|written|mentioned|shared|passed|"
                        r"flagged|referred|contacted|letter|report|concerns?|worried|"
                        r"according)\b", re.IGNORECASE)


#: A word before "the …" that makes it a time or a place, not the one who said something.
_PREPOSITION_BEFORE = re.compile(r"\b(?:at|in|on|by|to|from|after|before|towards|near|for|of|"
                                 r"with|during|until|till|into|over)\s*$", re.IGNORECASE)


def _voices(segments: Sequence[Segment], speaker_roles: Mapping[str, str]) -> frozenset[str]:
    """Words naming those who spoke: their labels and, where known, their roles."""
    spoke = {seg.speaker for seg in segments}
    out = {w for label in spoke for w in re.split(r"[\s_'’-]+", label.lower()) if w}
    out |= {w for label, role in speaker_roles.items() if label in spoke
            for w in re.split(r"[\s_'’-]+", role.lower()) if w}
    return frozenset(out)


def _unreported(text: str, segments: Sequence[Segment], voices: frozenset[str]) -> str | None:
    """A service or person (not one who spoke) that the sentence says reported or said
    something ("The school nurse reported …", "The academy said …"), when no turn passes on
    anything from them (one naming them with a word of telling, that does not ask or plan:
    "Owen's given me information from the academy, which I'll record separately" keeps it out
    of the conversation)."""
    if not voices:
        return None
    for match in _GROUP_REPORT.finditer(text):
        if _PREPOSITION_BEFORE.search(text[:match.start()]):
            continue  # "and at the end said: …": a time, not who said it
        head = match.group(2).lower()
        if not is_content(head) or head in voices or head in _EVERYONE \
                or head in _RELATIVE_OF or stem(head) in {stem(v) for v in voices}:
            continue
        named = re.compile(rf"\b{re.escape(head)}", re.IGNORECASE)
        passed = [c for seg in segments for c, asked in _clauses(seg.text)
                  if not asked and named.search(c) and _PASSED_ON.search(c)
                  and not _PLANNED.search(c)]
        if not passed:
            return f"the {match.group(1).lower()}"
    return None


_REFERRED = re.compile(r"\b(?:referred|referral was made|referral has been made)\b"
                       r"(?:\s+[\w'’-]+){0,3}?\s+to\s+"
                       r"(?:the\s+|a\s+|an\s+|her\s+|his\s+|their\s+|your\s+)?([\w'’-]+)",
                       re.IGNORECASE)


#: What a referral said in the conversation is to: the words after "refer" up to the end of
#: its clause ("I'll refer you to the women's project, and you can decide about the GP").
_REFERS_TO = re.compile(r"\b(?:refer(?:red|ral|rals|s|ring)?|contact(?:ed|ing)?|ring|rang|phone|"
                        r"phoned|call|called|email|emailed|write to|wrote to|pass \w+ details to|"
                        r"put \w+ in touch with)\b([^,;.]*?)(?=,|;|\.|\band\b|$)",
                        re.IGNORECASE)


_NAMES = re.compile(r"\b[A-Z][a-z]+\b")


def _unreferred(text: str, segments: Sequence[Segment]) -> str | None:
    """Where the sentence says someone was referred ("referred her to her GP"), when no
    statement of the conversation refers or contacts, or says it will, there ("I'll refer you
    to the women's project, and you can decide about the GP later" refers to the project
    only); a question answered yes counts ("Shall I contact the surgery?" / "Yes")."""
    for match in _REFERRED.finditer(text):
        target = match.group(1)
        if not is_content(target.lower()):
            continue
        key = stem(target.lower())
        # Who referred ("Ashgrove Surgery has referred him", "referred … by his GP, Dr
        # Shah"): a referral someone else made is said as theirs ("It says the surgery
        # referred you", "Dr Shah referred you to us").
        by = re.search(r"\bby\s+(?:the\s+|his\s+|her\s+|their\s+)?(.*)", text[match.end():])
        passive = re.search(r"\b(?:was|were|been|being|is|are)\s+$", text[:match.start()])
        named = (by.group(1) if by else "") if passive else text[:match.start()]
        referrers = {stem(w.lower()) for w in _NAMES.findall(named)
                     if is_content(w.lower()) and w != target} \
            | ({stem(w) for w in words(by.group(1))[:1]} if by else set())
        said = any(key in {stem(w) for w in words(after.group(1))}
                   and not hedged(clause[:after.end()])
                   for n, seg in enumerate(segments) for clause, asked in _clauses(seg.text)
                   if not asked or _granted(segments, n)
                   for after in _REFERS_TO.finditer(clause))
        said = said or bool(referrers) and any(
            _REFERS_TO.search(clause) and referrers & {stem(w) for w in words(clause)}
            for seg in segments for clause, _ in _clauses(seg.text))
        said = said or any(re.search(rf"\b{re.escape(target)}\s+referral", seg.text, re.I)
                           for seg in segments)
        if not said:
            return target
    return None


#: Words of a turn that keep a plan open ("I don't want to promise", "I'll find out").
_OPEN = re.compile(r"\b(?:promise|find out|not sure|see if|check (?:if|whether)|ask (?:if|whether)|"
                   r"depends|hopefully|hope)\b", re.IGNORECASE)
#: "If you're happy", "if that's okay": asking consent, which leaves a plan as it is.
_POLITE_IF = re.compile(r"\bif (?:you're|you are|that's|that is|it's|it is|you)\s+(?:all\s+)?"
                        r"(?:happy|okay|ok|alright|all right|fine|agree|want|like|don't mind)\b",
                        re.IGNORECASE)
#: "What will happen", "whether she will": "will" inside a question the sentence reports.
_ASKS_WHAT = re.compile(r"\b(?:what|how|when|where|whether|who|which)\b[^.;]*\bwill\b",
                        re.IGNORECASE)
#: Where a reason or a second statement starts ("…, because you didn't get the message").
_REASON = re.compile(r",\s*(?:because|cos|'cause|as|but|and|so)\b", re.IGNORECASE)
#: Share of a sentence's content words a turn's clause must have to be about the same plan.
_SAME_PLAN = 0.5


def _undecided(text: str, segments: Sequence[Segment]) -> bool:
    """Whether ``text`` says something will happen ("The service will pay for the course")
    when every clause of the conversation about it (sharing at least half its content words,
    and two) only raised it, asked about it without a yes, kept it open or turned it down
    ("there might be something … I don't want to promise, but I'll find out")."""
    text = _POLITE_IF.sub(" ", text)
    if _ASKS_WHAT.search(text):
        return False  # "wants to know what will happen": a question, not a plan
    found = words(text)
    if not any(w in ("will", "shall") or w.endswith("'ll") for w in found) \
            or any(w in _WEAK or w in _INQUIRY or w in NEGATIONS or w.endswith("n't")
                   for w in found):
        return False
    mine = set(content_stems(text))
    if len(mine) < 2:
        return False
    about = []
    for n, seg in enumerate(segments):
        parts = [(part, asked) for whole, asked in _clauses(seg.text)
                 for part in _REASON.split(whole)]
        for clause, asked in parts:
            shared = mine & set(content_stems(clause))
            if len(shared) >= 2 and len(shared) >= _SAME_PLAN * len(mine):
                if (asked or seg.text.rstrip().endswith("?")) and _granted(segments, n):
                    return False  # "… a call blocker. Would you like me to look into that?"
                    # / "…, yes.": the proposal was taken up
                about.append((clause, asked, seg.text))
    if not about:
        return False
    return all(asked or any(w in _WEAK or w in NEGATIONS or w.endswith("n't")
                            for w in words(_POLITE_IF.sub(" ", clause)))
               or _OPEN.search(turn) is not None
               for clause, asked, turn in about)


#: "has been agreed", "have been arranged": a decision stated as made (and still standing;
#: "the visit was agreed by phone" tells how something came about).
_SETTLED = re.compile(r"\b(?:has|have|had)\s+(?:now\s+|already\s+|also\s+)?"
                      r"been\s+(agreed|arranged|approved|confirmed|booked|organi[sz]ed|"
                      r"put in place|set up|sorted|granted|secured)\b", re.IGNORECASE)
#: Words of a clause that make or report a decision ("I've booked it", "that's agreed").
_DECIDING = re.compile(r"\b(?:agree\w*|arrang\w*|approv\w*|confirm\w*|book\w*|organi[sz]\w*|"
                       r"sort\w*|set up|in place|grant\w*|secur\w*|decided|decision|yes|"
                       r"go ahead|that's fine|done)\b", re.IGNORECASE)
#: Words of a clause that only ask for something ("I'll ask for more nights").
_ASKING_FOR = re.compile(r"\b(?:ask|asks|asking|request\w*|apply|applying|application|panel|"
                         r"would like|'d like|wants?|wanted|hope|hoping)\b", re.IGNORECASE)


def _unsettled(text: str, segments: Sequence[Segment]) -> str | None:
    """What the sentence says has been decided ("Two weekends have been agreed", "Support at
    home has been arranged"), when every clause of the conversation about it (sharing its
    content words) only asked for it, raised it, doubted it or kept it open, and none agreed,
    arranged or confirmed it (a question answered yes does)."""
    # "with what was agreed", "as arranged": a reference to a decision, not the statement of one
    match = next((m for m in _SETTLED.finditer(text)
                  if not re.search(r"\b(?:what|whatever|which|anything|everything|as|all)\s+$",
                                   text[:m.start()], re.IGNORECASE)), None)
    if match is None or "?" in text:
        return None
    if any(w in _WEAK or w in _INQUIRY or w in NEGATIONS or w.endswith("n't")
           for w in words(text)):
        return None
    mine = set(content_stems(_SETTLED.sub(" ", text))) - {stem(w) for w in _NAMES.findall(text)}
    if not mine:
        return None
    need = max(1, (len(mine) + 1) // 2)
    about = []
    for n, seg in enumerate(segments):
        for whole, asked in _clauses(seg.text):
            for clause in _REASON.split(whole):
                if len(mine & set(content_stems(clause))) >= need:
                    about.append((clause, asked and not _granted(segments, n), seg.text))
    if not about:
        return None
    decided = [clause for clause, asked, turn in about
               if not asked and _DECIDING.search(clause) and not _ASKING_FOR.search(clause)
               and not _OPEN.search(turn)
               and not any(w in _WEAK or w in NEGATIONS or w.endswith("n't")
                           for w in words(_MONTH_MAY.sub(" ", _POLITE_IF.sub(" ", clause))))]
    return None if decided else match.group(1).lower()


#: "from May", "in May": the month, not a "may" that weakens.
_MONTH_MAY = re.compile(r"(?<=[a-z] )May\b")


#: "Gemma agreed to leave him", "He has agreed to attend": a person and what they agreed to do.
_AGREED_TO = re.compile(rf"\b({_CAP})(?:\s+[A-Z][a-z]+)? (?:has |had |have )?(?:also )?"
                        r"agreed to ([a-z]+)\b([^.;:]*)")
_NOT_VERBS = frozenset("a an the this that these those her his their my your our its it "
                       "them him me us all both".split())
_PRONOUNS = frozenset({"him", "her", "them", "it"})


def _unagreed(text: str, segments: Sequence[Segment]) -> tuple[str, str] | None:
    """A person and what the sentence says they agreed to do ("Gemma agreed to leave him"),
    when no statement of the conversation speaks of that doing (its verb with what it is done
    to, or a pronoun for it), or a question about it answered yes: an agreement to a step
    nobody mentioned is the writer's."""
    for match in _AGREED_TO.finditer(text):
        who, verb = match.group(1), match.group(2)
        if not is_content(who.lower()) or who.lower() in _EVERYONE or verb in _NOT_VERBS \
                or not is_content(verb):
            continue
        rest = re.split(r",|\band\b|\bbut\b|\bbecause\b", match.group(3))[0]
        objects = set(content_stems(rest))
        key = stem(verb)
        spoken = False
        for n, seg in enumerate(segments):
            for clause, asked in _clauses(seg.text):
                if asked and not _granted(segments, n):
                    continue
                found = words(clause)
                stems = {stem(w) for w in found}
                if key not in stems or any(w in NEGATIONS or w.endswith("n't") for w in found):
                    continue
                if not objects or objects & stems or _PRONOUNS & set(found):
                    spoken = True
                    break
            if spoken:
                break
        if not spoken:
            return who, f"{verb}{rest}".strip()
    return None


#: "Artem is her boyfriend", "Dean is Gemma's partner": a relationship between two people.
_PARTNERED = re.compile(rf"\b({_CAP}) (?:is|was|has been|had been|became|is now) "
                        rf"(?:(?:her|his|their|{_CAP}['’]s) )?(?:new |older |current |ex-?)?"
                        r"(boyfriend|girlfriend|partner|husband|wife|fianc[ée]e?|lover)\b")
_PARTNER_WORDS = {"boyfriend": "boyfriend boyfriends fella partner bf",
                  "girlfriend": "girlfriend girlfriends partner gf",
                  "partner": "partner partners boyfriend girlfriend husband wife fella",
                  "husband": "husband hubby partner", "wife": "wife missus partner",
                  "fiance": "fiance fiancé fiancee fiancée", "lover": "lover partner"}


def _unpartnered(text: str, segments: Sequence[Segment],
                 record: Sequence[str] = ()) -> tuple[str, str] | None:
    """A person the sentence says is someone's partner ("Artem is her boyfriend"), when no
    statement of the conversation names them with a word for it that it does not deny ("I am
    not his girlfriend" denies it), and the case record gives no such role: whether a child
    is in a relationship with an adult is not the writer's to infer."""
    for match in _PARTNERED.finditer(text):
        who, kind = match.group(1), match.group(2).lower()
        if not is_content(who.lower()):
            continue
        key = "fiance" if kind.startswith("fianc") else kind
        variants = frozenset(_PARTNER_WORDS[key].split())
        if any(v in words(role) for role in record for v in variants):
            continue
        said = any(re.search(rf"\b{re.escape(who)}\b", clause)
                   and variants & set(words(clause))
                   and not any(w in NEGATIONS or w.endswith("n't") for w in words(clause))
                   for seg in segments for clause, asked in _clauses(seg.text) if not asked)
        if not said:
            return who, match.group(0)[len(who):].strip().split(" ", 1)[1]
    return None
