"""Session 29: a question typed without its question mark, and a medication list pasted with nothing asked.

"I take metformin and lisinopril." ... "can I take ibuprofen" (texted, no "?") had read "I take ibuprofen" as a
statement that ibuprofen is taken, so no interaction with what the user takes was checked; a pasted list
("My meds:" and one line per medicine) with nothing asked was answered with an interaction check nobody asked for."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.class_reference import kinds_referred
from app.pipeline.context import MedStatus, Owner, _clauses, allergens_in, build_context, question_owner
from app.pipeline.distill import story_tail
from app.pipeline.indication_search import condition_asked
from app.pipeline.inn_spelling import InnSpellings
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.list_conditions import populations_said
from app.pipeline.read_dose import stopping_asked
from app.pipeline.read_missed import WITH_FOOD, silent_topic, topics_asked
from app.pipeline.small_talk import TalkKind, social_kind
from app.pipeline.state import Turn
from app.pipeline.statement import bare_statement
from app.pipeline.zh_sections import topic_sections
from indexing.schema import Attribute
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "interactions", "warnings"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        _entry("metformin", "Metformin"), _entry("lisinopril", "Lisinopril"), _entry("ibuprofen", "Ibuprofen"),
        _entry("warfarin", "Warfarin"), _entry("acetaminophen", "Acetaminophen", "paracetamol"),
        _entry("atorvastatin", "Atorvastatin"), _entry("levothyroxine", "Levothyroxine"),
    ], is_known_word=lambda word: False)


def _status(lexicon: MedicineLexicon, *turns: str) -> dict[str | None, MedStatus]:
    dialogue = [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]
    return {m.medicine_id: m.status for m in build_context(dialogue, lexicon).latest()}


@pytest.mark.parametrize("question", [
    "can I take ibuprofen", "Can i take ibuprofen", "so can I take ibuprofen", "ok and should I take ibuprofen",
    "is it ok to take ibuprofen", "what about taking ibuprofen",
])
def test_a_question_without_its_mark_asks(lexicon: MedicineLexicon, question: str) -> None:
    status = _status(lexicon, "I take metformin and lisinopril", "OK", question)
    assert status["ibuprofen"] is MedStatus.ASKED
    assert status["metformin"] is MedStatus.CURRENT


@pytest.mark.parametrize("said", ["Take ibuprofen twice a day", "i take ibuprofen for my back", "Am taking ibuprofen"])
def test_a_statement_without_a_mark_still_says_it_is_taken(lexicon: MedicineLexicon, said: str) -> None:
    assert _status(lexicon, said)["ibuprofen"] is not MedStatus.ASKED


@pytest.mark.parametrize(("text", "clauses"), [
    ("I take metformin, can I take ibuprofen?", ["I take metformin,", "can I take ibuprofen?"]),
    ("Mum is on warfarin so can she have paracetamol", ["Mum is on warfarin", "so can she have paracetamol"]),
    ("I'm on lisinopril, I take atorvastatin too", ["I'm on lisinopril,", "I take atorvastatin too"]),
])
def test_a_comma_before_a_question_ends_the_clause(text: str, clauses: list[str]) -> None:
    assert _clauses(text) == clauses


@pytest.mark.parametrize("text", [
    "I take metformin, can I take ibuprofen?",
    "I take metformin, can I take ibuprofen",
    "My wife is on levothyroxine, I take metformin, can I take ibuprofen?",
])
def test_what_is_said_taken_before_the_question_stays_taken(lexicon: MedicineLexicon, text: str) -> None:
    status = _status(lexicon, text)
    assert status["metformin"] is MedStatus.CURRENT
    assert status["ibuprofen"] is MedStatus.ASKED


def test_a_relative_said_on_a_medicine_before_the_question_takes_it(lexicon: MedicineLexicon) -> None:
    status = _status(lexicon, "Mum is on warfarin so can she have paracetamol")
    assert status["warfarin"] is MedStatus.CURRENT
    assert status["acetaminophen"] is MedStatus.ASKED


@pytest.mark.parametrize(("message", "names"), [
    ("My meds:\nMetformin 500mg twice daily\nLisinopril 10mg once daily\nAtorvastatin 20mg at night",
     ["Metformin", "Lisinopril", "Atorvastatin"]),
    ("Current medications: metformin 500mg bd, atorvastatin 20mg nocte", ["metformin", "atorvastatin"]),
    ("my regular medicines - levothyroxine 50mcg every morning, lisinopril 10 mg od",
     ["levothyroxine", "lisinopril"]),
])
def test_a_pasted_list_with_nothing_asked_is_a_statement(message: str, names: list[str]) -> None:
    assert bare_statement(message, names)


@pytest.mark.parametrize(("message", "names"), [
    ("My meds:\nMetformin 500mg twice daily\nLisinopril 10mg once daily\ncan I take ibuprofen", ["Metformin",
                                                                                                "Lisinopril",
                                                                                                "ibuprofen"]),
    ("metformin side effects", ["metformin"]),
    ("Current medications: metformin 500mg bd. Any problem with alcohol", ["metformin"]),
])
def test_a_list_with_something_asked_is_no_statement(message: str, names: list[str]) -> None:
    assert not bare_statement(message, names)


@pytest.mark.parametrize(("message", "names"), [
    ("clarithromycin with simvastatin", ["clarithromycin", "simvastatin"]),
    ("metformin twice a day", ["metformin"]),
])
def test_keywords_typed_as_into_a_search_box_are_no_statement(message: str, names: list[str]) -> None:
    assert not bare_statement(message, names)


@pytest.mark.parametrize(("message", "names"), [
    ("I take clarithromycin with simvastatin", ["clarithromycin", "simvastatin"]),
    ("on metformin twice a day", ["metformin"]),
    ("Metformin 500mg twice daily\nLisinopril 10mg once daily\nAtorvastatin 20mg at night",
     ["Metformin", "Lisinopril", "Atorvastatin"]),
])
def test_told_or_listed_line_by_line_is_a_statement(message: str, names: list[str]) -> None:
    assert bare_statement(message, names)


@pytest.mark.parametrize(("spelled", "generic"), [
    ("levotiroxina", "levothyroxine"), ("azitromicina", "azithromycin"), ("metotrexato", "methotrexate"),
    ("hidroclorotiazida", "hydrochlorothiazide"), ("amoxicilline", "amoxicillin"), ("cefalexina", "cephalexin"),
    ("Losartán", "losartan"), ("amlodipino", "amlodipine"), ("claritromicina", "clarithromycin"),
])
def test_a_generic_spelled_as_in_another_language(spelled: str, generic: str) -> None:
    spellings = InnSpellings(["levothyroxine", "azithromycin", "methotrexate", "hydrochlorothiazide", "amoxicillin",
                              "cephalexin", "losartan", "amlodipine", "clarithromycin", "erythromycin"])
    assert spellings.generic(spelled) == generic


def test_a_spelling_key_two_generics_share_finds_neither() -> None:
    spellings = InnSpellings(["sertraline", "sertralin", "warfarin"])
    assert spellings.generic("sertralina") is None
    assert spellings.generic("warfarina") == "warfarin"
    assert spellings.generic("warfarin") is None  # the generic itself is found by the exact match
    assert spellings.generic("table") is None


def test_the_lexicon_finds_a_generic_spelled_in_another_language() -> None:
    lexicon = MedicineLexicon([_entry("levothyroxine", "Levothyroxine"), _entry("azithromycin", "Azithromycin")],
                              is_known_word=lambda word: False)
    found = {m.medicine_id for m in lexicon.find("my father take levotiroxina and azitromicina")}
    assert found == {"levothyroxine", "azithromycin"}


# --- what people writing in a second language say of a medicine and of themselves ---------------------------------

@pytest.mark.parametrize(("question", "kind"), [
    ("The one I take before breakfast for the acid, that one she say is bad for the bones.", "acid"),
    ("is the pills for the tension ok with ibuprofen", "blood_pressure"),
    ("his tablets for the sugar", "antidiabetic"),
    ("the pressure one", "blood_pressure"),
    ("the heart one", "cardiac"),
    ("甲状腺那个……不对不对，我说反了，是心脏那个。", "cardiac"),
])
def test_a_medicine_named_by_what_it_is_for(question: str, kind: str) -> None:
    assert kinds_referred(question) == [kind]


def test_a_kind_said_as_the_one_not_meant_is_no_reference() -> None:
    assert kinds_referred("Not the blood-pressure one. The one I take for the acid.") == ["acid"]
    assert kinds_referred("the pill for the pressure") == ["blood_pressure"]  # not the contraceptive "the pill"


def test_a_name_set_off_by_a_comma_takes_the_status_before_it(lexicon: MedicineLexicon) -> None:
    status = _status(lexicon, "He was on levothyroxine and last month the doctor add a new one, lisinopril, going "
                              "up slowly.")
    assert status["levothyroxine"] is MedStatus.STOPPED
    assert status["lisinopril"] is MedStatus.NEW


@pytest.mark.parametrize(("said", "kind"), [
    ("My wife he is embarrassed of eight weeks, we just discovered it.", "pregnant"),
    ("My daughter have 4 years and the nose is running", "child_age"),
    ("my son has 3 years and vomit in the car always", "child_age"),
])
def test_conditions_said_as_in_another_language(lexicon: MedicineLexicon, said: str, kind: str) -> None:
    context = build_context([Turn("user", said)], lexicon)
    assert kind in {c.kind for c in context.conditions}


def test_the_tablets_from_my_own_allergy_are_no_allergen() -> None:
    assert allergens_in("I have loratadine tablets, the ones that melt on the tongue, from my own allergy.") == []
    assert allergens_in("I have a penicillin allergy") == ["penicillin"]


def test_a_chinese_question_without_its_subject_is_of_the_one_spoken_of_before() -> None:
    assert question_owner("她最近膝盖疼，想买 Aleve 吃几天，两个一起吃 OK 吗？会不会伤 kidney？") is Owner.RELATIVE
    assert question_owner("这个药。能吃吗？") is None


@pytest.mark.parametrize(("question", "section"), [
    ("Since she start it her ankles are very fat in the night. Is from this pill or is other thing?",
     "adverse_reactions"),
    ("Is the pill doing this?", "adverse_reactions"),
    ("Can he continue with this medicament during the gestation?", "pregnancy"),
    ("This medicine go inside my milk? baby ok?", "lactation"),
    ("How I keep the pens? The open one and the new ones in the box?", "storage"),
    ("Is it possible that I interrupt the tablets for this period and then continue when I return?", "warnings"),
    ("How many days before a colonoscopy should you stop Xarelto?", "dosage"),
    ("My brother says careful, together is poison. Should I worry?", "interactions"),
    ("Is problem for him with the blood thinner?", "interactions"),
    ("My grandfather by mistake take 4 tablets of his amlodipine this morning. What can happen?", "overdosage"),
    ("I am taking loperamide, more than the box says. Is it a problem?", "overdosage"),
    ("My brother says buy the minoxidil foam. It works for the front part?", "indications"),
    ("tamiflu kid 9 seeing things at night scared screaming", "warnings"),
    ("And my wiwi is more dark color a little bit. What I will do?", "adverse_reactions"),
])
def test_sections_asked_in_a_second_language(question: str, section: str) -> None:
    assert classify_attribute(question).attribute == Attribute(section)


@pytest.mark.parametrize("question", [
    "ay no, sorry, I mix them up. Not the blood-pressure one.",
    "My sister say the one for the acid is bad for the bones. Is true?",
])
def test_a_mix_up_or_a_harm_is_no_interaction_nor_a_use(question: str) -> None:
    scores = classify_attribute(question).scores
    assert "interactions" not in scores and "indications" not in scores


def test_a_long_story_is_asked_by_its_last_lines() -> None:
    story = ("说来话长。我奶奶八十一了，去年爷爷走了以后她一直睡不好。上个月医生开了唑吡坦，每天睡前半片。"
             "刚开始挺好的。结果这礼拜我早上起来发现厨房里锅是热的，冰箱门没关，问她她完全不记得。她吃这个药会这样吗？还能继续吃吗？")
    assert story_tail(story) == "她吃这个药会这样吗？ 还能继续吃吗？"
    assert story_tail("Can I take it with food?") is None


def test_a_few_days_before_a_pause_is_told_not_asked() -> None:
    assert "dosage" not in topic_sections("她想去 CVS 买 Aleve 吃几天，两个一起吃 OK 吗？")
    assert "dosage" in topic_sections("这个药要吃几天？")


def test_how_long_before_a_procedure_to_stop_is_no_dose_asked() -> None:
    assert stopping_asked("How many days before I must stop it? or I don't stop?")
    assert not stopping_asked("How much do I cut when stopping?")


def test_with_or_without_food_asked_of_a_label_silent_on_food() -> None:
    asked = topics_asked("Kindly advise whether the tablet is to be consumed before food or after food.")
    assert WITH_FOOD in asked
    assert silent_topic(asked, "dosage", ["The recommended dose is 5 mg once daily."]) is WITH_FOOD
    assert silent_topic(asked, "dosage", ["Take with or without food, at any time of day."]) is None
    assert WITH_FOOD not in topics_asked("what foods should I avoid on warfarin?")


# --- found in my own trial over HTTP (session 29) -----------------------------------------------------------------

@pytest.mark.parametrize("said", ["ok thank you very much, you are very kind", "gracias doctor", "muchas gracias",
                                  "obrigada", "god bless you"])
def test_thanks_in_a_second_language_is_thanks(said: str) -> None:
    assert social_kind(said) is TalkKind.THANKS


def test_a_greeting_before_what_is_taken_is_still_a_statement() -> None:
    assert bare_statement("hello, my father take the warfarina 3 mg for the heart since 5 years", ["warfarina"])


@pytest.mark.parametrize("said", ["I am embarazada 6 weeks", "sono incinta", "estou grávida"])
def test_pregnant_in_the_writers_own_word(lexicon: MedicineLexicon, said: str) -> None:
    context = build_context([Turn("user", said)], lexicon)
    assert "pregnant" in {c.kind for c in context.conditions}


def test_keywords_of_long_use_and_an_organ_ask_the_warnings() -> None:
    assert classify_attribute("omeprazol long time bones").attribute == Attribute("warnings")


def test_whose_cough_is_no_part_of_the_condition() -> None:
    assert condition_asked("what is good for the cough of my son, he is 4") == "cough"


def test_a_which_medicine_list_for_a_child_quotes_what_each_label_says_of_children() -> None:
    assert "children" in populations_said("what is good for the cough of my son, he is 4")
    assert "children" not in populations_said("what is good for a cough?")
