"""Chinese consultations written by hand for issue 19 (not from any evaluation set): which medicine and which
section the rule distiller asks for, over a small lexicon whose English entries carry their Chinese names
(as the name table gives them). Topics: alcohol, driving, children, pregnancy, breastfeeding, the elderly,
missed and double doses, food, spacing, stopping, symptoms after taking, what it is for, traditional script;
and the conditions a conversation states."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from app.pipeline.zh_glossary import SHIPPED_GLOSSARY, load_glossary
from indexing.store import MedicineEntry

_SECTIONS = ("dosage", "interactions", "warnings", "pediatric", "pregnancy", "lactation", "geriatric",
             "adverse_reactions", "overdosage", "indications", "contraindications")


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    def en(mid: str, name: str, *aliases: str) -> MedicineEntry:
        return MedicineEntry(mid, name, aliases, "en", "", _SECTIONS)

    return MedicineLexicon([
        en("metronidazole", "Metronidazole", "甲硝唑"),
        en("cetirizine", "Cetirizine Hydrochloride", "西替利嗪"),
        en("ibuprofen", "Ibuprofen", "布洛芬", "美林"),
        en("acetaminophen", "Acetaminophen", "对乙酰氨基酚", "泰诺林"),
        en("amoxicillin", "Amoxicillin", "阿莫西林"),
        en("oseltamivir", "Oseltamivir Phosphate", "奥司他韦", "达菲"),
        en("metformin", "Metformin Hydrochloride", "二甲双胍"),
        en("levothyroxine", "Levothyroxine Sodium", "左甲状腺素", "优甲乐"),
        en("warfarin", "Warfarin Sodium", "华法林"),
        en("metoprolol", "Metoprolol Tartrate", "美托洛尔", "倍他乐克"),
        en("amlodipine", "Amlodipine Besylate", "氨氯地平"),
        en("loratadine", "Loratadine", "氯雷他定"),
        en("omeprazole", "Omeprazole", "奥美拉唑"),
        en("donepezil", "Donepezil Hydrochloride", "多奈哌齐"),
        en("cefixime", "Cefixime", "头孢克肟"),
        en("montmorillonite", "Montmorillonite", "蒙脱石", "思密达"),
    ])


# (user turns, medicine asked, sections the first query of that medicine may ask, in order of preference)
DIALOGUES: list[tuple[tuple[str, ...], str, tuple[str, ...]]] = [
    # alcohol: warnings first, interactions next
    (("在吃甲硝唑，周末有个饭局要喝点酒，行吗",), "metronidazole", ("warnings",)),
    (("头孢克肟吃完多久可以饮酒",), "cefixime", ("warnings",)),
    (("吃着西替利嗪，晚上喝了两瓶啤酒，有问题吗",), "cetirizine", ("warnings",)),
    # driving
    (("西替利嗪吃了还能开车吗",), "cetirizine", ("warnings",)),
    (("我是出租车司机，要驾驶一整天，氯雷他定影响吗",), "loratadine", ("warnings",)),
    # children: the population first, or the dose first when a dose is asked
    (("奥司他韦小孩能吃吗",), "oseltamivir", ("pediatric",)),
    (("两岁的宝宝能用布洛芬吗",), "ibuprofen", ("pediatric",)),
    (("孩子六岁，二十公斤，美林一次喂多少毫升",), "ibuprofen", ("dosage",)),
    (("儿童吃阿莫西林一次吃几粒",), "amoxicillin", ("dosage",)),
    (("未成年人可以吃头孢克肟吗",), "cefixime", ("pediatric",)),
    # pregnancy and breastfeeding
    (("我怀孕了，对乙酰氨基酚能吃吗",), "acetaminophen", ("pregnancy",)),
    (("备孕期间可以吃氯雷他定吗",), "loratadine", ("pregnancy",)),
    (("还在喂奶，阿莫西林能吃吗",), "amoxicillin", ("lactation",)),
    (("哺乳期吃布洛芬会不会通过母乳影响孩子",), "ibuprofen", ("lactation",)),
    # the elderly
    (("老人吃多奈哌齐要注意什么",), "donepezil", ("geriatric",)),
    (("我爸八十多岁了，二甲双胍能吃吗",), "metformin", ("geriatric",)),
    # missed and double doses
    (("昨晚忘了吃优甲乐，今天要补吗",), "levothyroxine", ("dosage",)),
    (("华法林漏服一次怎么办",), "warfarin", ("dosage",)),
    (("早上不小心多吃了一次二甲双胍",), "metformin", ("overdosage",)),
    (("降压药氨氯地平今天吃重复了",), "amlodipine", ("overdosage",)),
    # food and timing
    (("奥美拉唑要空腹吃吗",), "omeprazole", ("dosage",)),
    (("二甲双胍随餐吃还是吃完饭吃",), "metformin", ("dosage",)),
    # spacing from other medicines
    (("思密达和其他药要分开吃吗",), "montmorillonite", ("interactions",)),
    # stopping
    (("美托洛尔能不能突然停",), "metoprolol", ("warnings",)),
    # a symptom after taking it
    (("吃了阿莫西林拉肚子正常吗",), "amoxicillin", ("adverse_reactions",)),
    (("氨氯地平吃了以后脚肿得厉害",), "amlodipine", ("adverse_reactions",)),
    (("二甲双胍吃完恶心想吐怎么回事",), "metformin", ("adverse_reactions",)),
    # what it is for
    (("氯雷他定有什么功效",), "loratadine", ("indications",)),
    (("多奈哌齐是干什么用的",), "donepezil", ("indications",)),
    # traditional script
    (("奧司他韋小孩能吃嗎",), "oseltamivir", ("pediatric",)),
    (("懷孕可以吃布洛芬嗎",), "ibuprofen", ("pregnancy",)),
    (("二甲雙胍飯前吃還是飯後吃",), "metformin", ("dosage",)),
    (("吃甲硝唑期間能喝酒嗎",), "metronidazole", ("warnings",)),
    # a condition stated earlier fills the section the question leaves open
    (("我怀孕五个月了", "那布洛芬呢"), "ibuprofen", ("pregnancy",)),
]


def _dialogue(turns: tuple[str, ...]) -> list[Turn]:
    out: list[Turn] = []
    for t in turns:
        out += [Turn("user", t), Turn("assistant", "好的，请说。")]
    return out[:-1]


@pytest.mark.parametrize(("turns", "medicine", "sections"), DIALOGUES, ids=[d[0][-1][:12] for d in DIALOGUES])
def test_chinese_dialogue_medicine_and_section(lexicon: MedicineLexicon, turns: tuple[str, ...], medicine: str,
                                               sections: tuple[str, ...]) -> None:
    queries = RuleDistiller().distill(_dialogue(turns), lexicon).queries
    mine = [q for q in queries if q.medicine == medicine]
    assert mine, f"{medicine} not asked: {queries}"
    assert mine[0].attribute in sections, queries


def test_alcohol_asks_warnings_then_interactions(lexicon: MedicineLexicon) -> None:
    queries = RuleDistiller().distill(_dialogue(("吃甲硝唑期间能喝酒吗",)), lexicon).queries
    assert [q.attribute for q in queries if q.medicine == "metronidazole"][:2] == ["warnings", "interactions"]


def test_a_child_dose_asks_dosage_then_pediatric(lexicon: MedicineLexicon) -> None:
    queries = RuleDistiller().distill(_dialogue(("孩子三岁，美林怎么喂",)), lexicon).queries
    assert [q.attribute for q in queries if q.medicine == "ibuprofen"][:2] == ["dosage", "pediatric"]


_CORPUS = Path(__file__).resolve().parents[3] / "corpora" / "medicines.jsonl"


@pytest.mark.skipif(not _CORPUS.is_file(), reason="the shipped English database corpora/medicines.jsonl is absent")
def test_condition_glossary_reaches_english_indications() -> None:
    """Most condition words (>= 90%) have an English phrase that some shipped label's indications use; the rest
    are conditions the shipped database holds no medicine for (痔疮, 蛲虫, 早泄 ...)."""
    indications = []
    with _CORPUS.open(encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["sections"].get("indications", "")
            if text:
                indications.append(text.casefold())
    text = "\n".join(indications)
    conditions = [e for e in load_glossary(SHIPPED_GLOSSARY).entries.values() if e.kind == "condition"]
    assert len(conditions) >= 200
    reached = [e for e in conditions if any(p.casefold() in text for p in e.en)]
    assert len(reached) / len(conditions) >= 0.9
    for zh in ("嗓子疼", "银屑病", "戒烟", "更年期", "房颤", "带状疱疹", "结膜炎", "多动症", "尿失禁", "骨关节炎"):
        assert any(e.zh == zh for e in reached), zh
