"""read_table: a flattened dosing table's row quoted with its column headers, a directions row's later sentence
with its row's label (label-like text written for these tests)."""

from __future__ import annotations

from app.pipeline.read_table import headed_rows, with_labels

_CAPTION = ("Dosing continues for 10 days in most infections. Table 2. Recommended Dosage by Weight: Site | Grade b | "
            "Suggested Dose for Adults and Children Weighing 50 kg or More | Suggested Dose for Children Weighing "
            "Less than 50 kg. ")
_ROWS = ("Sinus | Mild | 300 mg twice daily | 10 mg/kg twice daily. Severe | 600 mg twice daily | 15 mg/kg twice "
         "daily. Bone/ Joint | Any | 600 mg three times daily | 20 mg/kg three times daily. b Resistant organisms "
         "follow the severe rows. 2.3 Renal Impairment Reduce the dose by half.")


def test_a_table_row_carries_its_column_headers_and_its_spanning_cell() -> None:
    headed = headed_rows((_CAPTION + _ROWS,))
    line = with_labels("Severe; 600 mg twice daily; 15 mg/kg twice daily.", headed)
    assert line is not None
    assert line.startswith("Sinus, Severe — Adults and Children Weighing 50 kg or More: 600 mg twice daily")
    assert "Children Weighing Less than 50 kg: 15 mg/kg twice daily" in line
    assert "Suggested Dose" not in line  # the words every dose header begins with go


def test_a_header_holds_across_a_chunk_boundary_and_a_table_note_is_left_out() -> None:
    headed = headed_rows((_CAPTION + "Sinus | Mild | 300 mg twice daily | 10 mg/kg twice daily.", _ROWS))
    line = with_labels("Bone/ Joint; Any; 600 mg three times daily; 20 mg/kg three times daily. b Resistant "
                       "organisms follow the severe rows.", headed)
    assert line is not None and "50 kg or More: 600 mg three times daily" in line
    assert "Resistant organisms" not in line


def test_a_row_the_cleaning_cut_a_heading_from_is_still_found() -> None:
    headed = headed_rows((_CAPTION + _ROWS,))
    line = with_labels("Mild; 300 mg twice daily; 10 mg/kg twice daily.", headed)
    assert line is not None and line.startswith("Sinus, Mild — Adults")


def test_no_header_no_labels() -> None:
    headed = headed_rows((_ROWS,))
    assert with_labels("Severe; 600 mg twice daily; 15 mg/kg twice daily.", headed) is None
    assert with_labels("Reduce the dose by half in renal impairment.", headed) is None


def test_a_directions_rows_later_sentence_says_whom_it_is_for() -> None:
    directions = ("Directions shake well before use children 4 to under 12 years of age Take 5 mL once daily. Do not "
                  "give more than 10 mL in 24 hours. adults and children 12 years and over Take 10 mL once daily. "
                  "children under 4 years of age ask a doctor")
    headed = headed_rows((directions,))
    line = with_labels("Do not give more than 10 mL in 24 hours.", headed)
    assert line == "Children 4 to under 12 years of age: Do not give more than 10 mL in 24 hours."
    assert with_labels("Shake well before use and keep the bottle closed tightly.", headed) is None


def test_a_later_sentence_joined_with_the_next_rows_is_left_out_of_them() -> None:
    directions = ("Directions children 4 to under 12 years of age Take 5 mL once daily. Do not give more than 10 mL "
                  "in 24 hours. adults and children 12 years and over Take 10 mL once daily.")
    headed = headed_rows((directions,))
    line = with_labels("Do not give more than 10 mL in 24 hours. adults and children 12 years and over Take 10 mL "
                       "once daily.", headed)
    assert line == "Adults and children 12 years and over Take 10 mL once daily."
