"""The pure audit-chain rules."""

from __future__ import annotations

from dataclasses import replace

from casenotes.domain.audit import GENESIS, AuditEvent, event_hash, first_broken_link


def _chain(n: int) -> list[AuditEvent]:
    events, prev = [], GENESIS
    for seq in range(1, n + 1):
        fields = dict(seq=seq, at=f"2026-01-01T00:00:0{seq}", actor="jo", action="case.view",
                      object_type="case", object_id="1", detail="", prev_hash=prev)
        digest = event_hash(**fields)  # type: ignore[arg-type]
        events.append(AuditEvent(**fields, hash=digest))  # type: ignore[arg-type]
        prev = digest
    return events


def test_intact_chain_has_no_broken_link() -> None:
    assert first_broken_link(_chain(5)) is None


def test_changed_detail_breaks_that_event() -> None:
    events = _chain(5)
    events[2] = replace(events[2], detail="edited")
    assert first_broken_link(events) == (3, "its content was changed after it was written")


def test_reordered_events_are_found() -> None:
    events = _chain(4)
    events[1], events[2] = events[2], events[1]
    broken = first_broken_link(events)
    assert broken is not None and broken[0] == 2
