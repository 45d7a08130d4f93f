"""Question intent for Chinese questions when the serving encoder is English-only (MiniLM).

A multinomial logistic regression over character 1-3-gram TF-IDF of the question (simplified script) plus the cue
scores, trained on the Chinese consultation tuning sittings (`python -m eval.intent_zh train`;
`corpora/intent_model_zh.npz`). The features are computed here with numpy exactly as scikit-learn's
TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True) computes them at training, so serving needs
no scikit-learn. Each sitting left out of its training, the first section is a gold one more often than by the
cue words (eval.intent_zh measure).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from app.pipeline.zh_script import to_simplified

NGRAMS = (1, 3)
_WHITE = re.compile(r"\s\s+")


def char_ngrams(text: str) -> list[str]:
    """The character n-grams TfidfVectorizer(analyzer="char") reads: lower-cased, runs of white space as one."""
    text = _WHITE.sub(" ", text.lower())
    low, high = NGRAMS
    return [text[i:i + n] for n in range(low, min(high, len(text)) + 1) for i in range(len(text) - n + 1)]


@dataclass(frozen=True)
class ZhIntentModel:
    terms: dict[str, int]
    idf: np.ndarray  # (terms,)
    coef: np.ndarray  # (classes, terms + cue features)
    intercept: np.ndarray  # (classes,)
    classes: tuple[str, ...]
    provenance: dict[str, Any]

    def tfidf(self, question: str) -> np.ndarray:
        counts: dict[int, int] = {}
        for gram in char_ngrams(to_simplified(question)):
            at = self.terms.get(gram)
            if at is not None:
                counts[at] = counts.get(at, 0) + 1
        row = np.zeros(len(self.terms), dtype=np.float64)
        for at, count in counts.items():
            row[at] = (1.0 + math.log(count)) * self.idf[at]
        norm = float(np.linalg.norm(row))
        out: np.ndarray = row / norm if norm > 0 else row
        return out

    def probabilities(self, question: str, cues: np.ndarray) -> dict[str, float]:
        x = np.concatenate([self.tfidf(question), cues.astype(np.float64)])
        z = self.coef.astype(np.float64) @ x + self.intercept
        e = np.exp(z - z.max())
        p = e / e.sum()
        return {c: float(v) for c, v in zip(self.classes, p, strict=True)}

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        terms = sorted(self.terms, key=self.terms.__getitem__)
        np.savez_compressed(path, terms=np.array(terms), idf=self.idf.astype(np.float32),
                            coef=self.coef.astype(np.float32), intercept=self.intercept.astype(np.float32),
                            classes=np.array(self.classes))
        meta = {"classes": list(self.classes), "terms": len(terms), **self.provenance}
        path.with_suffix(".json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> ZhIntentModel:
        meta_path = path.with_suffix(".json")
        try:
            provenance = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ValueError(f"{meta_path}: Chinese intent model provenance unreadable: {exc}") from exc
        with np.load(path, allow_pickle=False) as data:
            terms = [str(t) for t in data["terms"]]
            model = cls({t: i for i, t in enumerate(terms)}, data["idf"].astype(np.float64), data["coef"],
                        data["intercept"].astype(np.float64), tuple(str(c) for c in data["classes"]), provenance)
        if model.coef.shape[0] != len(model.classes) or model.coef.shape[1] <= len(terms):
            raise ValueError(f"{path}: coefficients {model.coef.shape} do not fit {len(model.classes)} classes and "
                             f"{len(terms)} terms; rebuild it (python -m eval.intent_zh train)")
        return model
