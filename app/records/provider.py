"""The MAG provider: a patient's global and regional records for one dialogue turn.

- Global record: the most recent prior record(s) of the kind the question needs. For an imaging question
  the latest radiology report; for a medication question the current medication list, the allergies and
  the active conditions. Trimmed to a character budget.
- Regional records: the sentences of prior records about what is asked: the anatomical region of an
  imaging question ("left lower lung zone", see regions.py), or the drug of a medication question.
- Facts for the pipeline: the current medications (interaction partners for distillation, those whose
  labels link them to the asked drug first) and the allergies (checked against the asked drugs).

`mag` decides what of the records the turn uses: none (nothing), global (the global record and the
facts read from it: current medications, allergies), regional (only the sentences about the asked region
or drug), or all (both).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.config import RecordsSettings
from app.enums import Mag
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn, TurnState
from app.records.interactions import InteractionLinks
from app.records.mag import entry_medicines, medication_ids
from app.records.medications import MedicationResolver
from app.records.model import (
    ALLERGY_LIST,
    IMAGING_KINDS,
    MEDICATION_LIST,
    PROBLEM_LIST,
    PatientContext,
    Record,
    RecordSnippet,
)
from app.records.regions import Region, find_region, is_about, region_sentences
from app.records.search import RecordSearch
from app.records.store import RecordStore
from indexing.store import SearchIndex
from indexing.text import sentences

_IMAGING_WORDS = re.compile(
    r"\b(?:x-?rays?|cxr|radiograph\w*|images?|imaging|films?|scans?|ct|mri|ultrasound|studies|study|"
    r"report|views?)\b",
    re.IGNORECASE,
)
_MEDICATION_WORDS = re.compile(
    r"\b(?:medicines?|medications?|meds|drugs?|pills?|tablets?|doses?|prescriptions?|take|taking|allerg\w*)\b",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s*")
_NONE_ENTRY = re.compile(r"^\s*(?:no|none|nkda|nka)\b", re.IGNORECASE)
_TEXT_REPORT_KINDS = ("radiology_report", "imaging_report")


# Record chunks searched for an asked drug's mentions.
SEARCH_TOP_K = 20


def trim(text: str, budget: int) -> str:
    """Whole lines (then whole sentences) up to `budget` characters; a first piece that is too long is cut
    at a word and marked with an ellipsis."""
    text = text.strip()
    if len(text) <= budget:
        return text
    pieces = [s for line in text.splitlines() for s in (sentences(line) or [line])]
    out = ""
    for piece in pieces:
        candidate = f"{out}\n{piece}" if out else piece
        if len(candidate) > budget:
            break
        out = candidate
    if not out:
        out = text[: max(budget - 1, 0)].rsplit(" ", 1)[0] + "…"
    return out


def list_entries(text: str) -> list[str]:
    """The entries of a list record ("Current medications ...:\\n- Warfarin 5 MG ... ") without its
    heading, its bullets and "none" lines; a one-line list is split at semicolons."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) == 1:
        lines = lines[0].split(";")
    out = []
    for line in lines:
        entry = _LIST_ITEM.sub("", line).strip()
        if entry and not entry.endswith(":") and not _NONE_ENTRY.match(entry):
            out.append(entry)
    return out


def latest(records: list[Record], kinds: tuple[str, ...]) -> Record | None:
    """The newest record of the first kind (in order of preference) the patient has."""
    for kind in kinds:
        found = [r for r in records if r.kind == kind]
        if found:
            return found[0]  # records come newest first
    return None


@dataclass
class _Plan:
    topic: str  # "imaging" | "medication"
    region: Region
    asked: list[str] = field(default_factory=list)  # medicine ids asked about


class MedRecordProvider:
    """The `patient_context` stage: the patient's global and regional records for the turn, from a
    RecordStore and its per-patient search."""

    name = "patient_context"

    def __init__(
        self,
        store: RecordStore,
        search: RecordSearch,
        links: Callable[[], InteractionLinks | None] | None = None,
        config: RecordsSettings | None = None,
        resolver: MedicationResolver | None = None,
    ) -> None:
        self.store = store
        self.search = search
        self.links = links
        self.config = config or RecordsSettings()
        self.resolver = resolver or MedicationResolver()

    def to_dict(self) -> dict[str, Any]:
        cfg = self.config
        return {"type": "medrecord", "global_chars": cfg.global_chars, "regional_chars": cfg.regional_chars,
                "regional_records": cfg.regional_records, "search_top_k": SEARCH_TOP_K}

    def run(self, state: TurnState) -> None:
        if state.request.patient_id is not None:
            state.patient = self.context(state.request.patient_id, state.dialogue, state.request.mag,
                                         state.lexicon, state.index)

    def context(
        self, patient_id: str, dialogue: list[Turn], mag: Mag, lexicon: MedicineLexicon | None = None,
        index: SearchIndex | None = None,
    ) -> PatientContext:
        """`index`: the serving index, whose labels' RxCUIs place the patient's RxNorm-coded medications
        (without it they are matched by name only)."""
        level = Mag.from_str(mag)
        if level is Mag.NONE:
            return PatientContext(patient_id, level, audit={"records_considered": 0})
        if not self.store.exists(patient_id):
            return PatientContext(patient_id, level, audit={"error": f"no patient {patient_id!r}"})
        records = self.store.list_records(patient_id)
        plan = self._plan(dialogue, lexicon)
        context = PatientContext(patient_id, level)
        if level.uses_global:
            if plan.topic == "medication":  # the facts come from the medication question's global records
                self._facts(context, records, plan, lexicon, index)
            context.snippets.extend(self._global(records, plan))
        if level.uses_regional:
            taken = {s.record_id for s in context.snippets}
            context.snippets.extend(self._regional(patient_id, records, plan, lexicon, taken))
        context.audit.update(
            {
                "topic": plan.topic,
                "region": plan.region.to_dict() if plan.region else None,
                "asked_medicines": plan.asked,
                "records_considered": len(records),
            }
        )
        return context

    # -- what is asked -------------------------------------------------------------------------------------

    def _plan(self, dialogue: list[Turn], lexicon: MedicineLexicon | None) -> _Plan:
        user_turns = [t.content for t in dialogue if t.role == "user"]
        question = user_turns[-1] if user_turns else ""
        asked: list[str] = []
        region = Region()
        for text in reversed(user_turns):  # the latest turn first; earlier ones for "it" / "that area"
            if not asked and lexicon is not None:
                asked = medication_ids(text, lexicon)
            if not region:
                region = find_region(text)
            if asked or region:
                break
        # "Can I take ibuprofen before my CT?" is a medication question; "what about my heart medicine?" too.
        imaging_words = bool(_IMAGING_WORDS.search(question))
        if asked:
            imaging = imaging_words and bool(region.structures)
        else:
            imaging = imaging_words or (bool(region.structures) and not _MEDICATION_WORDS.search(question))
        return _Plan("imaging" if imaging else "medication", region if imaging else Region(), asked)

    # -- facts ---------------------------------------------------------------------------------------------

    def _facts(
        self, context: PatientContext, records: list[Record], plan: _Plan, lexicon: MedicineLexicon | None,
        index: SearchIndex | None = None,
    ) -> None:
        meds = latest(records, (MEDICATION_LIST,))
        allergy_list = latest(records, (ALLERGY_LIST,))
        problems = latest(records, (PROBLEM_LIST,))
        context.current_medications = list_entries(meds.text) if meds else []
        context.conditions = list_entries(problems.text) if problems else []
        if lexicon is not None and index is not None and context.current_medications:
            names = lexicon
            resolved = self.resolver.resolve_list(context.current_medications, records, index,
                                                  lambda text: medication_ids(text, names))
            context.medicine_ids = {entry: r.medicine_ids for entry, r in resolved.items()}
            context.audit["medications"] = [r.to_dict() for r in resolved.values()]
        allergy_records = [allergy_list] if allergy_list is not None else [r for r in records if r.kind == "allergy"]
        if allergy_list is not None:
            context.allergies = list_entries(allergy_list.text)
        else:
            context.allergies = [r.text for r in allergy_records]
        context.fact_records = [r.record_id for r in ([meds] if meds else []) + allergy_records]
        if lexicon is not None and plan.asked and context.current_medications:
            context.current_medications = self._by_interaction(context, plan.asked, lexicon)

    def _by_interaction(self, context: PatientContext, asked: list[str], lexicon: MedicineLexicon) -> list[str]:
        """Current medications whose labels link them to an asked drug first (stable otherwise)."""
        links = self.links() if self.links is not None else None
        if links is None:
            return context.current_medications
        linked: list[str] = []
        found: list[dict[str, str]] = []
        for entry in context.current_medications:
            for mid in entry_medicines(context, entry, lexicon):
                hits = [link for a in asked for link in links.linked(a, mid)]
                if not hits:
                    continue
                linked.append(entry)
                found.append(hits[0].to_dict() | {"quote": hits[0].quote[:200]})
                for link in hits:
                    if link.via.startswith("class:"):
                        terms = context.interaction_terms.setdefault(link.source, [])
                        if link.term.casefold() not in {t.casefold() for t in terms}:
                            terms.append(link.term)
                break
        context.audit["interaction_links"] = found
        return linked + [e for e in context.current_medications if e not in linked]

    # -- global --------------------------------------------------------------------------------------------

    def _global(self, records: list[Record], plan: _Plan) -> list[RecordSnippet]:
        budget = self.config.global_chars
        if plan.topic == "imaging":
            report = latest(records, (*_TEXT_REPORT_KINDS, *IMAGING_KINDS))
            return [_snippet(report, trim(report.text, budget), "global")] if report else []
        chosen = [r for r in (latest(records, (k,)) for k in (MEDICATION_LIST, ALLERGY_LIST, PROBLEM_LIST)) if r]
        out = []
        for i, record in enumerate(chosen):
            share = budget // (len(chosen) - i)
            text = trim(record.text, share)
            budget -= len(text)
            out.append(_snippet(record, text, "global"))
        return out

    # -- regional ------------------------------------------------------------------------------------------

    def _regional(
        self,
        patient_id: str,
        records: list[Record],
        plan: _Plan,
        lexicon: MedicineLexicon | None,
        taken: set[str],
    ) -> list[RecordSnippet]:
        if plan.topic == "imaging":
            if not plan.region:
                return []
            candidates = [r for r in records if r.kind in IMAGING_KINDS or r.regions or r.kind == "visit_note"]
            found = [(r, self._region_text(r, plan.region)) for r in candidates]
        else:
            if not plan.asked or lexicon is None:
                return []
            found = self._drug_sentences(patient_id, plan.asked, lexicon)
        out: list[RecordSnippet] = []
        budget = self.config.regional_chars
        for record, text in found:
            if not text or record.record_id in taken or len(out) >= self.config.regional_records:
                continue
            if budget < 40:
                break
            piece = trim(text, budget)
            budget -= len(piece)
            out.append(_snippet(record, piece, "regional"))
        return out

    @staticmethod
    def _region_text(record: Record, region: Region) -> str:
        """The record's own region entries about the region, then its sentences about it."""
        parts = [text for name, text in record.regions.items() if is_about(name, region) and text.strip()]
        parts += [s for s in region_sentences(record.text, region) if not any(s in p for p in parts)]
        return " ".join(parts)

    def _drug_sentences(
        self, patient_id: str, asked: list[str], lexicon: MedicineLexicon
    ) -> list[tuple[Record, str]]:
        names = " ".join(lexicon.names.get(mid, mid) for mid in asked)
        hits = self.search.search(patient_id, names, top_k=SEARCH_TOP_K)
        by_record: dict[str, tuple[Record, list[str]]] = {}
        for hit in hits:
            wanted = [s for s in sentences(hit.chunk.text) if set(asked) & set(medication_ids(s, lexicon))]
            if wanted:
                _, kept = by_record.setdefault(hit.record.record_id, (hit.record, []))
                kept.extend(s for s in wanted if s not in kept)
        ordered = sorted(by_record.values(), key=lambda rk: (rk[0].date, rk[0].record_id), reverse=True)
        return [(record, " ".join(kept)) for record, kept in ordered]


def _snippet(record: Record, text: str, scope: str) -> RecordSnippet:
    return RecordSnippet(record.record_id, record.kind, record.date, text, scope)
