"""A Presidio recogniser for the case's own people, built per call from the case record.

Generic named-entity models miss many of the names social workers hear every day ("Jayden",
"Tyler", "Bethany") and never know that "Kaylee" was the worker mis-hearing "Kayleigh". The case
record does know who takes part and who is talked about, so this recogniser looks for exactly
those people:

- full names and multi-word aliases, in any letter case ("Jo Hartley", "jo hartley");
- single name parts, first names, surnames and one-word nicknames, when capitalised ("Jayden",
  "Robson", "Jayden's"); a title in front is kept inside the span ("Mrs Dunn", "DC Ellery");
- names spelled out letter by letter ("K-A-Y-L-E-I-G-H", "R O B S O N");
- near misses of a known name (mis-heard or misspelt, "Kaylee", "Kirkley"), by Jaro-Winkler
  similarity, and short forms ("Con" or "Con-Con" for "Connor"), only for capitalised words the
  tagger reads as proper nouns.

Each result carries the known person's ``name`` in its recognition metadata (key
:data:`PERSON_KEY`) when the match is unambiguous, so the pseudonymise stage gives every form of a
person's name the same placeholder. A name part that several people share (a family surname)
is still found, but linked to no one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from rapidfuzz.distance import JaroWinkler

from casenotes.domain.people import Person

NAME = "CasePeopleRecognizer"
ENTITY = "PERSON"
PERSON_KEY = "casenotes_person"

# Every score is above the 0.85 Presidio gives a spaCy finding, so that when both find the same
# words the case's own (linked) finding is the one kept.
SCORE_FULL_NAME = 1.0
SCORE_SPELLED = 1.0
SCORE_NAME_PART = 0.95
SCORE_SHARED_NAME_PART = 0.9
SCORE_SPELLED_NEAR_MISS = 0.9
SCORE_NEAR_MISS = 0.88

#: Honorifics and family titles: kept inside a span when they come right before a name, but
#: never a name on their own.
TITLES = (
    "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Doctor", "Prof", "Professor", "Sir", "Dame", "Lady",
    "Lord",
    "Rev", "Revd", "Father", "Sister", "Nurse", "Cllr", "Councillor", "DC", "DS", "DI", "DCI",
    "PC", "PCSO", "Sgt", "Sergeant", "Inspector", "Auntie", "Aunty", "Aunt", "Uncle", "Nana",
    "Nanna", "Nan", "Nanny", "Gran", "Granny", "Grandma", "Grandad", "Grandpa",
)
_TITLE_KEYS = frozenset(t.lower() for t in TITLES)
_TITLE = r"(?:(?:" + "|".join(sorted(TITLES, key=len, reverse=True)) + r")\.?\s+)"

_MIN_NEAR_MISS_LENGTH = 4
_MIN_SHORT_FORM_LENGTH = 3
_NEAR_MISS_SIMILARITY = 0.88
_SPELLED_NEAR_MISS_SIMILARITY = 0.85
# A different first letter ("Cavanagh" for "Kavanagh") needs a longer, closer word.
_OTHER_INITIAL_MIN_LENGTH = 6
_OTHER_INITIAL_SIMILARITY = 0.9
# Capitalised words that are never a near miss of a name, however close ("March" ~ "Marsh").
_NEVER_NEAR_MISSES = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday christmas easter "
    "mum's mummy daddy nana nanna nanny granny grandma grandad grandpa auntie uncle".split()
)

# Letters spoken one at a time: "K-A-Y-L-E-I-G-H", "K.A.Y", or capitals "K A Y L E I G H".
_SPELLED = re.compile(
    r"(?<![\w\-–.'’])(?:[A-Za-z](?:\s?[-–.]\s?[A-Za-z])+|[A-Z](?:\s[A-Z])+)(?![\w\-–'’])"
)
_SPELLED_STRICT_SEPARATOR = re.compile(r"^[A-Za-z](?:\s?[-–.]\s?[A-Za-z])+$")
# A capitalised word, or a doubled one ("Con-Con").
_CAPITALISED_WORD = re.compile(r"(?<![\w\-–])(?P<word>[A-Z][a-z]{2,})(?:-(?P=word))?(?![\w\-–])")


@dataclass(frozen=True)
class _Target:
    """A person a name form may refer to (``None``: shared by several people)."""

    person: str | None
    score: float


def _core_words(name: str) -> list[str]:
    """The words of a name without leading titles ("DC Mark Ellery" → ["Mark", "Ellery"])."""
    words = name.split()
    while words and words[0].rstrip(".").lower() in _TITLE_KEYS:
        words = words[1:]
    return words


def _name_parts(word: str) -> list[str]:
    """A name word and, for hyphenated names, each part of three letters or more."""
    parts = [word]
    if "-" in word:
        parts.extend(p for p in word.split("-") if len(p) >= 3)
    return parts


def _alternation(forms: Iterable[str]) -> str:
    escaped = (r"\s+".join(re.escape(w) for w in form.split()) for form in forms)
    return "|".join(sorted(set(escaped), key=len, reverse=True))


class CasePeopleRecognizer(LocalRecognizer):
    """Finds the given known people in a text; build one per case (or per call)."""

    def __init__(
        self,
        known_people: Sequence[Person],
        *,
        fuzzy: bool = True,
        supported_language: str = "en",
    ) -> None:
        self.fuzzy = fuzzy
        self._full: dict[str, _Target] = {}
        self._parts: dict[str, _Target] = {}
        self._index(known_people)
        self._full_re = self._compile(self._full)
        self._part_re = self._compile(self._parts)
        super().__init__(
            supported_entities=[ENTITY],
            supported_language=supported_language,
            name=NAME,
        )

    # --- building ---

    def _index(self, people: Sequence[Person]) -> None:
        full_owners: dict[str, set[str]] = {}
        part_owners: dict[str, set[str]] = {}
        for person in people:
            for name in person.names:
                words = name.split()
                core = _core_words(name)
                for form in (words, core):
                    if len(form) > 1:
                        full_owners.setdefault(" ".join(form).lower(), set()).add(person.name)
                for word in core:
                    for part in _name_parts(word):
                        if len(part) >= 2 and part.lower() not in _TITLE_KEYS:
                            part_owners.setdefault(part.lower(), set()).add(person.name)
        for key, owners in full_owners.items():
            only = next(iter(owners)) if len(owners) == 1 else None
            self._full[key] = _Target(only, SCORE_FULL_NAME)
        for key, owners in part_owners.items():
            only = next(iter(owners)) if len(owners) == 1 else None
            score = SCORE_NAME_PART if only else SCORE_SHARED_NAME_PART
            self._parts[key] = _Target(only, score)

    @staticmethod
    def _compile(forms: dict[str, _Target]) -> re.Pattern[str] | None:
        """One pattern for all forms: an optional (capitalised) title, then the name in any case."""
        if not forms:
            return None
        return re.compile(
            rf"(?<![\w\-–])(?P<title>{_TITLE})?(?P<name>(?i:{_alternation(forms)}))(?![\w\-–])"
        )

    def load(self) -> None:
        """Nothing to load: the patterns are built from the known people in the constructor."""

    # --- matching ---

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        """Every occurrence of a known person's name in ``text``."""
        if entities and ENTITY not in entities:
            return []
        results: list[RecognizerResult] = []
        if self._full_re is not None:
            for m in self._full_re.finditer(text):
                results.append(self._result(m.start(), m.end(), self._full[_key(m["name"])]))
        if self._part_re is not None:
            for m in self._part_re.finditer(text):
                if m["name"][0].isupper():
                    target = self._parts[_key(m["name"])]
                    results.append(self._result(m.start(), m.end(), target))
        results.extend(self._spelled(text))
        if self.fuzzy:
            taken = [(r.start, r.end) for r in results]
            results.extend(self._near_misses(text, nlp_artifacts, taken))
        return results

    def _result(self, start: int, end: int, target: _Target) -> RecognizerResult:
        metadata: dict[str, object] = {
            RecognizerResult.RECOGNIZER_NAME_KEY: NAME,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
        }
        if target.person is not None:
            metadata[PERSON_KEY] = target.person
        return RecognizerResult(
            entity_type=ENTITY, start=start, end=end, score=target.score,
            recognition_metadata=metadata,
        )

    def _spelled(self, text: str) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        for m in _SPELLED.finditer(text):
            letters = "".join(ch for ch in m[0] if ch.isalpha()).lower()
            target = self._parts.get(letters)
            if target is not None:
                results.append(self._result(m.start(), m.end(), _Target(target.person,
                                                                        SCORE_SPELLED)))
            elif len(letters) >= 3 and _SPELLED_STRICT_SEPARATOR.match(m[0]):
                near = self._nearest(letters, _SPELLED_NEAR_MISS_SIMILARITY)
                if near is not None:
                    results.append(self._result(m.start(), m.end(), _Target(
                        near.person, SCORE_SPELLED_NEAR_MISS)))
        return results

    def _near_misses(
        self,
        text: str,
        nlp_artifacts: NlpArtifacts | None,
        taken: list[tuple[int, int]],
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        proper_nouns = _proper_noun_starts(nlp_artifacts)
        for m in _CAPITALISED_WORD.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            if proper_nouns is not None and m.start() not in proper_nouns:
                continue
            word = m["word"].lower()
            if word in _NEVER_NEAR_MISSES or word in _TITLE_KEYS:
                continue
            near = self._nearest(word, _NEAR_MISS_SIMILARITY) or self._short_form_of(word)
            if near is not None:
                results.append(self._result(m.start(), m.end(), _Target(near.person,
                                                                        SCORE_NEAR_MISS)))
        return results

    def _short_form_of(self, word: str) -> _Target | None:
        """The one known name that ``word`` shortens ("Con" → "Connor"), if there is one."""
        if len(word) < _MIN_SHORT_FORM_LENGTH:
            return None
        longer = [
            target
            for part, target in self._parts.items()
            if part.startswith(word) and len(part) >= len(word) + 2
        ]
        return longer[0] if len(longer) == 1 else None

    def _nearest(self, word: str, threshold: float) -> _Target | None:
        """The known name part ``word`` most resembles, if close enough.

        Words with the same first letter need ``threshold``; a different first letter (a
        spelling variant such as C/K) needs both words long and very close.
        """
        best: tuple[float, str] | None = None
        if len(word) < _MIN_NEAR_MISS_LENGTH:
            return None
        for part in self._parts:
            if len(part) < _MIN_NEAR_MISS_LENGTH or part == word:
                continue
            if abs(len(part) - len(word)) > 3:
                continue
            needed = threshold
            if part[0] != word[0]:
                if min(len(part), len(word)) < _OTHER_INITIAL_MIN_LENGTH:
                    continue
                needed = max(threshold, _OTHER_INITIAL_SIMILARITY)
            similarity = JaroWinkler.similarity(word, part)
            if similarity >= needed and (best is None or similarity > best[0]):
                best = (similarity, part)
        return self._parts[best[1]] if best is not None else None


def _key(surface: str) -> str:
    return " ".join(surface.split()).lower()


def _proper_noun_starts(nlp_artifacts: NlpArtifacts | None) -> set[int] | None:
    """Character offsets of tokens tagged as proper nouns, or None without a tagged doc."""
    doc = getattr(nlp_artifacts, "tokens", None)
    if doc is None:
        return None
    try:
        return {token.idx for token in doc if token.pos_ == "PROPN"}
    except AttributeError:
        return None
