"""Which medicine treats X (issues 17/19): the words labels use for what people want to stop (quit smoking ->
smoking cessation, alcoholism -> alcohol dependence) in English and Chinese, a condition named only inside
lifestyle advice is not an indication, and the condition of terse or person-laden questions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.pipeline.indication_search import (
    DIRECT,
    IndicationSearch,
    _phrases,
    asks_which_medicine,
    condition_asked,
    treated_in,
    without_advice,
)
from indexing.store import SearchIndex

# the sentence every antihypertensive's indications carry (nebivolol, aprocitentan, lisinopril ...)
BP_ADVICE = ("Control of high blood pressure should be part of comprehensive cardiovascular risk management, "
             "including, as appropriate, lipid control, diabetes management, antithrombotic therapy, smoking "
             "cessation, exercise, and limited sodium intake.")
SMOKING = ["smoking cessation", "quitting smoking", "stop smoking"]


def test_a_condition_inside_lifestyle_advice_is_not_an_indication() -> None:
    assert treated_in(BP_ADVICE, SMOKING) == (0, 0)
    assert "smoking" not in without_advice(BP_ADVICE)
    assert treated_in("Varenicline tablets are indicated for use as an aid to smoking cessation treatment.",
                      SMOKING)[0] == DIRECT


def test_what_the_medicine_is_for_after_the_advice_still_counts() -> None:
    metformin = ("Metformin is indicated as an adjunct to diet and exercise to improve glycemic control in adults "
                 "with type 2 diabetes mellitus.")
    assert treated_in(metformin, ["glycemic control"])[0] == DIRECT
    ciclopirox = ("Ciclopirox topical solution, 8% as a component of a comprehensive management program, is "
                  "indicated as topical treatment in immunocompetent patients with mild to moderate onychomycosis "
                  "of fingernails and toenails.")
    assert treated_in(ciclopirox, ["onychomycosis"])[0] > 0


@pytest.mark.parametrize(
    ("sentence", "phrases"),
    [
        ("For eradication of scabies ( Sarcoptes scabiei ) and for symptomatic treatment of pruritic skin.",
         ["scabies"]),
        ("Use reduces withdrawal symptoms, including nicotine craving, associated with quitting smoking", SMOKING),
        ("Disulfiram is an aid in the management of selected chronic alcohol patients who want to remain in a "
         "state of enforced sobriety.", ["alcohol dependence", "chronic alcohol"]),
        ("Treats head lice.", ["head lice"]),
    ],
)
def test_the_words_labels_use_to_say_they_treat_it(sentence: str, phrases: list[str]) -> None:
    assert treated_in(sentence, phrases)[0] > 0


@pytest.mark.parametrize(
    ("sentence", "phrases"),
    [
        # 'control' as a noun is not a word saying the medicine treats something
        ("Panic disorder is characterized by fear of losing control; fear of dying; paresthesias; chills or hot "
         "flushes.", ["hot flushes"]),
        # one stem, another condition: alcoholism is not any mention of alcohol
        ("JATENZO is indicated for testosterone replacement therapy in males for conditions such as orchitis, "
         "chemotherapy, or toxic damage from alcohol or heavy metals.", ["alcoholism"]),
    ],
)
def test_a_sentence_that_does_not_treat_it(sentence: str, phrases: list[str]) -> None:
    assert treated_in(sentence, phrases) == (0, 0)


@pytest.mark.parametrize(
    ("sentence", "phrases"),
    [
        ("Uses temporarily relieves these symptoms due to hay fever or other upper respiratory allergies: sneezing",
         ["temperature", "fever"]),
        ("Colchicine tablets are indicated for treatment of familial Mediterranean fever (FMF) in adults.", ["fever"]),
        ("Doxycycline is indicated for the treatment of Rocky Mountain spotted fever, typhus fever, Q fever, "
         "rickettsialpox and tick fevers.", ["fever"]),
        ("Penciclovir cream is indicated for the treatment of recurrent herpes labialis (cold sores).", ["cold"]),
    ],
)
def test_a_named_disease_ending_in_the_complaint_is_another_condition(sentence: str, phrases: list[str]) -> None:
    assert treated_in(sentence, phrases) == (0, 0)


def test_the_named_disease_itself_asked_is_found() -> None:
    sentence = "Uses temporarily relieves these symptoms due to hay fever: sneezing"
    assert treated_in(sentence, ["hay fever", "fever"])[0] == DIRECT


def test_reduces_fever_names_it_directly() -> None:
    assert treated_in("Uses • temporarily relieves minor aches and pains due to: • headache • toothache • "
                      "temporarily reduces fever", ["fever"]) == (DIRECT, 0)


def test_a_plural_phrase_still_finds_the_singular() -> None:
    assert treated_in("Indicated for the treatment of partial-onset seizure in adults.", ["seizures"])[0] == DIRECT


@pytest.mark.parametrize(
    ("question", "condition"),
    [
        ("what helps me quit smoking?", "quit smoking"),
        ("Is there a tablet that helps people stop smoking? I've tried cold turkey twice", "stop smoking"),
        ("my husband drinks far too much - are there any drugs to help him stop drinking?", "stop drinking"),
        ("is there a medicine for alcoholism", "alcoholism"),
        ("what kills head lice? my daughter brought them home from school", "head lice"),
        ("which tablet is best for an overactive bladder in an older man?", "overactive bladder"),
        ("My toddler has a temperature of 39. What medicine should I give him?", "temperature"),
        # a terse request with no question word, for a condition the labels know
        ("malaria tablets for travel", "malaria"),
        ("hay fever pills?", "hay fever"),
    ],
)
def test_the_condition_of_the_question(question: str, condition: str) -> None:
    assert condition_asked(question) == condition


@pytest.mark.parametrize("question", ["my blood pressure tablets", "paracetamol tablets for kids",
                                      "holiday tablets for travel", "blood pressure when on this medicine"])
def test_a_terse_phrase_that_is_not_a_which_medicine_question(question: str) -> None:
    assert condition_asked(question) is None


@pytest.mark.parametrize(
    ("condition", "label_words"),
    [
        ("quit smoking", {"smoking cessation", "quitting smoking"}),
        ("stop drinking", {"alcohol dependence", "abstinence from alcohol"}),
        ("alcoholism", {"alcohol dependence"}),
        ("menopausal hot flashes", {"vasomotor symptoms"}),
        ("toenail fungus", {"onychomycosis"}),
        ("shingles", {"herpes zoster"}),
        # a Chinese condition gets the glossary's English words and their label synonyms
        ("戒烟", {"smoking cessation", "quitting smoking"}),
        ("疥疮", {"scabies"}),
        ("酗酒", {"alcohol dependence", "alcoholism"}),
    ],
)
def test_the_words_labels_use_for_the_condition(condition: str, label_words: set[str]) -> None:
    assert label_words <= set(_phrases(condition))


@pytest.mark.parametrize(
    ("question", "label_word"),
    [
        ("我爸酗酒好多年了，有没有帮助戒酒的药？", "alcohol dependence"),
        ("我想把烟戒了，哪些药能帮我？", "smoking cessation"),
        ("有治疥疮的药吗？", "scabies"),
    ],
)
def test_a_chinese_question_with_no_question_word(question: str, label_word: str) -> None:
    assert asks_which_medicine(question)
    condition = condition_asked(question)
    assert condition is not None and label_word in _phrases(condition)


LABELS = [
    {"id": "varenicline", "name": "Varenicline", "sections": {
        "indications": "Varenicline tablets are indicated for use as an aid to smoking cessation treatment."}},
    {"id": "nicotine-polacrilex", "name": "Nicotine Polacrilex", "sections": {
        "indications": "Use reduces withdrawal symptoms, including nicotine craving, associated with quitting "
                       "smoking"}},
    {"id": "nebivolol", "name": "Nebivolol", "sections": {
        "indications": "Nebivolol tablets are indicated for the treatment of hypertension, to lower blood "
                       "pressure. " + BP_ADVICE}},
    {"id": "naltrexone", "name": "Naltrexone", "sections": {
        "indications": "Naltrexone tablets are indicated in the treatment of alcohol dependence."}},
    {"id": "testosterone", "name": "Testosterone", "sections": {
        "indications": "Testosterone is indicated for replacement therapy in males for conditions such as "
                       "orchitis or toxic damage from alcohol or heavy metals."}},
]


@pytest.fixture(scope="module")
def habit_index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    from indexing.build import BuildOptions, build_index
    from indexing.store import load_current

    root: Path = tmp_path_factory.mktemp("habits")
    corpus = root / "medicines.jsonl"
    corpus.write_text("".join(json.dumps({"aliases": [], "lang": "en", "source": "test", **m}) + "\n"
                              for m in LABELS), encoding="utf-8")
    build_index(corpus, BuildOptions(index_dir=root / "index", progress=False, with_dense=False))
    return load_current(root / "index", "medicines")


@pytest.mark.parametrize(
    ("question", "listed"),
    [
        ("what helps me quit smoking?", {"varenicline", "nicotine-polacrilex"}),
        ("想戒烟，有什么药可以帮忙？", {"varenicline", "nicotine-polacrilex"}),
        ("is there a medicine for alcoholism", {"naltrexone"}),
        ("我爸酗酒好多年了，有没有帮助戒酒的药？", {"naltrexone"}),
    ],
)
def test_only_the_labels_indicated_for_it_are_listed(habit_index: SearchIndex, question: str,
                                                     listed: set[str]) -> None:
    condition = condition_asked(question)
    assert condition is not None
    found = IndicationSearch().search(habit_index, condition)
    assert {c.medicine_id for c in found} == listed


def test_which_medicine_to_prevent_something_is_a_which_medicine_question() -> None:
    from app.pipeline.indication_search import _phrases, asks_which_medicine, condition_asked

    assert asks_which_medicine("Which medicine is used to prevent gout attacks?")
    assert condition_asked("Which medicine is used to prevent gout attacks?") == "gout attacks"
    assert "gout flares" in _phrases("gout attacks")  # the labels' words: "prophylaxis ... of gout flares"
    assert condition_asked("what medicine prevents malaria when travelling?") == "malaria"
    assert not asks_which_medicine("Which medicines should be stored in the fridge?")
