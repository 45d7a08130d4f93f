"""The third reading pass (issue 18): answers a patient can use. What to eat, an adult's dose when no child is
stated, a boxed warning asked in two words, a merged label's other brands, and label filler (packaging notes,
glued headings, table cell headings, bullet glyphs). Dev consultations and label text written by hand in
several wordings; the medicine 'examplocin' is made up so that no eval item is copied here."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import pytest

from app.config import ReadSettings
from app.pipeline.compose import label_sentences, strip_heading, strip_references
from app.pipeline.read import ExtractiveReader
from app.pipeline.read_cues import conditions_in, fragment, noise_penalty, population_fit
from app.pipeline.state import Evidence, SearchQuery
from indexing.schema import Chunk
from indexing.store import MedicineEntry, SearchIndex


def _ev(mid: str, attribute: str, text: str, i: int = 0, rank: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid.title()), 0.03, 0, rank)


# -- what to eat or drink -----------------------------------------------------------------------------------

@pytest.mark.parametrize("question", [
    "What foods should I avoid with warfarin?",
    "I'm on Coumadin - is there anything I shouldn't eat?",
    "can i have grapefruit juice with my statin",
    "Do I need to change my diet on this blood thinner?",
    "are vitamin supplements ok with it",
])
def test_food_and_diet_questions_are_a_diet_situation(question: str) -> None:
    assert "diet" in [c.name for c in conditions_in(question)]


@pytest.mark.parametrize("question", [
    "Should I take metformin with food?",
    "What is the dose of warfarin?",
    "Can I take it on an empty stomach?",
])
def test_when_to_take_it_is_not_a_diet_question(question: str) -> None:
    assert "diet" not in [c.name for c in conditions_in(question)]


WARFARIN_LIKE = [
    _ev("examplarin", "interactions", "Drugs may interact with examplarin through pharmacodynamic or pharmacokinetic "
        "mechanisms. Inhibitors of CYP2C9 have the potential to increase the effect of examplarin. Inducers of "
        "CYP2C9 may decrease its effect.", 0, 0),
    _ev("examplarin", "warnings", "Bleeding risk is highest during the first month. Dietary changes, including the "
        "vitamin K content of foods, and other factors affect INR levels achieved with examplarin therapy. "
        "Monitor INR more often in the elderly.", 0, 1),
]


@pytest.mark.parametrize("question", [
    "What foods should I avoid while taking examplarin?",
    "is there anything I shouldn't eat on examplarin",
    "Examplarin - do I have to watch my diet?",
])
def test_a_diet_question_quotes_what_the_label_says_of_diet(question: str) -> None:
    q = [SearchQuery("examplarin", "interactions", "examplarin food")]
    result = ExtractiveReader().read_evidence(question, q, WARFARIN_LIKE)
    assert "vitamin K content of foods" in result.text


# -- an adult's dose unless a child is stated ---------------------------------------------------------------

CHILD_CAPPED = ("Pediatric patients aged 12 weeks and older: 25 to 45 mg/kg/day every 12 hours, up to the adult "
                "dose.")
ADULT_LINE = "Patients greater than 40 kg: 500 or 875 mg every 12 hours or 250 or 500 mg every 8 hours."


def test_a_childs_line_capped_at_the_adult_dose_is_a_childs_line() -> None:
    assert population_fit(CHILD_CAPPED, [], "dosage") < 0 < population_fit(ADULT_LINE, [], "dosage")


def test_a_dosing_line_full_of_numbers_is_not_a_table_row() -> None:
    assert noise_penalty(ADULT_LINE, key=True) == 0.0
    assert noise_penalty("Nasopharyngitis; 8.2; 12.9; 5.3; 4.1") > 0


AMOXICILLIN_LIKE = [_ev("examplocillin", "dosage", f"{CHILD_CAPPED} Neonates and infants less than 12 weeks of age: "
                        f"30 mg/kg/day divided every 12 hours. {ADULT_LINE} Use of the 125 mg/5 mL oral suspension is "
                        "recommended for neonates.", 0, 0)]


@pytest.mark.parametrize("question", [
    "What is the dose of examplocillin?",
    "How much examplocillin should I take?",
    "what's the normal examplocillin dosage",
    "examplocillin dosing please",
])
def test_without_a_child_stated_the_adult_line_comes_first(question: str) -> None:
    q = [SearchQuery("examplocillin", "dosage", "examplocillin dose")]
    result = ExtractiveReader().read_evidence(question, q, AMOXICILLIN_LIKE)
    text = result.text
    assert "40 kg" in text and ("mg/kg/day" not in text or text.index("40 kg") < text.index("mg/kg/day"))


def test_a_childs_age_still_gets_the_childs_line_first() -> None:
    q = [SearchQuery("examplocillin", "dosage", "examplocillin dose")]
    result = ExtractiveReader().read_evidence("examplocillin dose for my 6 year old?", q, AMOXICILLIN_LIKE)
    assert result.citations[0].quote.startswith("Pediatric patients aged 12 weeks")


# -- a boxed warning asked in two words ---------------------------------------------------------------------

BOX = [
    _ev("examplocin", "boxed_warning", "WARNING: SERIOUS ADVERSE REACTIONS INCLUDING TENDINITIS AND TENDON RUPTURE "
        "Quinolones, including examplocin, have been associated with disabling and potentially irreversible serious "
        "adverse reactions including tendinitis and tendon rupture. Discontinue examplocin immediately in patients "
        "who experience any of these serious adverse reactions.", 0, 6),
    # The box's second chunk comes back first: its retrieval rank is chance when only the box is asked.
    _ev("examplocin", "boxed_warning", "Quinolones may exacerbate muscle weakness in myasthenia gravis. Avoid "
        "examplocin in patients with myasthenia gravis.", 1, 0),
]


@pytest.mark.parametrize("question", ["examplocin black box?", "does examplocin have a boxed warning",
                                      "Examplocin: what is the FDA box warning about?"])
def test_a_terse_boxed_warning_question_quotes_the_boxs_gist_first(question: str) -> None:
    q = [SearchQuery("examplocin", "boxed_warning", "examplocin boxed warning")]
    result = ExtractiveReader().read_evidence(question, q, BOX)
    assert "tendon rupture" in result.citations[0].quote.casefold()


# -- a merged label's other brands --------------------------------------------------------------------------

def _index(*entries: MedicineEntry) -> SearchIndex:
    stub = SimpleNamespace(version="v1", medicines={e.id: e for e in entries}, rows_by_medicine={}, chunks=[],
                           dense=None)
    return cast(SearchIndex, stub)


MERGED = MedicineEntry("insulin-examplargine", "Insulin Examplargine", ("Insulin Examplargine-aldy", "FOOGLAR KwikPen",
                       "Barvoglar KwikPen"), "en", "", ("storage",))
MERGED_STORAGE = [_ev("insulin-examplargine", "storage",
                      "Store unused BARVOGLAR in a refrigerator between 36°F and 46°F (2°C and 8°C). Keep unopened "
                      "insulin examplargine pens in a refrigerator at 36°F to 46°F (2°C to 8°C) until first use.")]


@pytest.mark.parametrize("question", ["How should I store my Lantoo pens?", "how to store insulin examplargine"])
def test_another_brands_sentence_gives_way_in_a_merged_label(question: str) -> None:
    q = [SearchQuery("insulin-examplargine", "storage", "insulin examplargine storage")]
    result = ExtractiveReader(ReadSettings(max_sentences=1)).read_evidence(question, q, MERGED_STORAGE,
                                                                          index=_index(MERGED))
    assert "BARVOGLAR" not in result.text


def test_the_asked_brand_is_not_demoted() -> None:
    q = [SearchQuery("insulin-examplargine", "storage", "barvoglar storage")]
    result = ExtractiveReader(ReadSettings(max_sentences=1)).read_evidence(
        "where do I keep unused Barvoglar?", q, MERGED_STORAGE, index=_index(MERGED))
    assert "BARVOGLAR" in result.text


# -- label filler -------------------------------------------------------------------------------------------

def test_packaging_notes_are_not_quoted() -> None:
    text = ("In case of overdose, get medical help or contact a Poison Control Center right away. This Unit Dose "
            "package is not child resistant and is Intended for Institutional Use Only.")
    assert [t for _, t in label_sentences(text)] == [
        "In case of overdose, get medical help or contact a Poison Control Center right away."]


def test_an_o_bullet_glyph_is_not_part_of_the_word() -> None:
    text = ("Directions • adults and children 12 years and over • take 2 tablets every 6 hours • children 6 years "
            "to under 12 years • otake 1 tablet every 4 to 6 hours • do not take more than 5 tablets in 24 hours • "
            "children under 6 years: ask a doctor")
    out = " ".join(t for _, t in label_sentences(text))
    assert "otake" not in out and "take 1 tablet every 4 to 6 hours" in out
    assert "ask a doctor.." not in out


@pytest.mark.parametrize(("raw", "clean"), [
    ("4.1 Nitrates Consistent with its known effects on the nitric oxide pathway, examplafil potentiates the "
     "hypotensive effect of nitrates.", "Consistent with its known effects"),
    ("Tendinitis and Tendon Rupture Quinolones, including examplocin, have been associated with an increased risk "
     "of tendinitis.", "Quinolones, including examplocin"),
    ("7.1 General Information Drugs may interact with examplarin through several mechanisms.",
     "Drugs may interact"),
])
def test_glued_headings_are_removed(raw: str, clean: str) -> None:
    assert strip_heading(strip_references(raw)).startswith(clean)


def test_a_table_cells_heading_is_removed_from_its_sentence() -> None:
    text = ("Concomitant use of strong CYP3A4 inhibitors with examplastatin is contraindicated. Table 2: Drug "
            "Interactions that Increase the Risk of Myopathy with Examplastatin Strong CYP3A4 inhibitors Clinical "
            "Impact: Examplastatin is a substrate of CYP3A4. Avoid grapefruit juice.")
    out = [t for _, t in label_sentences(text)]
    # (the short instruction after it is quoted with it: compose._SHORT_INSTRUCTION)
    assert "Examplastatin is a substrate of CYP3A4. Avoid grapefruit juice." in out
    assert not any("Table 2" in t or "Clinical Impact" in t for t in out)


def test_sentences_about_tables_and_trial_populations_are_noise() -> None:
    assert noise_penalty("Tables 5, 6, and 7 summarize the incidence of severe hypoglycemia in the studies.") >= 2
    assert noise_penalty("The data in Table 1 reflect the exposure of 2,327 patients to examplargine.") >= 2
    assert noise_penalty("Hypoglycemia is the most common adverse reaction of insulin.") == 0


# -- names or a heading alone -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "alone"), [
    ("Lomitapide, lovastatin, and simvastatin.", True),
    ("Community-Acquired Pneumonia.", True),
    ("Important Administration Instructions:", True),
    ("KEEP OUT OF REACH OF CHILDREN.", False),
    ("Examplomycin is contraindicated with simvastatin.", False),
])
def test_names_or_a_heading_alone_are_fragments(text: str, alone: bool) -> None:
    assert fragment(text) is alone


def test_a_list_of_names_is_never_quoted() -> None:
    ev = [_ev("examplomycin", "contraindications", "Examplomycin raises the levels of drugs that are extensively "
              "metabolized by CYP3A4. Lomitapide, lovastatin, and simvastatin. The use of examplomycin with "
              "lovastatin or simvastatin is contraindicated because of myopathy.")]
    q = [SearchQuery("examplomycin", "interactions", "examplomycin simvastatin")]
    result = ExtractiveReader().read_evidence("I take simvastatin, can I take examplomycin?", q, ev)
    assert "Lomitapide, lovastatin, and simvastatin." not in result.text
    assert "myopathy" in result.text


def test_a_heading_ending_in_the_singular_of_the_first_word_is_removed() -> None:
    text = "Suicidality and Antidepressant Drugs Antidepressants increased the risk of suicidal thinking."
    assert strip_heading(text).startswith("Antidepressants increased")


@pytest.mark.parametrize("sentence", [
    "Discontinue Zolpidem Tartrate Tablets immediately if a patient experiences a complex sleep behavior.",
    "Avoid Examplarin Tablets during the first trimester of pregnancy.",
])
def test_an_instruction_keeps_its_verb_before_the_products_name(sentence: str) -> None:
    names = frozenset({"zolpidem", "examplarin"})
    assert strip_heading(sentence, names) == sentence
    assert [t for _, t in label_sentences(f"Complex sleep behaviors may occur. {sentence} Some occur.", names)][1] \
        == sentence
