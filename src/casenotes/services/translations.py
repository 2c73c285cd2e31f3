"""Letters in the person's language: translated on this device, checked, confirmed, exported.

The letter (services/letters.py) is translated sentence by sentence by the first configured
engine that has the language (``settings.translation_engines``); fixed text comes from the
language file; every check runs (pipeline/translate.py). The translation is stored (its text
encrypted at rest) and cannot be exported until the practitioner confirms it, which is refused
while a sentence is missing or a number, date, time or name is missing or changed. Each action
is audited with ids and counts only.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from casenotes.domain.errors import CasenotesError, InvalidInput
from casenotes.domain.people import Person
from casenotes.engines import translation as translation_engines
from casenotes.engines.embed.minilm import MiniLMEmbedder
from casenotes.pipeline.letter_languages import (
    COMMON_LANGUAGES,
    RTL_LANGUAGES,
    LetterLanguage,
    language_codes,
    load_language,
)
from casenotes.pipeline.registry import Registry
from casenotes.pipeline.templates import load_template
from casenotes.pipeline.translate import (
    LanguageUnavailable,
    LetterParts,
    Progress,
    Translator,
    alignment_problems,
    fact_problems,
    protect,
    translate_letter,
)
from casenotes.services import letters
from casenotes.services.access import AccessRefused, case_session, visible_case, visible_recording
from casenotes.services.audit_log import record
from casenotes.services.context import AppContext
from casenotes.services.note_access import visible_note
from casenotes.services.permitted_uses import ensure_permitted
from casenotes.services.processing import case_people
from casenotes.services.views import (
    InterpretedTurnView,
    LanguageOptionView,
    TranslatedLineView,
    TranslationView,
    UserView,
)
from casenotes.store.models import LetterTranslationRow
from casenotes.store.repositories import cases as cases_repo
from casenotes.store.repositories import notes as notes_repo
from casenotes.store.repositories import recordings as recordings_repo
from casenotes.store.repositories import translations as repo
from casenotes.store.repositories import users as users_repo

_ENGINES: dict[tuple[str, tuple[str, ...]], Translator] = {}
_ENGINES_LOCK = threading.Lock()


class TranslationNotConfirmed(CasenotesError):
    """Export asked for before the practitioner confirmed the translation."""

    status_code = 409


def _local_engine(ctx: AppContext, name: str) -> Translator:
    """An on-device engine, created once per process (its models load on first use)."""
    key = (name, tuple(str(p) for p in ctx.settings.translation_model_dirs))
    with _ENGINES_LOCK:
        if key not in _ENGINES:
            registry: Registry[Translator] = Registry("translation")
            translation_engines.register(registry, ctx.settings)
            _ENGINES[key] = registry.create(name)
        return _ENGINES[key]


def engines(ctx: AppContext, people: Sequence[Person] = ()) -> list[Translator]:
    """The configured engines, in order of preference (those that cannot run are left out)."""
    out: list[Translator] = []
    for name in ctx.settings.translation_engines:
        if name == "language-model":
            if ctx.settings.translation_llm_languages:
                from casenotes.services.model_gateway import translator_for_case

                out.append(translator_for_case(ctx, people))
        elif name == "bergamot-dir" and not ctx.settings.translation_model_dirs:
            continue
        else:
            out.append(_local_engine(ctx, name))
    return out


def _english(ctx: AppContext) -> LetterLanguage:
    english = load_language("en", ctx.settings.template_dirs)
    if english is None:  # packaged: only missing in a broken install
        raise LanguageUnavailable("The English letter text file is missing.",
                                  hint="Reinstall casenotes.")
    return english


def language_options(ctx: AppContext) -> list[LanguageOptionView]:
    """Every language the list offers, with whether it can be used here and why not."""
    found = engines(ctx)
    with_text = set(language_codes(ctx.settings.template_dirs)) - {"en"}
    pairs = {t for e in found for s, t in e.pairs() if s == "en"}
    codes = sorted(set(COMMON_LANGUAGES) | with_text | pairs,
                   key=lambda c: COMMON_LANGUAGES.get(c, c))
    options: list[LanguageOptionView] = []
    for code in codes:
        engine = next((e for e in found if ("en", code) in e.pairs()), None)
        name = COMMON_LANGUAGES.get(code, code)
        if engine is None:
            reason = "no translation model for it is installed on this device"
        elif code not in with_text:
            reason = "there is no fixed letter text (greeting, sign-off) for it yet"
        else:
            reason = ""
        options.append(LanguageOptionView(code, name, not reason,
                                          engine.name if engine and not reason else "", reason))
    return options


def _unavailable(ctx: AppContext, code: str) -> LanguageUnavailable:
    options = language_options(ctx)
    option = next((o for o in options if o.code == code), None)
    usable = ", ".join(f"{o.name} ({o.code})" for o in options if o.available) or "none"
    name = option.name if option else repr(code)
    why = option.reason if option else "it is not a language this service knows"
    return LanguageUnavailable(
        f"Translation into {name} is not available: {why}.",
        hint=f"Languages available on this device: {usable}. Use a professional interpreter or "
             "translator for other languages.")


def _section_names(ctx: AppContext) -> list[str]:
    letter = load_template(letters.LETTER_TEMPLATE, ctx.settings.template_dirs)
    return [s.name for s in letter.sections]


def _note_access(ctx: AppContext, actor: UserView, note_id: int) -> tuple[int, int]:
    """(case id, recording id) of a note the actor may see; 404 (audited) otherwise."""
    with case_session(ctx, actor) as session:
        note = visible_note(session, actor, note_id)
        return note.case_id, note.recording_id


def translate_note_letter(
    ctx: AppContext, actor: UserView, note_id: int, target: str, *,
    progress: Progress | None = None,
) -> TranslationView:
    """Translate the note's letter into ``target``, check it, store it (audited)."""
    target = target.strip().lower()
    _note_access(ctx, actor, note_id)
    ensure_permitted(ctx, actor, "translation")
    letter = letters.letter_for_note(ctx, actor, note_id)
    with case_session(ctx, actor) as session:
        people = case_people(cases_repo.people(session, case_id=letter.case_id))
    engine = next((e for e in engines(ctx, people) if ("en", target) in e.pairs()), None)
    language = load_language(target, ctx.settings.template_dirs, _section_names(ctx))
    if engine is None or language is None:
        raise _unavailable(ctx, target)
    english = _english(ctx)
    parts = LetterParts(sections=letter.sections, addressee=letter.addressee,
                        signer=letter.signer, interpreters=letter.interpreters,
                        names=letter.names)
    folder = ctx.settings.embedding_model
    result = translate_letter(
        parts, engine, language, english,
        embedder=MiniLMEmbedder(Path(folder) if folder else None),
        threshold=ctx.settings.translation_review_similarity, progress=progress)
    rtl = language.rtl or target in RTL_LANGUAGES
    with case_session(ctx, actor) as session:
        row = repo.add_translation(
            session, note_id=note_id, target_lang=target, engine=engine.name,
            engine_version=engine.version, rtl=rtl,
            lines=[line.as_dict() for line in result.lines], checks=result.counts(),
            created_by=actor.id, interpreter_name=None)
        record(session, actor, "letter.translate", "letter_translation", row.id,
               f"note={note_id} lang={target} sentences={result.source_sentences} "
               f"dropped={result.dropped} fact_problems={result.fact_problems} "
               f"flagged={result.flagged}")
        return _view(session, row, letter.case_id, letter.title, language, letter.interpreters)


def _view(session: Session, row: LetterTranslationRow, case_id: int, title: str,
          language: LetterLanguage | None, interpreters: Sequence[str]) -> TranslationView:

    def username(user_id: int | None) -> str | None:
        user = users_repo.get_user(session, user_id=user_id) if user_id else None
        return user.username if user else None

    lines = tuple(TranslatedLineView(
        section=str(d["section"]), kind=str(d["kind"]), source=str(d["source"]),
        target=str(d["target"]), back=d.get("back"), similarity=d.get("similarity"),
        flagged=bool(d.get("flagged")), problems=tuple(d.get("problems") or ()),
    ) for d in row.lines)
    return TranslationView(
        id=row.id, note_id=row.note_id, case_id=case_id, title=title,
        target_lang=row.target_lang,
        language_name=language.name if language else row.target_lang,
        native_name=language.native_name if language else row.target_lang, rtl=row.rtl,
        engine=row.engine, engine_version=row.engine_version,
        label=language.machine_translated if language else "", lines=lines,
        checks=dict(row.checks), created_by=username(row.created_by) or "",
        created_at=f"{row.created_at:%Y-%m-%d %H:%M}",
        confirmed_by=username(row.confirmed_by),
        confirmed_at=f"{row.confirmed_at:%Y-%m-%d %H:%M}" if row.confirmed_at else None,
        interpreter_name=row.interpreter_name, interpreter_confirmed=row.interpreter_confirmed,
        interpreters=tuple(interpreters))


def _visible_translation(session: Session, actor: UserView,
                         translation_id: int) -> tuple[LetterTranslationRow, int, str, int]:
    row = repo.get_translation(session, translation_id=translation_id)
    note = notes_repo.get_note(session, note_id=row.note_id) if row else None
    if row is None or note is None:
        raise AccessRefused("letter_translation", translation_id)
    try:
        visible_case(session, actor, note.case_id)
    except AccessRefused:
        raise AccessRefused("letter_translation", translation_id) from None
    return row, note.case_id, note.title, note.recording_id


def _interpreters(session: Session, case_id: int, recording_id: int) -> tuple[str, ...]:
    people = case_people(cases_repo.people(session, case_id=case_id))
    speakers = {r.speaker.lower()
                for r in recordings_repo.segment_rows(session, recording_id=recording_id)}
    return tuple(p.names[0] for p in people if "interpret" in p.role.lower()
                 and any(n.lower() in speakers for n in p.names))


def get_translation(ctx: AppContext, actor: UserView, translation_id: int) -> TranslationView:
    with case_session(ctx, actor) as session:
        row, case_id, title, recording_id = _visible_translation(session, actor, translation_id)
        language = load_language(row.target_lang, ctx.settings.template_dirs)
        record(session, actor, "letter_translation.view", "letter_translation", row.id,
               f"note={row.note_id}")
        return _view(session, row, case_id, title, language,
                     _interpreters(session, case_id, recording_id))


def translations_for_note(ctx: AppContext, actor: UserView,
                          note_id: int) -> list[tuple[int, str, bool]]:
    """(id, language code, confirmed) of the note's translations, newest first."""
    _note_access(ctx, actor, note_id)
    with ctx.session() as session:
        return [(r.id, r.target_lang, r.confirmed_at is not None)
                for r in repo.translations_for_note(session, note_id=note_id)]


def correct_line(ctx: AppContext, actor: UserView, translation_id: int, index: int,
                 text: str) -> TranslationView:
    """The practitioner (or interpreter) corrects one translated sentence; checks run again."""
    text = " ".join(text.split())
    if not text:
        raise InvalidInput("The corrected sentence is empty.",
                           hint="Write the sentence in the letter's language.")
    with case_session(ctx, actor) as session:
        note_id = _visible_translation(session, actor, translation_id)[0].note_id
    letter_names = letters.letter_for_note(ctx, actor, note_id).names
    with case_session(ctx, actor) as session:
        row, case_id, title, recording_id = _visible_translation(session, actor, translation_id)
        if row.confirmed_at is not None:
            raise InvalidInput("This translation has been confirmed and can no longer change.",
                               hint="Translate the letter again to make a new version.")
        lines = [dict(d) for d in row.lines]
        if not 0 <= index < len(lines) or lines[index]["kind"] != "sentence":
            raise InvalidInput("There is no translated sentence with that number.",
                               hint="Choose a sentence from the translated letter.")
        language = load_language(row.target_lang, ctx.settings.template_dirs)
        if language is None:
            raise _unavailable(ctx, row.target_lang)
        line = lines[index]
        protected = protect(str(line["source"]), letter_names, tuple(language.glossary))
        problems = [p for _, p in alignment_problems([protected.text], [text])]
        problems += fact_problems(text, protected, language)
        line.update(target=text, back=None, similarity=None, flagged=False, problems=problems,
                    corrected=True)
        checks = dict(row.checks)
        sentences = [d for d in lines if d["kind"] == "sentence"]
        checks["dropped"] = sum(1 for d in sentences for p in d["problems"]
                                if "translation" in p or "translated" in p)
        checks["fact_problems"] = sum(
            1 for d in sentences for p in d["problems"]
            if not ("translation" in p or "translated" in p))
        checks["flagged"] = sum(1 for d in sentences if d.get("flagged"))
        repo.set_lines(session, row=row, lines=lines, checks=checks)
        record(session, actor, "letter_translation.correct", "letter_translation", row.id,
               f"line={index} problems={len(problems)}")
        return _view(session, row, case_id, title, language,
                     _interpreters(session, case_id, recording_id))


def confirm(
    ctx: AppContext, actor: UserView, translation_id: int, *, checked: bool,
    interpreter_name: str = "", interpreter_confirmed: bool = False,
) -> TranslationView:
    """The practitioner confirms they checked the translation (and, optionally, an interpreter
    did). Refused while a sentence is dropped or a number, date, time or name is wrong."""
    if not checked:
        raise InvalidInput("Confirm that you have checked the translation against the English.",
                           hint="Tick the box to say you checked it, then confirm.")
    interpreter = " ".join(interpreter_name.split()) or None
    if interpreter_confirmed and not interpreter:
        raise InvalidInput("An interpreter's confirmation needs the interpreter's name.",
                           hint="Write the interpreter's name, or untick their confirmation.")
    with case_session(ctx, actor) as session:
        row, case_id, title, recording_id = _visible_translation(session, actor, translation_id)
        blocking = int(row.checks.get("dropped", 0)) + int(row.checks.get("fact_problems", 0))
        if blocking:
            raise InvalidInput(
                f"{blocking} problem(s) in the translation must be fixed before it can be "
                "confirmed: a sentence is missing, or a number, date, time or name is missing "
                "or changed.",
                hint="Correct the sentences marked as having a problem, then confirm.")
        if row.confirmed_at is None:
            repo.confirm_translation(session, row=row, confirmed_by=actor.id,
                                     interpreter_name=interpreter,
                                     interpreter_confirmed=interpreter_confirmed)
            record(session, actor, "letter_translation.confirm", "letter_translation", row.id,
                   f"note={row.note_id} flagged={row.checks.get('flagged', 0)} "
                   f"interpreter={int(interpreter is not None)} "
                   f"interpreter_confirmed={int(interpreter_confirmed)}")
        language = load_language(row.target_lang, ctx.settings.template_dirs)
        return _view(session, row, case_id, title, language,
                     _interpreters(session, case_id, recording_id))


def export_translation(ctx: AppContext, actor: UserView, translation_id: int,
                       fmt: str) -> tuple[str, bytes]:
    """(file name, content) of the bilingual letter; refused before confirmation (audited)."""
    from casenotes.services import translation_exports

    if fmt not in ("pdf", "docx"):
        raise InvalidInput(f"{fmt!r} is not an export format.", hint="Choose PDF or DOCX.")
    view = get_translation(ctx, actor, translation_id)
    if not view.confirmed:
        with ctx.session() as session:
            record(session, actor, "letter_translation.export_refused", "letter_translation",
                   translation_id, f"format={fmt}")
        raise TranslationNotConfirmed(
            "This translated letter has not been confirmed, so it cannot be exported yet.",
            hint="Check the translation beside the English and confirm it first.")
    data = (translation_exports.bilingual_pdf(view) if fmt == "pdf"
            else translation_exports.bilingual_docx(view))
    with ctx.session() as session:
        record(session, actor, "letter_translation.export", "letter_translation",
               translation_id, f"format={fmt} lines={len(view.lines)}")
    return f"letter-{view.note_id}-{view.target_lang}.{fmt}", data


# --- interpreted turns ---------------------------------------------------------------------


def interpreted_turns(ctx: AppContext, actor: UserView,
                      recording_id: int) -> list[InterpretedTurnView]:
    """Which turns of the transcript were interpreted: the interpreter's own turns and the turn
    each one rendered (the one just before), recorded from the participant roles, plus any the
    practitioner marked."""
    with case_session(ctx, actor) as session:
        recording = visible_recording(session, actor, recording_id)
        people = case_people(cases_repo.people(session, case_id=recording.case_id))
        interpreters = {n.lower() for p in people if "interpret" in p.role.lower()
                        for n in p.names}
        rows = recordings_repo.segment_rows(session, recording_id=recording_id)
        derived: set[int] = set()
        for before, row in zip([None, *rows[:-1]], rows, strict=True):
            if row.speaker.lower() in interpreters:
                derived.add(row.seq)
                if before is not None and before.speaker.lower() not in interpreters:
                    derived.add(before.seq)
        added = repo.mark_turns(session, recording_id=recording_id, seqs=sorted(derived),
                                source="role", marked_by=None)
        if added:
            record(session, actor, "transcript.interpreted_turns", "recording", recording_id,
                   f"added={added}")
        speakers = {row.seq: row.speaker for row in rows}
        return [InterpretedTurnView(r.seq, speakers.get(r.seq, ""), r.source)
                for r in repo.interpreted_turns(session, recording_id=recording_id)]


def mark_turn(ctx: AppContext, actor: UserView, recording_id: int, seq: int,
              interpreted: bool) -> None:
    """The practitioner marks (or unmarks) one turn as interpreted (audited)."""
    with case_session(ctx, actor) as session:
        visible_recording(session, actor, recording_id)
        seqs = {r.seq for r in recordings_repo.segment_rows(session, recording_id=recording_id)}
        if seq not in seqs:
            raise InvalidInput(f"The transcript has no turn {seq}.",
                               hint="Give the number of a turn in this transcript.")
        if interpreted:
            changed = repo.mark_turns(session, recording_id=recording_id, seqs=[seq],
                                      source="practitioner", marked_by=actor.id)
        else:
            changed = repo.unmark_turn(session, recording_id=recording_id, seq=seq)
        record(session, actor, "transcript.mark_interpreted", "recording", recording_id,
               f"turn={seq} interpreted={int(interpreted)} changed={changed}")
