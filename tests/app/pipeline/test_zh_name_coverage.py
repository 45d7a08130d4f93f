"""The Chinese names added to the name table for medicines of the shipped English database that had none (issue 19,
fifth session): every line of that block names, on its English side, a medicine the database holds, and each of its
Chinese names resolves to that medicine."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.pipeline.generic_names import SHIPPED_TABLE as TABLE
from app.pipeline.generic_names import GenericName, shipped_name_table
from app.pipeline.lexicon import MedicineLexicon
from indexing.sources.clinqa_jsonl import load_medicines
from indexing.store import MedicineEntry

CORPUS = Path(__file__).resolve().parents[3] / "corpora" / "medicines.jsonl"
BLOCK_HEADER = "# Added (issue 19, fifth session"
_QUESTIONS = (
    ("吡非尼酮饭后吃还是饭前吃", "pirfenidone"),
    ("可威小孩能吃吗", "oseltamivir-phosphate"),  # a brand added to a line above the block
    ("利倍卓一天吃几次", "sodium-zirconium-cyclosilicate"),
    ("奇曼丁一天最多吃几片", "tramadol"),
)


def _added_block() -> list[GenericName]:
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines, 1) if line.startswith(BLOCK_HEADER))
    return [e for e in shipped_name_table() if e.line > start]


def test_the_block_is_there_and_adds_names_of_its_own() -> None:
    added = _added_block()
    assert len(added) >= 100
    assert all(e.zh and e.en for e in added)


@pytest.mark.skipif(not CORPUS.is_file(), reason="the shipped English database corpora/medicines.jsonl is absent")
def test_every_added_mapping_reaches_the_database_medicine_of_its_english_name() -> None:
    medicines = list(load_medicines(CORPUS))
    names = {m.id: m.name.casefold() for m in medicines}
    lexicon = MedicineLexicon([MedicineEntry(m.id, m.name, m.aliases, m.lang, m.source, tuple(m.sections))
                               for m in medicines], name_table=shipped_name_table())
    wrong = []
    for entry in _added_block():
        # the English side names a database medicine: its name, or its name with a salt, a second word or a
        # biologic's suffix after it (isatuximab-irfc)
        held = [mid for mid, name in names.items() if name == entry.en or name.startswith((f"{entry.en} ",
                                                                                         f"{entry.en}-"))]
        for zh in entry.zh_names:
            found = lexicon.resolve(zh)
            if not held or found not in held:
                wrong.append((zh, entry.en, found))
    assert wrong == []
    for question, medicine in _QUESTIONS:
        assert [m.medicine_id for m in lexicon.find(question)] == [medicine]
