"""Drafting and checks on the blind visit cases (``benchmarks/blind_visits/``).

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

BLIND = Path(__file__).resolve().parent / "blind_visits"


def blind_cases() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(BLIND.glob("*.json"))]


def _drafting_rows(embedder: MiniLMEmbedder) -> list[list[str]]:
    """The drafting benchmark's visit table over the blind cases (its list of fact matches,
    kept for the dev cases' manual check, is not written)."""
    rows, _ = drafting_bench.visits_table(BLIND, embedder, matches_file=None)
    return rows


def main() -> None:
    cases = blind_cases()
    if not cases:
        print("blind visits benchmark skipped: benchmarks/blind_visits holds no case")  # noqa: T201
        return
    started = time.perf_counter()
    embedder = MiniLMEmbedder()
    draft_rows = _drafting_rows(embedder)
    claim = UnsupportedClaimChecker(embedder)
    inv = checks_bench.invented(cases, claim, " (blind)")
    om = checks_bench.omissions(cases, label=" (blind)")
    stig = checks_bench.stigmatising(cases)
    share = checks_bench._share
    by_system = {r[0]: r for r in draft_rows}
    ours, lead = by_system["extractive (rules)"], by_system["lead-N"]
    rows = [
        ["Drafting: critical-fact recall (target ≥ 0.95)", ours[2], lead[2]],
        ["Drafting: critical-fact recall, its sentences together", ours[4], lead[4]],
        ["Drafting: all-fact recall", ours[3], lead[3]],
        ["Drafting: person_voice kept verbatim (target ≥ 0.90)", ours[6], lead[6]],
        ["Drafting: sentences with verified evidence (must be 100%)", ours[7], lead[7]],
        ["Drafting: reserved sections untouched (must be all)", ours[8], lead[8]],
        ["Drafting: words per case (gold note: "
         f"{by_system['(gold reference note)'][10]}, transcript: "
         f"{by_system['(transcript)'][10]})", ours[10], lead[10]],
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
    notes = [
        f"{len(cases)} blind cases ({', '.join(c['id'] for c in cases)}): written in the visits "
        "schema by an engineer who had not read the drafter's or the checks' rules and word "
        "lists (benchmarks/blind_visits/README.md). Measured exactly as `drafting.md` and "
        "`checks.md` measure the 14 dev cases, with the same thresholds.",
        "Baselines: lead-N for drafting (the first N transcript sentences, N = the draft's "
        "sentence count); word overlap for invented content; every unlinked turn of 8 or more "
        "content words for omissions.",
        f"Total time {time.perf_counter() - started:.0f} s.",
        "Reproduce: `.venv/bin/python -m benchmarks.blind_visits` (also run by `make bench`).",
    ]
    write_table("blind_visits", "Drafting and checks on blind cases (not the dev set)",
                ["measure", "casenotes", "baseline"], rows, notes)


if __name__ == "__main__":
    main()
