"""Session 14's new-user trial (helper 117), tuning half (fresh9tune) and probes, over the real server (`clinqa
serve` on 127.0.0.1) on a cut of the shipped corpus: the remedy the asking part names of two in the house, a
long story asking of "the memory tablet", a drug the database lacks by its other spelling, a drink beside a label
whose tyramine list names wine, one caution line for the triptans beside fluoxetine, a combination product beside
its own ingredient, opening hours as small talk, pregnancy said before "safe for the baby?", and the one of two
medicines a side effect belongs to."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = {"acetaminophen", "ibuprofen", "donepezil-hydrochloride", "amlodipine", "omeprazole", "linezolid",
        "fluoxetine", "eletriptan", "almotriptan", "rizatriptan", "naratriptan", "warfarin", "nifedipine", "aspirin",
        "ticagrelor", "ergocalciferol", "sertraline", "levothyroxine", "clarithromycin", "digoxin",
        "divalproex-sodium", "loratadine", "chlorpheniramine-maleate", "diphenhydramine-hcl"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("trial_s14"), KEEP) as url:
        yield url


def _cited(body: dict[str, object]) -> list[str]:
    return [c["medicine_id"] for c in body["citations"]]  # type: ignore[attr-defined, index]


def test_the_remedy_the_asking_part_names(base: str) -> None:
    body = chat(base, "I'm 30 weeks pregnant with a bad headache. We have Panadol and Nurofen at home, can I take "
                      "Nurofen?")
    assert set(_cited(body)) == {"ibuprofen"}, body["answer"]
    assert "30 weeks" in body["answer"], body["answer"]
    body = chat(base, "我懷孕30週，今日頭痛得好犀利。屋企有必理痛同埋Nurofen，Nurofen可唔可以食？")
    assert set(_cited(body)) == {"ibuprofen"}, body["answer"]


def test_the_memory_tablet_of_a_long_story(base: str) -> None:
    body = chat(base, "Sorry this is long. My mum is 81. She takes amlodipine 5 in the morning for her blood "
                      "pressure, omeprazole for her stomach, a calcium one with vitamin D, and since the memory clinic "
                      "in September she's also on donepezil 10 mg at night. On Sunday she came over all faint and the "
                      "paramedic said her pulse was only 46. What I want to know is, could the memory tablet be "
                      "what's slowing her heart down?")
    assert set(_cited(body)) == {"donepezil-hydrochloride"}, body["answer"]
    assert "bradycardia" in body["answer"], body["answer"]


def test_a_drug_the_database_lacks_by_its_other_spelling(base: str) -> None:
    body = chat(base, "I've been prescribed rifampicin for TB. Any side effects?")
    assert body["status"] == "unknown_drug" and "rifampicin" in body["answer"], body


def test_what_to_eat_and_drink_on_linezolid(base: str) -> None:
    body = chat(base, "My husband will go home on linezolid tablets. He loves aged cheese and a glass of red wine.",
                "Does he need to watch what he eats and drinks on it?")
    assert body["status"] == "answered" and "tyramine" in body["answer"], body


def test_one_caution_for_the_triptans_beside_fluoxetine(base: str) -> None:
    body = chat(base, "What can I take for a migraine? I'm already on fluoxetine.")
    quotes = [c["quote"] for c in body["citations"]]  # type: ignore[index]
    assert len(quotes) == len(set(quotes)), quotes
    assert body["answer"].count("Serotonin syndrome") == 1, body["answer"]


def test_a_combination_beside_its_own_ingredient(base: str) -> None:
    body = chat(base, "Is it ok to take Lemsip Max if I'm already taking paracetamol tablets for my back?")
    assert "any other drug containing acetaminophen" in body["answer"], body["answer"]


def test_opening_hours_in_a_medicine_conversation_are_small_talk(base: str) -> None:
    body = chat(base, "I take warfarin for my AF.", "btw do you know when pharmacies close on a Sunday?")
    assert body["status"] == "not_medical" and not body["citations"], body


def test_safe_for_the_baby_while_pregnant_asks_pregnancy(base: str) -> None:
    body = chat(base, "I'm 30 weeks pregnant and was given nifedipine", "is it safe for the baby?")
    assert "pregnancy" in " ".join(n["text"] for n in body["notices"]), body  # type: ignore[index]
    assert "fentanyl" not in body["answer"].split("[1]")[0], body["answer"]


def test_which_of_two_medicines_a_side_effect_belongs_to(base: str) -> None:
    body = chat(base, "I had a stent last year and take aspirin and Brilinta.",
                "Lately I get breathless after a few steps. The doctor said it might be a side effect of one of them "
                "- which one?")
    assert _cited(body)[0] == "ticagrelor" and "dyspnea" in body["answer"].lower(), body["answer"]


# -- the end-of-session trial (helper 118) --------------------------------------------------------------------------

def test_a_medicine_proposed_for_dad_is_checked_against_his_own(base: str) -> None:
    body = chat(base, "My dad is 82 and takes digoxin for his heart.",
                "The doctor wants to give him clarithromycin for a chest infection. Any problem with that?")
    assert "digoxin" in body["answer"].split("[2]")[0].lower(), body["answer"]
    assert "father" in " ".join(n["text"] for n in body["notices"]), body["notices"]  # type: ignore[index]


def test_epilim_is_valproate_not_a_chemotherapy_drug(base: str) -> None:
    body = chat(base, "I'm 8 weeks pregnant and take Epilim for epilepsy. Is it safe?")
    assert _cited(body) and _cited(body)[0] == "divalproex-sodium", body
    assert "Epirubicin" not in body["answer"], body["answer"]


def test_an_antacid_brand_with_my_levothyroxine(base: str) -> None:
    body = chat(base, "Can I take Rennie for indigestion with my Eltroxin?")
    assert body["status"] == "answered" and "4 hours apart" in body["answer"], body


def test_staying_awake_keeps_older_antihistamines_off_a_hay_fever_list(base: str) -> None:
    body = chat(base, "what can I take for hay fever? I need to stay awake")
    cited = _cited(body)
    assert "loratadine" in cited and "chlorpheniramine-maleate" not in cited, body["answer"]
