"""A medicine held only as an ingredient of combination products: the answer names them (session 25)."""

from __future__ import annotations

from app.pipeline.held_in_combinations import combinations_holding, held_notice
from indexing.store import MedicineEntry


class _Index:
    def __init__(self, *names: str) -> None:
        self.medicines = {n.casefold().replace(" ", "-"): MedicineEntry(n.casefold().replace(" ", "-"), n, (), "en",
                                                                         "", ("dosage",)) for n in names}


def test_an_ingredient_only_in_combinations_is_named_with_them() -> None:
    index = _Index("Promethazine Hydrochloride and Dextromethorphan Hydrobromide Oral Solution", "Dextromethorphan "
                   "Hydrobromide and Quinidine Sulfate", "Promethazine Hydrochloride", "Guaifenesin")
    held = combinations_holding(["dextromethorphan"], index)  # type: ignore[arg-type]
    assert held == [("dextromethorphan", [
        "Dextromethorphan Hydrobromide and Quinidine Sulfate",
        "Promethazine Hydrochloride and Dextromethorphan Hydrobromide Oral Solution"])]
    assert "ingredient of" in held_notice(held, chinese=False)
    zh = combinations_holding(["右美沙芬（dextromethorphan）"], index)  # type: ignore[arg-type]
    assert zh and zh[0][0] == "右美沙芬（dextromethorphan）" and "复方" in held_notice(zh, chinese=True)


def test_a_name_in_no_combination_and_a_single_product_give_nothing() -> None:
    index = _Index("Promethazine Hydrochloride", "Zinc and Vitamin C Lozenges")
    assert combinations_holding(["zentravix"], index) == []  # type: ignore[arg-type]
    assert combinations_holding(["promethazine"], index) == []  # type: ignore[arg-type]
