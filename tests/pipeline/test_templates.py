"""Loading note templates: the packaged defaults, organisation overrides, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from casenotes.domain.errors import InvalidInput
from casenotes.pipeline.templates import list_templates, load_template, parse_template

HOME_VISIT_SECTIONS = [
    "Purpose of visit",
    "Who was present",
    "Observations",
    "What the child/person said (their voice)",
    "Discussion",
    "Actions agreed (who, what, by when)",
    "Analysis",
]
MEETING_SECTIONS = [
    "Meeting details",
    "Attendees and consent to recording",
    "Purpose of meeting",
    "Summary of discussion",
    "Views of the child/person (their voice)",
    "Decisions",
    "Actions agreed (who, what, by when)",
    "Analysis",
]

MINIMAL = """
title: Phone call
version: 2
sections:
  - name: What was said
    keywords: [said]
  - name: Analysis
    reserved: true
"""


def test_home_visit_note_has_the_sections_of_the_evaluation_set_in_order() -> None:
    template = load_template("home_visit_note")
    assert [s.name for s in template.sections] == HOME_VISIT_SECTIONS
    assert template.reserved_sections == ["Analysis"]


def test_home_visit_note_marks_voice_attendees_and_fallback_sections() -> None:
    template = load_template("home_visit_note")
    assert [s.name for s in template.sections if s.voice] == [HOME_VISIT_SECTIONS[3]]
    assert [s.name for s in template.sections if s.attendees] == ["Who was present"]
    assert [s.name for s in template.sections if s.fallback] == ["Discussion"]
    for section in template.sections:
        assert section.guidance, section.name
        if not (section.reserved or section.attendees):
            assert section.keywords, section.name


def test_meeting_minutes_has_the_sections_of_the_evaluation_set_in_order() -> None:
    template = load_template("meeting_minutes")
    assert [s.name for s in template.sections] == MEETING_SECTIONS
    assert template.reserved_sections == ["Analysis"]


def test_every_packaged_template_loads() -> None:
    names = [t.name for t in list_templates()]
    assert {"home_visit_note", "meeting_minutes"} <= set(names)
    assert names == sorted(names)


def test_minimal_template_gets_defaults_and_name_from_its_file() -> None:
    template = parse_template(MINIMAL, "phone_call.yaml")
    assert template.name == "phone_call"
    assert template.version == "2"
    assert template.tone == "professional"
    assert template.section("What was said").keywords == ("said",)
    assert template.section("Analysis").reserved


def test_organisation_folder_overrides_packaged_template_by_name(tmp_path: Path) -> None:
    own = MINIMAL.replace("Phone call", "Our home visit")
    (tmp_path / "home_visit_note.yaml").write_text(own, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a template", encoding="utf-8")
    assert load_template("home_visit_note", [tmp_path]).title == "Our home visit"
    assert load_template("meeting_minutes", [tmp_path]).title != "Our home visit"
    listed = {t.name: t.title for t in list_templates([tmp_path])}
    assert listed["home_visit_note"] == "Our home visit"
    assert "meeting_minutes" in listed


def test_first_organisation_folder_wins(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "call.yaml").write_text(MINIMAL.replace("Phone call", "First"), encoding="utf-8")
    (second / "call.yaml").write_text(MINIMAL.replace("Phone call", "Second"), encoding="utf-8")
    assert load_template("call", [first, second]).title == "First"


def test_unknown_template_name_lists_the_choices() -> None:
    with pytest.raises(InvalidInput) as exc:
        load_template("no_such_template")
    assert "no_such_template" in exc.value.message
    assert "home_visit_note" in exc.value.hint


def test_template_name_cannot_reach_outside_the_folders() -> None:
    with pytest.raises(InvalidInput, match="not a valid template name"):
        load_template("../secrets")


def test_missing_template_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        load_template("home_visit_note", [tmp_path / "missing"])


def test_template_with_non_boolean_reserved_gives_error_naming_file() -> None:
    text = MINIMAL.replace("reserved: true", "reserved: maybe")
    with pytest.raises(InvalidInput) as exc:
        parse_template(text, "team_note.yaml")
    message = exc.value.message
    assert "team_note.yaml" in message
    assert "'reserved' must be true or false" in message
    assert "Analysis" in message


def test_template_with_unknown_section_field_gives_error_naming_file_and_field() -> None:
    text = MINIMAL.replace("keywords: [said]", "keywordz: [said]")
    with pytest.raises(InvalidInput) as exc:
        parse_template(text, "team_note.yaml")
    assert "team_note.yaml" in exc.value.message
    assert "'keywordz'" in exc.value.message


def test_template_with_unknown_top_level_field_gives_error() -> None:
    with pytest.raises(InvalidInput, match="'colour'"):
        parse_template(MINIMAL + "colour: blue\n", "team_note.yaml")


def test_section_without_name_gives_error_naming_file_and_position() -> None:
    text = MINIMAL.replace("- name: What was said", "- guidance: What was said")
    with pytest.raises(InvalidInput) as exc:
        parse_template(text, "team_note.yaml")
    assert "team_note.yaml" in exc.value.message
    assert "section 1 is missing its section name" in exc.value.message


def test_duplicate_section_gives_error() -> None:
    text = MINIMAL + "  - name: what was said\n"
    with pytest.raises(InvalidInput, match="duplicate section name 'what was said'"):
        parse_template(text, "team_note.yaml")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- a list", "must be a mapping"),
        ("title: x\nsections: []\n", "non-empty list"),
        ("title: x\nsections: [plain]\n", "section 1 must be a mapping"),
        ("sections:\n  - name: A\n    max_sentences: 0\n", "'max_sentences'"),
        ("sections:\n  - name: A\n    max_sentences: true\n", "'max_sentences'"),
        ("sections:\n  - name: A\n    keywords: [1, '']\n", "'keywords' must be a list"),
        ("sections:\n  - name: A\n    position: middle\n", "'position'"),
        ("sections:\n  - name: A\n    reserved: true\n    voice: true\n", "reserved section"),
        ("sections:\n  - name: A\n    reserved: true\n    actions: true\n", "reserved section"),
        ("title: [x]\nsections:\n  - name: A\n", "'title' must be text"),
        ("name: Bad Name\nsections:\n  - name: A\n", "'name' must use"),
        ("sections:\n  - name: A\n   bad: indent\n", "not valid YAML at line"),
    ],
)
def test_invalid_templates_give_errors_naming_file_and_problem(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        parse_template(text, "broken.yaml")
    assert "broken.yaml" in exc.value.message
    assert problem in exc.value.message


def test_file_name_and_template_name_must_agree(tmp_path: Path) -> None:
    (tmp_path / "call.yaml").write_text("name: other\n" + MINIMAL, encoding="utf-8")
    with pytest.raises(InvalidInput, match="must match the file name"):
        load_template("call", [tmp_path])
