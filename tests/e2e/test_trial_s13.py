"""Session 13's tuning half (fresh8tune, answers_fresh6/7_tune) and new-user trial (helper 111), over the real
server (`clinqa serve` on 127.0.0.1) on a cut of the shipped corpus: the renal row for the CrCl said, a contrast
scan ahead, "anything serious about it?" of a medicine prescribed for a condition, whether to hold a statin for
clarithromycin, a missed dose of one of two medicines, aspirin beside Brilinta, "ok with what I'm already on?",
a hay-fever list for someone who must stay awake, and a Chinese nasal-spray brand."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = {"ticagrelor", "aspirin", "cephalexin", "levofloxacin", "clarithromycin", "simvastatin", "rivaroxaban",
        "metformin", "budesonide", "budesonide-nose", "chlorpheniramine-maleate", "diphenhydramine-hcl", "loratadine",
        "fluticasone-propionate-nasal", "tramadol", "citalopram-hydrobromide", "amoxicillin", "azithromycin"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("trial_s13"), KEEP) as url:
        yield url


def _cited(body: dict[str, object]) -> list[str]:
    return [c["medicine_id"] for c in body["citations"]]  # type: ignore[attr-defined, index]


def test_the_renal_row_for_the_clearance_said(base: str) -> None:
    body = chat(base, "My creatinine clearance is about 20 - how should cephalexin be dosed for me?")
    assert "15 to 29 mL/min 250 mg" in body["answer"], body["answer"]
    assert "30 to 59" not in body["answer"], body["answer"]


def test_a_contrast_scan_ahead_makes_does_that_matter_about_it(base: str) -> None:
    body = chat(base, "I've got a CT scan with contrast dye on Thursday.",
                "I take metformin twice a day - does that matter?")
    assert "iodinated contrast" in body["answer"], body["answer"]
    assert "poison control" not in str(body["notices"]), body["notices"]


def test_anything_serious_about_a_medicine_prescribed_for_a_condition_is_about_that_medicine(base: str) -> None:
    body = chat(base, "GP prescribed levofloxacin for sinusitis. I play five-a-side twice a week. Is there anything "
                      "serious I should know about it?")
    assert set(_cited(body)) == {"levofloxacin"}, body["answer"]
    assert "tendon" in body["answer"].lower(), body["answer"]


def test_hold_the_statin_for_clarithromycin_asks_about_both(base: str) -> None:
    body = chat(base, "clarithromycin 500 bd x7d for pt on simvastatin 40 nocte - ok or hold statin?")
    assert {"clarithromycin", "simvastatin"} <= set(_cited(body)), body["answer"]
    assert "contraindicated" in body["answer"], body["answer"]


def test_a_missed_dose_of_one_of_two_medicines(base: str) -> None:
    body = chat(base, "Missed my morning rivaroxaban 2.5 (I take it twice a day with aspirin). It's now 6 pm. What "
                      "do I do?")
    assert _cited(body)[0] == "rivaroxaban" and "dose is missed" in body["answer"], body["answer"]


def test_aspirin_beside_brilinta_quotes_brilintas_aspirin_limit(base: str) -> None:
    body = chat(base, "I'm on Brilinta after my heart attack.",
                "My old aspirin tablets are 300 mg. Can I take one of those a day with it?")
    assert "ticagrelor" in _cited(body), body["answer"]
    assert "100 mg" in body["answer"] or "Avoid aspirin" in body["answer"], body["answer"]


def test_ok_with_what_i_am_already_on(base: str) -> None:
    body = chat(base, "I'm on citalopram 20mg for anxiety.", "My GP has just added tramadol for my back.",
                "Is the new one ok with what I'm already on?")
    assert "citalopram-hydrobromide" in _cited(body) and "serotonin" in body["answer"].lower(), body["answer"]


def test_a_hay_fever_list_for_someone_who_must_stay_awake(base: str) -> None:
    body = chat(base, "What can I take for hay fever? I drive a forklift at work so I can't be drowsy.")
    cited = _cited(body)
    assert "loratadine" in cited, body["answer"]
    assert "chlorpheniramine-maleate" not in cited and "diphenhydramine-hcl" not in cited, body["answer"]
    assert "Chlorpheniramine" in body["answer"] and "older antihistamine" in body["answer"], body["answer"]


def test_a_chinese_nasal_spray_brand_is_the_nasal_product(base: str) -> None:
    body = chat(base, "过敏性鼻炎，用了三天雷诺考特喷鼻子，感觉没啥用。要用多久才有效果？")
    assert _cited(body) and _cited(body)[0] == "budesonide-nose", body
