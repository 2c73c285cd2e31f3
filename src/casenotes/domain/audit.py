"""The audit chain: each event's hash covers its content and the previous event's hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEvent:
    """Who did what to which object, when. ``detail`` holds ids and counts, never personal data."""

    seq: int
    at: str  # ISO 8601 UTC
    actor: str  # username or "system"
    action: str  # e.g. "case.view", "draft.edit", "access.denied"
    object_type: str
    object_id: str
    detail: str
    prev_hash: str
    hash: str


def event_hash(
    *, seq: int, at: str, actor: str, action: str, object_type: str, object_id: str,
    detail: str, prev_hash: str,
) -> str:
    payload = json.dumps(
        [seq, at, actor, action, object_type, object_id, detail, prev_hash],
        ensure_ascii=True, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def first_broken_link(events: list[AuditEvent]) -> tuple[int, str] | None:
    """Return ``(seq, reason)`` of the first event whose link is broken, or ``None``.

    Catches altered rows (hash mismatch), deleted rows (gap in ``seq`` or previous hash that
    does not match) and reordering.
    """
    prev_hash = GENESIS
    expected_seq = 1
    for ev in events:
        if ev.seq != expected_seq:
            return expected_seq, f"event {expected_seq} is missing (next present is {ev.seq})"
        if ev.prev_hash != prev_hash:
            return ev.seq, "its previous-hash does not match the event before it"
        recomputed = event_hash(
            seq=ev.seq, at=ev.at, actor=ev.actor, action=ev.action,
            object_type=ev.object_type, object_id=ev.object_id, detail=ev.detail,
            prev_hash=ev.prev_hash,
        )
        if recomputed != ev.hash:
            return ev.seq, "its content was changed after it was written"
        prev_hash = ev.hash
        expected_seq += 1
    return None
