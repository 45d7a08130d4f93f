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


def test_same_sound_characters_inside_long_names() -> None:
    """The hand-written same-sound groups for the characters most used inside long names (素/苏, 克/可, 尔/而 ...):
    one of them read through, only where no other name is as close, never in ordinary words around."""
    from app.pipeline.lexicon import MedicineLexicon as Lexicon

    def _zh(mid: str, name: str) -> MedicineEntry:
        return MedicineEntry(mid, name, (), "zh", "", ("dosage",))

    lex = Lexicon([_zh("cefaclor", "头孢克洛胶囊"), _zh("cefixime", "头孢克肟胶囊"), _zh("meto", "酒石酸美托洛尔片"),
                   _zh("ery", "红霉素肠溶片"), _zh("omep", "奥美拉唑肠溶胶囊")])

    def ids(text: str) -> list[str | None]:
        return [m.medicine_id for m in lex.find(text)]

    assert ids("头孢可洛一天几次") == ["cefaclor"]  # 可 for 克, and 洛 tells it from 头孢克肟
    assert ids("美托洛而能掰开吗") == ["meto"]  # 而 for 尔
    # three characters: read through one character of the same sound (session 10, app.pipeline.zh_homophones)
    assert ids("红霉苏一天几次") == ["ery"]
    assert ids("我可以吃吗，孩子发烧了怎么办，能不能用热水送服") == []


def test_a_three_character_name_is_read_through_only_at_a_chemistry_character() -> None:
    """螺内脂 for 螺内酯 and 甲硝坐 for 甲硝唑 (an everyday character typed for a chemistry one); 布洛分 for 布洛芬
    through the same sound (session 10, app.pipeline.zh_homophones: over the 790 Chinese user turns of the
    non-held-out sets it read two more names, 华发林 and 阿托发他汀, both right, and nothing else)."""
    def _zh(mid: str, name: str) -> MedicineEntry:
        return MedicineEntry(mid, name, (), "zh", "", ("dosage",))

    lex = MedicineLexicon([_zh("spiro", "螺内酯片"), _zh("metro", "甲硝唑片"), _zh("ibu", "布洛芬片")])
    assert [m.medicine_id for m in lex.find("螺内脂要补钾吗")] == ["spiro"]
    assert [m.medicine_id for m in lex.find("甲硝坐能喝酒吗")] == ["metro"]
    assert [m.medicine_id for m in lex.find("布洛分一次几片")] == ["ibu"]
    assert [m.medicine_id for m in lex.find("布诺芬一次几片")] == []  # 诺 is nuo: another sound
