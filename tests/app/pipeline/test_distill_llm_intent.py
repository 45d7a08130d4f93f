"""The model distiller gets the section prior the rule distiller uses (app.pipeline.intent): it is shown to
the model, it fills a call's missing section, a second ask queries its own section, and the turn carries it
to the reader. The model is a real HTTP server on 127.0.0.1 (tests/fakes/openai_server.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.config import DistillSettings, LLMSettings
from app.llm.openai_compat import OpenAICompatModel
from app.pipeline.distill_llm import LLMDistiller
from app.pipeline.intent import IntentClassifier, IntentPrior, intent_for_encoder
from app.pipeline.lexicon import MedicineLexicon, known_word_test
from app.pipeline.state import Turn
from tests.fakes.openai_server import FakeOpenAIServer, reply, tool_call

ROOT = Path(__file__).resolve().parents[3]


class FixedPrior(IntentClassifier):
    """A prior no cue word of the test questions would give, so the test sees where sections come from."""

    def __init__(self, ranked: tuple[tuple[str, float], ...], asks: tuple[str, ...]) -> None:
        super().__init__()
        self.prior = IntentPrior(ranked, asks, "model")

    def rank(self, question: str) -> IntentPrior:
        return self.prior


@pytest.fixture(scope="module")
def lexicon(mini_index: Any) -> MedicineLexicon:
    return MedicineLexicon(mini_index.medicines.values(), is_known_word=known_word_test(mini_index))


def _model(server: FakeOpenAIServer) -> OpenAICompatModel:
    return OpenAICompatModel(LLMSettings(backend="openai_compat", base_url=server.url, model="fake-distiller",
                                         timeout_s=10, max_retries=0))


def test_the_prior_reaches_the_model_and_the_turn(fake_openai: FakeOpenAIServer, lexicon: MedicineLexicon) -> None:
    prior = FixedPrior((("pregnancy", 0.83), ("lactation", 0.41), ("dosage", 0.05)), ("pregnancy", "lactation"))
    fake_openai.script(tool_call("search_medicine_database", {"medicine": "ibuprofen", "keywords": "ibuprofen"}))
    distiller = LLMDistiller(_model(fake_openai), DistillSettings(backend="llm"), intent=prior)
    d = distiller.distill([Turn("user", "Tell me about ibuprofen for me right now.")], lexicon)
    # shown to the model as data: the two likely sections, not the improbable third
    prompt = fake_openai.prompt(0)
    assert "pregnancy (0.83)" in prompt and "lactation (0.41)" in prompt and "dosage (0.05)" not in prompt
    # the call named no section: the prior's first fills it; the second ask gets its own query
    assert [(q.medicine, q.attribute) for q in d.queries] == [("ibuprofen", "pregnancy"), ("ibuprofen", "lactation")]
    assert d.intent == prior.prior.ranked  # the reader ranks sentences with it
    assert d.audit["intent"]["asks"] == ["pregnancy", "lactation"] and d.audit["queries_from"] == "model"
    assert distiller.to_dict()["intent"] == prior.to_dict()


def test_a_section_the_model_names_is_kept(fake_openai: FakeOpenAIServer, lexicon: MedicineLexicon) -> None:
    prior = FixedPrior((("pregnancy", 0.83),), ("pregnancy",))
    fake_openai.script(tool_call("search_medicine_database", {"medicine": "ibuprofen", "attribute": "dosage",
                                                              "keywords": "ibuprofen dose"}))
    d = LLMDistiller(_model(fake_openai), intent=prior).distill([Turn("user", "ibuprofen?")], lexicon)
    assert [(q.medicine, q.attribute) for q in d.queries] == [("ibuprofen", "dosage")]
    assert d.intent == prior.prior.ranked


def test_no_call_falls_back_to_the_rules_which_medicine_search(fake_openai: FakeOpenAIServer,
                                                               lexicon: MedicineLexicon) -> None:
    fake_openai.script(reply("I cannot recommend a medicine."))
    d = LLMDistiller(_model(fake_openai)).distill([Turn("user", "what can I take for heartburn?")], lexicon)
    assert d.indication_search == "heartburn" and d.audit["fallback"] == "rules"


def test_the_shipped_intent_model_steers_a_model_distilled_turn(fake_openai: FakeOpenAIServer,
                                                                lexicon: MedicineLexicon, encoder: Any) -> None:
    artefact = ROOT / "corpora" / "intent_model.npz"
    if not artefact.is_file():
        pytest.skip("the shipped intent model (corpora/intent_model.npz) is absent")
    intent = intent_for_encoder(artefact, encoder)
    assert intent.uses_model
    fake_openai.script(tool_call("search_medicine_database", {"medicine": "ibuprofen", "attribute": "",
                                                              "keywords": "ibuprofen"}))
    question = "how much ibuprofen can my 6 year old have?"
    d = LLMDistiller(_model(fake_openai), intent=intent).distill([Turn("user", question)], lexicon)
    rule_prior = intent.rank(question)
    assert d.intent and d.intent[0][0] == rule_prior.ranked[0][0]
    assert d.queries[0].attribute == d.audit["intent"]["asks"][0]
    assert f"{d.intent[0][0]} (" in fake_openai.prompt(0)
