"""Translating a letter without losing anything: the ``Translator`` protocol and the checks.

A letter is translated sentence by sentence (a whole letter in one call was seen to drop the
sign-off). Before a sentence reaches the engine, names, contact details, dates, times and
service names are replaced by placeholders (``[NAME_1]``, ``[DATE_1]`` ...); afterwards they
are restored: names and contact details word for word, dates and times written the target
language's way, service names from the language's fixed glossary. Greetings, headings, the
contact paragraph and the sign-off never go to the engine: they come from the language file.

Then the checks, all pure functions here:

* alignment: every source sentence has a non-empty counterpart (and the counts are equal);
* facts: the numbers, dates, times, names and contact details of each sentence are all in its
  translation, none changed, none added (a missing placeholder or a changed digit fails);
* meaning: the translation is translated back (when the engine has the reverse pair) and
  compared with the English by embedding cosine similarity; a sentence below the threshold is
  flagged for a person to review.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from casenotes.domain.errors import CasenotesError
from casenotes.pipeline.embed import Embedder
from casenotes.pipeline.letter_languages import LetterLanguage

#: Section names whose text is fixed per language (services/letters.py writes them).
OPENING, CONTACT, CLOSING = "Opening", "Contact details", "Closing"
DEFAULT_REVIEW_SIMILARITY = 0.75


class Translator(Protocol):
    """A translation engine: translates each segment on its own, in order."""

    name: str
    version: str

    def pairs(self) -> frozenset[tuple[str, str]]:
        """The (source, target) language pairs installed, e.g. ``("en", "pt")``."""
        ...

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        """One translation per segment, same order and count."""
        ...


class LanguageUnavailable(CasenotesError):
    """No installed engine (or no fixed letter text) for the language asked for."""

    status_code = 422


# --- sentences -----------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?…])[”\"’)]?\s+(?=[A-Z0-9“\"‘(\[])")
_ABBREVIATION = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|No|Prof|Rev)\.$")


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; never split inside an open quotation (“…”)."""
    text = " ".join(text.split())
    if not text:
        return []
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        piece = text[start:match.start()] + match.group(0).strip()
        if piece.count("“") > piece.count("”") or _ABBREVIATION.search(piece):
            continue  # inside a quote, or after "Dr.": keep going
        out.append(piece.strip())
        start = match.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


# --- placeholders --------------------------------------------------------------------------

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH = "|".join(_MONTHS)
_DATE_DM = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?: of)? ({_MONTH})(?:,? (\d{{4}}))?\b")
_DATE_MD = re.compile(rf"\b({_MONTH}) (\d{{1,2}})(?:st|nd|rd|th)?(?:,? (\d{{4}}))?\b")
_MONTH_ONLY = re.compile(rf"\b({_MONTH})\b")
_WEEKDAY = re.compile(rf"\b({'|'.join(_WEEKDAYS)})\b")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
_TIME_12 = re.compile(r"\b(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))? ?([ap])\.?m\b\.?", re.IGNORECASE)
_TIME_24 = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)\b")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(r"(?<![\w+])(?:\+44 ?|0)\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}\b")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")
_MONEY = re.compile(r"[£$€] ?\d+(?:,\d{3})*(?:\.\d{2})?(?: ?(?:million|k)\b)?")
_SLOT = re.compile(r"\[\s*(NAME|DATE|TIME|CONTACT|TERM|MONEY)\s*_\s*(\d+)\s*\]")
# A placeholder right after an opening quote can come back with the quote and the bracket run
# together ("Perguntei: 'NAME_1], o que …" for "I asked: “[NAME_1], what …"), or lose its
# opening bracket ("do NAME_1] e"): the quote is put back as the language writes it, then the
# piece.
_QUOTED_SLOT = re.compile(
    r"(?:(?P<quote>[‘'\"“«])\s*|(?<![\w\[]))(NAME|DATE|TIME|CONTACT|TERM|MONEY)\s*_\s*(\d+)\s*\]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Slot:
    """One protected piece: ``key`` is the placeholder, ``fact`` what it means."""

    key: str
    kind: str  # NAME / DATE / TIME / CONTACT / TERM / MONEY
    surface: str  # the English text it replaced
    fact: str  # what must be in the translation, e.g. "date:12-3", "time:15:00"
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None
    hour: int = 0
    minute: int = 0


@dataclass(frozen=True)
class Protected:
    text: str
    slots: tuple[Slot, ...]


def _ranges_free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= s or start >= e for s, e in taken)


def protect(sentence: str, names: Sequence[str], glossary: Sequence[str] = ()) -> Protected:
    """Replace names, contact details, sums of money, dates, times and glossary terms with
    placeholders."""
    found: list[tuple[int, int, str, dict[str, object]]] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, kind: str, **info: object) -> None:
        if _ranges_free(taken, start, end):
            taken.append((start, end))
            found.append((start, end, kind, info))

    for pattern in (_EMAIL, _PHONE, _POSTCODE, _NUMERIC_DATE):
        for m in pattern.finditer(sentence):
            add(m.start(), m.end(), "CONTACT")
    for m in _MONEY.finditer(sentence):
        add(m.start(), m.end(), "MONEY")
    for m in _DATE_DM.finditer(sentence):
        add(m.start(), m.end(), "DATE", day=int(m.group(1)),
            month=_MONTHS.index(m.group(2)) + 1, year=int(m.group(3)) if m.group(3) else None)
    for m in _DATE_MD.finditer(sentence):
        add(m.start(), m.end(), "DATE", day=int(m.group(2)),
            month=_MONTHS.index(m.group(1)) + 1, year=int(m.group(3)) if m.group(3) else None)
    for m in _MONTH_ONLY.finditer(sentence):
        if m.group(1) == "May" and not re.search(r"\b(in|of|since|until|by) $",
                                                 sentence[:m.start()]):
            continue  # "May I ..." is not a month
        add(m.start(), m.end(), "DATE", day=None, month=_MONTHS.index(m.group(1)) + 1)
    for m in _WEEKDAY.finditer(sentence):
        add(m.start(), m.end(), "DATE", weekday=_WEEKDAYS.index(m.group(1)))
    for m in _TIME_12.finditer(sentence):
        hour = int(m.group(1)) % 12 + (12 if m.group(3).lower() == "p" else 0)
        add(m.start(), m.end(), "TIME", hour=hour, minute=int(m.group(2) or 0))
    for m in _TIME_24.finditer(sentence):
        add(m.start(), m.end(), "TIME", hour=int(m.group(1)), minute=int(m.group(2)))
    for term in sorted(glossary, key=len, reverse=True):
        for variant in {term, term[:1].lower() + term[1:], term[:1].upper() + term[1:]}:
            for m in re.finditer(rf"(?<!\w){re.escape(variant)}(?!\w)", sentence):
                add(m.start(), m.end(), "TERM", term=term)
    for name in sorted({n for n in names if n.strip()}, key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", sentence):
            add(m.start(), m.end(), "NAME")
    counters: Counter[str] = Counter()
    placed: list[tuple[int, Slot]] = []
    for start, end, kind, info in sorted(found, key=lambda f: f[0]):
        counters[kind] += 1
        placed.append((start, _slot(f"[{kind}_{counters[kind]}]", kind, sentence[start:end],
                                    info)))
    out = sentence
    for start, slot in reversed(placed):
        out = out[:start] + slot.key + out[start + len(slot.surface):]
    slots = [slot for _, slot in placed]
    return Protected(out, tuple(slots))


def _slot(key: str, kind: str, surface: str, info: dict[str, object]) -> Slot:
    def num(name: str) -> int | None:
        value = info.get(name)
        return value if isinstance(value, int) else None

    if kind == "DATE":
        weekday = num("weekday")
        if weekday is not None:
            return Slot(key, kind, surface, f"weekday:{weekday}", weekday=weekday)
        day, month, year = num("day"), num("month"), num("year")
        return Slot(key, kind, surface, f"date:{day or '-'}-{month}-{year or '-'}", day=day,
                    month=month, year=year)
    if kind == "TIME":
        hour, minute = num("hour") or 0, num("minute") or 0
        return Slot(key, kind, surface, f"time:{hour:02d}:{minute:02d}", hour=hour,
                    minute=minute)
    if kind == "TERM":
        return Slot(key, kind, surface, f"term:{info.get('term')}")
    return Slot(key, kind, surface, f"{kind.lower()}:{surface}")


def render(slot: Slot, language: LetterLanguage) -> str:
    """How a protected piece is written in ``language`` (never by the engine)."""
    if slot.kind == "DATE":
        if slot.weekday is not None:
            return language.weekdays[slot.weekday]
        return language.format_date(slot.day, slot.month or 1, slot.year)
    if slot.kind == "TIME":
        return language.format_time(slot.hour, slot.minute)
    if slot.kind == "TERM":
        term = slot.fact.removeprefix("term:")
        return language.glossary.get(term, slot.surface)
    return slot.surface  # names, contact details, sums of money: word for word


def restore(text: str, protected: Protected, language: LetterLanguage) -> str:
    """Put the protected pieces back into the engine's output, written the language's way."""
    by_key = {slot.key: slot for slot in protected.slots}

    def put(match: re.Match[str]) -> str:
        slot = by_key.get(f"[{match.group(1)}_{match.group(2)}]")
        return render(slot, language) if slot else match.group(0)

    def put_quoted(match: re.Match[str]) -> str:
        slot = by_key.get(f"[{match.group(2)}_{match.group(3)}]")
        if slot is None:
            return match.group(0)
        return ("“" if match.group("quote") else "") + render(slot, language)

    return _SLOT.sub(put, _QUOTED_SLOT.sub(put_quoted, text))


# --- checks --------------------------------------------------------------------------------


def _number(surface: str) -> str:
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", surface):
        return str(int(re.sub(r"[.,]", "", surface)))
    value = surface.replace(",", ".")
    return value.rstrip(".") if "." in value else str(int(value))


def numbers(text: str) -> Counter[str]:
    """The numbers written in digits in ``text`` (1,200 and 1.200 are the same number)."""
    return Counter(_number(m.group(0)) for m in _NUMBER.finditer(text))


def expected_facts(protected: Protected) -> Counter[str]:
    """What the translation must carry: each protected piece, and every number in digits."""
    rest = _SLOT.sub(" ", protected.text)
    facts = Counter(slot.fact for slot in protected.slots)
    facts.update(f"number:{n}" for n in numbers(rest).elements())
    return facts


def found_facts(translation: str, protected: Protected, language: LetterLanguage) -> Counter[str]:
    """The facts actually in a restored translation: rendered pieces, then digits, then any
    month or weekday name the engine wrote itself (a date it made up or changed)."""
    facts: Counter[str] = Counter()
    rest = translation
    for slot in sorted(protected.slots, key=lambda s: -len(render(s, language))):
        rendered = render(slot, language)
        if slot.kind == "TERM" and not rendered.strip():
            continue
        count = rest.count(rendered)
        if count:
            facts[slot.fact] += count
            rest = rest.replace(rendered, " ")
    facts.update(f"number:{n}" for n in numbers(rest).elements())
    lowered = rest.lower()
    for index, month in enumerate(language.months):
        for _ in re.finditer(rf"(?<!\w){re.escape(month.lower())}(?!\w)", lowered):
            facts[f"date:?-{index + 1}-?"] += 1
    for index, day in enumerate(language.weekdays):
        for _ in re.finditer(rf"(?<!\w){re.escape(day.lower())}(?!\w)", lowered):
            facts[f"weekday:{index}"] += 1
    return facts


def _kind(fact: str) -> str:
    return {"name": "name", "contact": "contact detail", "money": "sum of money",
            "date": "date", "weekday": "date", "time": "time", "number": "number",
            "term": "service name"}.get(
        fact.split(":", 1)[0], "fact")


def fact_problems(translation: str, protected: Protected, language: LetterLanguage) -> list[str]:
    """Numbers, dates, times, names missing, changed or added (by kind, never the value)."""
    want, got = expected_facts(protected), found_facts(translation, protected, language)
    problems = [f"a {_kind(f)} is missing or changed" for f in sorted((want - got).elements())]
    problems += [f"a {_kind(f)} was added" for f in sorted((got - want).elements())]
    if _SLOT.search(translation):
        problems.append("a placeholder was not restored")
    return problems


def alignment_problems(source: Sequence[str], target: Sequence[str]) -> list[tuple[int, str]]:
    """(sentence index, problem): a count mismatch, an empty counterpart, a very short one."""
    problems: list[tuple[int, str]] = []
    if len(source) != len(target):
        problems.append((min(len(source), len(target)),
                         f"{len(source)} English sentences but {len(target)} translated"))
    for index, (src, tgt) in enumerate(zip(source, target, strict=False)):
        if not tgt.strip():
            problems.append((index, "the sentence has no translation (dropped)"))
        elif len(tgt.strip()) < 0.35 * len(src.strip()):
            problems.append((index, "the translation is much shorter than the English"))
    return problems


# --- the letter ----------------------------------------------------------------------------


@dataclass
class TranslatedLine:
    section: str
    kind: str  # heading / fixed / sentence
    source: str
    target: str
    back: str | None = None
    similarity: float | None = None
    flagged: bool = False
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"section": self.section, "kind": self.kind, "source": self.source,
                "target": self.target, "back": self.back, "similarity": self.similarity,
                "flagged": self.flagged, "problems": list(self.problems)}


@dataclass(frozen=True)
class LetterParts:
    """What the translator needs of a letter (services/letters.py builds it)."""

    sections: tuple[tuple[str, str], ...]
    addressee: str
    signer: str
    interpreters: tuple[str, ...]
    names: tuple[str, ...]  # every name to protect


@dataclass(frozen=True)
class TranslatedLetter:
    lines: tuple[TranslatedLine, ...]
    source_sentences: int
    translated_sentences: int
    dropped: int
    fact_problems: int
    facts_checked: int
    flagged: int
    back_translated: bool
    threshold: float

    @property
    def blocking(self) -> int:
        """Problems that stop the letter being confirmed until fixed."""
        return self.dropped + self.fact_problems

    def counts(self) -> dict[str, int | float | bool]:
        return {"source_sentences": self.source_sentences,
                "translated_sentences": self.translated_sentences, "dropped": self.dropped,
                "fact_problems": self.fact_problems, "facts_checked": self.facts_checked,
                "flagged": self.flagged, "back_translated": self.back_translated,
                "threshold": self.threshold}


Progress = Callable[[int, int], None]


def _fixed_lines(name: str, parts: LetterParts, language: LetterLanguage,
                 english: LetterLanguage, text: str) -> list[TranslatedLine]:
    if name == OPENING:
        return [TranslatedLine(name, "fixed", text or english.greeting(parts.addressee),
                               language.greeting(parts.addressee))]
    if name == CONTACT:
        lines = [TranslatedLine(name, "fixed", english.contact, language.contact)]
        for who in parts.interpreters:
            lines.append(TranslatedLine(name, "fixed", english.interpreter_line(who),
                                        language.interpreter_line(who)))
        return lines
    return [TranslatedLine(name, "fixed", text or english.sign_off(parts.signer),
                           language.sign_off(parts.signer))]


def translate_letter(
    parts: LetterParts, translator: Translator, language: LetterLanguage,
    english: LetterLanguage, *, embedder: Embedder | None,
    threshold: float = DEFAULT_REVIEW_SIMILARITY, progress: Progress | None = None,
) -> TranslatedLetter:
    """Translate a letter sentence by sentence and run every check on the result."""
    lines: list[TranslatedLine] = []
    pending: list[tuple[TranslatedLine, Protected]] = []
    for name, text in parts.sections:
        lines.append(TranslatedLine(name, "heading", english.heading(name),
                                    language.heading(name)))
        if name in (OPENING, CONTACT, CLOSING):
            lines += _fixed_lines(name, parts, language, english, text)
            continue
        for paragraph in (p for p in text.split("\n") if p.strip()):
            for sentence in split_sentences(paragraph):
                protected = protect(sentence, parts.names, tuple(language.glossary))
                line = TranslatedLine(name, "sentence", sentence, "")
                lines.append(line)
                pending.append((line, protected))
    raw: list[str] = []
    for index, (_, protected) in enumerate(pending):
        raw += translator.translate([protected.text], "en", language.code)
        if progress is not None:
            progress(index + 1, len(pending))
    sources = [p.text for _, p in pending]
    dropped = 0
    for index, problem in alignment_problems(sources, raw):
        if index < len(pending):
            pending[index][0].problems.append(problem)
        dropped += 1
    facts = 0
    fact_count = 0
    for (line, protected), out in zip(pending, raw, strict=False):
        line.target = restore(out, protected, language)
        problems = fact_problems(line.target, protected, language)
        line.problems += problems
        fact_count += len(problems)
        facts += sum(expected_facts(protected).values())
    back_ok = (language.code, "en") in translator.pairs() and embedder is not None
    flagged = 0
    if back_ok and pending and embedder is not None:
        backs = translator.translate(raw, language.code, "en")
        src_vectors = embedder.embed(sources)
        back_vectors = embedder.embed([b or " " for b in backs])
        sims = np.sum(src_vectors * back_vectors, axis=1)
        for (line, protected), back, sim in zip(pending, backs, sims, strict=True):
            line.back = restore(back, protected, english)
            line.similarity = round(float(sim), 3)
            line.flagged = line.similarity < threshold
            flagged += int(line.flagged)
    return TranslatedLetter(
        lines=tuple(lines), source_sentences=len(pending),
        translated_sentences=sum(1 for r in raw if r.strip()), dropped=dropped,
        fact_problems=fact_count, facts_checked=facts, flagged=flagged,
        back_translated=back_ok, threshold=threshold)
