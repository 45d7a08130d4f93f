"""Chinese questions written by hand in the seventh session (issue 19; the dev items of
eval/data/consult_zh_dev7.jsonl were written the same way, these are other wordings): drowsy and dazed said as
people say it (会困, 迷迷糊糊, 头昏昏沉沉), what is seen (看东西发黄), an effect felt by a child or an old person
(the adverse reactions before the population's own section), whether it may be taken for long (能一直吃吗:
the warnings; 要一直吃吗 stays the duration, the dosage), what it does to one organ (对肝有影响吗: the warnings),
how soon it works or that it does not (多久见效, 吃了血压还是高: the dosage), what medicine it is (是什么药:
the indications)."""

from __future__ import annotations

import pytest

from app.pipeline.zh_sections import topic_sections


@pytest.mark.parametrize(("question", "first"), [
    # drowsy, dazed, slow: the adverse reactions (the English label's drowsiness lines)
    ("茶苯海明吃了会困吗", "adverse_reactions"),
    ("这个抗过敏药吃了特别困，怎么回事", "adverse_reactions"),
    ("吃了安眠药第二天还迷迷糊糊的", "adverse_reactions"),
    ("吃了地西泮早上起来头昏昏沉沉", "adverse_reactions"),
    ("吃了以后反应变慢了，正常吗", "adverse_reactions"),
    ("地高辛吃了看东西发黄是怎么回事", "adverse_reactions"),
    # may it be taken for long: the warnings
    ("奥美拉唑能一直吃下去吗", "warnings"),
    ("艾司唑仑吃久了会上瘾吗", "warnings"),
    # what it does to one organ: the warnings
    ("二甲双胍对肝有影响吗", "warnings"),
    ("他汀对血糖有没有影响", "warnings"),
    # how soon it works, or that it does not: the dosage
    ("舍曲林吃了多久能见效", "dosage"),
    ("吃了西地那非多久起效", "dosage"),
    ("吃了氨氯地平血压还是高怎么办", "dosage"),
    ("硝苯地平吃了两个礼拜了，血压还是偏高", "dosage"),
    ("布洛芬吃了没用还疼", "dosage"),
    # what kind of medicine it is: the indications
    ("舍曲林是什么药", "indications"),
])
def test_topic_first_section(question: str, first: str) -> None:
    assert topic_sections(question)[0] == first


@pytest.mark.parametrize(("question", "sections"), [
    # an effect felt by a child or an old person: the adverse reactions, then their section
    ("孩子吃了头孢克洛起了一身疹子", ("adverse_reactions", "pediatric")),
    ("我妈72岁，一直吃氨氯地平，最近脚踝肿得厉害，是不是药闹的", ("adverse_reactions", "geriatric")),
    ("宝宝喝了阿奇霉素以后拉肚子", ("adverse_reactions", "pediatric")),
    # two asks parted by a space, one of them the time of day: both, in the order asked
    ("阿托伐他汀晚上吃还是早上吃 能长期吃吗", ("dosage", "warnings")),
    ("瑞舒伐他汀什么时候吃最好，会伤肝吗", ("dosage", "warnings")),
    # a child taking it for long: the warnings, then the children's section
    ("孩子10岁，哮喘，孟鲁司特能长期吃吗", ("warnings", "pediatric")),
])
def test_population_with_an_effect_or_long_use(question: str, sections: tuple[str, ...]) -> None:
    assert topic_sections(question)[:2] == sections


# Guards: wordings next to the new ones whose sections must not move (they pass before the change too).
@pytest.mark.parametrize(("question", "first"), [
    ("泼尼松可以长期吃吗，有啥影响", "warnings"),
    ("需要一直吃吗", "dosage"),  # whether it must be continued: the duration
    ("我血压一直很高，能吃布洛芬吗", None),  # a condition told, not a medicine that does not work
    ("我没用过这个药，第一次吃", None),  # 没用过: never taken
    ("孩子吃了美林以后还在发烧，一次吃多少", "dosage"),  # a dose asked leads over a symptom told
    ("孩子3岁，能吃吗？吃多少？", "pediatric"),
    ("吃了以后呼吸困难，怎么办", "adverse_reactions"),  # 困难 is no drowsiness, still an effect
    ("我怀孕了，吃了以后恶心，会影响宝宝吗", "pregnancy"),  # pregnancy stays its own section
])
def test_neighbours_keep_their_sections(question: str, first: str | None) -> None:
    assert (topic_sections(question) or (None,))[0] == first


@pytest.mark.parametrize("question", ["易蒙停拉肚子一天最多吃几颗", "一次吃几颗", "一天吃幾顆"])
def test_ke_counts_pills_as_pian_and_li_do(question: str) -> None:
    """颗 is as common a pill count as 片 and 粒: "一天最多吃几颗" asks the dose (it asked nothing)."""
    from app.pipeline.zh_script import to_simplified
    from app.pipeline.zh_sections import clause_asks

    assert clause_asks(to_simplified(question)) == ["dosage"]


@pytest.mark.parametrize(("question", "first"), [
    ("阿仑膦酸钠为什么吃完要站半小时", "dosage"),
    ("吃了能马上躺下吗", "dosage"),
    ("吃了以后坐立不安", None),  # restlessness, not a posture
])
def test_the_posture_after_a_dose_is_how_it_is_taken(question: str, first: str | None) -> None:
    """Standing or lying after a dose (bisphosphonates, doxycycline) is said in the directions: it asked nothing."""
    assert (topic_sections(question) or (None,))[0] == first
