"""Surrogate mode: realistic stand-ins for placeholders in the text a model sees.

Stored pseudonymised text always carries placeholders (``[PERSON_2]``), so offsets and the
vault stay simple. Some models write better about "Oliver" than about "[PERSON_2]"; for them,
:func:`to_surrogates` swaps each placeholder for a fake value of the same kind (a first name
for a first name, "Mrs Shaw" for "Mrs Mehta", a 07700 900 drama number for a phone number) and
:func:`to_placeholders` swaps them back in the model's answer. "Oliver's mother" then becomes
"[PERSON_2]'s mother" and, re-identified, the real child's mother: relationships survive.

Surrogates are chosen deterministically from the placeholder, never from the real value, and
never equal a name part of the case's known people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from casenotes.domain.people import Person
from casenotes.pipeline.pseudonymise import PLACEHOLDER, PseudonymMap

FIRST_NAMES = (
    "Oliver", "Amelia", "Harry", "Isla", "George", "Poppy", "Noah", "Freya", "Arthur", "Evie",
    "Leo", "Rosie", "Oscar", "Ivy", "Theo", "Florence", "Alfie", "Willow", "Finley", "Daisy",
    "Archie", "Phoebe", "Reuben", "Matilda", "Toby", "Elsie", "Rory", "Hazel", "Felix", "Maisie",
)
SURNAMES = (
    "Bennett", "Shaw", "Holloway", "Pritchard", "Marsh", "Fenwick", "Ashworth", "Lowe",
    "Carver", "Whitfield", "Dunmore", "Radley", "Ellison", "Pemberton", "Quinlan", "Stroud",
)
TITLES = ("Mr", "Mrs", "Ms", "Miss", "Dr")
PLACES = ("Ashby Vale", "Brackenford", "Castlemere", "Dunholme", "Elmsworth", "Fairleigh",
          "Greyhaven", "Hollinsby", "Kestrel Bridge", "Larkfield")
ORGANISATIONS = ("Brook Lane", "Cedar Park", "Elm Grove", "Fernhill", "Maple Way",
                 "Oakfield", "Riverside", "Willowbank")


@dataclass(frozen=True)
class SurrogateText:
    """Text with surrogates in place of placeholders, and the way back."""

    text: str
    back: dict[str, str]  # surrogate → placeholder

    @property
    def surfaces(self) -> list[str]:
        """The surrogates used (safe for the model gateway to let through)."""
        return list(self.back)


def surrogate_for(placeholder: str, display: str, avoid: frozenset[str] = frozenset()) -> str:
    """A stand-in for ``placeholder`` of the same kind as ``display`` (the real value)."""
    match = PLACEHOLDER.fullmatch(placeholder)
    if match is None:
        return placeholder
    kind, number = match.group(1), int(match.group(2))
    if kind == "PERSON":
        return _person(number, display, avoid)
    if kind == "LOCATION":
        return _pick(PLACES, number, avoid)
    if kind == "ORGANISATION":
        base = _pick(ORGANISATIONS, number, avoid)
        suffix = next((w for w in ("Primary School", "Academy", "Nursery", "Surgery",
                                   "Medical Centre", "Hospital", "School") if w.lower()
                       in display.lower()), "Centre")
        return f"{base} {suffix}"
    if kind == "PHONE_NUMBER":
        return f"07700 900{number % 1000:03d}"  # Ofcom's range for drama: never a real line
    if kind == "EMAIL_ADDRESS":
        return f"person{number}@example.org"
    if kind == "UK_POSTCODE":
        return f"ZZ99 {number % 10}ZZ"  # the NHS pseudo-postcode area, no real address
    if kind == "ADDRESS":
        return f"{number * 7 % 90 + 1} {_pick(ORGANISATIONS, number, avoid)} Road"
    if kind == "NHS_NUMBER":
        return _nhs_test_number(number)
    if kind == "NI_NUMBER":
        return f"QQ {number % 100:02d} 00 00 C"  # QQ is never issued
    if kind == "DATE_OF_BIRTH":
        return f"{number % 28 + 1} March 2015"
    return placeholder


def to_surrogates(
    text: str, mapping: PseudonymMap, known_people: Sequence[Person]
) -> SurrogateText:
    """Replace every placeholder in ``text`` with its surrogate.

    A surrogate never equals a name part of the case's known people nor any word already in
    ``text``: the gateway lets surrogates through, so one that matched a real name the detector
    missed would let that name through too.
    """
    avoid = _name_parts(known_people) | frozenset(
        w.lower() for w in re.findall(r"[A-Za-z]+", PLACEHOLDER.sub(" ", text)))
    back: dict[str, str] = {}

    def swap(match: re.Match[str]) -> str:
        placeholder = match.group(0)
        surrogate = surrogate_for(placeholder, mapping.display.get(placeholder, ""), avoid)
        back[surrogate] = placeholder
        return surrogate

    return SurrogateText(PLACEHOLDER.sub(swap, text), back)


def to_placeholders(text: str, rendered: SurrogateText) -> str:
    """Put the placeholders back where a model wrote surrogates (longest surrogate first)."""
    if not rendered.back:
        return text
    ordered = sorted(rendered.back, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(s) for s in ordered) + r")\b")
    return pattern.sub(lambda m: rendered.back[m.group(0)], text)


def _person(number: int, display: str, avoid: frozenset[str]) -> str:
    parts = display.split()
    first = _pick(FIRST_NAMES, number, avoid)
    last = _pick(SURNAMES, number, avoid)
    if parts and parts[0].rstrip(".") in TITLES:
        return f"{parts[0]} {last}"
    if len(parts) >= 2:
        return f"{first} {last}"
    return first


def _pick(options: Sequence[str], number: int, avoid: frozenset[str]) -> str:
    usable = [o for o in options if o.lower() not in avoid] or list(options)
    value = usable[(number - 1) % len(usable)]
    rounds = (number - 1) // len(usable)
    return value if rounds == 0 else f"{value}-{_pick(SURNAMES, rounds, avoid)}"


def _name_parts(people: Iterable[Person]) -> frozenset[str]:
    return frozenset(part.lower() for p in people for name in p.names for part in name.split())


def _nhs_test_number(number: int) -> str:
    """A checksum-valid number in the 999 range that NHS England reserves for testing."""
    seed = 999_000_000 + number * 7919 % 1_000_000
    while True:
        digits = [int(d) for d in f"{seed:09d}"]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            text = f"{seed:09d}{check}"
            return f"{text[:3]} {text[3:6]} {text[6:]}"
        seed += 1
