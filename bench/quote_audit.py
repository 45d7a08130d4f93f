"""Audit of the reader's quotable sentences: every section of a medicine database through
`app.pipeline.compose.label_sentences`, counting sentences that are not whole, verbatim, meaningful label
sentences, by kind (issue 18).

    .venv/bin/python -m bench.quote_audit [--corpus corpora/medicines.jsonl] [--examples 3] [--kind orphan]

Kinds (heuristics: a count to compare before and after a change, not a proof):
- colon_splice: a whole sentence with a ':' after its full stop, then another sentence ("... urticaria.: Proton
  pump inhibitors ...");
- caps_heading: an ALL-CAPS section heading or a numbered heading left at the start ("1.INDICATIONS & USAGE
  SECTION Treatment ...", "Patients ELIQUIS is indicated ...");
- orphan: a sentence that leans on the one before it, quoted alone ("These could be signs of ...", "Discontinue
  and evaluate clinically.", "Symptoms may include: ...");
- run_on: a list flattened without punctuation, items glued capital to lower case ("... idiopathic angioedema
  Hypersensitivity Co-administration of ...");
- duplicate: the same sentence twice among one section's quotable sentences.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from app.pipeline.compose import label_sentences

KINDS = ("colon_splice", "caps_heading", "orphan", "run_on", "duplicate")

_COLON_SPLICE = re.compile(r"[a-z)]\s*[.!?]\s*:\s+[A-Z]")
_CAPS_HEADING = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s*)?(?:[A-Z][A-Z&/-]+\s+){2,}(?=[A-Z][a-z])"  # "INDICATIONS & USAGE SECTION Treatment"
    r"|^\d+\.\d+\.?\s*[A-Z]|^\d+\.[A-Z]"  # "1.INDICATIONS", "7.1. Potential" (not a step: "2. Remove")
    r"|^(?:Patients|Adults?|Children|Pediatric|Women|Men|Infants|Use|Dosage|Overview)"
    r" [A-Z]{3,}[A-Z0-9-]* [a-z]"  # "Patients ELIQUIS is"
)
_ORPHAN = re.compile(
    r"^(?:These|Those|They|This) (?:may|might|can|could|should|will|would|is|are|was|were|has|have|had|includes?"
    r"|results?|occurs?|means?|suggests?|indicates?|led|leads?)\b"
    r"|^(?:Symptoms|Signs) (?:may )?include\b"
    r"|^(?:Discontinue|Stop|Withhold|Interrupt)(?: (?:promptly|immediately|treatment|therapy))?"
    r"(?: and [a-z]+(?: [a-z]+){0,3})?\.$"
)
# A capitalised common word after a lower-case content word (not "at High Risk for Fracture": a title's glue).
_GLUE = re.compile(r"(?<![A-Za-z])(?!(?:of|to|at|for|and|with|in|or|the|a|by|on|from|than|as|per) )[a-z][a-z-]* "
                   r"([A-Z][a-z]+(?:-[a-z]+)?)(?= )")


def section_texts(corpus: Path) -> Iterator[tuple[str, str, str, frozenset[str]]]:
    with corpus.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise SystemExit(f"{corpus}:{number}: not JSON ({error})") from error
            names = frozenset(w.casefold() for n in [row["name"], *row.get("aliases", [])] for w in n.split())
            for section, text in row.get("sections", {}).items():
                if isinstance(text, str) and text:
                    yield row["id"], section, text, names


def lowercase_words(corpus: Path) -> frozenset[str]:
    """Words the corpus writes in lower case far more often than capitalised mid-sentence (common words, not
    names): a capitalised one of them after a lower-case word is where a flattened list's items meet."""
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    for _, _, text, _ in section_texts(corpus):
        for word in re.findall(r"(?<=[a-z,] )[A-Za-z][a-z]{3,}", text):
            (lower if word[0].islower() else upper)[word.casefold()] += 1
    return frozenset(w for w, n in lower.items() if n >= 20 and upper[w] * 10 < n)


def kinds_of(sentence: str, common: frozenset[str]) -> list[str]:
    found = []
    if _COLON_SPLICE.search(sentence):
        found.append("colon_splice")
    if _CAPS_HEADING.match(sentence) and not sentence.isupper():
        found.append("caps_heading")
    if _ORPHAN.match(sentence):
        found.append("orphan")
    if sum(1 for w in _GLUE.findall(sentence) if w.casefold() in common) >= 1:
        found.append("run_on")
    return found


def audit(corpus: Path) -> tuple[Counter[str], dict[str, list[str]], int]:
    common = lowercase_words(corpus)
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = {k: [] for k in KINDS}
    total = 0
    for medicine, section, text, names in section_texts(corpus):
        seen: set[str] = set()
        for _, sentence in label_sentences(text, names):
            total += 1
            kinds = kinds_of(sentence, common)
            if sentence in seen:
                kinds.append("duplicate")
            seen.add(sentence)
            for kind in kinds:
                counts[kind] += 1
                examples[kind].append(f"{medicine}/{section}: {sentence}")
    return counts, examples, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpora/medicines.jsonl"))
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument("--kind", choices=KINDS)
    parser.add_argument("--out", type=Path, help="write every flagged sentence here (kind<TAB>where: sentence)")
    args = parser.parse_args()
    counts, examples, total = audit(args.corpus)
    print(f"quotable sentences: {total}")
    for kind in KINDS:
        if args.kind and kind != args.kind:
            continue
        print(f"{kind}: {counts[kind]}")
        for example in examples[kind][: args.examples]:
            print(f"    {example[:240]}")
    if args.out:
        args.out.write_text("".join(f"{k}\t{e}\n" for k in KINDS for e in examples[k]), encoding="utf-8")


if __name__ == "__main__":
    main()
