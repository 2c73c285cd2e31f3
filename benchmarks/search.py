"""Search quality and speed: keyword vs semantic vs hybrid on the visit cases, then latency.

Quality: every visit case's reference note is signed and indexed (with its transcript), and a
query set built from the cases is run three ways, measured in the same run: keyword-only (the
baseline: FTS5 BM25), semantic-only (MiniLM + sqlite-vec) and hybrid (reciprocal rank fusion).
Fact queries are the case facts' opening words; concept queries are written in other words
(how many share no word with their target note is reported). Results are ranked by note.

Speed: 10k and then 100k synthesised notes (sentences of the visit notes recombined, names
and numbers varied) are indexed, and the same queries are timed through the search service
(query embedding, both rankings, fusion, snippets, audit) for a practitioner allocated to 30
cases and for a reader who may see every case.
"""

from __future__ import annotations

import json
import math
import random
import re
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from statistics import mean, median
from typing import Any

import numpy as np
from sqlalchemy import text

from benchmarks.common import shared_data, write_table
from casenotes.config import Settings
from casenotes.engines.search import embedder_for, query_terms
from casenotes.engines.search.snippets import split_sentences
from casenotes.services import accounts, search
from casenotes.services.context import AppContext, build_context
from casenotes.services.views import UserView
from casenotes.store.encrypted_types import seal
from casenotes.store.models import DraftRow
from casenotes.store.repositories import cases as cases_repo
from casenotes.store.repositories import notes as notes_repo
from casenotes.store.repositories import recordings as recordings_repo
from casenotes.store.search_terms import index_terms
from casenotes.store.vectors import ensure_sqlite_vec

# Concept queries: the situation in other words (target cases by id).
CONCEPT_QUERIES: list[tuple[str, list[str]]] = [
    ("neglect", ["case_01", "case_06"]),
    ("fuel poverty", ["case_01"]),
    ("child's views about seeing his dad", ["case_02"]),
    ("self-neglect and squalor", ["case_03"]),
    ("carer exhaustion and respite", ["case_04"]),
    ("suicidal ideation", ["case_05"]),
    ("perinatal mental illness", ["case_05"]),
    ("parental substance misuse", ["case_06"]),
    ("non-accidental injury to a toddler", ["case_07"]),
    ("young person living independently after care", ["case_08"]),
    ("benefit sanction", ["case_08"]),
    ("looked after child placement stability", ["case_09"]),
    ("relative phoning about paying for care", ["case_10"]),
    ("damp overcrowded housing harming health", ["case_11"]),
    ("child sexual exploitation", ["case_12"]),
    ("worker stress and caseload in supervision", ["case_12"]),
    ("elderly patient wants to go home, family disagree", ["case_13"]),
    ("manic depression medication monitoring", ["case_14"]),
    ("high interest borrowing", ["case_14"]),
    ("elderly isolation", ["case_03", "case_04"]),
]
LATENCY_SIZES = (10_000, 100_000)
CASES_FOR_SYNTHETIC = 5_000
FIRST_NAMES = ["Alex", "Sam", "Jamie", "Chris", "Robin", "Morgan", "Casey", "Jordan", "Taylor",
               "Riley", "Avery", "Quinn", "Rowan", "Sasha", "Drew", "Kai"]


def _load_cases(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(folder.glob("case_*.json")) if not p.name.endswith("segments.json")]


def _queries(cases: list[dict[str, Any]]) -> list[tuple[str, str, set[str]]]:
    """(kind, query, relevant case ids)."""
    out: list[tuple[str, str, set[str]]] = []
    for case in cases:
        for fact in case["facts"][:2]:
            words = re.sub(r"\([^)]*\)", "", fact["text"]).split()
            out.append(("fact", " ".join(words[:8]), {case["id"]}))
    ids = {c["id"] for c in cases}
    for query, targets in CONCEPT_QUERIES:
        if set(targets) <= ids:
            out.append(("concept", query, set(targets)))
    return out


def _sign(ctx: AppContext, author: UserView, case_id: int, title: str,
          sections: dict[str, str], turns: list[tuple[str, str]]) -> int:
    from casenotes.domain.transcript import Segment, Transcript

    transcript = Transcript(segments=tuple(Segment(id=i, speaker=s, text=t)
                                           for i, (s, t) in enumerate(turns, start=1)))
    with ctx.session() as session:
        recording = recordings_repo.create_recording(
            session, case_id=case_id, title=title, source="transcript", filename="visit.txt",
            template="home_visit_note", created_by=author.id, transcript=transcript)
        draft = DraftRow(recording_id=recording.id, template="home_visit_note",
                         engine="reference", engine_version="1")
        session.add(draft)
        session.flush()
        stored = [{"name": n, "reserved": False, "text": body, "human_text": "",
                   "sentences": [{"text": s, "kind": "human", "segments": []}
                                 for s in split_sentences(body)]}
                  for n, body in sections.items() if body.strip()]
        note = notes_repo.create_note(
            session, case_id=case_id, recording_id=recording.id, draft_id=draft.id, title=title,
            text="\n\n".join(sections.values()), sections=stored, drafted_text="",
            signed_by=author.id, attestation="benchmark", transparency={}, changed_share=0.0)
        return note.id


def _ndcg(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, c in enumerate(ranked[:k]) if c in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / ideal


def _recall(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant)


def _quality(ctx: AppContext, cases: list[dict[str, Any]]) -> tuple[list[list[str]], list[str]]:
    reader = accounts.add_user(ctx, username="reader", password="bench-password",
                               role="practitioner", team="Bench")
    case_by_db: dict[int, str] = {}
    note_ids = []
    for case in cases:
        who = {p["id"]: p["name"] for p in case["participants"]}
        with ctx.session() as session:
            row = cases_repo.create_case(
                session, reference=case["id"], title=case["id"], team="Bench",
                people=[(p["name"], p["role"], []) for p in
                        case["participants"] + case.get("mentioned_people", [])])
            cases_repo.allocate(session, case_id=row.id, user_id=reader.id)
            case_by_db[row.id] = case["id"]
        turns = [(who.get(t["speaker_id"], "Speaker"), t["text"]) for t in case["transcript"]]
        note_ids.append(_sign(ctx, reader, row.id, case["id"], case["reference_note"], turns))
    embedder_for(None).embed(["warm up"])
    started = time.perf_counter()
    chunks = sum(search.index_note(ctx, n) for n in note_ids)
    index_seconds = time.perf_counter() - started
    queries = _queries(cases)
    concept_no_overlap = 0
    notes_text = {c["id"]: " ".join(c["reference_note"].values()).lower() for c in cases}
    for kind, query, targets in queries:
        if kind == "concept" and not any(
                re.search(r"\b" + re.escape(w) + r"\b", notes_text[t])
                for t in targets for w in query_terms(query)):
            concept_no_overlap += 1
    rows = []
    for mode in ("keyword", "semantic", "hybrid"):
        per_kind: dict[str, list[tuple[float, float]]] = {"fact": [], "concept": []}
        for kind, query, targets in queries:
            hits = search.search(ctx, reader, query, mode=mode, limit=100).hits
            ranked: list[str] = []
            for hit in hits:
                case_name = case_by_db[hit.case_id]
                if case_name not in ranked:
                    ranked.append(case_name)
            per_kind[kind].append((_ndcg(ranked, targets), _recall(ranked, targets)))
        everything = per_kind["fact"] + per_kind["concept"]
        rows.append([mode, f"{mean(n for n, _ in everything):.3f}",
                     f"{mean(r for _, r in everything):.3f}",
                     f"{mean(n for n, _ in per_kind['fact']):.3f}",
                     f"{mean(n for n, _ in per_kind['concept']):.3f}"])
    facts = sum(1 for q in queries if q[0] == "fact")
    notes = [
        f"{len(queries)} queries over {len(cases)} visit cases ({facts} fact queries, "
        f"{len(queries) - facts} concept queries, {concept_no_overlap} of which share no "
        "content word with any target note); one signed note per case, its transcript held; "
        f"{chunks} passages. Relevance is by case (a note and its transcript count once).",
        f"Real indexing (MiniLM embeddings + FTS5 + vec0) of those {len(cases)} notes: "
        f"{index_seconds:.1f} s ({index_seconds / len(cases) * 1000:.0f} ms per note, "
        f"{chunks / index_seconds:.0f} passages/s).",
    ]
    return rows, notes


def _synthesise(cases: list[dict[str, Any]], n: int, seed: int
                ) -> list[tuple[list[str], str]]:
    """(source sentences, text): 3-5 sentences of one case's note, names and numbers varied."""
    rng = random.Random(seed)
    pools = [[s for body in c["reference_note"].values() for s in split_sentences(body)
              if len(s) > 30] for c in cases]
    out = []
    for _ in range(n):
        base = rng.randrange(len(cases))
        sentences = rng.sample(pools[base], k=min(len(pools[base]), rng.randint(3, 5)))
        body = " ".join(sentences)
        body = re.sub(r"\b\d+\b", lambda _m: str(rng.randint(1, 99)), body)
        body = f"{rng.choice(FIRST_NAMES)} was seen. " + body
        out.append((sentences, body))
    return out


def _bulk_index(ctx: AppContext, docs: list[tuple[list[str], str]], vectors: np.ndarray,
                case_ids: list[int], start_id: int) -> None:
    now = datetime.now(UTC)
    with ctx.session() as session:
        ensure_sqlite_vec(session.connection())
        dialect = session.get_bind().dialect
        # As the application stores them: the text encrypted, the keyword index keyed terms.
        rows = [{"id": start_id + i, "case_id": case_ids[i % len(case_ids)],
                 "text": seal(dialect, body.encode(), b"search_chunks.text"),
                 "terms": index_terms(dialect, body), "at": now, "emb": vectors[i].tobytes()}
                for i, (_, body) in enumerate(docs)]
        session.execute(text(
            "INSERT INTO search_chunks (id, case_id, source, section, position, segment_ids, "
            "text, note_type, occurred_at) VALUES (:id, :case_id, 'note', 'Discussion', 0, "
            "'[]', :text, 'home_visit_note', :at)"), rows)
        session.execute(text("INSERT INTO search_fts(rowid, text) VALUES (:id, :terms)"), rows)
        session.execute(text("INSERT INTO search_vec(rowid, embedding, case_id) "
                             "VALUES (:id, :emb, :case_id)"), rows)


def _latency(cases: list[dict[str, Any]], queries: list[str]) -> tuple[list[str], list[str]]:
    folder = Path(tempfile.mkdtemp())
    ctx = build_context(Settings(data_dir=folder, secret_key="bench",
                                 search_index_on_sign=False))
    narrow = accounts.add_user(ctx, username="narrow", password="bench-password",
                               role="practitioner", team="Other")
    wide = accounts.add_user(ctx, username="wide", password="bench-password",
                             role="supervisor", team="All")
    with ctx.session() as session:
        session.execute(text("INSERT INTO cases (id, reference, title, team, created_at) "
                             "VALUES (:id, :ref, 'Synthetic', 'All', :at)"),
                        [{"id": i, "ref": f"S-{i}", "at": datetime.now(UTC)}
                         for i in range(1, CASES_FOR_SYNTHETIC + 1)])
        for case_id in range(1, 31):
            cases_repo.allocate(session, case_id=case_id * 97, user_id=narrow.id)
    case_ids = list(range(1, CASES_FOR_SYNTHETIC + 1))
    embedder = embedder_for(None)
    # Sentence vectors once; a synthetic note's vector is the normalised mean of its sentences'
    # (embedding 100k notes one by one would take this 2-core machine most of an hour).
    sentence_texts = sorted({s for c in cases for body in c["reference_note"].values()
                             for s in split_sentences(body) if len(s) > 30})
    sentence_vectors = dict(zip(sentence_texts, embedder.embed(sentence_texts), strict=True))
    lines: list[str] = []
    done = 0
    for size in LATENCY_SIZES:
        docs = _synthesise(cases, size - done, seed=size)
        vectors = []
        for sentences, _ in docs:
            v = np.mean([sentence_vectors[s] for s in sentences], axis=0)
            vectors.append(v / np.linalg.norm(v))
        started = time.perf_counter()
        _bulk_index(ctx, docs, np.asarray(vectors, dtype=np.float32), case_ids, done + 1)
        build = time.perf_counter() - started
        done = size
        size_mb = (folder / "casenotes.db").stat().st_size / 1e6
        for label, user in (("allocated to 30 cases", narrow), ("sees all 5,000 cases", wide)):
            timings = []
            for query in queries:
                t0 = time.perf_counter()
                search.search(ctx, user, query, mode="hybrid", limit=10)
                timings.append((time.perf_counter() - t0) * 1000)
            timings.sort()
            p95 = timings[int(0.95 * (len(timings) - 1))]
            lines.append(f"| {size:,} | {label} | {median(timings):.1f} | {p95:.1f} | "
                         f"{build:.1f} | {size_mb:.0f} |")
    ctx.close()
    header = ["", "Latency (hybrid, through the search service, each query of the set once):", "",
              "| notes indexed | reader | p50 ms | p95 ms | bulk index build s (this step) | "
              "database MB |", "| --- | --- | --- | --- | --- | --- |"]
    return header + lines, []


def main() -> None:
    data = shared_data()
    if data is None or not (data / "visits").is_dir():
        print("search benchmark skipped: ../shared/data/visits is absent")  # noqa: T201
        return
    cases = _load_cases(data / "visits")
    ctx = build_context(Settings(data_dir=Path(tempfile.mkdtemp()), secret_key="bench",
                                 search_index_on_sign=False))
    rows, notes = _quality(ctx, cases)
    ctx.close()
    latency, _ = _latency(cases, [q for _, q, _ in _queries(cases)])
    keyword = float(rows[0][1])
    hybrid = float(rows[2][1])
    notes += [f"Hybrid minus keyword-only nDCG@10: {hybrid - keyword:+.3f} (target ≥ +0.10).",
              *latency, "",
              "Synthetic notes: 3–5 sentences of one visit note, first name and numbers varied, "
              "spread over 5,000 cases; their vectors are the normalised mean of their "
              "sentences' MiniLM vectors (query vectors are real MiniLM embeddings). The bulk "
              "build writes rows, FTS5 and vec0 directly; real per-note indexing speed is above.",
              "Reproduce: `.venv/bin/python -m benchmarks.search`."]
    write_table("search", "Search: keyword vs semantic vs hybrid, and latency",
                ["ranking", "nDCG@10", "recall@10", "nDCG@10 fact", "nDCG@10 concept"],
                rows, notes)


if __name__ == "__main__":
    main()
