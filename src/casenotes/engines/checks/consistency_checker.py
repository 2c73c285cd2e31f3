"""Consistency check: names, relationships, ages and days agree with the record and transcript.

* A name that is nearly, but not exactly, one the case record knows ("Kaylee" for "Kayleigh")
  is flagged with the recorded spelling as a suggestion.
* A name the transcription heard with low confidence is flagged for the practitioner to
  confirm (when the transcript carries word confidences).
* A relationship the draft gives someone ("Pauline, Kayleigh's sister") that differs from the
  one said in the conversation ("my mam, Pauline") is flagged, and so is an age ("Jayden (9)")
  or a day or month that nobody said.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from casenotes.domain.draft import Draft, Section, Sentence, SentenceKind
from casenotes.domain.flags import Flag, FlagKind, Severity
from casenotes.domain.transcript import Transcript
from casenotes.engines.checks.detail_checker import AGES as _AGE
from casenotes.engines.checks.detail_checker import DAYS as _DAYS
from casenotes.engines.checks.detail_checker import names, numbers
from casenotes.pipeline.check import CheckContext

_RELATIONS = {
    "mother": "mother", "mum": "mother", "mam": "mother", "mom": "mother",
    "father": "father", "dad": "father", "daddy": "father",
    "son": "son", "daughter": "daughter", "brother": "brother", "sister": "sister",
    "grandmother": "grandmother", "nan": "grandmother", "nana": "grandmother",
    "gran": "grandmother", "grandma": "grandmother", "grandfather": "grandfather",
    "grandad": "grandfather", "granddad": "grandfather", "grandpa": "grandfather",
    "aunt": "aunt", "auntie": "aunt", "aunty": "aunt", "uncle": "uncle",
    "nephew": "nephew", "niece": "niece", "cousin": "cousin",
    "husband": "husband", "wife": "wife", "partner": "partner", "boyfriend": "partner",
    "girlfriend": "partner", "ex-partner": "ex-partner", "ex": "ex-partner",
    "stepmother": "stepmother", "stepfather": "stepfather", "stepdad": "stepfather",
    "stepmum": "stepmother",
}
_REL = "|".join(sorted(map(re.escape, _RELATIONS), key=len, reverse=True))
_NAME = r"(\[[A-Z]+(?:_[A-Z]+)*_\d+\]|[A-Z][a-z]+)"
# "Pauline (mother)", "Pauline, her mother", "her mother Pauline", "Kayleigh's mother, Pauline"
_PAIRS = (
    re.compile(rf"{_NAME}\s*\((?:the |his |her |their )?(?:[\w\[\]']+'s )?({_REL})\b"),
    re.compile(rf"{_NAME},\s+(?:the |his |her |their |my )?(?:[\w\[\]]+'s )?({_REL})\b"),
    re.compile(rf"\b(?i:his|her|their|my|the)\s+({_REL}),?\s+{_NAME}"),
)
_POSSESSIVE = re.compile(r"['\u2019]s$")
# "Kaylee" for "Kayleigh" is two letters short; a name three or more letters longer or shorter
# than the recorded one is another word, not a mishearing of it.
_LENGTH_GAP = 2


def _pairs(text: str) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for n, pattern in enumerate(_PAIRS):
        for m in pattern.finditer(text):
            name, rel = (m.group(2), m.group(1)) if n == 2 else (m.group(1), m.group(2))
            found.add((name, _RELATIONS[rel.lower()]))
    return found


class ConsistencyChecker:
    """Flags names, relationships, ages and days that disagree with the record or transcript."""

    name = "consistency"
    version = "1.1"

    def __init__(self, *, min_confidence: float = 0.6, close_name: float = 70.0) -> None:
        self._min_confidence = min_confidence
        self._close = close_name

    def check(self, draft: Draft, transcript: Transcript, context: CheckContext) -> list[Flag]:
        known = {part for n in context.known_names for part in n.split() if part[:1].isupper()}
        said = "\n".join(seg.text for seg in transcript.segments)
        said_pairs = _pairs(said)
        said_values = {v for _, v in numbers(said, lone_words=True)}
        said_days = {d.lower() for d in _DAYS.findall(said)}
        flags: list[Flag] = []
        for section, sentence in draft.sentences():
            if sentence.kind is SentenceKind.HUMAN:
                continue
            text = sentence.text
            for item in names(text):
                near = self._near_name(item, known)
                if near:
                    heard, fixed = near
                    flags.append(self._flag(
                        section, sentence,
                        f"The name \"{heard}\" is close to, but not the same as, \"{fixed}\" "
                        "in the case record. It may be misheard or misspelt.",
                        re.sub(rf"\b{re.escape(heard)}\b", fixed, text)))
            for name, rel in _pairs(text):
                others = {r for n, r in said_pairs if n == name}
                if others and rel not in others:
                    flags.append(self._flag(
                        section, sentence,
                        f"The draft calls {name} the {rel}, but in the conversation {name} "
                        f"was called the {' or '.join(sorted(others))}.", None))
            for pattern in _AGE:
                for m in pattern.finditer(text):
                    age = m.group(1) if m.group(1).isdigit() else m.group(2)
                    value = numbers(age)
                    if value and value[0][1] not in said_values:
                        flags.append(self._flag(
                            section, sentence,
                            f"The age {age} is not said anywhere in the conversation; check "
                            "it against the case record.", None))
            for day in _DAYS.findall(text):
                if day.lower() not in said_days and day != "May":
                    flags.append(self._flag(
                        section, sentence,
                        f"\"{day}\" is not said anywhere in the conversation; check the date.",
                        None))
        flags += self._uncertain(draft, transcript)
        return flags

    def _near_name(self, item: str, known: set[str]) -> tuple[str, str] | None:
        """``(the name as written, the recorded name)`` when one looks like a mishearing of the
        other. A possessive is the name itself ("Daria's"), a day or month is not a name
        ("March" is not "Marsh"), and a much shorter or longer word is another name
        ("Bulwell" is not "Bell")."""
        heard = _POSSESSIVE.sub("", item)
        if heard.startswith("[") or heard in known or not known or _DAYS.fullmatch(heard):
            return None
        best = max(known, key=lambda k: fuzz.ratio(heard.lower(), k.lower()))
        if best.startswith("[") or len(heard) < 4 or heard[0] != best[0] \
                or abs(len(heard) - len(best)) > _LENGTH_GAP \
                or fuzz.ratio(heard.lower(), best.lower()) < self._close:
            return None
        return heard, best

    def _uncertain(self, draft: Draft, transcript: Transcript) -> list[Flag]:
        """Turns whose name-like words the transcription was unsure of, if the draft uses them."""
        flags: list[Flag] = []
        used: dict[int, tuple[Section, Sentence]] = {}
        for section, sentence in draft.sentences():
            for i in sentence.segment_ids:
                used.setdefault(i, (section, sentence))
        for seg in transcript.segments:
            if seg.id not in used:
                continue
            doubtful = [w.text for w in seg.words
                        if w.confidence is not None and w.confidence < self._min_confidence
                        and w.text[:1].isupper() and w.text.strip(".,!?") not in ("I", "I'm")]
            if doubtful:
                section, sentence = used[seg.id]
                flags.append(Flag(
                    kind=FlagKind.NAME_CONSISTENCY,
                    severity=Severity.WARNING,
                    explanation=(
                        f"The transcription was unsure of {len(doubtful)} name-like "
                        f"word{'s' if len(doubtful) > 1 else ''} in turn {seg.id}, which this "
                        "sentence uses. Listen to the recording and confirm the name."),
                    section=section.name,
                    sentence_id=sentence.id,
                    segment_ids=(seg.id,),
                    checker=self.name,
                ))
        return flags

    def _flag(self, section: Section, sentence: Sentence, why: str,
              suggestion: str | None) -> Flag:
        return Flag(
            kind=FlagKind.NAME_CONSISTENCY,
            severity=Severity.WARNING,
            explanation=why,
            section=section.name,
            sentence_id=sentence.id,
            segment_ids=tuple(sentence.segment_ids),
            suggestion=suggestion,
            checker=self.name,
        )
