"""The checks' word lists: packaged YAML files, extended by an organisation's own folders.

A file of the same name in any folder of ``Settings.check_data_dirs`` adds entries to the
packaged list (lists are appended; topics with the same key gain patterns).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from casenotes.domain.errors import InvalidInput
from casenotes.domain.transcript import restore_dropped_g
from casenotes.engines.checks.wording import fluent
from casenotes.engines.data_files import packaged_and_extra

_PACKAGE = "casenotes.engines.checks"


@dataclass(frozen=True)
class Phrase:
    """A stigmatising phrasing, a drop-in alternative and why it matters."""

    pattern: re.Pattern[str]
    replacement: str
    why: str


@dataclass(frozen=True)
class Topic:
    """A subject (high-stakes or safeguarding) recognised by its patterns."""

    key: str
    label: str
    patterns: tuple[re.Pattern[str], ...]
    speaker_roles: tuple[str, ...] = ()
    #: Plain descriptions of the subject, for recognising it by meaning rather than by word.
    descriptions: tuple[str, ...] = ()

    def matches(self, text: str) -> bool:
        """Whether a pattern is in ``text``, read with dropped g's put back ("two in the
        mornin'", "freezin'" are "morning", "freezing") and a stammer's repeated starts taken
        off ("the c-credit card")."""
        text = fluent(restore_dropped_g(text))
        return any(p.search(text) for p in self.patterns)


def _compile(pattern: str, source: str) -> re.Pattern[str]:
    try:
        # Grouped, so that a whole word is matched by every alternative ("owe|owing").
        return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w])", re.IGNORECASE)
    except re.error:
        raise InvalidInput(
            f"A pattern in {source} is not a valid regular expression.",
            hint="Correct the pattern (Python regular expression syntax) and restart.",
        ) from None


def phrases(extra_dirs: Sequence[Path] = ()) -> list[Phrase]:
    """Stigmatising phrasings (``stigmatising_language.yaml``)."""
    found: list[Phrase] = []
    for source, doc in packaged_and_extra(_PACKAGE, "stigmatising_language.yaml", extra_dirs):
        if not isinstance(doc, list):
            raise InvalidInput(f"{source} must be a list of entries.",
                               hint="Each entry has pattern, replacement and why.")
        for entry in doc:
            if not isinstance(entry, dict) or not {"pattern", "replacement"} <= set(entry):
                raise InvalidInput(f"An entry in {source} lacks a pattern or replacement.",
                                   hint="Each entry has pattern, replacement and why.")
            found.append(Phrase(_compile(str(entry["pattern"]), source),
                                str(entry["replacement"]), str(entry.get("why", ""))))
    return found


def topics(name: str, extra_dirs: Sequence[Path] = ()) -> list[Topic]:
    """Topics from ``high_stakes_terms.yaml`` (key → patterns) or ``safeguarding_topics.yaml``
    (key → label, said, speaker_roles, describe)."""
    merged: dict[str, Topic] = {}
    for source, doc in packaged_and_extra(_PACKAGE, name, extra_dirs):
        if not isinstance(doc, dict):
            raise InvalidInput(f"{source} must map topic names to patterns.",
                               hint="See the packaged file of the same name for the shape.")
        for key, value in doc.items():
            described: tuple[str, ...] = ()
            if isinstance(value, dict):
                raw, label = value.get("said", []), str(value.get("label", key))
                roles = tuple(str(r) for r in value.get("speaker_roles", ()))
                described = tuple(str(d) for d in value.get("describe", ()) or ())
            else:
                raw, label, roles = value, str(key).replace("_", " "), ()
            if not isinstance(raw, list):
                raise InvalidInput(f"Topic {key!r} in {source} has no list of patterns.",
                                   hint="Give the topic a list of patterns.")
            patterns = tuple(_compile(str(p), source) for p in raw)
            old = merged.get(str(key))
            if old is not None:
                patterns = old.patterns + patterns
                roles = old.speaker_roles or roles
                described = old.descriptions + described
            merged[str(key)] = Topic(str(key), label, patterns, roles, described)
    return list(merged.values())
