"""Understanding, sixth session's second round: a word for a kind of medicine is no product the database lacks
and is asked back (painkillers, insulin); drinking said as a condition's cause or a history is no alcohol
question; the medicine a switch leaves is not the one asked about; a product the database lacks asked beside a
medicine taken ("and ginkgo?") is read in that medicine's label, and a label silent on it is said to be."""

from __future__ import annotations

from typing import Any

import pytest

from app.pipeline.class_question import ClassAsked, members
from app.pipeline.context import Owner, question_owner, switched_from
from app.pipeline.distill import RuleDistiller
from app.pipeline.drink_words import ALCOHOL, asks_alcohol
from app.pipeline.lexicon import MedicineLexicon, known_word_test
from app.pipeline.state import Distillation, SearchQuery, Turn
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *classes: str, routes: tuple[str, ...] = ("ORAL",)) -> MedicineEntry:
    return MedicineEntry(mid, name, (), "en", "", ("dosage", "interactions", "storage", "boxed_warning"),
                         routes=routes, classes=classes)


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    insulin = ("Insulin Analog [EPC]", "Insulin [CS]")
    return MedicineLexicon(
        [_entry("ibuprofen", "Ibuprofen", "Nonsteroidal Anti-inflammatory Drug [EPC]"),
         _entry("tramadol", "Tramadol Hydrochloride"),
         _entry("lorazepam", "Lorazepam"),
         _entry("insulin-glargine", "Insulin Glargine", *insulin, routes=("SUBCUTANEOUS",)),
         _entry("insulin-aspart", "Insulin Aspart", *insulin, routes=("SUBCUTANEOUS",)),
         _entry("water", "Water", *insulin, routes=("SUBCUTANEOUS",)),  # a label declaring insulin's classes
         _entry("levothyroxine", "Levothyroxine Sodium"),
         _entry("divalproex-sodium", "Divalproex Sodium"),
         _entry("febuxostat", "Febuxostat"),
         _entry("allopurinol", "Allopurinol"),
         _entry("metronidazole", "Metronidazole")],
        # names of medicines without a label here, and no word the labels use: any word after "on" that is no
        # name looks like a brand the database lacks
        extra_drug_names=["insulin", "thyroid"], is_known_word=lambda word: False)


def _distill(lexicon: MedicineLexicon, *turns: str, index: Any = None) -> Distillation:
    dialogue = [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]
    return RuleDistiller().distill(dialogue, lexicon, index=index)


@pytest.mark.parametrize("question", [
    "is it ok to drink on painkillers?", "I take painkillers for my back", "on benzos can I drink",
    "on antiinflammatories can I drink?", "I'm on decongestants", "how do I store insulin?",
    "can insulin be kept out of the fridge?", "I take thyroid meds, can I have coffee?",
    "is grapefruit ok with my bp meds?", "can I drink on blood thinners?",
])
def test_a_word_for_a_kind_of_medicine_is_no_product_the_database_lacks(lexicon: MedicineLexicon,
                                                                         question: str) -> None:
    assert lexicon.find(question) == []


def test_a_name_the_labels_never_use_is_still_an_unknown_brand(lexicon: MedicineLexicon) -> None:
    assert [(m.surface, m.medicine_id) for m in lexicon.find("I'm on zorbexa, can I drink?")] == [("zorbexa", None)]
    assert [(m.surface, m.medicine_id) for m in lexicon.find("what about potassium supplements?")] == [
        ("potassium supplements", None)]  # a product kind labels name as such stays one


@pytest.mark.parametrize(("question", "asked_back"), [
    ("is it ok to drink on painkillers?", "Which painkiller do you take?"),
    ("on benzos can I drink", "Which benzodiazepine do you take?"),
    ("how do I store insulin?", "Which insulin do you take?"),
    ("can insulin be kept out of the fridge?", "Which insulin do you take?"),
    ("I take thyroid meds, can I have coffee?", "Which thyroid medicine do you take?"),
])
def test_a_kind_and_no_medicine_of_it_is_asked_back(lexicon: MedicineLexicon, question: str,
                                                    asked_back: str) -> None:
    d = _distill(lexicon, question)
    assert d.clarify.startswith(asked_back) and not d.queries and not d.unknown_drugs
    assert d.options


def test_the_insulins_asked_back_are_those_named_insulin(lexicon: MedicineLexicon) -> None:
    assert members(ClassAsked("insulin", False, "insulin"), lexicon) == ["insulin-aspart", "insulin-glargine"]
    d = _distill(lexicon, "how do I store insulin?")
    assert set(d.options) == {"Insulin Aspart", "Insulin Glargine"}
    reply = _distill(lexicon, "how do I store insulin?", d.clarify, "Insulin Glargine")
    assert [q.medicine for q in reply.queries] == ["insulin-glargine"]


@pytest.mark.parametrize("question", [
    "my uncle has cirrhosis from drinking. can he take divalproex?",
    "I have alcoholic liver disease. can I take acetaminophen?",
    "I used to drink heavily. is naltrexone ok for me?",
    "I'm a recovering alcoholic, can I take gabapentin?",
    "my dad's liver is damaged from years of drinking, is ibuprofen safe for him?",
    "is naltrexone used for alcohol dependence?",
    "I quit drinking last year, is it ok to start sertraline?",
    "she has a history of alcohol abuse, is tramadol safe?",
])
def test_drinking_as_a_cause_or_a_history_is_no_alcohol_question(question: str) -> None:
    assert not asks_alcohol(question)


@pytest.mark.parametrize("question", [
    "can I drink on it?", "a couple of beers while on metronidazole?", "I'm on metronidazole. can I drink?",
    "I quit drinking for a month, but can I have a glass of wine on amoxicillin?",
    "my dad is an alcoholic, is acetaminophen safe for him?", "can I take ibuprofen after drinking?",
])
def test_drinking_asked_about_is_still_alcohol(question: str) -> None:
    assert asks_alcohol(question)


def test_a_condition_from_drinking_asks_of_the_condition_not_of_alcohol(lexicon: MedicineLexicon) -> None:
    d = _distill(lexicon, "my uncle has cirrhosis from drinking. psychiatrist wants to start him on divalproex for "
                          "bipolar. is that allowed with his liver?")
    assert [q.medicine for q in d.queries] == ["divalproex-sodium"]
    assert all("ethanol" not in q.keywords.split() for q in d.queries)
    drink = _distill(lexicon, "a couple of beers while on metronidazole?")
    assert SearchQuery(ALCOHOL, None, ALCOHOL) in drink.queries  # unchanged


def test_what_a_switch_leaves_and_who_the_asking_sentence_names() -> None:
    said = "Does febuxostat have a black box? My doctor wants to switch him from allopurinol"
    assert switched_from(said).strip() == "allopurinol"
    assert switched_from("they switched me from simvastatin to rosuvastatin").strip() == "simvastatin"
    assert switched_from("I'm switching from allopurinol, does febuxostat have a boxed warning?").strip() == \
        "allopurinol"
    assert switched_from("does febuxostat have a boxed warning?") == ""
    assert question_owner(said) is None  # the asking sentence names nobody: not "him" of the statement after it
    assert question_owner("Can I take ibuprofen? My husband takes warfarin.") is Owner.USER


@pytest.mark.parametrize("question", [
    "Does febuxostat have a black box? My doctor wants to switch him from allopurinol",
    "does febuxostat have a black box? my dad had a heart attack last year and they want to switch him from "
    "allopurinol",
    "doc wants to switch me from allopurinol to febuxostat, any black box warning?",
    "I'm switching from allopurinol, does febuxostat have a boxed warning?",
])
def test_the_medicine_a_switch_leaves_is_not_the_one_asked(lexicon: MedicineLexicon, question: str) -> None:
    assert [q.medicine for q in _distill(lexicon, question).queries] == ["febuxostat"]


@pytest.mark.parametrize("question", [
    "switching from allopurinol to febuxostat, which is safer?",
    "switching from allopurinol to febuxostat, do they interact?",
])
def test_both_sides_of_a_switch_set_against_each_other_are_asked(lexicon: MedicineLexicon, question: str) -> None:
    assert {q.medicine for q in _distill(lexicon, question).queries} == {"allopurinol", "febuxostat"}


@pytest.fixture(scope="module")
def mini_lexicon(mini_index: Any) -> MedicineLexicon:
    return MedicineLexicon(mini_index.medicines.values(), is_known_word=known_word_test(mini_index))


def test_a_bare_follow_up_about_a_product_reads_the_label_of_what_is_taken(mini_index: Any,
                                                                           mini_lexicon: MedicineLexicon) -> None:
    d = _distill(mini_lexicon, "I take warfarin.", "Noted.", "and ginkgo?", index=mini_index)
    asked = [(q.medicine, q.attribute) for q in d.queries if q.medicine == "warfarin-sodium"]
    assert asked and all(attribute == "interactions" for _, attribute in asked)
    assert [u.split(" (")[0] for u in d.unknown_drugs] == ["ginkgo"]
    # what the product does is asked of the product: not in the database, no label read
    d = _distill(mini_lexicon, "I take warfarin.", "Noted.", "what does ginkgo do?", index=mini_index)
    assert d.queries == []


def test_a_bare_follow_up_about_a_medicine_is_asked_beside_what_is_taken(mini_index: Any,
                                                                         mini_lexicon: MedicineLexicon) -> None:
    d = _distill(mini_lexicon, "I take warfarin.", "Noted.", "and ibuprofen?", index=mini_index)
    assert [(q.medicine, q.attribute) for q in d.queries] == [("ibuprofen", "interactions")]


def test_a_label_silent_on_the_product_is_said_to_be(mini_index: Any, mini_lexicon: MedicineLexicon) -> None:
    d = _distill(mini_lexicon, "is kava ok with my lisinopril?", index=mini_index)
    assert d.queries == [] and d.unknown_drugs == ["kava (the Lisinopril label does not mention it)"]
    d = _distill(mini_lexicon, "I take lisinopril.", "Noted.", "and kava?", index=mini_index)
    assert d.queries == [] and d.unknown_drugs == ["kava (the Lisinopril label does not mention it)"]
