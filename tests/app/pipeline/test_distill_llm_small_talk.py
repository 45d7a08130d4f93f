"""The model distiller answers small talk as the rule distiller does (issue 17): "thanks!" or "any good pizza
place?" asks the model nothing and searches nothing, the context is kept, and a real question after it still
goes to the model. The model is a real HTTP server on 127.0.0.1 (tests/fakes/openai_server.py)."""

from __future__ import annotations

from typing import Any

import pytest

from app.config import DistillSettings, LLMSettings
from app.enums import Status
from app.llm.openai_compat import OpenAICompatModel
from app.pipeline.distill_llm import LLMDistiller
from app.pipeline.lexicon import MedicineLexicon, known_word_test
from app.pipeline.state import Serving, Turn, TurnRequest, TurnState
from tests.fakes.openai_server import FakeOpenAIServer, tool_call


@pytest.fixture(scope="module")
def lexicon(mini_index: Any) -> MedicineLexicon:
    return MedicineLexicon(mini_index.medicines.values(), is_known_word=known_word_test(mini_index))


def _distiller(server: FakeOpenAIServer) -> LLMDistiller:
    model = OpenAICompatModel(LLMSettings(backend="openai_compat", base_url=server.url, model="fake-distiller",
                                          timeout_s=10, max_retries=0))
    return LLMDistiller(model, DistillSettings(backend="llm"))


def _state(lexicon: MedicineLexicon, *turns: str) -> TurnState:
    history = [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns[:-1])]
    return TurnState(TurnRequest(message=turns[-1], history=history),
                     Serving(None, lexicon))  # type: ignore[arg-type]  # the distill stage reads no index


@pytest.mark.parametrize("turns", [
    ("My husband takes Coumadin.", "Okay.", "Any good pizza place around here?"),
    ("thank you so much!",),
    ("我在吃华法林", "好的。", "谢谢"),
])
def test_small_talk_asks_the_model_nothing(fake_openai: FakeOpenAIServer, lexicon: MedicineLexicon,
                                           turns: tuple[str, ...]) -> None:
    state = _state(lexicon, *turns)
    _distiller(fake_openai).run(state)
    assert fake_openai.requests == []  # the model was not asked
    assert state.reading is not None and state.reading.status is Status.NOT_MEDICAL
    assert state.distilled.queries == [] and state.reading.citations == []
    assert state.conversation is not None  # kept for the next "it"


def test_a_medicine_question_after_small_talk_goes_to_the_model(fake_openai: FakeOpenAIServer,
                                                                lexicon: MedicineLexicon) -> None:
    fake_openai.script(tool_call("search_medicine_database", {"medicine": "ibuprofen", "attribute": "interactions",
                                                              "keywords": "ibuprofen Coumadin"}))
    state = _state(lexicon, "My husband takes Coumadin.", "Okay.", "Any good pizza place around here?",
                   "That is outside what I can help with.", "Can he take it with ibuprofen?")
    _distiller(fake_openai).run(state)
    assert len(fake_openai.requests) == 1 and state.reading is None
    assert "ibuprofen" in {q.medicine for q in state.distilled.queries}
