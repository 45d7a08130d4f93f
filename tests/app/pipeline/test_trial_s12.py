"""Session 12's new-user trial (helper 106): a which-medicine question after medicines (or a product the
database lacks) were said is a new question; Chinese "吃什么退烧药" asks which medicine; a self-care list drops
medicines only given by injection; "st johns wort" is the label's "St. John's Wort"."""

from __future__ import annotations

from app.pipeline.distill import RuleDistiller, _possessive_optional
from app.pipeline.indication_search import asks_self_care, asks_which_medicine, condition_asked
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from indexing.store import MedicineEntry


def _lexicon() -> MedicineLexicon:
    return MedicineLexicon([MedicineEntry("levothyroxine", "Levothyroxine", (), "en", "", ("dosage", "interactions")),
                            MedicineEntry("warfarin", "Warfarin", (), "en", "", ("dosage", "interactions"))],
                           extra_drug_names=["calcium carbonate", "calcium"])


def _distill(*said: str):  # type: ignore[no-untyped-def]
    dialogue: list[Turn] = []
    for text in said:
        dialogue += [Turn("user", text), Turn("assistant", "Okay.")]
    return RuleDistiller().distill(dialogue[:-1], _lexicon())


def test_a_which_medicine_question_after_a_missing_product_is_a_new_question() -> None:
    d = _distill("I take levothyroxine every morning",
                 "My GP just added calcium tablets. Do I space them apart from the thyroid one?",
                 "what can i take for hay fever? i drive a lorry so nothing that makes me drowsy")
    assert d.indication_search == "hay fever" and not d.unknown_drugs, d
    d = _distill("I take levothyroxine every morning", "what can i take for hay fever?")
    assert d.indication_search == "hay fever" and not any(q.medicine for q in d.queries), d


def test_a_which_medicine_question_taking_the_earlier_medicine_along_checks_the_list_against_it() -> None:
    d = _distill("I'm on warfarin", "what can I take for a headache that is safe with it?")
    assert d.indication_search == "headache" and d.taking == ("warfarin",), d


def test_chinese_which_fever_reducer_asks_which_medicine_for_fever() -> None:
    assert asks_which_medicine("孩子发烧38.5度，可以吃什么退烧药？")
    assert condition_asked("孩子发烧38.5度，可以吃什么退烧药？") == "发烧"
    assert condition_asked("可以吃什么退烧药？") in ("发烧", "退烧")  # the glossary knows both
    assert asks_self_care("可以吃什么止痛药？")
    assert not asks_which_medicine("什么时候吃药最好？")


def test_st_johns_wort_is_said_as_the_label_writes_it() -> None:
    import re

    pattern = re.compile(r"\b" + r"\W+".join(map(_possessive_optional, "st johns wort".split())) + r"\b", re.I)
    assert pattern.search("tryptophan, and St. John's Wort) increases the risk")
    assert pattern.search("st johns wort")
    assert _possessive_optional("is") == "is"


def test_a_dose_taken_twice_because_she_forgot_she_had_it_is_too_much_not_a_missed_dose() -> None:
    from app.pipeline.ingestion import someone_swallowed  # noqa: F401  (the module's hypothetical guard)
    from app.pipeline.read_cues import _TOO_MUCH
    from app.pipeline.read_missed import asks_missed_dose

    q = "She took her digoxin twice today, once in the morning and again at lunch because she forgot she'd had it."
    assert _TOO_MUCH.search(q) and not asks_missed_dose(q)
    assert asks_missed_dose("I forgot my metformin this morning, should I take it now?")


def test_skipping_tablets_for_a_scan_with_contrast_is_no_missed_dose_and_reads_the_imaging_sentence() -> None:
    from app.pipeline.read_cues import question_expansions
    from app.pipeline.read_missed import asks_missed_dose

    q = ("My father takes Glycomet 500 twice daily. He has a CT scan with contrast dye on Monday. "
         "Should he skip the tablets?")
    assert not asks_missed_dose(q)
    assert "iodin" in question_expansions(q)  # stems
    assert asks_missed_dose("I skipped a tablet yesterday, do I take two today?")


def test_an_ing_word_in_a_drug_slot_is_no_missing_medicine() -> None:
    lexicon = _lexicon()
    lexicon.is_known_word = lambda word: False  # every word unknown to the labels: only the -ing rule keeps it out
    assert not [m for m in lexicon.find("he works outdoors on building sites") if m.how == "unknown"]


def test_coming_off_one_and_going_onto_another_is_a_switch() -> None:
    from app.pipeline.context import MedStatus, switch_status, switched_from

    clause = "My GP wants me to come off citalopram and go onto sertraline"
    assert switched_from(clause).strip() == "citalopram"
    assert switch_status(clause, "sertraline") is MedStatus.NEW


def test_tablet_counts_from_a_label_of_another_strength_get_a_notice() -> None:
    from app.pipeline.read_strength import strength_notice, strengths_said

    label = "Active ingredient (in each tablet) Acetaminophen 325 mg. Do not take more than 4,000 mg in 24 hours."
    quote = "take 2 tablets every 4 to 6 hours; do not take more than 10 tablets in 24 hours"
    assert strengths_said("taking dolo 650 for fever since 2 days, can i take 4 tablets?") == {650.0}
    assert strengths_said("I've had it since 2019, the 500mg ones") == {500.0}
    assert strengths_said("我吃的是500毫克的") == {500.0}
    assert "650 mg" in strength_notice("dolo 650, 4 tablets a day ok?", [("Acetaminophen", quote, label)], "en")
    assert strength_notice("how many 325 mg tylenol a day?", [("Acetaminophen", quote, label)], "en") == ""
    assert strength_notice("how many tylenol a day?", [("Acetaminophen", quote, label)], "en") == ""
    # a quote giving no count of tablets needs no notice
    assert strength_notice("panadol 500 and alcohol?", [("Acetaminophen", "Liver warning.", label)], "en") == ""


def test_a_reaction_to_the_other_medicine_is_not_what_happens_when_taking_it() -> None:
    from app.pipeline.read_partner import ASKS_ALLERGY, reaction_to_partner

    assert reaction_to_partner("Ibuprofen tablets should not be given to patients who have experienced asthma, "
                               "urticaria, or allergic-type reactions after taking aspirin or other NSAIDs.")
    assert reaction_to_partner("Do not use if you are allergic to aspirin.")
    assert not reaction_to_partner("Concomitant use with aspirin increases the risk of serious bleeding.")
    assert ASKS_ALLERGY.search("I'm allergic to aspirin, can I take ibuprofen?")
    assert not ASKS_ALLERGY.search("I take low dose aspirin every day. Can I take ibuprofen?")


def test_a_class_both_medicines_are_in_names_the_partner_only_as_another_one() -> None:
    import re

    from app.pipeline.read import _only_others_of_shared, _PartnerPatterns

    nsaids = re.compile(r"\b(?:NSAIDs?|nonsteroidal anti-inflammatory drugs?)\b", re.IGNORECASE)
    aspirin = re.compile(r"\baspirin\b", re.IGNORECASE)
    partner = _only_others_of_shared(_PartnerPatterns((aspirin, nsaids), None, aspirin), {nsaids})
    assert not partner.names_in("NSAID use increased the risk of MI, hospitalization for heart failure, and death.")
    assert partner.names_in("Avoid the use of ibuprofen with other NSAIDs.")
    assert partner.names_in("interference with the antiplatelet activity of aspirin")
    assert _only_others_of_shared(_PartnerPatterns((aspirin, nsaids), None, aspirin), set()).names_in("NSAID use")


def test_what_its_for_ends_its_sentence_and_forgetting_to_ask_is_no_missed_dose() -> None:
    from app.pipeline.attributes import classify_attribute
    from app.pipeline.read_missed import asks_missed_dose

    q = "Endo has started me on cabergoline twice a week. What's it actually for? I forgot to ask."
    assert classify_attribute(q).attribute is not None and classify_attribute(q).attribute.value == "indications"
    assert not asks_missed_dose(q)


def test_a_jab_is_any_injection_and_rehab_is_no_medicine() -> None:
    lexicon = MedicineLexicon([MedicineEntry("semaglutide", "Semaglutide", ("WEGOVY",), "en", "", ("dosage",))])
    assert [(m.surface, m.medicine_id) for m in lexicon.find("I do my Wegovy jab on Sundays")] == [
        ("wegovy", "semaglutide")]
    assert [m.medicine_id for m in lexicon.find("had my flu jab")] == [None]
    assert not lexicon.find("My brother came out of rehab last week")


def test_smoking_is_a_stated_condition() -> None:
    from app.pipeline.read_cues import conditions_in

    assert "smoking" in [c.name for c in conditions_in("I'm 38 and I smoke about ten a day. Can I go on Yaz?")]
    assert "smoking" not in [c.name for c in conditions_in("Can I take it for smoke inhalation cough?")]


def test_a_chinese_pregnancy_planned_is_pregnancy_and_its_baby_no_child() -> None:
    from app.pipeline.attributes import classify_attribute
    from app.pipeline.zh_sections import topic_sections

    q = "我们最近打算要二胎，如果怀上了，这个药还能继续吃吗？对宝宝影响大不大？"
    scores = classify_attribute(q).scores
    assert "pregnancy" in scores and "pediatric" not in scores, scores
    assert topic_sections(q, None)[0] == "pregnancy"
    assert "pediatric" in classify_attribute("宝宝能吃吗？").scores


def test_her_tablet_is_the_daughters_when_the_husband_takes_another() -> None:
    from app.pipeline.context import build_context

    lexicon = MedicineLexicon([MedicineEntry("metoprolol", "Metoprolol", (), "en", "", ("warnings",)),
                               MedicineEntry("methylphenidate", "Methylphenidate", ("Concerta",), "en", "",
                                             ("warnings",))])
    q = ("My husband takes metoprolol for his blood pressure and our 15 year old daughter just started Concerta "
         "for ADHD. Could her tablet push up her own blood pressure or heart rate?")
    people = {m.medicine_id: m.person for m in build_context([Turn("user", q)], lexicon).medicines}
    assert people == {"metoprolol": "husband", "methylphenidate": "daughter"}
    d = RuleDistiller().distill([Turn("user", q)], lexicon)
    assert {q.medicine for q in d.queries} == {"methylphenidate"}, d


def test_running_out_is_stopping_and_a_first_dose_asks_no_dose() -> None:
    from app.pipeline.attributes import classify_attribute
    from app.pipeline.read_cues import conditions_in, question_expansions

    q = "I've run out of baclofen and the surgery can't do a repeat till Monday. Is it ok to just go without?"
    assert "stopping" in [c.name for c in conditions_in(q)]
    assert "abrupt" in question_expansions(q)
    first = "Prescribed prazosin for PTSD nightmares, first dose is tonight. Anything I should know?"
    assert "dosage" not in classify_attribute(first).scores and "syncop" in question_expansions(first)


def test_which_medicine_for_someone_who_takes_one_lists_and_carries_what_they_take() -> None:
    d = RuleDistiller().distill([Turn("user", "I'm on warfarin, what can I take for a headache?")], _lexicon())
    assert d.indication_search == "headache" and d.taking == ("warfarin",), d
    d = _distill("I take levothyroxine every morning", "what can i take for hay fever?")
    assert d.taking == ("levothyroxine",), d
    asked = RuleDistiller().distill([Turn("user", "What can I take for a headache? Is warfarin ok for that?")],
                                    _lexicon())
    assert not asked.indication_search and {q.medicine for q in asked.queries} == {"warfarin"}, asked


def test_a_listed_medicine_checked_against_one_taken_is_quoted_and_numbered_after_the_list() -> None:
    from app.pipeline.indication_search import Candidate, Caution, IndicationSearch
    from indexing.schema import Chunk

    def chunk(mid: str, attribute: str) -> Chunk:
        return Chunk(f"{mid}:{attribute}:0", mid, attribute, 0, "text", mid.title())

    found = [Candidate("acetaminophen", "Acetaminophen", chunk("acetaminophen", "indications"), "relieves headache"),
             Candidate("ibuprofen", "Ibuprofen", chunk("ibuprofen", "indications"), "relieves headache")]
    said = {("warfarin", "ibuprofen"): (chunk("warfarin", "interactions"), "NSAIDs increase the risk of bleeding.")}
    search = IndicationSearch(named_in=lambda index, label, other: said.get((label, other)))
    cautions = search.cautions(None, found, ["warfarin"])  # type: ignore[arg-type]
    assert cautions == [Caution("ibuprofen", "warfarin", said[("warfarin", "ibuprofen")][0],
                                "NSAIDs increase the risk of bleeding.")]
    result = IndicationSearch.answer("headache", found, [], cautions=cautions, names={"warfarin": "Warfarin"})
    assert [c.n for c in result.citations] == [1, 2, 3]
    assert '[3] Ibuprofen with Warfarin: Warfarin\'s label says: "NSAIDs increase the risk of bleeding."' in result.text


def test_a_list_for_someone_who_must_stay_awake_or_is_pregnant() -> None:
    from app.pipeline.list_conditions import (
        must_stay_awake,
        population_sentence,
        populations_said,
        warns_of_drowsiness,
    )
    from indexing.schema import Chunk

    assert must_stay_awake("what can i take for hay fever? i drive a lorry so nothing that makes me drowsy")
    assert must_stay_awake("a non-drowsy antihistamine please")
    assert not must_stay_awake("what can I take for hay fever?")
    sedating = [Chunk("c:warnings:0", "c", "warnings", 0, "When using this product you may get drowsy. Avoid alcohol.")]
    assert "you may get drowsy" in (warns_of_drowsiness(sedating) or "")
    assert warns_of_drowsiness([Chunk("l:warnings:0", "l", "warnings", 0, "Drowsiness was not observed.")]) is None
    assert populations_said("I'm 20 weeks pregnant and have a headache") == ["pregnancy"]
    text = ("If pregnant or breast-feeding, ask a health professional before use. It is especially important not "
            "to use ibuprofen at 20 weeks or later in pregnancy.")
    label = [Chunk("i:warnings:0", "i", "warnings", 0, text)]
    found = population_sentence("pregnancy", label)
    assert found is not None and found[1].startswith("It is especially important not to use ibuprofen")


def test_a_condition_the_complaint_states_when_the_question_asks_for_it() -> None:
    q = "I'm 20 weeks pregnant and have a pounding headache, what can I safely take for it?"
    assert asks_which_medicine(q) and condition_asked(q) == "headache"


def test_stopping_asked_of_a_label_with_no_word_on_stopping_gets_a_notice() -> None:
    from app.pipeline.read_missed import STOPPING, silent_topic, topics_asked

    q = "I've been on venlafaxine for a year and feel fine now. Can I just stop taking it?"
    assert STOPPING in topics_asked(q)
    silent = ["Consider possibly discontinuing the medication in patients whose depression is persistently worse, "
              "especially if these symptoms are severe, abrupt in onset.", "The starting dose is 75 mg/day."]
    assert silent_topic([STOPPING], "warnings", silent) is STOPPING
    speaks = [*silent, "Gradual reduction in the dose rather than abrupt cessation is recommended."]
    assert silent_topic([STOPPING], "warnings", speaks) is None
    assert STOPPING.strays(silent[0]) and STOPPING.astray_safety
    assert STOPPING in topics_asked("我吃舍曲林半年了，感觉好了，可以直接停药吗？")
    assert STOPPING not in topics_asked("since starting metformin ive had the runs every day, should i stop")
    assert STOPPING not in topics_asked("What are the side effects of venlafaxine?")


def test_which_medicine_for_someone_on_a_product_the_database_lacks_reads_the_list_for_its_name() -> None:
    import re

    from app.pipeline.list_conditions import named_in_label
    from indexing.schema import Chunk

    d = RuleDistiller().distill([Turn("user", "I'm on lithium for bipolar. What can I take for back pain?")],
                                _lexicon())
    assert d.indication_search == "back pain" and d.taking_absent == ("lithium",), d
    label = [Chunk("i:interactions:0", "i", "interactions", 0, "Lithium: NSAIDs have produced an elevation of plasma "
                   "lithium levels. Thus, when ibuprofen and lithium are administered concurrently, subjects should be "
                   "observed carefully for signs of lithium toxicity.")]
    found = named_in_label(re.compile(r"\blithium\b", re.I), label)
    assert found is not None and "lithium" in found[1]


def test_a_wifes_medicine_is_hers_and_a_jab_of_a_product_we_lack_is_missing() -> None:
    from app.pipeline.context import Owner, build_context

    lexicon = MedicineLexicon([MedicineEntry("rivaroxaban", "Rivaroxaban", ("Xarelto",), "en", "", ("warnings",)),
                               MedicineEntry("metoprolol", "Metoprolol", (), "en", "", ("warnings",))])
    owners = {m.medicine_id: m.owner for m in build_context(
        [Turn("user", "my wifes on xarelto. im on metoprolol.")], lexicon).medicines}
    assert owners == {"rivaroxaban": Owner.RELATIVE, "metoprolol": Owner.USER}
    assert [m.medicine_id for m in lexicon.find("What side effects does the RSV jab have?")] == [None]


def test_a_use_in_children_only_when_benefits_outweigh_is_a_safety_line_for_a_child_of_that_age() -> None:
    from app.pipeline.read_cues import age_ranges
    from app.pipeline.read_population import population_plan

    assert age_ranges("infancy and childhood to the age of 8 years") == [(0, 8)]
    q = "Doxycycline for my 6 year old with Lyme disease, is that ok for kids?"
    from app.pipeline.read_cues import conditions_in

    plan = population_plan(q, q, "pediatric", conditions_in(q), [], "en")
    assert plan is not None
    verdict = plan.verdict("warnings", "Use doxycycline in pediatric patients 8 years of age or less only when the "
                                       "potential benefits are expected to outweigh the risks.")
    assert verdict.safety and verdict.lead


def test_spacing_asked_reads_how_far_apart_and_a_line_on_these_agents_follows_its_row() -> None:
    from app.pipeline.read import _THESE_AGENTS
    from app.pipeline.read_cues import question_expansions

    assert "apart" in question_expansions("Can I just take them together with breakfast?")
    assert _THESE_AGENTS.search("Administer levothyroxine sodium tablets at least 4 hours apart from these agents.")


def test_chinese_asks_what_a_capsule_looks_like_and_whether_to_stop_for_a_rash() -> None:
    from app.pipeline.attributes import classify_attribute

    looks = classify_attribute("哈乐（坦索罗辛）的胶囊长什么样？我爸药盒里混了一些散装的胶囊，想认一下")
    assert looks.attribute is not None and looks.attribute.value == "dosage_forms"
    rash = classify_attribute("痛风，吃别嘌醇快三周了，这两天身上起了好多红疹子，还有点痒，要不要停药？")
    assert rash.attribute is not None and rash.attribute.value == "warnings"


def test_a_condition_said_before_the_kind_of_product_and_these_agents_leaning_back() -> None:
    from app.pipeline.whole_sentences import leans_back

    assert condition_asked("I drive a forklift at work. what hay fever tablet won't make me drowsy?") == "hay fever"
    assert condition_asked("any good headache pills?") == "headache"
    assert leans_back("Administer levothyroxine sodium tablets at least 4 hours apart from these agents.")


def test_a_drug_facts_list_item_gives_way_to_a_whole_sentence() -> None:
    from app.pipeline.indication_search import _LIST_ITEM

    assert _LIST_ITEM.match("Take a blood thinning (anticoagulant) or steroid drug have had stomach ulcers")
    assert not _LIST_ITEM.match("Ask a doctor or pharmacist before use if you are taking the blood thinning drug")


def test_the_effect_it_gives_me_stays_with_the_medicine_and_travel_sickness_is_motion_sickness() -> None:
    from app.pipeline.attributes import classify_attribute

    d = _distill("I take levothyroxine every morning", "what's good for the palpitations it gives me?")
    assert not d.indication_search and {q.medicine for q in d.queries} == {"levothyroxine"}, d
    assert classify_attribute("what's good for the diarrhoea it gives me?").attribute is not None
    assert condition_asked("his school says he needs something for travel sickness, what can he take?") == \
        "travel sickness"
