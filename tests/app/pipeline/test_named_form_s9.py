"""A dose-form word picks, of the medicines a turn names, the one said with that word ("estradiol tablets and
progesterone capsules ... the capsules"), and "taken at bedtime" asks when to take it (development set
eval/data/consult_dev_wrongmed_s9.jsonl, session 9)."""

from __future__ import annotations

from app.pipeline.attributes import classify_attribute
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.named_form import form_word, said_with_form
from app.pipeline.state import Turn
from indexing.schema import Attribute
from indexing.store import MedicineEntry


def _lexicon() -> MedicineLexicon:
    return MedicineLexicon([MedicineEntry(m, m.title(), (), "en", "", ("dosage", "interactions"))
                            for m in ("estradiol", "progesterone", "mupirocin", "cephalexin")])


def test_form_words() -> None:
    assert form_word("Should the capsules be taken at bedtime?") == "capsule"
    assert form_word("how long do I use it?") is None
    text = "I'm on estradiol tablets and progesterone capsules for HRT."
    assert said_with_form(text, "progesterone", "capsule") and not said_with_form(text, "estradiol", "capsule")


def test_the_form_word_picks_the_medicine_said_with_it() -> None:
    lexicon = _lexicon()
    d = RuleDistiller().distill([Turn("user", "I'm on estradiol tablets and progesterone capsules for HRT. Should "
                                              "the capsules be taken at bedtime?")], lexicon)
    assert [(q.medicine, q.attribute) for q in d.queries] == [("progesterone", "dosage")]  # before: both, interactions
    d = RuleDistiller().distill([Turn("user", "Got mupirocin ointment and cephalexin capsules. How long do I put the "
                                              "ointment on for?")], lexicon)
    assert [q.medicine for q in d.queries] == ["mupirocin"]
    # a form word neither is said with: both, as before
    d = RuleDistiller().distill([Turn("user", "I take estradiol and progesterone. Should the pills be taken at "
                                              "bedtime?")], lexicon)
    assert [q.medicine for q in d.queries] == ["estradiol", "progesterone"]


def test_taken_at_bedtime_asks_when_to_take_it() -> None:
    assert classify_attribute("Should the capsules be taken at bedtime?").attribute == Attribute.DOSAGE
    assert classify_attribute("do I take them in the morning?").attribute == Attribute.DOSAGE
    assert classify_attribute("I can't sleep at night").attribute is None
