"""Chinese names written by hand for issue 19 (ninth session; the dev set eval/data/consult_zh_dev9.jsonl was written
the same way, these are other wordings): brands of mainland China the name table lacked (伲福达, 来优时, 甘舒霖,
阿瓦斯汀), and a brand written with a sound people merge (奥斯康定 for 奥施康定)."""

from __future__ import annotations

import pytest

from app.pipeline.generic_names import SHIPPED_TABLE, shipped_name_table
from app.pipeline.lexicon import MedicineLexicon
from indexing.store import MedicineEntry

_LABELS = {  # id -> English name, as the shipped database names them
    "nifedipine": "Nifedipine", "insulin-glargine": "Insulin Glargine", "insulin-human": "Insulin Human",
    "bevacizumab": "Bevacizumab", "oxycodone-hydrochloride": "Oxycodone Hydrochloride",
}


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    if not SHIPPED_TABLE.is_file():
        pytest.skip("the shipped generic-name table is absent")
    entries = [MedicineEntry(mid, name, (), "en", "", ("dosage", "warnings")) for mid, name in _LABELS.items()]
    return MedicineLexicon(entries, name_table=shipped_name_table())


@pytest.mark.parametrize(("question", "medicine"), [
    ("伲福达一天吃几次", "nifedipine"),
    ("来优时和来得时一样吗", "insulin-glargine"),
    ("甘舒霖饭前多久打", "insulin-human"),
    ("阿瓦斯汀有什么副作用", "bevacizumab"),
    ("奥斯康定能掰开吃吗", "oxycodone-hydrochloride"),  # 斯 for 施
])
def test_brands_reach_the_label(lexicon: MedicineLexicon, question: str, medicine: str) -> None:
    assert {m.medicine_id for m in lexicon.find(question)} == {medicine}
