"""The per-case pseudonym map (placeholder ↔ real text)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from casenotes.pipeline.pseudonymise import PseudonymMap
from casenotes.store.models import PseudonymMapRow


def load_map(session: Session, *, case_id: int) -> PseudonymMap:
    row = session.get(PseudonymMapRow, case_id)
    if row is None:
        return PseudonymMap()
    data = row.data
    return PseudonymMap(
        surfaces=dict(data.get("surfaces", {})),
        display=dict(data.get("display", {})),
        counters={k: int(v) for k, v in data.get("counters", {}).items()},
    )


def save_map(session: Session, *, case_id: int, mapping: PseudonymMap) -> None:
    data = {"surfaces": mapping.surfaces, "display": mapping.display,
            "counters": mapping.counters}
    row = session.get(PseudonymMapRow, case_id)
    if row is None:
        session.add(PseudonymMapRow(case_id=case_id, data=data))
    else:
        row.data = data
    session.flush()
