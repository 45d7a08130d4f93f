"""The audit trail of a finished turn, built from its typed state at the edge (stored with the answer and
returned as `audit`): what each stage did, in a JSON-able dict."""

from __future__ import annotations

from typing import Any

from app.pipeline.state import TurnState


def audit_of(state: TurnState) -> dict[str, Any]:
    distilled = state.distilled
    selection = state.selection
    reading = state.reading
    audit: dict[str, Any] = {
        "index_version": state.index.version,
        "retrieval": state.index.retrieval,
        "distill": {"backend": distilled.backend, **distilled.audit},
        "unknown_drugs": list(distilled.unknown_drugs),
        "select": selection.audit if selection is not None else {},
        "reader": reading.reader if reading is not None else None,
        "read": reading.audit if reading is not None else {},
        "timings_ms": {k: round(v, 3) for k, v in state.timings.items()},
        "evidence_retrieved": len(state.evidence),
        "ranked_chunk_ids": [e.chunk.chunk_id for e in state.evidence[:50]],
    }
    if state.notices:
        audit["notices"] = [n.to_dict() for n in state.notices]
    if state.patient is not None:
        audit["records"] = records_audit(state)
    return audit


def records_audit(state: TurnState) -> dict[str, Any]:
    patient = state.patient
    assert patient is not None
    return {
        "patient_id": patient.patient_id,
        "mag": patient.mag.value,
        "used": [r.to_dict() | {"text": r.text[:200]} for r in patient.snippets],
        "cited": [c.record_id for c in state.record_citations],
        "current_medications": patient.current_medications,
        "allergies": patient.allergies,
        "allergy_conflicts": [c.to_dict() for c in state.allergy_conflicts],
        "medication_partners": [p.to_dict() for p in state.partners],
        **patient.audit,
    }
