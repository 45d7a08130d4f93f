"""Chinese products without labels (app/pipeline/zh_products.py) and allergens said without 对
(app/pipeline/zh_conditions.zh_allergens), issue 19."""

from __future__ import annotations

import pytest

from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.zh_conditions import zh_allergens
from app.pipeline.zh_products import (
    SHIPPED_ZH_PRODUCTS,
    ProductListError,
    parse_zh_products,
    product_keys,
    shipped_zh_products,
)
from indexing.store import MedicineEntry


def test_the_list_parses_and_names_are_kept_as_listed() -> None:
    names = parse_zh_products("# comment\n连花清瘟\n\n抗病毒口服液\n")
    assert names == ("连花清瘟", "抗病毒口服液")
    assert product_keys(names) == {"连花清瘟", "抗病毒口服液"}  # 抗病毒 alone is a word, not the product


@pytest.mark.parametrize(("body", "says"), [("连花清瘟\n连花清瘟\n", "list.txt:2: '连花清瘟' is already on line 1"),
                                            ("Tylenol\n", "list.txt:1: 'Tylenol' has no Chinese characters")])
def test_bad_lines_name_file_and_line(body: str, says: str) -> None:
    with pytest.raises(ProductListError, match=says):
        parse_zh_products(body, "list.txt")


@pytest.mark.skipif(not SHIPPED_ZH_PRODUCTS.is_file(), reason="the shipped Chinese product list is absent")
def test_a_chinese_product_is_not_in_the_database_and_the_other_medicine_stays() -> None:
    assert {"连花清瘟", "板蓝根", "新康泰克"} <= shipped_zh_products()
    lexicon = MedicineLexicon([MedicineEntry("amoxicillin", "Amoxicillin", ("阿莫西林",), "en", "", ("dosage",))])
    found = [(m.surface, m.medicine_id, m.how) for m in lexicon.find("板蓝根能和阿莫西林一起吃吗")]
    assert found == [("板蓝根", None, "unknown"), ("阿莫西林", "amoxicillin", "exact")]
    assert [m.medicine_id for m in lexicon.find("能吃抗病毒药吗")] == []


@pytest.mark.parametrize(("clause", "allergens"), [
    ("我青霉素过敏，阿莫西林能吃吗", ["青霉素"]),
    ("阿莫西林过敏的人能吃头孢吗", ["阿莫西林"]),
    ("我有磺胺类过敏史，西乐葆能吃吗", ["磺胺"]),
    ("青霉素皮试阳性，能用头孢克洛吗", ["青霉素"]),
    ("我妈青霉素过敏", ["青霉素"]),
    ("阿莫仙对青霉素过敏的人能吃吗", ["青霉素"]),  # the medicine asked before 对 is not the allergen
    # not an allergy the person has: a reaction to what was taken, or whether it causes one
    ("吃了阿莫西林过敏了怎么办", []),
    ("阿莫西林会过敏吗", []),
    ("氯雷他定过敏吗", []),
    ("孩子3岁，过敏打喷嚏，能吃氯雷他定吗", []),
    ("能吃抗过敏药吗", []),
])
def test_allergens_said_before_the_word(clause: str, allergens: list[str]) -> None:
    assert zh_allergens(clause) == allergens



def test_an_allergen_said_again_only_inside_a_longer_name_is_not_asked() -> None:
    """对阿莫西林过敏的人能吃阿莫西林克拉维酸钾吗: amoxicillin is the allergy; the combination is asked."""
    from app.pipeline.distill import RuleDistiller
    from app.pipeline.state import Turn

    def en(mid: str, name: str, *aliases: str) -> MedicineEntry:
        return MedicineEntry(mid, name, aliases, "en", "", ("contraindications", "warnings", "dosage"))

    lexicon = MedicineLexicon([en("amoxicillin", "Amoxicillin", "阿莫西林"),
                               en("amoxicillin-and-clavulanate-potassium", "Amoxicillin and Clavulanate Potassium",
                                  "阿莫西林克拉维酸钾")])
    for question in ("对阿莫西林过敏的人能吃阿莫西林克拉维酸钾吗",
                     "I am allergic to amoxicillin, can I take amoxicillin and clavulanate potassium?"):
        queries = RuleDistiller().distill([Turn("user", question)], lexicon).queries
        assert {q.medicine for q in queries} == {"amoxicillin-and-clavulanate-potassium"}, question
    # said again on its own: still asked
    queries = RuleDistiller().distill([Turn("user", "对阿莫西林过敏，阿莫西林还能吃吗")], lexicon).queries
    assert "amoxicillin" in {q.medicine for q in queries}
