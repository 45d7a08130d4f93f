"""Names and conditions that a discharge and night-line week showed (session 21): a product named after a person
("Night Nurse") said of the person; a condition asked for after one a taken medicine treats ("I'm on Priadel for
bipolar ... Period pains are awful tonight, what can I take?"); and a brand the database lacks whose generic the
listed medicines' labels name (Priadel is lithium: ibuprofen's lithium line is quoted)."""

from __future__ import annotations

import pytest

from app.pipeline.indication_search import condition_asked
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.synonyms import drug_synonyms
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "adverse_reactions"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    entries = [_entry("haloperidol", "Haloperidol"), _entry("acetaminophen", "Acetaminophen", "Paracetamol"),
               _entry("warfarin", "Warfarin")]
    return MedicineLexicon(entries, synonyms={"night nurse": "acetaminophen, promethazine and dextromethorphan"},
                           products=["night nurse"])


def _found(lexicon: MedicineLexicon, text: str) -> list[tuple[str, str | None]]:
    return [(m.surface, m.medicine_id) for m in lexicon.find(text)]


@pytest.mark.parametrize("text", [
    "Night nurse on a psych ward. Pt on haloperidol, does its label warn on QT?",
    "I'm a night nurse. Pt on haloperidol, does its label warn on QT?",
    "The night nurse said he can have haloperidol tonight",
])
def test_a_night_nurse_is_a_person_when_said_of_one(lexicon: MedicineLexicon, text: str) -> None:
    assert _found(lexicon, text) == [("haloperidol", "haloperidol")]


@pytest.mark.parametrize("text", [
    "Can I take Night Nurse with my warfarin?",
    "Can I take a Night Nurse on top of my warfarin?",
    "I bought some night nurse, is it ok with warfarin",
])
def test_night_nurse_taken_or_bought_is_the_product(lexicon: MedicineLexicon, text: str) -> None:
    assert ("night nurse", None) in _found(lexicon, text)


@pytest.mark.parametrize(("question", "condition"), [
    ("I'm on Priadel for bipolar, level was fine last month. Period pains are awful tonight, what can I take?",
     "period pains"),
    ("I take sertraline for depression. I have a headache, what can I take?", "headache"),
    ("My back is killing me, what can I take?", "back"),
    ("I keep getting leg cramps. What should I take?", "leg cramps"),
    ("which medicine is used for bipolar?", "bipolar"),
])
def test_the_condition_asked_is_not_what_a_taken_medicine_treats(question: str, condition: str) -> None:
    assert condition_asked(question) == condition


def test_period_pains_and_a_bad_back_reach_the_labels_words() -> None:
    from app.pipeline.indication_search import _phrases

    assert "dysmenorrhea" in _phrases("period pains")
    assert "backache" in _phrases("back")


def test_a_uk_lithium_brand_is_named_and_its_generic_read_in_the_listed_labels() -> None:
    assert drug_synonyms()["priadel"] == "lithium"
    from app.pipeline.indication_search import _name_said

    said = _name_said("Priadel|lithium")
    assert said is not None and said.search("when ibuprofen and lithium are administered concurrently")
    assert said.search("Priadel 400 mg") and not said.search("lithiated")


def test_cold_turkey_is_no_cold_remedy_of_the_brand() -> None:
    lex = MedicineLexicon([_entry("escitalopram", "Escitalopram")], synonyms={"lexapro": "escitalopram"})
    assert _found(lex, "Can I stop Lexapro cold turkey? I'm on 20 mg") == [("lexapro", "escitalopram")]
    assert _found(lex, "Is there a Lexapro cold and flu?")[0][1] is None  # a brand's other product still is one


def test_an_ingredient_said_as_contained_in_a_named_combination_is_that_combination() -> None:
    from app.pipeline.generic_names import shipped_name_table

    lex = MedicineLexicon([_entry("codeine-sulfate", "Codeine Sulfate"), _entry("acetaminophen", "Acetaminophen"),
                           _entry("acetaminophen-and-codeine-phosphate", "Acetaminophen and Codeine Phosphate")],
                          name_table=shipped_name_table())
    found = {m.medicine_id for m in lex.find("剖腹产出院带了含可待因的止痛片（泰诺加可待因那种），可以边吃边喂奶吗？")}
    assert found == {"acetaminophen-and-codeine-phosphate"}
    assert {m.medicine_id for m in lex.find("可待因和泰诺加可待因有什么区别？")} == {
        "codeine-sulfate", "acetaminophen-and-codeine-phosphate"}


def test_rennies_are_an_antacid_the_database_lacks() -> None:
    from app.pipeline.product_words import listed_products

    assert listed_products()["rennies"] == "antacid"
