"""Issue 18: every quoted sentence is a whole label sentence: no heading glued on, no two sentences spliced, no
fragment that needs the sentence before it, no flattened list read as one sentence, nothing quoted twice.
The label text here is made up in the labels' shapes."""

from __future__ import annotations

from app.pipeline.compose import Quote, compose, label_sentences
from app.pipeline.whole_sentences import join_leaning, leans_back, split_list_tail, strip_caps_section, verbless_list


def _texts(text: str, names: frozenset[str] = frozenset()) -> list[str]:
    return [sentence for _, sentence in label_sentences(text, names)]


def test_a_whole_sentence_before_bullets_is_not_their_heading() -> None:
    text = ("Zorbil tablets are contraindicated in patients with known allergy to zorbil. Allergic reactions may "
            "include hives, wheezing and swelling of the face . • Zorbil is contraindicated in patients taking "
            "strong inhibitors of the enzyme that clears it . • Refer to the other product's label for its own "
            "contraindications.")
    quoted = _texts(text)
    assert not any(".:" in q or ". :" in q for q in quoted), quoted
    assert "Zorbil is contraindicated in patients taking strong inhibitors of the enzyme that clears it." in quoted
    assert "Allergic reactions may include hives, wheezing and swelling of the face." in quoted


def test_list_items_that_lost_their_heading_are_not_quoted_after_a_sentence() -> None:
    text = ("Do not use • with any other cold remedy. If unsure what a remedy holds, ask a pharmacist. • if you "
            "ever had a rash from this product Ask a doctor before use if you have kidney disease.")
    quoted = _texts(text)
    assert "If unsure what a remedy holds, ask a pharmacist." in quoted
    assert not any("ever had a rash" in q for q in quoted), quoted


def test_the_sentence_a_list_runs_into_is_its_own_sentence() -> None:
    text = ("Heavy use may harm the kidneys if you take • more than 6 tablets a day • with other pain relievers "
            "Skin alert: Zorbil may cause serious skin reactions. Signs may include: • peeling • blistering • itching "
            "If a skin reaction occurs, stop use and see a doctor right away. Keep out of reach of children.")
    quoted = _texts(text)
    assert "If a skin reaction occurs, stop use and see a doctor right away." in quoted
    # "Signs may include" leans on the sentence before it: quoted with it, never alone
    assert ("Skin alert: Zorbil may cause serious skin reactions. Signs may include: peeling; blistering; itching."
            in quoted), quoted
    assert not any(q.startswith("Signs may include") for q in quoted)
    assert not any("Skin alert" in q and "kidneys" in q for q in quoted)


def test_a_sentence_that_leans_back_goes_with_its_antecedent_or_not_at_all() -> None:
    text = ("Swelling of the lips and tongue has been reported rarely with zorbil. This may happen at any time "
            "during treatment. Tell patients to report swelling at once. These were mostly mild.")
    quoted = _texts(text)
    assert ("Swelling of the lips and tongue has been reported rarely with zorbil. This may happen at any time "
            "during treatment.") in quoted
    assert not any(q.startswith("This may") for q in quoted)
    # the antecedent of the last sentence ("These") is a sentence away: it is joined to the instruction, whose
    # neighbour it is (the reader keeps it with what was said just before)
    assert not any(q.startswith("These") for q in quoted)


def test_a_bare_instruction_keeps_the_heading_that_says_what_it_is_about() -> None:
    text = ("Monitor blood counts during treatment. Severe Skin Reaction Syndrome (SSRS): Discontinue and evaluate "
            "clinically. Liver Injury: Stop zorbil if liver tests rise above three times normal.")
    quoted = _texts(text, frozenset({"zorbil"}))
    assert "Severe Skin Reaction Syndrome (SSRS): Discontinue and evaluate clinically." in quoted, quoted
    assert "Discontinue and evaluate clinically." not in quoted


def test_leans_back() -> None:
    assert leans_back("These could be signs of something serious.")
    assert leans_back("Discontinue and evaluate clinically.")
    assert leans_back("Symptoms may include: rash; itching.")
    assert leans_back("Early signs may include fever and rash.")
    assert not leans_back("Low blood sugar symptoms may include shaking and sweating.")
    assert not leans_back("This product contains zorbil.")
    assert not leans_back("It is not known whether zorbil passes into milk.")
    assert not leans_back("Discontinue zorbil if a rash appears.")
    # nothing before it in the chunk: left out
    assert join_leaning([(0, "This may occur at any time.")]) == []


def test_all_caps_section_headings_are_removed() -> None:
    assert strip_caps_section("1.INDICATIONS & USAGE SECTION Treatment of gout.") == "Treatment of gout."
    assert strip_caps_section("HOW SUPPLIED/STORAGE AND HANDLING Store at room temperature.") == (
        "Store at room temperature.")
    assert strip_caps_section("4.2. Renal Impairment Reduce the dose.") == "Renal Impairment Reduce the dose."
    assert strip_caps_section("HOW SUPPLIED ZORBIL Tablets are round.") == "ZORBIL Tablets are round."
    # a brand in capitals or a boxed warning's title is no section heading
    assert strip_caps_section("ZORBIL may cause dizziness.") == "ZORBIL may cause dizziness."
    assert strip_caps_section("WARNING: RISK OF BLEEDING Zorbil can cause bleeding.") == (
        "WARNING: RISK OF BLEEDING Zorbil can cause bleeding.")
    quoted = _texts("2 DOSAGE AND ADMINISTRATION 2.1 Adult Dosage The usual dose is 10 mg once daily.")
    assert quoted == ["The usual dose is 10 mg once daily."]


def test_a_brand_in_capitals_starts_the_sentence_after_a_title_heading() -> None:
    quoted = _texts("Prevention of Clots in Pediatric Patients ZORBIL is indicated to prevent clots in children "
                    "from 2 years of age.")
    assert quoted == ["ZORBIL is indicated to prevent clots in children from 2 years of age."]


def test_a_list_flattened_without_punctuation_reads_as_a_list() -> None:
    sentence = "Severe kidney failure Hypersensitivity Concomitant use of potent diuretics in older adults."
    assert verbless_list(sentence) == (
        "Severe kidney failure; hypersensitivity; concomitant use of potent diuretics in older adults.")
    # prose and title headings stay as they are
    prose = "Headache was reported more often in Japanese patients."
    assert verbless_list(prose) == prose
    title = "Treatment of Gout in Adults With Kidney Disease."
    assert verbless_list(title) == title
    # nor a name in capitals in an instruction
    help_line = "Get medical help or call a Poison Help Line right away."
    assert verbless_list(help_line) == help_line
    # a medicine's name is no new item
    named = "Use with Zorbil in older adults."
    assert verbless_list(named, frozenset({"zorbil"})) == named


def test_split_list_tail() -> None:
    assert split_list_tail("Stop use if • pain lasts • fever rises These may be signs of infection.") == (
        "Stop use if • pain lasts • fever rises", "These may be signs of infection.")
    # an item's own heading is no sentence after the list
    item = "Monitor blood sugar. • Weight Changes: Zorbil may cause weight gain."
    assert split_list_tail(item) == (item, "")
    assert split_list_tail("Do not use • with alcohol • in children under 2") == (
        "Do not use • with alcohol • in children under 2", "")


def test_a_sentence_repeated_in_a_chunk_is_quoted_once() -> None:
    text = ("Avoid taking zorbil with grapefruit juice. Take zorbil with food. Avoid taking zorbil with grapefruit "
            "juice. Store below 30 degrees.")
    quoted = _texts(text)
    assert quoted.count("Avoid taking zorbil with grapefruit juice.") == 1


def test_the_same_sentence_is_never_quoted_twice_in_an_answer() -> None:
    said = "Avoid taking zorbil with grapefruit juice."
    composed = compose([
        ("Zorbil, warnings:", [Quote("zorbil", "warnings", "c1", said, safety=True)]),
        ("Zorbil, interactions:", [Quote("zorbil", "interactions", "c2", said),
                                   Quote("zorbil", "interactions", "c2", "Take zorbil with food.")]),
    ])
    assert composed.text.count(said) == 1
    assert "Take zorbil with food." in composed.text
    assert [p.n for p in composed.passages] == [1, 2]


def test_a_title_heading_goes_before_the_medicine_named_by_its_stemmed_token() -> None:
    # the reader passes the label's title as search tokens ("zorbilone" -> "zorbilon")
    quoted = _texts("Relief of Chronic Cough in Adults Zorbilone syrup is indicated for chronic cough in adults.",
                    frozenset({"zorbilon"}))
    assert quoted == ["Zorbilone syrup is indicated for chronic cough in adults."]


def test_an_instruction_glued_after_a_colon_list_is_its_own_sentence() -> None:
    quoted = _texts("Zorbil is contraindicated in patients with: severe kidney failure a known allergy to zorbil "
                    "Do not give zorbil with other potassium-sparing medicines. Take it with food.")
    assert "Do not give zorbil with other potassium-sparing medicines." in quoted, quoted
    assert "Zorbil is contraindicated in patients with: severe kidney failure a known allergy to zorbil." in quoted

    kept = "Limitations of Use: Zorbil is not for use in children."
    assert _texts(kept) == [kept]


def test_a_boxed_warning_title_stays_before_the_medicine_named_by_its_stemmed_token() -> None:
    quoted = _texts("SERIOUS SKIN REACTIONS Zorbilone can cause serious skin reactions requiring hospital care.",
                    frozenset({"zorbilon"}))
    assert quoted == ["SERIOUS SKIN REACTIONS Zorbilone can cause serious skin reactions requiring hospital care."]


def test_flattened_drug_facts_directions_become_one_line_per_instruction() -> None:
    text = ("Directions for adults 18 years of age and older this product is to be used once a day (every 24 hours), "
            "every day for 14 days it may take 1 to 4 days for full effect; some people get complete relief of "
            "symptoms within 24 hours 14-Day Course of Treatment swallow 1 tablet with a glass of water before eating "
            "in the morning take every day for 14 days do not take more than 1 tablet a day do not use for more "
            "than 14 days unless directed by your doctor swallow whole. Heartburn in children may be serious.")
    out = [t for _, t in label_sentences(text)]
    assert "Do not take more than 1 tablet a day." in out
    assert "Take every day for 14 days." in out
    # prose with a verb after 'who' or 'to' is not cut there
    prose = ("Patients who take examplazole for more than one year and " + "who continue to use it " * 20
             + "should be monitored.")
    assert [t for _, t in label_sentences(prose)] in ([], [prose])


def test_a_list_of_indications_in_adults_is_not_cut_before_adults() -> None:
    # "... in adults. to maintain ..." is a flattened list of indications, not directions starting "adults ...".
    uses = ("for healing of erosive esophagitis and relief of heartburn associated with esophagitis in adults. ",
            "to maintain healing of erosive esophagitis and relief of heartburn associated with it in adults. ",
            "for the relief of heartburn associated with non-erosive gastroesophageal reflux disease in adults. ",
            "in combination with two antibiotics for the treatment of Helicobacter pylori infection in adults. ")
    text = "EXAMPRAZAN is indicated: " + "".join(uses * 2).strip()
    out = [t for _, t in label_sentences(text)]
    assert not any(t.endswith(" in.") or t.startswith("Adults.") for t in out)


def test_a_table_caption_and_its_flattened_rows_are_never_quoted() -> None:
    text = ("Closely monitor patients receiving any such drug with examplarin. Table 3: Drugs that Can Increase the "
            "Risk of Bleeding Drug Class Specific Drugs Anticoagulants argatroban, dabigatran, bivalirudin "
            "Antiplatelet Agents aspirin, cilostazol, clopidogrel Nonsteroidal Anti-Inflammatory Agents celecoxib, "
            "diclofenac, ibuprofen. Monitor INR when starting any antibiotic.")
    out = [t for _, t in label_sentences(text)]
    assert not any(t.startswith("Table 3") for t in out)
    assert "Monitor INR when starting any antibiotic." in out
