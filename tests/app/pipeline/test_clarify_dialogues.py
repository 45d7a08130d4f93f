"""Fifteen consultations written by hand for the question back (clarify): asked back only where a pharmacist
would ask too (two medicines that fit equally, a short form of several medicines, a class whose labels
differ), each with its options; answered where the conversation says what is meant. Over the shipped
lexicon (data/index; skipped when absent). The answers over the real pipeline: see the session's report."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.pipeline.distill import RuleDistiller
from app.pipeline.generic_names import shipped_name_table
from app.pipeline.lexicon import MedicineLexicon, known_word_test, load_drug_names
from app.pipeline.state import Distillation, Turn
from app.pipeline.synonyms import drug_synonyms
from indexing.store import SearchIndex

ROOT = Path(__file__).resolve().parents[3]

# user turns (an "Okay." from the service between them); then either the options asked back (a subset) or the
# medicines searched
ASKED_BACK = [
    (["I take lisinopril and metformin every morning.", "Can it give me a dry cough?"], {"Lisinopril", "Metformin"}),
    (["They put me on amlodipine and atorvastatin at the same visit.", "whats the max dose of it"],
     {"Amlodipine", "Atorvastatin"}),
    (["can i have a glass of wine while on antibiotics"], {"Amoxicillin", "Metronidazole"}),
    (["Do statins interact with grapefruit?"], {"Atorvastatin", "Simvastatin"}),
    (["pt on levo, ok to add warfarin?"], {"Levothyroxine", "Levofloxacin", "Levetiracetam"}),
    (["Is it safe to take SSRIs while breastfeeding?"], {"Sertraline", "Fluoxetine"}),
]
ANSWERED = [
    # both asked: no question back
    (["I take lisinopril and metformin.", "Can they both be taken at breakfast?"], {"lisinopril", "metformin"}),
    # mum's and sister's medicines both beside ibuprofen: the medication-partners stage pairs each with it
    (["My mum is on Eliquis and my sister takes sertraline.", "Is her tablet ok with ibuprofen?"], {"ibuprofen"}),
    (["My husband takes warfarin. Can he take Tylenol for a headache?"], {"acetaminophen", "warfarin"}),
    (["pt on clarithro, continue simva 40?"], {"clarithromycin", "simvastatin"}),
    (["azithro and warfarin - any issue?"], {"azithromycin", "warfarin"}),
    (["I started metformin last month.", "I take atorvastatin too.", "Is the metformin ok with alcohol?"],
     {"metformin"}),
    (["My GP put me on amox 500 three times a day. Can I take it with food?"], {"amoxicillin"}),
    # about the class itself, or which medicine to take: nothing to ask back
    (["What are beta blockers?"], set()),
    (["which antibiotics are safe in pregnancy"], set()),
]


@pytest.fixture(scope="module")
def shipped() -> tuple[MedicineLexicon, SearchIndex]:
    from indexing.store import IndexNotFoundError, load_current

    try:
        index = load_current(ROOT / "data" / "index", "medicines", with_dense=False)
    except IndexNotFoundError:
        pytest.skip("no shipped index under data/index (`clinqa index build` makes one)")
    lexicon = MedicineLexicon(index.medicines.values(), load_drug_names(ROOT / "corpora" / "drug_names.txt"),
                              is_known_word=known_word_test(index), synonyms=drug_synonyms(),
                              name_table=shipped_name_table())
    return lexicon, index


def _distill(shipped: tuple[MedicineLexicon, SearchIndex], turns: list[str]) -> Distillation:
    dialogue: list[Turn] = []
    for t in turns:
        dialogue += [Turn("user", t), Turn("assistant", "Okay.")]
    return RuleDistiller().distill(dialogue[:-1], shipped[0], index=shipped[1])


@pytest.mark.parametrize(("turns", "offered"), ASKED_BACK)
def test_asked_back_with_its_options(shipped: tuple[MedicineLexicon, SearchIndex], turns: list[str],
                                     offered: set[str]) -> None:
    d = _distill(shipped, turns)
    assert d.clarify and not d.queries, (turns, d.queries)
    assert offered <= set(d.options), d.options
    assert all(option in d.clarify for option in d.options)


@pytest.mark.parametrize(("turns", "searched"), ANSWERED)
def test_answered_without_a_question_back(shipped: tuple[MedicineLexicon, SearchIndex], turns: list[str],
                                          searched: set[str]) -> None:
    d = _distill(shipped, turns)
    assert not d.clarify and not d.options, d.clarify
    assert searched <= {q.medicine.removesuffix("-otc") for q in d.queries if q.medicine}, d.queries
