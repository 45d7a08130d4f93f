"""Two medicines taken as one ("can I keep taking both?", "is that combo ok?") ask about their interaction, and a
product the database lacks is read by what it is made of (session 11)."""

from __future__ import annotations

import pytest

from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.read_partner import described_ingredients
from app.pipeline.state import Turn
from app.records.interactions import name_class_keys
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "interactions", "adverse_reactions"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        _entry("tizanidine", "Tizanidine"), _entry("ciprofloxacin", "Ciprofloxacin", "Cipro"),
        _entry("metformin", "Metformin"), _entry("lisinopril", "Lisinopril"), _entry("sertraline", "Sertraline"),
    ])


def _dialogue(*turns: str) -> list[Turn]:
    out: list[Turn] = []
    for t in turns:
        out += [Turn("user", t), Turn("assistant", "Okay.")]
    return out[:-1]


def _asked(lexicon: MedicineLexicon, *turns: str) -> set[tuple[str | None, str | None]]:
    d = RuleDistiller().distill(_dialogue(*turns), lexicon)
    return {(q.medicine, q.attribute) for q in d.queries}


def test_both_after_a_medicine_taken_asks_their_interaction(lexicon: MedicineLexicon) -> None:
    asked = _asked(lexicon, "I take tizanidine at night for spasticity.",
                   "The clinic just gave me cipro for a kidney infection. Can I keep taking both?")
    assert ("ciprofloxacin", "interactions") in asked, asked


def test_a_combo_named_in_one_turn_is_an_interaction(lexicon: MedicineLexicon) -> None:
    asked = _asked(lexicon, "I'm on metformin and my doctor added lisinopril. Is that combo ok?")
    assert {a for _, a in asked} == {"interactions"}, asked


def test_both_with_a_cue_of_its_own_keeps_it(lexicon: MedicineLexicon) -> None:
    # "do both cause a cough?" asks the side effects of each, not how they interact
    asked = _asked(lexicon, "I take metformin and lisinopril. Do both cause a cough?")
    assert "interactions" not in {a for _, a in asked}, asked


def test_a_described_product_is_read_by_its_ingredients() -> None:
    assert described_ingredients("percocet (oxycodone and acetaminophen)") == ["oxycodone", "acetaminophen"]
    assert described_ingredients("Mylanta (aluminum hydroxide, magnesium hydroxide and simethicone)") == [
        "aluminum hydroxide", "magnesium hydroxide", "simethicone"]
    assert described_ingredients("zorvalex (did you mean Zorvolex?)") == []
    assert described_ingredients("ginkgo") == []


def test_antacid_ingredients_are_antacids() -> None:
    assert name_class_keys(["calcium carbonate"]) == {"antacid"}
    assert name_class_keys(["acetaminophen"]) == set()


def test_a_habit_said_earlier_is_what_the_bare_noun_refers_to() -> None:
    from app.pipeline.drink_words import habit_referred

    assert habit_referred(["I have grapefruit juice with breakfast every day."],
                          "Just been put on felodipine. Do I need to give up the juice?") == "grapefruit juice"
    assert habit_referred(["I like a glass of wine with dinner most nights."],
                          "My GP started me on metronidazole. Is that habit a problem now?") == "alcohol"
    # named in the question itself, or nothing said before: nothing to add
    assert habit_referred(["I have grapefruit juice daily."], "Is grapefruit juice ok with it?") is None
    assert habit_referred(["I drink orange juice every morning."], "Is the juice ok?") is None
    assert habit_referred(["I quit drinking years ago."], "Is my drinking a problem?") is None


def test_a_name_with_an_ester_and_a_salt_is_said_by_its_first_word() -> None:
    lexicon = MedicineLexicon([_entry("dabigatran-etexilate-mesylate", "Dabigatran Etexilate Mesylate", "Pradaxa"),
                               _entry("metformin", "Metformin")])
    found = [(m.surface, m.medicine_id) for m in lexicon.find("pt 81F w/ AF, CrCl ~22. dabigatran dose?")]
    assert ("dabigatran", "dabigatran-etexilate-mesylate") in found, found


def test_alongside_a_medicine_said_before_is_their_interaction() -> None:
    lexicon = MedicineLexicon([_entry("azathioprine", "Azathioprine"), _entry("allopurinol", "Allopurinol")])
    asked = _asked(lexicon, "I take azathioprine for my Crohn's.", "Random one, can I get the flu jab while on it?",
                   "Thanks. Also my GP now wants to start allopurinol for gout. Is that fine alongside?")
    assert ("allopurinol", "interactions") in asked, asked


def test_a_contraction_is_no_unknown_medicine() -> None:
    lexicon = MedicineLexicon([_entry("acetaminophen", "Acetaminophen", "Tylenol")],
                              is_known_word=lambda word: False)
    found = lexicon.find("She took a load of Tylenol. She says she feels fine and doesn't want to go to hospital.")
    assert [m.medicine_id for m in found] == ["acetaminophen"], found


def test_a_load_of_tablets_is_too_much_taken() -> None:
    from app.pipeline.ingestion import too_much_taken

    assert too_much_taken("My 16 year old took a load of Tylenol after a fight, maybe 15-20.")
    assert too_much_taken("I took 12 of my sertraline tablets last night.")
    assert too_much_taken("he swallowed half a bottle of paracetamol")
    assert not too_much_taken("I took 2 of my tablets this morning as usual.")
    assert not too_much_taken("I take a lot of vitamins, is that ok with metformin?")


def test_falling_asleep_at_the_wheel_is_an_effect_and_driving() -> None:
    from app.pipeline.attributes import classify_attribute
    from app.pipeline.read_gravity import driving_section

    assert classify_attribute("he nodded off at a red light, is that the medicine?").scores.get("adverse_reactions")
    assert driving_section("he fell asleep at the wheel yesterday", "indications",
                           frozenset({"warnings", "indications"})) == "warnings"


def test_gtn_is_nitroglycerin() -> None:
    lexicon = MedicineLexicon([_entry("nitroglycerin", "Nitroglycerin"), _entry("sildenafil", "Sildenafil")])
    assert "nitroglycerin" in {m.medicine_id for m in lexicon.find("I keep a GTN spray for my angina.")}
