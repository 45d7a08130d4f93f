"""Session 15's changes: an interaction question whose labels do not name the other medicine says so (instead of
quoting the label's other interactions as if they answered), and a medicine with a condition and no teller
("sodium valproate in pregnancy") is a search, not a statement of what someone takes."""

from __future__ import annotations

from typing import Any

from app.pipeline.read import ExtractiveReader
from app.pipeline.read_cues import points_back
from app.pipeline.read_partner import silent_partner_notice
from app.pipeline.state import Evidence, SearchQuery
from app.pipeline.statement import bare_statement


def _evidence(index: Any, *medicines: str) -> list[Evidence]:
    return [Evidence(index.chunks[int(r)], 0.03, i, 0)
            for i, r in enumerate(r for m in medicines for r in index.rows_by_medicine[m])]


def test_labels_silent_on_each_other_say_so(mini_index: Any) -> None:
    question = "Can I take amoxicillin with metformin?"
    queries = [SearchQuery("amoxicillin", "interactions", "amoxicillin metformin"),
               SearchQuery("metformin", "interactions", "metformin amoxicillin")]
    result = ExtractiveReader().read_evidence(question, queries, _evidence(mini_index, "amoxicillin", "metformin"),
                                              index=mini_index)
    assert "label in the medicine database does not mention Metformin" in result.notice
    assert "does not mention Amoxicillin" in result.notice


def test_a_label_naming_the_other_medicine_gets_no_silent_notice(mini_index: Any) -> None:
    question = "Can I take ibuprofen with warfarin?"
    queries = [SearchQuery("ibuprofen", "interactions", "ibuprofen warfarin"),
               SearchQuery("warfarin-sodium", "interactions", "warfarin ibuprofen")]
    result = ExtractiveReader().read_evidence(question, queries,
                                              _evidence(mini_index, "ibuprofen", "warfarin-sodium"), index=mini_index)
    assert "Warfarin Sodium's label" not in result.notice and result.citations


def test_without_the_whole_label_no_silence_is_claimed(mini_index: Any) -> None:
    question = "Can I take amoxicillin with metformin?"
    queries = [SearchQuery("amoxicillin", "interactions", "amoxicillin metformin"),
               SearchQuery("metformin", "interactions", "metformin amoxicillin")]
    result = ExtractiveReader().read_evidence(question, queries, _evidence(mini_index, "amoxicillin", "metformin"))
    assert "does not mention" not in result.notice


def test_silent_partner_notice_in_both_languages() -> None:
    en = silent_partner_notice([("Naproxen", ["Lithium"])], "en")
    assert en == ("Naproxen's label in the medicine database does not mention Lithium. Ask a pharmacist or doctor "
                  "whether they can be taken together.")
    zh = silent_partner_notice([("Naproxen", ["Lithium", "Digoxin"])], "zh")
    assert zh.startswith("数据库中Naproxen的说明书没有提到Lithium、Digoxin") and "药师" in zh


def test_a_medicine_and_a_condition_told_by_nobody_is_a_search() -> None:
    assert not bare_statement("sodium valproate in pregnancy", ["sodium valproate"])
    assert not bare_statement("lisinopril and pregnancy", ["lisinopril"])
    assert bare_statement("I'm pregnant and on sertraline.", ["sertraline"])
    assert bare_statement("My mum has kidney disease and takes metformin.", ["metformin"])


def test_a_sentence_opening_on_what_came_before_points_back() -> None:
    assert points_back("Since this effect may also occur with amoxicillin, it is recommended that glucose tests ...")
    assert not points_back("Since amoxicillin is excreted in the urine, dose adjustment may be needed.")


def test_a_risk_list_gives_the_items_naming_the_other_medicine_after_its_warning() -> None:
    from app.pipeline.read_partner import risk_list_excerpt

    before = ("Allergy alert: Aspirin may cause a severe allergic reaction, which may include: hives Stomach bleeding "
              "warning: This product contains an NSAID, which may cause severe stomach bleeding.")
    risk = ("The chance is higher if you: are age 60 or older have had stomach ulcers or bleeding problems take a "
            "blood thinning (anticoagulant) or steroid drug have 3 or more alcoholic drinks every day.")
    excerpt = risk_list_excerpt(before, risk, lambda text: "anticoagulant" in text)
    assert excerpt == ("Stomach bleeding warning: This product contains an NSAID, which may cause severe stomach "
                       "bleeding. The chance is higher if you take a blood thinning (anticoagulant) or steroid drug.")
    assert risk_list_excerpt(before, risk, lambda text: "lithium" in text) is None
    assert risk_list_excerpt(before, "Do not use if you are allergic to aspirin.", lambda text: True) is None


def test_aspirin_for_someone_on_warfarin_quotes_the_stomach_bleeding_warning() -> None:
    # the real label's shape: the risk list starts the chunk after its warning
    from app.pipeline.compose import drug_facts_sentences

    text = ("The chance is higher if you: are age 60 or older take a blood thinning (anticoagulant) or steroid drug "
            "take more or for a longer time than directed Do not use if you are allergic to aspirin.")
    first, second = drug_facts_sentences(text)
    assert first.endswith("than directed.") and second.startswith("Do not use")


def test_etoh_is_alcohol() -> None:
    from app.pipeline.drink_words import asks_alcohol
    from app.pipeline.read_missed import ALCOHOL as ALCOHOL_TOPIC

    assert asks_alcohol("pt on metronidazol 400 tds asking re ETOH, advice?")
    assert ALCOHOL_TOPIC.asked("pt asking re EtOH with metronidazole")


def test_how_long_and_who_added_it_are_still_statements() -> None:
    assert bare_statement("I've been on sertraline 100mg for about a year for anxiety.", ["sertraline"])
    assert bare_statement("My GP has just added omeprazole for my reflux.", ["omeprazole"])
    assert not bare_statement("My GP has just added omeprazole, is that ok?", ["omeprazole"])


# -- the tenth tuning sitting (fresh10tune) ------------------------------------------------------------------


def test_missed_dose_said_without_the_word_dose() -> None:
    from app.pipeline.read_dose import missed_dose
    from app.pipeline.read_missed import MISSED_DOSE

    for said in ("It's 7pm and I just realised I never took the morning one. What do I do?",
                 "He missed the morning one. Should he take double tonight?",
                 "She slept through her evening dose and it's almost time for the morning one now.",
                 "usually take it at 8am. Just remembered at 10pm. Too late?"):
        assert MISSED_DOSE.asked(said) and missed_dose(said), said
    assert not MISSED_DOSE.asked("I never took ibuprofen before, is it safe?")
    assert not MISSED_DOSE.asked("I just remembered I'm allergic to penicillin")
    # a label line saying not to double the next dose speaks of the missed dose
    assert MISSED_DOSE.label_speaks(["Advise patients not to double up the next dose."])


def test_a_transplant_is_no_liver_or_kidney_disease_and_expecting_is_pregnancy() -> None:
    from app.pipeline.read_cues import conditions_in

    assert not {"liver", "kidney"} & {c.name for c in conditions_in("I'm on mycophenolate after my liver transplant")}
    assert "kidney" not in {c.name for c in conditions_in("I had a kidney transplant in 2019")}
    assert "kidney" in {c.name for c in conditions_in("my kidney function is down, CKD 3")}
    assert "pregnancy" in {c.name for c in conditions_in("Just found out I'm expecting, maybe 7 weeks along.")}
    assert "pregnancy" not in {c.name for c in conditions_in("I'm expecting a call from the GP")}


def test_alpha_blockers_are_a_class_labels_name() -> None:
    from app.records.interactions import classes_in

    assert classes_in("Caution is advised when tadalafil is used in men taking alpha-blockers.") == {"alpha_blocker"}
    assert "alpha_blocker" in classes_in("PDE5 inhibitors and alpha-adrenergic blocking agents are vasodilators")
    assert "alpha_blocker" not in classes_in("dupilumab is an interleukin-4 receptor alpha antagonist")


def test_a_salt_named_alone_is_the_substance() -> None:
    from app.records.interactions import name_pattern

    pattern = name_pattern(["calcium"])
    assert pattern is not None and pattern.search("antacids containing aluminum, calcium, or magnesium")
    warfarin = name_pattern(["Warfarin Sodium"])
    assert warfarin is not None and warfarin.pattern == r"\b(?:warfarin)\b"


def test_dig_with_a_dose_is_digoxin() -> None:
    from app.pipeline.lexicon import MedicineLexicon
    from indexing.store import MedicineEntry

    lexicon = MedicineLexicon([MedicineEntry("digoxin", "Digoxin", (), "en", "", ("dosage",))],
                              is_known_word=lambda word: True)
    assert [m.medicine_id for m in lexicon.find("pt on amio 200 qd, dig 0.125 qd started")] == ["digoxin"]
    assert lexicon.find("can you dig into why it happens") == []


def test_wanting_to_take_a_medicine_beside_one_taken_is_about_taking_it() -> None:
    from app.records.mag import TAKING_CUE

    assert TAKING_CUE.search("He wants to take Aleve for his arthritis because Tylenol doesn't touch it.")
    assert TAKING_CUE.search("My GP wants to start allopurinol for gout. Does the transplant team need to change "
                             "anything?")
    assert TAKING_CUE.search("His old doctor had him on potassium tablets too. Is that ok?")


def test_the_other_one_after_naming_a_form_is_the_medicine_of_another_form() -> None:
    from app.pipeline.context import build_context, resolve_focus
    from app.pipeline.lexicon import MedicineLexicon
    from app.pipeline.state import Turn
    from indexing.store import MedicineEntry

    lexicon = MedicineLexicon([MedicineEntry("fluticasone-nasal", "Fluticasone Propionate Nasal", (), "en", "",
                                             ("warnings",)),
                               MedicineEntry("montelukast", "Montelukast", (), "en", "", ("warnings",))],
                              is_known_word=lambda word: True)
    dialogue = [Turn("user", "The allergist gave me two things: a fluticasone nose spray and montelukast tablets."),
                Turn("assistant", "Okay."),
                Turn("user", "I've used the spray before, no problem. The other one - does it cause nightmares?")]
    focus = resolve_focus(dialogue[-1].content, build_context(dialogue, lexicon), 2)
    assert [m.medicine_id for m in focus.chosen] == ["montelukast"]
    # "the other one, the tablet": the form said beside it is the one meant
    dialogue[0] = Turn("user", "My daughter uses a fluticasone nose spray and my son takes montelukast tablets.")
    dialogue[2] = Turn("user", "The other one, the tablet, I heard it can mess with kids' moods. What to watch for?")
    focus = resolve_focus(dialogue[-1].content, build_context(dialogue, lexicon), 2)
    assert [m.medicine_id for m in focus.chosen] == ["montelukast"]


def test_my_relative_with_an_age_between_is_still_a_relative() -> None:
    from app.pipeline.context import Owner, question_owner

    assert question_owner("My 80 year old father is on warfarin, can he take Aleve?") is Owner.RELATIVE


def test_a_second_dose_handed_over_is_too_much_taken() -> None:
    from app.pipeline.ingestion import too_much_taken

    assert too_much_taken("Took my levothyroxine 100 this morning, then my husband handed me another one with "
                          "breakfast and I swallowed it. Will I be ok?")
    assert too_much_taken("took my amlodipine 10 this morning then forgot and took another at lunch")
    assert not too_much_taken("I took amoxicillin last week and then my doctor gave me another antibiotic")
    assert not too_much_taken("I take metformin and I had another question")


def test_dairy_beside_coffee_asks_about_food_not_caffeine() -> None:
    from app.pipeline.read_missed import CAFFEINE

    assert not CAFFEINE.asked("Can I take it with my morning yogurt and milky coffee?")
    assert CAFFEINE.asked("Can I drink coffee with it?")


def test_cheese_is_read_as_tyramine_and_a_gastric_sleeve_as_rapid_weight_loss() -> None:
    from app.pipeline.read_cues import question_expansions

    assert "tyramin" in question_expansions("Is it true I can't have cheese and wine anymore?")  # stems
    assert {"rapid", "weight", "loss"} <= question_expansions("surgeon gave it to me after my gastric sleeve")  # stems


def test_nitro_tablets_are_nitroglycerin() -> None:
    from app.pipeline.abbreviations import CLINICIAN_SHORTHAND

    assert CLINICIAN_SHORTHAND["nitro tablets"] == "nitroglycerin"


def test_what_is_given_to_a_child_is_asked_whoever_owns_it() -> None:
    from app.pipeline.distill import RuleDistiller
    from app.pipeline.lexicon import MedicineLexicon
    from app.pipeline.state import Turn
    from indexing.store import MedicineEntry

    lexicon = MedicineLexicon(
        [MedicineEntry("acetaminophen", "Acetaminophen", ("paracetamol",), "en", "", ("dosage", "warnings")),
         MedicineEntry("acetaminophen-and-codeine", "Acetaminophen and Codeine Phosphate", ("Tylenol with Codeine",),
                       "en", "", ("dosage", "contraindications"))],
        is_known_word=lambda word: True)
    question = ("My 10 year old had his tonsils out and the hospital sent us home with paracetamol. My mum has some "
                "Tylenol with codeine, can I give him half of one of those tonight?")
    d = RuleDistiller().distill([Turn("user", question)], lexicon)
    assert [q.medicine for q in d.queries] == ["acetaminophen-and-codeine"]


def _two_people_lexicon():  # type: ignore[no-untyped-def]
    from app.pipeline.lexicon import MedicineLexicon
    from indexing.store import MedicineEntry

    return MedicineLexicon(
        [MedicineEntry("metformin", "Metformin", ("二甲双胍",), "en", "", ("dosage",), classes=("Biguanide [EPC]",)),
         MedicineEntry("glimepiride", "Glimepiride", ("格列美脲",), "en", "", ("dosage",),
                       classes=("Sulfonylurea [EPC]",))],
        is_known_word=lambda word: True)


def test_my_medicine_of_a_kind_is_mine_not_my_husbands() -> None:
    from app.pipeline.distill import RuleDistiller
    from app.pipeline.state import Turn

    lexicon = _two_people_lexicon()
    dialogue = [Turn("user", "My husband takes metformin and I take glimepiride."), Turn("assistant", "Okay."),
                Turn("user", "Should I take my diabetes pill before breakfast or with it?")]
    assert [q.medicine for q in RuleDistiller().distill(dialogue, lexicon).queries] == ["glimepiride"]
    dialogue[-1] = Turn("user", "Should he take his diabetes pill with food?")
    assert [q.medicine for q in RuleDistiller().distill(dialogue, lexicon).queries] == ["metformin"]


def test_the_one_i_take_now_and_my_current_one_are_the_users() -> None:
    from app.pipeline.context import _WANT_SELF
    from app.records.mag import TAKING_CUE

    assert _WANT_SELF.search("我现在吃的这个药跟它一起吃要注意什么？")
    assert _WANT_SELF.search("What should I watch for taking it with my current one?")
    assert TAKING_CUE.search("What should I watch for taking it with my current one?")


def test_a_typo_of_another_countrys_generic_name_resolves() -> None:
    from app.pipeline.lexicon import MedicineLexicon
    from indexing.store import MedicineEntry

    lexicon = MedicineLexicon([MedicineEntry("acetaminophen", "Acetaminophen", (), "en", "", ("dosage",))],
                              is_known_word=lambda word: False, synonyms={"paracetamol": "acetaminophen"})
    assert [(m.medicine_id, m.how) for m in lexicon.find("whats the most paracetomol i can take")] == [
        ("acetaminophen", "fuzzy")]


def test_how_long_with_number_words_and_as_well_are_statements() -> None:
    assert bare_statement("I've been on lisinopril 10 mg for my blood pressure for about five years.", ["lisinopril"])
    assert bare_statement("The doctor just started me on atorvastatin 40mg as well.", ["atorvastatin"])
    assert not bare_statement("I take ibuprofen as well, is that ok?", ["ibuprofen"])
