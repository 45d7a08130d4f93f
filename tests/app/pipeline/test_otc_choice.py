"""app.pipeline.otc_choice: self-care dose questions read an ingredient's OTC Drug Facts label."""

from __future__ import annotations

import pytest

from app.pipeline.otc_choice import self_care_label
from app.pipeline.state import SearchQuery

_HELD = {"ibuprofen", "ibuprofen-otc", "warfarin"}
_OTC_TEXT = "Active ingredient (in each tablet) Ibuprofen 200 mg (NSAID) ... do not exceed 6 tablets in 24 hours"


def _choose(medicine: str, attribute: str | None, said: str) -> str | None:
    query = SearchQuery(medicine, attribute, said)
    return self_care_label(query, said, _HELD.__contains__, lambda mid: _OTC_TEXT).medicine


@pytest.mark.parametrize("said", ["max ibuprofen a day?", "how much ibuprofen can I take for a headache",
                                  "ibuprofen 200 mg how many at once", "how many ibuprofen tablets a day?"])
def test_a_self_care_dose_question_reads_the_drug_facts(said: str) -> None:
    assert _choose("ibuprofen", "dosage", said) == "ibuprofen-otc"


@pytest.mark.parametrize("said", ["my doctor prescribed ibuprofen, how often?", "ibuprofen 800 mg how often",
                                  "pt on ibuprofen - max daily dose?", "医生开的布洛芬怎么吃",
                                  # a form the Drug Facts label does not sell
                                  "can I open the ibuprofen capsules and sprinkle them?", "ibuprofen liquid how much"])
def test_a_prescription_said_keeps_the_prescribing_information(said: str) -> None:
    assert _choose("ibuprofen", "dosage", said) == "ibuprofen"


def test_other_sections_and_medicines_without_an_otc_label_are_left() -> None:
    assert _choose("ibuprofen", "interactions", "can I take ibuprofen with warfarin?") == "ibuprofen"
    assert _choose("warfarin", "dosage", "how much warfarin") == "warfarin"
    assert _choose("ibuprofen", None, "ibuprofen?") == "ibuprofen"
