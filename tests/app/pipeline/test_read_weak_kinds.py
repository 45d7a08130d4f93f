"""Issue 18, reading: warnings, contraindications with a stated condition, interactions and a silent missed dose.

Each case is a consultation a new user asked (or one of eval/data/answers_dev_reading.jsonl's kinds) over a few
label sentences; the evidence is cut to what decides the answer, so the tests run offline in milliseconds."""

from __future__ import annotations

from app.pipeline.read import ExtractiveReader
from app.pipeline.read_cues import asks_effect, conditions_in, own_medicines, question_expansions
from app.pipeline.read_lists import whole_list
from app.pipeline.read_missed import asks_missed_dose, label_speaks_of_missed
from app.pipeline.read_population import asks_dose, child_asked
from app.pipeline.state import Evidence, SearchQuery
from indexing.schema import Chunk


def _ev(mid: str, attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid), 0.03, 0, i)


def _names(text: str) -> set[str]:
    return {c.name for c in conditions_in(text)}


# -- the user's words and the label's -----------------------------------------------------------------------

def test_childbearing_is_not_a_child() -> None:
    said = "I'm 28, a woman of childbearing age. My neurologist suggested Depakote."
    assert "child" not in _names(said)
    assert child_asked(said, conditions_in(said)) is None
    assert "child" in _names("Can my child take it?")


def test_conditions_contraindications_name_in_a_patients_words() -> None:
    assert "thrombosis" in _names("I had a DVT in my leg two years ago")
    assert "thrombosis" in _names("my mum had a blood clot in her lung")
    assert "heart_failure" in _names("I have class III heart failure")
    assert "hyperkalemia" in _names("My last blood test showed my potassium is high.")
    assert "glaucoma" in _names("I have narrow-angle glaucoma")
    assert "maoi" in _names("I'm on an MAOI for my depression")
    assert "bradycardia" in _names("second-degree AV block, no pacemaker")
    assert "pregnancy" in _names("We're trying for a baby")
    assert not _names("I have a headache") & {"thrombosis", "heart_failure", "hyperkalemia", "glaucoma", "maoi"}


def test_effects_in_a_patients_words_get_the_labels() -> None:
    assert {"myopathi", "rhabdomyolysi"} <= question_expansions("can statins cause muscle pain?")
    assert "long-term" in question_expansions("is it ok to take omeprazole long term?")
    assert "photosensit" in question_expansions("we're off to the beach next week")
    assert "neuropsychiatr" in question_expansions("he has nightmares since he started it")
    assert "surgeri" in question_expansions("I'm booked for a hip replacement")
    assert not question_expansions("what is the usual dose?") & {"photosensit", "myopathi", "long-term"}


def test_an_effect_asked_of_a_child_is_not_a_dose_question() -> None:
    nightmares = "Since my son started montelukast he has nightmares. Could the medicine do that?"
    assert asks_effect(nightmares) and not asks_dose(nightmares, "pediatric")
    assert asks_dose("Can my son have montelukast?", "pediatric")
    assert asks_dose("how much singulair should my son take?", "pediatric")


def test_a_medicine_a_prescriber_gave_is_not_one_already_taken() -> None:
    question = "i take sertraline 100 mg every day. my dentist prescribed tramadol - can i take it?"
    assert own_medicines(question, [("sertraline", "sertraline"), ("tramadol", "tramadol")]) == {"sertraline"}
    assert own_medicines("my mom takes warfarin, can she take advil?",
                         [("warfarin", "warfarin"), ("ibuprofen", "advil")]) == {"warfarin"}


def test_missed_dose_wording() -> None:
    assert asks_missed_dose("I missed my levothyroxine dose")
    assert asks_missed_dose("I forgot to take my pill this morning")
    assert asks_missed_dose("我忘了吃优甲乐怎么办")
    assert not asks_missed_dose("How much levothyroxine should I take?")
    assert label_speaks_of_missed(["If a dose is missed it should be taken as soon as possible."])
    assert not label_speaks_of_missed(["Administer once daily on an empty stomach before breakfast."])


# -- the reader ---------------------------------------------------------------------------------------------

LEVOTHYROXINE = [
    _ev("levothyroxine", "dosage", "Administer levothyroxine sodium tablets as a single daily dose, on an empty "
        "stomach, one-half to one hour before breakfast. Starting dose depends on a variety of factors, "
        "including age, body weight and cardiovascular status."),
    _ev("levothyroxine", "overdosage", "The signs and symptoms of overdosage are those of hyperthyroidism."),
]


def test_a_missed_dose_the_label_is_silent_on_is_said_and_no_dosing_line_quoted() -> None:
    q = [SearchQuery("levothyroxine", "dosage", "levothyroxine dose missed")]
    result = ExtractiveReader().read_evidence("I missed my levothyroxine dose", q, LEVOTHYROXINE)
    assert result.citations == []
    assert "does not say what to do about a missed dose" in result.notice
    assert "pharmacist or doctor" in result.notice
    # A dose question is answered from the same sentences as before.
    asked = ExtractiveReader().read_evidence("When should I take levothyroxine?", q, LEVOTHYROXINE)
    assert asked.citations and "before breakfast" in asked.citations[0].quote


def test_a_missed_dose_the_label_speaks_of_is_quoted() -> None:
    ev = [_ev("divalproex-sodium", "dosage", "The recommended initial dose is 750 mg daily in divided doses. "
              "If a dose is missed it should be taken as soon as possible, unless it is almost time for the "
              "next dose.")]
    q = [SearchQuery("divalproex-sodium", "dosage", "divalproex dose")]
    result = ExtractiveReader().read_evidence("I forgot my Depakote this morning, what should I do?", q, ev)
    assert any("as soon as possible" in c.quote for c in result.citations)
    assert "missed dose" not in result.notice


ATORVASTATIN = [
    _ev("atorvastatin", "adverse_reactions", "The most common adverse reactions (incidence ≥5%) were "
        "nasopharyngitis, arthralgia, diarrhea, pain in extremity, and urinary tract infection. "
        "Myalgia; 3.1; 3.6; 5.9; 8.4; 2.7; 3.5. Muscle spasms; 3.0; 4.6; 4.8; 5.1; 2.4; 3.6."),
    _ev("atorvastatin", "dosage", "The recommended starting dosage of atorvastatin calcium tablets is 10 or 20 "
        "mg once daily."),
    _ev("atorvastatin", "warnings", "Atorvastatin calcium may cause myopathy (muscle pain, tenderness, or weakness "
        "associated with elevated creatine kinase [CK]) and rhabdomyolysis. Acute kidney injury secondary to "
        "myoglobinuria has occurred."),
]


def test_statin_muscle_pain_leads_with_the_myopathy_warning() -> None:
    q = [SearchQuery("atorvastatin", "adverse_reactions", "atorvastatin muscle pain side effects")]
    result = ExtractiveReader().read_evidence("can statins cause muscle pain? I'm on atorvastatin", q, ATORVASTATIN)
    assert "rhabdomyolysis" in result.citations[0].quote
    # The incidence table's rows say nothing a patient can use before the warning does.
    assert all("starting dosage" not in c.quote and "; 3.6" not in c.quote for c in result.citations)


OMEPRAZOLE = [
    _ev("omeprazole", "adverse_reactions", "The most common adverse reactions reported from omeprazole-treated "
        "patients included headache (7%), abdominal pain (5%), nausea (4%), diarrhea (4%), vomiting (3%), and "
        "flatulence (3%)."),
    _ev("omeprazole", "warnings", "Several published observational studies suggest that proton pump inhibitor "
        "(PPI) therapy may be associated with an increased risk for osteoporosis-related fractures of the hip, "
        "wrist, or spine. The risk of fracture was increased in patients who received high-dose, defined as "
        "multiple daily doses, and long-term PPI therapy (a year or longer)."),
    _ev("omeprazole", "indications", "Omeprazole is indicated for short-term treatment of active duodenal ulcer "
        "in adults; most patients heal within four weeks."),
]


def test_omeprazole_long_term_quotes_the_long_term_warning() -> None:
    q = [SearchQuery("omeprazole", "adverse_reactions", "omeprazole long term side effects")]
    result = ExtractiveReader().read_evidence("is it ok to take omeprazole long term?", q, OMEPRAZOLE)
    assert any("long-term PPI therapy" in c.quote for c in result.citations)


MONTELUKAST = [
    _ev("montelukast", "dosage", "For pediatric patients 6 to 14 years of age: one 5-mg chewable tablet. For "
        "pediatric patients 2 to 5 years of age: one 4-mg chewable tablet."),
    _ev("montelukast", "warnings", "Serious neuropsychiatric (NP) events have been reported with use of montelukast "
        "sodium. The events included agitation, aggressive behavior or hostility, dream abnormalities and "
        "suicidal thinking."),
]


def test_a_childs_behaviour_change_quotes_the_warning_not_the_childs_dose() -> None:
    q = [SearchQuery("montelukast", "pediatric", "montelukast children nightmares")]
    question = "Since my son started montelukast he has nightmares and gets angry. Could the medicine do that?"
    result = ExtractiveReader().read_evidence(question, q, MONTELUKAST)
    assert "neuropsychiatric" in result.citations[0].quote
    assert all("chewable" not in c.quote for c in result.citations)
    assert "gives no dose for a child" not in result.notice


ESTRADIOL = [
    _ev("estradiol", "pharmacology", "To date, two estrogen receptors have been identified."),
    _ev("estradiol", "contraindications", "Estradiol tablets should not be used in women with any of the following "
        "conditions: Undiagnosed abnormal genital bleeding. Active deep vein thrombosis, pulmonary embolism or "
        "history of these conditions."),
    _ev("estradiol", "indications", "Estradiol tablets are indicated in the treatment of moderate to severe "
        "vasomotor symptoms due to menopause."),
]


def test_a_clot_history_leads_with_the_contraindication_naming_it() -> None:
    q = [SearchQuery("estradiol", None, "estradiol hot flashes")]
    question = "I had a blood clot in my leg two years ago. Would estradiol be an option for my hot flashes?"
    result = ExtractiveReader().read_evidence(question, q, ESTRADIOL)
    assert "deep vein thrombosis" in result.citations[0].quote


def test_a_condition_said_in_the_users_words_is_one_the_label_may_name_whole() -> None:
    addison = [c for c in conditions_in("I have Addison's disease and take hydrocortisone.") if c.name == "stated"]
    assert addison and addison[0].terms == frozenset({"addison"}) and addison[0].whole
    assert [c.terms for c in conditions_in("She was diagnosed with pancreatitis last year") if c.name == "stated"]
    assert not [c for c in conditions_in("I have been taking it for years") if c.name == "stated"]
    assert not [c for c in conditions_in("I have a question about my pills") if c.name == "stated"]


SPIRONOLACTONE = [
    _ev("spironolactone", "interactions", "Agents increasing serum potassium: Concomitant administration can lead "
        "to hyperkalemia. Avoid concomitant use of spironolactone and mitotane."),
    _ev("spironolactone", "indications", "Spironolactone tablets are indicated for the treatment of heart failure "
        "and hypertension."),
    _ev("spironolactone", "contraindications", "Spironolactone is contraindicated in the patients with: Hyperkalemia "
        "Addison's disease Concomitant use of eplerenone."),
]


def test_addisons_disease_leads_with_the_contraindication_naming_it() -> None:
    q = [SearchQuery("spironolactone", "interactions", "spironolactone hydrocortisone acne")]
    question = "I have Addison's disease and take hydrocortisone. A new doctor suggested spironolactone. Can I take it?"
    result = ExtractiveReader().read_evidence(question, q, SPIRONOLACTONE)
    assert "Addison" in result.citations[0].quote
    # Shown as a safety item, before whatever was asked.
    assert "Important: Spironolactone is contraindicated" in result.text


def test_could_it_be_the_medication_asks_an_effect() -> None:
    question = "her vision suddenly went blurry and her eyes hurt. Could it be the medication?"
    assert asks_effect(question)
    assert {"myopia", "glaucoma"} <= question_expansions(question)


_SPIRONOLACTONE_LIST = ("Spironolactone is contraindicated in the patients with: Hyperkalemia Addison’s disease "
                        "Concomitant use of eplerenone Spironolactone is contraindicated in patients with ( 4 ): "
                        "Hyperkalemia Addison’s disease Concomitant use of eplerenone")


def test_a_contraindications_list_with_no_full_stop_is_quoted_once_whole() -> None:
    line = whole_list("contraindications", _SPIRONOLACTONE_LIST, 0)
    assert line == ("Spironolactone is contraindicated in the patients with: Hyperkalemia Addison’s disease "
                    "Concomitant use of eplerenone.")
    assert whole_list("contraindications", _SPIRONOLACTONE_LIST, 2) is None  # the splitter found sentences
    assert whole_list("warnings", _SPIRONOLACTONE_LIST, 0) is None
    assert whole_list("contraindications", "x " * 400 + "contraindicated", 0) is None


def test_a_stated_condition_finds_it_in_that_list() -> None:
    ev = [_ev("spironolactone", "contraindications", _SPIRONOLACTONE_LIST),
          _ev("spironolactone", "interactions", "Agents increasing serum potassium: Concomitant administration can "
              "lead to hyperkalemia. Avoid concomitant use of spironolactone and mitotane.")]
    q = [SearchQuery("spironolactone", "interactions", "spironolactone hydrocortisone")]
    result = ExtractiveReader().read_evidence("I have Addison's disease. Can I take spironolactone?", q, ev)
    assert "Important: Spironolactone is contraindicated in the patients with: Hyperkalemia Addison’s" in result.text
