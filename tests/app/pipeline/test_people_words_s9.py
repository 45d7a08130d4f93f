"""Whose medicine: "hubby" is the husband, said with or without "my"; "hers" is a relative's (development set
eval/data/consult_dev_wrongmed_s9.jsonl, session 9)."""

from __future__ import annotations

from app.pipeline.context import build_context, person_named
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from indexing.store import MedicineEntry


def _lexicon() -> MedicineLexicon:
    return MedicineLexicon([MedicineEntry(m, m.title(), (), "en", "", ("adverse_reactions",))
                            for m in ("losartan", "finasteride", "levothyroxine", "tofacitinib")])


def test_hubby_is_the_husband() -> None:
    assert person_named("hubby on finasteride") == ("husband", "male")
    lexicon = _lexicon()
    owners = {m.medicine_id: m.owner.value for m in build_context(
        [Turn("user", "me on losartan, hubby on finasteride. can his cause dizziness")], lexicon).medicines}
    assert owners == {"losartan": "user", "finasteride": "relative"}  # before: both the user's
    d = RuleDistiller().distill([Turn("user", "me on losartan, hubby on finasteride. can his cause dizziness")],
                                lexicon)
    assert [q.medicine for q in d.queries] == ["finasteride"]  # before: losartan's label answered first


def test_hers_is_a_relatives() -> None:
    lexicon = _lexicon()
    # before: "hers" named nobody, and both were asked
    d = RuleDistiller().distill([Turn("user", "I take levothyroxine and my wife takes tofacitinib."),
                                 Turn("assistant", "Okay."), Turn("user", "what are the side effects of hers?")],
                                lexicon)
    assert [q.medicine for q in d.queries] == ["tofacitinib"]
