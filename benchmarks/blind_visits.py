"""Drafting and checks on visit cases written apart from the rules.

``benchmarks/blind_visits/`` holds the newest blind round; ``benchmarks/dev_visits/`` the earlier
rounds, each measured blind once and since used as dev cases.

The dev visit cases in ``../shared/data/visits`` are the ones the drafter's and the checks'
rules were shaped on. The blind cases were written for this project, in the same schema, by an
engineer who had not read those rules or their word lists, after the rules were written: the
same measures on them show how much of the dev figures is fitted to the dev cases. They are
few (see the folder's README); read them as a check, not as the headline.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from benchmarks import checks as checks_bench
from benchmarks import drafting as drafting_bench
from benchmarks.common import write_table
from casenotes.engines.checks.unsupported_claim_checker import UnsupportedClaimChecker
from casenotes.engines.embed.minilm import MiniLMEmbedder

HERE = Path(__file__).resolve().parent
BLIND = HERE / "blind_visits"
SEEN = HERE / "dev_visits"


def load(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("case_*.json"))]


def blind_cases() -> list[dict[str, Any]]:
    return load(BLIND)


def measures(folder: Path, embedder: MiniLMEmbedder) -> list[list[str]]:
    """[measure, casenotes, baseline] for the cases in ``folder``, measured exactly as the
    drafting and checks benchmarks measure the dev cases (the drafting benchmark's list of
    fact matches, kept for the dev cases' manual check, is not written)."""
    cases = load(folder)
    draft_rows, _ = drafting_bench.visits_table(folder, embedder, matches_file=None)
    claim = UnsupportedClaimChecker(embedder)
    label = f" ({folder.name})"
    inv = checks_bench.invented(cases, claim, label)
    om = checks_bench.omissions(cases, label=label)
    stig = checks_bench.stigmatising(cases)
    share = checks_bench._share
    by_system = {r[0]: r for r in draft_rows}
    ours, lead = by_system["extractive (rules)"], by_system["lead-N"]
    return [
        ["Drafting: critical-fact recall (target ≥ 0.95)", ours[2], lead[2]],
        ["Drafting: critical-fact recall, its sentences together", ours[4], lead[4]],
        ["Drafting: critical facts with one of their turns cited (looser)", ours[5], lead[5]],
        ["Drafting: all-fact recall", ours[3], lead[3]],
        ["Drafting: person_voice kept verbatim (target ≥ 0.90)", ours[6], lead[6]],
        ["Drafting: sentences with verified evidence (must be 100%)", ours[7], lead[7]],
        ["Drafting: reserved sections untouched (must be all)", ours[8], lead[8]],
        ["Drafting: words per case (gold note; transcript)", ours[10],
         f"{by_system['(gold reference note)'][10]}; {by_system['(transcript)'][10]}"],
        ["Checks: invented content recall (target ≥ 0.95)", share(inv["ours_hit"]),
         share(inv["base_hit"])],
        ["Checks: false-flag rate on reference sentences (target ≤ 0.05)",
         share(inv["ours_false"]), share(inv["base_false"])],
        ["Checks: reference sentences flagged counting the consistency check",
         share(inv["consistent_false"]), "—"],
        ["Checks: critical-fact deletions flagged (target ≥ 0.90)", share(om["ours_hit"]),
         share(om["base_hit"])],
        ["Checks: transcript turns flagged on the untouched reference notes",
         share(om["ours_clean"]), share(om["base_clean"])],
        ["Checks: stigmatising phrasings flagged with an alternative (target 1.0)",
         share(stig), "—"],
    ]


def main() -> None:
    blind, seen = load(BLIND), load(SEEN)
    if not blind and not seen:
        print("blind visits benchmark skipped: benchmarks/blind_visits and "  # noqa: T201
              "benchmarks/dev_visits hold no case")
        return
    started = time.perf_counter()
    embedder = MiniLMEmbedder()
    empty = [["", "—", "—"]] * 14
    new = measures(BLIND, embedder) if blind else empty
    old = measures(SEEN, embedder) if seen else empty
    rows = [[n[0], n[1], n[2], o[1], o[2]] for n, o in zip(new, old, strict=True)]
    notes = [
        f"Blind: {len(blind)} cases ({', '.join(c['id'] for c in blind)}), written in "
        "the visits schema by an engineer who had not read the drafter's or the checks' rules, "
        "word lists, code, tests or benchmarks (benchmarks/blind_visits/README.md). Not tuned "
        "against.",
        f"Own dev cases: {len(seen)} cases ({', '.join(c['id'] for c in seen)}), written "
        "the same way in the earlier blind rounds, each measured blind once (its figures are in "
        "benchmarks/dev_visits/README*.md), then read to shape the rules. Their figures here "
        "are dev figures.",
        "Both measured exactly as `drafting.md` and `checks.md` measure the 14 shared dev "
        "cases, with the same thresholds.",
        "Baselines: lead-N for drafting (the first N transcript sentences, N = the draft's "
        "sentence count); word overlap for invented content; every unlinked turn of 8 or more "
        "content words for omissions. The words-per-case baseline column gives the gold note's "
        "and the transcript's words per case.",
        f"Total time {time.perf_counter() - started:.0f} s.",
        "Reproduce: `.venv/bin/python -m benchmarks.blind_visits` (also run by `make bench`).",
    ]
    write_table("blind_visits", "Drafting and checks on cases written apart from the rules",
                ["measure", "blind: casenotes", "baseline",
                 "own dev cases: casenotes", "baseline"], rows, notes)


if __name__ == "__main__":
    main()
