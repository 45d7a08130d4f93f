"""Session 12's new-user trial (helper 106): a which-medicine question after medicines (or a product the
database lacks) were said is a new question; Chinese "吃什么退烧药" asks which medicine; a self-care list drops
medicines only given by injection; "st johns wort" is the label's "St. John's Wort"."""

from __future__ import annotations

from app.pipeline.distill import RuleDistiller, _possessive_optional
from app.pipeline.indication_search import asks_self_care, asks_which_medicine, condition_asked
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from indexing.store import MedicineEntry


def _lexicon() -> MedicineLexicon:
    return MedicineLexicon([MedicineEntry("levothyroxine", "Levothyroxine", (), "en", "", ("dosage", "interactions")),
                            MedicineEntry("warfarin", "Warfarin", (), "en", "", ("dosage", "interactions"))],
                           extra_drug_names=["calcium carbonate", "calcium"])


def _distill(*said: str):  # type: ignore[no-untyped-def]
    dialogue: list[Turn] = []
    for text in said:
        dialogue += [Turn("user", text), Turn("assistant", "Okay.")]
    return RuleDistiller().distill(dialogue[:-1], _lexicon())


def test_a_which_medicine_question_after_a_missing_product_is_a_new_question() -> None:
    d = _distill("I take levothyroxine every morning",
                 "My GP just added calcium tablets. Do I space them apart from the thyroid one?",
                 "what can i take for hay fever? i drive a lorry so nothing that makes me drowsy")
    assert d.indication_search == "hay fever" and not d.unknown_drugs, d
    d = _distill("I take levothyroxine every morning", "what can i take for hay fever?")
    assert d.indication_search == "hay fever" and not any(q.medicine for q in d.queries), d


def test_a_which_medicine_question_taking_the_earlier_medicine_along_still_reads_it() -> None:
    d = _distill("I'm on warfarin", "what can I take for a headache that is safe with it?")
    assert "warfarin" in {q.medicine for q in d.queries}, d


def test_chinese_which_fever_reducer_asks_which_medicine_for_fever() -> None:
    assert asks_which_medicine("孩子发烧38.5度，可以吃什么退烧药？")
    assert condition_asked("孩子发烧38.5度，可以吃什么退烧药？") == "发烧"
    assert condition_asked("可以吃什么退烧药？") in ("发烧", "退烧")  # the glossary knows both
    assert asks_self_care("可以吃什么止痛药？")
    assert not asks_which_medicine("什么时候吃药最好？")


def test_st_johns_wort_is_said_as_the_label_writes_it() -> None:
    import re

    pattern = re.compile(r"\b" + r"\W+".join(map(_possessive_optional, "st johns wort".split())) + r"\b", re.I)
    assert pattern.search("tryptophan, and St. John's Wort) increases the risk")
    assert pattern.search("st johns wort")
    assert _possessive_optional("is") == "is"
