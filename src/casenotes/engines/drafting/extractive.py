"""The extractive drafter: arranges transcript sentences into a template's sections.

It uses no language model and cannot invent: every drafted sentence is a span of a transcript
turn, copied exactly, with at most a short attribution ("[PERSON_2] said: "), and, for an
answer that needs it, the question it answers, copied exactly too. Placement follows the
template's keywords, speaker roles and positions; the person's own words go, verbatim and
marked as quotes, into the voice section; what was agreed (commitments, proposals, directions,
plans, recaps, and the answers that agree to them: ``actions.py``) goes into the section marked
``actions``; anything that bears on risk is carried into the draft even when its section is
full. The note's author asks without their name (“Any thoughts of harming yourself?” [PERSON_2]
said: …), as their own sentences are drafted; a follow-up ("Where do you use the camping
stove?") is drafted in one sentence with the exchange it continues, and a short answer to it
completes that exchange; small talk with no particulars, and what the draft says again, give
way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from casenotes.domain.draft import Draft, Evidence, Section, Sentence, SentenceKind
from casenotes.domain.people import child_role, professional_role
from casenotes.domain.template import Template, TemplateSection
from casenotes.domain.transcript import Transcript
from casenotes.engines.drafting.actions import procedure, prompt, recap_start, request
from casenotes.engines.drafting.units import (
    ASKED_IN_PASSING,
    CHILD,
    EXCHANGE_WORDS,
    FILLER,
    INTERPRETER,
    PERSON,
    PRACTITIONER,
    Unit,
    asks_concern,
    checks_details,
    eligible,
    follow_on_risks,
    follows_up,
    has_content,
    hits,
    in_opening,
    introduces,
    proposes,
    question_before,
    salience,
    specifics,
    split_sentences,
    turn_units,
    welcome,
    words,
)
from casenotes.engines.drafting.voice import of_self, quotes
from casenotes.pipeline.draft import DraftContext
from casenotes.pipeline.embed import Embedder

__all__ = ["ExtractiveDrafter", "split_sentences"]

_QUOTE_MARK = re.compile("[\"“”]")
#: What a matching observation tag counts for, in keyword hits: more than any keyword score.
_TAG_WEIGHT = 3
#: What each risk topic a span speaks of adds to its rank within a section.
_RISK_WEIGHT = 2.0
#: What saying what was agreed adds to a span's claim on the actions section, so that an action
#: from the middle of a visit on is placed there with no keyword of the section...
_ACTION_WEIGHT = 1.5
#: ... and what an item of a recap ("So, to recap: …") or an answer drafted with the request
#: it agrees to adds: the speaker's own list, and the person's consent.
_LISTED_WEIGHT = 1.0
#: A section holds about this many words per sentence of its cap; the actions section more,
#: since an agreement is drafted with the request or proposal it answers.
_WORDS_PER_SENTENCE = 15
_ACTION_WORDS = 18
#: An answer of at most this many words, left out, joins the exchange it completes.
_COMPLETING_WORDS = 15
#: A sentence whose words are this much said elsewhere in the draft repeats it.
_REPEATED = 0.8
#: What says no more words than this that are not filler, and no particular, is small talk.
_SMALL_TALK_WORDS = 3
#: Risk topics that, from the note's author, are usually empathy rather than a finding.
_FEELINGS = frozenset({"fear_or_distress"})
_REQUEST = re.compile(
    r"\b(can|could|would|will) you (please )?(ring|phone|call|send|email|"
    r"get|let|bring|book|make|keep|take|speak|talk|ask|write|sign|fill|sort|check|clear|clean|"
    r"pop|drop|come|go|find|look|contact|text)\b"
)


class ExtractiveDrafter:
    """Selects and arranges transcript sentences; every sentence carries its exact evidence."""

    name = "extractive"
    version = "1.14"

    def __init__(self, embedder: Embedder | None = None, threshold: float = 0.35) -> None:
        """``embedder`` (e.g. MiniLM) also places salient sentences no keyword claims, into the
        section whose guidance they are most similar to (cosine >= ``threshold``)."""
        self._embedder = embedder
        self._threshold = threshold

    def draft(self, transcript: Transcript, template: Template, context: DraftContext) -> Draft:
        groups = _speaker_groups(transcript, context)
        main = _main_practitioner(transcript, groups, context.speaker_roles)
        chosen: dict[str, list[Unit]] = {}
        quoted: dict[int, list[tuple[int, int]]] = {}
        carried = follow_on_risks(transcript, groups)  # the risk each answer continues
        for ts in template.sections:  # the voice first: the person's words are kept whole
            if ts.voice and not ts.reserved:
                chosen[ts.name] = quotes(transcript, context, groups, template, ts, carried)
                for q in chosen[ts.name]:
                    quoted.setdefault(q.segment.id, []).append((q.start, q.end))
        units = turn_units(transcript, context, groups, main, quoted, carried)
        quoted_with = [q.context for qs in chosen.values() for q in qs if q.context is not None]
        reporting = _reporting(transcript, groups, main)
        told = {u.key for u in units if u.segment.id not in reporting
                and _tells_what_happened(u, main, len(transcript.segments))}
        placed = _place(units, template, len(transcript.segments), context.tags, quoted_with,
                        told)
        if self._embedder is not None:
            _place_by_meaning(units, template, placed, self._embedder, self._threshold)
        _carry_risks(units, template, placed, main, len(transcript.segments), reporting, told)
        _drop_repeated_questions(placed, [*chosen.values(), *placed.values()])
        drafted = {ts.name: chosen[ts.name] if ts.voice else placed[ts.name]
                   for ts in template.sections
                   if not (ts.reserved or ts.attendees) and ts.name in {*chosen, *placed}}
        exchanges = _exchanges(drafted, template)
        _complete(exchanges, units, transcript, groups, template)
        _also_answered(exchanges, units, template)
        _fit(exchanges, template)
        sections: list[Section] = []
        counter = 0
        for ts in template.sections:
            if ts.reserved:
                sections.append(Section(name=ts.name, reserved=True))
                continue
            items: list[tuple[str, tuple[Evidence, ...], SentenceKind]]
            if ts.attendees:
                items = [(t, u.evidence, k) for t, u, k in _attendees(transcript, context, ts)]
            else:
                kind = SentenceKind.QUOTE if ts.voice else SentenceKind.SUMMARY
                items = [(" ".join(_render(u, kind, main if i == 0 else None)
                                   for i, u in enumerate(group)),
                          tuple(e for u in group for e in u.evidence), kind)
                         for group in exchanges.get(ts.name, [])]
            sentences: list[Sentence] = []
            for text, evidence, kind in items:
                counter += 1
                sentences.append(Sentence(f"s{counter}", text, kind, evidence))
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
        elif child_role(role):
            groups[speaker] = CHILD
        elif professional_role(role):
            groups[speaker] = PRACTITIONER
        else:
            groups[speaker] = PERSON
    return groups


def _main_practitioner(
    transcript: Transcript, groups: dict[str, str], roles: Mapping[str, str] | None = None
) -> str | None:
    """The note's author: the social worker who speaks most, or else the practitioner who
    does. At a meeting the school's safeguarding lead may say the most, reporting what a child
    told her; the minutes are still the social worker's."""
    spoken: dict[str, int] = {}
    for seg in transcript.segments:
        if groups.get(seg.speaker) == PRACTITIONER:
            spoken[seg.speaker] = spoken.get(seg.speaker, 0) + len(seg.text.split())
    social = [s for s in spoken if _SOCIAL_WORKER.search((roles or {}).get(s, ""))]
    return max(social or spoken, key=lambda s: spoken[s]) if spoken else None


_SOCIAL_WORKER = re.compile(r"(?i)\bsocial work")


def _place(
    units: list[Unit], template: Template, n: int,
    tags: Mapping[int, tuple[str, ...]] | None = None, quoted_with: list[Unit] | None = None,
    told: set[tuple[int, int, int]] | None = None,
) -> dict[str, list[Unit]]:
    """Each span into the section that claims it most strongly; cap and rank.

    Within a section, spans that speak of risk rank first, so small talk gives way to them. A
    turn the practitioner tagged while recording ("home conditions") is claimed first by the
    section that lists that tag, keywords or not: the practitioner said where it belongs.
    """
    tags = tags or {}
    targets = _targets(template)
    pools: dict[str, list[tuple[float, Unit]]] = {ts.name: [] for ts in targets}
    leftovers: list[Unit] = []
    for unit in units:
        intro = introduces(unit)
        if intro or not has_content(unit):
            if not intro and has_content(unit, 3):
                leftovers.append(unit)
            continue
        best = _claim(unit, targets, n, set(tags.get(unit.segment.id, ())), told)
        if best is None:
            leftovers.append(unit)
        else:
            rank = best[0] + salience(unit) + _RISK_WEIGHT * len(unit.risks)
            pools[best[1]].append((rank, unit))
    for name, pool in pools.items():  # a request quoted with its answer is not drafted alone
        pools[name] = [(r, u) for r, u in pool if u.context is not None or not any(
            _within(u, a) for a in quoted_with or [])]
    placed = {ts.name: _top(pools[ts.name], ts.max_sentences,
                            _ACTION_WORDS if ts.actions else _WORDS_PER_SENTENCE)
              for ts in targets}
    others = [ts for ts in targets if not ts.actions]
    for ts in targets:  # what the actions have no room for goes where it would have gone
        if not ts.actions:
            continue
        asked = [u.context for u in placed[ts.name] if u.context is not None]
        for _, unit in sorted(pools[ts.name], key=lambda ru: ru[1].key):
            if unit in placed[ts.name] or any(_within(unit, a) for a in asked):
                continue
            second = _claim(unit, others, n, set(tags.get(unit.segment.id, ())), told)
            if second is not None and len(placed[second[1]]) < template.section(
                    second[1]).max_sentences:
                placed[second[1]] = sorted([*placed[second[1]], unit], key=lambda u: u.key)
    for ts in targets:  # why the visit happens, told over the sentences that follow
        if ts.position == "early":
            placed[ts.name] = _with_the_concern(placed[ts.name], units, placed)
    for ts in targets:  # a relaxed second pass (questions too) so no section is left empty
        if not placed[ts.name]:
            spare = [
                (score, u)
                for u in leftovers
                if eligible(u, ts)
                and hits(u, ts) > 0
                and not welcome(u, n)
                and (not ts.actions or _agreed(u))
                and (score := hits(u, ts) + _position_bonus(ts, u.index, n)) > 0
            ]
            placed[ts.name] = _top(spare, 1)
            leftovers = [u for u in leftovers if u not in placed[ts.name]]
    return placed


#: How many sentences after a purpose sentence may join it, when they speak of risk.
_PURPOSE_FOLLOWS = 2


def _with_the_concern(
    chosen: list[Unit], units: list[Unit], placed: dict[str, list[Unit]]
) -> list[Unit]:
    """The purpose sentences, each with the next sentences of the same turn that speak of risk
    ("Jo, your midwife, got in touch with us." / "When she saw you at your booking appointment,
    you told her that you had been cut as a girl."): the referral is its concern."""
    taken = {u.key for us in placed.values() for u in us}
    out = list(chosen)
    for unit in chosen:
        after = [u for u in units if u.segment.id == unit.segment.id and u.start >= unit.end
                 and not u.question][:_PURPOSE_FOLLOWS]
        for follower in after:
            if not follower.risks:
                break
            if follower.key not in taken:
                out.append(follower)
                taken.add(follower.key)
    return sorted(out, key=lambda u: u.key)


#: The share of a visit's turns in which the author tells what brought them ("So, you know why
#: I'm here. You were missing from Friday teatime …").
_TOLD_SHARE = 0.2


def _purpose(ts: TemplateSection) -> bool:
    """Whether the section says why the visit or meeting happened (an early section that lists
    the concern or the referral, not the meeting's date and place)."""
    return ts.position == "early" and any(
        k.startswith(("concern", "refer", "worried")) for k in ts.keywords)


def _tells_what_happened(unit: Unit, main: str | None, n: int) -> bool:
    """Whether the span is the note's author, early on, telling the person the risk that brought
    them ("You were missing from Friday teatime, and the police found you on Monday", "It's three
    days since the Mental Health Act assessment"): the purpose of the visit, said as what
    happened, in no word of the section's list. (What the author reports when another
    professional asks, in supervision, is not this: it is the discussion.)"""
    return (main is not None and unit.segment.speaker == main and not unit.question
            and unit.index < n * _TOLD_SHARE and bool(unit.risks - ASKED_IN_PASSING)
            and bool(_TO_YOU.search(unit.segment.text.lower())))


#: A turn told to the person: "… You were missing …", "So, you know that on Monday …".
_TO_YOU = re.compile(r"(?<![\w'])(?:you|your|you're|you've|you'd)(?![\w'])")


def _targets(template: Template) -> list[TemplateSection]:
    return [ts for ts in template.sections if not (ts.reserved or ts.voice or ts.attendees)]


def _claim(
    unit: Unit, targets: list[TemplateSection], n: int, tagged: set[str],
    told: set[tuple[int, int, int]] | None = None,
) -> tuple[float, str] | None:
    """The section that claims the span most strongly, with its score (``told``: the spans
    in which the note's author tells what happened, why the visit happens)."""
    request = unit.question and bool(_REQUEST.search(unit.norm))
    if checks_details(unit):
        return None  # "Just to check the details first: … date of birth, address?": admin
    best: tuple[float, str] | None = None
    for ts in targets:
        if not eligible(unit, ts) or (ts.position == "early" and procedure(unit.text)):
            continue  # the recording is not the purpose of the visit
        found: float = hits(unit, ts) + (_TAG_WEIGHT if tagged & set(ts.tags) else 0)
        if told and unit.key in told and _purpose(ts):
            found += 1
        if ts.actions:  # what was agreed, by its grammar; not the greetings
            if not _agreed(unit) or in_opening(unit.index, n):
                continue
            if _position_bonus(ts, unit.index, n) >= 0:  # early on, an "I'll" is often the agenda
                found += _ACTION_WEIGHT + (_LISTED_WEIGHT if _recapped(unit) or (
                    unit.context is not None) else 0.0)
        elif unit.question and not request:
            continue
        if found == 0 and not (ts.fallback and unit.group != PRACTITIONER):
            continue
        if (found == 0 and in_opening(unit.index, n) and not unit.risks) or welcome(unit, n):
            continue  # "Come in, sorry about the mess": the greetings are not the discussion
        if ts.fallback:  # takes what no other section claims: a weaker claim
            score = 0.5 * found + 0.1
        else:
            score = found + _position_bonus(ts, unit.index, n)
        if score > 0 and (best is None or score > best[0]):
            best = (score, ts.name)
    return best


def _reporting(transcript: Transcript, groups: dict[str, str], main: str | None) -> set[int]:
    """The note's author's turns that answer another professional (a question: "What's your
    worry, in your own words?" in supervision, a chair's at a meeting; or a prompt: "Go on.",
    "Remind me of the basics."): a report of what they know, not the visit's questions and
    empathy."""
    segments = transcript.segments
    return {seg.id for i, seg in enumerate(segments)
            if seg.speaker == main and i > 0 and segments[i - 1].speaker != main
            and groups.get(segments[i - 1].speaker) == PRACTITIONER}


def _carry_risks(
    units: list[Unit], template: Template, placed: dict[str, list[Unit]], main: str | None,
    n: int, reporting: set[int] | frozenset[int] = frozenset(),
    told: set[tuple[int, int, int]] | None = None,
) -> None:
    """Nothing critical dropped: a span that speaks of risk and is in no section yet joins the
    section that claims it, past its cap, or else the section that takes what no other claims.

    The note's author is carried only where a section claims their words, and not for words of
    feeling alone ("I understand that worry"): the risks they record come from what others said
    and from what they saw. What they report when another professional asks (``reporting``:
    supervision, a chair's question) is carried as anyone's is.
    """
    targets = _targets(template)
    refuge = next((ts for ts in targets if ts.fallback), None)
    taken = {u.key for us in placed.values() for u in us}
    for unit in units:
        risks = unit.risks
        if unit.key in taken or unit.question or not risks or not has_content(unit) or (
                introduces(unit)):
            continue
        best = _claim(unit, targets, n, set(), told)
        if unit.segment.speaker == main and unit.segment.id not in reporting:
            if best is None or not risks - _FEELINGS:
                continue
        elif refuge is not None and eligible(unit, refuge) and (
                best is None or best[1] != refuge.name and hits(unit, refuge) >= hits(
                    unit, template.section(best[1]))):
            best = (0.0, refuge.name)
        if best is None:
            fits = [(hits(unit, ts), -i, ts.name) for i, ts in enumerate(targets)
                    if eligible(unit, ts) and not ts.required_keywords and not ts.actions
                    and not ts.position]
            if not fits:
                continue
            best = (0.0, max(fits)[2])
        placed[best[1]] = sorted([*placed[best[1]], unit], key=lambda u: u.key)
        taken.add(unit.key)


def _exchanges(
    drafted: dict[str, list[Unit]], template: Template
) -> dict[str, list[list[Unit]]]:
    """Each section's spans, a follow-up drafted with the exchange it continues.

    An answer to a question that asks after what the same person said just before ("I've a
    little camping stove" / "Where do you use the camping stove?" / "On the side there.") is
    one sentence with it, in the section of its start: what was said over several turns is
    read together. The voice section gives no quote away, and what was agreed stays in the
    actions.
    """
    voice = {ts.name for ts in template.sections if ts.voice}
    actions = {ts.name for ts in template.sections if ts.actions}
    out: dict[str, list[list[Unit]]] = {name: [[u] for u in us] for name, us in drafted.items()}
    home: dict[tuple[int, int, int], tuple[str, list[Unit]]] = {
        g[0].key: (name, g) for name, groups in out.items() for g in groups}
    last_of: dict[int, Unit] = {}  # the last drafted span of each turn
    for us in drafted.values():
        for u in us:
            if u.segment.id not in last_of or u.end > last_of[u.segment.id].end:
                last_of[u.segment.id] = u
    by_index = {u.index: u for u in last_of.values()}
    for name, unit in sorted(((n, u) for n, us in drafted.items() for u in us),
                             key=lambda nu: nu[1].key):
        asked = unit.context
        if asked is None or "?" not in asked.text or name in actions:
            continue
        before = by_index.get(asked.index - 1)
        if before is None or before.segment.speaker != unit.segment.speaker:
            continue
        where = next(((n, g) for n, groups in out.items() for g in groups if g[-1] is before),
                     None)
        if where is None or where[0] in actions or (name in voice and where[0] not in voice):
            continue
        group = where[1]
        if sum(_size(u) for u in group) + _size(unit) > EXCHANGE_WORDS or not follows_up(
                asked, before):
            continue
        own = home.pop(unit.key, None)
        if own is None or own[1] is group:
            continue
        out[own[0]].remove(own[1])
        group.extend(own[1])
    return out


def _complete(
    exchanges: dict[str, list[list[Unit]]], units: list[Unit], transcript: Transcript,
    groups: dict[str, str], template: Template,
) -> None:
    """A short answer to a follow-up, left out so far, joins the exchange it completes
    ("The letter says I owe three hundred and ten." / "Have you got the letter?" / "It's here.
    From [the landlord]."): what the follow-up asked for is read with what it followed."""
    actions = {ts.name for ts in template.sections if ts.actions}
    taken = {u.key for gs in exchanges.values() for g in gs for u in g}
    asked_spans = [u.context for gs in exchanges.values() for g in gs for u in g
                   if u.context is not None]
    first: dict[int, Unit] = {}
    for unit in units:
        if unit.segment.id not in first or unit.start < first[unit.segment.id].start:
            first[unit.segment.id] = unit
    by_index = {u.index: u for u in first.values()}
    for name, gs in exchanges.items():
        if name in actions:
            continue
        for group in gs:
            while True:
                last = group[-1]
                nxt = by_index.get(last.index + 2)
                if nxt is None or nxt.segment.speaker != last.segment.speaker or any(
                        u.segment.id == nxt.segment.id for u in group):
                    break
                asked = nxt.context or question_before(transcript, nxt.index, groups)
                if asked is None or asked.index != last.index + 1 or "?" not in asked.text:
                    break
                if nxt.key in taken or any(_within(nxt, a) or _within(a, nxt)
                                           for a in asked_spans) or any(
                        w not in FILLER for w in words(nxt.segment.text[:nxt.start])):
                    break  # taken already, or not the start of the answer
                size = sum(_size(u) for u in group) + len(nxt.words) + len(asked.words)
                if len(nxt.words) > _COMPLETING_WORDS or size > EXCHANGE_WORDS or (
                        not any(w not in FILLER for w in nxt.words)) or not follows_up(
                        asked, last):
                    break
                group.append(replace(nxt, context=asked))
                taken.add(nxt.key)


def _also_answered(
    exchanges: dict[str, list[list[Unit]]], units: list[Unit], template: Template
) -> None:
    """A proposal put to two people has two answers ("… would you both be happy to go to three
    mornings?" / "Yes. Good." / "Aye. Once da rail's in."): the second, a short turn of its own
    straight after the first, joins what was agreed. It may be the condition of the agreement."""
    actions = {ts.name for ts in template.sections if ts.actions}
    alone = {g[0].key: (name, g) for name, gs in exchanges.items() if name not in actions
             for g in gs if len(g) == 1}  # drafted on its own elsewhere: it moves here
    taken = {u.key for gs in exchanges.values() for g in gs for u in g} - set(alone)
    whole = {u.index: u for u in units if all(  # the turn, but for its filler ("Aye.")
        w in FILLER for w in words(u.segment.text[:u.start]) + words(u.segment.text[u.end:]))}
    for name in actions & set(exchanges):
        for group in exchanges[name]:
            last = group[-1]
            asked = last.context
            nxt = whole.get(last.index + 1)
            if asked is None or "?" not in asked.text or nxt is None or nxt.key in taken:
                continue
            if nxt.segment.speaker in (last.segment.speaker, asked.segment.speaker) or (
                    nxt.group == PRACTITIONER or nxt.question
                    or len(nxt.words) > _COMPLETING_WORDS):
                continue
            if nxt.key in alone:
                where, single = alone.pop(nxt.key)
                exchanges[where].remove(single)
            group.append(replace(nxt, context=None))
            taken.add(nxt.key)


def _fit(exchanges: dict[str, list[list[Unit]]], template: Template) -> None:
    """Leave out small talk: what gives no particulars and few words ("He's a charmer, him.",
    "That's hard to hear, but it's fair."), then what the draft says again.

    Only the sections of narrative give way (not the person's words, not the actions), and
    never a sentence that bears on risk, says something of the speaker themself, or is its
    section's last sentence. (A draft-wide word budget that left out what gives fewest
    particulars for its length was tried: at 60-80% of the transcript's words it lost critical
    facts or the person's words on the dev visits.)
    """
    def particulars(group: list[Unit]) -> int:
        found = sum(specifics(u) + (specifics(u.context) if u.context else 0) for u in group)
        said = sum(w not in FILLER for u in group for w in u.words)
        mine = sum(of_self(u) for u in group)  # "I'm not going back." is not small talk
        return found + mine + (said if said > _SMALL_TALK_WORDS else 0)

    kept = {ts.name for ts in template.sections if ts.voice or ts.actions}
    for name, groups in exchanges.items():
        if name in kept:
            continue
        for group in list(groups):
            if len(groups) > 1 and not any(u.risks for u in group) and not particulars(group):
                groups.remove(group)
    _drop_repeats(exchanges, template)


def _stems(group: list[Unit]) -> set[str]:
    return {w[:5] for u in group for w in u.words
            if len(w) >= 4 and w not in FILLER and not w.startswith("[")}


def _drop_repeats(exchanges: dict[str, list[list[Unit]]], template: Template) -> None:
    """Leave out a sentence whose words are all said again elsewhere in the draft (an action
    listed again in the recap, a worry told twice): the fuller telling stays.

    The person's words, what bears on risk, what was agreed with someone (an answer drafted
    with its request) and a section's last sentence are kept.
    """
    voice = {ts.name for ts in template.sections if ts.voice}
    groups = [(name, g) for name, gs in exchanges.items() for g in gs]
    stems = {id(g): _stems(g) for _, g in groups}
    order = sorted(groups, key=lambda ng: len(stems[id(ng[1])]))
    for name, group in order:
        own = stems[id(group)]
        if name in voice or len(exchanges[name]) < 2 or any(
                u.risks or u.context is not None for u in group) or len(own) < 2:
            continue
        elsewhere: set[str] = set()
        for other_name, other in groups:
            if other is not group and other in exchanges[other_name]:
                elsewhere |= stems[id(other)]
        if len(own & elsewhere) >= _REPEATED * len(own):
            exchanges[name].remove(group)


def _agreed(unit: Unit) -> bool:
    """Whether a span says what was agreed: a commitment, request, direction or plan, an item
    of a recap, or the answer to a request or proposal (drafted with it)."""
    asked = unit.context
    if asked is not None and prompt(asked.text, directs=asked.group == PRACTITIONER):
        return True
    if asked is not None and asks_concern(asked.text):
        return False  # "What worries you?" / "That they will try when I'm not looking."
    if unit.question:
        return request(unit.text)
    return proposes(unit) or _recapped(unit)


def _recapped(unit: Unit) -> bool:
    start = recap_start(unit.segment.text)
    return start is not None and unit.start >= start


def _drop_repeated_questions(
    placed: dict[str, list[Unit]], drafted: list[list[Unit]]
) -> None:
    """A question drafted with its answer is not drafted again on its own."""
    asked = [u.context for us in drafted for u in us if u.context is not None]
    for name, us in placed.items():
        kept = [u for u in us if u.context is not None or not any(_within(u, a) for a in asked)]
        placed[name] = kept or us  # a section is not emptied for it


def _within(unit: Unit, other: Unit) -> bool:
    """Whether ``unit``'s span lies inside ``other``'s."""
    return (other.segment.id == unit.segment.id and other.start <= unit.start
            and unit.end <= other.end)


def _position_bonus(ts: TemplateSection, index: int, n: int) -> float:
    where = index / max(n, 1)
    if ts.position == "early":
        return 1.0 if where < 0.35 else (-0.5 if where < 0.5 else -3.0)
    if ts.position == "late":
        return 1.0 if where >= 0.6 else (0.0 if where >= 0.4 else -1.0)
    return 0.0


def _top(
    pool: list[tuple[float, Unit]], cap: int, per_sentence: int = _WORDS_PER_SENTENCE
) -> list[Unit]:
    """The best units in transcript order, preferring variety across segments: at most ``cap``
    of them and about ``cap`` sentences' worth of words (a whole turn counts for its length)."""
    remaining = list(pool)
    best: list[Unit] = []
    budget = cap * per_sentence
    while remaining and len(best) < cap:
        per_segment = [sum(b.segment.id == u.segment.id for b in best) for _, u in remaining]
        i = max(range(len(remaining)), key=lambda j: remaining[j][0] - 0.75 * per_segment[j])
        unit = remaining.pop(i)[1]
        if any(b.context is not None and _within(unit, b.context) for b in best):
            continue  # a request already drafted with its answer
        alone = [b for b in best if unit.context is not None and _within(b, unit.context)]
        size = _size(unit) - sum(_size(b) for b in alone)
        if best and size > budget:
            continue
        best = [b for b in best if b not in alone] + [unit]
        budget -= size
    return sorted(best, key=lambda u: u.key)


def _size(unit: Unit) -> int:
    return len(unit.words) + (len(unit.context.words) if unit.context else 0)


def _render(unit: Unit, kind: SentenceKind, main: str | None) -> str:
    """The span with its attribution. ``main``, the note's author, asks and speaks without
    their name (``None`` inside an exchange: after another's words, who asks is named)."""
    speaker = unit.segment.speaker
    who = f"{speaker}, interpreting," if unit.group == INTERPRETER else speaker
    if unit.context is not None:  # the question it answers, then the answer, both verbatim
        verb = "asked" if "?" in unit.context.text else "said"  # or the proposal it takes up
        asker = unit.context.segment.speaker
        # The note's author asks in their own voice, as they write their own sentences.
        asked = (f"“{unit.context.text}”" if asker == main and unit.context.group == PRACTITIONER
                 else f"{asker} {verb}: “{unit.context.text}”")
        said = f"“{unit.text}”" if kind is SentenceKind.QUOTE else unit.text
        return f"{asked} {who} said: {said}"
    if kind is SentenceKind.QUOTE and unit.reported:
        if _QUOTE_MARK.search(unit.text):  # the turn around the words, marks and all
            return f"{who} said: {unit.text}"
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
    units: list[Unit], template: Template, placed: dict[str, list[Unit]], embedder: Embedder,
    threshold: float,
) -> None:
    """Add salient sentences that no keyword placed, by similarity to each section's guidance.

    Only sections with room take them, and only sentences with something that matters in them
    (a salient word or a number): small talk stays out.
    """
    taken = {u.key for us in placed.values() for u in us}
    targets = _targets(template)
    candidates = [
        u for u in units
        if u.key not in taken and has_content(u) and not u.question and salience(u) >= 2.0
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
            if eligible(unit, ts) and len(placed[ts.name]) < ts.max_sentences and not (
                ts.required_keywords and not hits(unit, ts)
            ) and not (ts.actions and not _agreed(unit)):
                placed[ts.name] = sorted([*placed[ts.name], unit], key=lambda u: u.key)
                break
