"""The model judge: a language model asked whether each drafted sentence is supported by the
turns it is linked to.

Optional (``llm_judge`` in ``CASENOTES_CHECKERS``), and meant for an organisation's own capable
model on an OpenAI-compatible server; the small in-process SmolLM2 runs it too, weakly. Text
reaches the model only through :class:`ModelGateway` (allow-listed hosts; the text is scanned
for identifiers again and nothing is sent if one remains). What is sent: the pseudonymised
sentence and its linked turns with a turn either side, each with its speaker's label and role;
never the case record. The answer is constrained by a JSON schema (a grammar for the in-process
model): ``{"verdict": "supported" | "not_supported" | "contradicted", "reason": "…"}``.

A sentence judged not supported or contradicted gets an ``unsupported_claim`` flag that names
the judge and its model. An answer that cannot be read, a refusal, a time-out or a used-up time
budget say nothing about the sentence, so they raise no flag about it; the sentences the judge
could not decide are counted (:class:`Judgement`) and named in one ``check_incomplete`` flag per
section, so that silence is not taken for approval. Nothing here raises: the check stage goes
on with the other checks whatever the model does.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from casenotes.domain.draft import Draft, Section, Sentence, SentenceKind
from casenotes.domain.flags import Flag, FlagKind, Severity
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.llm.gateway import (
    AnswerUnreadable,
    ChatMessage,
    EndpointRefused,
    ModelGateway,
    ModelRefused,
    ModelTimedOut,
    ModelUnavailable,
)
from casenotes.pipeline.check import CheckContext

SUPPORTED, NOT_SUPPORTED, CONTRADICTED = "supported", "not_supported", "contradicted"
VERDICTS = (SUPPORTED, NOT_SUPPORTED, CONTRADICTED)

#: Why a sentence was not decided (shown to the practitioner, counted by the benchmark).
UNREADABLE = "its answer could not be read"
TIMED_OUT = "it did not answer in time"
REFUSED = "the gateway refused to send the text: it still had an identifier in it"
NOT_ALLOWED = "the model's host is not on the allow-list"
UNAVAILABLE = "the model could not be reached"
GAVE_UP = "the judge stopped asking after the model failed three times in a row"
OUT_OF_TIME = "the time allowed for the judge ran out"
#: After this many failed requests in a row (time-outs, no answer) the judge stops asking.
GIVE_UP_AFTER = 3

#: Worded for a small model too: of four wordings tried with SmolLM2 on two dev cases, the
#: first one ("you check one sentence … against the lines …") flagged 40 of 45 reference
#: sentences, this one 27 (docs/checks.md).
_SYSTEM = (
    "Read the lines of a conversation and a sentence from a social worker's case note. Does "
    "the conversation say what the sentence says? If yes, the verdict is \"supported\". If "
    "the conversation says something different, the verdict is \"contradicted\". If the "
    "conversation does not say it, the verdict is \"not_supported\". Labels such as "
    "[PERSON_1] stand for people's names. Give a short reason. Answer only with JSON."
)
_SYSTEM_MANY = (
    "Read the lines of a conversation and the numbered sentences from a social worker's case "
    "note. For each sentence, in order: does the conversation say what the sentence says? If "
    "yes, the verdict is \"supported\". If the conversation says something different, the "
    "verdict is \"contradicted\". If the conversation does not say it, the verdict is "
    "\"not_supported\". Labels such as [PERSON_1] stand for people's names. Give a short "
    "reason for each. Answer only with JSON."
)
_QUOTED = re.compile(r"[\"“](.+?)[\"”]")
#: Tokens of a model's reason that could carry an identifier: placeholders, numbers, and
#: capitalised words (names) other than a sentence's first word.
_RISKY = re.compile(r"\[[A-Z_]+_\d+\]|\d[\d.,:]*|(?<![.!?:] )(?<=\s)[A-Z][a-z]+")


def _verdict_schema(reason_chars: int) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "verdict": {"type": "string", "enum": list(VERDICTS)},
            "reason": {"type": "string", "maxLength": reason_chars},
        },
        "required": ["verdict", "reason"],
        "additionalProperties": False,
    }


def schema(n: int, reason_chars: int = 150) -> dict[str, Any]:
    """What the model must answer for ``n`` sentences: one verdict, or a list of ``n``."""
    if n == 1:
        return _verdict_schema(reason_chars)
    return {
        "type": "object",
        "properties": {"verdicts": {"type": "array", "items": _verdict_schema(reason_chars),
                                    "minItems": n, "maxItems": n}},
        "required": ["verdicts"],
        "additionalProperties": False,
    }


@dataclass(frozen=True)
class Verdict:
    """What the judge said about one sentence."""

    sentence_id: str
    verdict: str  # one of VERDICTS
    reason: str


@dataclass(frozen=True)
class Judgement:
    """The judge's verdicts on one draft, and the sentences it could not decide (with why)."""

    model: str
    verdicts: tuple[Verdict, ...] = ()
    undecided: tuple[tuple[str, str], ...] = ()  # (sentence id, why)
    requests: int = 0
    seconds: float = 0.0

    @property
    def flagged(self) -> set[str]:
        """Sentences judged not supported or contradicted."""
        return {v.sentence_id for v in self.verdicts if v.verdict != SUPPORTED}


@dataclass(frozen=True)
class _Item:
    section: Section
    sentence: Sentence
    turns: tuple[int, ...]  # indices into the transcript's segments: linked, then context


def _verbatim(sentence: Sentence, said: str) -> bool:
    """A quote whose words are all in its linked turns."""
    quoted = _QUOTED.findall(sentence.text) or [sentence.text.strip("\"“” ")]
    return bool(said) and all(q.strip() in said for q in quoted)


class LlmJudgeChecker:
    """Asks the configured language model whether each drafted sentence is supported.

    ``gateway`` is the model gateway, or a function that builds it on first use (the service
    layer passes one, so that building the checkers loads nothing). ``batch_size`` sentences
    of one section that share at most ``max_words`` of turns go in one request (1 suits a
    small model; a capable hosted one can take several). Each request may take
    ``timeout`` seconds, and one draft ``budget`` seconds in all.
    """

    name = "llm_judge"
    version = "1.0"

    def __init__(
        self, gateway: ModelGateway | Callable[[], ModelGateway], *, batch_size: int = 1,
        context_turns: int = 1, max_words: int = 250, timeout: float = 30.0,
        budget: float = 300.0, reason_chars: int = 150,
    ) -> None:
        self._gateway: ModelGateway | None = None
        if isinstance(gateway, ModelGateway):
            ready = gateway
            self._build: Callable[[], ModelGateway] = lambda: ready
        else:
            self._build = gateway
        self._lock = threading.Lock()
        self.batch_size = max(1, batch_size)
        self.context_turns = context_turns
        self.max_words = max_words
        self.timeout = timeout
        self.budget = budget
        self.reason_chars = reason_chars

    def gateway(self) -> ModelGateway:
        """The model gateway (built on first use)."""
        with self._lock:
            if self._gateway is None:
                self._gateway = self._build()
            return self._gateway

    def check(self, draft: Draft, transcript: Transcript, context: CheckContext) -> list[Flag]:
        judgement = self.judge(draft, transcript, context)
        if not judgement.verdicts and not judgement.undecided:
            return []
        by_id = {s.id: (sec, s) for sec, s in draft.sentences()}
        segments = list(transcript.segments)
        index = {seg.id: i for i, seg in enumerate(segments)}
        flags = []
        for verdict in judgement.verdicts:
            if verdict.verdict == SUPPORTED:
                continue
            section, sentence = by_id[verdict.sentence_id]
            linked = [index[i] for i in sentence.segment_ids if i in index]
            allowed = " ".join([sentence.text, *(_line(segments[i], context) for i in
                                                 _around(linked, len(segments),
                                                         self.context_turns))])
            flags.append(self._flag(judgement.model, section, sentence, verdict,
                                    _shown_reason(verdict.reason, allowed)))
        flags += self._incomplete(judgement, by_id)
        return flags

    def judge(self, draft: Draft, transcript: Transcript, context: CheckContext) -> Judgement:
        """Ask the model about every drafted sentence that needs it (see the module doc)."""
        segments = list(transcript.segments)
        items = self._items(draft, segments)
        if not items:
            return Judgement(model="")
        try:
            gateway = self.gateway()
        except (ModelUnavailable, ModelRefused):
            return Judgement("the configured model",
                             undecided=tuple((i.sentence.id, UNAVAILABLE) for i in items))
        started = time.monotonic()
        verdicts: list[Verdict] = []
        undecided: list[tuple[str, str]] = []
        failures = requests = 0
        refused = False
        for batch in self._batches(items, segments):
            ids = [i.sentence.id for i in batch]
            if refused or failures >= GIVE_UP_AFTER or time.monotonic() - started > self.budget:
                why = (NOT_ALLOWED if refused else GAVE_UP if failures >= GIVE_UP_AFTER
                       else OUT_OF_TIME)
                undecided += [(sid, why) for sid in ids]
                continue
            left = self.budget - (time.monotonic() - started)
            requests += 1
            try:
                reply = gateway.complete(
                    self._messages(batch, segments, context), known_people=context.people,
                    json_schema=schema(len(batch), self.reason_chars),
                    max_tokens=len(batch) * (32 + self.reason_chars),  # a cap: the grammar ends it
                    timeout=min(self.timeout, max(left, 1.0)),
                )
            except EndpointRefused:
                refused = True
                undecided += [(sid, NOT_ALLOWED) for sid in ids]
                continue
            except ModelRefused:  # this text only: the next one may be sent
                undecided += [(sid, REFUSED) for sid in ids]
                continue
            except AnswerUnreadable:  # junk says nothing about the sentence, nor the model
                undecided += [(sid, UNREADABLE) for sid in ids]
                continue
            except ModelTimedOut:
                failures += 1
                undecided += [(sid, TIMED_OUT) for sid in ids]
                continue
            except ModelUnavailable:
                failures += 1
                undecided += [(sid, UNAVAILABLE) for sid in ids]
                continue
            failures = 0
            read = _read(reply, len(batch))
            for sid, answer in zip(ids, read, strict=True):
                if answer is None:
                    undecided.append((sid, UNREADABLE))
                else:
                    verdicts.append(Verdict(sid, *answer))
        return Judgement(gateway.model_label, tuple(verdicts), tuple(undecided), requests,
                         time.monotonic() - started)

    def _items(self, draft: Draft, segments: list[Segment]) -> list[_Item]:
        """The sentences to judge: drafted summaries linked to turns (a sentence without
        evidence is the evidence check's; a quote found word for word needs no judge)."""
        index = {seg.id: i for i, seg in enumerate(segments)}
        items = []
        for section, sentence in draft.sentences():
            if sentence.kind is SentenceKind.HUMAN or section.reserved:
                continue
            linked = [index[i] for i in sentence.segment_ids if i in index]
            if not linked:
                continue
            said = " ".join(segments[i].text for i in linked)
            if sentence.kind is SentenceKind.QUOTE and _verbatim(sentence, said):
                continue
            items.append(_Item(section, sentence, self._context(linked, segments)))
        return items

    def _context(self, linked: list[int], segments: list[Segment]) -> tuple[int, ...]:
        """Linked turns first, then their neighbours nearest first, within ``max_words``."""
        chosen: list[int] = []
        words = 0
        linked_set = sorted(set(linked))
        extra = [i for i in _around(linked_set, len(segments), self.context_turns)
                 if i not in linked_set]
        extra.sort(key=lambda i: min(abs(i - j) for j in linked_set))
        for n, i in enumerate([*linked_set, *extra]):
            size = len(segments[i].text.split())
            if n and words + size > self.max_words:
                continue
            chosen.append(i)
            words += size
        return tuple(sorted(chosen))

    def _batches(self, items: list[_Item], segments: list[Segment]) -> list[list[_Item]]:
        """Neighbouring sentences of one section whose turns fit in one prompt together."""
        batches: list[list[_Item]] = []
        for item in items:
            last = batches[-1] if batches else None
            if (last is not None and len(last) < self.batch_size
                    and last[0].section.name == item.section.name):
                turns = {t for i in last for t in i.turns} | set(item.turns)
                if sum(len(segments[t].text.split()) for t in turns) <= self.max_words:
                    last.append(item)
                    continue
            batches.append([item])
        return batches

    def _messages(self, batch: list[_Item], segments: list[Segment],
                  context: CheckContext) -> list[ChatMessage]:
        turns = sorted({t for item in batch for t in item.turns})
        lines = "\n".join(_line(segments[i], context, self.max_words) for i in turns)
        if len(batch) == 1:
            ask = f"Sentence: {' '.join(batch[0].sentence.text.split())}"
            return [ChatMessage("system", _SYSTEM),
                    ChatMessage("user", f"Conversation:\n{lines}\n\n{ask}")]
        asks = "\n".join(f"{n}. {' '.join(item.sentence.text.split())}"
                         for n, item in enumerate(batch, 1))
        return [ChatMessage("system", _SYSTEM_MANY),
                ChatMessage("user", f"Conversation:\n{lines}\n\nSentences:\n{asks}")]

    def _flag(self, model: str, section: Section, sentence: Sentence, verdict: Verdict,
              reason: str | None) -> Flag:
        found = ("contradict it" if verdict.verdict == CONTRADICTED else "do not support it")
        why = f' ("{reason}")' if reason else ""
        turns = ", ".join(str(i) for i in sentence.segment_ids)
        return Flag(
            kind=FlagKind.UNSUPPORTED_CLAIM,
            severity=Severity.HIGH if verdict.verdict == CONTRADICTED else Severity.WARNING,
            explanation=(f"The model judge ({model}) found that the turns this sentence is "
                         f"linked to {found}{why}. This is a language model's opinion: check "
                         f"the sentence against turns {turns}."),
            section=section.name,
            sentence_id=sentence.id,
            segment_ids=tuple(sentence.segment_ids),
            suggestion="Check it against the turns shown; remove or reword anything that was "
                       "not said.",
            checker=self.name,
        )

    def _incomplete(self, judgement: Judgement,
                    by_id: dict[str, tuple[Section, Sentence]]) -> list[Flag]:
        by_section: dict[str, list[tuple[Sentence, str]]] = {}
        for sid, why in judgement.undecided:
            section, sentence = by_id[sid]
            by_section.setdefault(section.name, []).append((sentence, why))
        flags = []
        for name, undecided in by_section.items():
            reasons = sorted({why for _, why in undecided})
            shown = ", ".join(f"“{_opening(s.text)}”" for s, _ in undecided[:3])
            more = f" and {len(undecided) - 3} more" if len(undecided) > 3 else ""
            count = "1 sentence" if len(undecided) == 1 else f"{len(undecided)} sentences"
            flags.append(Flag(
                kind=FlagKind.CHECK_INCOMPLETE,
                severity=Severity.INFO,
                explanation=(f"The model judge ({judgement.model}) could not decide on {count} "
                             f"in this section ({'; '.join(reasons)}): {shown}{more}. The other "
                             "checks still looked at them."),
                section=name,
                segment_ids=tuple(sorted({i for s, _ in undecided for i in s.segment_ids})),
                checker=self.name,
            ))
        return flags


def _around(linked: Sequence[int], size: int, reach: int) -> list[int]:
    return sorted({j for i in linked for j in range(i - reach, i + reach + 1) if 0 <= j < size})


def _line(seg: Segment, context: CheckContext, max_words: int | None = None) -> str:
    role = context.speaker_roles.get(seg.speaker, "").replace("_", " ")
    who = f"{seg.speaker} ({role})" if role else seg.speaker
    words = seg.text.split()
    if max_words is not None and len(words) > max_words:
        words = [*words[:max_words], "…"]
    return f"{seg.id}: {who}: {' '.join(words)}"


def _read(reply: str, n: int) -> list[tuple[str, str] | None]:
    """``(verdict, reason)`` for each of ``n`` sentences, ``None`` where unreadable."""
    try:
        data = json.loads(reply)
    except ValueError:
        return [None] * n
    items: Any = [data] if n == 1 else (data.get("verdicts") if isinstance(data, dict) else None)
    if not isinstance(items, list) or len(items) != n:
        return [None] * n
    out: list[tuple[str, str] | None] = []
    for item in items:
        verdict = item.get("verdict") if isinstance(item, dict) else None
        reason = item.get("reason") if isinstance(item, dict) else None
        if verdict not in VERDICTS:
            out.append(None)
            continue
        out.append((str(verdict), " ".join(reason.split()) if isinstance(reason, str) else ""))
    return out


def _shown_reason(reason: str, allowed: str) -> str | None:
    """The model's reason, if it names nothing (no placeholder, number or capitalised word)
    that is not in the sentence or its turns; otherwise it is not shown."""
    reason = reason.strip()[:200]
    if not reason:
        return None
    if any(token not in allowed for token in _RISKY.findall(reason)):
        return None
    return reason


def _opening(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")
