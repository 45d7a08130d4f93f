"""Readings a GP inbox and its clinics showed (session 22): a new medicine said as "going to take" is considered,
not taken, so the list told before is its partner; "Should they have?" takes nothing; "spacing advice?" is the
interactions; "with food or without?" asked before a story is the dose; "Is that the gel??" lays an effect at the
medicine's door; "I don't want to stop" is no stopping question. Chinese: 会影响INR吗 after a new antibiotic is the
interactions; 还来得及吗 asks when it may be taken; 开车去外地 is a trip, not driving; 女儿5岁 is a child; the
asking clause's topic before a story told after it; rinsing after an inhaled steroid; a temper laid at the
medicine's door; 吃X in a statement is taken."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.context import MedStatus, clause_status
from app.pipeline.distill import asking_cue_first
from app.pipeline.intent import IntentPrior
from app.pipeline.read_cues import question_expansions
from app.pipeline.read_missed import STOPPING
from app.pipeline.zh_sections import topic_of, topic_sections
from app.records.mag import TAKING_CUE


def test_going_to_take_a_medicine_is_taking_it_and_considering_it() -> None:
    assert TAKING_CUE.search("Anything I should avoid? Was going to take Nurofen.")
    assert TAKING_CUE.search("I was thinking of taking some Sudafed for it")
    assert clause_status("Was going to take Nurofen.", False) is MedStatus.CONSIDERED
    assert clause_status("I'm about to take my first dose", False) is MedStatus.CONSIDERED


@pytest.mark.parametrize("question", ["Nobody's ever sent me for an eye test. Should they have?",
                                      "Should they have told me about that?", "can he have?"])
def test_the_past_of_someone_elses_doing_takes_nothing(question: str) -> None:
    assert TAKING_CUE.search(question) is None


@pytest.mark.parametrize("question", ["Can I have a glass of wine with it?", "Can she get the vaccine?"])
def test_having_or_getting_something_still_takes_it(question: str) -> None:
    assert TAKING_CUE.search(question) is not None


@pytest.mark.parametrize(("question", "section"), [
    ("Pharmacist here. Pt on Tivicay 50 mg od, now starting calcium carbonate for osteoporosis. Spacing advice?",
     "interactions"),
    ("How should I space them out?", "interactions"),
    ("malarone for kenya - with food or without?", "dosage"),
    ("Is it taken with or without food?", "dosage"),
    ("Now his pillowcases have white patches all over them. Is that the gel??", "adverse_reactions"),
])
def test_the_cue_words_name_the_section(question: str, section: str) -> None:
    assert (guess := classify_attribute(question).attribute) is not None and guess.value == section, question


def test_a_story_told_after_the_ask_does_not_displace_it() -> None:
    prior = IntentPrior((("adverse_reactions", 0.84), ("dosage", 0.5)), ("adverse_reactions",), "model")
    moved = asking_cue_first("malarone for kenya - with food or without? it made me a bit sick last trip", prior)
    assert moved.asks[0] == "dosage"
    # a story told before the ask still needs the ask's cue to be one that overrides a told dose
    assert asking_cue_first("It made me sick last trip. Any advice?", prior) == prior


def test_not_wanting_to_stop_is_no_stopping_question() -> None:
    assert not STOPPING.asks.search("How long can I keep putting it on for? It's working well so I don't want "
                                    "to stop")
    assert STOPPING.asks.search("I feel fine now, can I stop my sertraline?")


@pytest.mark.parametrize(("question", "first"), [
    ("牙医给我开了阿莫西林，会影响INR吗？", "interactions"),
    ("医生开了利福平，会不会影响避孕药的效果？", "interactions"),
    ("前天晚上套套破了，现在大概过了50个小时，吃毓婷还来得及吗？", "dosage"),
    ("早上吃还是晚上吃比较好？她白天老是犯困", "dosage"),
    ("周末开车去外地，女儿5岁晕车，乘晕宁她能吃多少？", "dosage"),
    ("雾化完需要漱口吗？不漱口会怎么样？", "warnings"),
    # behaviour changed on it: the labels' warnings on behavioural abnormalities first, whatever the blame clause
    ("加量以后脾气特别大，还跟同学打架，以前不这样的。是药的问题吗？", "warnings"),
    ("换成开浦兰以后脾气变得特别暴躁，动不动就摔东西，会不会是药的原因？", "warnings"),
    ("现在我女儿14岁，医生给她开了氟西汀，她这个年纪一般从多少开始吃？", "dosage"),
    ("吃了以后头晕，能开车吗？", "warnings"),
])
def test_chinese_topics_name_the_section(question: str, first: str) -> None:
    assert topic_sections(question)[0] == first, (question, topic_sections(question))


def test_a_child_by_age_is_a_child_and_an_adult_daughter_is_not() -> None:
    assert (topic := topic_of("女儿5岁晕车，她能吃多少？")) is not None and topic.name == "child"
    assert topic_of("我女儿25岁，能吃吗") is None
    assert (topic := topic_of("儿子八个月发烧，美林吃多少")) is not None and topic.name == "child"


def test_a_person_said_anywhere_still_frames_the_asking_clause() -> None:
    assert topic_sections("我怀孕了，吃了以后恶心，会影响宝宝吗")[0] == "pregnancy"


def test_chinese_words_for_antibiotics_rinsing_and_temper_reach_the_labels_words() -> None:
    # (stems, as the reader matches them)
    assert "antibiot" in question_expansions("她吃抗生素会不会影响INR？")
    assert "rins" in question_expansions("雾化完需要漱口吗？")
    assert "aggress" in question_expansions("脾气特别大，还跟同学打架")


@pytest.mark.parametrize(("clause", "status"), [
    ("我52岁，痛风，还有高血压，吃氨氯地平。", MedStatus.CURRENT),
    ("每周一次甲氨蝶呤", MedStatus.CURRENT),
    ("能吃布洛芬吗？", MedStatus.ASKED),
    ("想吃布洛芬", MedStatus.CONSIDERED),
])
def test_a_chinese_statement_of_what_is_taken_is_taken(clause: str, status: MedStatus) -> None:
    assert clause_status(clause, clause.endswith("？")) is status


def test_asking_whether_to_take_an_extra_puff_is_no_overdose_told() -> None:
    from app.pipeline.ingestion import too_much_taken

    assert not too_much_taken("I'm on Advair. Wheezy right now, should I take an extra couple of puffs of it?")
    assert too_much_taken("I took an extra dose by mistake")
    assert too_much_taken("Should I take another one? I took one at 8 and then took another at 9")


@pytest.mark.parametrize(("question", "section"), [
    ("isotretinoin month 2 - can I give blood at the uni session?", "warnings"),
    ("Husband is on methotrexate for RA. Does HE need to use contraception? We'd like a baby next year.",
     "pregnancy"),
])
def test_giving_blood_and_a_baby_wanted_name_their_sections(question: str, section: str) -> None:
    assert (guess := classify_attribute(question).attribute) is not None and guess.value == section, question


def test_where_it_is_bought_is_no_cause() -> None:
    assert "adverse_reactions" not in classify_attribute("Back's gone. Can I take naproxen from the chemist?").scores
    assert classify_attribute("My ankles swelled up, is it from the tablets?").attribute is not None


@pytest.mark.parametrize("clause", ["My list: methotrexate 15 mg Saturdays, folic acid Mondays, lansoprazole.",
                                    "Regular meds - lansoprazole", "levothyroxine 100 mcg every morning"])
def test_a_list_of_ones_medicines_or_a_dose_told_is_taken(clause: str) -> None:
    assert clause_status(clause, False) is MedStatus.CURRENT


@pytest.mark.parametrize(("question", "words"), [
    ("isotretinoin month 2 - can I give blood at the uni session?", {"donat", "blood"}),
    ("Tretinoin cream at night; going skiing next week. Anything?", {"weather", "wind"}),
    ("Wheezy right now, should I take an extra couple of puffs of it?", {"acut", "rescu"}),
    ("sulfasalazine turned my pee orange", {"urin", "discolor"}),
    ("Does HE need to use contraception? We'd like a baby next year.", {"male", "reproduct"}),
    ("Doxycycline for malaria prevention - when do I start?", {"prophylaxi", "begin"}),
    ("She took her methotrexate every day this week; the doctor wrote weekly", {"error"}),
    ("My 8 year old has become really angry and tearful", {"neuropsychiatr"}),
])
def test_lay_words_reach_the_labels_words(question: str, words: set[str]) -> None:
    assert words <= question_expansions(question), question_expansions(question)


def test_a_product_told_as_taken_in_the_asking_sentence_is_not_what_is_asked() -> None:
    from app.pipeline.distill import _told_as_taken

    assert _told_as_taken("When's the best time of day, and I take calcium and iron too?", "calcium")
    assert not _told_as_taken("Any side effects from the shingles shot?", "shingles shot")


def test_what_to_do_after_each_dose_is_handling_it_not_its_amount() -> None:
    from app.pipeline.read_dose import asks_handling

    assert asks_handling("Trimbow: anything I should do after each dose?")
    assert asks_handling("Do I need to rinse my mouth after the inhaler?")
    assert not asks_handling("What's the dose after each meal?")


def test_a_dose_change_asked_reads_what_was_told_and_the_pill_is_estrogen() -> None:
    from app.pipeline.read_cues import asks_of_what_was_told

    assert asks_of_what_was_told("Will my lamotrigine dose need to change?")
    assert {"estrogen", "contracept"} <= question_expansions("I'm on lamotrigine and want to go on the combined pill.")


@pytest.mark.parametrize(("question", "sections"), [
    ("我兒子5歲，吃順爾寧咀嚼片兩個月了，最近晚上常常做惡夢哭醒，白天也很暴躁，跟這個藥有關係嗎？",
     ("warnings", "pediatric")),
    ("牙科医生咨询：患者女，70岁，服用福善美每周70mg已8年，需拔牙。下颌骨坏死风险如何？", ("warnings", "geriatric")),
    ("我妈72岁，吃氨氯地平脚踝肿，是不是药闹的", ("adverse_reactions", "geriatric")),
    ("我爸80岁，能吃布洛芬吗", ("geriatric", "dosage")),
])
def test_a_persons_age_beside_a_behaviour_or_a_risk_asked(question: str, sections: tuple[str, ...]) -> None:
    assert topic_sections(question)[:2] == sections


def test_a_temperature_said_is_no_number_to_match_and_a_storage_line_after_table_rows_is_whole() -> None:
    from app.pipeline.compose import label_sentences
    from app.pipeline.read_cues import said_temperatures

    assert said_temperatures("Hotel room in Spain is about 28 degrees. Is that OK?") == frozenset({"28"})
    assert said_temperatures("I take 28 tablets a month") == frozenset()
    text = ("Lovenox is available in two concentrations (see Tables 26 and 27 ). 150 mg/1 mL 15,000 IU 10 syringes "
            "Navy Blue 2915-01 Store at 25°C (77°F); excursions permitted to 15°C–30°C (59°F–86°F) [see USP "
            "Controlled Room Temperature]. Store in the original carton or packaging until ready to use.")
    assert "Store at 25°C (77°F); excursions permitted to 15°C–30°C (59°F–86°F)." in [s for _, s in
                                                                                      label_sentences(text)]


@pytest.mark.parametrize(("question", "section"), [
    ("78F, CrCl 28, on gabapentin 300 tid for PHN. Renal adjustment needed?", "dosage"),
    ("Does the dose need adjusting for her kidneys?", "dosage"),
    ("Is it just not working for me or does it take a while?", "pharmacology"),
    ("how often do i need eye checks on hydroxychlorquine", "warnings"),
])
def test_adjustments_onset_and_checks_name_their_sections(question: str, section: str) -> None:
    assert (guess := classify_attribute(question).attribute) is not None and guess.value == section, question


def test_a_models_lean_to_the_interactions_does_not_displace_a_chinese_topic() -> None:
    from app.pipeline.intent import with_zh_topic

    prior = IntentPrior((("interactions", 0.4), ("dosage", 0.2)), ("interactions",), "model-zh")
    assert with_zh_topic("布洛芬缓释胶囊能掰开吃吗", prior).asks[0] == "dosage"
    # the cue words' own ask still stays first
    cued = IntentPrior((("interactions", 0.4), ("dosage", 0.2)), ("interactions",), "model-zh")
    assert with_zh_topic("阿莫西林和钙片要隔多久吃", cued).asks[0] == "interactions"


def test_two_medicines_compared_are_read_each_for_itself() -> None:
    from app.pipeline.distill import _FOR_A_CONDITION, _SAFER
    from app.pipeline.read import _WHICH_OF_THEM

    assert _FOR_A_CONDITION.search("Is naproxen or ibuprofen better for period pain?")
    assert not _FOR_A_CONDITION.search("Which is safer for my stomach, naproxen or celecoxib?")
    assert _SAFER.search("Which is safer for my stomach, naproxen or celecoxib?")
    assert _WHICH_OF_THEM.search("Is naproxen or ibuprofen better for period pain?")
    assert not _WHICH_OF_THEM.search("Can I take naproxen with ibuprofen?")


def test_coffee_with_a_medicine_and_blood_pressure_treated() -> None:
    from app.pipeline.read_cues import conditions_in
    from app.pipeline.read_missed import CAFFEINE

    assert "dosage" in CAFFEINE.sections and CAFFEINE.asks.search("Can he have a coffee before exams?")
    assert "interactions" in classify_attribute("Can he have a coffee before exams?").scores
    assert "hypertension" in {c.name for c in conditions_in("I'm on amlodipine for blood pressure. Ok?")}
    assert "hypertension" not in {c.name for c in conditions_in("My blood pressure is low")}


def test_could_that_be_it_lays_the_story_at_the_medicines_door() -> None:
    q = "I've had a dry tickly cough for a month. The only new thing is lisinopril, could that be it?"
    assert classify_attribute(q).attribute is not None and classify_attribute(q).attribute.value == "adverse_reactions"
