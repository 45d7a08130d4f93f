"""A Chinese word for a kind of medicine (胰岛素, insulin) is no product: asked which, as its English word is."""

from __future__ import annotations

from app.pipeline.class_question import class_asked
from app.pipeline.generic_names import GenericName
from app.pipeline.lexicon import MedicineLexicon
from indexing.store import MedicineEntry


def _lexicon() -> MedicineLexicon:
    entries = [MedicineEntry(mid, name, (), "en", "", ("storage",), routes=("SUBCUTANEOUS",))
               for mid, name in (("insulin-human", "Insulin Human"), ("insulin-glargine", "Insulin Glargine"))]
    table = [GenericName("胰岛素", "insulin"), GenericName("甘精胰岛素", "insulin glargine", ("来得时",)),
             GenericName("人胰岛素", "insulin human")]
    return MedicineLexicon(entries, name_table=table)


def test_the_kind_word_names_no_product_but_a_named_insulin_does() -> None:
    lexicon = _lexicon()
    # was insulin-human: the inhaled insulin's storage was quoted for "胰岛素应该怎么保存？"
    assert [m.medicine_id for m in lexicon.find("胰岛素应该怎么保存？")] == []
    assert [m.medicine_id for m in lexicon.find("甘精胰岛素应该怎么保存？")] == ["insulin-glargine"]
    assert [m.medicine_id for m in lexicon.find("来得时怎么保存")] == ["insulin-glargine"]


def test_the_kind_word_is_a_class_asked() -> None:
    asked = class_asked("胰岛素应该怎么保存？")
    assert asked is not None and asked.key == "insulin"
