"""How much of the drafted text the practitioner changed."""

from __future__ import annotations

from casenotes.domain.note import EngineInfo, TransparencyLabel, changed_share


def test_unchanged_text_has_zero_share() -> None:
    assert changed_share("She said the gas is off.", "She said the gas is off.") == 0.0


def test_rewritten_text_has_full_share() -> None:
    assert changed_share("one two three", "alpha beta gamma") == 1.0


def test_one_word_in_four_changed_is_a_quarter() -> None:
    assert changed_share("the gas is off", "the heating is off") == 0.25


def test_label_names_engines_and_share() -> None:
    label = TransparencyLabel((EngineInfo("draft", "extractive", "1.0"),), 0.3, ("Analysis",))
    assert "draft: extractive 1.0" in label.describe()
    assert "30%" in label.describe() and "Analysis" in label.describe()
