"""Detail check: names and numbers in a sentence must appear in the turns it is linked to
(or the two turns either side of them; a name may also come from the case record).

A drafter that invents a name ("[PERSON_3]", "Mrs Dunn") or a number ("£500", "three", "10am")
is caught here even when the rest of the sentence is faithful. Numbers are compared by value, so
"78%" is supported by "seventy-eight percent" and "£2" by "two pound". A capitalised word said
elsewhere in the conversation ("Romanian") and a word of a title ("the Care Act") are not
inventions; a person the pseudonymisation found must be said near the linked turns. Ages after
a name ("Jayden (8)") and days and months are the consistency check's (against the whole
conversation), so they are flagged once, not twice.
"""

from __future__ import annotations

import re

from casenotes.domain.draft import Draft, Sentence, SentenceKind
from casenotes.domain.flags import Flag, FlagKind, Severity
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.checks.wording import is_content, stem
from casenotes.pipeline.check import CheckContext

_PLACEHOLDER = re.compile(r"\[[A-Z]+(?:_[A-Z]+)*_\d+\]")
#: Words of letters (any alphabet: "Kazlauskienė", "Şahin"); the capitalised ones are kept.
_LETTERS = re.compile(r"(?<![\w'’\-])[^\W\d_](?:[\w'’\-]*[^\W\d_])?(?![\w'’])")
_DIGITS = re.compile(r"£?\d+(?:,\d{3})*(?:\.\d+)?(?::\d\d)?(?:%|st|nd|rd|th|am|pm|p|k)?(?![\w])")
_NOT_NAMES = frozenset({"i", "i'm", "i'll", "i've", "i'd", "ok"})
#: Words capitalised as part of a title ("the Care Act", "Greenbank Surgery", "Bulwell Homes"):
#: not a name on their own; the words that make the title distinctive are checked.
_TITLE_WORDS = frozenset("""
act acts order orders plan plans team teams service services council trust court unit ward
centre center road street lane avenue close drive way hospital surgery practice clinic school
primary academy nursery college university homes housing association group hub line
conference meeting panel board authority department office project partnership
""".split())
#: A name, accented letters included ("Ciarán", "Zoë").
_PERSON = r"(\[[A-Z]+(?:_[A-Z]+)*_\d+\]|[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+)"
#: A person's age as a note writes it: "Jayden (8)", "Jayden, aged 8", "an 8-year-old boy,
#: Jayden". Whether anyone said it is the consistency check's question (an age comes from the
#: case record as often as from the conversation), so the detail check leaves it alone.
AGES = (
    re.compile(rf"{_PERSON}\s*\((\d{{1,3}})(?:\s+(?:months?|weeks?|years?)(?: old)?)?\)"),
    re.compile(rf"{_PERSON},?\s+aged\s+(\d{{1,3}})"),
    re.compile(rf"(\d{{1,3}})-year-old\s+(?:\w+\s+)?{_PERSON}"),
    # "Terry Marsden, 72, who cares for …": an age in apposition after a name.
    re.compile(rf"{_PERSON},\s+(\d{{1,3}})(?=\s*[,;.)]|\s+(?:who|and|is|has|was)\b)"),
    # "Jasleen is four months old", "Ryan, now 9 years old"
    re.compile(rf"{_PERSON},?\s+(?:is|was|who is|now|is now)\s+(?:now\s+)?(\d{{1,3}}|[a-z]+"
               r"(?:[\s-][a-z]+)?)\s+(?:months?|weeks?|years?)\s+old\b"),
)
#: Days and months: whether anyone said them is the consistency check's question too.
DAYS = re.compile(
    r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
    r"April|May|June|July|August|September|October|November|December)s?\b")
#: Turns either side of a linked turn that also count as its support.
NEIGHBOURHOOD = 2
_STARTERS = ".!?:;…"
_QUOTES = "\"“”‘’'()[]"

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
    "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
    "eighteenth": 18, "nineteenth": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "twentieth": 20, "thirtieth": 30, "fortieth": 40,
    "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# Words that are numbers on their own only in the transcript ("the blue one", "first aid").
_ONLY_IN_RUNS = frozenset({"one", "first", "second", "zero"})
_NUMBER_WORD = re.compile(
    r"\b(?:" + "|".join(sorted([*_UNITS, *_TENS, *_SCALES], key=len, reverse=True)) + r")\b"
)
_RUN = re.compile(rf"{_NUMBER_WORD.pattern}(?:(?:\s+and\s+|[\s-]+){_NUMBER_WORD.pattern})*")


def _norm(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'")


def _word_value(run: str) -> float:
    """``"seventy-eight"`` → 78, ``"four hundred"`` → 400, ``"twenty sixteen"`` → 2016."""
    total, current, previous = 0, 0, 0
    for word in re.findall(r"[a-z]+", run):
        if word == "and":
            continue
        if word in _SCALES:
            scale = _SCALES[word]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * scale
                current = 0
        else:
            value = _UNITS.get(word, _TENS.get(word, 0))
            if previous >= 10 and value >= 10:  # "twenty sixteen", "nineteen ninety"
                current = current * 100 + value
            else:
                current += value
        previous = _UNITS.get(word, _TENS.get(word, 0))
    return float(total + current)


def _digit_value(token: str) -> float:
    core = re.sub(r"(?:%|st|nd|rd|th|am|pm|p|k)$", "", token.lstrip("£")).replace(",", "")
    core = core.replace(":", ".")
    try:
        return float(core)
    except ValueError:
        return float("nan")


_AMOUNT = rf"(?:{_RUN.pattern}|\d+)"
# How times and sums are said: "half nine" (9.30), "quarter to ten", "six-thirty",
# "twenty-three pound fifty" (23.50), "one one one" (111).
_HALF = re.compile(rf"\bhalf (?:past )?({_AMOUNT})")
_QUARTER = re.compile(rf"\bquarter (past|to) ({_AMOUNT})")
_POUNDS = re.compile(rf"({_AMOUNT}) (?:pounds?|quid) (?:and )?({_AMOUNT})(?: pence| p\b)?")
_MINUTES = (r"(?:oh[\s-](?:one|two|three|four|five|six|seven|eight|nine)|ten|eleven|twelve|"
            r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
            r"(?:twenty|thirty|forty|fifty)(?:[\s-](?:one|two|three|four|five|six|seven|eight|"
            r"nine))?)")
#: "ten past eleven", "twenty-five to six": minutes past or to an hour.
_PAST = re.compile(rf"\b({_MINUTES}|five|(?:twenty|thirty)[\s-]five)(?: minutes)? (past|to) "
                   rf"({_NUMBER_WORD.pattern}|\d{{1,2}})\b")
#: "eleven grand", "six k", "a grand": thousands of pounds as people say them.
_GRAND = re.compile(rf"\b(?:({_AMOUNT}(?:\s+and\s+a\s+half)?)|a|an?other)\s*(?:grand|k)\b")
#: "six-thirty", "ten fifty-two", "nine oh five": an hour and its minutes.
_CLOCK = re.compile(rf"\b({_NUMBER_WORD.pattern})[\s-]+({_MINUTES})\b")
_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _value(surface: str) -> float:
    return _digit_value(surface) if surface[:1].isdigit() else _word_value(surface)


def _spoken(lower: str) -> list[tuple[str, float]]:
    """Values that times, sums and digit strings have when said aloud."""
    found = [(m.group(), _value(m.group(1)) + 0.3) for m in _HALF.finditer(lower)]
    for m in _QUARTER.finditer(lower):
        hour = _value(m.group(2))
        found.append((m.group(), hour + 0.15 if m.group(1) == "past" else hour - 1 + 0.45))
    found += [(m.group(), _value(m.group(1)) + _value(m.group(2)) / 100)
              for m in _POUNDS.finditer(lower)]
    found += [(m.group(), _value(m.group(1)) + _word_value(m.group(2).replace("oh", "")) / 100)
              for m in _CLOCK.finditer(lower) if _value(m.group(1)) <= 12]
    for m in _PAST.finditer(lower):
        minutes, hour = _word_value(m.group(1)), _value(m.group(3))
        if 0 < minutes < 60 and 0 < hour <= 12:
            found.append((m.group(), hour + minutes / 100 if m.group(2) == "past"
                          else (hour - 2) % 12 + 1 + (60 - minutes) / 100))
    for m in _GRAND.finditer(lower):
        amount = m.group(1) or "one"
        half = 0.5 if amount.endswith("half") else 0.0
        found.append((m.group(), (_value(re.sub(r"\s+and\s+a\s+half$", "", amount)) + half)
                      * 1000))
    for m in _RUN.finditer(lower):
        parts = re.findall(r"[a-z]+", m.group())
        if len(parts) > 1 and all(p in _DIGIT_WORDS for p in parts):
            found.append((m.group(), float("".join(str(_DIGIT_WORDS.index(p)) for p in parts))))
    return [(surface, round(value, 4)) for surface, value in found]


def _pieces(run: str) -> list[str]:
    """A run of number words split where one number ends and the next begins: "twelve four"
    (six till twelve, four mornings) is 12 and 4, while "twenty-four", "four hundred and
    twenty" and "twenty sixteen" stay whole."""
    parts = re.findall(r"[a-z]+|[^a-z]+", run)
    pieces, current, previous = [], "", ""
    for part in parts:
        if part.isalpha() and previous in _UNITS and part in _UNITS:
            pieces.append(current.strip(" -"))
            current = ""
        current += part
        if part.isalpha() and part != "and":
            previous = part
    pieces.append(current.strip(" -"))
    return [p for p in pieces if p]


#: "Three hundred an' forty", "two thousand n' five": the "and" of a number as it is said.
_SAID_AND = re.compile(r"\b(hundred|thousand)\s+(?:an'|an|'n'|'n|n')(?=\s+[a-z])", re.IGNORECASE)


#: Everyday words for small numbers ("a couple of weeks ago" is two weeks).
_FEW = ((re.compile(r"\b(?:a|the) couple\b|\bcouple of\b"), 2.0),
        (re.compile(r"\ba pair of\b"), 2.0), (re.compile(r"\bhalf a dozen\b"), 6.0),
        (re.compile(r"\ba dozen\b"), 12.0),
        (re.compile(r"\b(?:a|one) fortnight\b|\bfortnightly\b"), 2.0),
        # money as people say it: "a fiver for the electric" is £5
        (re.compile(r"\bfivers?\b"), 5.0), (re.compile(r"\btenners?\b"), 10.0))


def numbers(text: str, *, lone_words: bool = False) -> list[tuple[str, float]]:
    """Number mentions in ``text`` as ``(surface, value)``; placeholders are ignored.

    ``lone_words`` is for the evidence side, where being generous avoids false alarms: it also
    counts words like "one" and "first" on their own, and the values of times, sums and digit
    strings as they are said ("half nine" is 9.30, "one one one" is 111).
    """
    plain = _SAID_AND.sub(r"\1 and ", _PLACEHOLDER.sub(" ", _norm(text)))
    found = [(m.group(), _digit_value(m.group())) for m in _DIGITS.finditer(plain)]
    for match in _RUN.finditer(plain.lower()):
        pieces = _pieces(match.group())
        if lone_words and len(pieces) > 1:
            found.append((match.group(), _word_value(match.group())))
        for surface in pieces:
            if surface in _ONLY_IN_RUNS and not lone_words:
                continue
            found.append((surface, _word_value(surface)))
    if lone_words:
        found += _spoken(plain.lower())
        found += [(m.group(), value) for pattern, value in _FEW
                  for m in pattern.finditer(plain.lower())]
    return found


def _at_sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    while before and before[-1] in _QUOTES:
        before = before[:-1].rstrip()
    return not before or before[-1] in _STARTERS


def names(text: str) -> list[str]:
    """Placeholders and proper-noun-like words (capitalised, not starting a sentence)."""
    text = _norm(text)
    found = _PLACEHOLDER.findall(text)
    plain = _PLACEHOLDER.sub(lambda m: " " * len(m.group()), text)
    for match in _LETTERS.finditer(plain):
        word = match.group()
        if not word[0].isupper():
            continue
        if word.lower() in _NOT_NAMES or _at_sentence_start(plain, match.start()):
            continue
        if word.isupper() and len(word) > 1:
            continue  # an abbreviation (GP, TV, CPN), not a name
        if word.lower() in _TITLE_WORDS:
            continue
        found.append(word)
    return list(dict.fromkeys(found))


def _supported_name(name: str, support: str) -> bool:
    if name.startswith("["):
        return name in support
    # "Kai's", and "Sundays" for "on Sunday".
    for form in (name, re.sub(r"'s$", "", name), re.sub(r"(?<=[a-z])s$", "", name)):
        if re.search(rf"(?<![\w]){re.escape(form)}(?![\w])", support, re.IGNORECASE):
            return True
    return False


#: A time on the 24-hour clock ("13:10"), which people say on the 12-hour one ("ten past one").
_24_HOUR = re.compile(r"^(?:1[3-9]|2[0-3])[:.][0-5]\d$")


def _supported_number(surface: str, value: float, support: str, values: set[float]) -> bool:
    if value in values:
        return True
    if _24_HOUR.match(surface) and round(value - 12, 4) in values:
        return True
    return re.search(rf"(?<![\w]){re.escape(surface)}(?![\w])", support, re.IGNORECASE) is not None


_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
          r"December)")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
#: A date as a note writes it: "Friday 27 November", "19 November 2026", "July 2025".
_DATE = re.compile(rf"\b(?:({_WEEKDAY})\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}"
                   rf"(?:,?\s+(\d{{4}}))?\b|\b{_MONTH},?\s+(\d{{4}})\b")
#: "last year", "the year before": a year said without its number.
_RELATIVE_YEAR = re.compile(r"\b(?:last|this|next|that|the previous|the following) year\b|"
                            r"\byear before\b", re.IGNORECASE)
#: "All four agreed", "both of them": a count of the people in the conversation.
_COUNT = re.compile(r"\b(?:all|the)\s+(two|three|four|five|six|seven|eight|nine|ten|\d+)"
                    r"(?=\s+(?:of (?:us|them|you)|agreed|attended|were|are|present|participants|"
                    r"professionals|people)\b)", re.IGNORECASE)


_NAMED_NUMBER = re.compile(rf"(?<![\w.,£])(\d+|{_RUN.pattern})[\s-]+([a-z]+)")


def _numbered_things(text: str) -> dict[tuple[float, str], str]:
    """Numbers said with the thing they count or measure ("sixteen-week immunisations",
    "3 bedrooms"), as (value, the thing's stem) → the number as written."""
    out: dict[tuple[float, str], str] = {}
    for m in _NAMED_NUMBER.finditer(_norm(text).lower()):
        thing = m.group(2)
        if is_content(thing) and not _NUMBER_WORD.fullmatch(thing) and thing not in (
                "am", "pm", "pounds", "pound", "quid", "pence", "percent", "grand"):
            out[(_value(m.group(1)), stem(thing))] = m.group(1)
    return out


def _dates_and_counts(text: str, support: str, said: str, order: list[Segment]) -> set[str]:
    """Numbers of a sentence that a calendar or the people present account for, so are not
    inventions: a date's day that was said anywhere in the conversation (a date is often
    said once, at the start) or whose weekday was said near ("by Friday" written as "by
    Friday 27 November"); a date's year that was said anywhere, or said as "last year" near,
    or that completes a day and month (the year of the visit, which nobody says aloud); and a
    count of people ("all four agreed") no larger than the number of speakers."""
    said_values = {v for _, v in numbers(said, lone_words=True)}
    out: set[str] = set()
    for m in _DATE.finditer(text):
        weekday, day, year, month_year = m.group(1), m.group(2), m.group(3), m.group(4)
        if day and (float(day) in said_values
                    or (weekday and re.search(rf"\b{weekday}", support, re.IGNORECASE))):
            out.add(day)
        for y in (year, month_year):
            if y and (float(y) in said_values or _RELATIVE_YEAR.search(support)
                      or (y == year and day)):
                out.add(y)
    # A number with the thing it counts, said so anywhere in the conversation ("16-week
    # immunisations" in the actions, said as "her sixteen-week immunisations" at the start).
    named = _numbered_things(said)
    out |= {surface for key, surface in _numbered_things(text).items() if key in named}
    speakers = len({seg.speaker for seg in order})
    for m in _COUNT.finditer(text):
        if _value(m.group(1).lower()) <= speakers:
            out.add(m.group(1))
    return out


#: Signing as a transcript writes it ("Yes. [signs YES]", "(signs MORE)"): nobody says the
#: name of the sign system aloud, so a note may name it.
_SIGNED = re.compile(r"[\[(]\s*(?:signs?|signed|signing|makaton|bsl)\b", re.IGNORECASE)
_SIGN_SYSTEMS = "Makaton BSL Signalong British Sign Language"


class DetailChecker:
    """Flags names and numbers in drafted sentences that the linked turns do not contain."""

    name = "detail"
    version = "1.1"

    def check(self, draft: Draft, transcript: Transcript, context: CheckContext) -> list[Flag]:
        order = list(transcript.segments)
        position = {seg.id: i for i, seg in enumerate(order)}
        record = _norm("\n".join(context.known_names + context.record).replace("_", " "))
        said = _norm("\n".join(seg.text for seg in order))
        if _SIGNED.search(said):
            record += "\n" + _SIGN_SYSTEMS
        flags: list[Flag] = []
        for section, sentence in draft.sentences():
            linked = [order[position[i]] for i in sentence.segment_ids if i in position]
            if sentence.kind is SentenceKind.HUMAN or not linked:
                continue  # no evidence at all is the evidence check's finding
            # The linked turns and the turns around them: a name or number said a moment
            # before ("the school rang… they said 78%") supports the sentence too.
            near = sorted({j for seg in linked for j in range(
                max(0, position[seg.id] - NEIGHBOURHOOD),
                min(len(order), position[seg.id] + NEIGHBOURHOOD + 1))})
            support = _norm("\n".join(f"{order[j].speaker}\n{order[j].text}" for j in near))
            values = {v for _, v in numbers(support, lone_words=True)}
            turns = ", ".join(str(seg.id) for seg in linked)
            for item in names(sentence.text):
                if DAYS.fullmatch(item):
                    continue
                # A name from the case record (a school, a relative) is not an invention, nor
                # is a capitalised word said elsewhere in the conversation ("Romanian"); a
                # person the pseudonymisation found ("[PERSON_7]") must be said near by.
                if (not _supported_name(item, support) and not _supported_name(item, record)
                        and (item.startswith("[") or not _supported_name(item, said))):
                    flags.append(self._flag(section.name, sentence, item, "name", turns))
            seen = {surface for pattern in AGES for m in pattern.finditer(sentence.text)
                    for g in (1, 2) if m.group(g) for surface, _ in numbers(m.group(g))}
            seen |= _dates_and_counts(sentence.text, support, said, order)
            for surface, value in numbers(sentence.text):
                if surface not in seen and not _supported_number(surface, value, support, values):
                    seen.add(surface)
                    flags.append(self._flag(section.name, sentence, surface, "number", turns))
        return flags

    def _flag(self, section: str, sentence: Sentence, item: str, what: str, turns: str) -> Flag:
        plural = "s" if "," in turns else ""
        severity = Severity.HIGH if what == "number" or item.startswith("[") else Severity.WARNING
        return Flag(
            kind=FlagKind.UNSUPPORTED_DETAIL,
            severity=severity,
            explanation=(
                f"The {what} \"{item}\" is not in what was said in turn{plural} {turns}, which "
                "this sentence is linked to. It may have been added by mistake."
            ),
            section=section,
            sentence_id=sentence.id,
            segment_ids=tuple(sentence.segment_ids),
            suggestion=f"Check the {what} against the conversation, then correct or remove it.",
            checker=self.name,
        )
