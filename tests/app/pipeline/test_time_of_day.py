"""A question about the time of day ("can I take my furosemide at night instead of the morning?"): the label's line
saying when leads; a label that never says so gets a notice over its dose lines (read_missed.TIME_OF_DAY)."""

from __future__ import annotations

from app.pipeline.read import ExtractiveReader
from app.pipeline.read_missed import MISSED_DOSE, SURGERY, TIME_OF_DAY, lead_shift, topics_asked
from app.pipeline.state import Evidence, SearchQuery
from indexing.schema import Chunk


def _ev(mid: str, attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid), 0.03, 0, i)


def test_the_time_of_day_is_asked_as_a_question_not_told_in_passing() -> None:
    for asked in ("I take furosemide 40mg, can I take it at night instead of the morning?",
                  "should I take my statin in the morning or at night?", "is it better to take amlodipine at night?",
                  "what time of day should I take levothyroxine", "does it matter what time of day?",
                  "呋塞米早上吃还是晚上吃好？", "可以改到晚上吃吗"):
        assert TIME_OF_DAY in topics_asked(asked), asked
    for told in ("I take it in the morning. Can I drink alcohol?", "night sweats, is that the tablets?",
                 "she sleeps badly at night, what is the dose?"):
        assert TIME_OF_DAY not in topics_asked(told), told
    # a dose missed last night, taken in the morning, is the missed-dose question
    assert topics_asked("I missed my dose last night, can I take it in the morning?") == [MISSED_DOSE]


def test_a_line_saying_when_speaks_of_it_and_a_morning_symptom_does_not() -> None:
    for when in ("Administer once daily at bedtime.", "Take in the morning on an empty stomach.",
                 "It should be taken at the same time each day.",
                 "The single dose should then be given once or twice daily (e.g., at 8 am and 2 pm).",
                 "Administer as a single daily dose, one-half to one hour before breakfast."):
        assert TIME_OF_DAY.label_speaks([when]), when
    for other in ("Morning stiffness was reduced.", "Some patients woke at night.", "Take with food."):
        assert not TIME_OF_DAY.label_speaks([other]), other


def test_the_line_saying_when_leads_the_dose_lines() -> None:
    evidence = [
        _ev("furosemide", "dosage", "The usual initial dose of furosemide tablets is 20 to 80 mg given as a single "
            "dose."),
        _ev("furosemide", "dosage", "The dose may be raised by 20 or 40 mg and given not sooner than 6 to 8 hours "
            "after the previous dose.", 1),
        _ev("furosemide", "dosage", "The individually determined single dose should then be given once or twice "
            "daily (e.g., at 8 am and 2 pm).", 2),
    ]
    q = [SearchQuery("furosemide", "dosage", "furosemide night morning")]
    result = ExtractiveReader().read_evidence("can I take furosemide at night instead of the morning?", q, evidence)
    assert "8 am and 2 pm" in result.citations[0].quote, [c.quote for c in result.citations]
    assert "time of day" not in result.notice
    # the whole lead, as a missed dose's line gets, not the half a procedure-ahead line gets beside the rest
    when = "The single dose should then be given once or twice daily (e.g., at 8 am and 2 pm)."
    assert lead_shift([TIME_OF_DAY], when, 1.0) == 1.0
    assert lead_shift([SURGERY], "Discontinue 5 days prior to elective surgery.", 1.0) == 0.5


def test_a_label_that_never_says_when_is_said_so_over_its_dose_lines() -> None:
    evidence = [
        _ev("lisinopril", "dosage", "The recommended initial dose is 10 mg once a day."),
        _ev("lisinopril", "dosage", "The usual dosage range is 20 to 40 mg per day administered in a single daily "
            "dose.", 1),
    ]
    q = [SearchQuery("lisinopril", "dosage", "lisinopril night")]
    result = ExtractiveReader().read_evidence("is it ok to take lisinopril at night?", q, evidence)
    assert "does not say what time of day" in result.notice
    assert result.citations and "10 mg once a day" in result.citations[0].quote
    result = ExtractiveReader().read_evidence("赖诺普利可以改到晚上吃吗？", q, evidence)
    assert "没有说明一天中什么时间服用" in result.notice
