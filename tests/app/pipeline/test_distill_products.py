"""A product the database lacks asked beside the user's own medicine (issue 17): the medicine's label answers
where it names the product (by name or a class of products the label uses), never another label; a label
silent on it leaves the turn unknown_drug. The rule distiller reads the labels of a small index; the model
distiller leaves such a turn to the rules (its model is a real HTTP server on 127.0.0.1)."""

from __future__ import annotations

from typing import Any

import pytest

from app.config import DistillSettings, LLMSettings
from app.llm.openai_compat import OpenAICompatModel
from app.pipeline.distill import RuleDistiller
from app.pipeline.distill_llm import LLMDistiller
from app.pipeline.lexicon import MedicineLexicon, known_word_test
from app.pipeline.state import Turn
from tests.fakes.openai_server import FakeOpenAIServer, tool_call


@pytest.fixture(scope="module")
def lexicon(mini_index: Any) -> MedicineLexicon:
    return MedicineLexicon(mini_index.medicines.values(), is_known_word=known_word_test(mini_index))


def _dialogue(*user_turns: str) -> list[Turn]:
    out: list[Turn] = []
    for text in user_turns[:-1]:
        out += [Turn("user", text), Turn("assistant", "Okay.")]
    return [*out, Turn("user", user_turns[-1])]


@pytest.mark.parametrize(("turns", "own", "product"), [
    (("Is ginkgo biloba safe with my warfarin?",), "warfarin-sodium", "ginkgo"),
    (("I take warfarin every day.", "What about St. John's wort, is that ok with it?"), "warfarin-sodium", None),
    (("I'm on lisinopril. What about potassium supplements?",), "lisinopril", "potassium"),
    (("been on lisinopril for years", "can i take potassium pills with it"), "lisinopril", "potassium"),
])
def test_the_own_label_answers_where_it_names_the_product(mini_index: Any, lexicon: MedicineLexicon,
                                                          turns: tuple[str, ...], own: str,
                                                          product: str | None) -> None:
    d = RuleDistiller().distill(_dialogue(*turns), lexicon, index=mini_index)
    asked = [(q.medicine, q.attribute) for q in d.queries if q.medicine in lexicon.names]
    assert asked == [(own, "interactions")], [q.to_dict() for q in d.queries]
    words = [q.medicine for q in d.queries if q.medicine not in lexicon.names]
    assert len(words) == 1 and words[0] not in mini_index.medicines  # no label is searched for it
    if product:
        assert product in (words[0] or "")
    assert d.unknown_drugs  # the notice: the product itself is not in the database


@pytest.mark.parametrize("turns", [
    ("Is kava safe with my lisinopril?",),  # lisinopril's label says nothing of kava or herbal products
    ("I take metformin.", "Is ginkgo ok with it?"),
])
def test_a_label_silent_on_the_product_gives_unknown_drug(mini_index: Any, lexicon: MedicineLexicon,
                                                          turns: tuple[str, ...]) -> None:
    d = RuleDistiller().distill(_dialogue(*turns), lexicon, index=mini_index)
    assert d.queries == [] and d.unknown_drugs, [q.to_dict() for q in d.queries]


def test_without_labels_to_read_nothing_is_searched(lexicon: MedicineLexicon) -> None:
    d = RuleDistiller().distill(_dialogue("Is ginkgo biloba safe with my warfarin?"), lexicon)
    assert d.queries == [] and d.unknown_drugs


def test_a_medicine_asked_together_with_a_product_is_read_for_it_whoever_takes_it(mini_index: Any,
                                                                                  lexicon: MedicineLexicon) -> None:
    # (not only "my ibuprofen": asked together, the label answers only where it names the product)
    d = RuleDistiller().distill(_dialogue("Can I take ibuprofen with fish oil?"), lexicon, index=mini_index)
    assert d.queries == [] and [u.split(" (")[0] for u in d.unknown_drugs] == ["fish oil"]
    assert "label does not mention it" in d.unknown_drugs[0]
    safe_with = RuleDistiller().distill(_dialogue("Is ibuprofen safe with fish oil?"), lexicon, index=mini_index)
    assert safe_with.queries == [] and safe_with.unknown_drugs == d.unknown_drugs


def test_the_model_distiller_leaves_it_to_the_rules(fake_openai: FakeOpenAIServer, mini_index: Any,
                                                    lexicon: MedicineLexicon) -> None:
    fake_openai.script(tool_call("search_medicine_database", {"medicine": "warfarin", "attribute": "dosage",
                                                              "keywords": "warfarin dose"}))
    model = OpenAICompatModel(LLMSettings(backend="openai_compat", base_url=fake_openai.url, model="fake",
                                          timeout_s=10, max_retries=0))
    d = LLMDistiller(model, DistillSettings(backend="llm")).distill(
        _dialogue("Is ginkgo biloba safe with my warfarin?"), lexicon, index=mini_index)
    assert fake_openai.requests == []
    assert ("warfarin-sodium", "interactions") in {(q.medicine, q.attribute) for q in d.queries}
