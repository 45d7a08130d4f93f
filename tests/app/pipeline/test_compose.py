"""Sentence cleaning and composition of extractive answers (issue 18)."""

from __future__ import annotations

import re

from app.config import ReadSettings
from app.pipeline.compose import (
    MAX_SENTENCE,
    NOTHING_LISTED,
    Quote,
    compose,
    label_sentences,
    lead_line,
    nothing_listed,
    strip_heading,
    strip_references,
)
from app.pipeline.read import ExtractiveReader, conditions_in
from app.pipeline.state import Evidence, SearchQuery, Turn
from indexing.schema import Chunk


def _ev(mid: str, attribute: str, text: str, i: int = 0, rank: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid.title()), 0.03, 0, rank)


def test_cross_references_and_section_numbers_are_removed() -> None:
    text = ("Use the lowest effective dose ( 2.1 ). Serious skin reactions occurred [see Warnings and "
            "Precautions (5.2)]. 7.3 Non-Steroidal Anti-Inflammatory Agents In patients who are elderly, NSAIDs "
            "may reduce renal function (see ADVERSE REACTIONS ). Monitor blood pressure closely (5.1, 5.4).")
    out = [t for _, t in label_sentences(text)]
    assert out == [
        "Use the lowest effective dose.",
        "Serious skin reactions occurred.",
        "In patients who are elderly, NSAIDs may reduce renal function.",
        "Monitor blood pressure closely.",
    ]
    assert strip_references("contraindicated ( 4 , 7.4 ) in diabetes") == "contraindicated in diabetes"


def test_boilerplate_and_phone_numbers_are_left_out() -> None:
    text = ("Dizziness occurred in 10% of patients. To report SUSPECTED ADVERSE REACTIONS, contact Acme Pharma at "
            "1-800-555-0199 or FDA at 1-800-FDA-1088 or www.fda.gov/medwatch. Call your doctor at 212-555-0100 "
            "if you feel faint. Somnolence was common in adults.")
    out = [t for _, t in label_sentences(text)]
    assert out == ["Dizziness occurred in 10% of patients.", "Somnolence was common in adults."]


def test_sentences_cut_by_the_chunk_are_not_quoted() -> None:
    text = "treatment with the drug was stopped. Take one tablet daily with food. Patients who received the"
    assert [t for _, t in label_sentences(text)] == ["Take one tablet daily with food."]


def test_glued_headings_are_dropped_but_names_kept() -> None:
    assert strip_heading("Angina Pectoris There have been reports of angina.") == "There have been reports of angina."
    assert strip_heading("Hypersensitivity and Skin Reactions Hypersensitivity reactions have occurred.") == (
        "Hypersensitivity reactions have occurred.")
    kept = "Amoxicillin and Clavulanate Potassium should be dosed as follows."
    assert strip_heading(kept) == kept
    assert strip_heading("Lisinopril attenuates potassium loss.") == "Lisinopril attenuates potassium loss."


def test_bullets_and_table_rows_become_short_lists() -> None:
    bullets = "Do not use if you have • asthma • kidney disease • liver disease."
    listed = "Do not use if you have: asthma; kidney disease; liver disease."
    assert [t for _, t in label_sentences(bullets)] == [listed]
    row = "Clinical Impact: | Alcohol potentiates the effect of the drug on lactate metabolism."
    cell = "Alcohol potentiates the effect of the drug on lactate metabolism."
    assert [t for _, t in label_sentences(row)] == [cell]
    many = "Reactions included " + ", ".join(f"symptom{i}" for i in range(80)) + "."
    (out,) = [t for _, t in label_sentences(many)]
    assert len(out) <= 420 and out.endswith(", and others.") and out.startswith("Reactions included symptom0,")


def test_citations_are_numbered_in_order_one_per_passage() -> None:
    quotes = [Quote("a", "warnings", "a:w:0", "First one.", safety=True), Quote("a", "warnings", "a:w:0", "Second."),
              Quote("a", "warnings", "a:w:0", "Third."), Quote("a", "dosage", "a:d:1", "Fourth.")]
    composed = compose([("A (label), warnings and dosing:", quotes)])
    assert composed.text == ("A (label), warnings and dosing: Important: First one. [1] Second. Third. [2] "
                             "Fourth. [3]")
    assert [p.n for p in composed.passages] == [1, 2, 3]
    assert [p.quote for p in composed.passages] == ["First one.", "Second. Third.", "Fourth."]


def test_lead_line_names_medicine_source_and_missing_section() -> None:
    assert lead_line("Propranolol", "dailymed:x", ["contraindications", "warnings"], None) == (
        "Propranolol (DailyMed label), contraindications and warnings:")
    assert lead_line("Prednisone", "", ["warnings"], "lactation") == (
        "Prednisone (label): the label has no breastfeeding section; its warnings section says:")


PROPRANOLOL = [
    _ev("propranolol", "warnings", "Angina Pectoris There have been reports of exacerbation of angina following "
        "abrupt discontinuance of propranolol therapy. Propranolol may change thyroid-function tests, increasing "
        "T4 and reverse T3.", 0, 0),
    _ev("propranolol", "contraindications", "Propranolol is contraindicated in 1) cardiogenic shock; 2) sinus "
        "bradycardia; 3) bronchial asthma; and 4) known hypersensitivity to propranolol.", 0, 5),
    _ev("propranolol", "indications", "Propranolol is indicated for the prophylaxis of common migraine headache.",
        0, 1),
]


def test_stated_condition_brings_the_contraindication_first() -> None:
    dialogue = [Turn("user", "I have asthma"), Turn("assistant", "Noted.")]
    q = [SearchQuery("propranolol", None, "propranolol migraines safe")]
    question = "my doctor wants to prescribe propranolol for migraines, is that safe?"
    result = ExtractiveReader().read_evidence(question, q, PROPRANOLOL, dialogue=dialogue)
    assert result.status == "answered"
    assert result.citations[0].attribute == "contraindications" and result.citations[0].n == 1
    assert re.search(r"Important: Propranolol is contraindicated .*bronchial asthma.* \[1\]", result.text)
    without = ExtractiveReader().read_evidence(question, q, PROPRANOLOL)
    assert "Important:" not in without.text


def test_conditions_are_read_from_the_dialogue() -> None:
    assert [c.name for c in conditions_in("dose of amoxicillin for a 4 year old")] == ["child"]
    assert [c.name for c in conditions_in("I have asthma and kidney disease")] == ["asthma", "kidney"]
    assert [c.name for c in conditions_in("can I take prednisone while breastfeeding")] == ["breastfeeding"]
    assert conditions_in("what is the dose of metformin?") == []


def test_interaction_partner_is_matched_by_its_class() -> None:
    ev = [
        _ev("lisinopril", "interactions", "Initiation of lisinopril in patients on diuretics may result in "
            "excessive reduction of blood pressure. The antihypertensive effect of ACE inhibitors, including "
            "lisinopril, may be attenuated by NSAIDs. Lisinopril attenuates potassium loss caused by thiazides.",
            0, 0),
        _ev("ibuprofen", "warnings", "NSAIDs such as ibuprofen can cause serious bleeding. Ibuprofen is an NSAID. "
            "Long-term NSAID use may harm the kidneys.", 0, 1),
    ]
    q = [SearchQuery("lisinopril", "interactions", "lisinopril ibuprofen"),
         SearchQuery("ibuprofen", "interactions", "ibuprofen lisinopril")]
    # Without an index the partner's class is read from the partner's own selected label text.
    result = ExtractiveReader(ReadSettings(max_sentences=2)).read_evidence(
        "I take lisinopril, can I take ibuprofen?", q, ev)
    first = result.citations[0]
    assert first.medicine_id == "lisinopril" and "NSAIDs" in first.quote
    assert result.text.index("Important: The antihypertensive effect") < result.text.index("diuretics") \
        if "diuretics" in result.text else True


def test_missing_section_falls_back_to_other_sections_with_a_notice() -> None:
    ev = [_ev("prednisone", "warnings", "Corticosteroids are excreted in breast milk; nursing mothers should be "
              "advised of the risks. Prolonged use may cause cataracts.", 0, 0)]
    q = [SearchQuery("prednisone", "lactation", "prednisone breastfeeding")]
    result = ExtractiveReader().read_evidence("can I take prednisone while breastfeeding?", q, ev)
    assert result.status == "answered"
    assert result.text.startswith(
        "Prednisone (label): the label has no breastfeeding section; its warnings section says:")
    assert "breast milk" in result.citations[0].quote and "cataracts" not in result.text
    assert "no lactation section" in result.notice


def test_answer_keeps_to_the_length_budget() -> None:
    text = " ".join(f"Patients taking metformin reported nausea number {i} in the controlled study of adults."
                    for i in range(30))
    ev = [_ev("metformin", "adverse_reactions", text, i, i) for i in range(3)]
    q = [SearchQuery("metformin", "adverse_reactions", "metformin nausea")]
    result = ExtractiveReader(ReadSettings(answer_chars=200, max_sentences=10)).read_evidence(
        "does metformin cause nausea?", q, ev)
    quoted = sum(len(c.quote) for c in result.citations)
    assert 0 < quoted <= 200


def test_an_emergency_sentence_keeps_its_telephone_number() -> None:
    """Manufacturers' telephone lines are boilerplate; "call Poison Control" is the answer to an overdose."""
    from app.pipeline.compose import boilerplate

    assert not boilerplate("In case of overdose, get medical help or contact a Poison Control Center right away "
                           "(1-800-222-1222).")
    assert boilerplate("For more information, call Acme Pharmaceuticals at 1-800-555-1234.")
    assert boilerplate("To report SUSPECTED ADVERSE REACTIONS, contact Acme at 1-800-555-1234 or FDA at "
                       "1-800-FDA-1088.")
    text = ("Overdose warning In case of overdose, get medical help or contact a Poison Control Center right away. "
            "(1-800-222-1222) Quick medical attention is critical for adults as well as for children even if you do "
            "not notice any signs or symptoms. This package is not child resistant.")
    quoted = " ".join(s for _, s in label_sentences(text))
    assert "Poison Control Center" in quoted


def test_stated_heart_conditions_and_sex_have_label_words() -> None:
    from app.pipeline.read_cues import NOT_HEALTH, conditions_in

    def names(text: str) -> set[str]:
        return {c.name for c in conditions_in(text)}

    assert "bradycardia" in names("I've got a slow heart rate, around 45.")
    assert "bradycardia" in names("my pulse is around 48")
    assert "bradycardia" not in names("my pulse is 72")
    assert "coronary" in names("I had a heart attack 2 years ago")
    assert "coronary" in names("I have coronary artery disease")
    assert "women" in names("zolpidem dose for a woman?") and "women" in NOT_HEALTH
    assert not names("zolpidem dose for a man?") & {"women", "coronary", "bradycardia"}


def test_a_sentence_leaning_on_the_one_before_is_penalised() -> None:
    from app.pipeline.read_cues import noise_penalty

    assert noise_penalty("These effects are usually reversible.") > 0
    assert noise_penalty("Because of these risks, limit dose and duration of use in pregnancy.") > 0
    assert noise_penalty("This drug may cause dizziness; do not drive until you know how it affects you.") == 0
    assert noise_penalty("The antihypertensive effect of lisinopril may be attenuated by NSAIDs.") == 0


def test_a_sentence_sending_the_reader_to_another_label_is_penalised() -> None:
    from app.pipeline.read_cues import noise_penalty

    assert noise_penalty("Consult the labeling of all concurrently used drugs for complete information.") > 0
    assert noise_penalty("Consult labeling of all concurrently used drugs about increased risks for bleeding.") > 0
    assert noise_penalty("Consult your doctor before taking ibuprofen with warfarin.") == 0


def test_a_sentence_ending_in_a_table_reference_is_kept_without_it() -> None:
    text = ("The most common adverse reactions in pooled trials were nausea, diarrhea, tremor and ejaculation failure "
            "(see Table 3). See Table 3 below.")
    kept = [s for _, s in label_sentences(text)]
    assert kept == ["The most common adverse reactions in pooled trials were nausea, diarrhea, tremor and ejaculation "
                    "failure."]


def test_the_trial_design_penalty_spares_the_key_sentence() -> None:
    from app.pipeline.read_cues import noise_penalty

    key = "The most common adverse reactions in placebo-controlled trials were nausea and diarrhea."
    assert noise_penalty(key) > 0 and noise_penalty(key, key=True) == 0
    assert noise_penalty("The mean age was 40 years; 57% were females and 43% were males.") > 0


def test_a_table_note_glued_after_its_introduction_is_a_sentence() -> None:
    text = ("Keep the pens cold until first use. Storage conditions are summarized in the following table: b Once in "
            "use, a pen may be kept at room temperature for up to 42 days. Not In-Use Refrigerated In-Use Until "
            "expiration 42 days. Do not freeze the pens.")
    quoted = [sentence for _, sentence in label_sentences(text)]
    assert "Once in use, a pen may be kept at room temperature for up to 42 days." in quoted
    assert not any("following table" in sentence for sentence in quoted)


def test_a_too_long_finding_drops_its_trial_opening_not_its_list() -> None:
    text = ("Adverse reactions were collected in trials. In the pooled placebo-controlled trial database of 9,120 "
            "patients (4,560 drug vs. 4,560 placebo; age range 18 to 88 years, 52% female, 80% White, 9% Black, 6% "
            "Asian, 5% other) with a median treatment duration of 48 weeks and a median exposure of 300 days, the "
            "most common adverse reactions that occurred at a rate greater than placebo were: headache (3.1%), "
            "dizziness (2.2%), back pain (1.9%), cough (1.4%), fatigue (1.2%), and constipation (1.0%). Other "
            "reactions were rare.")
    quoted = [sentence for _, sentence in label_sentences(text)]
    finding = next(sentence for sentence in quoted if "most common" in sentence)
    assert finding.endswith("constipation (1.0%).") and "age range" not in finding


def test_a_flattened_indications_list_is_quoted_as_a_list() -> None:
    # ondansetron's indications: items after full stops in lower case, the next sentence glued to the last item
    text = ("Ondansetron tablets are indicated for the prevention of nausea and vomiting associated with: highly "
            "emetogenic cancer chemotherapy, including cisplatin greater than or equal to 50 mg/m 2 . initial and "
            "repeat courses of moderately emetogenic cancer chemotherapy. radiotherapy in patients receiving either "
            "total body irradiation, single high-dose fraction to the abdomen, or daily fractions to the abdomen "
            "Ondansetron tablets are also indicated for the prevention of postoperative nausea and/or vomiting.")
    quoted = [t for _, t in label_sentences(text, frozenset({"ondansetron", "hydrochloride"}))]
    assert quoted[0].startswith("Ondansetron tablets are indicated for the prevention of nausea")
    assert "50 mg/m 2; initial and repeat courses" in quoted[0] and quoted[0].endswith("to the abdomen.")
    assert quoted[1] == "Ondansetron tablets are also indicated for the prevention of postoperative nausea and/or " \
                        "vomiting."


def test_numbered_items_of_a_long_highlights_list_stay_apart() -> None:
    items = ["nausea and vomiting associated with highly emetogenic cancer chemotherapy, including cisplatin",
             "nausea and vomiting associated with initial and repeat courses of moderately emetogenic chemotherapy",
             "nausea and vomiting associated with radiotherapy in patients receiving total body irradiation",
             "postoperative nausea and/or vomiting in adults and in children of one month of age and older"]
    text = "Zofranix is indicated for the prevention of: " + " (1) ".join(items) + " (1)"
    assert len(text) > MAX_SENTENCE
    quoted = " ".join(t for _, t in label_sentences(text))
    assert "cisplatin; nausea and vomiting" in quoted and "(1)" not in quoted


def test_a_section_ending_without_a_full_stop_is_quoted() -> None:
    # Drug Facts lines often have no full stop; chunks end on whole sentences, so this is the section's end
    assert [t for _, t in label_sentences("Use relieves redness of the eye due to minor eye irritations")] == [
        "Use relieves redness of the eye due to minor eye irritations."]
    assert label_sentences("Take one tablet daily with food. Patients who received the") == (
        (0, "Take one tablet daily with food."),)


def test_none_says_the_label_lists_nothing() -> None:
    assert label_sentences("None. None. ( 4 )") == ((0, NOTHING_LISTED),)
    assert nothing_listed("contraindications") == "Contraindications: None."


def test_the_passage_answering_much_better_leads() -> None:
    # helper-96's trial: "should I avoid the sun while on it?" quoted the isotretinoin line ("should be avoided")
    # first, the photosensitivity warning second
    ev = [_ev("doxycycline", "warnings", "Concomitant use of isotretinoin and doxycycline should be avoided because "
              "isotretinoin is also known to cause pseudotumor cerebri.", 0, 0),
          _ev("doxycycline", "warnings", "Photosensitivity manifested by an exaggerated sunburn reaction has been "
              "observed in some individuals taking tetracyclines. Patients apt to be exposed to direct sunlight or "
              "ultraviolet light should be advised that this reaction can occur.", 1, 1)]
    q = [SearchQuery("doxycycline", "warnings", "doxycycline avoid sun sunlight photosensitivity")]
    result = ExtractiveReader().read_evidence("should I avoid the sun while on doxycycline?", q, ev)
    assert result.citations[0].quote.startswith("Photosensitivity manifested"), result.text


def test_weeks_of_pregnancy_are_no_age_and_the_unborn_baby_no_child() -> None:
    # answers_fresh5_tune a5t-29: "I'm 32 weeks pregnant" read as a 32-year-old and "the baby" as a child patient
    found = conditions_in("I'm 32 weeks pregnant and on sertraline. Any risk for the baby this late on?")
    assert [c.name for c in found] == ["pregnancy"]
    assert {"third", "trimest"} <= found[0].terms  # the label's "Third trimester use may increase risk ..."
    assert [c.name for c in conditions_in("I'm pregnant and my toddler has a cold")] == ["pregnancy", "child"]
    assert "child" in [c.name for c in conditions_in("can my baby have aspirin?")]
    assert "adult" in [c.name for c in conditions_in("I'm 32 and take ibuprofen")]


def test_a_broken_link_is_no_sentence_end() -> None:
    # helper-99's trial: colchicine's quote ended "... or strong CYP3A4 inhibitors ( Error!"
    text = ("Colchicine is indicated for the prophylaxis of gout flares in adults ( Error! Hyperlink reference not "
            "valid. ). Reduce the dose with P-gp or strong CYP3A4 inhibitors [see Error! Hyperlink reference not "
            "valid. , Error! Hyperlink reference not valid. ]. Treatment of gout flares is 1.2 mg at the first sign.")
    quoted = [t for _, t in label_sentences(text)]
    assert quoted[0] == "Colchicine is indicated for the prophylaxis of gout flares in adults."
    assert quoted[1] == "Reduce the dose with P-gp or strong CYP3A4 inhibitors."
    assert not any("Error" in t for t in quoted)
