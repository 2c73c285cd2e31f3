"""How well the checks catch what goes wrong (``benchmarks/results/checks.md``).

On the fictional visit cases (../shared/data/visits), each reference note becomes a draft
whose sentences link to their gold evidence turns, then:

* invented content: each ``absent_traps`` item is inserted as a plausible sentence (linked to
  the turns of the sentence before it); recall = inserted sentences flagged; false flags =
  untouched reference sentences flagged;
* omissions: each critical fact's sentences are deleted; recall = deletions whose evidence
  turns the omission check points at;
* stigmatising language: each ``stigmatising_traps`` phrase, as a sentence, flagged with an
  alternative;

plus SummEdits balanced accuracy (../shared/data/consistency, the ``test`` split; threshold
from the ``evaluation`` split) and the correlation of the support score with the human
hallucination rates of the MTS-Dialog correlation study. The baseline, measured in the same
run, is word overlap: the share of a sentence's content words found in its evidence.

The model judge (``llm_judge``) is measured on the invented-content drafts too, with the only
language model here (SmolLM2-135M in process, through the model gateway, on drafts and
transcripts pseudonymised by the real detector): alone, and OR-ed with the rules. It is skipped
when llama-cpp-python is not installed. ``--part judge`` runs only that (printed; the results
file is left as it is); ``--judge-seconds`` bounds its time; ``--judge-url`` (and
``--judge-model``) measure an organisation's own model server instead; ``--skip-judge`` leaves
it out (the last full run's judge rows are then kept, marked with their date). In a full run
the judge runs in a child process, so a crash inside the model library costs only its rows
(which then say so).

The invented-content, omission and stigmatising rows are also given for the project's own dev
cases (``benchmarks/dev_visits``: written apart from the rules, measured blind once, since
read to shape them), measured the same way.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from scipy.stats import spearmanr

from benchmarks.common import RESULTS, in_process_model_missing, shared_data, write_table
from casenotes.domain.draft import Draft, Evidence, Section, Sentence, SentenceKind
from casenotes.domain.flags import Flag, FlagKind
from casenotes.domain.people import Person
from casenotes.domain.template import Template, TemplateSection
from casenotes.domain.transcript import Segment, Transcript
from casenotes.engines.checks.consistency_checker import ConsistencyChecker
from casenotes.engines.checks.detail_checker import DetailChecker
from casenotes.engines.checks.language_checker import LanguageChecker
from casenotes.engines.checks.llm_judge_checker import VERDICTS, LlmJudgeChecker
from casenotes.engines.checks.omission_checker import OmissionChecker
from casenotes.engines.checks.support_scorer import SupportScorer
from casenotes.engines.checks.unsupported_claim_checker import UnsupportedClaimChecker
from casenotes.engines.checks.wording import content_stems
from casenotes.engines.drafting import ExtractiveDrafter
from casenotes.engines.embed.minilm import MiniLMEmbedder
from casenotes.engines.llm.gateway import ModelGateway
from casenotes.engines.pii import PresidioDetector
from casenotes.pipeline.check import CheckContext
from casenotes.pipeline.draft import DraftContext
from casenotes.pipeline.pseudonymise import PiiDetector, PseudonymMap, pseudonymise
from casenotes.pipeline.templates import load_template

Case = dict[str, Any]
OVERLAP_THRESHOLD = 0.5
BASE_LONG_TURN = 8  # baseline omission: an unlinked turn with this many content words
_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|does|did|will|misuses|drinks|poses|"
                   r"lacks|breached|showed|made|raised|moved|cuckooing)\b", re.IGNORECASE)


@dataclass
class Case_:
    transcript: Transcript
    draft: Draft
    context: CheckContext


def load_cases(folder: Path) -> list[Case]:
    return [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(folder.glob("case_[0-9][0-9].json"))]


#: The project's own dev cases: written apart from the rules in earlier blind rounds, each
#: measured blind once, then read to shape the rules (benchmarks/dev_visits/README*.md).
OWN_DEV = Path(__file__).resolve().parent / "dev_visits"


def load_own_dev_cases(folder: Path = OWN_DEV) -> list[Case]:
    found = [p for p in folder.glob("case_*.json") if re.fullmatch(r"case_\d+\.json", p.name)]
    return [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(found, key=lambda p: int(re.sub(r"\D", "", p.name)))]


def own_dev_rows(claim: UnsupportedClaimChecker) -> tuple[list[list[str]], list[str]]:
    """The invented-content, omission and stigmatising rows for the own dev cases, measured
    exactly as for the shared cases."""
    cases = load_own_dev_cases()
    if not cases:
        return [], []
    rows: list[list[str]] = []
    rounds = own_rounds(cases)
    measured = [_own_counts(group, claim, f" ({OWN_DEV.name}, {name})")
                for name, group in rounds.items()]
    for name, counts in zip(rounds, measured, strict=True):
        rows += _own_rows(counts, f"Own dev cases: {name}: " if len(rounds) > 1 else
                          "Own dev cases: ")
    if len(rounds) > 1:
        total = [{k: (sum(c[i][k][0] for c in measured), sum(c[i][k][1] for c in measured))
                  for k in measured[0][i]} for i in range(3)]
        rows += _own_rows((total[0], total[1], total[2]), "Own dev cases, all: ")
    notes = [f"Own dev cases: {len(cases)} cases in benchmarks/dev_visits "
             f"({cases[0]['id']}–{cases[-1]['id']}), written apart from the rules in earlier "
             "blind rounds and measured blind once each, since read to shape the rules: dev "
             "figures, measured as the shared cases are; rows per round "
             f"({', '.join(rounds)}) and for all of them."]
    return rows, notes


#: Blind rounds promoted to dev cases, by their first case number.
_ROUND_STARTS = {"case_91–100": 91, "case_101–106": 101, "case_107–112": 107,
                 "case_113–118": 113, "case_119–124": 119,
                 "case_125–130": 125, "case_131–136": 131,
                 "case_137–142": 137, "case_143–148": 143}


def own_rounds(cases: list[Case]) -> dict[str, list[Case]]:
    """The own dev cases by the blind round they came from (case_91–100: rounds 1 and 2;
    case_101–106: round 3; case_107–112: round 4; case_113–118: round 5; case_119–124: round 6;
    case_125–130: round 7)."""
    out: dict[str, list[Case]] = {}
    starts = sorted(_ROUND_STARTS.items(), key=lambda kv: kv[1])
    for case in cases:
        number = int(re.sub(r"\D", "", case["id"]))
        name = [k for k, start in starts if number >= start][-1]
        out.setdefault(name, []).append(case)
    return out


Counts = dict[str, tuple[int, int]]


def _own_counts(cases: list[Case], claim: UnsupportedClaimChecker,
                label: str) -> tuple[Counts, Counts, Counts]:
    return (invented(cases, claim, label), omissions(cases, label=label),
            {"stig": stigmatising(cases)})


def _own_rows(counts: tuple[Counts, Counts, Counts], head: str) -> list[list[str]]:
    inv, om, stig = counts[0], counts[1], counts[2]["stig"]
    return [
        [f"{head}invented content: recall (target ≥ 0.95)", _share(inv["ours_hit"]),
         _share(inv["base_hit"])],
        [f"{head}invented content: false-flag rate on reference sentences (target ≤ 0.05)",
         _share(inv["ours_false"]), _share(inv["base_false"])],
        [f"{head}reference sentences flagged counting the consistency check",
         _share(inv["consistent_false"]), "—"],
        [f"{head}omissions: critical-fact deletions flagged (target ≥ 0.90)",
         _share(om["ours_hit"]), _share(om["base_hit"])],
        [f"{head}omissions: share of transcript turns flagged on the untouched reference notes",
         _share(om["ours_clean"]), _share(om["base_clean"])],
        [f"{head}stigmatising phrasings flagged with an alternative (target 1.0)",
         _share(stig), "— (no baseline)"],
    ]


_JUDGE_ROW = re.compile(r"^\| (?:Invented content, model judge|Invented content, rules "
                        r"\(unsupported-claim \+ detail\) OR model judge)")


def previous_judge_rows() -> tuple[list[list[str]], list[str]]:
    """The model judge's rows and note from the last results file that has them (a run with
    ``--skip-judge`` keeps them, marked with the date they were measured)."""
    path = RESULTS / "checks.md"
    if not path.exists():
        return [], []
    lines = path.read_text(encoding="utf-8").splitlines()
    measured = next((ln for ln in lines if ln.startswith("Measured ")), "")
    when = re.search(r"Measured (\S+ \S+ UTC)", measured)
    kept = re.search(r"\(kept from the run of ([^)]+)\)", "\n".join(lines))
    date = kept.group(1) if kept else (when.group(1) if when else "an earlier run")
    rows = []
    for line in lines:
        if _JUDGE_ROW.match(line) and "skipped" not in line:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            cells[0] = re.sub(r" \(kept from the run of [^)]+\)$", "", cells[0])
            rows.append([f"{cells[0]} (kept from the run of {date})", *cells[1:]])
    notes = [re.sub(r"^(?:\(From the run of [^)]+\) )?", f"(From the run of {date}) ", ln)
             for ln in lines if re.match(r"^(?:\(From the run of [^)]+\) )?Model judge:", ln)]
    return rows, notes


def build(case: Case) -> Case_:
    """The reference note as a draft with gold evidence links, and the transcript."""
    who = {p["id"]: p["name"] for p in case["participants"]}
    transcript = Transcript(tuple(Segment(t["turn"], who[t["speaker_id"]], t["text"])
                                  for t in case["transcript"]))
    by_section: dict[str, list[Sentence]] = {}
    for n, link in enumerate(case["reference_note_links"]):
        if link["section"] == "Analysis":
            continue
        evidence = tuple(Evidence(t) for t in link["evidence_turns"])
        by_section.setdefault(link["section"], []).append(
            Sentence(f"s{n}", link["sentence"], SentenceKind.SUMMARY, evidence))
    sections = tuple(Section(name, sentences=tuple(by_section.get(name, ())))
                     for name in case["reference_note"] if name != "Analysis")
    template = Template(case["template"], case["template"], "1",
                        tuple(TemplateSection(s.name) for s in sections))
    everyone = case["participants"] + case.get("mentioned_people", [])
    people = [p["name"] for p in everyone]
    roles = sorted({p["role"].replace("_", " ") for p in everyone if p.get("role")})
    draft = Draft(case["template"], sections)
    return Case_(transcript, draft, CheckContext(template, tuple(people), tuple(roles),
                                                 speaker_roles=speaker_roles(case)))


def speaker_roles(case: Case) -> dict[str, str]:
    """Speaker label → role, as the services give the checks (and the drafter) them."""
    return {p["name"]: re.sub(r"[\s-]+", "_", p["role"].strip().lower())
            for p in case["participants"] if p.get("role")}


def trap_sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    if _VERB.search(text):
        return text[:1].upper() + text[1:] + "."
    return f"There were concerns about {text}."


def with_inserted(built: Case_, text: str) -> tuple[Draft, str]:
    """The draft with ``text`` inserted after the middle sentence of its longest section."""
    longest = max(built.draft.sections, key=lambda s: len(s.sentences))
    at = len(longest.sentences) // 2
    before = longest.sentences[max(at - 1, 0)] if longest.sentences else None
    inserted = Sentence("trap", text, SentenceKind.SUMMARY, before.evidence if before else ())
    sentences = (*longest.sentences[:at], inserted, *longest.sentences[at:])
    return built.draft.with_section(Section(longest.name, sentences=sentences)), "trap"


def overlap(sentence: str, evidence: str) -> float:
    stems = set(content_stems(sentence))
    if not stems:
        return 1.0
    return len(stems & set(content_stems(evidence))) / len(stems)


def overlap_flags(draft: Draft, transcript: Transcript) -> set[str]:
    text = {seg.id: seg.text for seg in transcript.segments}
    return {s.id for _, s in draft.sentences()
            if overlap(s.text, " ".join(text.get(i, "") for i in s.segment_ids))
            < OVERLAP_THRESHOLD}


def flagged(flags: Sequence[Flag]) -> set[str]:
    kinds = {FlagKind.UNSUPPORTED_CLAIM, FlagKind.UNSUPPORTED_DETAIL}
    return {f.sentence_id for f in flags if f.kind in kinds and f.sentence_id}


def _content_flags(claim: UnsupportedClaimChecker, detail: DetailChecker, built: Case_,
                   draft: Draft) -> tuple[set[str], set[str]]:
    """Sentences flagged by the unsupported-claim check, and by the detail check."""
    return (flagged(claim.check(draft, built.transcript, built.context)),
            flagged(detail.check(draft, built.transcript, built.context)))


def invented(cases: list[Case], claim: UnsupportedClaimChecker,
             label: str = "") -> dict[str, tuple[int, int]]:
    """Traps caught and reference sentences flagged: by both content checks (``ours_*``), by
    the unsupported-claim check alone (``claim_*``) and by the word-overlap baseline."""
    detail = DetailChecker()
    consistency = ConsistencyChecker()
    counts = {k: [0, 0] for k in ("ours_hit", "ours_false", "claim_hit", "claim_false",
                                  "base_hit", "base_false", "consistent_false")}
    for case in cases:
        built = build(case)
        clean, clean_detail = _content_flags(claim, detail, built, built.draft)
        clean_base = overlap_flags(built.draft, built.transcript)
        n = len(built.draft.sentences())
        # The ages and days the detail check leaves to the consistency check are still
        # flagged, by that check: counted here so the false-flag rate is not flattered.
        clean_consistency = {f.sentence_id for f in consistency.check(
            built.draft, built.transcript, built.context) if f.sentence_id}
        counts["consistent_false"][0] += len(clean | clean_detail | clean_consistency)
        counts["consistent_false"][1] += n
        counts["ours_false"][0] += len(clean | clean_detail)
        counts["claim_false"][0] += len(clean)
        counts["base_false"][0] += len(clean_base)
        for key in ("ours_false", "claim_false", "base_false"):
            counts[key][1] += n
        for trap in case["absent_traps"]:
            draft, sid = with_inserted(built, trap_sentence(trap["text"]))
            by_claim, by_detail = _content_flags(claim, detail, built, draft)
            counts["ours_hit"][0] += sid in by_claim | by_detail
            counts["claim_hit"][0] += sid in by_claim
            counts["base_hit"][0] += sid in overlap_flags(draft, built.transcript)
            for key in ("ours_hit", "claim_hit", "base_hit"):
                counts[key][1] += 1
        print(f"  invented content{label}: {case['id']} done", flush=True)  # noqa: T201
    return {k: (v[0], v[1]) for k, v in counts.items()}


def with_all_traps(built: Case_, case: Case) -> tuple[Draft, list[str]]:
    """The reference draft with every trap added to its longest section, each linked where
    :func:`with_inserted` links it; and the traps' sentence ids."""
    longest = max(built.draft.sections, key=lambda s: len(s.sentences))
    inserted = []
    for n, trap in enumerate(case["absent_traps"]):
        draft, sid = with_inserted(built, trap_sentence(trap["text"]))
        one = draft.sentence(sid)
        inserted.append(Sentence(f"{sid}{n}", one.text, one.kind, one.evidence))
    draft = built.draft.with_section(
        Section(longest.name, sentences=(*longest.sentences, *inserted)))
    return draft, [s.id for s in inserted]


def invented_at_once(cases: list[Case], claim: UnsupportedClaimChecker,
                     label: str = "", *, roles: bool = True) -> dict[str, tuple[int, int]]:
    """The same counts as :func:`invented` (both content checks), from one draft per case with
    every trap inserted where :func:`invented` puts it: the checks judge each sentence on its
    own, so the result is the same in a fraction of the time (used for the ablations).
    ``roles=False`` leaves the speakers' roles out of the checks' context."""
    detail = DetailChecker()
    hit, traps, false, kept = 0, 0, 0, 0
    for case in cases:
        built = build(case)
        if not roles:
            built = Case_(built.transcript, built.draft,
                          replace(built.context, speaker_roles={}))
        draft, inserted = with_all_traps(built, case)
        by_claim, by_detail = _content_flags(claim, detail, built, draft)
        found = by_claim | by_detail
        hit += sum(sid in found for sid in inserted)
        traps += len(inserted)
        false += len({s.id for _, s in built.draft.sentences()} & found)
        kept += len(built.draft.sentences())
    print(f"  invented content{label} done", flush=True)  # noqa: T201
    return {"ours_hit": (hit, traps), "ours_false": (false, kept)}


def case_people(case: Case) -> list[Person]:
    return [Person(p["name"], p.get("role", ""))
            for p in case["participants"] + case.get("mentioned_people", [])]


def pseudonymised(built: Case_, draft: Draft, case: Case,
                  detector: PiiDetector) -> tuple[Draft, Transcript, CheckContext]:
    """The draft and transcript as the app stores them (placeholders for the people, places
    and numbers the real detector finds, one mapping per case), and the context with the
    pseudonymised speakers' roles and the case's people for the gateway's own scan."""
    people = case_people(case)
    mapping = PseudonymMap()
    said = pseudonymise(built.transcript, detector, people, mapping).transcript
    sentences = [s for _, s in draft.sentences()]
    note = pseudonymise(Transcript(tuple(Segment(i, "note", s.text)
                                         for i, s in enumerate(sentences))),
                        detector, people, mapping).transcript
    texts = {s.id: seg.text for s, seg in zip(sentences, note.segments, strict=True)}
    sections = tuple(replace(sec, sentences=tuple(replace(s, text=texts[s.id])
                                                  for s in sec.sentences))
                     for sec in draft.sections)
    roles = speaker_roles(case)
    pseudo_roles = {new.speaker: roles[old.speaker]
                    for old, new in zip(built.transcript.segments, said.segments, strict=True)
                    if old.speaker in roles}
    context = replace(built.context, speaker_roles=pseudo_roles, people=tuple(people))
    return replace(draft, sections=sections), said, context


def invented_by_judge(cases: list[Case], claim: UnsupportedClaimChecker, seconds: float,
                      url: str | None = None, model: str = "local") -> dict[str, Any]:
    """The model judge on every case's draft with all traps, alone and OR-ed with the rules
    (unsupported-claim and detail checks), within about ``seconds``; the in-process SmolLM2,
    or the OpenAI-compatible server at ``url`` (whose host is then allowed)."""
    detector = PresidioDetector()
    gateway = (ModelGateway.local_llama(detector) if url is None else
               ModelGateway.openai_compatible(url, model, detector,
                                              allowed_hosts=[urlsplit(url).hostname or ""]))
    judge = LlmJudgeChecker(gateway, timeout=60, budget=seconds)
    detail = DetailChecker()
    counts = {k: [0, 0] for k in ("judge_hit", "judge_false", "rules_hit", "rules_false",
                                  "either_hit", "either_false", "undecided")}
    verdicts = dict.fromkeys(VERDICTS, 0)
    why: dict[str, int] = {}
    started = time.perf_counter()
    judged = 0
    for case in cases:
        if time.perf_counter() - started > seconds:
            print(f"  model judge: time limit reached after {judged} cases", flush=True)  # noqa: T201
            break
        built = build(case)
        draft, traps = with_all_traps(built, case)
        by_claim, by_detail = _content_flags(claim, detail, built, draft)
        rules = by_claim | by_detail
        pseudo_draft, said, context = pseudonymised(built, draft, case, detector)
        judgement = judge.judge(pseudo_draft, said, context)
        by_judge = judgement.flagged
        reference = {s.id for _, s in built.draft.sentences()}
        for name, found in (("judge", by_judge), ("rules", rules),
                            ("either", by_judge | rules)):
            counts[f"{name}_hit"][0] += len(set(traps) & found)
            counts[f"{name}_hit"][1] += len(traps)
            counts[f"{name}_false"][0] += len(reference & found)
            counts[f"{name}_false"][1] += len(reference)
        counts["undecided"][0] += len(judgement.undecided)
        counts["undecided"][1] += len(judgement.verdicts) + len(judgement.undecided)
        for verdict in judgement.verdicts:
            verdicts[verdict.verdict] += 1
        for _, cause in judgement.undecided:
            why[cause] = why.get(cause, 0) + 1
        judged += 1
        print(f"  model judge: {case['id']} {len(judgement.verdicts)} verdicts, "  # noqa: T201
              f"{len(judgement.undecided)} undecided, {judgement.seconds:.0f} s; so far "
              f"recall {counts['judge_hit'][0]}/{counts['judge_hit'][1]}, false flags "
              f"{counts['judge_false'][0]}/{counts['judge_false'][1]}", flush=True)
    return {**{k: (v[0], v[1]) for k, v in counts.items()}, "verdicts": verdicts, "why": why,
            "cases": judged, "seconds": time.perf_counter() - started,
            "model": judge.gateway().model_label,
            "label": "SmolLM2-135M in process" if url is None else judge.gateway().model_label}


def judge_in_child(args: argparse.Namespace) -> dict[str, Any] | str:
    """The model judge's result from a child process, so that a crash inside the model
    library (a native segfault) costs the judge's rows and not the whole run."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "judge.json"
        command = [sys.executable, "-m", "benchmarks.checks", "--part", "judge",
                   "--judge-seconds", str(args.judge_seconds), "--judge-json", str(out)]
        if args.judge_url:
            command += ["--judge-url", args.judge_url, "--judge-model", args.judge_model]
        done = subprocess.run(command, check=False)  # noqa: S603 (our own module)
        if done.returncode != 0 or not out.exists():
            how = (f"signal {-done.returncode}" if done.returncode < 0
                   else f"exit status {done.returncode}")
            return f"the model judge's process failed ({how})"
        result: dict[str, Any] | str = json.loads(out.read_text(encoding="utf-8"))
        return result


def judge_rows(result: dict[str, Any] | str) -> tuple[list[list[str]], list[str]]:
    """The model judge's rows and notes (or why it was skipped)."""
    if isinstance(result, str):
        return ([["Invented content, model judge (SmolLM2-135M in process): recall / false "
                  "flags", f"— (skipped: {result})", "—"]], [])
    label = f"model judge ({result['label']}, through the gateway)"
    rows = [
        [f"Invented content, {label} alone: recall / false flags",
         f"{_share(result['judge_hit'])} / {_share(result['judge_false'])}", "—"],
        ["Invented content, rules (unsupported-claim + detail) OR model judge: recall / false "
         "flags", f"{_share(result['either_hit'])} / {_share(result['either_false'])}", "—"],
        ["Invented content, model judge: sentences it could not decide",
         _share(result["undecided"]), "—"],
    ]
    verdicts = ", ".join(f"{k} {v}" for k, v in result["verdicts"].items())
    why = ", ".join(f"{k}: {v}" for k, v in sorted(result["why"].items())) or "none"
    notes = [
        f"Model judge: {result['model']}, one sentence per request, its linked turns ± 1, on "
        f"text pseudonymised by the real detector (the gateway scans it again); "
        f"{result['cases']} of the cases judged in {result['seconds']:.0f} s. Verdicts: "
        f"{verdicts}. Not decided: {why}. The rules' figures on the same drafts: "
        f"{_share(result['rules_hit'])} / {_share(result['rules_false'])}.",
    ]
    return rows, notes


#: Parts of the support score left out one at a time (same thresholds as the full check).
SCORE_ABLATIONS = {
    "word overlap in place of MiniLM word alignment": {"align_words": False},
    "sentence similarity only (no word alignment)": {"semantic_weight": 1.0},
    "word alignment only (no sentence similarity)": {"semantic_weight": 0.0},
}
#: Parts of the omission check left out one at a time.
OMISSION_ABLATIONS = {
    "topic patterns only (no MiniLM topic descriptions)": {"risk_similarity": 2.0},
    "linked turns only count as covered (no MiniLM coverage)": {"covered_similarity": 2.0},
}


def extractive(cases: list[Case], claim: UnsupportedClaimChecker) -> dict[str, tuple[int, int]]:
    """Flags the checks raise on the extractive drafter's own drafts of the visit cases."""
    checkers = {"unsupported_claim": claim, "consistency": ConsistencyChecker(),
                "language": LanguageChecker(), "detail": DetailChecker()}
    omission = OmissionChecker()
    counts = {name: [0, 0] for name in [*checkers, "omission"]}
    for case in cases:
        built = build(case)
        roles = {p["name"]: re.sub(r"[\s-]+", "_", p["role"]) for p in case["participants"]}
        template = load_template(case["template"], [])
        draft = ExtractiveDrafter().draft(built.transcript, template,
                                          DraftContext(speaker_roles=roles))
        context = CheckContext(template, built.context.known_names, built.context.record,
                               speaker_roles=built.context.speaker_roles)
        n = len(draft.sentences())
        for name, checker in checkers.items():
            counts[name][0] += len({f.sentence_id for f in checker.check(
                draft, built.transcript, context) if f.sentence_id})
            counts[name][1] += n
        counts["omission"][0] += len({i for f in omission.check(draft, built.transcript, context)
                                      for i in f.segment_ids})
        counts["omission"][1] += len(built.transcript.segments)
    return {k: (v[0], v[1]) for k, v in counts.items()}


def _unlinked_long_turns(draft: Draft, transcript: Transcript) -> set[int]:
    linked = {i for _, s in draft.sentences() for i in s.segment_ids}
    return {seg.id for seg in transcript.segments
            if seg.id not in linked and len(content_stems(seg.text)) >= BASE_LONG_TURN}


def omissions(cases: list[Case], checker: OmissionChecker | None = None,
              label: str = "") -> dict[str, tuple[int, int]]:
    """Deletions caught (ours, baseline) and flags raised on the untouched reference notes."""
    checker = checker if checker is not None else OmissionChecker()
    print(f"  omissions{label} …", flush=True)  # noqa: T201
    counts = {"ours_hit": [0, 0], "base_hit": [0, 0], "ours_clean": [0, 0],
              "base_clean": [0, 0]}
    for case in cases:
        built = build(case)
        n_turns = len(built.transcript.segments)
        clean = checker.check(built.draft, built.transcript, built.context)
        counts["ours_clean"][0] += len({i for f in clean for i in f.segment_ids})
        counts["base_clean"][0] += len(_unlinked_long_turns(built.draft, built.transcript))
        counts["ours_clean"][1] += n_turns
        counts["base_clean"][1] += n_turns
        for fact in (f for f in case["facts"] if f["critical"]):
            turns = set(fact["evidence_turns"])
            sections = tuple(
                Section(sec.name, sentences=tuple(s for s in sec.sentences
                                                  if not set(s.segment_ids) & turns))
                for sec in built.draft.sections)
            draft = Draft(built.draft.template, sections)
            flags = checker.check(draft, built.transcript, built.context)
            pointed = {i for f in flags if f.kind is FlagKind.OMISSION for i in f.segment_ids}
            counts["ours_hit"][0] += bool(pointed & turns)
            counts["base_hit"][0] += bool(_unlinked_long_turns(draft, built.transcript) & turns)
            counts["ours_hit"][1] += 1
            counts["base_hit"][1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def stigmatising(cases: list[Case]) -> tuple[int, int]:
    checker = LanguageChecker()
    hit, total = 0, 0
    for case in cases:
        for trap in case["stigmatising_traps"]:
            text = trap["avoid"][:1].upper() + trap["avoid"][1:] + "."
            draft = Draft("t", (Section("Discussion", sentences=(Sentence("s1", text),)),))
            ctx = CheckContext(Template("t", "t", "1", (TemplateSection("Discussion"),)))
            flags = checker.check(draft, Transcript(()), ctx)
            total += 1
            hit += any(f.suggestion and f.suggestion != text for f in flags)
    return hit, total


def _balanced(pred: np.ndarray, gold: np.ndarray) -> float:  # type: ignore[type-arg]
    tpr = float((pred & gold).sum() / max(gold.sum(), 1))
    tnr = float((~pred & ~gold).sum() / max((~gold).sum(), 1))
    return (tpr + tnr) / 2


def _doc_turns(document: str) -> list[str]:
    lines = [ln.strip() for ln in document.replace("\r\n", "\n").split("\n") if ln.strip()]
    if len(lines) < 3:
        lines = [s for s in re.split(r"(?<=[.!?])\s+", document) if s.strip()]
    return lines


def summary_scores(records: list[dict[str, Any]], claim: UnsupportedClaimChecker,
                   doc_key: str, sum_key: str) -> tuple[list[float], list[float]]:
    """Per record: the weakest sentence's support score, and the word-overlap baseline's."""
    scorer = claim.scorer()
    ours, base = [], []
    prepared_cache: dict[str, Any] = {}
    for rec in records:
        doc = rec[doc_key]
        if doc not in prepared_cache:
            prepared_cache = {doc: scorer.prepare(_doc_turns(doc))}
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", rec[sum_key].strip()) if s]
        supports = scorer.score(sentences, prepared_cache[doc])
        ours.append(min((s.score for s in supports), default=1.0))
        base.append(min((overlap(s, doc) for s in sentences), default=1.0))
    return ours, base


def summedits(folder: Path, claim: UnsupportedClaimChecker,
              docs_per_split: int) -> tuple[dict[str, tuple[float, float]], int]:
    """Per domain (ours, baseline) balanced accuracy, on the first ``docs_per_split``
    documents of each split of each domain (the machine is small; all records if 0)."""
    records = [json.loads(line) for line in
               (folder / "summedits.jsonl").read_text(encoding="utf-8").splitlines()]
    records.sort(key=lambda r: (r["domain"], r["split"], r["document"]))
    if docs_per_split:
        kept: dict[tuple[str, str], list[str]] = {}
        chosen = []
        for r in records:
            docs = kept.setdefault((r["domain"], r["split"]), [])
            if r["document"] not in docs and len(docs) < docs_per_split:
                docs.append(r["document"])
            if r["document"] in docs:
                chosen.append(r)
        records = chosen
    out: dict[str, tuple[float, float]] = {}
    ours, base = summary_scores(records, claim, "document", "summary")
    gold = np.array([r["label"] == "consistent" for r in records])
    split = np.array([r["split"] for r in records])
    domain = np.array([r["domain"] for r in records])
    o, b = np.array(ours), np.array(base)
    for name in sorted(set(domain)):
        tune = (domain == name) & (split == "evaluation")
        test = (domain == name) & (split == "test")
        cut_o = _best_cut(o[tune], gold[tune])
        cut_b = _best_cut(b[tune], gold[tune])
        out[name] = (_balanced(o[test] >= cut_o, gold[test]),
                     _balanced(b[test] >= cut_b, gold[test]))
    return out, len(records)


def _best_cut(scores: np.ndarray, gold: np.ndarray) -> float:  # type: ignore[type-arg]
    cuts = np.unique(scores)
    return float(max(cuts, key=lambda c: _balanced(scores >= c, gold))) if len(cuts) else 0.5


def mts(folder: Path, claim: UnsupportedClaimChecker) -> tuple[float, float, int]:
    path = folder / "mts_correlation_study" / "mts_correlation_study.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    ours, base = summary_scores(records, claim, "dialogue", "automatic_summary")
    human = [r["hallucination_rate"] for r in records]
    # Higher support should mean fewer hallucinations: report -rho so "higher is better".
    rho_o = -float(spearmanr(ours, human).statistic)
    rho_b = -float(spearmanr(base, human).statistic)
    return rho_o, rho_b, len(records)


def _share(pair: tuple[int, int]) -> str:
    return f"{pair[0] / pair[1]:.3f} ({pair[0]}/{pair[1]})" if pair[1] else "—"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("all", "judge"), default="all",
                        help="judge: only the model judge's rows (printed, results file left "
                             "as it is)")
    parser.add_argument("--judge-seconds", type=float, default=1800.0,
                        help="stop asking the model judge after about this long")
    parser.add_argument("--judge-url", default=None,
                        help="judge with the OpenAI-compatible model server at this URL (its "
                             "host is allowed) instead of the in-process SmolLM2")
    parser.add_argument("--judge-model", default="local", help="model name for --judge-url")
    parser.add_argument("--skip-judge", action="store_true",
                        help="leave the model judge out (its rows say so); for quick runs")
    parser.add_argument("--judge-json", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--docs-per-split", type=int, default=3,
                        help="SummEdits documents per domain and split (0: all)")
    args = parser.parse_args(argv)
    data = shared_data()
    if data is None:
        print("checks benchmark skipped: ../shared/data is absent")  # noqa: T201
        return
    import torch

    torch.set_num_threads(1)  # faster than 2 on a shared 2-core machine
    started = time.perf_counter()
    claim = UnsupportedClaimChecker(MiniLMEmbedder())
    cases = load_cases(data / "visits")
    missing = in_process_model_missing() if args.judge_url is None else None
    if args.part == "judge":
        result = missing or invented_by_judge(cases, claim, args.judge_seconds,
                                              args.judge_url, args.judge_model)
        if args.judge_json:
            Path(args.judge_json).write_text(json.dumps(result), encoding="utf-8")
            return
        rows, notes = judge_rows(result)
        print("\n".join(" | ".join(r) for r in rows), "\n".join(notes), sep="\n")  # noqa: T201
        return
    docs_per_split = args.docs_per_split
    print("  extractive drafts …", flush=True)  # noqa: T201
    ex = extractive(cases, claim)
    inv = invented(cases, claim)
    embedder = MiniLMEmbedder()
    inv_ablated = {
        name: invented_at_once(cases, UnsupportedClaimChecker(
            embedder, scorer=SupportScorer(embedder, **kwargs)), f" ({name})")  # type: ignore[arg-type]
        for name, kwargs in SCORE_ABLATIONS.items()}
    no_roles = invented_at_once(cases, claim, " (no speakers' roles)", roles=False)
    if args.skip_judge:
        missing = "--skip-judge"
    print("  model judge …" if missing is None else f"  model judge skipped: {missing}",  # noqa: T201
          flush=True)
    judged = missing or judge_in_child(args)
    om = omissions(cases)
    om_ablated = {name: omissions(cases, OmissionChecker(**kwargs), f" ({name})")  # type: ignore[arg-type]
                  for name, kwargs in OMISSION_ABLATIONS.items()}
    stig = stigmatising(cases)
    print("  SummEdits …", flush=True)  # noqa: T201
    se, n_se = summedits(data / "consistency", claim, docs_per_split)
    print("  MTS-Dialog …", flush=True)  # noqa: T201
    rho, rho_base, n_mts = mts(data / "dialogue_notes", claim)
    rows = [
        ["Invented content: recall (target ≥ 0.95)", _share(inv["ours_hit"]),
         _share(inv["base_hit"])],
        ["Invented content: false-flag rate on reference sentences (target ≤ 0.05)",
         _share(inv["ours_false"]), _share(inv["base_false"])],
        ["Omissions: critical-fact deletions flagged (target ≥ 0.90)", _share(om["ours_hit"]),
         _share(om["base_hit"])],
        ["Omissions: share of transcript turns flagged on the untouched reference notes",
         _share(om["ours_clean"]), _share(om["base_clean"])],
        ["Stigmatising phrasings flagged with an alternative (target 1.0)", _share(stig),
         "— (no baseline)"],
    ]
    rows += [["Invented content: reference sentences flagged by the unsupported-claim, detail "
              "or consistency check (ages and days are the consistency check's)",
              _share(inv["consistent_false"]), "—"]]
    rows += [["Invented content, unsupported-claim check alone (no detail check): recall / "
              "false flags", f"{_share(inv['claim_hit'])} / {_share(inv['claim_false'])}", "—"]]
    rows += [[f"Invented content, support score with {name}: recall / false flags",
              f"{_share(v['ours_hit'])} / {_share(v['ours_false'])}", "—"]
             for name, v in inv_ablated.items()]
    rows += [["Invented content, without the speakers' roles (an interpreter's turns taken "
              "for someone else's words): recall / false flags",
              f"{_share(no_roles['ours_hit'])} / {_share(no_roles['ours_false'])}", "—"]]
    judge_table, judge_notes = judge_rows(judged)
    if args.skip_judge:
        kept_rows, kept_notes = previous_judge_rows()
        if kept_rows:
            judge_table, judge_notes = kept_rows, [
                *kept_notes, "This run skipped the model judge (`--skip-judge`): its rows are "
                "the last full run's, measured with the rules as they were then."]
    rows += judge_table
    rows += [[f"Omissions, {name}: deletions flagged / turns flagged on untouched notes",
              f"{_share(v['ours_hit'])} / {_share(v['ours_clean'])}", "—"]
             for name, v in om_ablated.items()]
    rows += [[f"Extractive drafts: share of drafted sentences flagged by `{name}`",
              _share(pair), "—"] for name, pair in ex.items() if name != "omission"]
    rows += [
        ["Extractive drafts: share of transcript turns in an omission flag",
         _share(ex["omission"]), "—"],
    ]
    rows += [[f"SummEdits balanced accuracy, {name} (test split sample)", f"{o:.3f}", f"{b:.3f}"]
             for name, (o, b) in se.items()]
    mean_o = float(np.mean([o for o, _ in se.values()]))
    mean_b = float(np.mean([b for _, b in se.values()]))
    rows.append(["SummEdits balanced accuracy, mean of domains", f"{mean_o:.3f}", f"{mean_b:.3f}"])
    rows.append([f"MTS-Dialog: Spearman ρ of support with (−) human hallucination rate, "
                 f"n={n_mts}", f"{rho:.3f}", f"{rho_base:.3f}"])
    print("  own dev cases …", flush=True)  # noqa: T201
    own_rows, own_notes = own_dev_rows(claim)
    rows += own_rows
    notes = [
        f"Baseline: word overlap (share of content words in the linked turns, flag below "
        f"{OVERLAP_THRESHOLD}); for omissions, every unlinked turn with at least "
        f"{BASE_LONG_TURN} content words is flagged.",
        "Ablations leave out one part at a time and keep the full check's thresholds; the "
        "omission ablations' second figure is the share of turns flagged on untouched notes.",
        "Invented content counts flags of the unsupported-claim and detail checks. Support "
        "score for SummEdits/MTS: the weakest sentence's score; SummEdits thresholds chosen on "
        "the `evaluation` split, per domain, and reported on `test`.",
        f"SummEdits: {n_se} records ({docs_per_split or 'all'} documents per domain and "
        "split, with all their summaries).",
        *judge_notes,
        *own_notes,
        f"Cases: {len(cases)} dev visit cases. Total time {time.perf_counter() - started:.0f} s.",
        "Reproduce: `.venv/bin/python -m benchmarks.checks` (or `make bench`); "
        "`--part judge` for the model judge's rows only, `--skip-judge` without them.",
    ]
    write_table("checks", "Checks: what they catch", ["measure", "checks", "word-overlap baseline"],
                rows, notes)


if __name__ == "__main__":
    main()
