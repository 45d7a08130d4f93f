"""Build a patient-specific consultation set from a Synthea cohort: questions about taking a drug that
interacts with one of the patient's current medications, written generically ("Can I take naproxen?").

Which drugs interact is read from the label text, not from a hand list (app/records/interactions.py): the
asked drug X and the current medication M are a pair when X's interaction text names M or a class of M, or
M's names X or a class of X. Candidate asked drugs are the oral medicines the cohort itself takes (so the
questions are about drugs people in it use), minus the patient's own. Deceased patients are left out.

Output: the consultation benchmark format (eval/datasets/consult.py) with the patient in `meta`:
    {"id", "lang": "en", "dialogue": [{"role": "user", "content": "Can I take naproxen?"}],
     "gold": [{"medicine": X, "attribute": "interactions"}, {"medicine": M, "attribute": "interactions"}],
     "meta": {"patient_id", "asked", "current": [M, ...], "links": [{source, target, via, term, quote}]}}

    python -m eval.datasets.synthea_consult --synthea ../shared/data/synthea --index-dir data/index \
        --out eval/data/synthea_consult.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.pipeline.lexicon import MedicineLexicon
from app.records.interactions import InteractionLinks, Link, links_from_index, name_forms
from app.records.mag import medication_ids
from app.records.model import MEDICATION_LIST
from app.records.provider import list_entries
from app.records.synthea import SyntheaExport, read_export
from indexing.store import load_current
from indexing.vocabulary import SALT_WORDS

TEMPLATES = (
    "Can I take {drug}?",
    "Is it OK for me to take {drug}?",
    "My friend gave me some {drug}. Can I use it?",
    "Would it be safe for me to start {drug}?",
    "Can I take {drug} for a few days?",
    "Should I be careful taking {drug}?",
)
_ORAL = re.compile(r"\b(oral|chewable)\b", re.IGNORECASE)
# A salt word ends the part of a generic name a patient writes ("Naproxen Sodium 220 MG" -> "naproxen").
_SALTS = re.compile(r"\s+(" + "|".join(sorted(SALT_WORDS)) + r")\b.*$", re.IGNORECASE)


def consumer_name(name: str) -> str:
    """'Naproxen Sodium' -> 'naproxen': how a patient would write the drug."""
    return _SALTS.sub("", name).strip().lower()


def written_name(medicine_id: str, lexicon: MedicineLexicon) -> str:
    """The short consumer name when the database recognises it as this medicine, else the label's name."""
    full = lexicon.names.get(medicine_id, medicine_id)
    short = consumer_name(full)
    return short if medication_ids(short, lexicon) == [medicine_id] else full.lower()


def _pick(key: str, n: int) -> int:
    return int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) % n


@dataclass(frozen=True, slots=True)
class Pair:
    patient_id: str
    asked: str
    current: tuple[str, ...]
    links: tuple[Link, ...]


def cohort_oral_drugs(export: SyntheaExport, lexicon: MedicineLexicon) -> list[str]:
    """Medicines the cohort takes by mouth, by how often they are prescribed (most first)."""
    counts: dict[str, int] = {}
    for r in export.records:
        if r.kind == "medication" and _ORAL.search(r.text):
            for mid in medication_ids(r.text.split(" (RxNorm", 1)[0], lexicon):
                counts[mid] = counts.get(mid, 0) + 1
    return sorted(counts, key=lambda m: (-counts[m], m))


def current_medications(export: SyntheaExport, lexicon: MedicineLexicon) -> dict[str, list[str]]:
    """Patient -> medicine ids of the current medication list (living patients only)."""
    deceased = {p.patient_id for p in export.patients if p.demographics.get("deathdate")}
    out: dict[str, list[str]] = {}
    for r in export.records:
        if r.kind == MEDICATION_LIST and r.patient_id not in deceased:
            ids = [m for entry in list_entries(r.text) for m in medication_ids(entry, lexicon)]
            if ids:
                out[r.patient_id] = list(dict.fromkeys(ids))
    return out


def shares_ingredient(links: InteractionLinks, a: str, b: str) -> bool:
    forms_a = name_forms(links.labels[a].names) if a in links.labels else set()
    forms_b = name_forms(links.labels[b].names) if b in links.labels else set()
    return any(re.search(rf"\b{re.escape(x)}\b", y) for x in forms_a for y in forms_b) or any(
        re.search(rf"\b{re.escape(y)}\b", x) for x in forms_a for y in forms_b
    )


def find_pairs(
    current: dict[str, list[str]], candidates: Iterable[str], links: InteractionLinks
) -> list[Pair]:
    pairs = []
    candidates = list(candidates)
    for pid in sorted(current):
        meds = current[pid]
        for asked in candidates:
            if asked in meds:
                continue
            # A combination that contains the medication ("hydrocodone and acetaminophen" for a patient on
            # acetaminophen) names it as an ingredient, not as an interaction.
            found = {m: [] if shares_ingredient(links, asked, m) else links.linked(asked, m) for m in meds}
            linked = tuple(m for m in meds if found[m])
            if linked:
                pairs.append(Pair(pid, asked, linked, tuple(found[m][0] for m in linked)))
    return pairs


def build_items(pairs: list[Pair], lexicon: MedicineLexicon, per_patient: int) -> list[dict[str, Any]]:
    by_patient: dict[str, list[Pair]] = {}
    for p in pairs:
        by_patient.setdefault(p.patient_id, []).append(p)
    items: list[dict[str, Any]] = []
    for pid, options in sorted(by_patient.items()):
        ranked = sorted(options, key=lambda p: hashlib.sha1(f"{pid}:{p.asked}".encode()).hexdigest())
        for pair in ranked[:per_patient]:
            drug = written_name(pair.asked, lexicon)
            question = TEMPLATES[_pick(f"{pid}:{pair.asked}", len(TEMPLATES))].format(drug=drug)
            items.append(
                {
                    "id": f"synthea-{len(items) + 1:03d}",
                    "lang": "en",
                    "dialogue": [{"role": "user", "content": question}],
                    "gold": [{"medicine": pair.asked, "attribute": "interactions"}]
                    + [{"medicine": m, "attribute": "interactions"} for m in pair.current],
                    "meta": {
                        "patient_id": pid,
                        "asked": pair.asked,
                        "current": list(pair.current),
                        "links": [link.to_dict() | {"quote": link.quote[:300]} for link in pair.links],
                    },
                }
            )
    return items


def build(synthea: Path, index_dir: Path, index_name: str = "medicines", per_patient: int = 2) -> list[dict[str, Any]]:
    index = load_current(index_dir, index_name, with_dense=False)
    lexicon = MedicineLexicon(index.medicines.values())
    export = read_export(synthea)
    links = links_from_index(index)
    current = current_medications(export, lexicon)
    pairs = find_pairs(current, cohort_oral_drugs(export, lexicon), links)
    return build_items(pairs, lexicon, per_patient)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--synthea", type=Path, required=True, help="Synthea CSV export directory")
    ap.add_argument("--index-dir", type=Path, default=Path("data/index"))
    ap.add_argument("--per-patient", type=int, default=2)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    items = build(args.synthea, args.index_dir, per_patient=args.per_patient)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    patients = len({i["meta"]["patient_id"] for i in items})
    print(f"wrote {len(items)} questions for {patients} patients to {args.out}")


if __name__ == "__main__":
    main()
