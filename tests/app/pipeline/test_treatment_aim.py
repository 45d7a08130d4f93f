"""Which-medicine questions that ask for prevention or for acute treatment (issue 17): the aim asked, the aim
an indication sentence says, and the conditions of the phrasings people use for them."""

from __future__ import annotations

import pytest

from app.pipeline.indication_search import DIRECT, IndicationSearch, condition_asked, treated_in, treatment_match
from app.pipeline.treatment_aim import Aim, aim_asked, aim_fit, aims_said

TRIPTAN = ("Almotriptan tablets are a 5HT 1B/1D receptor agonist (triptan) indicated for: Acute treatment of "
           "migraine attacks in adults with a history of migraine. Limitations of Use: Not indicated for the "
           "prevention of migraine attacks.")
TOPIRAMATE = "Topiramate tablets are indicated for the preventive treatment of migraine in patients 12 years and older."
PROPRANOLOL = "Migraine Propranolol is indicated for the prophylaxis of common migraine headache."
NURTEC = ("NURTEC ODT is indicated for the acute treatment of migraine with or without aura in adults and the "
          "preventive treatment of episodic migraine in adults.")
PLAIN = "Ibuprofen tablets are indicated for relief of the signs and symptoms of migraine."
COLCHICINE = "Colchicine tablets are indicated for prophylaxis and the treatment of acute gout flares in adults."
MIGRAINE = ["migraine"]


@pytest.mark.parametrize(("question", "aim"), [
    ("which medicines prevent migraines", Aim.PREVENTION),
    ("is there a daily pill to stop me getting migraines", Aim.PREVENTION),
    ("Is there anything I can take every day so I get fewer migraines?", Aim.PREVENTION),
    ("what medicine stops migraines from coming back?", Aim.PREVENTION),
    ("Pt with episodic migraine - what is used for prophylaxis?", Aim.PREVENTION),
    ("Is there a medicine to stop my son getting asthma attacks?", Aim.PREVENTION),
    ("what can I take when a migraine starts?", Aim.ACUTE),
    ("what should I take when my gout flares up?", Aim.ACUTE),
    ("best thing for an acute migraine?", Aim.ACUTE),
    ("what is good for migraine", Aim.ANY),
    ("what can I take for a headache", Aim.ANY),
])
def test_the_aim_a_question_asks(question: str, aim: Aim) -> None:
    assert aim_asked(question) is aim


def test_the_aim_an_indication_says() -> None:
    assert aims_said("indicated preventive treatment") == {Aim.PREVENTION}
    assert aims_said("prophylaxis") == {Aim.PREVENTION}
    assert aims_said("indicated acut treatment") == {Aim.ACUTE}  # stemmed, as tokenize gives them
    assert aims_said("indicated treatment") == frozenset()
    assert aim_fit(Aim.PREVENTION, frozenset({Aim.ACUTE})) is None
    assert aim_fit(Aim.PREVENTION, frozenset()) == 0
    assert aim_fit(Aim.PREVENTION, frozenset({Aim.PREVENTION, Aim.ACUTE})) == 1
    assert aim_fit(Aim.ANY, frozenset({Aim.ACUTE})) == 0


def test_a_prevention_question_leaves_acute_treatments_out() -> None:
    assert treatment_match(TRIPTAN, MIGRAINE, Aim.PREVENTION) is None  # its "not for prevention" is a limitation
    assert treatment_match(TOPIRAMATE, MIGRAINE, Aim.PREVENTION) == (1, DIRECT, 0)
    assert treatment_match(PROPRANOLOL, MIGRAINE, Aim.PREVENTION) is not None
    assert treatment_match(NURTEC, MIGRAINE, Aim.PREVENTION) is not None  # both aims
    assert treatment_match(PLAIN, MIGRAINE, Aim.PREVENTION) is None  # relief is acute
    fits = [treatment_match(s, ["gout flares", "gout"], Aim.PREVENTION) for s in (COLCHICINE,)]
    assert fits[0] is not None and fits[0][0] == 1


def test_a_use_negated_after_it_is_said_is_no_indication() -> None:
    sentence = ("The efficacy of propranolol in the treatment of a migraine attack that has started has not been "
                "established, and propranolol is not indicated for such use.")
    assert treatment_match(sentence, MIGRAINE, Aim.ACUTE) is None and treated_in(sentence, MIGRAINE) == (0, 0)


def test_an_acute_question_leaves_preventives_out_and_any_aim_keeps_all() -> None:
    assert treatment_match(TOPIRAMATE, MIGRAINE, Aim.ACUTE) is None
    assert treatment_match(TRIPTAN, MIGRAINE, Aim.ACUTE) == (1, DIRECT, 0)
    for sentence in (TRIPTAN, TOPIRAMATE, PROPRANOLOL, PLAIN):
        assert treated_in(sentence, MIGRAINE)[0] > 0, sentence
    assert treated_in(TRIPTAN, MIGRAINE) == treated_in(TRIPTAN, MIGRAINE, Aim.ANY)


@pytest.mark.parametrize(("question", "condition"), [
    ("what can I take when a migraine starts?", "migraine"),
    ("is there a daily pill to stop me getting migraines", "migraines"),
    ("Is there anything I can take every day so I get fewer migraines?", "migraines"),
    ("what medicine stops migraines from coming back?", "migraines"),
    ("Pt with episodic migraine - what is used for prophylaxis?", "episodic migraine"),
    ("what's used to prevent gout flares", "gout flares"),
    ("what can I take for back pain - it is killing me", "back pain"),
    ("what can I take for high blood pressure?", "high blood pressure"),
])
def test_the_condition_of_prevention_and_acute_phrasings(question: str, condition: str) -> None:
    assert condition_asked(question) == condition


def test_the_list_says_which_aim_it_answers() -> None:
    none = IndicationSearch.answer("migraines", [], None, Aim.PREVENTION)
    assert "the prevention of migraines" in none.text
    assert "mention migraines." in IndicationSearch.answer("migraines", []).text
