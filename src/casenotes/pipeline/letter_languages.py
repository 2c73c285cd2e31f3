"""Fixed letter text per language, from YAML beside the letter template.

The model never writes a greeting, a sign-off, a section heading, the contact text or a service
name: they come from ``templates/languages/<code>.yaml`` (packaged) or ``languages/<code>.yaml``
inside an organisation's template folder, which overrides the packaged file. A file::

    code: pt
    name: Portuguese (Brazil)          # in English, for the practitioner
    native_name: Português (Brasil)    # for the family
    direction: ltr                     # or rtl (Arabic, Urdu, Farsi, Pashto, Hebrew ...)
    sections: {Opening: Saudação, ...} # every section of the letter template, translated
    opening: "Olá, {name},"            # {name}: the addressee's first name
    opening_no_name: "Olá,"
    contact: ...                       # the contact paragraph
    interpreter: "... {interpreter} ..."
    closing: "...\\n{signer}"
    machine_translated: ...            # the label, in the language
    months: [12 names]
    weekdays: [7 names, Monday first]
    date: "{day} de {month}"           # how a protected date is written
    date_with_year: "{day} de {month} de {year}"
    time_24h: true
    glossary: {social worker: assistente social, ...}   # service names, fixed

Every problem is an :class:`InvalidInput` naming the file and the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from casenotes.domain.errors import InvalidInput

_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")
_FIELDS = frozenset({
    "code", "name", "native_name", "direction", "sections", "opening", "opening_no_name",
    "contact", "interpreter", "closing", "machine_translated", "months", "weekdays", "date",
    "date_with_year", "time_24h", "glossary",
})
_PLACES = {"opening": ("{name}",), "interpreter": ("{interpreter}",), "closing": ("{signer}",),
           "date": ("{day}", "{month}"), "date_with_year": ("{day}", "{month}", "{year}")}
#: Scripts written right to left (ISO 639-1/3 codes).
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "ckb", "yi", "dv", "sd", "ug"})
#: Languages families in UK services often speak, in English, for the language list.
COMMON_LANGUAGES: Mapping[str, str] = {
    "ar": "Arabic", "bn": "Bengali", "zh": "Chinese", "fa": "Farsi (Persian)", "fr": "French",
    "gu": "Gujarati", "ku": "Kurdish", "lt": "Lithuanian", "pa": "Punjabi", "pl": "Polish",
    "ps": "Pashto", "pt": "Portuguese (Brazil)", "ro": "Romanian", "ru": "Russian",
    "so": "Somali", "es": "Spanish", "ti": "Tigrinya", "tr": "Turkish", "uk": "Ukrainian",
    "ur": "Urdu",
}


@dataclass(frozen=True)
class LetterLanguage:
    code: str
    name: str
    native_name: str
    direction: str  # ltr / rtl
    sections: Mapping[str, str]
    opening: str
    opening_no_name: str
    contact: str
    interpreter: str
    closing: str
    machine_translated: str
    months: tuple[str, ...]
    weekdays: tuple[str, ...]
    date: str
    date_with_year: str
    time_24h: bool
    glossary: Mapping[str, str]

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"

    def heading(self, section: str) -> str:
        return self.sections.get(section, section)

    def greeting(self, name: str) -> str:
        return self.opening.format(name=name) if name else self.opening_no_name

    def sign_off(self, signer: str) -> str:
        return self.closing.format(signer=signer)

    def interpreter_line(self, interpreter: str) -> str:
        return self.interpreter.format(interpreter=interpreter)

    def format_date(self, day: int | None, month: int, year: int | None) -> str:
        name = self.months[month - 1]
        if day is None:
            return name
        pattern = self.date_with_year if year else self.date
        return pattern.format(day=day, month=name, year=year or "")

    def format_time(self, hour: int, minute: int) -> str:
        if self.time_24h:
            return f"{hour:02d}:{minute:02d}"
        suffix = "am" if hour < 12 else "pm"
        twelve = hour % 12 or 12
        return f"{twelve}{suffix}" if minute == 0 else f"{twelve}:{minute:02d}{suffix}"


def _fail(source: str, problem: str) -> InvalidInput:
    return InvalidInput(f"The letter language file {source} is not valid: {problem}.",
                        hint="Fix the file and try again; see templates/languages/pt.yaml for "
                             "a complete example.")


def _str(source: str, data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise _fail(source, f"'{key}' must be text")
    for place in _PLACES.get(key, ()):
        if place not in value:
            raise _fail(source, f"'{key}' must contain {place}")
    return value


def _names(source: str, data: Mapping[str, Any], key: str, count: int) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or len(value) != count or not all(
            isinstance(v, str) and v.strip() for v in value):
        raise _fail(source, f"'{key}' must list {count} names")
    return tuple(value)


def _mapping(source: str, data: Mapping[str, Any], key: str) -> dict[str, str]:
    value = data.get(key)
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()):
        raise _fail(source, f"'{key}' must map text to text")
    return dict(value)


def parse_language(text: str, source: str, section_names: Sequence[str] = ()) -> LetterLanguage:
    """A language file's fixed text, validated; ``section_names``: the letter's sections."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _fail(source, f"it is not YAML (line {getattr(exc, 'problem_mark', None)})") from None
    if not isinstance(data, dict):
        raise _fail(source, "it must be a mapping of fields")
    unknown = sorted(str(k) for k in data if k not in _FIELDS)
    if unknown:
        raise _fail(source, f"unknown field(s) {', '.join(unknown)}")
    missing = sorted(_FIELDS - set(data))
    if missing:
        raise _fail(source, f"missing field(s) {', '.join(missing)}")
    code = _str(source, data, "code")
    if not _CODE.match(code):
        raise _fail(source, "'code' must be a language code such as pt or pt-BR")
    direction = _str(source, data, "direction")
    if direction not in ("ltr", "rtl"):
        raise _fail(source, "'direction' must be ltr or rtl")
    sections = _mapping(source, data, "sections")
    absent = [name for name in section_names if name not in sections]
    if absent:
        raise _fail(source, f"'sections' has no heading for {', '.join(absent)}")
    if not isinstance(data.get("time_24h"), bool):
        raise _fail(source, "'time_24h' must be true or false")
    glossary = data.get("glossary") or {}
    return LetterLanguage(
        code=code, name=_str(source, data, "name"),
        native_name=_str(source, data, "native_name"), direction=direction, sections=sections,
        opening=_str(source, data, "opening"),
        opening_no_name=_str(source, data, "opening_no_name"),
        contact=_str(source, data, "contact"), interpreter=_str(source, data, "interpreter"),
        closing=_str(source, data, "closing"),
        machine_translated=str(data.get("machine_translated") or ""),
        months=_names(source, data, "months", 12), weekdays=_names(source, data, "weekdays", 7),
        date=_str(source, data, "date"), date_with_year=_str(source, data, "date_with_year"),
        time_24h=bool(data["time_24h"]),
        glossary=_mapping(source, {"glossary": glossary}, "glossary"),
    )


def _packaged() -> Traversable:
    return resources.files("casenotes.templates").joinpath("languages")


def _files(extra_dirs: Sequence[Path]) -> dict[str, Traversable | Path]:
    found: dict[str, Traversable | Path] = {}
    for entry in _packaged().iterdir():
        if entry.name.endswith(".yaml"):
            found[entry.name[:-5]] = entry
    for folder in extra_dirs:
        languages = Path(folder) / "languages"
        if languages.is_dir():
            for path in sorted(languages.glob("*.yaml")):
                found[path.stem] = path
    return found


def language_codes(extra_dirs: Sequence[Path] = ()) -> list[str]:
    """Codes that have fixed letter text (packaged, plus an organisation's own)."""
    return sorted(_files(extra_dirs))


def load_language(code: str, extra_dirs: Sequence[Path] = (),
                  section_names: Sequence[str] = ()) -> LetterLanguage | None:
    """The fixed letter text for ``code``; ``None`` when no file exists for it."""
    entry = _files(extra_dirs).get(code)
    if entry is None:
        return None
    language = parse_language(entry.read_text(encoding="utf-8"), f"{code}.yaml", section_names)
    if language.code != code:
        raise _fail(f"{code}.yaml", f"'code' says {language.code!r}, the file name {code!r}")
    return language
