"""Readings a carers' advice line showed (session 24): a handling line that names the strengths it is for ("5 mg and
2.5 mg tablets may be crushed") is the answer to "can it be crushed?", not a dose line to drop; "won't swallow" asks
how to handle a dose; a capsule opened "into a drink" is no alcohol; days without a medicine ("will miss 3 days,
pharmacy out of stock", "had none for 3 days") are read for what the label says of abrupt withdrawal; heat and
not sweating are the labels' heat prostration."""

from __future__ import annotations

import pytest

from app.pipeline.drink_words import asks_alcohol
from app.pipeline.read import ExtractiveReader
from app.pipeline.read_cues import question_expansions
from app.pipeline.read_dose import asks_handling
from app.pipeline.read_missed import GOING_WITHOUT, MISSED_DOSE, TIME_OF_DAY, topics_asked
from app.pipeline.state import Evidence, SearchQuery
from indexing.schema import Chunk


def _ev(mid: str, attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid), 0.03, 0, i)


def test_a_crushing_line_that_names_strengths_answers_can_it_be_crushed() -> None:
    evidence = [
        _ev("apixaban", "dosage", "The recommended dose of ELIQUIS for most patients is 5 mg taken orally twice "
            "daily."),
        _ev("apixaban", "dosage", "For patients who are unable to swallow whole tablets, 5 mg and 2.5 mg ELIQUIS "
            "tablets may be crushed and suspended in water and promptly administered orally.", 1),
        _ev("apixaban", "dosage", "Converting from or to ELIQUIS.", 2),
    ]
    q = [SearchQuery("apixaban", "dosage", "apixaban crushed")]
    result = ExtractiveReader().read_evidence("Resident can't swallow. Her Eliquis 5mg, can it be crushed?", q,
                                              evidence)
    assert result.citations and "may be crushed" in result.citations[0].quote, [c.quote for c in result.citations]


@pytest.mark.parametrize("question", ["Son won't swallow his methylphenidate ER capsule. Options?",
                                      "Mum can't swallow tablets anymore, what about her levothyroxine?",
                                      "He has trouble swallowing the big ones."])
def test_not_swallowing_asks_how_to_handle_a_dose(question: str) -> None:
    assert asks_handling(question)


def test_a_capsule_opened_into_a_drink_is_no_alcohol() -> None:
    assert not asks_alcohol("Can I open lisdexamfetamine capsules into a drink for my daughter?")
    assert not asks_alcohol("can I mix it in her drink?")
    assert asks_alcohol("is it ok to have a drink with it?")


@pytest.mark.parametrize("question", ["Son with CP will miss 3 days of baclofen, pharmacy out of stock.",
                                      "She keeps spitting it out, basically had none for 3 days.",
                                      "I ran out of my sertraline yesterday", "我妈的药吃完了，断了两天",
                                      "he has been without his tablets for two days"])
def test_days_without_the_medicine_are_asked(question: str) -> None:
    assert GOING_WITHOUT in topics_asked(question)


def test_a_dose_missed_or_time_run_out_is_not_going_without() -> None:
    assert topics_asked("I missed my dose last night") == [MISSED_DOSE]
    assert GOING_WITHOUT not in topics_asked("we ran out of time at the appointment, what is it for?")


def test_days_without_it_lead_with_abrupt_withdrawal_not_a_newborns() -> None:
    evidence = [
        _ev("baclofen", "warnings", "Neonatal Withdrawal Symptoms: Withdrawal symptoms have been reported starting "
            "hours to days after delivery in neonates whose mothers were treated with oral baclofen throughout "
            "pregnancy."),
        _ev("baclofen", "warnings", "Abrupt Drug Withdrawal: Hallucinations and seizures have occurred on abrupt "
            "withdrawal of baclofen.", 1),
        _ev("baclofen", "dosage", "The total daily dose should not exceed a maximum of 80 mg daily.", 2),
    ]
    q = [SearchQuery("baclofen", "warnings", "baclofen miss days")]
    result = ExtractiveReader().read_evidence("Son will miss 3 days of baclofen, pharmacy out of stock.", q,
                                              evidence)
    assert "Hallucinations and seizures" in result.citations[0].quote, [c.quote for c in result.citations]
    silent = [_ev("amlodipine", "warnings", "Because of the gradual onset of action, acute hypotension is "
                  "unlikely.")]
    q = [SearchQuery("amlodipine", "warnings", "amlodipine ran out")]
    result = ExtractiveReader().read_evidence("I ran out of my amlodipine 3 days ago, is that a problem?", q,
                                              silent)
    assert "going without it" in result.notice


def test_heat_and_not_sweating_are_the_labels_heat_prostration() -> None:
    for said in ("It's a heatwave and she says she feels hot but isn't sweating.", "going somewhere hot next month"):
        assert {"heat", "prostrat"} <= question_expansions(said), said
    assert not question_expansions("I feel hot and cold, is it the flu?") & {"prostrat"}


def test_a_label_silent_on_crushing_says_so_and_quotes_no_titration_line() -> None:
    silent = [
        _ev("amlodipine", "dosage", "Adjust dosage according to blood pressure goals."),
        _ev("amlodipine", "adverse_reactions", "Reported in controlled trials or under conditions of open trials.", 1),
    ]
    q = [SearchQuery("amlodipine", "dosage", "amlodipine crush")]
    result = ExtractiveReader().read_evidence("is it ok to crush amlodipine for my mum? she won't swallow tablets",
                                              q, silent)
    assert "does not say whether the dose can be crushed" in result.notice
    assert not result.citations
    # a label that says it is no silence: its line leads
    spoken = [_ev("apixaban", "dosage", "Adjust the dose for renal function."),
              _ev("apixaban", "dosage", "5 mg and 2.5 mg ELIQUIS tablets may be crushed and suspended in water.", 1)]
    q = [SearchQuery("apixaban", "dosage", "apixaban crush")]
    result = ExtractiveReader().read_evidence("can her Eliquis be crushed?", q, spoken)
    assert "crushed" in result.citations[0].quote and "crushed" not in result.notice


def test_when_to_take_it_around_night_shifts_is_the_time_of_day() -> None:
    assert TIME_OF_DAY in topics_asked("night shift nurse, I take it in the morning but I sleep during the day. "
                                       "when should I take it?")
    assert TIME_OF_DAY not in topics_asked("when should I take it?")


def test_a_condom_split_is_no_tablet_split() -> None:
    assert not asks_handling("condom split on Saturday night, it's now Monday. Is it too late for the morning after "
                             "pill?")
    assert asks_handling("can it be split?") and asks_handling("can I split the tablets in half?")


@pytest.mark.parametrize("question", [
    "i chew tums all day for reflux, and take my thyroid pill (levothyroxine) in the morning. does that matter",
    "crushing chest pain since I started amlodipine, is that the tablet?"])
def test_another_product_chewed_or_a_crushing_pain_is_no_handling_question(question: str) -> None:
    assert not asks_handling(question)
