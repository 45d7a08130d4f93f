"""Training the question-intent models (eval/intent.py): the shipped e5 artefact's provenance, the
question-embedding store the e5 training reuses between runs, and what the training questions are."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from eval.intent import (
    MEDICATIONQA,
    MEDQUAD_DIR,
    QuestionVectors,
    consultation_sittings,
    load_medicationqa,
    load_medquad,
)
from indexing.schema import Attribute
from indexing.vocabulary import has_cjk

CORPORA = Path(__file__).resolve().parents[2] / "corpora"


class CountingEncoder:
    """Stands in for a query encoder: a vector from the text's length, and a count of what it encoded."""

    backend = "onnx"

    def __init__(self, model_id: str = "fake-encoder") -> None:
        self.model_id = model_id
        self.encoded: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.encoded += texts
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        vector: np.ndarray = self.encode([text])[0]
        return vector


def test_the_e5_artefact_is_trained_on_all_the_questions_the_minilm_one_is() -> None:
    e5 = json.loads((CORPORA / "intent_model_e5.json").read_text(encoding="utf-8"))
    minilm = json.loads((CORPORA / "intent_model.json").read_text(encoding="utf-8"))
    assert e5["encoder"] == "multilingual-e5-small-q4"
    assert (CORPORA / "intent_model_e5.npz").stat().st_size < 300_000
    for source in ("medquad", "medicationqa"):
        assert e5["trained_on"][source]["questions"] == minilm["trained_on"][source]["questions"]
        assert e5["trained_on"][source]["by_attribute"] == minilm["trained_on"][source]["by_attribute"]
    assert "medquad_sample" not in e5
    assert e5["source_weighting"] == minilm["source_weighting"] and e5["model"] == minilm["model"]
    # measured as the MiniLM one is: both cross-source directions and the 5-fold, plus the Chinese sets
    assert set(minilm["cross_source_evaluation"]) <= set(e5["cross_source_evaluation"])


@pytest.mark.skipif(not (MEDQUAD_DIR.is_dir() and MEDICATIONQA.is_file()),
                    reason="MedQuAD / MedicationQA not in ../shared/data")
def test_the_training_questions_are_english_only() -> None:
    """No Chinese question is trained on: Chinese questions reach the e5 model only through the encoder's
    cross-lingual embedding (and app.pipeline.zh_sections' topics come first for them)."""
    items = load_medquad() + load_medicationqa()
    assert len(items) > 10_000
    assert not [i.question for i in items if has_cjk(i.question)]


def test_question_vectors_encode_each_question_once_and_keep_them(tmp_path: Path) -> None:
    store_path = tmp_path / "vectors.npz"
    encoder = CountingEncoder()
    vectors = QuestionVectors(encoder, store_path)
    first = vectors(["how much", "why", "how much"])
    assert first.shape == (3, 2) and first[0, 0] == len("how much")
    assert encoder.encoded == ["how much", "why"]
    vectors(["why"])
    assert encoder.encoded == ["how much", "why"]
    vectors.save()

    again = CountingEncoder()
    reloaded = QuestionVectors(again, store_path)
    assert np.array_equal(reloaded(["why", "how much"]), first[[1, 0]])
    assert again.encoded == []


def test_question_vectors_of_another_encoder_are_refused(tmp_path: Path) -> None:
    store_path = tmp_path / "vectors.npz"
    vectors = QuestionVectors(CountingEncoder("encoder-a"), store_path)
    vectors(["how much"])
    vectors.save()
    with pytest.raises(ValueError, match="encoder-a"):
        QuestionVectors(CountingEncoder("encoder-b"), store_path)


def test_consultation_sittings_are_the_english_tuning_sets_never_a_held_out_one() -> None:
    sittings = consultation_sittings()
    assert "consult_fresh12_tune" in sittings and "consult_handwritten_tune" in sittings
    assert not [name for name in sittings if "heldout" in name or "_zh_" in name]
    for name, items in sittings.items():
        assert {i.group for i in items} == {name}
        assert not [i.question for i in items if has_cjk(i.question)], name
        assert all(Attribute.from_str(i.attribute) for i in items)


def test_a_question_with_two_gold_sections_is_labelled_with_each(tmp_path: Path) -> None:
    item = {"id": "t1", "dialogue": [{"role": "user", "content": "I'm on warfarin."},
                                     {"role": "assistant", "content": "Noted."},
                                     {"role": "user", "content": "can  I take it   with ibuprofen?"}],
            "gold": [{"medicine": "warfarin", "attribute": "interactions"},
                     {"medicine": "warfarin", "attribute": "warnings"}]}
    (tmp_path / "consult_mine_tune.jsonl").write_text(json.dumps(item) + "\n", encoding="utf-8")
    (tmp_path / "consult_mine_heldout.jsonl").write_text(json.dumps(item) + "\n", encoding="utf-8")
    (tmp_path / "consult_zh_mine_tune.jsonl").write_text(json.dumps(item) + "\n", encoding="utf-8")
    sittings = consultation_sittings(tmp_path)
    assert list(sittings) == ["consult_mine_tune"]
    assert [(i.question, i.attribute) for i in sittings["consult_mine_tune"]] == [
        ("can I take it with ibuprofen?", "interactions"), ("can I take it with ibuprofen?", "warnings")]


def test_the_shipped_artefact_says_which_sittings_it_was_trained_on() -> None:
    minilm = json.loads((CORPORA / "intent_model.json").read_text(encoding="utf-8"))
    consultations = minilm["trained_on"]["consultations"]
    assert consultations["sittings"] == sorted(consultation_sittings())
    assert consultations["questions"] == sum(len(v) for v in consultation_sittings().values())
    left_out = minilm["cross_source_evaluation"]["consultation sittings, each left out"]["all"]
    # the figure the artefact is kept for: each sitting left out, better than the cues and the two sources alone
    assert left_out["+ other sittings acc@1"] > left_out["cues alone acc@1"]
    assert left_out["+ other sittings acc@1"] > left_out["MedQuAD + MedicationQA acc@1"]
