"""Issue 18 (reading, session 9): the decisive fact of the label in the answer. Hand-written wordings over label
text written in the shapes the shipped labels use; no evaluation set's phrase.

- "cancer of the womb" is read in the label's words (uterine, endometrial);
- "how high can it go?" asks the dose, its maximum first;
- a breastfeeding question on a label with no lactation section reads its contraindications ("should not
  breastfeed");
- a missed dose asked: the label's missed-dose and "do not double" lines lead over its maximum;
- alcohol asked: the label's "ethanol" sentences speak of it, and "must not be ingested" is what must not be done;
- of a heading and the line giving its dose, the line with the amount is quoted; two sentences giving different
  amounts are no restatement of each other;
- stopping asked is no dose question: the line on discontinuing is quoted, before a third warning on withdrawal;
- a toddler's age said in months is a child of that age, and a warning not to use it under an age that includes
  the child's is a safety item;
- a kidney stone is no kidney disease.
"""

from __future__ import annotations

from app.pipeline.read import ExtractiveReader, _amounts, _own_amount
from app.pipeline.read_cues import conditions_in, question_expansions
from app.pipeline.read_dose import asks_dose, stopping_asked
from app.pipeline.read_missed import speaks_to_asked, topics_asked
from app.pipeline.read_partner import decisiveness
from app.pipeline.read_population import _said_age
from app.pipeline.state import Evidence, SearchQuery
from indexing.schema import Chunk


def _ev(mid: str, attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid), 0.03, 0, i)


def test_the_womb_is_read_in_the_labels_words() -> None:
    assert {"uterin", "endometri"} <= question_expansions("will this medicine give me cancer of the womb?")
    assert not {"uterin", "endometri"} & question_expansions("will this medicine give me liver cancer?")
    question = "I read raloxifene can cause cancer of the womb - is that true?"
    evidence = [
        _ev("raloxifene", "warnings", "Effects on the liver: Liver cancer and liver abnormalities have occurred in "
                                      "patients treated with raloxifene."),
        _ev("raloxifene", "warnings", "Ovarian cysts have been observed in premenopausal patients with advanced "
                                      "breast cancer who have been treated with raloxifene. Cataracts and the need "
                                      "for cataract surgery were reported more often in women receiving "
                                      "raloxifene.", 2),
        _ev("raloxifene", "warnings", "Thromboembolic events: the risk of deep vein thrombosis increases with "
                                      "coadministered chemotherapy. Hypercalcemia has been reported in some breast "
                                      "cancer patients with bone metastases within a few weeks of starting "
                                      "treatment.", 3),
        _ev("raloxifene", "warnings", "An increased incidence of uterine malignancies (endometrial adenocarcinoma) "
                                      "has been reported with raloxifene treatment.", 1),
    ]
    result = ExtractiveReader().read_evidence(question, [SearchQuery("raloxifene", "warnings", question)], evidence)
    assert "uterine malignancies" in result.text, result.text


def test_how_high_a_dose_can_go_asks_the_dose() -> None:
    for question in ("my gliclazide keeps being increased, how high can it go?", "how high can they push the dose?",
                     "how far can my dose be raised?"):
        assert asks_dose(question, None), question
    for question in ("how high is the risk of bleeding?", "how far can I walk after the injection?"):
        assert not asks_dose(question, None), question
    question = "they keep raising my glyburide. how high can it go?"
    evidence = [
        _ev("glyburide", "pharmacology", "Glyburide appears to lower the blood glucose acutely by stimulating the "
                                         "release of insulin from the pancreas."),
        _ev("glyburide", "dosage", "The usual starting dose is 2.5 mg daily, given with breakfast. The maximum "
                                   "recommended total daily dose is 20 mg."),
    ]
    result = ExtractiveReader().read_evidence(question, [SearchQuery("glyburide", None, question)], evidence)
    assert "20 mg" in result.text and result.citations[0].attribute == "dosage", result.text


def test_breastfeeding_on_a_label_without_a_lactation_section_reads_its_contraindications() -> None:
    question = "I'm breastfeeding my 2 month old. Is it fine to restart my simvastatin?"
    evidence = [
        _ev("simvastatin", "warnings", "Myopathy should be considered in any patient with diffuse myalgias or marked "
                                       "elevation of CPK."),
        _ev("simvastatin", "warnings", "All patients should be advised to report unexplained muscle pain or "
                                       "weakness promptly.", 1),
        _ev("simvastatin", "contraindications", "Because statins may cause serious adverse reactions in nursing "
                                                "infants, women who require simvastatin should not breastfeed "
                                                "their infants."),
    ]
    result = ExtractiveReader().read_evidence(question, [SearchQuery("simvastatin", "lactation", question)], evidence)
    assert "should not breastfeed" in result.text, result.text


def test_a_missed_dose_reads_the_labels_missed_dose_lines_before_its_maximum() -> None:
    question = "I forgot this morning's flecainide. Do I take two at lunch to catch up?"
    assert speaks_to_asked(topics_asked(question), "Do not double the dose to make up for it.")
    assert speaks_to_asked(topics_asked(question), "If a dose is missed, take the next dose at the usual time.")
    assert not speaks_to_asked(topics_asked(question), "The maximum dose is 300 mg per day.")
    assert not speaks_to_asked(topics_asked("what is the maximum dose?"), "Do not double the dose.")
    evidence = [
        _ev("flecainide", "dosage", "Increase the dose in increments of 50 mg twice daily every four days to a "
                                    "maximum of 300 mg per day. The usual starting dose is 50 mg every 12 hours. "
                                    "For patients with a creatinine clearance below 35 mL/min, start at 100 mg "
                                    "once daily."),
        _ev("flecainide", "dosage", "For sustained ventricular tachycardia the recommended starting dose is 100 mg "
                                    "every 12 hours, increased in increments of 50 mg twice daily every four days "
                                    "until efficacy is achieved. Most patients do not require more than 150 mg "
                                    "every 12 hours (300 mg per day), and the maximum dose is 400 mg per day.", 1),
        _ev("flecainide", "patient_counseling", "Advise patients who miss a dose to take the next dose at the usual "
                                                "time. Patients should not double the next dose to make up for the "
                                                "missed one."),
    ]
    result = ExtractiveReader().read_evidence(question, [SearchQuery("flecainide", "dosage", question)], evidence)
    assert "take the next dose at the usual time" in result.text and "not double" in result.text, result.text


def test_alcohol_is_read_in_the_labels_ethanol_sentences() -> None:
    assert decisiveness("Ethanol must not be ingested by female patients during treatment.") == 0
    assert decisiveness("Patients must not drink alcohol while taking it.") == 0
    question = "can I have a beer while I'm taking bexarotene?"
    evidence = [
        _ev("bexarotene", "boxed_warning",
            "However, a metabolite was found in plasma in one patient reported to have had sporadic alcohol intake, "
            "40 months after stopping therapy. Because the metabolite prolongs the teratogenic potential, ethanol "
            "must not be ingested by female patients of childbearing potential during treatment and for 2 months "
            "after stopping."),
        _ev("bexarotene", "interactions", "Ethanol: the metabolite can be formed with concurrent ingestion of "
                                          "bexarotene and ethanol in a crossover study of 10 subjects."),
    ]
    queries = [SearchQuery("bexarotene", "interactions", question), SearchQuery("alcohol", None, "alcohol")]
    result = ExtractiveReader().read_evidence(question, queries, evidence)
    assert "must not be ingested" in result.text, result.text


def test_the_line_giving_the_dose_is_quoted_not_its_heading() -> None:
    question = "I have cirrhosis, Child-Pugh A. What dose of darifenacin should I take?"
    evidence = [
        _ev("darifenacin", "dosage", "The recommended starting dose is 7.5 mg once daily. Darifenacin is not "
                                     "recommended for use in patients with severe hepatic impairment (Child-Pugh "
                                     "Class C)."),
        _ev("darifenacin", "specific_populations", "Dose adjustment in mild to moderate hepatic impairment (Child-Pugh "
                                                   "Class A, B)."),
        _ev("darifenacin", "dosage", "For patients with mild to moderate hepatic impairment (Child-Pugh Class A or "
                                     "B), the recommended dose of darifenacin is 7.5 mg once daily, not to exceed "
                                     "7.5 mg.", 1),
    ]
    result = ExtractiveReader().read_evidence(question, [SearchQuery("darifenacin", "dosage", question)], evidence)
    assert "Child-Pugh Class A or B), the recommended dose" in result.text, result.text


def test_sentences_giving_different_amounts_are_no_restatement() -> None:
    assert _amounts("in patients (CCr 10-30 mL/min) the dose is 2 mg once daily") == {"10-30ml", "2mg"}
    assert _own_amount("the recommended dose is 2 mg once daily in Child-Pugh Class A or B patients",
                       "not recommended in patients with CCr <10 mL/min or in Child-Pugh Class C patients")
    assert not _own_amount("NDC 0000-1111-2 BOX OF 2.5mL Store the bottles in a refrigerator",
                           "BOX OF 2.5mL Store the bottles in a refrigerator until opened")


def test_stopping_asked_reads_the_discontinuing_line_not_the_dose_lines() -> None:
    for question in ("can I just stop taking my propranolol?", "I want to come off it", "quit it cold turkey?"):
        assert stopping_asked(question), question
    for question in ("I want to quit smoking, is bupropion an option?", "how much do I cut the dose when stopping?",
                     "what is the usual dose?"):
        assert not stopping_asked(question), question
    question = "My blood pressure is fine now. Can I just stop the timolol tablets?"
    evidence = [
        _ev("timolol", "boxed_warning",
            "Exacerbation of angina and, in some cases, myocardial infarction have occurred after abrupt "
            "discontinuation of beta-blocker therapy. Patients should be warned against interruption or "
            "discontinuation of therapy without the physician's advice."),
        _ev("timolol", "warnings", "Patients suspected of developing thyrotoxicosis should be managed carefully to "
                                   "avoid abrupt withdrawal of beta-adrenergic blockade which might precipitate a "
                                   "thyroid storm."),
        _ev("timolol", "dosage", "The usual initial dose is 10 mg twice a day. Dosage may be gradually increased in "
                                 "10 to 20 mg increments until optimum blood pressure reduction is achieved. If "
                                 "treatment is to be discontinued, reduce the dosage gradually over a period of one to "
                                 "two weeks."),
    ]
    result = ExtractiveReader().read_evidence(question, [SearchQuery("timolol", "dosage", question)], evidence)
    assert "one to two weeks" in result.text, result.text
    assert "10 mg twice a day" not in result.text, result.text


def test_an_age_in_months_and_the_warning_for_that_age() -> None:
    assert _said_age("my toddler is 18 months and has a fever") == 1
    assert _said_age("a 10 month old") == 0
    assert _said_age("my 30 month old") == 2
    assert _said_age("I have taken it for 3 months") is None
    question = "my little one is 20 months and has a bad cough - can I give her the codeine syrup?"
    evidence = [
        _ev("codeine-syrup", "dosage", "For children 6 to under 12 years of age, the usual dose is 5 mL every 4 to "
                                       "6 hours. Children 2 to under 6 years: 2.5 mL every 4 to 6 hours, not to "
                                       "exceed 15 mL in 24 hours."),
        _ev("codeine-syrup", "warnings", "CODEINE SYRUP SHOULD NOT BE USED IN PEDIATRIC PATIENTS LESS THAN 2 YEARS "
                                         "OF AGE BECAUSE OF THE RISK OF FATAL RESPIRATORY DEPRESSION."),
        _ev("codeine-syrup", "warnings", "Codeine may cause constipation and drowsiness in some patients.", 1),
    ]
    result = ExtractiveReader().read_evidence(question, [SearchQuery("codeine-syrup", "pediatric", question)],
                                              evidence)
    assert "Important: CODEINE SYRUP SHOULD NOT BE USED" in result.text, result.text


def test_a_kidney_stone_is_no_kidney_disease() -> None:
    assert "kidney" not in {c.name for c in conditions_in("can I take naproxen for my kidney stone pain?")}
    assert "kidney" not in {c.name for c in conditions_in("renal colic since last night, is diclofenac ok?")}
    assert "kidney" in {c.name for c in conditions_in("I have kidney disease and had kidney stones before")}
    assert "kidney" in {c.name for c in conditions_in("my renal function is poor")}
