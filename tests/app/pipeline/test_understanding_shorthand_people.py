"""Understanding failures of issue 17 found on hand-written and blind consultations, in dialogues of our own
wording: clinician shorthand (HCTZ, APAP, MTX), dose units read as unknown drugs ("how many puffs"), a
relation word read as a misspelt brand ("grandson"), a switch from one medicine to another, two statuses in
one sentence, two people's medicines in one sentence, "mine with dad's", a kind of products beside a
medicine whose label is silent on it, "what is pepsin?", and the model distiller's guard."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from app.config import DistillSettings
from app.pipeline.alongside import taken_alongside
from app.pipeline.context import MedStatus, Owner, build_context, resolve_focus
from app.pipeline.distill import RuleDistiller
from app.pipeline.distill_llm import SEARCH_TOOL_NAME, LLMDistiller
from app.pipeline.drink_words import ALCOHOL
from app.pipeline.lexicon import MedicineLexicon, known_word_test, typing_slip
from app.pipeline.product_words import names_a_kind
from app.pipeline.state import PatientContext, Turn
from app.pipeline.what_is import substance_asked
from indexing.schema import Attribute
from indexing.store import MedicineEntry
from indexing.text import tokenize
from tests.fakes.chat_model import ScriptedChatModel, calls_reply


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "interactions"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon(
        [_entry("hydrochlorothiazide", "Hydrochlorothiazide"), _entry("acetaminophen", "Acetaminophen", "Tylenol"),
         _entry("methotrexate", "Methotrexate"), _entry("aspirin", "Aspirin"),
         _entry("amiodarone-hydrochloride", "Amiodarone Hydrochloride"), _entry("warfarin", "Warfarin Sodium"),
         _entry("albuterol", "Albuterol", "Ventolin"), _entry("granisetron", "Granisetron", "Granisol"),
         _entry("baloxavir-marboxil", "Baloxavir Marboxil"),
         _entry("cold-and-flu", "DRx Choice Daytime Cold and Flu"),
         _entry("simvastatin", "Simvastatin"), _entry("rosuvastatin", "Rosuvastatin"),
         _entry("metformin", "Metformin"), _entry("dulaglutide", "Dulaglutide"),
         _entry("clopidogrel", "Clopidogrel"), _entry("omeprazole", "Omeprazole"),
         _entry("glimepiride", "Glimepiride"), _entry("raloxifene", "Raloxifene Hydrochloride"),
         _entry("trimethoprim", "Trimethoprim"), _entry("citalopram", "Citalopram Hydrobromide", "Celexa")],
        extra_drug_names=("lithium", "baloxavir"),
    )


def _ids(lexicon: MedicineLexicon, text: str) -> list[str | None]:
    return [m.medicine_id for m in lexicon.find(text)]


def _turns(*user_turns: str) -> list[Turn]:
    out: list[Turn] = []
    for text in user_turns[:-1]:
        out += [Turn("user", text), Turn("assistant", "Okay.")]
    return [*out, Turn("user", user_turns[-1])]


def _queries(lexicon: MedicineLexicon, *user_turns: str) -> list[tuple[str | None, str | None]]:
    d = RuleDistiller().distill(_turns(*user_turns), lexicon)
    return [(q.medicine, q.attribute) for q in d.queries]


# -- names ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("HCTZ 25 daily, any issue?", ["hydrochlorothiazide"]),
    ("max daily APAP in liver disease", ["acetaminophen"]),
    ("Pt on MTX weekly", ["methotrexate"]),
    ("ASA 81 mg before surgery?", ["aspirin"]),
    ("amio + warfarin", ["amiodarone-hydrochloride", "warfarin"]),
])
def test_clinician_shorthand_names_its_medicine(lexicon: MedicineLexicon, text: str, expected: list[str]) -> None:
    assert _ids(lexicon, text) == expected


def test_shorthand_for_a_medicine_the_database_lacks_is_no_name(lexicon: MedicineLexicon) -> None:
    assert _ids(lexicon, "NTG SL for angina") == []  # nitroglycerin is not in this lexicon


def test_a_dose_unit_is_no_drug(lexicon: MedicineLexicon) -> None:
    assert _ids(lexicon, "my ventolin - how many puffs am I allowed in a day") == ["albuterol"]


def test_a_relation_word_is_no_misspelt_brand(lexicon: MedicineLexicon) -> None:
    assert lexicon.find("My grandson's visiting next week") == []  # not "did you mean Granisol?"


def test_the_first_word_of_an_ester_name_is_its_name(lexicon: MedicineLexicon) -> None:
    assert _ids(lexicon, "the GP mentioned baloxavir") == ["baloxavir-marboxil"]


def test_what_a_product_is_for_is_not_its_ingredient(lexicon: MedicineLexicon) -> None:
    assert _ids(lexicon, "My daughter is 4 and has flu") == []
    assert _ids(lexicon, "daytime cold and flu dose") == ["cold-and-flu"]


def test_an_added_letter_is_a_slip_of_the_keys(lexicon: MedicineLexicon) -> None:
    assert typing_slip("celexia", "celexa") and not typing_slip("zorvalex", "zorvolex")
    assert _ids(lexicon, "usual celexia dose?") == ["citalopram"]


# -- context --------------------------------------------------------------------------------------------------

def test_a_switch_stops_one_medicine_and_starts_the_other(lexicon: MedicineLexicon) -> None:
    ctx = build_context(_turns("They switched me from simvastatin to rosuvastatin this spring.", "ok?"), lexicon)
    status = {m.medicine_id: m.status for m in ctx.medicines}
    assert status == {"simvastatin": MedStatus.STOPPED, "rosuvastatin": MedStatus.NEW}
    assert [m for m, _ in _queries(lexicon, "They switched me from simvastatin to rosuvastatin this spring.",
                                   "does the new one have to be taken at night like the old one did?")] == [
        "rosuvastatin"]


@pytest.mark.parametrize(("said", "asked", "expected"), [
    ("Metformin for 10 years now, and this month I started dulaglutide injections.",
     "How often do I inject the new one?", "dulaglutide"),
    ("Started dulaglutide two weeks ago. Been on metformin since 2015.", "the older tablet - can it upset my stomach?",
     "metformin"),
])
def test_two_statuses_in_one_turn(lexicon: MedicineLexicon, said: str, asked: str, expected: str) -> None:
    assert [m for m, _ in _queries(lexicon, said, asked)] == [expected]


def test_two_peoples_medicines_in_one_sentence(lexicon: MedicineLexicon) -> None:
    ctx = build_context(_turns("Dad's on glimepiride and Mum's on raloxifene.", "ok"), lexicon)
    assert {m.medicine_id: m.person for m in ctx.medicines} == {"glimepiride": "father", "raloxifene": "mother"}
    assert [m for m, _ in _queries(lexicon, "Dad's on glimepiride and Mum's on raloxifene.",
                                   "Mum wants to know if hers raises the risk of blood clots")] == ["raloxifene"]


def test_mine_with_dads_asks_both_together(lexicon: MedicineLexicon) -> None:
    said = "Mum takes warfarin, dad's on clopidogrel, and I've just been given omeprazole."
    ctx = build_context(_turns(said, "Is mine safe with dad's?"), lexicon)
    focus = resolve_focus("Is mine safe with dad's?", ctx, 2)
    assert [m.medicine_id for m in focus.chosen] == ["omeprazole", "clopidogrel"] and focus.across_people
    assert [m.owner for m in focus.chosen] == [Owner.USER, Owner.RELATIVE]
    assert _queries(lexicon, said, "Is mine safe with dad's?") == [
        ("omeprazole", "interactions"), ("clopidogrel", "interactions")]


def test_a_dosed_name_is_what_the_patient_is_on(lexicon: MedicineLexicon) -> None:
    question = "HCTZ 25 daily - any issue if he also starts lithium?"
    latest = lexicon.find(question)
    ctx = build_context(_turns(question), lexicon)
    assert taken_alongside(question, latest, ctx, Attribute.DOSAGE) == {"hydrochlorothiazide"}


def test_a_dose_changed_because_of_the_other_is_an_interaction(lexicon: MedicineLexicon) -> None:
    assert _queries(lexicon, "amio + warfarin, how much should the warfarin be reduced?") == [
        ("amiodarone-hydrochloride", "interactions"), ("warfarin", "interactions")]


# -- products the database lacks ------------------------------------------------------------------------------

def test_a_kind_of_products_is_not_one_product() -> None:
    assert names_a_kind("herbal supplements") and names_a_kind("vitamins") and names_a_kind("supplements")
    assert not names_a_kind("ginkgo biloba") and not names_a_kind("vitamin D") and not names_a_kind("melatonin")


@pytest.fixture(scope="module")
def mini_lexicon(mini_index: Any) -> MedicineLexicon:
    return MedicineLexicon(mini_index.medicines.values(), is_known_word=known_word_test(mini_index))


def test_herbal_supplements_beside_a_silent_label_answer_from_its_label(mini_index: Any,
                                                                        mini_lexicon: MedicineLexicon) -> None:
    d = RuleDistiller().distill(_turns("Can I take lisinopril with herbal supplements?"), mini_lexicon,
                                index=mini_index)
    assert [(q.medicine, q.attribute) for q in d.queries] == [("lisinopril", "interactions")]
    assert d.unknown_drugs == ["herbal supplements (the Lisinopril label does not mention them)"]
    # one product, named: nothing is quoted, and the notice says the label was read for it
    d = RuleDistiller().distill(_turns("I take metformin.", "Is ginkgo ok with it?"), mini_lexicon, index=mini_index)
    assert d.queries == [] and d.unknown_drugs == ["ginkgo (the Metformin label does not mention it)"]


class _Bm25:
    """The postings a SearchIndex's BM25 holds, for a handful of chunks."""

    def __init__(self, texts: list[str]) -> None:
        vocabulary = sorted({t for text in texts for t in tokenize(text)})
        self._ids = {t: i for i, t in enumerate(vocabulary)}
        postings = [[d for d, text in enumerate(texts) if t in tokenize(text)] for t in vocabulary]
        self.indptr = [0]
        self.indices: list[int] = []
        for docs in postings:
            self.indices += docs
            self.indptr.append(len(self.indices))

    def term_id(self, term: str) -> int | None:
        return self._ids.get(term)


def _index(rows: list[tuple[str, str]]) -> Any:
    chunks = [SimpleNamespace(attribute=attribute, text=text) for attribute, text in rows]
    return SimpleNamespace(bm25=_Bm25([text for _, text in rows]), chunks=chunks)


def test_what_is_a_word_labels_use_as_an_ingredient_or_hardly_at_all() -> None:
    rows = [("description", f"Inactive ingredients: lactose monohydrate, magnesium stearate {i}") for i in range(30)]
    rows += [("warnings", f"Patients with gout or hypertension may worsen {i}") for i in range(30)]
    rows += [("pharmacology", "pepsin activity was not affected")]
    index = _index(rows)
    assert substance_asked("what is pepsin", index) == "pepsin"
    assert substance_asked("What is lactose?", index) == "lactose"
    assert substance_asked("what's magnesium stearate", index) == "magnesium stearate"
    assert substance_asked("what is gout", index) is None  # a condition the labels speak of
    assert substance_asked("what is hypertension?", index) is None
    assert substance_asked("what is the dose", index) is None
    assert substance_asked("is lactose in it?", index) is None  # not a what-is question


def test_the_rule_distiller_says_pepsin_is_not_in_the_database(mini_index: Any,
                                                               mini_lexicon: MedicineLexicon) -> None:
    d = RuleDistiller().distill(_turns("what is pepsin"), mini_lexicon, index=mini_index)
    assert d.queries == [] and d.unknown_drugs == ["pepsin"]


# -- the model distiller's guard ------------------------------------------------------------------------------

def test_the_model_distiller_searches_nothing_for_a_product_alone(mini_lexicon: MedicineLexicon,
                                                                  mini_index: Any) -> None:
    model = ScriptedChatModel(calls_reply((SEARCH_TOOL_NAME, {"medicine": "warfarin", "attribute": "interactions",
                                                              "keywords": "warfarin fish oil"})))
    patient = PatientContext("p1", current_medications=["Warfarin 5 mg"])
    d = LLMDistiller(model, DistillSettings(backend="llm")).distill(
        [Turn("user", "What is fish oil?")], mini_lexicon, patient, index=mini_index)
    assert d.queries == [] and d.unknown_drugs and model.calls == []


def test_my_tablets_with_none_known_chooses_no_label(lexicon: MedicineLexicon) -> None:
    dialogue = _turns("I keep forgetting my tablets, any tips?")
    assert RuleDistiller().distill(dialogue, lexicon, build_context(dialogue, lexicon)).queries == []
    dialogue = _turns("I take metformin.", "can I drink alcohol with my medicines?")
    assert [q.medicine for q in RuleDistiller().distill(dialogue, lexicon, build_context(dialogue, lexicon)).queries
            if q.medicine != ALCOHOL] == ["metformin"]  # alcohol: the reader's partner, no label (drink_words)


@pytest.mark.parametrize(("said", "asked", "section"), [
    ("I'm 20 weeks pregnant and get awful migraines.", "Is metformin safe for the baby?", "pregnancy"),
    ("I'm breastfeeding my 2 month old.", "will metformin get to my baby?", "lactation"),
    ("I've got fatty liver and my enzymes were up.", "Can I still start metformin?", "warnings"),
    ("I have asthma and use an inhaler most days.", "They want to start metformin. Is that a problem with my asthma?",
     "warnings"),
])
def test_a_stated_condition_says_what_is_asked(lexicon: MedicineLexicon, said: str, asked: str, section: str) -> None:
    assert _queries(lexicon, said, asked) == [("metformin", section)]
