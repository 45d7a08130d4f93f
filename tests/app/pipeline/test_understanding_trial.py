"""Understanding failures a new user's trial found (issue 17), in dialogues of our own wording: a purpose
phrase hiding an interaction question, a dose-form word choosing the product, misspelt allergies, references
by kind ("the blood thinner one"), and the section of common question shapes."""

from __future__ import annotations

import pytest

from app.pipeline.allergy_spelling import respell_allergen, spell_allergy_words
from app.pipeline.attributes import classify_attribute
from app.pipeline.class_reference import is_of_kind, kinds_said
from app.pipeline.context import build_context
from app.pipeline.distill import RuleDistiller
from app.pipeline.form_choice import form_fit, form_said
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Serving, Turn, TurnRequest, TurnState
from app.records.mag import add_medication_partners
from indexing.store import MedicineEntry

_LABEL_WORDS = frozenset("""good take taken dose tablet food with what when how much day week night back pain mood
    knee evening morning store use first after before pens pen shot""".split())


def _entry(mid: str, name: str, *aliases: str, routes: tuple[str, ...] = ("ORAL",),
           classes: tuple[str, ...] = ()) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "interactions"), routes=routes,
                         classes=classes)


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon(
        [_entry("warfarin", "Warfarin Sodium", "Coumadin"), _entry("ibuprofen", "Ibuprofen", "Advil", "Motrin"),
         _entry("sertraline", "Sertraline", "Zoloft", classes=("Serotonin Reuptake Inhibitor [EPC]",)),
         _entry("metoprolol", "Metoprolol Tartrate", "Lopressor",
                classes=("beta-Adrenergic Blocker [EPC]",)),
         _entry("lisinopril", "Lisinopril"), _entry("naproxen", "Naproxen", "Aleve"),
         _entry("atorvastatin", "Atorvastatin Calcium", "Lipitor"), _entry("metformin", "Metformin"),
         _entry("furosemide", "Furosemide", "Lasix", classes=("Loop Diuretic [EPC]",)),
         _entry("amoxicillin", "Amoxicillin"), _entry("apixaban", "Apixaban", "Eliquis"),
         _entry("prednisone", "Prednisone"),
         _entry("oral-semaglutide", "Oral Semaglutide", "OZEMPIC", "RYBELSUS", "Semaglutide"),
         _entry("semaglutide", "Semaglutide", "WEGOVY", routes=("SUBCUTANEOUS", "ORAL")),
         _entry("hydrocortisone", "Hydrocortisone"),
         _entry("hydrocortisone-cream", "Hydrocortisone Cream", "Hydrocortisone", routes=("TOPICAL",))],
        extra_drug_names=("St John's wort",),
        is_known_word=lambda w: w.casefold() in _LABEL_WORDS,
        products=("st john's wort", "fish oil"),
    )


def _distill(lexicon: MedicineLexicon, *turns: str) -> tuple[list[tuple[str | None, str | None]], list[str]]:
    history: list[Turn] = []
    for turn in turns[:-1]:
        history += [Turn("user", turn), Turn("assistant", "Okay.")]
    state = TurnState(TurnRequest(message=turns[-1], history=history),
                      Serving(None, lexicon))  # type: ignore[arg-type]  # the distill stage reads no index
    RuleDistiller().run(state)
    assert state.distilled is not None
    distilled, partners = add_medication_partners(state.distilled, state.question, None, lexicon,
                                                  state.conversation)
    return [(q.medicine, q.attribute) for q in distilled.queries], [p.medicine_id for p in partners]


# (a) a medicine asked to be taken beside one the person takes: the interaction, whatever it is for
@pytest.mark.parametrize("turns", [
    ("My doctor just put me on warfarin. Can I take ibuprofen for back pain?",),
    ("Can I take Advil for a headache while on warfarin?",),
    ("I'm on Coumadin.", "could I use naproxen for my sore knee?"),
    ("Started lisinopril last week for my blood pressure.", "Is it ok to take Aleve for cramps?"),
    ("My mom takes Eliquis.", "Can she have Motrin for her arthritis?"),
    ("My GP started me on warfarin last week. Am I allowed to take ibuprofen for a sore back?",),
    ("I take lisinopril every morning.", "would it hurt to add Aleve for my period pain?"),
    ("I'm on sertraline.", "is it alright if I use Advil for a headache?"),
])
def test_a_purpose_phrase_does_not_hide_the_interaction(lexicon: MedicineLexicon, turns: tuple[str, ...]) -> None:
    queries, partners = _distill(lexicon, *turns)
    asked = {m for m, _ in queries}
    assert len(asked | set(partners)) >= 2, queries
    assert all(a == "interactions" for _, a in queries), queries


def test_an_unlisted_product_beside_a_medicine_taken_asks_its_interactions(lexicon: MedicineLexicon) -> None:
    # without an index no label can be read for the product (app.pipeline.product_words): the section decided
    # is what is checked here; the e2e test reads sertraline's interactions
    state = TurnState(TurnRequest(message="I started sertraline two weeks ago. Is it ok to also take St John's "
                                          "wort for my mood?"), Serving(None, lexicon))  # type: ignore[arg-type]
    RuleDistiller().run(state)
    assert state.distilled is not None and state.distilled.audit["attribute"] == "interactions"


@pytest.mark.parametrize("turns, section", [
    (("I take warfarin.", "Can I take it for a clot in my leg?"), "indications"),  # the medicine taken itself
    (("I stopped lisinopril last month.", "Can I take naproxen for my back?"), "indications"),  # stopped
    (("I take warfarin.", "What is the dose of ibuprofen for back pain?"), "dosage"),  # a dose asked outright
])
def test_not_an_interaction_question(lexicon: MedicineLexicon, turns: tuple[str, ...], section: str) -> None:
    queries, _ = _distill(lexicon, *turns)
    assert queries and queries[0][1] == section, queries


# (b) a dose-form word chooses among products sharing a name
@pytest.mark.parametrize("text, medicine", [
    ("How should I store my Ozempic pens before and after first use?", "semaglutide"),
    ("does the ozempic injection hurt", "semaglutide"),
    ("I take Ozempic tablets every morning", "oral-semaglutide"),
    ("what is Ozempic", "oral-semaglutide"),  # no form word: the name's own product
    ("can I put hydrocortisone cream on my face", "hydrocortisone-cream"),
    ("hydrocortisone pills and alcohol", "hydrocortisone"),
])
def test_dose_form_word_picks_the_product(lexicon: MedicineLexicon, text: str, medicine: str) -> None:
    assert [m.medicine_id for m in lexicon.find(text) if m.medicine_id] == [medicine]


def test_form_words_and_fit() -> None:
    assert form_said(["my", "ozempic", "pens"]) == "injected"
    assert form_said(["the", "inhaler"]) == "inhaled"
    assert form_said(["how", "much"]) is None
    assert form_fit("injected", ("SUBCUTANEOUS",), "Semaglutide") > form_fit("injected", ("ORAL",), "Oral Semaglutide")


# (c) misspelt allergy words and allergens
@pytest.mark.parametrize("text, spelt", [
    ("can i take amoxicilin if im alergic to penicilin", "allergic to penicilin"),
    ("Im allergick to sulfa", "allergic to sulfa"),
    ("my alergies are bad", "allergies are bad"),
    ("all good, the gallery is open", "all good, the gallery is open"),  # near words that are not allergy words
])
def test_misspelt_allergy_words(text: str, spelt: str) -> None:
    assert spelt in spell_allergy_words(text)


def test_misspelt_allergens(lexicon: MedicineLexicon) -> None:
    assert respell_allergen("penicilin") == "penicillin"
    assert respell_allergen("sulpha drugs") == "sulfonamides"  # the word labels contraindicate it by
    assert respell_allergen("amoxicilin", lexicon) == "amoxicillin"
    assert respell_allergen("cats") == "cats"
    context = build_context([Turn("user", "can i take amoxicilin if im alergic to penicilin")], lexicon)
    assert [c.text for c in context.allergies()] == ["penicillin"]
    assert [m.medicine_id for m in context.medicines] == ["amoxicillin"]  # penicillin is the allergen
    queries, _ = _distill(lexicon, "can i take amoxicilin if im alergic to penicilin")
    assert queries == [("amoxicillin", "contraindications")]


# (d) references by kind
@pytest.mark.parametrize("turns, medicine", [
    (("I take warfarin.", "I also take metoprolol.", "Does the blood thinner one interact with alcohol?"),
     "warfarin"),
    (("I take warfarin.", "I also take metoprolol.", "what's the usual dose of the blood pressure pill?"),
     "metoprolol"),
    (("I'm on Lasix and Lipitor.", "Can I take the water pill at night?"), "furosemide"),
    (("I'm on Lasix and Lipitor.", "does my statin cause muscle pain?"), "atorvastatin"),
    (("My son got amoxicillin.", "He also uses Motrin.", "how long should he take the antibiotic?"), "amoxicillin"),
    (("I take metformin and lisinopril.", "Should the diabetes medicine be taken with food?"), "metformin"),
])
def test_reference_by_kind(lexicon: MedicineLexicon, turns: tuple[str, ...], medicine: str) -> None:
    queries, _ = _distill(lexicon, *turns)
    assert queries and queries[0][0] == medicine, queries


def test_kinds() -> None:
    assert kinds_said("the blood thinner one") == ["anticoagulant"]
    assert kinds_said("is it ok?") == []
    assert is_of_kind("statin", "Atorvastatin Calcium", ())
    assert is_of_kind("diuretic", "Furosemide", ("Loop Diuretic [EPC]",))
    assert not is_of_kind("anticoagulant", "Metoprolol Tartrate", ("beta-Adrenergic Blocker [EPC]",))


# (e) the section of common question shapes
@pytest.mark.parametrize("question, section", [
    ("is it better to take it in the evening?", "dosage"),
    ("Is it better to take lisinopril at night or in the morning?", "dosage"),
    ("is it ok to take my metformin with food?", "dosage"),
    ("Can I get my flu shot while on prednisone?", "warnings"),
    ("is it safe to get vaccinated while taking prednisone", "warnings"),
    ("I forgot my dose, should I take two tomorrow?", "dosage"),
    ("missed a pill yesterday, can I double up today?", "dosage"),
    ("I accidentally took two doses this morning, what should I do?", "overdosage"),
    ("Could I take prednisone for my poison ivy rash?", "indications"),
])
def test_question_shape_sections(question: str, section: str) -> None:
    assert classify_attribute(question).attribute == section


def test_an_adverb_beside_a_medicine_is_no_medicine_the_database_lacks(lexicon: MedicineLexicon) -> None:
    # "... and honestly I feel fine now" asked "Escitalopram or honestly?" (fresh5 tuning set, f5t-e29)
    found = lexicon.find("I've been on Lipitor 10 mg for about a year and honestly I feel fine now.")
    assert [(m.surface, m.medicine_id) for m in found] == [("lipitor", "atorvastatin")]


def test_a_combination_named_by_its_ingredients_is_that_product() -> None:
    # helper-99's trial: "I take levonorgestrel and ethinyl estradiol, the pill." was noted as Estradiol (the pill's
    # label lists "Estradiol" as an alias, and a tablet of estradiol fit the word "pill" better)
    lex = MedicineLexicon([
        MedicineEntry("levonorgestrel-and-ethinyl-estradiol", "Levonorgestrel and Ethinyl Estradiol",
                      ("Estradiol", "Levonorgestrel"), "en", "", ("interactions",)),
        MedicineEntry("estradiol", "Estradiol", (), "en", "", ("interactions",), routes=("ORAL",)),
    ])
    found = lex.find("I take levonorgestrel and ethinyl estradiol, the pill.")
    assert [m.medicine_id for m in found] == ["levonorgestrel-and-ethinyl-estradiol"]
