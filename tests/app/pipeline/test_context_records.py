"""The conversation context merged with a patient's records (issue 17): the medication list as the user's own
medicines, problems and allergies as stated conditions; the user's turns win where they say otherwise; focus
resolution turns to the records only when the conversation offers nothing the question can mean."""

from __future__ import annotations

import pytest

from app.pipeline.context import (
    RECORD,
    RECORD_TURN,
    SAID,
    MedStatus,
    Owner,
    build_context,
    condition_kinds,
    merge_records,
    resolve_focus,
)
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from app.records.mag import add_medication_partners, medication_partners, partners_notice, said_taken
from app.records.model import PatientContext
from indexing.store import MedicineEntry

WARFARIN = "Warfarin Sodium 5 MG Oral Tablet (since 2019-09-17; for Atrial fibrillation)"
METFORMIN = "24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet (since 2019-09-17)"
JANTOVEN = "Jantoven 5 MG Oral Tablet (since 2020-02-01)"


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "interactions", "pregnancy"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([_entry("warfarin", "Warfarin Sodium", "Coumadin"), _entry("metformin", "Metformin"),
                            _entry("metronidazole", "Metronidazole", "Flagyl"), _entry("ibuprofen", "Ibuprofen"),
                            _entry("sertraline", "Sertraline"), _entry("amoxicillin", "Amoxicillin")])


def patient(*medications: str, **kw: list[str]) -> PatientContext:
    return PatientContext("p", current_medications=list(medications), conditions=kw.get("conditions", []),
                          allergies=kw.get("allergies", []))


def _dialogue(*turns: str) -> list[Turn]:
    return [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]


def merged(lexicon: MedicineLexicon, p: PatientContext | None, *turns: str):  # type: ignore[no-untyped-def]
    return merge_records(build_context(_dialogue(*turns), lexicon), p, lexicon)


def test_records_become_the_users_own_medicines_and_conditions(lexicon: MedicineLexicon) -> None:
    p = patient(WARFARIN, METFORMIN, conditions=["Chronic kidney disease stage 3 (disorder) (since 2018-01-01)",
                                                 "Hypertension (since 2015-01-01)"],
                allergies=["Allergy to penicillin (recorded 2010-06-01)"])
    ctx = merged(lexicon, p, "Can I take ibuprofen?")
    recorded = [m for m in ctx.medicines if m.source == RECORD]
    assert [(m.medicine_id, m.owner, m.status, m.turn) for m in recorded] == [
        ("warfarin", Owner.USER, MedStatus.LONG_TERM, RECORD_TURN), ("metformin", Owner.USER, MedStatus.LONG_TERM,
                                                                      RECORD_TURN)]
    assert {m.medicine_id for m in ctx.taken_by_user()} == {"warfarin", "metformin"}
    assert [(c.kind, c.source) for c in ctx.conditions] == [("kidney_disease", RECORD), ("condition", RECORD),
                                                          ("allergy", RECORD)]
    assert [c.text for c in ctx.allergies()] == ["Allergy to penicillin (recorded 2010-06-01)"]
    assert ctx.stated_conditions() == []  # nothing the user said
    assert merged(lexicon, None, "Can I take ibuprofen?") == build_context(_dialogue("Can I take ibuprofen?"), lexicon)


def test_condition_kinds_of_problem_list_entries() -> None:
    assert condition_kinds("Chronic kidney disease stage 1 (disorder)") == ["kidney_disease"]
    assert condition_kinds("Normal pregnancy (finding)") == ["pregnant"]
    assert condition_kinds("Diabetes mellitus type 2 (disorder)") == ["diabetes"]
    assert condition_kinds("Hypertension") == []


def test_the_resolved_list_is_used_before_names(lexicon: MedicineLexicon) -> None:
    p = patient(JANTOVEN)
    assert [m.medicine_id for m in merged(lexicon, p, "Is it safe?").medicines] == []  # a brand the names lack
    p.medicine_ids = {JANTOVEN: ("warfarin",)}  # placed by its RxNorm code (app.records.medications)
    assert [(m.medicine_id, m.surface) for m in merged(lexicon, p, "Is it safe?").medicines] == [("warfarin", JANTOVEN)]


def test_the_user_saying_they_stopped_a_recorded_medicine_wins(lexicon: MedicineLexicon) -> None:
    ctx = merged(lexicon, patient(WARFARIN, METFORMIN), "I stopped taking warfarin last month.", "ok",
                 "My dentist prescribed metronidazole. Is that a problem?")
    assert ctx.stopped_by_user() == {"warfarin"}
    assert {m.medicine_id for m in ctx.taken_by_user()} == {"metformin"}
    partners = medication_partners(patient(WARFARIN, METFORMIN), lexicon, {"metronidazole"}, conversation=ctx)
    assert [p.medicine_id for p in partners] == ["metformin"]
    # a question that only names it again keeps what the records say
    again = merged(lexicon, patient(WARFARIN), "What about warfarin and alcohol?")
    assert [(m.medicine_id, m.status, m.source) for m in again.latest()] == [("warfarin", MedStatus.LONG_TERM, SAID)]


def test_interactions_from_the_records_and_from_what_the_user_said(lexicon: MedicineLexicon) -> None:
    dialogue = _dialogue("I also take sertraline.", "Noted.", "My dentist prescribed metronidazole. Is that a problem?")
    p = patient(WARFARIN)
    ctx = merge_records(build_context(dialogue, lexicon), p, lexicon)
    distilled = RuleDistiller().distill(dialogue, lexicon, ctx)
    got, partners = add_medication_partners(distilled, dialogue[-1].content, p, lexicon, ctx)
    assert [(x.medicine_id, x.source) for x in partners] == [("warfarin", WARFARIN), ("sertraline", "said in this "
                                                                                                    "conversation")]
    assert {(q.medicine, q.attribute) for q in got.queries} >= {("metronidazole", "interactions"),
                                                                ("warfarin", "interactions")}
    assert said_taken(ctx) == ["sertraline"]  # the records are not "what you said"
    assert partners_notice(partners) == ("Checked against current medications in the patient's records: Warfarin "
                                         "Sodium. Checked against the medicines you said you take: Sertraline.")


def test_my_own_medicine_is_found_in_the_records_when_nothing_was_said(lexicon: MedicineLexicon) -> None:
    ctx = merged(lexicon, patient(WARFARIN), "What are the side effects of my own medicine?")
    focus = resolve_focus("What are the side effects of my own medicine?", ctx, ctx.question_turn)
    assert [m.medicine_id for m in focus.chosen] == ["warfarin"] and not focus.tied
    # after a relative's medicine, "my own medicine" is the record's, not the husband's
    turns = ("My husband was just prescribed amoxicillin.", "ok", "What should I watch for with my own medicine?")
    ctx = merged(lexicon, patient(WARFARIN), *turns)
    assert [m.medicine_id for m in resolve_focus(turns[-1], ctx, ctx.question_turn).chosen] == ["warfarin"]


def test_what_the_conversation_names_stays_in_focus_and_no_clarify_comes_from_records(
        lexicon: MedicineLexicon) -> None:
    turns = ("I was just started on metronidazole.", "ok", "Is my medicine ok with alcohol?")
    ctx = merged(lexicon, patient(WARFARIN, METFORMIN), *turns)
    focus = resolve_focus(turns[-1], ctx, ctx.question_turn)
    assert [m.medicine_id for m in focus.chosen] == ["metronidazole"] and not focus.tied
    distilled = RuleDistiller().distill(_dialogue(*turns), lexicon, ctx)
    assert not distilled.clarify and distilled.queries[0].medicine == "metronidazole"


def test_a_recorded_condition_does_not_choose_the_section_a_stated_one_does(lexicon: MedicineLexicon) -> None:
    p = patient(conditions=["Normal pregnancy (finding) (since 2021-01-01)"])
    question = ("Can I take ibuprofen?",)
    recorded = RuleDistiller().distill(_dialogue(*question), lexicon, merged(lexicon, p, *question))
    assert recorded.queries[0].attribute != "pregnancy"
    stated = ("I'm pregnant.", "ok", "Is it ok to use ibuprofen?")
    said = RuleDistiller().distill(_dialogue(*stated), lexicon, merged(lexicon, p, *stated))
    assert said.queries[0].attribute == "pregnancy"
