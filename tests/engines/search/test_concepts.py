"""The concept thesaurus: which concepts a query names, what they add, and organisation files."""

from __future__ import annotations

from pathlib import Path

import pytest

from casenotes.domain.errors import InvalidInput
from casenotes.engines.search.concepts import MAX_PHRASES, load_thesaurus


def test_a_query_naming_a_concept_gains_its_other_names_and_signs() -> None:
    expansion = load_thesaurus().expand("neglected children")
    assert expansion.concepts == ("neglect",)  # stemmed: "neglected" names "neglect"
    assert {"no food", "head lice", "acts of omission"} <= set(expansion.phrases)
    assert expansion.share == 0.5  # one of its two content words


def test_a_longer_name_wins_over_the_name_inside_it() -> None:
    thesaurus = load_thesaurus()
    assert thesaurus.expand("self-neglect").concepts == ("self_neglect",)
    assert thesaurus.expand("manic depression").concepts == ("bipolar",)


def test_signs_do_not_lead_back_to_their_concept_and_plain_words_add_nothing() -> None:
    thesaurus = load_thesaurus()
    assert thesaurus.expand("no food in the cupboards").empty
    assert thesaurus.expand("the garden was tidy").empty


def test_names_lead_both_ways() -> None:
    thesaurus = load_thesaurus()
    assert "manic depression" in thesaurus.expand("bipolar").phrases
    assert "bipolar" in thesaurus.expand("manic depression").phrases


def test_an_expansion_is_capped_and_never_repeats_the_query() -> None:
    expansion = load_thesaurus().expand("neglect, physical abuse and emotional abuse")
    assert len(expansion.phrases) == MAX_PHRASES
    assert "neglect" not in expansion.phrases and "physical abuse" not in expansion.phrases


def test_an_organisations_file_adds_concepts_and_extends_packaged_ones(tmp_path: Path) -> None:
    (tmp_path / "concepts.yaml").write_text(
        "neglect:\n  signs: [\"no bedding\"]\n"
        "cuckooing:\n  names: [\"cuckooing\"]\n  signs: [\"takeover of the flat\"]\n")
    thesaurus = load_thesaurus([tmp_path])
    assert "no bedding" in thesaurus.expand("neglect").phrases
    assert "head lice" in thesaurus.expand("neglect").phrases  # the packaged signs stay
    assert thesaurus.expand("cuckooing").phrases == ("takeover of the flat",)


def test_a_broken_organisation_file_is_refused_with_its_name(tmp_path: Path) -> None:
    (tmp_path / "concepts.yaml").write_text("neglect: [unclosed\n")
    with pytest.raises(InvalidInput, match="concepts.yaml is not valid YAML"):
        load_thesaurus([tmp_path])
    (tmp_path / "concepts.yaml").write_text("neglect:\n  signs: no food\n")
    with pytest.raises(InvalidInput, match="not a list of phrases"):
        load_thesaurus([tmp_path])
