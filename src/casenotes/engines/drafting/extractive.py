"""The extractive drafter: arranges transcript sentences into a template's sections.

It uses no language model and cannot invent: every drafted sentence is a span of one transcript
segment, copied exactly, with at most a short attribution prefix ("[PERSON_2] said: ").
Placement follows the template's keywords, speaker roles and positions; the person's own words
go, verbatim and marked as quotes, into the voice section.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from casenotes.domain.draft import Draft, Evidence, Section, Sentence, SentenceKind
from casenotes.domain.template import Template, TemplateSection
from casenotes.domain.transcript import Segment, Transcript
from casenotes.pipeline.draft import DraftContext
from casenotes.pipeline.embed import Embedder

PRACTITIONER, PERSON, CHILD, INTERPRETER = "practitioner", "person", "child", "interpreter"
#: What a matching observation tag counts for, in keyword hits: more than any keyword score.
_TAG_WEIGHT = 3
_PRACTITIONER_HINTS = (
    "social_worker", "adviser", "manager", "chair", "practitioner", "worker", "professional",
    "visitor", "nurse", "teacher", "police", "officer", "doctor", "therapist", "mentor",
)
_END = re.compile(r"[.!?…]+[\"”’')]*(?=\s|$)")
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "e.g", "i.e", "etc", "approx"})
_WORD = re.compile(r"\[[A-Z_]+_\d+\]|[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
_SPELT = re.compile(r"\b(?:[A-Za-z]-){2,}[A-Za-z]\b")
_FIRST_PERSON = re.compile(  # with common Scots forms (ah, ma)
    r"(?<![\w'])(i|i'm|i've|i'll|i'd|me|my|we|we're|us|our|ah|ah'm|ah've|ah'll|ah'd|ma)(?![\w'])"
)
_REQUEST = re.compile(
    r"\b(can|could|would|will) you (please )?(ring|phone|call|send|email|"
    r"get|let|bring|book|make|keep|take|speak|talk|ask|write|sign|fill|sort|check|clear|clean|"
    r"pop|drop|come|go|find|look|contact|text)\b"
)
# "she said, “I like it here.”", "he told me: "Alfie arm sore."": the quoted words.
_REPORTED = re.compile(
    r"\b(?:said|says|say|told (?:me|us|her|him|them)|went|and then)\b[^“\"]{0,40}?[,:]?\s*"
    r"[“\"](?P<words>[^”\"]{3,300})[”\"]"
)
_LEADING_FILLER = re.compile(
    r"^(?:(?i:aye|yeah|yes|yep|no|nah|okay|ok|erm|um|well|right|so|and|oh|honestly)"
    r"[,.!]?\s+)+(?=[A-Z\[])"
)
_FILLER = frozenset(
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


@dataclass(frozen=True)
class Unit:
    """A candidate span of one segment: one sentence, or a run of them for a quote."""

    segment: Segment
    index: int  # position of the segment in the transcript
    start: int
    end: int
    role: str  # the speaker's role as given ("parent"), or "" when unknown
    group: str  # practitioner, person, child or interpreter
    reported: bool = False  # someone else's words the speaker repeated ("she said, “…”")

    @property
    def text(self) -> str:
        return self.segment.text[self.start:self.end]

    @property
    def norm(self) -> str:
        return self.text.lower().replace("’", "'")

    @property
    def words(self) -> list[str]:
        return [w.lower().replace("’", "'") for w in _WORD.findall(self.text)]

    @property
    def question(self) -> bool:
        return self.text.rstrip("\"”’') ").endswith("?")

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.segment.id, self.start, self.end)


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


@functools.lru_cache(maxsize=1024)
def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    """A keyword, phrase or ``stem*`` as a case-insensitive whole-word pattern."""
    word = keyword.lower().replace("’", "'").strip()
    stem = word.endswith("*")
    body = re.escape(word.rstrip("*")).replace(r"\ ", r"\s+")
    tail = r"[\w']*" if stem else ""
    return re.compile(rf"(?<![\w']){body}{tail}(?![\w'])")


class ExtractiveDrafter:
    """Selects and arranges transcript sentences; every sentence carries its exact evidence."""

    name = "extractive"
    version = "1.1"

    def __init__(self, embedder: Embedder | None = None, threshold: float = 0.35) -> None:
        """``embedder`` (e.g. MiniLM) also places salient sentences no keyword claims, into the
        section whose guidance they are most similar to (cosine >= ``threshold``)."""
        self._embedder = embedder
        self._threshold = threshold

    def draft(self, transcript: Transcript, template: Template, context: DraftContext) -> Draft:
        groups = _speaker_groups(transcript, context)
        main = _main_practitioner(transcript, groups)
        units = _units(transcript, context, groups)
        used: set[tuple[int, int, int]] = set()
        chosen: dict[str, list[tuple[Unit, SentenceKind]]] = {}
        for ts in template.sections:  # the voice first: the person's words are kept whole
            if ts.voice and not ts.reserved:
                quotes = _quotes(transcript, context, groups, template, ts)
                chosen[ts.name] = [(u, SentenceKind.QUOTE) for u in quotes]
                used.update(_covered(units, quotes))
        placed = _place(units, template, used, len(transcript.segments), context.tags)
        if self._embedder is not None:
            _place_by_meaning(units, template, used, placed, self._embedder, self._threshold)
        sections: list[Section] = []
        counter = 0
        for ts in template.sections:
            if ts.reserved:
                sections.append(Section(name=ts.name, reserved=True))
                continue
            if ts.attendees:
                items = _attendees(transcript, context, ts)
            else:
                picked = chosen[ts.name] if ts.voice else [
                    (u, SentenceKind.SUMMARY) for u in placed[ts.name]
                ]
                items = [(_render(u, kind, main), u, kind) for u, kind in picked]
            sentences: list[Sentence] = []
            for text, unit, kind in items:
                counter += 1
                evidence = Evidence(unit.segment.id, unit.start, unit.end)
                sentences.append(Sentence(f"s{counter}", text, kind, (evidence,)))
            sections.append(Section(name=ts.name, sentences=tuple(sentences)))
        return Draft(
            template=template.name,
            sections=tuple(sections),
            engine=self.name,
            engine_version=self.version,
        )


def _speaker_groups(transcript: Transcript, context: DraftContext) -> dict[str, str]:
    roles = context.speaker_roles
    groups: dict[str, str] = {}
    for i, speaker in enumerate(transcript.speakers):
        role = roles.get(speaker, "").lower()
        if not roles:
            groups[speaker] = PRACTITIONER if i == 0 else PERSON
        elif "interpret" in role:
            groups[speaker] = INTERPRETER
        elif role in ("child", "young_person", "baby"):
            groups[speaker] = CHILD
        elif any(hint in role for hint in _PRACTITIONER_HINTS):
            groups[speaker] = PRACTITIONER
        else:
            groups[speaker] = PERSON
    return groups


def _main_practitioner(transcript: Transcript, groups: dict[str, str]) -> str | None:
    words: dict[str, int] = {}
    for seg in transcript.segments:
        if groups.get(seg.speaker) == PRACTITIONER:
            words[seg.speaker] = words.get(seg.speaker, 0) + len(seg.text.split())
    return max(words, key=lambda s: words[s]) if words else None


def _unit(seg: Segment, index: int, start: int, end: int, ctx: DraftContext, group: str) -> Unit:
    match = _LEADING_FILLER.match(seg.text[start:end])
    if match and match.end() < end - start:
        start += match.end()
    return Unit(seg, index, start, end, ctx.speaker_roles.get(seg.speaker, "").lower(), group)


def _units(transcript: Transcript, ctx: DraftContext, groups: dict[str, str]) -> list[Unit]:
    return [
        _unit(seg, i, s, e, ctx, groups[seg.speaker])
        for i, seg in enumerate(transcript.segments)
        for s, e in split_sentences(seg.text)
    ]


def _has_content(unit: Unit, min_words: int = 4) -> bool:
    words = unit.words
    if len(words) < min_words or sum(w not in _FILLER for w in words) < 2:
        return False
    if _SPELT.search(unit.text):
        return False  # a name spelt out letter by letter
    plain = [w for w in words if not w.startswith("[")]
    english = sum(w in _ENGLISH for w in plain)
    return len(plain) < 3 or (english > 0 and english >= len(plain) / 8)  # not another language


def _salience(unit: Unit) -> float:
    norm = unit.norm
    score = sum(1.0 for stem in _SALIENT if re.search(rf"\b{stem}", norm))
    if _NUMBER.search(norm):
        score += 0.5
    return score + min(sum(w not in _FILLER for w in unit.words), 15) / 10


def _eligible(unit: Unit, ts: TemplateSection) -> bool:
    return not ts.speaker_roles or unit.group in ts.speaker_roles or unit.role in ts.speaker_roles


def _hits(unit: Unit, ts: TemplateSection) -> int:
    """How many of the section's keywords the unit has (0 when a required one is missing)."""
    norm = unit.norm
    if ts.required_keywords and not any(
        _keyword_pattern(k).search(norm) for k in ts.required_keywords
    ):
        return 0
    return sum(1 for k in ts.keywords if _keyword_pattern(k).search(norm))


def _covered(units: list[Unit], quotes: list[Unit]) -> set[tuple[int, int, int]]:
    return {
        u.key
        for u in units
        for q in quotes
        if u.segment.id == q.segment.id and u.start < q.end and q.start < u.end
    }


def _quotes(
    transcript: Transcript, ctx: DraftContext, groups: dict[str, str], template: Template,
    ts: TemplateSection,
) -> list[Unit]:
    """The person's salient own words: a whole short turn or its best sentences.

    Speakers of the first role listed for the section (the child, usually) are quoted when they
    speak in the first person or use a keyword of the section; others only with a keyword. Words
    that another section requires (an "I'll ..." for actions) are left to that section.
    """
    strict = [t for t in template.sections if t.required_keywords and not t.reserved]
    ranks = {s: r for s in transcript.speakers if (r := _rank(s, ctx, groups, ts)) is not None}
    top = min(ranks.values(), default=0)
    scored: list[tuple[float, Unit]] = []
    for i, seg in enumerate(transcript.segments):
        if seg.speaker not in ranks:
            continue
        group = groups[seg.speaker]
        rank = ranks[seg.speaker] - top  # 0 for the most preferred speakers present
        sentences = [_unit(seg, i, s, e, ctx, group) for s, e in split_sentences(seg.text)]
        while sentences and _edge_filler(sentences[0]):
            sentences.pop(0)
        while sentences and _edge_filler(sentences[-1]):
            sentences.pop()
        if not sentences:
            continue
        whole = Unit(seg, i, sentences[0].start, sentences[-1].end, sentences[0].role, group)
        claimed = [t for t in strict if _eligible(whole, t) and _hits(whole, t)]
        candidates = [whole] if len(whole.words) <= 30 and not claimed else sentences
        for unit in candidates:
            if not _has_content(unit) or (unit.question and len(unit.words) < 5):
                continue
            if any(_eligible(unit, t) and _hits(unit, t) for t in strict):
                continue
            hits = _hits(unit, ts)
            first_person = bool(_FIRST_PERSON.search(unit.norm))
            if not (hits or (rank == 0 and first_person)):
                continue
            score = hits + _salience(unit) / 4 - 1.5 * rank + (1.5 if first_person else 0.0)
            if len(unit.words) > 40:
                score -= 2
            scored.append((score, unit))
    if PERSON in ts.speaker_roles or CHILD in ts.speaker_roles:
        scored.extend(_reported_quotes(transcript, groups, ts))
    best = sorted(scored, key=lambda su: -su[0])[: ts.max_sentences]
    return sorted((u for _, u in best), key=lambda u: u.key)


def _reported_quotes(
    transcript: Transcript, groups: dict[str, str], ts: TemplateSection
) -> list[tuple[float, Unit]]:
    """Words someone repeats in quotation marks after "said" or "told me" (a professional
    quoting a child seen alone, a daughter quoting her mother): often the only record of them.
    Kept verbatim and marked as reported."""
    found: list[tuple[float, Unit]] = []
    for i, seg in enumerate(transcript.segments):
        group = groups.get(seg.speaker, "")
        if group == INTERPRETER:
            continue
        for match in _REPORTED.finditer(seg.text):
            unit = Unit(seg, i, match.start("words"), match.end("words"), "", group,
                        reported=True)
            if len(unit.words) < 2:
                continue
            first_person = bool(_FIRST_PERSON.search(unit.norm))
            score = _hits(unit, ts) + _salience(unit) / 4 + (1.5 if first_person else 0.5)
            found.append((score, unit))
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


def _edge_filler(unit: Unit) -> bool:
    """A sentence to leave off the edge of a quote: filler, or an interpreter's aside."""
    aside = re.search(r"\binterpret|\b(she|he) (says|asks)\b", unit.norm)
    if aside and unit.group == INTERPRETER:
        return True
    # Only pure filler comes off ("Ehm.", "Sounds good."): "Not yet." and "Hot water." are
    # the person's words and stay in the quote.
    return all(w in _FILLER or w.startswith("[") for w in unit.words)


def _place(
    units: list[Unit], template: Template, used: set[tuple[int, int, int]], n: int,
    tags: Mapping[int, tuple[str, ...]] | None = None,
) -> dict[str, list[Unit]]:
    """Each unused sentence into the section that claims it most strongly; cap and rank.

    A turn the practitioner tagged while recording ("home conditions") is claimed first by the
    section that lists that tag, keywords or not: the practitioner said where it belongs.
    """
    tags = tags or {}
    targets = [ts for ts in template.sections if not (ts.reserved or ts.voice or ts.attendees)]
    pools: dict[str, list[tuple[float, Unit]]] = {ts.name: [] for ts in targets}
    leftovers: list[Unit] = []
    for unit in units:
        if unit.key in used:
            continue
        if not _has_content(unit):
            if _has_content(unit, 3):
                leftovers.append(unit)
            continue
        request = unit.question and bool(_REQUEST.search(unit.norm))
        best: tuple[float, str] | None = None
        tagged = set(tags.get(unit.segment.id, ()))
        for ts in targets:
            if not _eligible(unit, ts) or (unit.question and not request):
                continue
            hits = _hits(unit, ts) + (_TAG_WEIGHT if tagged & set(ts.tags) else 0)
            if hits == 0 and not (ts.fallback and unit.group != PRACTITIONER):
                continue
            if ts.fallback:  # takes what no other section claims: a weaker claim
                score = 0.5 * hits + 0.1
            else:
                score = hits + _position_bonus(ts, unit.index, n)
            if score > 0 and (best is None or score > best[0]):
                best = (score, ts.name)
        if best is None:
            leftovers.append(unit)
        else:
            pools[best[1]].append((best[0] + _salience(unit), unit))
    placed = {ts.name: _top(pools[ts.name], ts.max_sentences) for ts in targets}
    for ts in targets:  # a relaxed second pass (questions too) so no section is left empty
        if not placed[ts.name]:
            spare = [
                (score, u)
                for u in leftovers
                if _eligible(u, ts)
                and _hits(u, ts) > 0
                and (score := _hits(u, ts) + _position_bonus(ts, u.index, n)) > 0
            ]
            placed[ts.name] = _top(spare, 1)
            leftovers = [u for u in leftovers if u not in placed[ts.name]]
    return placed


def _position_bonus(ts: TemplateSection, index: int, n: int) -> float:
    where = index / max(n, 1)
    if ts.position == "early":
        return 1.0 if where < 0.35 else (-0.5 if where < 0.5 else -3.0)
    if ts.position == "late":
        return 1.0 if where >= 0.6 else (0.0 if where >= 0.4 else -1.0)
    return 0.0


def _top(pool: list[tuple[float, Unit]], cap: int) -> list[Unit]:
    """The best ``cap`` units in transcript order, preferring variety across segments."""
    remaining = list(pool)
    best: list[Unit] = []
    while remaining and len(best) < cap:
        per_segment = [sum(b.segment.id == u.segment.id for b in best) for _, u in remaining]
        i = max(range(len(remaining)), key=lambda j: remaining[j][0] - 0.75 * per_segment[j])
        best.append(remaining.pop(i)[1])
    return sorted(best, key=lambda u: u.key)


def _render(unit: Unit, kind: SentenceKind, main: str | None) -> str:
    speaker = unit.segment.speaker
    who = f"{speaker}, interpreting," if unit.group == INTERPRETER else speaker
    if kind is SentenceKind.QUOTE and unit.reported:
        return f"{who} reported these words: “{unit.text}”"
    if kind is SentenceKind.QUOTE:
        return f"{who} said: “{unit.text}”"
    if unit.question:
        return f"{who} asked: {unit.text}"
    if unit.group == PRACTITIONER and speaker == main:
        return unit.text
    return f"{who} said: {unit.text}"


def _attendees(
    transcript: Transcript, ctx: DraftContext, ts: TemplateSection
) -> list[tuple[str, Unit, SentenceKind]]:
    """One line per distinct speaker, evidenced by their first turn.

    The span is empty (``start == end == 0``): the evidence is who spoke, not any of their words.
    """
    items: list[tuple[str, Unit, SentenceKind]] = []
    for i, seg in enumerate(transcript.segments):
        if any(u.segment.speaker == seg.speaker for _, u, _ in items):
            continue
        role = ctx.speaker_roles.get(seg.speaker, "").replace("_", " ").strip()
        text = f"{seg.speaker} ({role})" if role else seg.speaker
        items.append((text, Unit(seg, i, 0, 0, role, ""), SentenceKind.SUMMARY))
    return items[: ts.max_sentences]


def _place_by_meaning(
    units: list[Unit], template: Template, used: set[tuple[int, int, int]],
    placed: dict[str, list[Unit]], embedder: Embedder, threshold: float,
) -> None:
    """Add salient sentences that no keyword placed, by similarity to each section's guidance.

    Only sections with room take them, and only sentences with something that matters in them
    (a salient word or a number): small talk stays out.
    """
    taken = {u.key for us in placed.values() for u in us} | used
    targets = [ts for ts in template.sections if not (ts.reserved or ts.voice or ts.attendees)]
    candidates = [
        u for u in units
        if u.key not in taken and _has_content(u) and not u.question and _salience(u) >= 2.0
    ]
    if not candidates or not targets:
        return
    described = [f"{ts.name}. {ts.guidance} {' '.join(ts.keywords[:20])}" for ts in targets]
    similarity = embedder.embed([u.text for u in candidates]) @ embedder.embed(described).T
    for i, unit in enumerate(candidates):
        order = sorted(range(len(targets)), key=lambda j: -float(similarity[i, j]))
        for j in order:
            ts = targets[j]
            if float(similarity[i, j]) < threshold:
                break
            if _eligible(unit, ts) and len(placed[ts.name]) < ts.max_sentences and not (
                ts.required_keywords and not _hits(unit, ts)
            ):
                placed[ts.name] = sorted([*placed[ts.name], unit], key=lambda u: u.key)
                break
