"""app.pipeline.abbreviations: clinician shorthand names one medicine of the shipped corpus, and the short
forms that stand for several medicines (levo, metro) resolve to none of them. Our own wordings; the
medicines are those of corpora/medicines.jsonl (skipped when it is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.pipeline.abbreviations import CLINICIAN_SHORTHAND, SHORTHAND_OF_SEVERAL
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon, normalize_name
from app.pipeline.state import Distillation, Turn
from indexing.store import MedicineEntry

CORPUS = Path(__file__).resolve().parents[3] / "corpora" / "medicines.jsonl"
# the ward-round short forms added for the antibiotics and others people shorten (session 6)
ADDED = {"azithro": "azithromycin", "clarithro": "clarithromycin", "erythro": "erythromycin",
         "amox": "amoxicillin", "amox clav": "amoxicillin-and-clavulanate-potassium",
         "methylpred": "methylprednisolone", "furo": "furosemide", "warf": "warfarin"}
# each stands for several medicines of the corpus, or is a word
AMBIGUOUS = {"levo": ("levothyroxine", "levofloxacin", "levetiracetam"), "metro": ("metronidazole", "metoprolol")}


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    if not CORPUS.is_file():
        pytest.skip("corpora/medicines.jsonl is absent")
    wanted = {normalize_name(g) for g in CLINICIAN_SHORTHAND.values()} | {
        m for ids in AMBIGUOUS.values() for m in ids} | {"ondansetron hydrochloride"}
    entries = []
    with CORPUS.open(encoding="utf-8") as lines:
        for line in lines:
            med = json.loads(line)
            if normalize_name(med["name"]) in wanted or med["id"] in wanted:
                entries.append(MedicineEntry(med["id"], med["name"], tuple(med.get("aliases", ())), "en", "",
                                             tuple(med["sections"]), routes=("ORAL",)))
    return MedicineLexicon(entries)


@pytest.mark.parametrize(("short", "medicine"), ADDED.items())
def test_a_short_form_names_its_medicine(lexicon: MedicineLexicon, short: str, medicine: str) -> None:
    assert medicine in lexicon.names, f"{medicine} is not in corpora/medicines.jsonl"
    for question in (f"pt on {short} 500, ok with simva?", f"{short.upper()} and alcohol?"):
        found = [m.medicine_id for m in lexicon.find(question) if m.medicine_id]
        assert found[:1] == [medicine], (question, found)


@pytest.mark.parametrize("short", AMBIGUOUS)
def test_a_short_form_of_several_medicines_names_none(lexicon: MedicineLexicon, short: str) -> None:
    assert short not in CLINICIAN_SHORTHAND
    assert all(m in lexicon.names for m in AMBIGUOUS[short])  # they are all in the corpus
    found = [m.medicine_id for m in lexicon.find(f"is {short} ok with grapefruit?") if m.medicine_id]
    assert not set(found) & set(AMBIGUOUS[short]), found


def test_every_short_form_is_lower_case_and_no_medicine_name(lexicon: MedicineLexicon) -> None:
    for short, generic in CLINICIAN_SHORTHAND.items():
        assert short == normalize_name(short), short  # as the lexicon matches it
        assert normalize_name(generic) != short


def _distill(lexicon: MedicineLexicon, *turns: str) -> Distillation:
    dialogue = [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]
    return RuleDistiller().distill(dialogue, lexicon)


@pytest.mark.parametrize("question", ["pt on levo, ok to add warfarin?", "Levo 500 and warfarin together?",
                                      "my dad takes levo every morning - fine with warfarin?"])
def test_a_short_form_of_several_medicines_is_asked_back(lexicon: MedicineLexicon, question: str) -> None:
    d = _distill(lexicon, question)
    assert d.queries == [] and d.options == ("Levothyroxine", "Levofloxacin", "Levetiracetam"), d
    assert d.clarify == "Which medicine do you mean: Levothyroxine, Levofloxacin or Levetiracetam?"
    # the reply picks one, and the question asked before is answered for it with what it named
    picked = _distill(lexicon, question, d.clarify, "Levofloxacin")
    assert {(q.medicine, q.attribute) for q in picked.queries} == {
        ("levofloxacin", "interactions"), ("warfarin", "interactions")}, picked.queries


@pytest.mark.parametrize("question", ["Is levothyroxine ok with coffee?", "is levoflox ok with warfarin?",
                                      "Levetiracetam (levo) dose for an adult?"])
def test_a_named_medicine_is_not_asked_back(lexicon: MedicineLexicon, question: str) -> None:
    d = _distill(lexicon, question)
    assert not d.clarify and d.queries, d


def test_every_short_form_of_several_is_no_medicine_of_its_own() -> None:
    for short, generics in SHORTHAND_OF_SEVERAL.items():
        assert short not in CLINICIAN_SHORTHAND and len(generics) > 1
