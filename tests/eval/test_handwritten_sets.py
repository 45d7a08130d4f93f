"""The hand-written consultation sets of issue 17 (eval/data/consult_handwritten_*.jsonl) hold together:
ids unique across both halves, gold medicines are ids or names of the shipped corpus, and a product marked absent is
not a name the corpus knows."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from eval.datasets.consult import load_items
from indexing.sources.clinqa_jsonl import load_medicines

ROOT = Path(__file__).resolve().parents[2]
HALVES = [ROOT / "eval/data/consult_handwritten_tune.jsonl", ROOT / "eval/data/consult_handwritten_heldout.jsonl"]
CORPUS = ROOT / "corpora/medicines.jsonl"


def test_handwritten_consultations_resolve_against_the_shipped_corpus() -> None:
    if not CORPUS.is_file():
        pytest.skip("corpora/medicines.jsonl is absent")
    medicines = load_medicines(CORPUS)
    ids = {m.id for m in medicines}
    names = {n.casefold() for m in medicines for n in (m.id, *m.names)}
    tune, held = (load_items(p) for p in HALVES)
    assert len(tune) + len(held) >= 150
    assert not {i.id for i in tune} & {i.id for i in held}
    for item in [*tune, *held]:
        for gold in item.gold:
            if item.meta.get("absent"):
                assert gold.medicine.casefold() not in names, item.id
            else:  # an id, or a name the scorer resolves ('amiodarone' -> amiodarone-hydrochloride)
                key = gold.medicine.casefold()
                assert gold.medicine in ids or any(n == key or n.startswith((key + " ", key + "-")) for n in names), (
                    item.id, gold.medicine)
    kinds_tune, kinds_held = Counter(i.meta["kind"] for i in tune), Counter(i.meta["kind"] for i in held)
    for kind in ("context_interaction", "other_person", "unrelated_between", "new_vs_old", "brand", "misspelling",
                 "condition_earlier", "no_medicine", "absent_product", "clinician"):
        assert kinds_tune[kind] >= 2 and kinds_held[kind] >= 2, kind
