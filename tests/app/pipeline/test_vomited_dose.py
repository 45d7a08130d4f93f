"""A dose brought back up (read_missed.VOMITED_DOSE): "I threw up 20 minutes after my metformin, do I take
another?" is read in the label's line on vomiting after a dose where it has one (atovaquone/proguanil: "a repeat
dose should be taken"), and otherwise answered by a notice that the label does not say, never by its
pharmacokinetic lines. Being sick as a side effect is not the topic. Session 21."""

from __future__ import annotations

from app.pipeline.read import ExtractiveReader
from app.pipeline.read_missed import MISSED_DOSE, VOMITED_DOSE, topics_asked
from app.pipeline.state import Evidence, SearchQuery, Status
from indexing.schema import Chunk


def _ev(mid: str, attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid), 0.03, 0, i)


def test_a_dose_brought_back_up_is_asked_in_a_users_words_and_in_chinese() -> None:
    for asked in ("I threw up 20 minutes after my morning metformin, do I take another one?",
                  "She spat out half her amoxicillin syrup, do I give more?",
                  "my son vomited his dose, should I give it again?",
                  "I was sick about half an hour after this morning's tablet. Do I take another?",
                  "吃完药半小时就吐了，要不要再吃一次？", "我吃完二甲双胍半小时就吐了，要不要补吃？"):
        assert VOMITED_DOSE in topics_asked(asked), asked
    for other in ("I have been throwing up since starting metformin, should I stop it?",
                  "I vomit every time I take it, is that normal?", "Can it make me sick?",
                  "I was sick last week, can I take ibuprofen?", "I missed my dose, do I take two?"):
        assert VOMITED_DOSE not in topics_asked(other), other
    assert MISSED_DOSE in topics_asked("I missed my dose, do I take two?")


def test_the_label_speaks_only_in_one_sentence_naming_both() -> None:
    assert VOMITED_DOSE.label_speaks(["In the event of vomiting within 1 hour after dosing, a repeat dose should "
                                      "be taken."])
    assert VOMITED_DOSE.label_speaks(["If vomiting occurs after taking KRAZATI, do not take an additional dose."])
    # vomiting as a side effect, and the next dose in another sentence of the same chunk: not about it
    assert not VOMITED_DOSE.label_speaks(["The most common adverse reactions are nausea and vomiting. Take the next "
                                          "dose at the usual time."])


def test_a_label_with_the_line_answers_with_it_first() -> None:
    evidence = [_ev("atovaquone", "dosage", "The daily dose should be taken at the same time each day with food or a "
                    "milky drink. Adults: one tablet daily."),
                _ev("atovaquone", "dosage", "In the event of vomiting within 1 hour after dosing, a repeat dose "
                    "should be taken.", 1)]
    question = "I was sick about half an hour after this morning's Malarone. Do I take another?"
    result = ExtractiveReader().read_evidence(question, [SearchQuery("atovaquone", "dosage", question)], evidence)
    assert result.citations and "repeat dose" in result.citations[0].quote, result.text


def test_a_silent_label_gets_the_notice_not_its_other_lines() -> None:
    evidence = [_ev("metformin", "pharmacology", "Peak plasma levels are approximately 20% lower compared to the "
                    "same dose of immediate-release tablets."),
                _ev("metformin", "dosage", "The usual starting dose is 500 mg twice a day with meals.", 1)]
    question = "I threw up 20 minutes after my morning metformin, do I take another one?"
    result = ExtractiveReader().read_evidence(question, [SearchQuery("metformin", "dosage", question)], evidence)
    assert result.status is Status.NO_EVIDENCE and not result.citations, result.text
    assert "vomited" in result.notice

