"""Which medicine a turn asks about when the dialogue names several (development set
eval/data/consult_dev_wrongmed_s8.jsonl, session 8): each name's own dose form, "the other one", a medicine
left in the asking turn, whose medicine the asking clause says, a product the database lacks asked beside a
medicine the user takes."""

from __future__ import annotations

import pytest

from app.pipeline.context import build_context
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "interactions"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon(
        [
            _entry("metformin", "Metformin"),
            _entry("semaglutide", "Semaglutide", "Ozempic"),
            _entry("clotrimazole", "Clotrimazole"),
            _entry("fluconazole", "Fluconazole"),
            _entry("glipizide", "Glipizide"),
            _entry("oxycodone", "Oxycodone Hydrochloride", "oxycodone"),
            _entry("ondansetron", "Ondansetron Hydrochloride", "ondansetron"),
            _entry("citalopram", "Citalopram Hydrobromide", "citalopram"),
            _entry("venlafaxine", "Venlafaxine"),
            _entry("atorvastatin", "Atorvastatin"),
            _entry("rosuvastatin", "Rosuvastatin"),
            _entry("amlodipine", "Amlodipine"),
            _entry("simvastatin", "Simvastatin"),
            _entry("lisinopril", "Lisinopril"),
        ]
    )


def _dialogue(*turns: str) -> list[Turn]:
    return [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]


def _asked(lexicon: MedicineLexicon, *turns: str) -> list[str | None]:
    d = RuleDistiller().distill(_dialogue(*turns), lexicon)
    return [q.medicine for q in d.queries]


def test_each_name_keeps_the_form_word_after_it(lexicon: MedicineLexicon) -> None:
    forms = {m.medicine_id: m.form for m in build_context(_dialogue(
        "I'm on metformin tablets and the doctor has added Ozempic injections."), lexicon).medicines}
    assert forms == {"metformin": "oral", "semaglutide": "injected"}
    # before: both took the clause's first form (oral) and "the injection" fitted neither, so both were asked
    assert _asked(lexicon, "I'm on metformin tablets and the doctor has added Ozempic injections.", "Okay.",
                  "How often do I do the injection?") == ["semaglutide"]
    assert _asked(lexicon, "I got clotrimazole cream and fluconazole tablets.", "Understood.",
                  "How many times a day do I put on the cream?") == ["clotrimazole"]


def test_the_other_one_is_the_medicine_said_before_that_the_turn_does_not_name(lexicon: MedicineLexicon) -> None:
    # before: the turn's only name (the one set aside) was asked about
    assert _asked(lexicon, "I was prescribed metformin and glipizide at the same visit.", "Okay.",
                  "The metformin I know about. Does the other one cause weight gain?") == ["glipizide"]
    assert _asked(lexicon, "I was sent home with oxycodone and ondansetron after surgery.", "Okay.",
                  "The oxycodone is for pain. What is the other one for?") == ["ondansetron"]
    # the user said no other one (or several): the turn's names stay
    assert _asked(lexicon, "I take metformin.", "Okay.", "Does the other one cause weight gain, the metformin?") == [
        "metformin"]


def test_a_medicine_the_turn_says_was_stopped_is_not_what_it_asks_about(lexicon: MedicineLexicon) -> None:
    statuses = {m.medicine_id: m.status.value for m in build_context(_dialogue(
        "I came off citalopram last month and now I'm on venlafaxine. What are the side effects of it?"),
        lexicon).medicines}
    assert statuses == {"citalopram": "stopped", "venlafaxine": "current"}  # before: both stopped
    # before: both were asked, the stopped one first
    assert _asked(lexicon, "I came off citalopram last month and now I'm on venlafaxine. "
                           "What are the side effects of it?") == ["venlafaxine"]
    # the asking sentence names the stopped one, or asks about the stopping: both stay
    assert _asked(lexicon, "I came off citalopram and now I'm on venlafaxine. Are the citalopram side effects "
                           "gone?") == ["citalopram", "venlafaxine"]
    assert set(_asked(lexicon, "I came off citalopram and now I'm on venlafaxine. Is withdrawal likely?")) == {
        "citalopram", "venlafaxine"}


def test_a_stopped_medicine_is_no_interaction_partner(lexicon: MedicineLexicon) -> None:
    # before: atorvastatin, stopped, was read as the partner of "does it interact with anything?"
    assert _asked(lexicon, "I used to take atorvastatin but it hurt my muscles.", "I'm sorry to hear that.",
                  "Now my GP has me on rosuvastatin instead. Does it interact with anything?") == ["rosuvastatin"]
    assert _asked(lexicon, "I take atorvastatin.", "Okay.", "Does rosuvastatin interact with it?") == [
        "rosuvastatin", "atorvastatin"]


def test_the_last_part_of_the_asking_sentence_that_names_a_person_says_whose_medicine(
        lexicon: MedicineLexicon) -> None:
    from app.pipeline.context import Owner, question_owner

    question = "my mum's on amlodipine and I take simvastatin - what's the max dose of my own pill?"
    assert question_owner(question) is Owner.USER  # before: the mother's (named first)
    assert _asked(lexicon, question) == ["simvastatin"]  # before: amlodipine
    assert question_owner("I take metformin, can my son have ibuprofen?") is Owner.RELATIVE
    assert question_owner("Can I give my son ibuprofen?") is Owner.RELATIVE


def test_a_product_the_database_lacks_asked_of_after_a_medicine_taken_is_not_read_in_its_label(
        lexicon: MedicineLexicon) -> None:
    d = RuleDistiller().distill(_dialogue(
        "I take lisinopril and my doctor says I need the shingles vaccine. Any side effects from the shingles shot?"),
        lexicon)
    # before: lisinopril's adverse reactions were quoted for the vaccine
    assert d.queries == [] and d.unknown_drugs
    # the medicine named in the asking sentence is asked about
    assert _asked(lexicon, "I need the shingles vaccine. Any side effects from lisinopril?") == ["lisinopril"]


def test_the_asking_part_picks_of_the_names_of_its_turn_by_kind_or_by_what_was_said_of_them() -> None:
    lexicon = MedicineLexicon([
        _entry("atorvastatin", "Atorvastatin", "Lipitor"), _entry("empagliflozin", "Empagliflozin", "Jardiance"),
        _entry("levetiracetam", "Levetiracetam"), _entry("ciprofloxacin", "Ciprofloxacin", "cipro"),
    ])
    # before: both were asked, the long-standing one first
    assert _asked(lexicon, "I've been on Lipitor for years. Now they've added Jardiance. "
                           "Does the new one make you pee more?") == ["empagliflozin"]
    assert _asked(lexicon, "I've been on Lipitor for years. Now they've added Jardiance. "
                           "Is the old one still needed?") == ["atorvastatin"]
    # before: levetiracetam first
    assert _asked(lexicon, "pt w/ seizure hx on levetiracetam, rx'd cipro for UTI - seizure risk w/ the abx?") == [
        "ciprofloxacin"]
    # together, or the asking part names one: all stay
    assert set(_asked(lexicon, "I've been on Lipitor for years. Now they've added Jardiance. "
                               "Can I take them together?")) == {"atorvastatin", "empagliflozin"}


def test_a_dash_or_a_comma_before_i_parts_what_a_turn_says_of_each_medicine() -> None:
    lexicon = MedicineLexicon([
        _entry("warfarin", "Warfarin"), _entry("apixaban", "Apixaban"), _entry("levothyroxine", "Levothyroxine"),
        _entry("atorvastatin", "Atorvastatin"),
    ])
    # before: both stopped ("no longer"), both asked, warfarin first
    assert _asked(lexicon, "No longer on warfarin - they moved me onto apixaban. "
                           "Do I still need blood tests with it?") == ["apixaban"]
    # before: both the wife's, both asked, levothyroxine first
    owners = {m.medicine_id: m.owner.value for m in build_context(_dialogue(
        "My wife is on levothyroxine, I'm on atorvastatin - best time of day to take mine?"), lexicon).medicines}
    assert owners == {"levothyroxine": "relative", "atorvastatin": "user"}
    assert _asked(lexicon, "My wife is on levothyroxine, I'm on atorvastatin - best time of day to take mine?") == [
        "atorvastatin"]
