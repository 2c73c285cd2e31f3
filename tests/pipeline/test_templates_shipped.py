"""The templates casenotes ships, and `casenotes templates check DIR` for organisation folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from casenotes.cli import app
from casenotes.domain.errors import InvalidInput
from casenotes.pipeline.templates import check_folder, list_templates, load_template, parse_template

runner = CliRunner()
ACTIONS = "Actions agreed (who, what, by when)"

GOOD = """
title: Phone call
version: "1"
tone: plain_language
sections:
  - name: What was said
    keywords: [said]
  - name: Analysis
    reserved: true
"""
BAD_RESERVED = """
title: Broken
sections:
  - name: Analysis
    reserved: perhaps
"""


def test_the_organisation_can_choose_from_every_kind_of_record_the_issue_names() -> None:
    names = {t.name for t in list_templates()}
    assert {
        "home_visit_note", "meeting_minutes", "child_protection_conference", "strategy_meeting",
        "core_group_minutes", "supervision_record", "assessment_section", "letter_to_family",
    } <= names


def test_carers_assessment_section_has_the_sections_of_the_evaluation_set_in_order() -> None:
    template = load_template("assessment_section")
    assert [s.name for s in template.sections] == [
        "Reason for assessment", "Who contributed", "Current situation",
        "The person's views (their voice)", "Needs and risks identified",
        "Outcomes the person wants", ACTIONS, "Analysis",
    ]
    assert template.reserved_sections == ["Analysis"]


def test_letter_to_family_is_plain_language_and_has_no_analysis() -> None:
    template = load_template("letter_to_family")
    assert [s.name for s in template.sections] == [
        "Opening", "Why we spoke", "What we talked about", "What you told me",
        "What happens next", "Contact details", "Closing",
    ]
    assert template.tone == "plain_language"
    assert "Analysis" not in template.reserved_sections
    assert template.section("What you told me").voice


@pytest.mark.parametrize("name", [t.name for t in list_templates()])
def test_every_packaged_template_keeps_judgement_for_the_practitioner(name: str) -> None:
    template = load_template(name)
    assert template.reserved_sections, "a template must reserve some section for a person"
    assert template.required_elements
    assert all(s.guidance for s in template.sections), "every section says what belongs in it"
    if template.tone == "professional":
        assert any(s.attendees for s in template.sections), "who took part is recorded"
        assert any(s.actions for s in template.sections), "actions are listed"


def test_unknown_tone_is_refused_naming_the_allowed_tones() -> None:
    with pytest.raises(InvalidInput) as error:
        parse_template(GOOD.replace("plain_language", "chatty"), "call.yaml")
    assert "'call.yaml'" in error.value.message
    assert "professional, plain_language" in error.value.message


def test_checking_a_folder_reports_each_file(tmp_path: Path) -> None:
    (tmp_path / "phone_call.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text(BAD_RESERVED, encoding="utf-8")
    results = {r.file: r for r in check_folder(tmp_path)}
    assert results["phone_call.yaml"].ok
    assert not results["broken.yaml"].ok
    assert "'reserved' must be true or false" in results["broken.yaml"].problem


def test_templates_check_command_passes_a_good_folder(tmp_path: Path) -> None:
    (tmp_path / "phone_call.yaml").write_text(GOOD, encoding="utf-8")
    result = runner.invoke(app, ["templates", "check", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "phone_call.yaml" in result.output
    assert "1 valid, 0 invalid" in result.output


def test_templates_check_command_names_the_bad_file_and_fails(tmp_path: Path) -> None:
    (tmp_path / "phone_call.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text(BAD_RESERVED, encoding="utf-8")
    (tmp_path / "typo.yaml").write_text(GOOD.replace("keywords", "keywrods"), encoding="utf-8")
    result = runner.invoke(app, ["templates", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert "broken.yaml" in result.output and "true or false" in result.output
    assert "unknown field(s) 'keywrods'" in result.output
    assert "1 valid, 2 invalid" in result.output


def test_templates_check_command_on_a_missing_folder_explains_without_a_traceback(
    tmp_path: Path,
) -> None:
    result = runner.invoke(app, ["templates", "check", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert "Traceback" not in result.output


def test_packaged_templates_folder_checks_clean() -> None:
    folder = Path(__file__).resolve().parents[2] / "src" / "casenotes" / "templates"
    result = runner.invoke(app, ["templates", "check", str(folder)])
    assert result.exit_code == 0, result.output
    assert " 0 invalid" in result.output
