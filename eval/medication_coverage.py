"""How a Synthea cohort's current medications reach the database's medicines: by RxNorm code or by name.

    python -m eval.medication_coverage --synthea ../shared/data/synthea [--corpus corpora/medicines.jsonl]
                                       [--rxnorm RRF_DIR]

Each patient's current medication list is resolved as the `patient_context` stage resolves it
(`app.records.medications.MedicationResolver`: RxCUI, ingredients with a release, then the lexicon's exact
names); counted per list entry and per distinct product, with the products whose code and words disagree.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from pathlib import Path
from types import SimpleNamespace
from typing import cast

from app.pipeline.lexicon import MedicineLexicon
from app.records.mag import medication_ids
from app.records.medications import MedicationResolver, entry_name
from app.records.model import Record
from app.records.provider import latest, list_entries
from app.records.synthea import read_export
from indexing.build import medicine_entries
from indexing.sources.clinqa_jsonl import load_medicines
from indexing.store import SearchIndex


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--synthea", type=Path, required=True, help="a Synthea CSV export folder")
    parser.add_argument("--corpus", type=Path, default=Path("corpora/medicines.jsonl"))
    parser.add_argument("--rxnorm", type=Path, default=None, help="an RxNorm release's rrf/ folder")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    entries = medicine_entries(load_medicines(args.corpus))
    lexicon = MedicineLexicon(entries)
    index = cast(SearchIndex, SimpleNamespace(medicines={e.id: e for e in entries}, path=args.corpus, version="-"))
    print(f"{len(entries)} medicines, {sum(1 for e in entries if e.rxcuis)} with RxCUIs, "
          f"{sum(1 for e in entries if e.classes)} with classes")
    by_patient: dict[str, list[Record]] = defaultdict(list)
    for record in read_export(args.synthea).records:
        by_patient[record.patient_id].append(record)
    resolver = MedicationResolver(args.rxnorm)
    per_entry: Counter[str] = Counter()
    products: dict[tuple[tuple[str, ...], str], tuple[str, tuple[str, ...], tuple[str, ...]]] = {}
    for records in by_patient.values():
        records.sort(key=lambda r: r.date, reverse=True)
        meds = latest(records, ("medication_list",))
        if meds is None:
            continue
        got = resolver.resolve_list(list_entries(meds.text), records, index, lambda t: medication_ids(t, lexicon))
        for entry, resolved in got.items():
            per_entry[resolved.how] += 1
            name = entry_name(entry)
            products[(resolved.codes, name)] = (resolved.how, resolved.medicine_ids,
                                                tuple(medication_ids(name, lexicon)))
    per_product = Counter(how for how, _, _ in products.values())
    print(f"{sum(per_entry.values())} current-medication entries: {dict(per_entry)}")
    print(f"{len(products)} distinct products: {dict(per_product)}")
    for (codes, name), (how, ids, by_name) in sorted(products.items()):
        if how in ("rxcui", "ingredient") and set(ids) != set(by_name):
            print(f"  code and words differ: {name} (RxNorm {', '.join(codes)}) -> {list(ids)}; "
                  f"by name {list(by_name)}")
        if how == "none":
            print(f"  not placed: {name} (RxNorm {', '.join(codes)})")
    print(f"{time.perf_counter() - start:.1f}s")


if __name__ == "__main__":
    main()
