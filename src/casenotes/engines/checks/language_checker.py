"""Language check: stigmatising, blaming or jargon phrasings, each with a respectful alternative.

The list lives in ``data/stigmatising_language.yaml``; organisations extend it with their own
file of the same name (``Settings.check_data_dirs``). The flag's ``suggestion`` is the whole
sentence with the phrase replaced, so the practitioner can accept it in one click.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from casenotes.domain.draft import Draft, SentenceKind
from casenotes.domain.flags import Flag, FlagKind, Severity
from casenotes.domain.transcript import Transcript
from casenotes.engines.checks.lexicon import Phrase, phrases
from casenotes.pipeline.check import CheckContext


def _matches(text: str, entries: Sequence[Phrase]) -> list[tuple[re.Match[str], Phrase]]:
    """Non-overlapping matches, the longest first where two entries overlap."""
    found = [(m, p) for p in entries for m in p.pattern.finditer(text)]
    found.sort(key=lambda mp: (-(mp[0].end() - mp[0].start()), mp[0].start()))
    taken: list[tuple[re.Match[str], Phrase]] = []
    for match, phrase in found:
        if all(match.end() <= m.start() or match.start() >= m.end() for m, _ in taken):
            taken.append((match, phrase))
    return sorted(taken, key=lambda mp: mp[0].start())


#: The person's own words inside a drafted sentence: in quotation marks, or after "X said:".
_OWN_WORDS = re.compile(r"[\"“][^\"”]*[\"”]|\b(?:said|says|asked|explained|added|told \w+)\s*:.*$",
                        re.IGNORECASE)


def _outside_quotes(text: str, found: list[tuple[re.Match[str], Phrase]]
                    ) -> list[tuple[re.Match[str], Phrase]]:
    """The matches that are the note's words, not the person's quoted ones ("Mason said: …
    his girlfriend …" is how the person put it)."""
    quoted = [m.span() for m in _OWN_WORDS.finditer(text)]
    return [(m, p) for m, p in found
            if not any(a <= m.start() and m.end() <= b for a, b in quoted)]


def _replace(text: str, match: re.Match[str], replacement: str) -> str:
    if match.start() == 0 or text[: match.start()].rstrip().endswith((".", "!", "?")):
        replacement = replacement[:1].upper() + replacement[1:]
    return text[: match.start()] + replacement + text[match.end():]


class LanguageChecker:
    """Flags stigmatising or blaming words in drafted and practitioner-written sentences."""

    name = "language"
    version = "1.0"

    def __init__(self, data_dirs: Sequence[Path] = ()) -> None:
        self._phrases = phrases(data_dirs)

    def check(self, draft: Draft, transcript: Transcript, context: CheckContext) -> list[Flag]:
        flags: list[Flag] = []
        for section, sentence in draft.sentences():
            if sentence.kind is SentenceKind.QUOTE:
                continue  # the person's own words are kept as they said them
            for match, phrase in _outside_quotes(sentence.text,
                                                 _matches(sentence.text, self._phrases)):
                said = match.group()
                flags.append(Flag(
                    kind=FlagKind.STIGMATISING_LANGUAGE,
                    severity=Severity.WARNING,
                    explanation=(
                        f"\"{said}\" can read as stigmatising or blaming. {phrase.why} "
                        f"Consider \"{phrase.replacement}\", or describe what was said and seen."
                    ).replace("  ", " "),
                    section=section.name,
                    sentence_id=sentence.id,
                    segment_ids=tuple(sentence.segment_ids),
                    suggestion=_replace(sentence.text, match, phrase.replacement),
                    checker=self.name,
                ))
        for section in draft.sections:
            for match, phrase in _matches(section.human_text, self._phrases):
                flags.append(Flag(
                    kind=FlagKind.STIGMATISING_LANGUAGE,
                    severity=Severity.INFO,
                    explanation=(
                        f"What you wrote here includes \"{match.group()}\", which can read as "
                        f"stigmatising or blaming. {phrase.why} Consider "
                        f"\"{phrase.replacement}\"."
                    ),
                    section=section.name,
                    checker=self.name,
                ))
        return flags
