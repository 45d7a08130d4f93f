"""The Chinese question-intent model (app/pipeline/intent_zh.py, eval/intent_zh.py): features computed at serving
exactly as at training, the artefact round trip, what it trains on, and how the classifier uses it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from app.pipeline.intent import IntentClassifier, cue_features, load_intent_classifier
from app.pipeline.intent_zh import NGRAMS, ZhIntentModel, char_ngrams
from eval.intent_zh import MIN_DF, chinese_sittings, fit

CORPORA = Path(__file__).resolve().parents[2] / "corpora"

QUESTIONS = [("阿莫西林一天吃几次？", "dosage"), ("阿莫西林饭前吃还是饭后吃", "dosage"), ("布洛芬一次吃多少", "dosage"),
             ("二甲双胍有什么副作用？", "adverse_reactions"), ("吃了布洛芬胃疼，是副作用吗", "adverse_reactions"),
             ("二甲双胍的副作用大吗", "adverse_reactions"), ("华法林能和阿司匹林一起吃吗", "interactions"),
             ("布洛芬能和阿司匹林一起吃吗", "interactions"), ("吃华法林可以喝酒吗  ", "interactions")]


def test_serving_features_are_the_training_vectorizer_s() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [q for q, _ in QUESTIONS]
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, sublinear_tf=True, min_df=MIN_DF).fit(texts)
    model = fit(QUESTIONS)
    expected = vectorizer.transform(["华法林一天吃几次？ 能和阿司匹林一起吃吗", "Abc  布洛芬"]).toarray()
    for row, text in zip(expected, ["华法林一天吃几次？ 能和阿司匹林一起吃吗", "Abc  布洛芬"], strict=True):
        ours = model.tfidf(text)
        assert np.allclose([ours[model.terms[t]] for t in vectorizer.get_feature_names_out()], row)
    assert char_ngrams("Ab  c")[:4] == ["a", "b", " ", "c"]


def test_the_artefact_round_trips(tmp_path: Path) -> None:
    model = fit(QUESTIONS, {"note": "test"})
    model.save(tmp_path / "m_zh.npz")
    loaded = ZhIntentModel.load(tmp_path / "m_zh.npz")
    question = "阿莫西林一次吃几片"
    p = loaded.probabilities(question, cue_features(question))
    assert p == pytest.approx(model.probabilities(question, cue_features(question)), abs=1e-5)
    assert sum(p.values()) == pytest.approx(1.0) and max(p, key=p.__getitem__) == "dosage"
    assert json.loads((tmp_path / "m_zh.json").read_text(encoding="utf-8"))["note"] == "test"


def test_a_broken_artefact_is_refused(tmp_path: Path) -> None:
    fit(QUESTIONS).save(tmp_path / "m_zh.npz")
    (tmp_path / "m_zh.json").write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match=r"m_zh\.json"):
        ZhIntentModel.load(tmp_path / "m_zh.npz")


def test_chinese_sittings_are_the_tuning_sets_never_a_held_out_one() -> None:
    sittings = chinese_sittings()
    assert "consult_zh_fresh12_tune" in sittings
    assert not [name for name in sittings if "heldout" in name or "_zh_" not in name]


def test_the_classifier_ranks_chinese_questions_with_it_and_english_ones_without() -> None:
    classifier = IntentClassifier(zh_model=fit(QUESTIONS))
    assert classifier.rank("二甲双胍会不会有副作用").source.startswith("model-zh")
    assert classifier.rank("二甲双胍会不会有副作用").top == "adverse_reactions"
    assert classifier.rank("what are the side effects of metformin?").source == "cues"


def test_the_shipped_artefact_is_loaded_beside_the_english_one_and_beats_the_cues() -> None:
    meta = json.loads((CORPORA / "intent_model_zh.json").read_text(encoding="utf-8"))
    left_out = meta["sittings_each_left_out"]["all"]
    assert left_out["+ model of the other sittings"] > left_out["cues and topics"]
    assert meta["trained_on"]["sittings"] == sorted(chinese_sittings())
    classifier = load_intent_classifier(CORPORA / "intent_model.npz", None, None)
    assert classifier.zh_model is not None and classifier.rank("阿莫西林怎么吃").source.startswith("model-zh")
