"""Session 34: life stages and reproductive health (contraception, trying to conceive, pregnancy,
breastfeeding, children, menopause, men's health, older age)."""

from __future__ import annotations

import pytest

from app.pipeline.compose import boilerplate


@pytest.mark.parametrize(("sentence", "is_boilerplate"), [
    ("Significant drug interactions with lamotrigine are summarized in this section.", True),
    ("Additional details of these drug interaction studies are provided in the Clinical Pharmacology section "
     "[see Clinical Pharmacology (12.3)].", True),
    ("A better perspective on the serious adverse events associated with the use of Cesamet is provided in the "
     "WARNINGS and PRECAUTIONS sections.", True),
    ("Dosage adjustments will be necessary in most patients who start or stop estrogen-containing oral "
     "contraceptives while taking lamotrigine.", False),
    ("Instructions for use are provided in the Medication Guide.", False),
])
def test_signposts_to_other_parts_of_the_label_are_not_quoted(sentence: str, is_boilerplate: bool) -> None:
    assert boilerplate(sentence) is is_boilerplate
