"""Readings an out-of-hours advice line and a health forum showed (session 26): a second dose told as "taken another
one ... forgot he'd already had it", a toddler and a tablet missing from the strip, 又吃了一片 and the Cantonese
食咗兩次 are too much taken; "do I need another one?" after a dose vomited is asked, not done; the everyday name of a
kind of pill after a product names its kind; the asked medicine stays when a turn names more than the reader reads; a
medicine "I don't take" is not taken; what a friend gave the user is the user's to take; the lay words for angioedema,
a slow pulse, fainting and yellow vision are the label's."""

from __future__ import annotations

import re

import pytest

from app.pipeline.context import MedStatus, Owner, build_context
from app.pipeline.distill import RuleDistiller
from app.pipeline.ingestion import someone_swallowed, too_much_taken
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.read_cues import _TRIAL_DESIGN, question_expansions, trial_design
from app.pipeline.state import Turn
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "interactions", "warnings"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        _entry("ulipristal-acetate", "Ulipristal Acetate", "ellaOne", "ella"),
        _entry("levonorgestrel", "Levonorgestrel", "morning after pill"),
        _entry("ramipril", "Ramipril"),
        _entry("amlodipine", "Amlodipine", "amlo"),
        _entry("metformin", "Metformin"),
        _entry("nitroglycerin", "Nitroglycerin", "GTN"),
        _entry("sildenafil", "Sildenafil", "Viagra"),
        _entry("tramadol", "Tramadol", "曲马多"),
        _entry("divalproex-sodium", "Divalproex Sodium", "丙戊酸钠"),
    ], is_known_word=lambda word: False)


def _dialogue(*turns: str) -> list[Turn]:
    return [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]


@pytest.mark.parametrize("told", [
    "He's just taken another one at 11pm because he forgot he'd already had it at breakfast. So two 10s today.",
    "他晚上十点多又吃了一片，说忘了早上吃过没有。一天吃两片会不会有危险？",
    "佢今日唔記得自己食咗，又食多一次，即係食咗兩次。使唔使去急症室？",
    "Should I take another one? I took one at 8 and then took another at 9",
])
def test_a_second_dose_told_is_too_much_taken(told: str) -> None:
    assert too_much_taken(told)


@pytest.mark.parametrize("asked", [
    "I took the ellaOne morning after pill at half 9 and I've just been sick, like 2 hours later. Does it still work "
    "or do I need another one??",
    "我每天吃一片氨氯地平，又吃了一片钙片可以吗？",
    "Can I take another one if the pain comes back?",
])
def test_a_dose_asked_about_or_another_product_is_no_overdose(asked: str) -> None:
    assert not too_much_taken(asked)


@pytest.mark.parametrize("told", [
    "We found one of his tablets missing from the strip and powder round her mouth. Is one tablet dangerous for a "
    "toddler?",
    "my 3 year old climbed up on the worktop and got into the medicine cupboard",
    "护士你好，我孙子三岁，刚才趁我不注意把我的降糖药吃了一片。",
])
def test_a_child_at_someone_elses_tablets_swallowed_them(told: str) -> None:
    assert someone_swallowed(told)


def test_the_kind_of_pill_after_a_product_names_its_kind(lexicon: MedicineLexicon) -> None:
    found = lexicon.find("I took the ellaOne morning after pill at about half 9 tonight")
    assert [m.medicine_id for m in found] == ["ulipristal-acetate"]
    assert [m.medicine_id for m in lexicon.find("Is the morning after pill safe?")] == ["levonorgestrel"]


def test_the_asked_medicine_stays_when_the_turn_names_more_than_are_read(lexicon: MedicineLexicon) -> None:
    question = ("M 58, T2D + high BP. On ramipril 10, amlo 5 and metformin. I don't take any GTN or nitrate spray. "
                "Is Viagra actually a problem with BP tabs like these?")
    context = build_context(_dialogue(question), lexicon)
    assert {m.medicine_id: m.status for m in context.medicines}["nitroglycerin"] is MedStatus.STOPPED
    d = RuleDistiller().distill(_dialogue(question), lexicon)
    asked = [q.medicine for q in d.queries]
    # (four medicines are read at most: the fifth name, the one asked about, stays; the one not taken goes)
    assert "sildenafil" in asked
    assert "nitroglycerin" not in asked


def test_what_a_friend_gave_the_user_is_the_users(lexicon: MedicineLexicon) -> None:
    said = "本人癫痫，吃丙戊酸钠控制得还可以。腰扭了，朋友给了我几片曲马多，我能吃吗？"
    context = build_context(_dialogue(said), lexicon)
    assert {m.medicine_id: m.owner for m in context.medicines}["tramadol"] is Owner.USER
    d = RuleDistiller().distill(_dialogue(said), lexicon)
    assert "tramadol" in {q.medicine for q in d.queries}


@pytest.mark.parametrize(("said", "word"), [
    ("Her lips have swollen up really big tonight and her tongue feels thick", "angioedema"),
    ("her pulse was only 48 when I checked", "bradycardia"),
    ("she nearly passed out on the way to the loo", "syncope"),
    ("everything looks a bit yellow", "visual"),
    ("every time she gets up out of the chair she goes dizzy", "orthostat"),
])
def test_lay_words_for_serious_effects_get_the_labels_words(said: str, word: str) -> None:
    assert any(t.startswith(word[:6]) for t in question_expansions(said))


def test_highlight_bullets_count_as_warnings_headings() -> None:
    from app.pipeline.warned_symptom import warned_symptom

    warnings = ("Cholinesterase inhibitors may have vagotonic effects on the sinoatrial and atrioventricular nodes "
                "manifesting as bradycardia or heart block ( 5.2 ) Donepezil can cause vomiting ( 5.3 )")
    assert warned_symptom("her pulse was only 48, could it be the tablet?", warnings)
    assert not warned_symptom("her pulse was only 48, could it be the tablet?", "Use with caution in asthma.")


@pytest.mark.parametrize("sentence", [
    "In placebo-controlled trials, 5.7% of patients discontinued because of an adverse reaction.",
    "Of the 1,200 patients, 52% were female and 80% were white.",
    "At baseline, renal function was normal.",
    "No suicides occurred in any of the pediatric trials.",
    "Take one tablet daily with food.",
    "Randomised treatment was given for 12 weeks.",
])
def test_the_trial_design_words_screen_never_changes_the_answer(sentence: str) -> None:
    assert trial_design(sentence) == (_TRIAL_DESIGN.search(sentence) is not None)


def test_a_class_members_answer_is_remembered_per_lexicon() -> None:
    from app.pipeline.class_question import ClassAsked, _find_members, members

    lex = MedicineLexicon([_entry("atorvastatin", "Atorvastatin"), _entry("simvastatin", "Simvastatin"),
                           _entry("nystatin", "Nystatin")])
    asked = ClassAsked("statin", False, "statins")
    first = members(asked, lex)
    assert first == _find_members(asked, lex, None, 5) or first == _find_members(asked, lex, None, len(first))
    first.append("changed by the caller")
    assert "changed by the caller" not in members(asked, lex)
    assert re.search("nystatin", " ".join(members(asked, lex))) is None


def test_a_vitamin_named_by_its_chemical_name_is_found_by_the_vitamin() -> None:
    from app.pipeline.product_words import label_words

    assert "vitamin b12" in label_words("cyanocobalamin")
    assert "vitamin k" in label_words("phytonadione")


def test_an_asthma_attack_after_a_medicine_is_a_sensitivity_not_an_ask() -> None:
    lex = MedicineLexicon([_entry("aspirin", "Aspirin"), _entry("naproxen", "Naproxen")])
    d = RuleDistiller().distill(_dialogue(
        "Years ago I had a really bad asthma attack after taking aspirin. My friend says naproxen is fine because "
        "it's not aspirin. Is it?"), lex)
    assert [q.medicine for q in d.queries] == ["naproxen"]


def test_taking_a_relatives_medicine_asks_it_beside_what_he_takes() -> None:
    lex = MedicineLexicon([_entry("clopidogrel", "Clopidogrel"), _entry("omeprazole", "Omeprazole")])
    d = RuleDistiller().distill(_dialogue(
        "My dad had stents last year and is on clopidogrel. My mum's been on omeprazole for her stomach for years.",
        "OK", "His stomach has been playing up. Can he just take some of mum's omeprazole?"), lex)
    assert [(q.medicine, q.attribute) for q in d.queries][:1] == [("omeprazole", "interactions")]


@pytest.mark.parametrize(("question", "section"), [
    ("My GP prescribed gabapentin. What is it actually licensed for?", "indications"),
    ("Found a peach coloured tablet on the floor, long shaped with 10 MG on it. Could it be zolpidem?",
     "dosage_forms"),
])
def test_cue_words_of_what_it_is_for_and_what_it_looks_like(question: str, section: str) -> None:
    from app.pipeline.attributes import classify_attribute

    found = classify_attribute(question).attribute
    assert found is not None and found.value == section


@pytest.mark.parametrize(("said", "word"), [
    ("a red blotchy rash came up on my chest", "rash"),
    ("I'm starving all the time", "appetit"),
    ("put on half a stone since starting", "weight"),
])
def test_lay_words_for_rashes_appetite_and_weight(said: str, word: str) -> None:
    assert word in question_expansions(said)


def test_a_chunks_clearly_better_third_sentence_is_not_held_back() -> None:
    from app.pipeline.read import _clearly_better, _Scored, _Sentence

    def scored(chunk: str, score: float) -> _Scored:
        sentence = _Sentence("albuterol", "storage", chunk, 0, 0, f"{chunk} {score}", frozenset(), None)
        return _Scored(sentence, score, score)

    third = scored("storage-1", 5.5)
    assert _clearly_better(third, [scored("indications-1", 3.9)])
    assert not _clearly_better(third, [scored("indications-1", 5.0)])
    assert not _clearly_better(third, [])


def test_a_symptom_since_a_dose_change_asks_the_effect_not_the_dose() -> None:
    lex = MedicineLexicon([MedicineEntry("atorvastatin", "Atorvastatin", (), "en", "",
                                         ("dosage", "adverse_reactions", "warnings"))])
    d = RuleDistiller().distill(_dialogue(
        "At my check-up 3 weeks ago they bumped my atorvastatin to 80mg and since then both my thighs ache like "
        "I've run a marathon. Is that the higher dose?"), lex)
    assert d.queries[0].attribute == "adverse_reactions"


def test_a_highlights_sentences_dose_words_name_no_warned_symptom() -> None:
    from app.pipeline.warned_symptom import heading_words

    words = heading_words("Worsening angina and acute myocardial infarction can develop after starting or increasing "
                          "the dose of amlodipine besylate tablets ( 5.2 )")
    assert "angina" in words and not {"dose", "start", "develop", "tablet"} & words


def test_a_toddler_who_got_hold_of_tablets_swallowed_them() -> None:
    assert someone_swallowed("my 2 year old got hold of my iron tablets, maybe 3 gone from the pack. what do i do")


@pytest.mark.parametrize("sentence", [
    "Monitor for the development of infection and consider prednisolone withdrawal or dosage reduction as needed.",
    "For patients on chronic therapy who develop systemic fungal infections, withdrawal is recommended.",
])
def test_a_stop_for_an_infection_is_no_answer_to_stopping_now(sentence: str) -> None:
    from app.pipeline.read_cues import stops_for_an_event

    assert stops_for_an_event(sentence)
    assert not stops_for_an_event("If after long term therapy the drug is to be stopped, it is recommended that it be "
                                  "withdrawn gradually rather than abruptly.")


def test_a_chinese_clause_saying_a_medicine_is_taken_makes_it_the_users_own() -> None:
    from app.pipeline.read_cues import own_medicines

    pair = [("warfarin", "华法林"), ("ibuprofen", "布洛芬")]
    assert own_medicines("我在吃华法林，能吃布洛芬吗？", pair) == {"warfarin"}
    # (every medicine named is taken: none is the new one)
    one = [("ibuprofen", "布洛芬"), ("ibuprofen", "芬必得")]
    assert own_medicines("能吃布洛芬吗？我膝盖疼，经常吃芬必得。", one) == set()


def test_the_right_strength_asked_after_a_dose_told_is_still_a_dose_question() -> None:
    lex = MedicineLexicon([MedicineEntry("rizatriptan", "Rizatriptan", ("Maxalt",), "en", "",
                                         ("dosage", "adverse_reactions", "interactions"))])
    d = RuleDistiller().distill(_dialogue(
        "I take 80mg every day to prevent migraines. The neurologist has now added Maxalt. I've got the 10mg melts. "
        "Is that the right strength for me?"), lex)
    assert d.queries[0].attribute != "adverse_reactions"


def test_that_is_everything_is_a_goodbye(lexicon: MedicineLexicon) -> None:
    from app.pipeline.small_talk import TalkKind, classify

    assert classify("cheers, that's everything", lexicon) in (TalkKind.THANKS, TalkKind.FAREWELL)
