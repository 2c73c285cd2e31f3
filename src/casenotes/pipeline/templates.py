"""Note templates from YAML: the packaged defaults, overridden by organisation folders.

A template file is a mapping::

    name: home_visit_note          # optional; defaults to the file name without ".yaml"
    title: Home visit note
    version: "1"
    tone: professional
    required_elements: [...]
    sections:
      - name: Purpose of visit
        guidance: Why the visit happened.
        keywords: [referral, concern*]
        speaker_roles: [practitioner]
        position: early
        max_sentences: 3
      - name: Analysis
        reserved: true

Every problem is reported as :class:`InvalidInput` naming the file and what is wrong with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from casenotes.domain.errors import InvalidInput
from casenotes.domain.template import Template, TemplateSection

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_TEMPLATE_FIELDS = frozenset(
    {"name", "title", "version", "sections", "required_elements", "tone"}
)
_SECTION_FIELDS = frozenset(
    {
        "name",
        "guidance",
        "reserved",
        "keywords",
        "speaker_roles",
        "voice",
        "max_sentences",
        "attendees",
        "fallback",
        "position",
        "required_keywords",
        "tags",
        "actions",
    }
)
_POSITIONS = ("", "early", "late")
TONES = ("professional", "plain_language")
_SUFFIX = ".yaml"


def _packaged_dir() -> Traversable:
    return resources.files("casenotes").joinpath("templates")


def _fail(source: str, problem: str) -> InvalidInput:
    return InvalidInput(
        f"Template file {source!r}: {problem}",
        hint="Correct the template file and load it again.",
    )


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _fields(source: str, where: str, data: dict[Any, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(str(k) for k in data if k not in allowed)
    if unknown:
        raise _fail(
            source,
            f"{where} has unknown field(s) {', '.join(map(repr, unknown))}; "
            f"allowed fields are {', '.join(sorted(allowed))}.",
        )


def _text(source: str, where: str, data: dict[str, Any], key: str, default: str) -> str:
    value = data.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _fail(source, f"{where}: {key!r} must be text, not {_show(value)}.")
    return str(value).strip()


def _flag(source: str, where: str, data: dict[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise _fail(source, f"{where}: {key!r} must be true or false, not {_show(value)}.")
    return value


def _words(source: str, where: str, data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(
        isinstance(v, str) and v.strip() for v in value
    ):
        raise _fail(source, f"{where}: {key!r} must be a list of non-empty texts.")
    return tuple(v.strip() for v in value)


def _section(source: str, index: int, raw: object) -> TemplateSection:
    where = f"section {index}"
    if not isinstance(raw, dict):
        raise _fail(source, f"{where} must be a mapping with at least a 'name'.")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _fail(source, f"{where} is missing its section name ('name').")
    where = f"section {index} ({name.strip()!r})"
    _fields(source, where, raw, _SECTION_FIELDS)
    max_sentences = raw.get("max_sentences", TemplateSection.max_sentences)
    if isinstance(max_sentences, bool) or not isinstance(max_sentences, int) or max_sentences < 1:
        raise _fail(
            source, f"{where}: 'max_sentences' must be a whole number of at least 1, "
            f"not {_show(max_sentences)}."
        )
    position = _text(source, where, raw, "position", "")
    if position not in _POSITIONS:
        raise _fail(source, f"{where}: 'position' must be 'early', 'late' or empty.")
    section = TemplateSection(
        name=name.strip(),
        guidance=_text(source, where, raw, "guidance", ""),
        reserved=_flag(source, where, raw, "reserved"),
        keywords=_words(source, where, raw, "keywords"),
        speaker_roles=_words(source, where, raw, "speaker_roles"),
        voice=_flag(source, where, raw, "voice"),
        max_sentences=max_sentences,
        attendees=_flag(source, where, raw, "attendees"),
        fallback=_flag(source, where, raw, "fallback"),
        position=position,
        required_keywords=_words(source, where, raw, "required_keywords"),
        tags=tuple(t.lower() for t in _words(source, where, raw, "tags")),
        actions=_flag(source, where, raw, "actions"),
    )
    if section.reserved and (
            section.voice or section.attendees or section.fallback or section.actions):
        raise _fail(
            source,
            f"{where}: a reserved section is written by a person only, so it cannot also be "
            "'voice', 'attendees', 'fallback' or 'actions'.",
        )
    return section


def parse_template(text: str, source: str) -> Template:
    """Parse and validate one template; ``source`` names the file in error messages."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise _fail(source, f"is not valid YAML{where}.") from None
    if not isinstance(data, dict):
        raise _fail(source, "must be a mapping with 'title', 'version' and 'sections'.")
    _fields(source, "the template", data, _TEMPLATE_FIELDS)
    stem = source.rsplit("/", 1)[-1].removesuffix(_SUFFIX)
    name = _text(source, "the template", data, "name", stem)
    if not _NAME.match(name):
        raise _fail(
            source, "'name' must use lower-case letters, digits, '_' or '-' (at most 64)."
        )
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise _fail(source, "'sections' must be a non-empty list of sections.")
    sections: list[TemplateSection] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_sections, start=1):
        section = _section(source, index, raw)
        key = section.name.casefold()
        if key in seen:
            raise _fail(source, f"section {index}: duplicate section name {section.name!r}.")
        seen.add(key)
        sections.append(section)
    tone = _text(source, "the template", data, "tone", "professional")
    if tone not in TONES:
        raise _fail(
            source, f"'tone' must be one of {', '.join(TONES)}, not {_show(tone)}."
        )
    return Template(
        name=name,
        title=_text(source, "the template", data, "title", name.replace("_", " ").capitalize()),
        version=_text(source, "the template", data, "version", "1"),
        sections=tuple(sections),
        required_elements=_words(source, "the template", data, "required_elements"),
        tone=tone,
    )


def _read(entry: Traversable | Path) -> Template:
    try:
        text = entry.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _fail(entry.name, "is not UTF-8 text.") from None
    template = parse_template(text, entry.name)
    stem = entry.name.removesuffix(_SUFFIX)
    if template.name != stem:
        raise _fail(
            entry.name,
            f"its 'name' ({template.name!r}) must match the file name ({stem!r}).",
        )
    return template


def _entries(extra_dirs: Sequence[Path]) -> Iterator[Traversable | Path]:
    """Template files, highest priority first: organisation folders in order, then packaged."""
    for folder in extra_dirs:
        if not folder.is_dir():
            raise InvalidInput(
                f"The template folder {folder.name!r} does not exist or is not a folder.",
                hint="Check the configured template folders.",
            )
        yield from sorted(p for p in folder.iterdir() if p.name.endswith(_SUFFIX))
    packaged = _packaged_dir()
    yield from sorted(
        (e for e in packaged.iterdir() if e.name.endswith(_SUFFIX)), key=lambda e: e.name
    )


def load_template(name: str, extra_dirs: Sequence[Path] = ()) -> Template:
    """The template called ``name``: an organisation folder's copy wins over the packaged one.

    Folders in ``extra_dirs`` are searched in order (the first that has the template wins), then
    the templates shipped with casenotes.
    """
    if not _NAME.match(name):
        raise InvalidInput(
            f"{name[:64]!r} is not a valid template name.",
            hint="Template names use lower-case letters, digits, '_' or '-'.",
        )
    for entry in _entries(extra_dirs):
        if entry.name == name + _SUFFIX:
            return _read(entry)
    names = sorted({e.name.removesuffix(_SUFFIX) for e in _entries(extra_dirs)})
    raise InvalidInput(
        f"There is no note template called {name!r}.",
        hint=f"Choose one of: {', '.join(names)}.",
    )


def list_templates(extra_dirs: Sequence[Path] = ()) -> list[Template]:
    """Every available template, one per name (overrides applied), sorted by name."""
    found: dict[str, Template] = {}
    for entry in _entries(extra_dirs):
        stem = entry.name.removesuffix(_SUFFIX)
        if stem not in found:
            found[stem] = _read(entry)
    return [found[k] for k in sorted(found)]


@dataclass(frozen=True)
class TemplateCheck:
    """The outcome of checking one template file: its template, or what is wrong with it."""

    file: str
    template: Template | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.template is not None


def check_folder(folder: Path) -> list[TemplateCheck]:
    """Check every ``*.yaml`` template in ``folder``; one result per file, in name order.

    A folder that does not exist, or holds no template, is an :class:`InvalidInput`.
    """
    if not folder.is_dir():
        raise InvalidInput(
            f"The template folder {folder.name!r} does not exist or is not a folder.",
            hint="Give the path of a folder that holds .yaml template files.",
        )
    files = sorted(p for p in folder.iterdir() if p.name.endswith(_SUFFIX) and p.is_file())
    if not files:
        raise InvalidInput(
            f"The folder {folder.name!r} holds no template ('.yaml') files.",
            hint="Put one template per .yaml file in the folder, then check it again.",
        )
    results: list[TemplateCheck] = []
    for path in files:
        try:
            results.append(TemplateCheck(path.name, template=_read(path)))
        except InvalidInput as exc:
            results.append(TemplateCheck(path.name, problem=exc.message))
    return results
