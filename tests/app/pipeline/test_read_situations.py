"""The reading failures of the second reading pass (issue 18): whose medicine an interaction question asks
about, a contraindication by class, too much taken, animals, populations by age, combination products, lists
and flattened tables. Dev consultations written by hand, in several wordings; no eval item is copied here."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import pytest

from app.config import ReadSettings
from app.pipeline.compose import label_sentences, list_groups, table_like
from app.pipeline.read import ExtractiveReader
from app.pipeline.read_cues import (
    age_ranges,
    animal_penalty,
    asks_about_animals,
    conditions_in,
    for_other_ages,
    fragment,
    overdose_fit,
    own_medicines,
    population_fit,
)
from app.pipeline.state import Evidence, SearchQuery
from app.records.interactions import InteractionLinks, classes_in, declared_class_keys, label_text
from indexing.schema import Chunk
from indexing.store import MedicineEntry, SearchIndex


def _ev(mid: str, attribute: str, text: str, i: int = 0, rank: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid.title()), 0.03, 0, rank)


# -- whose medicine ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("question", "mentions", "own"), [
    ("I take lisinopril, can I take ibuprofen?", [("lisinopril", "lisinopril"), ("ibuprofen", "ibuprofen")],
     {"lisinopril"}),
    ("is advil ok with my warfarin", [("ibuprofen", "advil"), ("warfarin", "warfarin")], {"warfarin"}),
    ("Can I take Viagra with my nitroglycerin?", [("sildenafil", "Viagra"), ("nitroglycerin", "nitroglycerin")],
     {"nitroglycerin"}),
    ("I'm on metoprolol. Could I also take amlodipine?", [("metoprolol", "metoprolol"), ("amlodipine", "amlodipine")],
     {"metoprolol"}),
    ("My mom takes warfarin, can she have Advil?", [("warfarin", "warfarin"), ("ibuprofen", "Advil")], {"warfarin"}),
    ("pt on simvastatin 40, needs clarithromycin. issue?", [("simvastatin", "simvastatin"),
                                                          ("clarithromycin", "clarithromycin")], {"simvastatin"}),
    ("I take warfarin and lisinopril, can I take naproxen?", [("warfarin", "warfarin"), ("lisinopril", "lisinopril"),
                                                            ("naproxen", "naproxen")], {"warfarin", "lisinopril"}),
    # Nothing says which is taken: no order is imposed.
    ("Can I take ibuprofen with lisinopril?", [("ibuprofen", "ibuprofen"), ("lisinopril", "lisinopril")], set()),
    ("can my dad take tylenol with aspirin", [("acetaminophen", "tylenol"), ("aspirin", "aspirin")], set()),
    # Every named medicine taken: none is the new one.
    ("I take warfarin and lisinopril", [("warfarin", "warfarin"), ("lisinopril", "lisinopril")], set()),
])
def test_own_medicines_are_those_the_question_says_are_taken(
        question: str, mentions: list[tuple[str, str]], own: set[str]) -> None:
    assert own_medicines(question, mentions) == own


NITRATES = ("Nitrate Vasodilator [EPC]", "Nitrates [CS]")


def test_a_declared_nitrate_is_named_by_its_class() -> None:
    assert declared_class_keys(NITRATES) == {"nitrate"}
    assert declared_class_keys(("Phosphodiesterase 5 Inhibitor [EPC]",)) == {"pde5_inhibitor"}
    assert "pde5_inhibitor" not in declared_class_keys(("Phosphodiesterase 4 Inhibitor [EPC]",))
    assert classes_in("patients who are using nitric oxide donors such as organic nitrates ... is contraindicated") == {
        "nitrate"}
    assert "nitrate" not in classes_in("Apply econazole nitrate cream twice daily.")
    assert classes_in("Do not use in patients taking PDE-5 Inhibitors, such as avanafil.") == {"pde5_inhibitor"}


def test_the_asked_medicine_answers_first_with_its_label_on_the_taken_one() -> None:
    ev = [
        _ev("lisinopril", "interactions", "Lisinopril may increase serum lithium levels. Coadministration of NSAIDs "
            "such as ibuprofen with ACE inhibitors, including lisinopril, may result in deterioration of renal "
            "function."),
        _ev("ibuprofen", "interactions", "Ibuprofen can be taken with food. Reports suggest that NSAIDs may "
            "diminish the antihypertensive effect of lisinopril and other ACE inhibitors.", rank=1),
    ]
    queries = [SearchQuery("lisinopril", "interactions", "lisinopril ibuprofen"),
               SearchQuery("ibuprofen", "interactions", "ibuprofen lisinopril")]
    question = "I'm on lisinopril for my blood pressure - is ibuprofen alright for a headache?"
    before = ExtractiveReader().read_evidence(question, queries, ev)
    assert before.citations[0].medicine_id == "lisinopril"  # the order of the queries, without `own`
    result = ExtractiveReader().read_evidence(question, queries, ev, own=("lisinopril",))
    assert [c.medicine_id for c in result.citations] == ["ibuprofen", "lisinopril"]
    assert "antihypertensive effect" in result.citations[0].quote
    assert "lithium" not in result.text  # the taken medicine's label is quoted only on the asked one


# -- too much taken, and animals --------------------------------------------------------------------------

@pytest.mark.parametrize("said", [
    "I accidentally took two of my amlodipine this morning", "oops, took a double dose of metoprolol",
    "What happens if someone takes too much acetaminophen?", "my son swallowed 3 of my pills", "overdose symptoms?",
])
def test_too_much_taken_is_a_situation(said: str) -> None:
    assert "overdose" in {c.name for c in conditions_in(said)}


@pytest.mark.parametrize("said", [
    "can I take two tablets at once for a bad headache?", "I take 2 pills a day", "I had two glasses of wine",
])
def test_a_usual_dose_is_not_an_overdose(said: str) -> None:
    assert "overdose" not in {c.name for c in conditions_in(said)}


def test_overdose_fit_prefers_what_to_do_over_titration() -> None:
    too_much = conditions_in("I took an extra dose by mistake")
    assert overdose_fit("If a dose is missed, take only the next dose (without doubling it).", too_much,
                        "patient_counseling") > 0
    assert overdose_fit("Double the dose every two weeks up to 200 mg.", too_much, "dosage") < 0
    assert overdose_fit("Overdosage may cause marked hypotension; monitor blood pressure.", too_much, "overdosage") > 0
    assert overdose_fit("Double the dose every two weeks.", conditions_in("what dose?"), "dosage") == 0.0


def test_animal_toxicity_is_demoted_unless_animals_are_asked_about() -> None:
    assert animal_penalty("Single oral doses of 40 mg/kg in mice and rats caused deaths.") > \
        animal_penalty("Studies in rats show the drug in milk.") > 0
    assert animal_penalty("In humans, experience with overdosage is limited.") == 0.0
    assert asks_about_animals("my dog ate one of my pills") and not asks_about_animals("I took two pills")


def test_accidental_double_dose_quotes_people_not_rodents() -> None:
    ev = [
        _ev("amlodipine", "overdosage",
            "Single oral doses of 40 mg/kg and 100 mg/kg in mice and rats, respectively, caused deaths. Overdosage "
            "might be expected to cause excessive peripheral vasodilation with marked hypotension. If massive "
            "overdose should occur, initiate active cardiac and respiratory monitoring."),
        _ev("amlodipine", "dosage", "The usual initial dose is 5 mg once daily with a maximum dose of 10 mg "
            "once daily. Titrate over 7 to 14 days.", rank=1),
    ]
    q = [SearchQuery("amlodipine", "dosage", "amlodipine dose")]
    result = ExtractiveReader().read_evidence("Oh no, I accidentally took 2 amlodipine tablets today", q, ev)
    assert result.citations[0].attribute == "overdosage"
    assert "hypotension" in result.text and "mice" not in result.text


# -- populations ------------------------------------------------------------------------------------------

def test_age_ranges() -> None:
    assert age_ranges("children 6 years to under 12 years: take 1 tablet") == [(6, 12)]
    assert age_ranges("Children under 6 years: ask a doctor.") == [(0, 6)]
    assert age_ranges("adults and children 12 years and over") == [(12, 200)]
    assert age_ranges("Pediatric patients 2 to 5 years of age: 2.5 mg once daily") == [(2, 6)]


def test_a_childs_age_picks_its_own_dosing_line() -> None:
    four = conditions_in("how much can I give my 4 yr old")
    assert population_fit("Children under 6 years: ask a doctor.", four, "dosage") > \
        population_fit("Children 6 years to under 12 years: take 1 tablet every 4 hours.", four, "dosage")


def test_a_population_bullet_run_becomes_one_list_per_population() -> None:
    text = ("Directions • do not take more than directed • adults and children 12 years and over: • take 2 "
            "caplets every 6 hours • do not exceed 6 caplets in 24 hours • children 6 years to under 12 years "
            "• take 1 caplet every 6 hours • children under 6 years: ask a doctor")
    groups = list_groups(text)
    assert groups[1].startswith("Adults and children 12 years and over: take 2 caplets every 6 hours; do not")
    assert groups[-1] == "Children under 6 years: ask a doctor."
    assert all(g.endswith(".") for g in groups)
    assert list_groups("Do not use if you have • asthma • kidney disease") == \
        ["Do not use if you have: asthma; kidney disease."]


def test_child_dose_question_quotes_the_line_for_that_age() -> None:
    text = ("Directions • do not take more than directed • adults and children 12 years and over: • take 2 "
            "caplets every 6 hours • children 6 years to under 12 years • take 1 caplet every 6 hours • "
            "children under 6 years: ask a doctor")
    ev = [_ev("acetaminophen", "dosage", text),
          _ev("acetaminophen", "warnings", "Keep out of reach of children. Do not use with other drugs "
              "containing acetaminophen.", rank=1)]
    q = [SearchQuery("acetaminophen", "dosage", "acetaminophen dose child")]
    result = ExtractiveReader().read_evidence("what dose of acetaminophen for my 4-year-old daughter?", q, ev)
    assert result.citations[0].quote.startswith("Children under 6 years: ask a doctor.")
    assert "12 years and over" not in result.text and "6 years to under 12" not in result.text


def test_breastfeeding_question_quotes_the_advice_not_the_rat_study() -> None:
    ev = [_ev("atorvastatin", "lactation",
              "There is no information about the presence of atorvastatin in human milk. Following a single oral "
              "administration of 10 mg/kg of radioactive atorvastatin to lactating rats, the concentration of "
              "radioactivity was determined. Advise patients that breastfeeding is not recommended during "
              "treatment with atorvastatin.")]
    q = [SearchQuery("atorvastatin", "lactation", "atorvastatin breastfeeding")]
    result = ExtractiveReader().read_evidence("Is it okay to take atorvastatin while nursing my baby?", q, ev)
    assert "breastfeeding is not recommended" in result.text and "rats" not in result.text


# -- what a quote may be ----------------------------------------------------------------------------------

def test_flattened_tables_are_left_out() -> None:
    row = ("Not In-Use (unopened) Refrigerated (36°F to 46°F) Not In-Use (unopened) Room Temperature (up to 86°F) "
           "In-Use (opened) 3 mL pen Until expiration date 28 days 28 days Room temperature only")
    assert table_like(row)
    assert not table_like("Store unused pens in a refrigerator between 36°F and 46°F; do not freeze them, and "
                          "keep the pen in use at room temperature for up to 28 days.")
    out = [t for _, t in label_sentences(f"Store unused pens in a refrigerator. {row}")]
    assert out == ["Store unused pens in a refrigerator."]


def test_a_stray_full_stop_is_removed() -> None:
    out = [t for _, t in label_sentences("Sildenafil can potentiate the hypotensive effects of nitrates. ( 7.1 ) "
                                         "With alpha blockers, start at 25 mg. ( 2.4 ) Dosing is flexible.")]
    assert out[0] == "Sildenafil can potentiate the hypotensive effects of nitrates."


def test_a_list_of_names_alone_is_not_a_safety_item() -> None:
    assert fragment("Lomitapide, lovastatin, and simvastatin.")
    assert not fragment("Nausea, vomiting, and diarrhea may occur.")


# -- a merged label's other product ------------------------------------------------------------------------

def _index(*entries: MedicineEntry) -> SearchIndex:
    """What the reader reads of an index for names alone: its medicines, no chunks or vectors."""
    stub = SimpleNamespace(version="v1", medicines={e.id: e for e in entries}, rows_by_medicine={}, chunks=[],
                           dense=None)
    return cast(SearchIndex, stub)


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, aliases, "en", "", ("dosage",))


def test_a_combination_products_sentences_give_way_to_the_asked_medicines() -> None:
    index = _index(_entry("amoxicillin", "Amoxicillin"),
                   _entry("amoxicillin-and-clavulanate", "Amoxicillin and Clavulanate Potassium", "Amoxicillin"))
    ev = [_ev("amoxicillin", "dosage",
              "Amoxicillin and Clavulanate Potassium should be taken at the start of a meal, as a meal improves "
              "absorption. Amoxicillin capsules can be given without regard to meals.")]
    q = [SearchQuery("amoxicillin", "dosage", "amoxicillin meal")]
    reader = ExtractiveReader(ReadSettings(max_sentences=1))
    asked = reader.read_evidence("should amoxicillin be taken with a meal?", q, ev, index=index)
    assert asked.citations[0].quote.startswith("Amoxicillin capsules")
    # Asked about the combination by name, its sentence is not demoted.
    named = reader.read_evidence("amoxicillin and clavulanate potassium: take with a meal?", q, ev, index=index)
    assert "Clavulanate" in named.citations[0].quote


def test_a_safety_item_about_another_medicines_users_comes_after_one_about_the_asker() -> None:
    index = _index(_entry("metronidazole", "Metronidazole"), _entry("disulfiram", "Disulfiram"))
    ev = [_ev("metronidazole", "contraindications",
              "Use of metronidazole is associated with psychotic reactions in alcoholic patients using disulfiram. "
              "Use of metronidazole is associated with a disulfiram-like reaction to alcohol, with flushing and "
              "vomiting.")]
    q = [SearchQuery("metronidazole", "interactions", "metronidazole alcohol wine")]
    reader = ExtractiveReader(ReadSettings(max_sentences=1))
    result = reader.read_evidence("on metronidazole - can I drink alcohol at a party?", q, ev, index=index)
    assert "flushing" in result.citations[0].quote


def test_a_flattened_boxed_warning_becomes_title_list_and_instruction() -> None:
    text = ("WARNING: SERIOUS REACTIONS INCLUDING TENDON RUPTURE AND NERVE DAMAGE Quinolones, including examplocin, "
            "have been linked to disabling and potentially permanent serious adverse reactions that can occur "
            "together, including: Tendinitis and tendon rupture Peripheral nerve damage Effects on the brain and "
            "spinal cord such as confusion and seizures Discontinue examplocin at once and avoid all quinolones in "
            "patients who have any of these reactions, since they may recur on a later course of treatment with "
            "any medicine of this class.")
    out = [t for _, t in label_sentences(text)]
    assert out[0].endswith("TENDON RUPTURE AND NERVE DAMAGE.")
    assert out[1].endswith("including: tendinitis and tendon rupture; peripheral nerve damage; effects on the brain "
                           "and spinal cord such as confusion and seizures.")
    assert out[2].startswith("Discontinue examplocin at once")


def test_a_line_for_other_ages_is_not_quoted_for_a_child() -> None:
    six = conditions_in("she is 6 years old, can she have it?")
    assert for_other_ages("Adults and children 12 years and over: 2 tablets.", six)
    assert not for_other_ages("Children 6 years to under 12 years: 1 tablet.", six)
    assert not for_other_ages("Adults and children 12 years and over: 2 tablets.", conditions_in("for me?"))


def test_a_patients_nitrate_is_linked_to_the_pde5_label_that_names_the_class() -> None:
    """The patient's medication list (app.records.interactions): "nitrates" in a PDE-5 inhibitor's
    interactions reach isosorbide mononitrate by its declared class, and sildenafil's label speaking of
    nitrates does not make sildenafil a nitrate."""
    labels = [
        label_text("tadalafil", ("Tadalafil", "Cialis"), {
            "interactions": "Administration of tadalafil to patients who are using any form of organic nitrate is "
                            "contraindicated. Nitrates potentiate the hypotensive effect."}),
        label_text("isosorbide-mononitrate", ("Isosorbide Mononitrate",), {
            "indications": "Isosorbide mononitrate tablets are indicated for the prevention of angina pectoris."}),
        label_text("sildenafil", ("Sildenafil", "Viagra"), {
            "interactions": "Sildenafil potentiates the hypotensive effects of nitrates. Nitrates are "
                            "contraindicated with sildenafil."}),
    ]
    links = InteractionLinks(labels, {"isosorbide-mononitrate": declared_class_keys(NITRATES),
                                      "tadalafil": declared_class_keys(("Phosphodiesterase 5 Inhibitor [EPC]",))})
    assert [link.via for link in links.links("tadalafil", "isosorbide-mononitrate")][:1] == ["class:nitrate"]
    assert "nitrate" not in links.classes_of("sildenafil")
    assert links.classes_of("tadalafil") == {"pde5_inhibitor"}
