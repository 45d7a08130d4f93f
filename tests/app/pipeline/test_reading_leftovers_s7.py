"""Reading leftovers from session 7's new-user trial: an ingestion reads what too much does first, "I'm diabetic"
and "my little girl is 4" are conditions, Chinese gravity words read the box, a user's own medicine's warning leads
when the asked label has none, a several-word name is no heading, long-term use reads the prescription label, and a
dosing heading listing indications stays whole."""

from __future__ import annotations

import pytest

from app.pipeline import read
from app.pipeline.compose import Quote, strip_heading
from app.pipeline.otc_choice import self_care_label
from app.pipeline.read import ExtractiveReader
from app.pipeline.read_cues import conditions_in
from app.pipeline.read_dose import indication_rows
from app.pipeline.read_gravity import asks_gravity
from app.pipeline.read_population import child_asked
from app.pipeline.state import Evidence, SearchQuery
from indexing.schema import Chunk


def _ev(mid: str, attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid), 0.03, 0, i)


def test_an_ingestion_reads_what_too_much_does_before_the_dosing() -> None:
    question = "my toddler may have swallowed 5 of my amlodipine tablets, what happens?"
    evidence = [
        _ev("amlodipine", "dosage", "Adult recommended starting dose: 5 mg once daily with maximum dose 10 mg once "
                                    "daily. Pediatric starting dose: 2.5 mg to 5 mg once daily."),
        _ev("amlodipine", "overdosage", "Overdosage might be expected to cause excessive peripheral vasodilation "
                                        "with marked hypotension and possibly a reflex tachycardia. In humans, "
                                        "experience with intentional overdosage of amlodipine tablets is limited."),
    ]
    result = ExtractiveReader().read_evidence(question, [SearchQuery("amlodipine", "overdosage", question)],
                                              evidence)
    assert result.citations and result.citations[0].attribute == "overdosage", result.text
    assert all(c.attribute != "dosage" for c in result.citations), result.text  # "5" tablets is no "5 mg"


@pytest.mark.parametrize("said", ["I'm diabetic, anything to watch?", "I am a diabetic on prednisone",
                                  "my blood sugar runs high"])
def test_diabetes_said_in_everyday_words_is_a_condition(said: str) -> None:
    diabetes = next((c for c in conditions_in(said) if c.name == "diabetes"), None)
    assert diabetes is not None and {"carbohydr", "diabet"} & diabetes.terms


def test_a_little_girl_and_her_age_said_apart_are_a_child_of_that_age() -> None:
    for said in ("My little girl is 4. Can she have loperamide?",
                 "can I give loperamide to my little girl? she is 4"):
        child = next((c for c in conditions_in(said) if c.name == "child"), None)
        assert child is not None and child.ages == (4,), said
        found = child_asked(said, conditions_in(said))
        assert found is not None and found.age == 4, said
    assert not any(c.name == "child" for c in conditions_in("the dose is 4 tablets, she is 40"))


def test_chinese_gravity_words_ask_how_grave_the_risks_are() -> None:
    for question in ("布洛芬危险吗？", "布洛芬安全吗？", "吃华法林有什么风险", "有没有严重的副作用"):
        assert asks_gravity(question), question
    for question in ("孕妇吃布洛芬安全吗？", "布洛芬和酒一起安全吗", "孩子吃布洛芬安全吗", "布洛芬的剂量是多少"):
        assert not asks_gravity(question), question


def test_a_taken_medicines_warning_leads_when_the_asked_label_has_none() -> None:
    asked = ("Naproxen (label), side effects:",
             [Quote("naproxen", "adverse_reactions", "naproxen:adverse_reactions:0",
                    "The following adverse reactions are discussed in greater detail in other sections.")])
    taken = ("Lisinopril (label), drug interactions:",
             [Quote("lisinopril", "interactions", "lisinopril:interactions:0",
                    "Coadministration of NSAIDs with ACE inhibitors may result in deterioration of renal function.",
                    safety=True)])
    _safety_group_first = read._safety_group_first
    assert _safety_group_first([asked, taken], {"lisinopril"}) == [taken, asked]
    assert _safety_group_first([asked, taken], set()) == [asked, taken]  # a second medicine asked, not taken
    asked_safe = (asked[0], [Quote("naproxen", "interactions", "naproxen:interactions:0",
                                   "NSAIDs may diminish the antihypertensive effect of ACE inhibitors.", safety=True)])
    assert _safety_group_first([asked_safe, taken], {"lisinopril"}) == [asked_safe, taken]


def test_a_name_of_several_words_is_no_heading() -> None:
    names = frozenset({"amoxicillin", "clavulan", "potassium"})
    sentence = ("Amoxicillin and Clavulanate Potassium is contraindicated in patients with a history of serious "
                "hypersensitivity reactions.")
    assert strip_heading(sentence, names) == sentence
    assert strip_heading(f"Hypersensitivity Reactions {sentence}", names) == sentence
    assert strip_heading("Tendon Rupture Fluoroquinolones, including ciprofloxacin, have been associated with "
                         "tendon rupture.").startswith("Fluoroquinolones, including")


@pytest.mark.parametrize("said", ["I'm on omeprazole. How long can I keep taking it?",
                                  "is it ok to take omeprazole for years?", "omeprazole long term, how much?"])
def test_staying_on_it_reads_the_prescription_label(said: str) -> None:
    query = SearchQuery("omeprazole", "dosage", said)
    held = {"omeprazole", "omeprazole-otc"}
    assert self_care_label(query, said, held.__contains__, lambda mid: "").medicine == "omeprazole"
    short = "how much omeprazole for heartburn?"
    assert self_care_label(SearchQuery("omeprazole", "dosage", short), short, held.__contains__,
                           lambda mid: "").medicine == "omeprazole-otc"


def test_a_dosing_heading_listing_indications_stays_whole() -> None:
    heading = "Management of Pain, Primary Dysmenorrhea, and Acute Tendonitis and Bursitis"
    sentence = f"{heading} Recommended starting dose 550 mg of naproxen sodium followed by 550 mg every 12 hours."
    assert strip_heading(sentence).startswith(f"{heading}: Recommended starting dose 550 mg")
    column = "Adult Patients Infection* Recommended Dose/Duration of Therapy Community-acquired pneumonia 500 mg daily."
    assert ": Recommended" not in strip_heading(column)  # a table's column heading starts no sentence
    text = f"Dosing is not appropriate for children weighing less than 50 kilograms. {sentence}"
    rows = indication_rows(text, "what is the dose of naproxen for tendonitis?", frozenset({"naproxen", "dose"}))
    assert rows == [f"{heading}: Recommended starting dose 550 mg."]


def test_may_i_give_it_to_a_child_reads_the_dosing_for_that_age() -> None:
    question = "can I give loperamide to my little girl? she is 4"
    evidence = [
        _ev("loperamide-hcl", "indications", "Uses controls symptoms of diarrhea, including Travelers' Diarrhea."),
        _ev("loperamide-hcl", "dosage", "Directions: drink plenty of clear fluids. Adults and children 12 years and "
                                        "over: 4 mg after the first loose stool. Children 2-5 years (34 to 47 lbs): "
                                        "ask a doctor. Children under 2 years: do not use."),
    ]
    result = ExtractiveReader().read_evidence(question, [SearchQuery("loperamide-hcl", None, question)], evidence)
    assert result.citations and result.citations[0].attribute == "dosage", result.text
    assert "2-5 years" in result.text, result.text
