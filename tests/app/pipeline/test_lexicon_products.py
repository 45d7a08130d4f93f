"""Products the database does not hold (issue 17): vaccines, vitamins and minerals, supplements, herbal
products, antacids and other OTC brands, made-up names one letter from a brand. Each gives `unknown_drug`
and no query, so no other medicine's label is quoted; a real misspelling of a held medicine still resolves;
ordinary words are never reported as missing medicines.

The questions were written by hand for these tests (not taken from eval/data), over the shipped lexicon:
the serving index's names and label vocabulary (data/index, built by `clinqa index build`), the brand
dictionary and corpora/names/products_without_labels.txt."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.pipeline.distill import RuleDistiller
from app.pipeline.generic_names import shipped_name_table
from app.pipeline.lexicon import MedicineLexicon, known_word_test, load_drug_names
from app.pipeline.otc_choice import OTC_SUFFIX
from app.pipeline.state import Distillation, Turn
from app.pipeline.synonyms import drug_synonyms

ROOT = Path(__file__).resolve().parents[3]

ABSENT = [
    # vaccines
    "Is the Tdap booster safe when I'm 30 weeks pregnant?",
    "can my son get his MMR jab if he has a runny nose",
    "What side effects should I expect after the Prevnar 20 shot?",
    "my daughter had Bexsero today and has a fever, normal?",
    "Is the hepatitis B vaccine given in three doses?",
    "how long after the RSV vaccine can I donate blood",
    # vitamins and minerals sold as supplements
    "how much vitamin D3 is too much per day?",
    "Can biotin mess up my thyroid blood test?",
    "Is it ok to take folic acid and iron together?",
    "how much magnesium glycinate should I take for sleep",
    "Is zinc good for shortening a cold?",
    "Can I take calcium carbonate every day for my bones?",
    "Are prenatal vitamins safe to take before getting pregnant?",
    "Are Flintstones vitamins ok for a 2 year old?",
    # supplements
    "Is melatonin safe for a 6 year old?",
    "Should I take CoQ10 with my statin?",
    "Does collagen powder have side effects?",
    "Is creatine safe for teenagers who lift?",
    "What's the dose of glucosamine for knee arthritis?",
    # herbal products
    "how much turmeric is safe daily?",
    "can toddlers have elderberry syrup",
    "Can I drink kava tea with alcohol?",
    "Is echinacea ok while breastfeeding?",
    "saw palmetto side effects in men over 60",
    "Does black cohosh help hot flashes and is it safe?",
    "valerian root before bed every night, is that ok long term",
    "is dandelion root tea safe with my blood pressure pills",
    "Is moringa powder ok in pregnancy?",
    # antacids and other OTC brands the database lacks
    "Can I take Rolaids while pregnant?",
    "Is Gaviscon ok for a 10 year old?",
    "how many Maalox can I take in a day",
    "Is Pepto Bismol safe with a stomach ulcer?",
    "how much milk of magnesia for constipation",
    "Can I give my kid DayQuil for a cough?",
    "Does NyQuil make you drowsy the next day?",
    "Is Robitussin DM ok with high blood pressure?",
    "Can I take Gas-X after surgery?",
    "How long does Miralax take to work?",
    "Can I use Preparation H on my face for puffiness?",
    "how often can i take emergen-c",
    "Does Tylenol PM make you groggy?",
    "Is it safe to use Tiger Balm during pregnancy?",
    "Can I give my baby gripe water for colic?",
]

# Made-up names one letter from a brand the database holds: not that product, but asked back.
NEAR_MISSES = [
    ("My pharmacist gave me Xarelta, what is it for?", "Xarelto"),
    ("What are the side effects of Eliquix?", "Eliquis"),
    ("Is Jardianse safe for my kidneys?", "Jardiance"),
    ("What does Crestar do?", "Crestor"),
    ("can I crush Plavex tablets", "Plavix"),
    ("Is Xanex addictive", "Xanax"),
]

MISSPELT = [
    ("whats the dose of metforman for type 2 diabetes", "metformin"),
    ("side efects of lisinoprill", "lisinopril"),
    ("can i take amoxicilin with food", "amoxicillin"),
    ("sertralin and alcohol", "sertraline"),
    ("levothyroxin on an empty stomach?", "levothyroxine"),
    ("ibuprofin for a toddler how much", "ibuprofen"),
    ("how much acetaminophin can I take in a day", "acetaminophen"),
    ("hydrochlorthiazide and potassium levels", "hydrochlorothiazide"),
    ("side affects of simvastatine", "simvastatin"),
]

# Ordinary words where a drug's name could stand: never a missing medicine.
ORDINARY = [
    ("Can I take my lisinopril with oatmeal?", "lisinopril"),
    ("is it safe to take amoxicillin with kombucha", "amoxicillin"),
    ("Can I take metformin with my morning smoothie?", "metformin"),
    ("Is it ok to take ibuprofen before my yoga class?", "ibuprofen"),
    ("My landlord said naproxen is bad for the kidneys, true?", "naproxen"),
    ("I take atorvastatin. Can I still eat pomegranate?", "atorvastatin"),
    ("my potassium is low, can I take lisinopril?", "lisinopril"),
    ("My thyroid levels are off, should I change my levothyroxine dose?", "levothyroxine"),
    ("which drugs are used for high cholesterol", None),
    ("mouth wash with salt water how much salt", None),
]


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    from indexing.store import IndexNotFoundError, load_current

    try:
        index = load_current(ROOT / "data" / "index", "medicines", with_dense=False)
    except IndexNotFoundError:
        pytest.skip("no shipped index under data/index (`clinqa index build` makes one)")
    return MedicineLexicon(index.medicines.values(), load_drug_names(ROOT / "corpora" / "drug_names.txt"),
                           is_known_word=known_word_test(index), synonyms=drug_synonyms(),
                           name_table=shipped_name_table())


def _distill(lexicon: MedicineLexicon, question: str) -> Distillation:
    return RuleDistiller().distill([Turn("user", question)], lexicon)


@pytest.mark.parametrize("question", ABSENT)
def test_a_product_the_database_lacks_is_unknown_and_searches_nothing(lexicon: MedicineLexicon,
                                                                       question: str) -> None:
    d = _distill(lexicon, question)
    assert d.unknown_drugs and d.queries == [], (d.unknown_drugs, d.queries)
    assert all(m.medicine_id is None for m in lexicon.find(question)), lexicon.find(question)


@pytest.mark.parametrize(("question", "brand"), NEAR_MISSES)
def test_a_near_miss_of_a_brand_is_asked_back(lexicon: MedicineLexicon, question: str, brand: str) -> None:
    d = _distill(lexicon, question)
    assert d.queries == [] and len(d.unknown_drugs) == 1
    assert f"did you mean {brand} (" in d.unknown_drugs[0]


@pytest.mark.parametrize(("question", "medicine"), MISSPELT)
def test_a_misspelling_of_a_held_medicine_resolves(lexicon: MedicineLexicon, question: str, medicine: str) -> None:
    d = _distill(lexicon, question)
    # a self-care dose question reads the ingredient's OTC label when it has one (otc_choice): the same medicine
    assert d.unknown_drugs == [] and [q.medicine.removesuffix(OTC_SUFFIX) for q in d.queries if q.medicine][:1] == [
        medicine]


@pytest.mark.parametrize(("question", "medicine"), ORDINARY)
def test_ordinary_words_are_not_missing_medicines(lexicon: MedicineLexicon, question: str,
                                                  medicine: str | None) -> None:
    d = _distill(lexicon, question)
    assert d.unknown_drugs == []
    assert {q.medicine for q in d.queries if q.medicine} == ({medicine} if medicine else set())


def test_a_name_the_database_holds_wins_over_a_supplement_word(lexicon: MedicineLexicon) -> None:
    # the product's own name, longer than the mineral: potassium chloride is held, potassium citrate too
    assert [m.medicine_id for m in lexicon.find("potassium chloride dose")] == ["potassium-chloride"]
    assert [m.medicine_id for m in lexicon.find("Claritin while breastfeeding")] == ["loratadine"]
    assert [m.medicine_id for m in lexicon.find("is vitamin d safe")] == ["ergocalciferol"]


def test_the_product_list_can_be_given() -> None:
    from indexing.store import MedicineEntry

    entry = MedicineEntry("zinc-chloride", "Zinc Chloride", ("ZINC",), "en", "", ("indications",))
    shipped = MedicineLexicon([entry])
    assert [(m.surface, m.medicine_id) for m in shipped.find("is zinc good for colds")] == [("zinc", None)]
    assert [m.medicine_id for m in shipped.find("zinc chloride dose")] == ["zinc-chloride"]
    none = MedicineLexicon([entry], products=())
    assert [m.medicine_id for m in none.find("is zinc good for colds")] == ["zinc-chloride"]
