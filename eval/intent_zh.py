"""Train and measure the Chinese question-intent model (app/pipeline/intent_zh.py).

    python -m eval.intent_zh measure   # each Chinese consultation sitting left out: model vs the serving cues
    python -m eval.intent_zh train     # rebuild corpora/intent_model_zh.npz + .json
    python -m eval.intent_zh train --leave-out consult_zh_fresh9_tune --out /tmp/zh.npz   # for pipeline checks

Training questions: the last user turns of the Chinese consultation tuning sets in eval/data (written by hand, one
sitting per file; held-out files are never read), one labelled question per gold section.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from app.pipeline.intent import IntentClassifier, IntentPrior, cue_features
from app.pipeline.intent_zh import NGRAMS, ZhIntentModel
from app.pipeline.zh_script import to_simplified
from eval.intent import CONSULTATIONS, load_consult_questions

ARTEFACT = Path("corpora/intent_model_zh.npz")
# Inverse regularisation: each sitting left out, C = 1 / 3 / 10 gave first section a gold one 0.678 / 0.718 / 0.748
# (397 questions, 11 sittings; the cues 0.665)
C = 10.0
MIN_DF = 2


def chinese_sittings(folder: Path = CONSULTATIONS) -> dict[str, list[tuple[str, str]]]:
    """(question in simplified script, gold section) per Chinese tuning sitting; held-out files are never read."""
    out: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(folder.glob("consult_zh_*.jsonl")):
        if "heldout" in path.stem or not re.search(r"_tune|_dev_", path.stem):
            continue
        out[path.stem] = [(to_simplified(" ".join(q.split())), a)
                          for q, gold in load_consult_questions(path) for a in sorted(gold)]
    return out


def fit(items: Sequence[tuple[str, str]], provenance: dict[str, Any] | None = None) -> ZhIntentModel:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    questions = [q for q, _ in items]
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, sublinear_tf=True, min_df=MIN_DF)
    tfidf = vectorizer.fit_transform(questions).toarray()
    x = np.hstack([tfidf, np.vstack([cue_features(q) for q in questions])])
    model = LogisticRegression(C=C, max_iter=5000).fit(x, [a for _, a in items])
    terms = {str(t): int(i) for t, i in vectorizer.vocabulary_.items()}
    return ZhIntentModel(terms, vectorizer.idf_.astype(np.float64), model.coef_.astype(np.float32),
                         model.intercept_.astype(np.float64), tuple(str(c) for c in model.classes_),
                         provenance or {})


def serving_prior(model: ZhIntentModel | None, question: str) -> IntentPrior:
    return IntentClassifier(zh_model=model).rank(question)


def leave_sitting_out(sittings: dict[str, list[tuple[str, str]]]) -> dict[str, dict[str, float]]:
    """Each sitting's questions (a question with two gold sections once) ranked by the serving classifier with the
    cues alone and with a model trained on the other sittings: the first asked section a gold one."""
    out: dict[str, dict[str, float]] = {}
    hits: Counter[str] = Counter()
    total = 0
    for name, items in sittings.items():
        model = fit([i for other, its in sittings.items() if other != name for i in its])
        questions = list(dict.fromkeys(q for q, _ in items))
        gold = {q: {a for qq, a in items if qq == q} for q in questions}
        row: dict[str, float] = {"n": len(questions)}
        for key, m in (("cues and topics", None), ("+ model of the other sittings", model)):
            hit = sum(1 for q in questions if (serving_prior(m, q).top or "") in gold[q])
            row[key] = round(hit / len(questions), 3)
            hits[key] += hit
        total += len(questions)
        out[name] = row
    out["all"] = {"n": total, **{k: round(v / total, 3) for k, v in hits.items()}}
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.intent_zh", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["measure", "train"])
    parser.add_argument("--out", type=Path, default=ARTEFACT)
    parser.add_argument("--leave-out", nargs="*", default=[], metavar="SITTING")
    args = parser.parse_args(argv)
    sittings = chinese_sittings()
    unknown = set(args.leave_out) - set(sittings)
    if unknown:
        parser.error(f"--leave-out: no Chinese tuning sitting {sorted(unknown)}; sittings: {sorted(sittings)}")
    evaluation = leave_sitting_out(sittings)
    print(json.dumps(evaluation, indent=2, ensure_ascii=False))
    if args.command == "train":
        items = [i for name, its in sittings.items() if name not in args.leave_out for i in its]
        provenance = {
            "trained_on": {"path": "eval/data (Chinese tuning sets, last user turn)",
                           "sittings": sorted(set(sittings) - set(args.leave_out)), "questions": len(items),
                           "by_attribute": dict(Counter(a for _, a in items).most_common())},
            "model": f"multinomial logistic regression (scikit-learn, C={C:g}) over character {NGRAMS[0]}-{NGRAMS[1]}"
                     f"-gram TF-IDF (sublinear, min_df={MIN_DF}) and the cue scores / 4",
            "command": "python -m eval.intent_zh train",
            "sittings_each_left_out": evaluation,
        }
        model = fit(items, provenance)
        model.save(args.out)
        print(f"wrote {args.out} ({args.out.stat().st_size} bytes): {len(model.classes)} sections, "
              f"{len(model.terms)} terms", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
