"""The reader's fallback (app/pipeline/read_fallback.py): a label without the asked section answers from the
sections that answer that kind of question, or from sentences sharing the question's words, and says so;
nothing of the kind in the label: no_evidence, and never another medicine's label."""

from __future__ import annotations

import pytest

from app.pipeline.read import ExtractiveReader
from app.pipeline.read_fallback import kinds_of
from app.pipeline.state import Evidence, SearchQuery
from indexing.schema import Chunk


def _ev(mid: str, attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid), 0.03, 0, i)


ZOLVANE = [
    _ev("zolvane", "indications", "Zolvane tablets are indicated for the treatment of seasonal allergic rhinitis "
                                  "in adults and children 12 years and older."),
    _ev("zolvane", "dosage", "The recommended dose is one 10 mg tablet by mouth once daily with or without food."),
    _ev("zolvane", "description", "Zolvane 10 mg tablets are yellow, round, film-coated tablets debossed with Z10 "
                                  "on one side. Inactive ingredients: lactose monohydrate, magnesium stearate and "
                                  "microcrystalline cellulose."),
    _ev("zolvane", "warnings", "Zolvane is extensively metabolized by the liver through CYP3A4 and excreted in the "
                               "feces. Patients with severe hepatic impairment should start at a lower dose."),
    _ev("zolvane", "patient_counseling", "Keep the bottle tightly closed and do not freeze the tablets."),
]
# Another medicine's label among the evidence: its storage line must never answer a question about zolvane.
OTHER = _ev("brivex", "storage", "Store brivex at 20 to 25 C; protect from moisture and do not freeze.")


def _read(question: str, attribute: str | None, evidence: list[Evidence]) -> tuple[str, str, list[str], str]:
    q = [SearchQuery("zolvane", attribute, f"zolvane {attribute or ''}")]
    result = ExtractiveReader().read_evidence(question, q, evidence)
    return result.status, result.text, [c.medicine_id + ":" + c.attribute for c in result.citations], result.notice


@pytest.mark.parametrize(("question", "kind"), [
    ("what colour is my zolvane pill?", "appearance"),
    ("What does the zolvane tablet look like", "appearance"),
    ("there's a Z10 imprint on it, is that zolvane?", "appearance"),
    ("does zolvane contain lactose", "ingredients"),
    ("What's in zolvane?", "ingredients"),
    ("what are the ingredients in zolvane", "ingredients"),
    ("can zolvane be frozen", "storage"),
    ("is it ok to keep zolvane in the fridge?", "storage"),
    ("how is zolvane broken down", "metabolism"),
    ("how long does zolvane stay in your system for a drug test", "metabolism"),
    ("what is zolvane", "what_is"),
    ("what kind of drug is zolvane?", "what_is"),
])
def test_kinds_from_wording(question: str, kind: str) -> None:
    assert kinds_of(question, "dosage")[0].name == kind


def test_kind_from_the_asked_section_when_the_wording_says_none() -> None:
    assert [k.name for k in kinds_of("zolvane?", "pharmacology")] == ["metabolism"]
    assert kinds_of("what does zolvane do to your face, does it make it look like a rash", "adverse_reactions") == []


def test_colour_question_answers_from_the_description_with_a_notice() -> None:
    status, text, cited, notice = _read("what colour is my zolvane pill?", "dosage_forms", ZOLVANE)
    assert status == "answered" and cited[0] == "zolvane:description"
    assert "yellow, round" in text
    assert "the label has no dosage forms section; its description section says" in text
    assert "no dosage forms section" in notice


def test_lactose_question_quotes_the_inactive_ingredients() -> None:
    status, text, cited, _ = _read("does zolvane contain lactose", "description", ZOLVANE[:2] + ZOLVANE[3:] + [
        _ev("zolvane", "warnings", "Each tablet contains 40 mg of lactose; patients with galactose intolerance "
                                   "should not take zolvane.", 1)])
    assert status == "answered" and "40 mg of lactose" in text and cited == ["zolvane:warnings"]


def test_freezing_question_quotes_the_counselling_line_not_another_label() -> None:
    status, text, cited, notice = _read("can zolvane be frozen", "storage", [*ZOLVANE, OTHER])
    assert status == "answered" and "do not freeze the tablets" in text
    assert all(c.startswith("zolvane:") for c in cited) and "brivex" not in text
    assert "no storage section" in notice


def test_metabolism_question_quotes_the_metabolism_sentence() -> None:
    status, text, cited, _ = _read("how is zolvane broken down?", "pharmacology", ZOLVANE)
    assert status == "answered" and "metabolized by the liver" in text and cited[0] == "zolvane:warnings"
    assert "the label has no clinical pharmacology section" in text


def test_what_is_question_quotes_the_indications() -> None:
    label = [e for e in ZOLVANE if e.chunk.attribute != "description"]
    status, text, cited, _ = _read("what is zolvane", "description", label)
    assert status == "answered" and cited[0] == "zolvane:indications" and "allergic rhinitis" in text


def test_nothing_of_the_kind_in_the_label_is_no_evidence_even_beside_another_label() -> None:
    label = [e for e in ZOLVANE if e.chunk.attribute in ("indications", "dosage")]
    status, text, cited, notice = _read("can zolvane be frozen", "storage", [*label, OTHER])
    assert status == "no_evidence" and cited == [] and "brivex" not in text
    assert "no storage section" in notice
    status, _, cited, _ = _read("what colour is zolvane", "dosage_forms", label)
    assert status == "no_evidence" and cited == []


def test_fallback_answer_is_whole_sentences_within_the_budget() -> None:
    long_label = ZOLVANE + [_ev("zolvane", "warnings", f"Zolvane is metabolized to metabolite M{i}, which is "
                                                       "excreted in the urine over several days in most patients.",
                                i + 2) for i in range(8)]
    q = [SearchQuery("zolvane", "pharmacology", "zolvane pharmacology")]
    result = ExtractiveReader().read_evidence("how is zolvane metabolized", q, long_label)
    assert result.status == "answered"
    assert sum(len(c.quote) for c in result.citations) <= 600
    sources = " ".join(e.chunk.text for e in long_label)
    assert all(c.quote in sources and c.quote.endswith(".") for c in result.citations)


def test_a_label_that_answers_leaves_a_silent_one_silent() -> None:
    q = [SearchQuery("brivex", "description", "brivex"), SearchQuery("zolvane", "description", "zolvane")]
    label = [e for e in ZOLVANE if e.chunk.attribute != "description"]
    brivex = _ev("brivex", "description", "Brivex is a synthetic antihistamine; each tablet holds 5 mg of brivex.")
    alone = ExtractiveReader().read_evidence("what are zolvane and brivex?", q[1:], label)
    assert alone.audit.get("fallback") == {"zolvane": ["indications"]}
    result = ExtractiveReader().read_evidence("what are zolvane and brivex?", q, [*label, brivex])
    assert {c.medicine_id for c in result.citations} == {"brivex"} and "fallback" not in result.audit
