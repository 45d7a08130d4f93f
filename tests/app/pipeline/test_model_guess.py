"""A question no cue word names a section of takes the intent model's first section when the model gives it at
least GUESS_FLOOR, not the indications an empty section reads (app.pipeline.distill.model_guess)."""

from __future__ import annotations

import pytest

from app.pipeline.distill import GUESS_FLOOR, RuleDistiller, model_guess
from app.pipeline.intent import IntentClassifier, IntentPrior
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from indexing.schema import Attribute
from indexing.store import MedicineEntry


def _unsure(section: str, probability: float, source: str = "model") -> IntentPrior:
    return IntentPrior(((section, probability), ("indications", 0.05)), (), source)


class _FixedIntent(IntentClassifier):
    def __init__(self, prior: IntentPrior) -> None:
        super().__init__()
        self.prior = prior

    def rank(self, question: str) -> IntentPrior:
        return self.prior


def test_an_unsure_model_still_beats_no_section_for_a_question() -> None:
    prior = _unsure("adverse_reactions", 0.49)
    assert model_guess("will this drug exacerbate heart arrhythmias?", prior) is Attribute.ADVERSE_REACTIONS
    assert model_guess("if diclofenac is instilled in the wrong eye what happens", _unsure("dosage", 0.39)) \
        is Attribute.DOSAGE


@pytest.mark.parametrize(("question", "prior"), [
    ("I'm taking Coumadin.", _unsure("dosage", 0.45)),  # a statement: the statement stage asks what to know
    ("will this drug exacerbate heart arrhythmias?", _unsure("adverse_reactions", GUESS_FLOOR - 0.01)),
    ("what is morphine?", _unsure("description", 0.4)),  # what it is: its indications
    ("will this drug exacerbate heart arrhythmias?", _unsure("adverse_reactions", 0.45, source="cues")),
    ("华法林会加重心律失常吗？", _unsure("adverse_reactions", 0.45)),  # Chinese: the topics decide
])
def test_no_guess_for_statements_low_scores_what_is_cues_or_chinese(question: str, prior: IntentPrior) -> None:
    assert model_guess(question, prior) is None


def test_the_guess_reaches_the_query() -> None:
    lexicon = MedicineLexicon([MedicineEntry("digoxin", "Digoxin", (), "en", "", ("adverse_reactions",))],
                              is_known_word=lambda word: True)
    distiller = RuleDistiller(intent=_FixedIntent(_unsure("adverse_reactions", 0.45)))
    queries = distiller.distill([Turn("user", "will digoxin exacerbate heart arrhythmias?")], lexicon).queries
    assert [(q.medicine, q.attribute) for q in queries] == [("digoxin", "adverse_reactions")]
