"""Tool-calling distillation: valid calls become queries, repairable ones are repaired, the rest are
dropped, and with no valid call the rule distiller answers."""

from __future__ import annotations

from typing import Any

import pytest

from app.config import DistillSettings
from app.pipeline.distill import RuleDistiller
from app.pipeline.distill_llm import SEARCH_TOOL, SEARCH_TOOL_NAME, LLMDistiller, parse_arguments, repair_attribute
from app.pipeline.lexicon import MedicineLexicon, known_word_test
from app.pipeline.state import PatientContext, Turn
from tests.fakes.chat_model import ScriptedChatModel, calls_reply


@pytest.fixture(scope="module")
def lexicon(mini_index: Any) -> MedicineLexicon:
    return MedicineLexicon(mini_index.medicines.values(), ("Xarelto", "rivaroxaban"),
                           is_known_word=known_word_test(mini_index))


def _call(args: dict[str, Any] | str, name: str = SEARCH_TOOL_NAME) -> tuple[str, dict[str, Any] | str]:
    return (name, args)


def _distill(lexicon: MedicineLexicon, question: str, *calls: tuple[str, dict[str, Any] | str],
             history: list[Turn] | None = None, **kwargs: Any) -> Any:
    model = ScriptedChatModel(calls_reply(*calls))
    dialogue = [*(history or []), Turn("user", question)]
    return LLMDistiller(model, DistillSettings(backend="llm", **kwargs)).distill(dialogue, lexicon), model


def test_well_formed_calls_become_queries(lexicon: MedicineLexicon) -> None:
    d, model = _distill(
        lexicon, "Can I take it with ibuprofen?",
        _call({"medicine": "Warfarin", "attribute": "interactions", "keywords": "warfarin ibuprofen bleeding"}),
        _call({"medicine": "ibuprofen", "attribute": "interactions", "keywords": "ibuprofen warfarin"}),
        history=[Turn("user", "My doctor put me on warfarin."), Turn("assistant", "Warfarin is ...")],
    )
    assert [(q.medicine, q.attribute) for q in d.queries] == [
        ("warfarin-sodium", "interactions"), ("ibuprofen", "interactions")]
    assert d.queries[0].keywords == "warfarin ibuprofen bleeding"
    assert d.backend == "llm" and d.unknown_drugs == []
    assert d.audit["well_formed"] is True and d.audit["well_formed_rate"] == 1.0
    assert d.audit["calls_total"] == 2 and d.audit["queries_from"] == "model" and d.audit["fallback"] is None
    # the prompt: the whole dialogue, the instruction not to answer, the tool with the attribute vocabulary
    call = model.calls[0]
    assert call["tools"] == [SEARCH_TOOL] and call["tool_choice"] == "required"
    prompt = model.prompt()
    assert "My doctor put me on warfarin." in prompt and "Can I take it with ibuprofen?" in prompt
    assert "Never answer" in prompt
    assert "adverse_reactions" in SEARCH_TOOL["function"]["parameters"]["properties"]["attribute"]["enum"]


def test_repairs_are_used_but_not_counted_well_formed(lexicon: MedicineLexicon) -> None:
    d, _ = _distill(
        lexicon, "What are the side effects of metfromin and prednisone?",
        _call("```json\n{'medicine': 'metfromin', 'attribute': 'side effects', "
              "'keywords': ['metformin', 'side effects'],}\n```"),
        _call({"drug": ["Prednisone"], "attribute": "Adverse Reactions"}),
    )
    assert [(q.medicine, q.attribute) for q in d.queries] == [
        ("metformin", "adverse_reactions"), ("prednisone", "adverse_reactions")]
    assert d.queries[0].keywords == "metformin side effects"
    assert d.queries[1].keywords  # built from the name and section
    assert d.audit["well_formed"] is False and d.audit["calls_well_formed"] == 0 and d.audit["calls_used"] == 2
    repairs = " ".join(r for c in d.audit["calls"] for r in c["repairs"])
    assert "malformed JSON repaired" in repairs and "'side effects' read as 'adverse_reactions'" in repairs


@pytest.mark.parametrize(
    ("arguments", "reason"),
    [
        ('{"medicine": "metformin" "attribute": dosage}', "not a JSON object"),
        ("not json at all", "not a JSON object"),
        ({"medicine": 42, "attribute": "dosage", "keywords": "dose"}, "medicine is missing or not a string"),
        ({"medicine": "metformin", "attribute": 7, "keywords": "dose"}, "attribute is not a string"),
        ({"medicine": "metformin", "attribute": "dosage", "keywords": {"a": 1}}, "keywords is not a string"),
        ({"medicine": "metformin", "attribute": "zodiac sign", "keywords": "x"}, "unknown attribute"),
        ({"medicine": "unobtainium", "attribute": "dosage", "keywords": "dose"}, "not in the database"),
        ({"medicine": "ibuprofen", "attribute": "dosage", "keywords": "dose"}, "not mentioned"),
    ],
)
def test_malformed_calls_fall_back_to_the_rules(lexicon: MedicineLexicon, arguments: Any, reason: str) -> None:
    question = "How much metformin should I take?"
    d, _ = _distill(lexicon, question, _call(arguments))
    rules = RuleDistiller().distill([Turn("user", question)], lexicon)
    assert d.queries == rules.queries
    assert d.audit["queries_from"] == "rules" and d.audit["fallback"] == "rules"
    assert reason in d.audit["calls"][0]["dropped"]
    assert d.audit["calls_used"] == 0


def test_truncated_json_is_repaired_when_the_ending_is_obvious(lexicon: MedicineLexicon) -> None:
    d, _ = _distill(lexicon, "How much metformin should I take?",
                    _call('{"medicine": "metformin", "attribute": "dosage", "keywords": "metformin dose"'))
    assert [(q.medicine, q.attribute) for q in d.queries] == [("metformin", "dosage")]
    assert d.audit["well_formed"] is False


def test_no_call_at_all_falls_back(lexicon: MedicineLexicon) -> None:
    model = ScriptedChatModel("You should take 500 mg twice a day.")
    d = LLMDistiller(model).distill([Turn("user", "How much metformin should I take?")], lexicon)
    assert [(q.medicine, q.attribute) for q in d.queries] == [("metformin", "dosage")]
    assert d.audit["well_formed"] is False and d.audit["calls_total"] == 0 and d.audit["fallback"] == "rules"
    assert d.audit["reply_text"].startswith("You should take")


def test_unknown_drug_is_reported_as_on_the_rule_path(lexicon: MedicineLexicon) -> None:
    d, _ = _distill(lexicon, "What is the usual dose of Xarelto?",
                    _call({"medicine": "Xarelto", "attribute": "dosage", "keywords": "xarelto dose"}))
    assert d.queries == [] and d.unknown_drugs == ["Xarelto"]
    d, _ = _distill(lexicon, "Can I take Xarelto with ibuprofen?",
                    _call({"medicine": "ibuprofen", "attribute": "interactions", "keywords": "ibuprofen xarelto"}),
                    _call({"medicine": "Xarelto", "attribute": "interactions", "keywords": "xarelto ibuprofen"}))
    assert [q.medicine for q in d.queries] == ["ibuprofen"] and d.unknown_drugs == ["Xarelto"]


def test_wrong_tool_duplicates_and_call_limit(lexicon: MedicineLexicon) -> None:
    args = {"medicine": "metformin", "attribute": "dosage", "keywords": "metformin dose"}
    d, _ = _distill(lexicon, "How much metformin and lisinopril?", _call(args, name="answer_question"),
                    _call(args), _call(args), _call({**args, "medicine": "lisinopril"}), max_calls=1)
    dropped = [c["dropped"] for c in d.audit["calls"]]
    assert "unknown tool" in dropped[0] and dropped[1] is None
    assert dropped[2] == "duplicate of an earlier call" and dropped[3] == "more than 1 calls"
    assert len(d.queries) == 1


def test_patient_medications_count_as_mentioned(lexicon: MedicineLexicon) -> None:
    model = ScriptedChatModel(calls_reply(_call({"medicine": "warfarin", "attribute": "interactions",
                                                 "keywords": "warfarin aspirin"})))
    patient = PatientContext("p1", current_medications=["Warfarin 5 mg"])
    d = LLMDistiller(model).distill([Turn("user", "Can I take aspirin with my blood thinner?")], lexicon, patient)
    assert [q.medicine for q in d.queries] == ["warfarin-sodium"]
    assert "Warfarin 5 mg" in model.prompt()


def test_argument_and_attribute_helpers() -> None:
    assert parse_arguments('"{\\"a\\": 1}"') == ({"a": 1}, ["arguments encoded twice"])
    assert parse_arguments("[1, 2]") == (None, [])
    assert repair_attribute("drug interactions") == "interactions"
    assert repair_attribute("Boxed-Warning") == "boxed_warning"
    assert repair_attribute("how much to take") == "dosage"
    assert repair_attribute("purple") is None
