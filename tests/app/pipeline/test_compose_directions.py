"""Quotable text from flattened directions tables, short instructions and sentences cut by the source (issue 18:
whole sentences only; a child's dose row readable on its own)."""

from __future__ import annotations

from app.pipeline.compose import directions_rows, label_sentences
from app.pipeline.read_dose import recovered_rows
from indexing.text import tokenize

# A Drug Facts directions table flattened with no full stop (a children's antihistamine liquid, written in the
# shape such labels have).
_LIQUID = ("Directions ■ if needed, take every 4-6 hours ■ do not take more than 6 doses in 24-hours children under 4 "
           "years of age Do not use children 4 to under 6 years of age Do not use unless directed by a doctor "
           "children 6 to under 12 years of age 1 to 2 teaspoonfuls (5 ml to 10 ml)")


def _quoted(text: str) -> list[str]:
    return [t for _, t in label_sentences(text)]


def test_a_flattened_directions_table_is_quoted_row_by_row_with_its_age_label() -> None:
    out = _quoted(_LIQUID)
    assert "Children 6 to under 12 years of age: 1 to 2 teaspoonfuls (5 ml to 10 ml)." in out
    assert "Children 4 to under 6 years of age: Do not use unless directed by a doctor." in out
    assert "Children under 4 years of age: Do not use." in out
    # no row glued to the next one's label
    assert not any("Do not use children" in t or "doctor children" in t for t in out)


def test_directions_rows_with_weights_a_colon_and_a_disease_label() -> None:
    text = ("Adults and children 12 years and older 20 drops in a little water, 2 times per day Children between 12 "
            "years and 6 years of age 10 drops in a little water, 2 times per day Children under 6 years: consult a "
            "physician. adults and children 6 years and over 1 tablet daily; not more than 1 tablet in 24 hours "
            "consumers with liver or kidney disease ask a doctor")
    out = _quoted(text)
    assert "Children between 12 years and 6 years of age: 10 drops in a little water, 2 times per day." in out
    assert "Children under 6 years: consult a physician." in out
    assert "Consumers with liver or kidney disease: ask a doctor." in out


def test_prose_about_children_is_no_directions_table() -> None:
    text = ("Use in children under 12 years of age has not been established. Give to children 6 years and over only "
            "if a doctor says so.")
    assert directions_rows(text) == text


def test_a_short_block_its_rows_carry_is_not_recovered_again() -> None:
    quoted = [frozenset(tokenize(t)) for t in _quoted(_LIQUID)]
    assert recovered_rows(_LIQUID, quoted) == []


def test_a_short_instruction_is_quoted_with_the_sentence_before() -> None:
    text = ("Store unused pens in a refrigerator between 36°F and 46°F (2°C and 8°C). Do not freeze. Discard the pen "
            "if it has been frozen.")
    out = _quoted(text)
    assert out[0] == "Store unused pens in a refrigerator between 36°F and 46°F (2°C and 8°C). Do not freeze."
    assert "Discard the pen if it has been frozen." in out


def test_a_sentence_that_lost_its_subject_is_cut_off() -> None:
    text = ("For children 2 to 5 years of age: one 4-mg chewable tablet. Safety and effectiveness in children less "
            "than 12 months of age have not been established. who miss a dose should take the next dose at their "
            "regular time. Take it in the evening with or without food.")
    out = _quoted(text)
    assert not any(" who miss" in t or t.startswith("who") for t in out)
    assert "Safety and effectiveness in children less than 12 months of age have not been established." in " ".join(out)


def test_instructions_for_use_is_no_heading_glued_before_a_sentence() -> None:
    out = _quoted("There are separate Instructions for Use for the vial and prefilled pen. Refer to the Instructions "
                  "for Use for complete administration instructions.")
    assert "There are separate Instructions for Use for the vial and prefilled pen." in out
    assert not any(t.startswith("Use for") for t in out)


def test_a_symbol_font_bullet_is_a_bullet() -> None:
    out = _quoted("When using this product \uf06e drowsiness may occur \uf06e avoid alcoholic drinks \uf06e use "
                  "caution when driving a motor vehicle.")
    assert out == ["When using this product: drowsiness may occur; avoid alcoholic drinks; use caution when driving a "
                   "motor vehicle."]


def test_a_short_instruction_naming_the_product_joins_but_a_bare_directive_does_not() -> None:
    out = _quoted("Store the pens in the refrigerator at 36°F to 46°F (2°C to 8°C). Do not freeze TRULICITY. Refer to "
                  "Table 2 for the dosage in patients with hepatic impairment. Avoid use of EKTERLY.")
    assert "Store the pens in the refrigerator at 36°F to 46°F (2°C to 8°C). Do not freeze TRULICITY." in out
    assert not any(t.endswith("Avoid use of EKTERLY.") for t in out)
