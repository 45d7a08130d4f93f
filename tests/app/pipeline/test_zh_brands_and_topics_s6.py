"""Chinese questions written by hand for issue 19 (sixth session; the dev set eval/data/consult_zh_dev5.jsonl was
written the same way, these are other wordings): brands of mainland China, Taiwan and Hong Kong the name table
lacked, supplements and Chinese OTC brands without a US label, a homophone of 氟, and the topics a question
about tests, a count of doses, the first bite of a meal, weight, a pain felt somewhere or grapefruit asks."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.context import Owner, question_owner
from app.pipeline.generic_names import SHIPPED_TABLE, shipped_name_table
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.zh_products import SHIPPED_ZH_PRODUCTS, shipped_zh_products
from app.pipeline.zh_script import to_simplified
from app.pipeline.zh_sections import topic_of, topic_sections
from indexing.store import MedicineEntry

_SECTIONS = ("dosage", "interactions", "warnings", "adverse_reactions", "indications", "pediatric")
_LABELS = {  # id -> English name, as the shipped database names them
    "ibuprofen": "Ibuprofen", "acetaminophen": "Acetaminophen", "amlodipine": "Amlodipine",
    "clopidogrel": "Clopidogrel", "metformin": "Metformin", "rosuvastatin": "Rosuvastatin",
    "oseltamivir-phosphate": "Oseltamivir Phosphate", "sildenafil": "Sildenafil", "warfarin": "Warfarin",
    "indapamide": "Indapamide", "valacyclovir": "Valacyclovir", "levofloxacin": "Levofloxacin",
    "zolpidem-tartrate": "Zolpidem Tartrate", "aripiprazole": "Aripiprazole",
}


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    if not SHIPPED_TABLE.is_file():
        pytest.skip("the shipped generic-name table is absent")
    entries = [MedicineEntry(mid, name, (), "en", "", _SECTIONS) for mid, name in _LABELS.items()]
    return MedicineLexicon(entries, name_table=shipped_name_table())


@pytest.mark.parametrize(("question", "medicine"), [
    ("孩子发烧，美林喂几毫升", "ibuprofen"),  # children's ibuprofen, the best-known brand for it
    ("寿比山早上吃还是晚上吃", "indapamide"),
    ("维德思一天吃几次", "valacyclovir"),
    ("安律凡会不会让人发胖", "aripiprazole"),
    # Taiwan and Hong Kong brands, in traditional script as written there
    ("懷孕可以吃普拿疼嗎", "acetaminophen"),
    ("必理痛一次吃幾粒", "acetaminophen"),
    ("我在吃脈優，血壓還是高", "amlodipine"),
    ("保栓通要吃多久", "clopidogrel"),
    ("庫魯化飯前還是飯後吃", "metformin"),
    ("冠脂妥晚上吃嗎", "rosuvastatin"),
    ("克流感小朋友要吃幾天", "oseltamivir-phosphate"),
    ("威而鋼有什麼副作用", "sildenafil"),
    ("可邁丁要抽血嗎", "warfarin"),
    ("史蒂諾斯吃完能開車嗎", "zolpidem-tartrate"),
    # 佛 written for 氟 in a long name
    ("左氧佛沙星吃了脚后跟疼", "levofloxacin"),
])
def test_brands_and_variants_reach_the_label(lexicon: MedicineLexicon, question: str, medicine: str) -> None:
    assert [m.medicine_id for m in lexicon.find(question)] == [medicine]


def test_a_short_name_is_read_through_a_homophone_only() -> None:
    lex = MedicineLexicon([MedicineEntry("fluconazole", "Fluconazole", ("氟康唑",), "en", "", _SECTIONS)])
    # three characters: a character of another sound is not read through; one of the same sound is (session 10,
    # app.pipeline.zh_homophones), but not the first one (佛 for 氟)
    assert [m.medicine_id for m in lex.find("氟康酮能吃吗")] == []
    assert [m.medicine_id for m in lex.find("佛康唑能吃吗")] == []
    assert [m.medicine_id for m in lex.find("氟糠唑能吃吗")] == ["fluconazole"]


@pytest.mark.skipif(not SHIPPED_ZH_PRODUCTS.is_file(), reason="the shipped Chinese product list is absent")
@pytest.mark.parametrize("question", ["善存多维元素片一天几片", "氨糖对膝盖有用吗", "宝宝吃妈咪爱能用热水冲吗",
                                      "斯达舒饭前吃吗", "黛力新能长期吃吗", "辅酶Q10和他汀能一起吃吗"])
def test_supplements_and_chinese_otc_brands_are_not_in_the_database(question: str) -> None:
    assert {"善存", "氨糖", "妈咪爱", "辅酶q10"} <= shipped_zh_products()
    lex = MedicineLexicon([MedicineEntry("glucose", "Dextrose", ("葡萄糖",), "en", "", _SECTIONS)])
    found = lex.find(question)
    assert found and all(m.medicine_id is None and m.how == "unknown" for m in found), found


def test_glucosamine_is_not_read_as_glucose() -> None:
    lex = MedicineLexicon([MedicineEntry("glucose", "Dextrose", ("葡萄糖",), "en", "", _SECTIONS)])
    assert [(m.surface, m.medicine_id) for m in lex.find("氨基葡萄糖要吃多久")] == [("氨基葡萄糖", None)]


@pytest.mark.parametrize(("question", "sections"), [
    # tests while taking it: the warnings say which
    ("可达龙要定期查甲状腺吗", ("warnings", "dosage")),
    ("吃华法林需要多久抽血复查一次", ("warnings", "dosage")),
    # whether a count of doses is enough is the dose
    ("大扶康吃一粒就行了吗", ("dosage",)),
    ("两片够不够", ("dosage",)),
    ("孩子吃半片够吗", ("dosage", "pediatric")),
    # with a meal is how to take it, not an interaction
    ("拜唐苹是要跟第一口饭一起嚼吗", ("dosage",)),
    ("能和饭一起吃吗", ("dosage",)),
    # weight and a pain felt somewhere after taking it, or asked before
    ("普瑞巴林吃了会长胖吗", ("adverse_reactions", "warnings")),
    ("这药会不会发胖", ("adverse_reactions", "warnings")),
    ("左氧氟沙星吃了脚后跟疼", ("adverse_reactions", "warnings")),
    # a serious harm with a word between: 血钾会高
    ("氯沙坦吃了血钾会高吗", ("warnings", "boxed_warning")),
    # grapefruit and juices beside it
    ("能跟柚子一起吃吗", ("interactions", "dosage")),
    ("吃非索非那定能喝橙汁吗", ("interactions", "dosage")),
    # an effect asked why it happens, the INR aimed at, a supplement it calls for, two compared with words
    # between, breakfast, a regimen of days on and off
    ("螺内酯为什么会乳房胀痛", ("adverse_reactions", "warnings")),
    ("华法林的INR要控制在多少", ("dosage", "warnings")),
    ("吃华法林要查INR吗", ("warnings", "dosage")),
    ("吃泼尼松要补钙吗", ("warnings", "interactions")),
    ("缬沙坦和氨氯地平哪个降压效果好", ("indications", "description")),
    ("左甲状腺素钠片能和早饭一起吃吗", ("dosage",)),
    ("阿奇霉素吃三天停四天是什么意思", ("dosage",)),
    # what it does to the body asked whole, and what it is taken to do
    ("我在吃比索洛尔，对身体健康可能有什么影响", ("adverse_reactions", "warnings")),
    ("吃久了有什么坏处", ("adverse_reactions", "warnings")),
    ("吃阿司匹林能让血管通畅吗", ("indications",)),
])
def test_topics_say_which_sections(question: str, sections: tuple[str, ...]) -> None:
    assert topic_sections(question) == sections


@pytest.mark.parametrize("question", ["能和布洛芬一起吃吗", "阿莫西林跟克拉霉素能一起用吗"])
def test_two_medicines_together_stay_an_interaction(question: str) -> None:
    assert topic_of(question) is None
    assert classify_attribute(question).attribute is not None
    assert classify_attribute(question).attribute.value == "interactions"


@pytest.mark.parametrize("question", ["能跟饭一起吃吗", "能和早饭一起吃吗", "可以跟午餐一起吃吗"])
def test_a_meal_is_no_interaction_cue(question: str) -> None:
    assert classify_attribute(question).scores.get("interactions", 0.0) == 0.0


@pytest.mark.parametrize("question", ["他感冒了能吃泰诺吗", "她发烧了能吃布洛芬吗", "他头疼能吃点什么", "她这两天咳嗽"])
def test_he_or_she_said_with_how_they_are_is_a_relative(question: str) -> None:
    assert question_owner(question) is Owner.RELATIVE


@pytest.mark.parametrize("question", ["阿托伐他汀能吃吗", "他克莫司要查血药浓度吗", "扶他林能涂吗"])
def test_he_inside_a_name_is_nobody(question: str) -> None:
    assert question_owner(question) is None


def test_traditional_characters_of_the_new_names_fold() -> None:
    assert to_simplified("脈優 庫魯化 樂復得 威而鋼 樂威壯 可邁丁 耐適恩 克憂果") == \
        "脉优 库鲁化 乐复得 威而钢 乐威壮 可迈丁 耐适恩 克忧果"


def _short_brands() -> MedicineLexicon:
    def en(mid: str, *names: str) -> MedicineEntry:
        return MedicineEntry(mid, mid.title(), names, "en", "", _SECTIONS)

    return MedicineLexicon([
        en("bisoprolol", "比索洛尔", "康可"), en("midodrine", "米多君", "管通"), en("cinacalcet", "西那卡塞", "盖平"),
        en("tolterodine", "托特罗定", "得妥"), en("aprepitant", "阿瑞匹坦", "意美"),
        en("infliximab", "英夫利西单抗", "类克"),
        en("ibuprofen", "布洛芬", "美林"), en("clarithromycin", "克拉霉素"), en("aspirin", "阿司匹林"),
        en("diazepam", "地西泮", "安定"), en("rosuvastatin", "瑞舒伐他汀", "可定"),
    ])


@pytest.mark.parametrize(("question", "medicines"), [
    ("吃阿司匹林对身体健康可能有什么影响", ["aspirin"]),  # 健康|可能, not 康可
    ("吃阿司匹林能让血管通畅吗", ["aspirin"]),  # 血管|通畅, not 管通
    ("吃了以后膝盖平时也疼", []),  # 膝盖|平时
    ("我觉得妥当吗", []),  # 觉得|妥当
    ("要注意美林的用量吗", ["ibuprofen"]),  # 注意|美林, not 意美
    ("这类克拉霉素的药能和阿司匹林一起吃吗", ["clarithromycin", "aspirin"]),  # 这类|克拉霉素, not 类克
    ("吃了心里很不安定", []),  # 不安
    ("二甲双胍可定期吃吗", []),  # 可|定期
    # the brands themselves are still read, and 期间 after one keeps it
    ("康可一天吃几片", ["bisoprolol"]), ("管通饭前吃吗", ["midodrine"]), ("我在吃安定", ["diazepam"]),
    ("类克多久打一次", ["infliximab"]), ("吃可定期间要查肝功能吗", ["rosuvastatin"]),
    ("吃安定期间能开车吗", ["diazepam"]), ("美林喂几毫升", ["ibuprofen"]), ("意美和地塞米松一起用吗", ["aprepitant"]),
])
def test_two_character_brands_are_not_read_across_words(question: str, medicines: list[str]) -> None:
    assert [m.medicine_id for m in _short_brands().find(question)] == medicines


@pytest.mark.skipif(not SHIPPED_ZH_PRODUCTS.is_file(), reason="the shipped Chinese product list is absent")
@pytest.mark.parametrize(("question", "product"), [
    ("那倍他司汀能和华法林一起吃吗", "倍他司汀"), ("吃华法林能吃丹参片吗", "丹参片"),
    ("吃阿托伐他汀还能吃红曲吗", "红曲"),
    ("二甲双胍和消渴丸能一起吃吗", "消渴丸"), ("宝宝在吃伊可新", "伊可新"), ("维生素E和华法林", "维生素e"),
])
def test_medicines_sold_in_china_without_a_us_label_are_named_not_in_the_database(question: str, product: str) -> None:
    lex = MedicineLexicon([MedicineEntry("warfarin", "Warfarin", ("华法林",), "en", "", _SECTIONS),
                           MedicineEntry("atorvastatin", "Atorvastatin", ("阿托伐他汀",), "en", "", _SECTIONS),
                           MedicineEntry("metformin", "Metformin", ("二甲双胍",), "en", "", _SECTIONS)])
    unknown = [m.surface for m in lex.find(question) if m.medicine_id is None]
    assert [u.casefold() for u in unknown] == [product]


@pytest.mark.parametrize(("question", "found"), [
    # two held names written together with a form after: one combination product the database lacks
    ("厄贝沙坦氢氯噻嗪片一天几片", [("厄贝沙坦氢氯噻嗪", None)]),
    ("氯沙坦钾氢氯噻嗪片饭前吃吗", [("氯沙坦钾氢氯噻嗪", None)]),
    ("氨氯地平阿托伐他汀钙片晚上吃吗", [("氨氯地平阿托伐他汀钙", None)]),
    # without a form after, or with a word between, two medicines
    ("华法林地高辛能一起吃吗", [("华法林", "warfarin"), ("地高辛", "digoxin")]),
    ("氯沙坦钾片和氢氯噻嗪片能一起吃吗", [("氯沙坦钾", "losartan"), ("氢氯噻嗪", "hydrochlorothiazide")]),
    # a combination the database holds is its own, longer name
    ("缬沙坦氢氯噻嗪片饭前吃吗", [("缬沙坦氢氯噻嗪", "valsartan-hctz")]),
])
def test_a_combination_product_is_one_name(question: str, found: list[tuple[str, str | None]]) -> None:
    def en(mid: str, *names: str) -> MedicineEntry:
        return MedicineEntry(mid, mid.title(), names, "en", "", _SECTIONS)

    lex = MedicineLexicon([en("irbesartan", "厄贝沙坦"), en("hydrochlorothiazide", "氢氯噻嗪"),
                           en("losartan", "氯沙坦钾"), en("amlodipine", "氨氯地平"), en("atorvastatin", "阿托伐他汀钙"),
                           en("warfarin", "华法林"),
                           en("digoxin", "地高辛"), en("valsartan", "缬沙坦"), en("valsartan-hctz", "缬沙坦氢氯噻嗪")])
    assert [(m.surface, m.medicine_id) for m in lex.find(question)] == found


@pytest.mark.parametrize(("question", "owner"), [
    ("我老公在吃氯吡格雷，我自己能吃布洛芬吗", Owner.USER),  # the last clause naming a person says whose
    ("我爸在吃华法林，他能吃布洛芬吗", Owner.RELATIVE),
    ("我妈血压高，能吃布洛芬吗", Owner.RELATIVE),
    ("我在吃华法林，能吃布洛芬吗", Owner.USER),
])
def test_whose_question_a_chinese_clause_says(question: str, owner: Owner) -> None:
    assert question_owner(question) is owner
