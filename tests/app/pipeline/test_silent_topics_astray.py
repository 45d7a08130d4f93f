"""Pregnancy and breastfeeding questions a label is silent on (read_missed): an infant's dose or "take with milk" is
no breastfeeding text, and the sentences quoted under the notice are not about children or pregnancy instead."""

from __future__ import annotations

from app.pipeline.read import ExtractiveReader
from app.pipeline.read_missed import BREASTFEEDING, PREGNANCY, silent_topic
from app.pipeline.state import Evidence, SearchQuery
from indexing.schema import Chunk


def _ev(mid: str, attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid.title()), 0.03, 0, i)


def test_an_infants_dose_or_milk_with_food_does_not_speak_of_breastfeeding() -> None:
    label = ["The recommended dose in infants is 6 mg/kg once daily.", "Take it with food or milk."]
    assert silent_topic([BREASTFEEDING], "lactation", label) is BREASTFEEDING
    assert silent_topic([BREASTFEEDING], "lactation", [*label, "It is excreted in human milk."]) is None
    assert silent_topic([BREASTFEEDING], "lactation", [*label, "It is present in the milk of lactating rats."]) is None


def test_a_breastfeeding_question_on_a_silent_label_quotes_no_pregnancy_line() -> None:
    ev = [_ev("examplazole", "warnings", "Hepatic injury: examplazole should be given with caution to patients "
              "with liver dysfunction. If examplazole is used during pregnancy, the patient should be told of the "
              "potential hazard to the fetus. Studies suggest a risk of congenital abnormalities in infants whose "
              "mothers took examplazole in the first trimester.")]
    q = [SearchQuery("examplazole", "lactation", "examplazole breastfeeding")]
    result = ExtractiveReader().read_evidence("Can I take examplazole while breastfeeding?", q, ev)
    assert "says nothing about breastfeeding" in result.notice
    assert "fetus" not in result.text and "trimester" not in result.text


def test_the_baby_of_a_pregnancy_question_is_no_child_patient() -> None:
    ev = [_ev("examotrigine", "warnings", "The rate of serious rash is greater in pediatric patients than in adults. "
              "Examotrigine can cause serious rashes requiring hospitalization and discontinuation of treatment.")]
    q = [SearchQuery("examotrigine", "pregnancy", "examotrigine pregnancy baby")]
    result = ExtractiveReader().read_evidence("We're trying for a baby and I take examotrigine, is it safe for the "
                                              "baby?", q, ev)
    assert "says nothing about pregnancy" in result.notice
    assert "pediatric" not in result.text
    assert PREGNANCY.strays("Incidence in children aged 2 to 17 years") and not PREGNANCY.strays("Take once daily.")
