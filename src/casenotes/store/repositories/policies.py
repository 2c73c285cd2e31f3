"""The policy library: documents, their passages, keyword and vector lookups."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import ColumnElement, column, func, literal_column, select, table, text
from sqlalchemy.orm import Session

from casenotes.store.models import Policy, PolicyPassage

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_FTS = table("policy_fts", column("rowid"), column("text"))


def by_sha(session: Session, *, sha256: str) -> Policy | None:
    return session.scalars(select(Policy).where(Policy.sha256 == sha256)).first()


def add_policy(session: Session, *, title: str, filename: str, media_type: str, sha256: str,
               uploaded_by: int | None, passages: Sequence[tuple[str, int | None, str]],
               vectors: NDArray[np.float32]) -> Policy:
    policy = Policy(title=title, filename=filename, media_type=media_type, sha256=sha256,
                    uploaded_by=uploaded_by)
    session.add(policy)
    session.flush()
    sqlite = session.get_bind().dialect.name == "sqlite"
    for position, ((heading, page, body), vector) in enumerate(zip(passages, vectors,
                                                                     strict=True)):
        row = PolicyPassage(policy_id=policy.id, position=position, heading=heading[:500],
                            page=page, text=body,
                            embedding=np.asarray(vector, dtype=np.float32).tobytes())
        session.add(row)
        session.flush()
        if sqlite:
            session.execute(text("INSERT INTO policy_fts(rowid, text) VALUES (:id, :text)"),
                            {"id": row.id, "text": f"{heading}\n{body}"})
    return policy


def list_policies(session: Session) -> list[tuple[Policy, int]]:
    counts = (select(PolicyPassage.policy_id, func.count(PolicyPassage.id).label("n"))
              .group_by(PolicyPassage.policy_id).subquery())
    rows = session.execute(select(Policy, func.coalesce(counts.c.n, 0))
                           .outerjoin(counts, counts.c.policy_id == Policy.id)
                           .order_by(Policy.title))
    return [(p, int(n)) for p, n in rows]


def delete_policy(session: Session, *, policy_id: int) -> bool:
    policy = session.get(Policy, policy_id)
    if policy is None:
        return False
    if session.get_bind().dialect.name == "sqlite":
        for passage_id in session.scalars(select(PolicyPassage.id)
                                          .where(PolicyPassage.policy_id == policy_id)):
            session.execute(text("DELETE FROM policy_fts WHERE rowid = :id"), {"id": passage_id})
    session.delete(policy)
    session.flush()
    return True


def keyword_ranking(session: Session, *, terms: Sequence[str], limit: int) -> list[int]:
    words = [w.lower() for term in terms for w in _WORD.findall(term)]
    if not words:
        return []
    if session.get_bind().dialect.name == "sqlite":
        fts: ColumnElement[Any] = literal_column("policy_fts")
        match = " OR ".join(f'"{w}"' for w in words)
        stmt = (select(_FTS.c.rowid).where(fts.op("MATCH")(match))
                .order_by(func.bm25(fts)).limit(limit))
    else:
        tsquery = func.to_tsquery("english", " | ".join(words))
        tsv: ColumnElement[Any] = literal_column("policy_passages.tsv")
        stmt = (select(PolicyPassage.id).where(tsv.op("@@")(tsquery))
                .order_by(func.ts_rank_cd(tsv, tsquery).desc(), PolicyPassage.id).limit(limit))
    return [int(i) for i in session.scalars(stmt)]


def semantic_ranking(session: Session, *, vector: NDArray[np.float32], limit: int) -> list[int]:
    """Exact cosine over every passage (a policy library is small: thousands of passages)."""
    rows = session.execute(select(PolicyPassage.id, PolicyPassage.embedding)
                           .where(PolicyPassage.embedding.is_not(None))).all()
    if not rows:
        return []
    ids = np.array([r[0] for r in rows])
    matrix = np.frombuffer(b"".join(r[1] or b"" for r in rows),
                           dtype=np.float32).reshape(len(rows), -1)
    order = np.argsort(-(matrix @ np.asarray(vector, dtype=np.float32)), kind="stable")
    return [int(i) for i in ids[order[:limit]]]


def passages(session: Session, *, ids: Sequence[int]) -> dict[int, tuple[PolicyPassage, Policy]]:
    if not ids:
        return {}
    rows = session.execute(select(PolicyPassage, Policy)
                           .join(Policy, Policy.id == PolicyPassage.policy_id)
                           .where(PolicyPassage.id.in_(list(ids))))
    return {p.id: (p, d) for p, d in rows}
