"""Text pasted or photographed into the chat, and people texting on the go (session 28), asked over the real server
(`clinqa serve` on 127.0.0.1) with a small corpus cut from corpora/medicines.jsonl: a bottle label read by a phone
camera, a repeat slip's third line, the night one of a blister pack, the new blood one of a discharge list, a
correction that names no medicine, anything on the list before cataract surgery, a dose corrected beside aspirin."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = ("glipizide", "omeprazole", "hydrochlorothiazide", "amlodipine", "simvastatin", "metformin", "aspirin",
        "furosemide", "donepezil-hydrochloride", "clopidogrel", "bisoprolol-fumarate", "ramipril", "ibuprofen",
        "lisinopril", "atorvastatin", "tamsulosin-hydrochloride", "finasteride", "rivaroxaban", "alendronate-sodium",
        "losartan", "lansoprazole")

_SLIP = ("my meds off the repeat slip:\n1. Amlodipine 10mg tablets - ONE daily\n2. Simvastatin 40mg tablets - ONE at "
         "night\n3. Metformin 500mg tablets - ONE twice daily\n4. Aspirin 75mg dispersible tablets - ONE daily")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("pasted_and_texting"), KEEP) as url:
        yield url


def _cited(body: dict[str, Any]) -> list[str]:
    return [c["medicine_id"] for c in body["citations"]]


def test_a_bottle_label_read_by_a_phone_camera(base: str) -> None:
    body = chat(base, "0MEPRAZ0LE DR 4O MG CAP - TAKE l CAP DAlLY BEF0RE BREAKFAST\nbeen on this for about 7 years "
                      "for reflux and just got told I have osteopenia on my scan. does this make my bones worse?")
    assert _cited(body)[0] == "omeprazole"
    assert "fracture" in body["answer"]


def test_the_third_line_of_a_repeat_slip(base: str) -> None:
    body = chat(base, _SLIP, "is the 2nd one ok with grapefruit juice? I have a big glass every morning")
    assert _cited(body) and set(_cited(body)) == {"simvastatin"}  # (no other medicine of the slip paired with it)
    assert "grapefruit" in body["answer"].casefold()


def test_a_correction_that_names_no_medicine(base: str) -> None:
    body = chat(base, _SLIP, "is the 3rd one ok with grapefruit juice?",
                "ugh ignore that, misread the numbers. I meant the one above it")
    assert _cited(body)[0] == "simvastatin"


def test_the_night_one_of_a_blister_pack(base: str) -> None:
    body = chat(base, "Dad's tablets from his blister pack label (he's 81):\nAmlodipine 5mg - morning\nFurosemide "
                      "20mg - morning\nDonepezil 10mg - bedtime\nSenna 7.5mg x2 - night",
                "The one he takes at bedtime, not the senna. He's been having vivid dreams since he started it. Could "
                "he take it in the morning with the others instead?")
    assert _cited(body) and set(_cited(body)) == {"donepezil-hydrochloride"}


def test_the_new_blood_one_of_a_discharge_list(base: str) -> None:
    body = chat(base, "DISCHARGE MEDICATIONS\nAspirin 75mg OD (continue)\nClopidogrel 75mg OD - NEW, 12 months\n"
                      "Bisoprolol 2.5mg OD - NEW\nRamipril 2.5mg OD - NEW",
                "my knee has flared up and I usually take ibuprofen for a few days. is that ok with the new blood one "
                "they want me on for a whole year?")
    cited = _cited(body)
    assert "clopidogrel" in cited and "bisoprolol-fumarate" not in cited and "ramipril" not in cited


def test_anything_on_the_list_before_cataract_surgery(base: str) -> None:
    body = chat(base, "Copied from MyChart > Active Medications:\nlisinopril 20 mg tablet - Take 1 tablet by mouth "
                      "daily\natorvastatin 40 mg tablet - Take 1 tablet by mouth nightly\nmetformin 500 mg tablet - "
                      "Take 2 tablets by mouth with dinner\naspirin 81 mg EC tablet - Take 1 tablet by mouth daily\n"
                      "tamsulosin 0.4 mg capsule - Take 1 capsule by mouth daily\nfinasteride 5 mg tablet - Take 1 "
                      "tablet by mouth daily",
                "The eye surgeon has booked me in for cataract removal in March. Does anything on that list matter "
                "for the operation?")
    assert _cited(body)[0] == "tamsulosin-hydrochloride"
    assert "Floppy Iris" in body["answer"] or "cataract" in body["answer"]


def test_a_dose_corrected_beside_aspirin(base: str) -> None:
    body = chat(base, "My dad takes Xarelto 20mg once a day",
                "no wait I read the wrong box, it's 2.5mg twice a day, together with aspirin. he forgot this "
                "morning's dose and it's 3pm now, should he take it?")
    assert _cited(body)[0] == "rivaroxaban"
    assert "missed" in body["answer"]
