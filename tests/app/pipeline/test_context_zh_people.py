"""Chinese conversations understood as English ones are (issues 17 and 19): whose medicine (我妈妈在吃…, 她的药,
我爸的药) by person and gender, how it is taken (在吃, 吃了好几年, 最近开始, 停了, 想吃), the allergen not asked
about (我对青霉素过敏，能吃阿莫西林吗), "can I take it" (能吃吗, 可以吗) after a stated condition or beside a
medicine said to be taken, and the partner notice naming whose medicines were checked."""

from __future__ import annotations

import pytest

from app.pipeline import phrases
from app.pipeline.context import MedStatus, Owner, build_context, resolve_focus
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from app.records.mag import (
    TAKING_CUE,
    add_medication_partners,
    allergy_conflicts,
    partners_notice,
    partners_person,
)
from app.records.model import Partner
from indexing.store import MedicineEntry

_SECTIONS = ("dosage", "interactions", "pregnancy", "lactation", "contraindications", "adverse_reactions")


def _zh(mid: str, name: str) -> MedicineEntry:
    return MedicineEntry(mid, name, (), "zh", "", _SECTIONS)


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        _zh("apixaban", "阿哌沙班片"), _zh("metformin", "盐酸二甲双胍片"), _zh("warfarin", "华法林钠片"),
        _zh("naproxen", "萘普生片"), _zh("ibuprofen", "布洛芬缓释胶囊"), _zh("omeprazole", "奥美拉唑肠溶胶囊"),
        _zh("amoxicillin", "阿莫西林胶囊"), _zh("penicillin", "青霉素钠"), _zh("atorvastatin", "阿托伐他汀钙片"),
        _zh("acetaminophen", "对乙酰氨基酚片"), _zh("aspirin", "阿司匹林肠溶片"),
    ])


def _dialogue(*user_turns: str) -> list[Turn]:
    out: list[Turn] = []
    for text in user_turns[:-1]:
        out += [Turn("user", text), Turn("assistant", "好的。")]
    return [*out, Turn("user", user_turns[-1])]


def _said(lexicon: MedicineLexicon, *turns: str) -> dict[str, tuple[str, str, str | None, str | None]]:
    context = build_context(_dialogue(*turns), lexicon)
    return {m.medicine_id or m.surface: (m.owner.value, m.status.value, m.person, m.gender)
            for m in context.latest()}


def test_relatives_said_in_chinese_keep_person_and_gender(lexicon: MedicineLexicon) -> None:
    said = _said(lexicon, "我妈妈在吃阿哌沙班，我爸在吃二甲双胍", "好的")
    assert said["apixaban"] == ("relative", "current", "mother", "female")
    assert said["metformin"] == ("relative", "current", "father", "male")
    said = _said(lexicon, "我老公一直吃华法林。", "他最近开始吃阿莫西林", "嗯")
    assert said["warfarin"] == ("relative", "long_term", "husband", "male")
    assert said["amoxicillin"][:3] == ("relative", "new", "husband")  # 他: the husband named before


@pytest.mark.parametrize(("question", "meant"), [
    ("她的药有什么副作用？", "apixaban"),
    ("我爸的药一天吃几次", "metformin"),
    ("他的药能和布洛芬一起吃吗", "metformin"),
    ("我妈的那个药要饭后吃吗", "apixaban"),
])
def test_her_medicine_and_dads_medicine_resolve_by_person(lexicon: MedicineLexicon, question: str,
                                                          meant: str) -> None:
    dialogue = _dialogue("我妈妈在吃阿哌沙班，我爸在吃二甲双胍", question)
    context = build_context(dialogue, lexicon)
    focus = resolve_focus(question, context, len(dialogue) - 1)
    assert [m.medicine_id for m in focus.chosen] == [meant] and not focus.tied


@pytest.mark.parametrize("question", ["我的那个早上空腹吃对吗", "我那个药要饭后吃吗", "我吃的那个要查肾功能吗"])
def test_my_one_said_with_a_demonstrative_is_the_users_medicine(lexicon: MedicineLexicon, question: str) -> None:
    """我的那个 after a relative's medicine and the user's own: the user's, not both (a wrong medicine)."""
    dialogue = _dialogue("我爸吃阿托伐他汀，我吃二甲双胍", question)
    context = build_context(dialogue, lexicon)
    focus = resolve_focus(question, context, len(dialogue) - 1)
    assert [m.medicine_id for m in focus.chosen] == ["metformin"] and not focus.tied


def test_how_a_medicine_is_taken_in_chinese(lexicon: MedicineLexicon) -> None:
    said = _said(lexicon, "我吃了好几年的华法林", "上周刚开始吃奥美拉唑", "阿司匹林我已经停了", "医生让我考虑萘普生",
                 "好")
    assert {k: v[1] for k, v in said.items()} == {"warfarin": "long_term", "omeprazole": "new",
                                                  "aspirin": "stopped", "naproxen": "considered"}
    # the user's own; "the new one" is the one just started
    assert all(v[0] == "user" for v in said.values())
    dialogue = _dialogue("我吃了好几年的华法林", "最近开始吃阿莫西林", "新的药有什么副作用")
    focus = resolve_focus("新的药有什么副作用", build_context(dialogue, lexicon), 4)
    assert [m.medicine_id for m in focus.chosen] == ["amoxicillin"]


def test_a_name_with_ta_in_it_is_not_a_person(lexicon: MedicineLexicon) -> None:
    said = _said(lexicon, "我在吃阿托伐他汀", "能吃布洛芬吗")
    assert said["atorvastatin"] == ("user", "current", None, None)


def test_a_stated_medicine_in_the_asking_turn_is_taken(lexicon: MedicineLexicon) -> None:
    context = build_context(_dialogue("我在吃华法林，能吃布洛芬吗"), lexicon)
    status = {m.medicine_id: m.status for m in context.medicines}
    assert status == {"warfarin": MedStatus.CURRENT, "ibuprofen": MedStatus.ASKED}


@pytest.mark.parametrize("question", ["我对青霉素过敏，能吃阿莫西林吗", "对青霉素过敏的人可以用阿莫西林吗？",
                                      "I'm allergic to penicillin, can I take amoxicillin?"])
def test_the_allergen_is_not_asked_about(lexicon: MedicineLexicon, question: str) -> None:
    english = MedicineLexicon([_zh("amoxicillin", "阿莫西林胶囊"), _zh("penicillin", "青霉素钠"),
                               MedicineEntry("amoxicillin-en", "Amoxicillin", (), "en", "", _SECTIONS),
                               MedicineEntry("penicillin-en", "Penicillin G", ("penicillin",), "en", "", _SECTIONS)])
    d = RuleDistiller().distill([Turn("user", question)], english)
    assert {q.medicine for q in d.queries} <= {"amoxicillin", "amoxicillin-en"} and d.queries
    assert not d.unknown_drugs


@pytest.mark.parametrize("question", ["阿莫西林胶囊青霉素过敏能吃吗", "阿莫西林我青霉素过敏可以吃吗"])
def test_a_name_running_on_into_the_allergen_is_asked_about(lexicon: MedicineLexicon, question: str) -> None:
    """No pause between the medicine asked about and the allergen before 过敏: the first name is asked (it was
    taken for part of the allergen and nothing was asked), the allergen left out."""
    d = RuleDistiller().distill([Turn("user", question)], lexicon)
    assert [q.medicine for q in d.queries] == ["amoxicillin"]
    context = build_context([Turn("user", question)], lexicon)
    assert [m.medicine_id for m in context.medicines] == ["amoxicillin"]


def test_a_penicillin_allergy_said_in_chinese_alerts_on_amoxicillin(lexicon: MedicineLexicon) -> None:
    label = "Amoxicillin is contraindicated in patients with hypersensitivity to beta-lactams (e.g., penicillins)."
    conflicts = allergy_conflicts(["amoxicillin"], None, lexicon, lambda _mid: label, said=["青霉素"])
    assert [(c.medicine_id, c.allergy, c.said) for c in conflicts] == [("amoxicillin", "青霉素", True)]
    other = "Do not use with aspirin."
    assert allergy_conflicts(["naproxen"], None, lexicon, lambda _mid: other, said=["青霉素"]) == []


@pytest.mark.parametrize(("turns", "section"), [
    (("我怀孕了", "对乙酰氨基酚能吃吗"), "pregnancy"),
    (("我现在怀孕五个月", "布洛芬可以吃吗？"), "pregnancy"),
    (("我在哺乳期", "奥美拉唑能用吗"), "lactation"),
    (("我怀孕了", "对乙酰氨基酚一天能吃几次"), "dosage"),  # a dose question stays one
])
def test_can_i_take_it_after_a_stated_condition(lexicon: MedicineLexicon, turns: tuple[str, ...],
                                                section: str) -> None:
    d = RuleDistiller().distill(_dialogue(*turns), lexicon)
    assert [q.attribute for q in d.queries][:1] == [section]


@pytest.mark.parametrize(("question", "asks"), [
    ("能吃吗", True), ("可以吃吗？", True), ("能用吗", True), ("可以吗", True), ("他能吃萘普生吗", True),
    ("想吃奥美拉唑，可以吗", True), ("能和布洛芬一起吃吗", True), ("这两个药能不能同时吃", True),
    ("一天能吃几次", False), ("布洛芬有什么副作用", False), ("阿托伐他汀怎么保存", False),
    # a short reason after the question, not a second ask
    ("她能吃点阿莫西林吗，牙疼", True), ("能吃布洛芬吗，腰疼得厉害", True), ("能吃阿莫西林吗，一天几次", False),
    # English: a relative named bare ("Can dad take naproxen?") as "he" would be
    ("Can dad take naproxen?", True), ("can the baby have tylenol", True), ("Should grandma still use it?", True),
    ("Can I take naproxen?", True), ("Can dad's dose be split?", False),
])
def test_chinese_taking_cue(question: str, asks: bool) -> None:
    assert (TAKING_CUE.search(question) is not None) is asks


@pytest.mark.parametrize(("turns", "asked", "partner", "en", "zh"), [
    (("我在吃华法林", "想吃奥美拉唑，可以吗"), "omeprazole", "warfarin", "you take", "已与您提到正在服用"),
    (("我爸在吃华法林", "他能吃萘普生吗"), "naproxen", "warfarin", "your father takes", "您父亲正在服用"),
    (("我妈妈在吃阿哌沙班", "她可以吃布洛芬吗"), "ibuprofen", "apixaban", "your mother takes", "您母亲正在服用"),
    (("我妈在吃华法林", "她能吃点阿莫西林吗，牙疼"), "amoxicillin", "warfarin", "your mother takes", "您母亲正在服用"),
])
def test_a_medicine_said_to_be_taken_is_a_partner(lexicon: MedicineLexicon, turns: tuple[str, ...], asked: str,
                                                  partner: str, en: str, zh: str) -> None:
    dialogue = _dialogue(*turns)
    context = build_context(dialogue, lexicon)
    distilled = RuleDistiller().distill(dialogue, lexicon, context)
    distilled, partners = add_medication_partners(distilled, turns[-1], None, lexicon, context)
    assert [p.medicine_id for p in partners] == [partner]
    assert {(asked, "interactions"), (partner, "interactions")} <= {(q.medicine, q.attribute)
                                                                     for q in distilled.queries}
    person = partners_person(context, turns[-1])
    assert f"you said {en}:" in partners_notice(partners, person)
    assert zh in phrases.partners_zh([], [p.name for p in partners], person)


def test_partner_notice_says_whose_medicines(lexicon: MedicineLexicon) -> None:
    context = build_context(_dialogue("My mother takes apixaban.", "Is it ok for her to take ibuprofen?"),
                            MedicineLexicon([MedicineEntry("apixaban", "Apixaban", (), "en", "", _SECTIONS),
                                             MedicineEntry("ibuprofen", "Ibuprofen", (), "en", "", _SECTIONS)]))
    person = partners_person(context, "Is it ok for her to take ibuprofen?")
    assert person == ("mother", "female")
    assert context.medicines[0].owner is Owner.RELATIVE
    said = [Partner("apixaban", "Apixaban", "said in this conversation")]
    assert partners_notice(said, person) == "Checked against the medicines you said your mother takes: Apixaban."
    assert partners_notice(said, None) == "Checked against the medicines you said you take: Apixaban."
    assert partners_notice(said, (None, "male")).endswith("you said he takes: Apixaban.")


@pytest.mark.parametrize("added", ["最近医生又加了阿莫西林", "医生给我加用阿莫西林", "这周加了阿莫西林"])
def test_a_medicine_the_doctor_added_is_the_new_one(lexicon: MedicineLexicon, added: str) -> None:
    """我一直在吃二甲双胍，最近医生又加了X (session 9): X is new, so 新开的那个 later is X, not both."""
    said = _said(lexicon, f"我一直在吃二甲双胍，{added}", "好的")
    assert said["metformin"][1] == "long_term" and said["amoxicillin"][1] == "new"
    dialogue = _dialogue(f"我一直在吃二甲双胍，{added}", "今天好冷", "新开的那个会引起皮疹吗")
    focus = resolve_focus("新开的那个会引起皮疹吗", build_context(dialogue, lexicon), len(dialogue) - 1)
    assert [m.medicine_id for m in focus.chosen] == ["amoxicillin"]


def test_a_dose_raised_is_not_a_new_medicine(lexicon: MedicineLexicon) -> None:
    assert _said(lexicon, "华法林剂量增加了", "好的")["warfarin"][1] != "new"


@pytest.mark.parametrize(("said", "question"), [
    ("医生让我把华法林换成阿哌沙班", "新的这个要饭后吃吗"),
    ("以前吃华法林，现在换成了阿哌沙班", "新换的那个有什么副作用"),
    ("我把华法林停了，改吃阿哌沙班", "新的那种能和布洛芬一起吃吗"),
])
def test_a_switch_said_in_an_earlier_turn_leaves_the_old_one(lexicon: MedicineLexicon, said: str,
                                                            question: str) -> None:
    """Session 9: 把A换成B in a turn before the question: A is stopped, B new, and 新的这个 is B."""
    assert _said(lexicon, said, "好的")["apixaban"][1] == "new"
    assert _said(lexicon, said, "好的")["warfarin"][1] == "stopped"
    dialogue = _dialogue(said, question)
    focus = resolve_focus(question, build_context(dialogue, lexicon), len(dialogue) - 1)
    assert [m.medicine_id for m in focus.chosen] == ["apixaban"]
