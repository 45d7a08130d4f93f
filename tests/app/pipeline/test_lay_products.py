"""Everyday words for a birth control pill (app.pipeline.lay_products): the pill the user said they take, else a
question back naming the database's pills, with the unknown product said to be not in the database."""

from __future__ import annotations

import pytest

from app.pipeline.distill import RuleDistiller
from app.pipeline.lay_products import birth_control_pills, birth_control_said, which_pill
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, routes: tuple[str, ...] = ("ORAL",), *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, aliases, "en", "", ("interactions",), routes=routes)


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        _entry("levonorgestrel-and-ethinyl-estradiol", "Levonorgestrel and Ethinyl Estradiol", ()),
        _entry("drospirenone-and-ethinyl-estradiol", "Drospirenone and Ethinyl Estradiol", (), "Yaz"),
        _entry("etonogestrel-and-ethinyl-estradiol-vaginal", "Etonogestrel and Ethinyl Estradiol Vaginal",
               ("VAGINAL",)),
        _entry("estradiol-and-norethindrone-acetate", "Estradiol and Norethindrone Acetate"),
        _entry("norgestrel", "Norgestrel"), _entry("warfarin", "Warfarin"),
    ])


@pytest.mark.parametrize(("question", "said"), [
    ("is it safe to take St John's wort with my birth control pill?", "birth control pill"),
    ("can I take ginkgo while on the pill?", "on the pill"), ("does ashwagandha affect the mini pill?", "mini pill"),
    ("is turmeric ok with contraceptive pills", "contraceptive pills"),
])
def test_birth_control_words(question: str, said: str) -> None:
    assert birth_control_said(question) == said


@pytest.mark.parametrize("question", ["Is St John's wort safe to take with birth control?",
                                      "can I take the pill with food?", "does ginkgo affect hormonal contraceptives?"])
def test_not_a_pill_or_not_said_as_one(question: str) -> None:
    assert birth_control_said(question) is None  # a ring or patch may be meant; "the pill" may be any pill


def test_the_pills_are_by_mouth_and_not_hormone_replacement(lexicon: MedicineLexicon) -> None:
    assert birth_control_pills(lexicon.names, lexicon.routes_of) == [
        "drospirenone-and-ethinyl-estradiol", "levonorgestrel-and-ethinyl-estradiol", "norgestrel"]


def test_no_pill_named_asks_which_one(lexicon: MedicineLexicon) -> None:
    d = RuleDistiller().distill([Turn("user", "is it safe to take St John's wort with my birth control pill?")],
                                lexicon)
    assert d.queries == [] and d.clarify.startswith("Which birth control pill do you take?")
    assert "Drospirenone and Ethinyl Estradiol" in d.clarify and "Vaginal" not in d.clarify
    assert "St John's wort is not in the medicine database" in d.clarify
    # the pills it names are the reply options (the web page's buttons; they were empty, a new-user trial)
    assert d.options == ("Drospirenone and Ethinyl Estradiol", "Levonorgestrel and Ethinyl Estradiol", "Norgestrel")


def test_the_question_back_reads_as_one() -> None:
    from app.pipeline.class_question import ASKED_BACK
    assert ASKED_BACK.match(which_pill(["norgestrel"], {"norgestrel": "Norgestrel"}, ["kava"]))


def test_a_pill_said_before_is_the_one_meant(lexicon: MedicineLexicon) -> None:
    dialogue = [Turn("user", "I'm on Yaz"), Turn("assistant", "Noted."),
                Turn("user", "is St John's wort ok with my birth control pill?")]
    d = RuleDistiller().distill(dialogue, lexicon)
    assert not d.clarify and "drospirenone-and-ethinyl-estradiol" in [m["medicine_id"] for m in d.audit["mentions"]]


def test_the_pill_alone_asks_which_one_or_takes_the_one_said(lexicon: MedicineLexicon) -> None:
    # nothing else named: was no_evidence ("missed my birth control pill yesterday")
    d = RuleDistiller().distill([Turn("user", "missed my birth control pill yesterday")], lexicon)
    assert d.queries == [] and d.clarify.startswith("Which birth control pill do you take?")
    assert "not in the medicine database" not in d.clarify
    dialogue = [Turn("user", "I take Yaz"), Turn("assistant", "Noted."),
                Turn("user", "missed my birth control pill yesterday")]
    d = RuleDistiller().distill(dialogue, lexicon)
    assert not d.clarify and [q.medicine for q in d.queries] == ["drospirenone-and-ethinyl-estradiol"]
