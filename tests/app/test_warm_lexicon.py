"""Each loaded index version's lexicon is built whole before it serves (issue 18): its misspelt-name stem table
too, which the first question with a misspelt label word used to build (~0.5 s), and it finds what a lexicon
building the table on first use finds."""

from __future__ import annotations

from pathlib import Path

from app.config import Settings
from app.factory import lexicon_builder
from app.pipeline.lexicon import MedicineLexicon
from indexing.bm25 import BM25Index
from indexing.schema import Chunk
from indexing.store import MedicineEntry, SearchIndex
from indexing.text import tokenize


def _index() -> SearchIndex:
    chunks = [Chunk("lisinopril:dosage:0", "lisinopril", "dosage", 0, "Take 10 mg of lisinopril once daily.",
                    "Lisinopril - dosage"),
              Chunk("sertraline:dosage:0", "sertraline", "dosage", 0, "Take 50 mg of sertraline once daily.",
                    "Sertraline - dosage")]
    medicines = {m: MedicineEntry(m, m.title(), (), "en", "test", ("dosage",)) for m in ("lisinopril", "sertraline")}
    return SearchIndex(path=Path("."), manifest={"version": "warm"}, chunks=chunks, medicines=medicines,
                       bm25=BM25Index.build([tokenize(c.text) for c in chunks]), dense=None)


def test_a_loaded_versions_lexicon_has_its_stem_table(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/w.db", index_dir=tmp_path / "index")
    index = _index()
    warm = lexicon_builder(settings)(index)
    assert warm._stems is not None and ("lisinopril",) in warm._stems
    cold = MedicineLexicon(index.medicines.values())
    assert cold._stems is None  # what a lexicon built elsewhere still does: on first use
    assert warm._same_stem_name("lisinoprill") == cold._same_stem_name("lisinoprill") == "lisinopril"
