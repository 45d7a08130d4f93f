"""A quoted sentence pointing to a table the database's copy of the label lost gets a notice
(app.pipeline.read_table_pointer)."""

from __future__ import annotations

import pytest

from app.pipeline.read_table_pointer import missing_table_notice, table_missing, table_pointed_to


@pytest.mark.parametrize(("sentence", "table"), [
    ("Dosage adjustment in patients 12 years of age and older with renal impairment or undergoing hemodialysis is "
     "recommended, as follows (see dosing recommendations above for effective doses in each indication): TABLE 1.",
     "Table 1"),
    ("Table 2 shows the recommended maximum dosage of famotidine 20 mg or 40 mg tablets for patients with renal "
     "impairment, by indication.", "Table 2"),
    ("The most common adverse reactions are listed in Table 3.", "Table 3"),
    ("Table 3 of the study was reviewed by the sponsor.", None),
    ("The recommended dose is 300 mg three times a day.", None),
])
def test_a_sentence_pointing_to_a_table(sentence: str, table: str | None) -> None:
    assert table_pointed_to(sentence) == table


def test_a_label_whose_tables_were_kept_needs_no_notice() -> None:
    assert table_missing(["Dosage adjustment ... as follows: TABLE 1."])
    assert not table_missing(["CrCl (mL/min) | Total daily dose (mg/day) | >=60 | 900 to 3600"])


def test_the_notice_names_the_table_and_what_to_do() -> None:
    notice = missing_table_notice("Gabapentin", "Table 1", "en")
    assert "Table 1" in notice and "does not include the table" in notice and "pharmacist" in notice
    assert "表格（Table 1）" in missing_table_notice("加巴喷丁", "Table 1", "zh")
