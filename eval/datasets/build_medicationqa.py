"""Build the MedicationQA-derived consultation sets in eval/data/ (deterministic, seeded).

Source: the MedicationQA development subset (`shared/data/medicationqa/dev.jsonl`):

    Asma Ben Abacha, Yassine Mrabet, Mark Sharp, Travis Goodwin, Sonya E. Shooshan, Dina Demner-Fushman.
    Bridging the Gap between Consumers' Medication Questions and Trusted Answers. MEDINFO 2019.

Only the questions and their annotations (focus drug, question type, the heuristic `attribute`) are
used. The reference answers are copied from MedlinePlus and other pages under copyright and are never
written here.

Three files, one item per question (rows with the same question and focus are merged, their
attributes becoming several gold pairs):

- `medicationqa_single.jsonl`: the consumer's question as asked, one user turn.
- `medicationqa_multiturn.jsonl`: the drug is named in an opening user turn (phrasing varies), an
  assistant turn acknowledges without naming it, and the question refers back to it: its drug mention
  is replaced by "it" / "this medicine" / "this pill" ... ("how does valium affect the brain" -> "how
  does it affect the brain"). Questions whose drug mention cannot be found are left out.
- `medicationqa_distractor.jsonl`: as multiturn, with a first exchange naming another, everyday drug
  the patient already takes. Interaction questions are left out: there the drug already taken is a
  legitimate partner, so the distractor would be a second right answer.

Gold: `{"medicine": <generic name from focus_generics, else the annotated focus>, "attribute":
<the dataset's heuristic attribute or null>, "names": [<the annotated focus as written>]}`. Run:

    python -m eval.datasets.build_medicationqa [--src .../dev.jsonl] [--out eval/data] [--seed 13]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein

DEFAULT_SRC = Path(__file__).resolve().parents[3] / "shared" / "data" / "medicationqa" / "dev.jsonl"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data"
SEED = 13

OPENINGS = [
    "My doctor prescribed {drug} for me last week.",
    "I've been taking {drug} for a few months now.",
    "I have a question about {drug}.",
    "My mother was just started on {drug}.",
    "The pharmacist gave me {drug} today.",
    "I was put on {drug} after my last check-up.",
    "Hi, I picked up a prescription for {drug} yesterday.",
    "My husband has been on {drug} since the spring.",
    "I'm supposed to start {drug} next week.",
]
FOLLOW_ON = [
    "Now my doctor has added {drug}.",
    "Last week I was also started on {drug}.",
    "Yesterday I got a new prescription for {drug}.",
    "The specialist wants me to take {drug} as well.",
]
DISTRACTOR_OPENINGS = [
    "I take {drug} every day.",
    "I've been on {drug} for years.",
    "My regular medicine is {drug}.",
    "I'm already taking {drug}.",
]
ACKS = [
    "Okay. What would you like to know?",
    "Sure, I can help with that. What is your question?",
    "Thanks for letting me know. How can I help?",
    "Understood. What would you like to ask?",
    "Of course, go ahead.",
]
NOTED = ["Noted.", "Thanks, I have that.", "Okay.", "Got it."]
# Everyday drugs for the distractor turn (generic names; which of them the database holds does not matter).
DISTRACTORS = [
    "lisinopril", "metformin", "atorvastatin", "amlodipine", "omeprazole", "levothyroxine", "sertraline",
    "losartan", "simvastatin", "albuterol", "gabapentin", "hydrochlorothiazide",
]
REFERENTS = ["it", "it", "this medicine", "this drug"]
_NOUNS = (
    r"pills?|tablets?|capsules?|caplets?|drugs?|medicines?|medications?|meds|inhalers?|patch(?:es)?|injections?|"
    r"shots?|creams?|gels?|ointments?|vaccines?|doses?|prescriptions?|solution|liquid|drops?|spray|nebulizers?"
)
_DET_BEFORE = re.compile(r"\b(the|a|an|my|your|his|her|this|that)\s+$", re.IGNORECASE)
_NOUN_AFTER = re.compile(rf"^(\s+(?:\d+\s*mg\s+)?)({_NOUNS})\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z\-]+")


@dataclass
class Question:
    rows: list[int]
    question: str
    focus: str
    generics: list[str]
    attributes: list[str | None]
    question_types: list[str]


def load_questions(src: Path) -> list[Question]:
    """dev.jsonl rows grouped by (question, focus); rows without an annotated focus are skipped."""
    grouped: dict[tuple[str, str], Question] = {}
    with src.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            focus = (row.get("focus_raw") or "").strip()
            question = " ".join((row.get("question") or "").split())
            if not focus or not question:
                continue
            key = (question.casefold(), focus.casefold())
            q = grouped.get(key)
            if q is None:
                q = grouped[key] = Question([], question, focus, list(row.get("focus_generics") or []), [], [])
            q.rows.append(int(row["row"]))
            if row.get("attribute") not in q.attributes:
                q.attributes.append(row.get("attribute"))
            if row.get("question_type") and row["question_type"] not in q.question_types:
                q.question_types.append(row["question_type"])
    return sorted(grouped.values(), key=lambda q: q.rows[0])


def gold_pairs(q: Question) -> list[dict[str, Any]]:
    attrs: list[str | None] = [a for a in q.attributes if a] or [None]
    medicines = q.generics or [q.focus]
    out = []
    for med in medicines:
        for a in attrs:
            entry: dict[str, Any] = {"medicine": med, "attribute": a}
            if q.focus.casefold() != med.casefold():
                entry["names"] = [q.focus]
            out.append(entry)
    return out


def _candidates(q: Question) -> list[str]:
    """Names the question may use for its focus, longest first."""
    names = [q.focus, *q.generics]
    for part in re.split(r"\s*(?:\+|,|;|&|/|\band\b|\bwith\b)\s*", q.focus):
        if part.strip():
            names.append(part.strip())
    names = [re.sub(r"\s*\(.*?\)\s*", " ", n).strip() for n in names]
    return sorted(dict.fromkeys(n for n in names if len(n) >= 3), key=lambda n: (-len(n), n))


def find_mention(q: Question) -> tuple[int, int] | None:
    """Character span of the focus drug in the question: a name as annotated, else a misspelling."""
    text = q.question
    best: tuple[int, int] | None = None
    for name in _candidates(q):
        m = re.search(r"(?<![A-Za-z])" + r"\s+".join(map(re.escape, name.split())) + r"(?![A-Za-z])", text, re.I)
        if m and (best is None or m.start() < best[0] or (m.start() == best[0] and m.end() > best[1])):
            best = (m.start(), m.end())
    if best is not None:
        return best
    singles = [n.casefold() for n in _candidates(q) if " " not in n and len(n) >= 5]
    for m in _WORD.finditer(text):
        word = m.group().casefold()
        if len(word) >= 5 and any(
            Levenshtein.distance(word, n) <= (1 if len(n) <= 7 else 2) and word[0] == n[0] for n in singles
        ):
            return m.start(), m.end()
    return None


def refer_back(text: str, span: tuple[int, int], rng: random.Random) -> str:
    """Replace the drug mention at `span` by a pronoun or 'this medicine', keeping the sentence readable."""
    start, end = span
    before, after = text[:start], text[end:]
    det = _DET_BEFORE.search(before)
    noun = _NOUN_AFTER.match(after)
    if after.startswith(("'s", "’s")):
        replacement, after = "its", after[2:]
        before = before[: det.start()] if det else before
    elif noun:
        # "the fluvastatin pill" -> "this pill"
        before = before[: det.start()] if det else before
        replacement, after = "this" + noun.group(1) + noun.group(2), after[noun.end() :]
    elif det:
        before = before[: det.start()]
        replacement = "this medicine"
    elif not before.strip():
        replacement = "this medicine"
    else:
        replacement = rng.choice(REFERENTS)
    if not before.strip() and text[:1].isupper():
        replacement = replacement[:1].upper() + replacement[1:]
    out = before + replacement + after
    return " ".join(out.split())


def _surface(text: str, span: tuple[int, int]) -> str:
    return text[span[0] : span[1]]


def _rng(seed: int, key: str) -> random.Random:
    return random.Random(f"{seed}:{key}")


def _item(item_id: str, turns: list[tuple[str, str]], q: Question, variant: str, **extra: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "source": "MedicationQA (Ben Abacha et al., MEDINFO 2019), dev subset",
        "rows": q.rows,
        "question_type": q.question_types,
        "focus": q.focus,
        "variant": variant,
        **extra,
    }
    return {
        "id": item_id,
        "lang": "en",
        "dialogue": [{"role": r, "content": c} for r, c in turns],
        "gold": gold_pairs(q),
        "meta": meta,
    }


def build(questions: Iterable[Question], seed: int = SEED) -> dict[str, list[dict[str, Any]]]:
    single: list[dict[str, Any]] = []
    multi: list[dict[str, Any]] = []
    distract: list[dict[str, Any]] = []
    for q in questions:
        base = f"mqa-{q.rows[0]}"
        single.append(_item(base, [("user", q.question)], q, "single"))
        span = find_mention(q)
        if span is None:
            continue
        rng = _rng(seed, base)
        drug = _surface(q.question, span)
        question = refer_back(q.question, span, rng)
        opening = rng.choice(OPENINGS).format(drug=drug)
        multi.append(
            _item(f"{base}-mt", [("user", opening), ("assistant", rng.choice(ACKS)), ("user", question)], q,
                  "referback", mention=drug)
        )
        if "interactions" in q.attributes:
            continue
        taken = {n.casefold() for n in [q.focus, *q.generics]}
        pool = [d for d in DISTRACTORS if not any(d in t or t in d for t in taken)]
        other = rng.choice(pool)
        turns = [
            ("user", rng.choice(DISTRACTOR_OPENINGS).format(drug=other)),
            ("assistant", rng.choice(NOTED)),
            ("user", rng.choice(FOLLOW_ON).format(drug=drug)),
            ("assistant", rng.choice(ACKS)),
            ("user", question),
        ]
        distract.append(_item(f"{base}-dx", turns, q, "distractor", mention=drug, distractor=other))
    return {
        "medicationqa_single.jsonl": single,
        "medicationqa_multiturn.jsonl": multi,
        "medicationqa_distractor.jsonl": distract,
    }


def write(sets: dict[str, list[dict[str, Any]]], out: Path) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, items in sets.items():
        with (out / name).open("w", encoding="utf-8") as fh:
            for item in items:
                assert "answer" not in item  # MedicationQA answers are never shipped
                fh.write(json.dumps(item, ensure_ascii=False) + "\n")
        counts[name] = len(items)
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=DEFAULT_SRC)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    questions = load_questions(args.src)
    counts = write(build(questions, args.seed), args.out)
    for name, n in counts.items():
        print(f"{args.out / name}: {n} items")


if __name__ == "__main__":
    main()
