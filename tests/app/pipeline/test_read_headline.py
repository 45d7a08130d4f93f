"""Issue 18 (reading): the sentence a pharmacist would lead with for a warning, side-effect, contraindication or
dose-timing question. Hand-written wordings (lay and clinician) over label text in the shapes the shipped labels
use; no test set's phrase."""

from __future__ import annotations

from app.pipeline.read import ExtractiveReader
from app.pipeline.read_cues import (
    conditions_in,
    headline_fit,
    key_sentence,
    noise_penalty,
    question_expansions,
    untreated,
)
from app.pipeline.read_dose import asks_dose
from app.pipeline.read_enumeration import enumerated_items
from app.pipeline.state import Evidence, SearchQuery
from indexing.schema import Chunk
from indexing.text import tokenize

DILTIAZEM_CONTRAINDICATIONS = (
    "Diltiazem hydrochloride extended-release capsules are contraindicated in (1) patients with sick sinus syndrome "
    "except in the presence of a functioning ventricular pacemaker, (2) patients with second- or third-degree AV "
    "block except in the presence of a functioning ventricular pacemaker, (3) patients with hypotension (less than "
    "90 mm Hg systolic), (4) patients who have demonstrated hypersensitivity to the drug, and (5) patients with "
    "acute myocardial infarction and pulmonary congestion documented by x-ray on admission.")


def _tokens(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))


def _ev(mid: str, attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid), 0.03, 0, i)


def test_a_warnings_headline_and_its_instruction_gain_over_its_detail() -> None:
    asked = _tokens("thirsty dehydration fluid electrolyte")
    headline = "Excessive diuresis may cause dehydration and blood volume reduction with circulatory collapse."
    detail = "Sudden alterations of fluid and electrolyte balance in patients with cirrhosis may precipitate coma."
    assert headline_fit(headline, _tokens(headline), asked) > headline_fit(detail, _tokens(detail), asked) - 1.5
    assert headline_fit(headline, _tokens(headline), asked) == 1.5
    act = "Discontinue at the first sign of rash, unless the rash is clearly not drug related."
    assert headline_fit(act, _tokens(act), _tokens("rash")) == 1.0
    assert headline_fit(act, _tokens(act), _tokens("nausea")) == 0.0  # the effect asked must be named
    assert headline_fit(headline, _tokens(headline), frozenset()) == 0.0


def test_conditions_said_in_lay_words_take_the_labels_words() -> None:
    def names(said: str) -> set[str]:
        return {c.name for c in conditions_in(said)}

    assert "sulfa" in names("I'm allergic to sulfa drugs, is this one ok?")
    assert "ulcer" in names("I had a bleeding ulcer two years back")
    ulcer = next(c for c in conditions_in("I had a stomach ulcer") if c.name == "ulcer")
    assert ulcer.terms & _tokens("patients with a prior history of peptic ulcer disease")
    assert not ulcer.terms & _tokens("Dry eyes and mouth, gingival ulcer, rhinitis.")  # not any ulcer
    assert "prostate" in names("my husband has an enlarged prostate and can't pee well")
    assert "prostate" not in names("I take finasteride for my prostate")  # the indication, not a condition
    assert "dementia" in names("Grandad has Alzheimer's")
    assert "breastfeeding" not in names("the nursing home gave her a new pill")
    assert "breastfeeding" in names("I'm nursing my 2 month old")


def test_effects_in_lay_words() -> None:
    assert {"myalgia", *tokenize("myopathy")} <= question_expansions("my legs ache all the time on this statin")
    assert set(tokenize("edema")) <= question_expansions("ankles swollen since the dose went up")
    assert set(tokenize("obesity")) <= question_expansions("can it help me lose 5 kg?")
    assert set(tokenize("tendon")) <= question_expansions("I'm training for a marathon, anything to watch?")
    assert not question_expansions("what is the usual dose?") & set(tokenize("edema tendon obesity"))


def test_a_condition_the_medicine_treats_is_no_safety_condition_for_it() -> None:
    conditions = conditions_in("my son takes it for his asthma and he has glaucoma")
    treats = _tokens("Montelukast sodium is indicated for prophylaxis and chronic treatment of asthma.")
    left = {c.name for c in untreated(conditions, treats)}
    assert "asthma" not in left and "glaucoma" in left and "child" in left
    assert {c.name for c in untreated(conditions, _tokens("indicated for hypertension"))} >= {"asthma", "glaucoma"}


def test_the_common_side_effects_sentence_is_key_and_trial_dropouts_are_noise() -> None:
    assert key_sentence("adverse_reactions", "Most commonly observed adverse reactions (incidence >= 5%) are: "
                                             "insomnia, nausea, fatigue.")
    assert key_sentence("adverse_reactions", "The following adverse reactions (events 2% greater than placebo) "
                                             "were observed: headache, dizziness, cough.")
    assert noise_penalty("The rate of discontinuation for adverse reactions in patients receiving 10 mg/day was "
                         "not significantly different from placebo.") >= 1.0
    assert noise_penalty("In heart failure trials, therapy was discontinued in 8.1% of patients.") >= 1.0
    assert noise_penalty("Most common adverse reaction to amlodipine is edema.") == 0.0


def test_a_numbered_contraindication_list_too_long_to_quote_gives_its_items() -> None:
    items = enumerated_items("contraindications", DILTIAZEM_CONTRAINDICATIONS)
    assert len(items) == 5
    assert items[1] == ("Diltiazem hydrochloride extended-release capsules are contraindicated in patients with "
                        "second- or third-degree AV block except in the presence of a functioning ventricular "
                        "pacemaker.")
    assert all(i.startswith("Diltiazem hydrochloride extended-release capsules are contraindicated in ") for i in items)
    assert enumerated_items("dosage", DILTIAZEM_CONTRAINDICATIONS) == []
    short = "It is contraindicated in (1) anuria and (2) hypersensitivity."  # quotable whole already
    assert enumerated_items("contraindications", short) == []
    unnumbered = DILTIAZEM_CONTRAINDICATIONS.replace("(3)", "(7)")
    assert enumerated_items("contraindications", unnumbered) == []  # not a clean 1..n list


def test_a_stated_av_block_reads_the_numbered_contraindication_item() -> None:
    evidence = [
        _ev("diltiazem", "contraindications", DILTIAZEM_CONTRAINDICATIONS),
        _ev("diltiazem", "dosage", "When used as monotherapy, reasonable starting doses are 180 to 240 mg once "
                                   "daily. The usual dosage range studied was 240 to 360 mg once daily.", 1),
    ]
    question = "I've got second degree heart block and no pacemaker. Is diltiazem safe?"
    result = ExtractiveReader().read_evidence(question, [SearchQuery("diltiazem", "contraindications", question)],
                                              evidence)
    assert result.citations and "third-degree AV block" in result.citations[0].quote


def test_time_of_day_questions_ask_the_dose_section() -> None:
    for question in ("Atorvastatin: morning or night?", "is simvastatin better taken at night?",
                     "what time of day should she take it"):
        assert asks_dose(question, None), question
    assert not asks_dose("I feel dizzy at night, is it the amlodipine?", None)


def test_a_morning_or_night_question_quotes_when_before_how_much() -> None:
    evidence = [
        _ev("atorvastatin", "dosage", "Adults: Recommended starting dosage is 10 or 20 mg once daily; dosage range "
            "is 10 mg to 80 mg once daily. Take atorvastatin calcium tablets orally once daily at any time of the "
            "day, with or without food. Patients requiring LDL-C reduction >45% may start at 40 mg once daily. The "
            "dosage range is 10 mg to 80 mg once daily. In patients taking clarithromycin or itraconazole, do not "
            "exceed atorvastatin calcium tablets 20 mg once daily."),
        _ev("atorvastatin", "indications", "Atorvastatin calcium tablets are indicated to reduce the risk of MI, "
            "stroke and revascularization procedures in adults.", 1),
    ]
    for question in ("Atorvastatin, morning or night?", "should I take my atorvastatin at night"):
        result = ExtractiveReader().read_evidence(question, [SearchQuery("atorvastatin", None, question)], evidence)
        assert "at any time of the day" in result.citations[0].quote, question


def test_who_the_trials_enrolled_is_noise_for_a_patient() -> None:
    # tramadol's side effects led with this line (helper-96's trial)
    assert noise_penalty("A total of 901 patients were 65 years or older.") >= 2.0
    assert noise_penalty("Tramadol tablets were administered to a total of 3,108 patients in clinical trials.") >= 2.0
    assert noise_penalty("The most common adverse reactions are dizziness, nausea and constipation.") == 0.0
