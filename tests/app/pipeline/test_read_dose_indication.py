"""read_dose: the salt said with the name is no indication ("naproxen sodium for period cramps" leads with the
dysmenorrhea line, not with every line that says "naproxen sodium"); "up to 6 months" is no maximum dose."""

from __future__ import annotations

from app.pipeline.read_dose import dose_plan
from indexing.text import tokenize

_LINES = [
    ("dosage", "Dysmenorrhea: recommended starting dose 550 mg of naproxen sodium followed by 550 mg every 12 hours."),
    ("dosage", "Naproxen sodium tablets may also be used at a starting dose of 825 mg followed by 275 mg every 8 "
               "hours."),
    ("dosage", "Rheumatoid arthritis: naproxen 250 mg twice daily."),
    ("dosage", "In patients who tolerate lower doses well, the dose may be increased to naproxen 1500 mg/day for "
               "limited periods of up to 6 months."),
    ("dosage", "Acute gout: naproxen 750 mg followed by 250 mg every 8 hours."),
]


def _plan(question: str):  # type: ignore[no-untyped-def]
    label = [(s, t, frozenset(tokenize(t))) for s, t in _LINES]
    plan = dose_plan(question, question, "dosage", [], label, frozenset({"naproxen"}), "en")
    assert plan is not None
    return plan, label


def test_the_salt_said_with_the_name_is_no_indication() -> None:
    plan, label = _plan("naproxen sodium for period cramps: how much, and what's the most per day?")
    assert "sodium" not in plan.indication and "dysmenorrhea" in plan.indication
    gains = {text[:20]: plan.delta(s, text, tokens) for s, text, tokens in label}
    assert max(gains, key=lambda k: gains[k] or -99.0).startswith("Dysmenorrhea")


def test_a_time_limit_is_no_maximum_dose() -> None:
    plan, label = _plan("naproxen for period cramps: what's the most per day?")
    longer = next(x for x in label if "1500" in x[1])
    gout = next(x for x in label if "gout" in x[1])
    # the 1500 mg "for up to 6 months" line is another indication's line, as the gout one is
    assert plan.delta(*longer) is not None and plan.delta(*gout) is not None
    assert plan.delta(*longer) <= plan.delta(*gout) + 0.5  # type: ignore[operator]


def test_a_dose_and_time_question_gets_the_line_saying_when_second() -> None:
    lines = [
        ("dosage", "For patients 2 to 5 years of age: one 4-mg chewable tablet once daily."),
        ("dosage", "For patients 6 to 14 years of age: one 5-mg chewable tablet once daily."),
        ("dosage", "For patients 15 years of age and older: one 10-mg tablet once daily."),
        ("dosage", "Examplukast should be taken once daily in the evening."),
    ]
    label = [(s, t, frozenset(tokenize(t))) for s, t in lines]
    question = "what dose of examplukast for my 4 year old, and what time of day should she take it"
    plan = dose_plan(question, question, "dosage", [], label, frozenset({"examplukast"}), "en")
    assert plan is not None
    ranked = [(s, t, tokens, 10.0 - n) for n, (s, t, tokens) in enumerate(label)]
    out = plan.apply(ranked, lambda x: x[:3], lambda x, d: (*x[:3], x[3] + d), lambda x: x[3])
    assert "in the evening" in out[1][1]
    assert out[0][3] > out[1][3] > out[2][3]
