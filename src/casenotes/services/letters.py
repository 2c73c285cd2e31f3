"""A plain-language letter to the person or family, made from the signed note.

The letter uses only what the practitioner signed: what was said and agreed, in the letter
template's sections. Reserved sections (analysis) stay out, and so does who was present. Each
sentence is put in plain words (attribution to "you", long sentences split, a few formal words
swapped), anyone other than the family and the worker is replaced by a neutral phrase (no
identifiers of third parties), and the reading age is measured with textstat (Flesch-Kincaid;
the target for letters is grade 6 or lower, a reading age of about 11).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import textstat  # type: ignore[import-untyped]

from casenotes.domain.people import Person, child_role, professional_role
from casenotes.domain.template import Template, TemplateSection
from casenotes.engines.drafting.risk import risk_topics
from casenotes.pipeline.letter_languages import load_language
from casenotes.pipeline.pseudonymise import PiiDetector
from casenotes.pipeline.templates import load_template
from casenotes.services.access import case_session, visible_recording
from casenotes.services.audit_log import record
from casenotes.services.context import AppContext
from casenotes.services.note_access import visible_note
from casenotes.services.permitted_uses import ensure_permitted
from casenotes.services.processing import case_people
from casenotes.services.views import LetterView, UserView
from casenotes.store.repositories import cases as cases_repo
from casenotes.store.repositories import recordings as recordings_repo
from casenotes.store.repositories import users as users_repo

TARGET_GRADE = 6.0
LETTER_TEMPLATE = "letter_to_family"
_MAX_SENTENCE_GRADE = 12.0  # a sentence harder than this is left out of "what we talked about"
_PLAIN_WORDS = {
    "approximately": "about", "regarding": "about", "however": "but", "additionally": "also",
    "commence": "start", "assist": "help", "require": "need", "requires": "needs",
    "sufficient": "enough", "prior to": "before", "in order to": "to", "purchase": "buy",
    "accommodation": "home", "concerning": "about", "obtain": "get", "contact us": "get in touch",
}
_SPLIT = re.compile(r"(?:;\s+|,\s+(?=(?:and|but|so)\s))")
# What a third party's identifier becomes in the letter, by detected type.
_NEUTRAL = {
    "PERSON": "someone else", "ORGANISATION": "an organisation", "SCHOOL": "the school",
    "PHONE_NUMBER": "a phone number", "PHONE": "a phone number",
    "EMAIL_ADDRESS": "an email address",
    "EMAIL": "an email address", "ADDRESS": "an address", "UK_POSTCODE": "a postcode",
    "POSTCODE": "a postcode", "NHS_NUMBER": "a reference number", "NI_NUMBER": "a reference number",
    "UK_NHS": "a reference number", "DATE_OF_BIRTH": "a date of birth",
}


@dataclass(frozen=True)
class ComposedLetter:
    """A letter's sections, and how many of the note's sentences it does not carry: left out
    (someone else's words, or too complex to say plainly) or, past a section's length in the
    letter template, shortened away (the note keeps them)."""

    sections: list[tuple[str, str]]
    left_out: int
    shortened: int


@dataclass(frozen=True)
class _Audience:
    """Who the letter is for (the family), who writes it, and who else is known."""

    addressee: tuple[str, ...]  # names of the person the letter is written to ("you")
    family: tuple[str, ...]  # names and aliases of everyone in the family (present, or children)
    writer: tuple[str, ...]
    others: tuple[str, ...]  # every other known name: third parties
    people: tuple[Person, ...]


def _is_worker(person: Person) -> bool:
    """A professional, or an interpreter: not the family the letter is written to."""
    return professional_role(person.role) or "interpret" in person.role.lower()


def _audience(people: Sequence[Person], speakers: Sequence[str], signer: str) -> _Audience:
    """The family: those who spoke (not workers) and the case's children; first adult: "you"."""
    spoke = [s.lower() for s in speakers]
    addressee: tuple[str, ...] = ()
    first_turn = len(spoke)
    family: list[str] = []
    writer: list[str] = [signer]
    others: list[str] = []
    for person in people:
        names = [n for n in person.names if n.strip()]
        turns = [spoke.index(n.lower()) for n in names if n.lower() in spoke]
        child = child_role(person.role)
        if turns and _is_worker(person):
            writer += names
        elif turns or child:
            family += names
            if turns and not child and min(turns) < first_turn:
                addressee, first_turn = tuple(names), min(turns)
        else:
            others += names
    return _Audience(addressee, tuple(family), tuple(writer), tuple(others), tuple(people))


def _mentions(text: str, name: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]


def _redact_all(texts: list[str], audience: _Audience, detector: PiiDetector) -> list[str]:
    """Replace every third party's identifier in each text (one detector pass for all)."""
    joined = "\n".join(texts)
    spans: list[tuple[int, int, str]] = []
    for name in sorted(audience.others, key=len, reverse=True):
        spans += [(s, e, "someone else") for s, e in _mentions(joined, name)]
    allowed = {n.lower() for n in audience.family + audience.writer}
    allowed_words = {w for n in allowed for w in n.split()}
    for found in detector.detect(joined, audience.people):
        neutral = _NEUTRAL.get(found.entity_type)
        surface = joined[found.start:found.end].lower()
        if neutral is None:
            continue  # towns, dates: not identifiers of a third party on their own
        if found.entity_type == "PERSON" and (
            surface in allowed or set(surface.split()) <= allowed_words
            or (found.person or "").lower() in allowed
        ):
            continue
        spans.append((found.start, found.end, neutral))
    kept: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        if (not kept or span[0] >= kept[-1][1]) and "\n" not in joined[span[0]:span[1]]:
            kept.append(span)
    for start, end, neutral in reversed(kept):
        joined = joined[:start] + neutral + joined[end:]
    return joined.split("\n") if texts else []


def _plain_words(text: str) -> str:
    for formal, plain in _PLAIN_WORDS.items():
        text = re.sub(rf"\b{formal}\b", plain, text)
        text = re.sub(rf"\b{formal.capitalize()}\b", plain.capitalize(), text)
    return text


def _split(text: str) -> list[str]:
    """Short sentences: split at semicolons and before ', and/but/so' (never inside a quote)."""
    if "“" in text or '"' in text:
        return [text]
    parts = [p.strip() for p in _SPLIT.split(text) if p.strip()]
    out = []
    for i, part in enumerate(parts):
        part = part[0].upper() + part[1:]
        if i < len(parts) - 1 and part[-1] not in ".!?":
            part += "."
        out.append(part)
    return out


# An attribution inside a drafted sentence: at its start, or after a quote or a full stop
# ("“Do you feel safe?” Maisie Okafor said: Yes." / "… Helen asked: “Where?” Ron said: …").
_ATTRIBUTION_ANYWHERE = re.compile(
    r"(?:^|(?<=[.!?”\"] ))(?P<who>[A-Z][^:“\".!?]{0,80}?)(?:, interpreting,)? "
    r"(?P<verb>said|asked): ")


def _quoted(words: str) -> str:
    words = words.strip()
    return words if not words or words.startswith(("“", '"')) else f"“{words}”"


def _to_reader(text: str, audience: _Audience) -> str | None:
    """The sentence as the family reads it; ``None`` when it holds someone else's words.

    The worker is "I", the person the letter is written to is "you", others in the family go by
    their first name; a question the note quotes without saying who asked it is the worker's
    ("“Do you feel safe?” Maisie said: Yes." becomes "I asked: “Do you feel safe?” Maisie
    said: “Yes.”").
    """
    marks = list(_ATTRIBUTION_ANYWHERE.finditer(text))
    if not marks:
        return text
    writer = {n.lower() for n in audience.writer}
    family = {n.lower() for n in audience.family}
    addressee = {n.lower() for n in audience.addressee}
    parts: list[str] = []
    lead = text[:marks[0].start()].strip()
    if lead:  # a question quoted before the first attribution: the worker's
        parts.append(f"I asked: {_quoted(lead)}" if lead.startswith("“") else lead)
    for i, mark in enumerate(marks):
        who, verb = mark.group("who").strip(), mark.group("verb")
        said = text[mark.end():marks[i + 1].start() if i + 1 < len(marks) else len(text)]
        if who.lower() in writer:
            parts.append(f"I {verb}: {_quoted(said)}" if verb == "asked" else said.strip())
        elif who.lower() in addressee:
            parts.append(f"You told me: {_quoted(said)}" if verb == "said"
                         else f"You asked: {_quoted(said)}")
        elif who.lower() in family:
            parts.append(f"{who.split()[0]} {verb}: {_quoted(said)}")
        else:
            return None
    return " ".join(p for p in parts if p)


#: A sentence left with this many neutral phrases in place of third parties says too little to
#: the family ("someone else. someone else. At an organisation.") and is left out.
_MAX_NEUTRAL = 2
_NEUTRAL_PHRASE = re.compile(
    "|".join(re.escape(n) for n in sorted(set(_NEUTRAL.values()), key=len, reverse=True)),
    re.IGNORECASE)


def _tidy(sentence: str) -> str | None:
    """The redacted sentence with "the an organisation" read as "an organisation"; ``None``
    when the neutral phrases crowd out what it says."""
    sentence = re.sub(r"\b(?:[Tt]he|[Aa]n?) (?=(?:an?|someone|the) (?:organisation|address|"
                      r"phone number|email address|postcode|reference number|date of birth|"
                      r"else|school)\b)", "", sentence)
    sentence = re.sub(  # "… forty-one years. an address." reads "An address."
        rf"(^|[.!?]\s+|“)((?-i:{_NEUTRAL_PHRASE.pattern}))",
        lambda m: m.group(1) + m.group(2)[0].upper() + m.group(2)[1:], sentence)
    neutral = len(_NEUTRAL_PHRASE.findall(sentence))
    words = len(_NEUTRAL_PHRASE.sub("", sentence).split())
    if neutral > _MAX_NEUTRAL or (neutral == _MAX_NEUTRAL and words < 8):
        return None
    return sentence


def _role(ts: TemplateSection) -> str:
    """Which part of the letter a section of the note feeds."""
    name = ts.name.lower()
    if ts.voice:
        return "What you told me"
    if ts.actions or ts.required_keywords or "action" in name:
        return "What happens next"
    if ts.position == "early" or "purpose" in name or "reason" in name:
        return "Why we spoke"
    return "What we talked about"


def grade(text: str) -> float:
    """Flesch-Kincaid grade of ``text`` (0 for an empty text)."""
    return max(0.0, float(textstat.flesch_kincaid_grade(text))) if text.strip() else 0.0


def compose_letter(
    note_sections: Sequence[dict[str, object]], template: Template, letter: Template,
    audience: _Audience, detector: PiiDetector, signer: str,
) -> ComposedLetter:
    """The letter's sections from the signed note's, and how many sentences it leaves out."""
    parts: dict[str, list[str]] = {s.name: [] for s in letter.sections}
    left_out = 0
    by_name = {s.name: s for s in template.sections}
    placed: list[tuple[str, str]] = []  # (letter section, sentence as the family reads it)
    for section in note_sections:
        ts = by_name.get(str(section.get("name", "")))
        if ts is None or ts.reserved or ts.attendees or _role(ts) not in parts:
            continue
        raw = section.get("sentences")
        for item in raw if isinstance(raw, list) else []:
            reader = _to_reader(" ".join(str(item.get("text", "")).split()), audience)
            if reader is None:
                left_out += 1
            else:
                placed.append((_role(ts), reader))
    redacted = _redact_all([text for _, text in placed], audience, detector)
    said: dict[str, list[list[str]]] = {name: [] for name in parts}  # a note sentence's pieces
    for (target, _), reader in zip(placed, redacted, strict=True):
        tidy = _tidy(reader)
        if tidy is None:
            left_out += 1
            continue
        pieces = []
        for sentence in _split(_plain_words(tidy)):
            if target == "What we talked about" and grade(sentence) > _MAX_SENTENCE_GRADE:
                left_out += 1
                continue
            pieces.append(sentence)
        if pieces:
            said[target].append(pieces)
    shortened = 0
    for ts in letter.sections:
        kept = _most_telling(said.get(ts.name, []), ts.max_sentences)
        shortened += len(said.get(ts.name, [])) - len(kept)
        parts[ts.name] = [piece for pieces in kept for piece in pieces]
    family_first = audience.addressee[0].split()[0] if audience.addressee else ""
    fixed = {
        "Opening": f"Dear {family_first}," if family_first else "Hello,",
        "Contact details": "If you have any questions, or think I got something wrong, "
                           "please get in touch with me.",
        "Closing": f"Thank you for talking with me.\n\nBest wishes,\n{signer}",
    }
    sections = [
        (s.name, fixed.get(s.name, " ".join(parts[s.name]))) for s in letter.sections
    ]
    return ComposedLetter(sections, left_out, shortened)


#: What makes a sentence of the note tell the family more: risk and safety, particulars (a
#: day, a date, a sum, a time), and who will do what.
_PARTICULAR = re.compile(
    r"\d|£|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow|"
    r"tonight|week|weeks|month|january|february|march|april|may|june|july|august|september|"
    r"october|november|december|o'clock|morning|afternoon|evening)\b", re.IGNORECASE)
_WHO_DOES = re.compile(r"\b(?:I will|I'll|we will|we'll|you will|you'll|you said you)\b",
                       re.IGNORECASE)


def _telling(pieces: list[str]) -> float:
    text = " ".join(pieces)
    return (2.0 * len(risk_topics(text)) + min(len(_PARTICULAR.findall(text)), 3)
            + (1.0 if _WHO_DOES.search(text) else 0.0) - len(text.split()) / 60)


def _most_telling(said: list[list[str]], cap: int) -> list[list[str]]:
    """At most ``cap`` of a section's sentences (the letter template's ``max_sentences``): a
    letter is read by a family, not filed, so it says the most telling things in the order
    they were said, and the note keeps the rest."""
    if len(said) <= cap:
        return said
    ranked = sorted(range(len(said)), key=lambda i: (-_telling(said[i]), i))[:cap]
    return [said[i] for i in sorted(ranked)]


def letter_for_note(ctx: AppContext, actor: UserView, note_id: int) -> LetterView:
    """The plain-language letter for a signed note, with its reading age (audited)."""
    ensure_permitted(ctx, actor, "letters")
    with case_session(ctx, actor) as session:
        note = visible_note(session, actor, note_id)
        recording = visible_recording(session, actor, note.recording_id)
        template = load_template(recording.template, ctx.settings.template_dirs)
        letter = load_template(LETTER_TEMPLATE, ctx.settings.template_dirs)
        people = case_people(cases_repo.people(session, case_id=note.case_id))
        speakers = [row.speaker for row in
                    recordings_repo.segment_rows(session, recording_id=recording.id)]
        signer_row = users_repo.get_user(session, user_id=note.signed_by)
        signer = signer_row.username if signer_row else ""
        note_sections = list(note.sections)
        title, case_id = note.title, note.case_id
    audience = _audience(people, speakers, signer)
    composed = compose_letter(
        note_sections, template, letter, audience, ctx.pii_detector(), signer)
    sections, left_out = composed.sections, composed.left_out
    interpreters = _interpreters(people, speakers)
    if interpreters:  # the letter records that an interpreter took part (issue 11)
        english = load_language("en", ctx.settings.template_dirs)
        sections = [(name, body + "".join(f"\n\n{english.interpreter_line(who)}"
                                          for who in interpreters) if english else body)
                    if name == "Contact details" else (name, body) for name, body in sections]
    text = "\n\n".join(body for _, body in sections if body)
    body = " ".join(body for name, body in sections
                    if body and name not in ("Opening", "Closing", "Contact details"))
    measured = grade(body)
    with case_session(ctx, actor) as session:
        record(session, actor, "letter.view", "note", note_id,
               f"grade={measured:.1f} left_out={left_out} shortened={composed.shortened}")
    return LetterView(
        note_id=note_id, case_id=case_id, title=title, sections=tuple(sections), text=text,
        grade=round(measured, 1), reading_age=round(measured) + 5, target_grade=TARGET_GRADE,
        meets_target=measured <= TARGET_GRADE, left_out=left_out, shortened=composed.shortened,
        addressee=audience.addressee[0].split()[0] if audience.addressee else "",
        signer=signer, interpreters=interpreters, names=_all_names(audience, interpreters),
    )


def _interpreters(people: Sequence[Person], speakers: Sequence[str]) -> tuple[str, ...]:
    """Interpreters (participant role) who spoke at the visit, by their main name."""
    spoke = {s.lower() for s in speakers}
    return tuple(p.names[0] for p in people if "interpret" in p.role.lower()
                 and any(n.lower() in spoke for n in p.names))


def _all_names(audience: _Audience, interpreters: Sequence[str]) -> tuple[str, ...]:
    """Every name the letter may carry, with first names on their own (kept word for word)."""
    names = {n for n in (*audience.family, *audience.writer, *audience.others, *interpreters)
             if n.strip()}
    names |= {w for n in list(names) for w in n.split() if len(w) > 2 and w[:1].isupper()}
    return tuple(sorted(names, key=len, reverse=True))
