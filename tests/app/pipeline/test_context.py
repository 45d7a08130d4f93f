"""Conversation context (issue 17): whose medicine, its status, conditions, user turns only; focus
resolution of "it", "the new one", "my own medicine"; interactions from what the user said they take."""

from __future__ import annotations

import pytest

from app.pipeline.context import MedStatus, Owner, build_context, resolve_focus
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Distillation, SearchQuery, Turn
from app.records.mag import add_medication_partners, partners_notice
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "interactions"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon(
        [
            _entry("warfarin", "Warfarin Sodium", "Coumadin"),
            _entry("metronidazole", "Metronidazole", "Flagyl"),
            _entry("sertraline", "Sertraline"),
            _entry("tramadol", "Tramadol"),
            _entry("atorvastatin", "Atorvastatin", "Lipitor"),
            _entry("amlodipine", "Amlodipine"),
            _entry("losartan", "Losartan"),
            _entry("montelukast", "Montelukast"),
            _entry("omeprazole", "Omeprazole"),
            _entry("ibuprofen", "Ibuprofen", "Advil"),
            _entry("diclofenac-gel", "Diclofenac Sodium Topical Gel"),
            _entry("naproxen", "Naproxen"),
            _entry("metformin", "Metformin"),
            _entry("amoxicillin", "Amoxicillin"),
        ]
    )


def _dialogue(*turns: str) -> list[Turn]:
    return [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]


def _by_id(dialogue: list[Turn], lexicon: MedicineLexicon) -> dict[str | None, tuple[Owner, MedStatus, int]]:
    ctx = build_context(dialogue, lexicon)
    return {m.medicine_id: (m.owner, m.status, m.turn) for m in ctx.latest()}


def test_owner_of_each_medicine(lexicon: MedicineLexicon) -> None:
    got = _by_id(_dialogue("My wife takes sertraline and I take atorvastatin."), lexicon)
    assert got["sertraline"][0] is Owner.RELATIVE
    assert got["atorvastatin"][0] is Owner.USER
    got = _by_id(_dialogue("My son uses montelukast. He also has omeprazole."), lexicon)
    assert got["montelukast"][0] is Owner.RELATIVE
    assert got["omeprazole"][0] is Owner.RELATIVE  # "he" is the son named before
    assert _by_id(_dialogue("My friend takes naproxen."), lexicon)["naproxen"][0] is Owner.OTHER
    # recommended to the user, theirs to weigh (session 31: "A friend swears by meloxicam. Would that be a better
    # choice for someone like me?" had dropped meloxicam as the friend's)
    assert _by_id(_dialogue("My friend swears by naproxen."), lexicon)["naproxen"][0] is Owner.USER


@pytest.mark.parametrize(
    ("said", "status"),
    [
        ("I've been on amlodipine for years.", MedStatus.LONG_TERM),
        ("I have taken amlodipine for about four years now.", MedStatus.LONG_TERM),
        ("They just started me on amlodipine.", MedStatus.NEW),
        ("My doctor prescribed amlodipine yesterday.", MedStatus.NEW),
        ("I stopped taking amlodipine last month.", MedStatus.STOPPED),
        ("My GP is thinking about amlodipine.", MedStatus.CONSIDERED),
        ("I take amlodipine.", MedStatus.CURRENT),
        ("I carry amlodipine for my angina.", MedStatus.CURRENT),  # a rescue spray kept at hand (session 10)
        ("Can I take amlodipine?", MedStatus.ASKED),
    ],
)
def test_status(lexicon: MedicineLexicon, said: str, status: MedStatus) -> None:
    assert _by_id(_dialogue(said), lexicon)["amlodipine"][1] is status


def test_assistant_turns_are_ignored(lexicon: MedicineLexicon) -> None:
    dialogue = _dialogue("I take warfarin.", "Warfarin interacts with ibuprofen and naproxen.", "What about it?")
    assert set(_by_id(dialogue, lexicon)) == {"warfarin"}


def test_unrelated_turns_keep_the_context(lexicon: MedicineLexicon) -> None:
    dialogue = _dialogue("I started metformin last week.", "Okay.", "What time does the pharmacy close?",
                         "I cannot tell.", "Fair enough. Does it upset the stomach?")
    assert _by_id(dialogue, lexicon)["metformin"] == (Owner.USER, MedStatus.NEW, 0)
    d = RuleDistiller().distill(dialogue, lexicon)
    assert [(q.medicine, q.attribute) for q in d.queries] == [("metformin", "adverse_reactions")]


def test_conditions(lexicon: MedicineLexicon) -> None:
    ctx = build_context(_dialogue(
        "I'm 14 weeks pregnant and I have asthma.", "Okay.",
        "I'm allergic to penicillin. I'm also breastfeeding my first.", "Okay.",
        "My daughter is 6. I have stage 3 kidney disease.", "Okay.", "What now?"), lexicon)
    kinds = {(c.kind, c.owner) for c in ctx.conditions}
    assert {("pregnant", Owner.USER), ("asthma", Owner.USER), ("breastfeeding", Owner.USER),
            ("kidney_disease", Owner.USER), ("child_age", Owner.RELATIVE)} <= kinds
    assert [c.text for c in ctx.conditions if c.kind == "allergy"] == ["penicillin"]
    assert [c.text for c in ctx.conditions if c.kind == "child_age"] == ["6"]


def test_an_allergen_is_not_a_medicine_taken(lexicon: MedicineLexicon) -> None:
    ctx = build_context(_dialogue("I'm allergic to amoxicillin.", "Okay.", "Can I take naproxen?"), lexicon)
    assert ctx.taken_by_user() == []


def test_condition_stated_earlier_sets_the_section(lexicon: MedicineLexicon) -> None:
    d = RuleDistiller().distill(_dialogue("I'm 14 weeks pregnant.", "Okay.", "Is it ok to use ibuprofen?"), lexicon)
    assert [(q.medicine, q.attribute) for q in d.queries] == [("ibuprofen", "pregnancy")]


# -- focus -------------------------------------------------------------------------------------------------


def _focus(lexicon: MedicineLexicon, *turns: str) -> list[str | None]:
    dialogue = _dialogue(*turns)
    focus = resolve_focus(dialogue[-1].content, build_context(dialogue, lexicon), len(dialogue) - 1)
    return [m.medicine_id for m in focus.chosen]


def test_my_own_medicine_is_the_users_not_the_relatives(lexicon: MedicineLexicon) -> None:
    # The wife's medicine is named last, so "last mention wins" would pick it.
    assert _focus(lexicon, "I take atorvastatin.", "Okay.", "My wife takes sertraline.", "Okay.",
                  "Can my own medicine cause muscle pain?") == ["atorvastatin"]


def test_what_i_would_take_it_with_is_my_medicine_not_my_fathers(lexicon: MedicineLexicon) -> None:
    assert _focus(lexicon, "My dad takes metformin and I take atorvastatin.", "Okay.",
                  "Can I have grapefruit juice?") == ["atorvastatin"]
    # nobody's named as taking it: both of the turn stay
    assert _focus(lexicon, "My dad takes metformin and I take atorvastatin.", "Okay.",
                  "Does grapefruit juice matter?") == ["metformin", "atorvastatin"]


def test_an_interaction_partner_is_the_users_own_not_a_sons(lexicon: MedicineLexicon) -> None:
    d = RuleDistiller().distill(_dialogue("My son takes montelukast.", "Okay.",
                                          "I was just prescribed sertraline. Any interactions I should know about?"),
                                lexicon)
    assert {q.medicine for q in d.queries} == {"sertraline"}
    d = RuleDistiller().distill(_dialogue("I take montelukast.", "Okay.",
                                          "I was just prescribed sertraline. Any interactions I should know about?"),
                                lexicon)
    assert {q.medicine for q in d.queries} == {"sertraline", "montelukast"}


def test_his_medicine_is_the_relatives(lexicon: MedicineLexicon) -> None:
    assert _focus(lexicon, "My son uses montelukast.", "Okay.", "I take omeprazole.", "Okay.",
                  "Can his medicine cause mood changes?") == ["montelukast"]


def test_the_new_one_beats_the_long_standing_one(lexicon: MedicineLexicon) -> None:
    assert _focus(lexicon, "They added losartan yesterday.", "Okay.", "I've been on amlodipine for years.",
                  "Okay.", "Side effects of the new one?") == ["losartan"]


def test_the_gel_is_the_topical_one(lexicon: MedicineLexicon) -> None:
    assert _focus(lexicon, "I use diclofenac sodium topical gel on my knee.", "Okay.", "I also take naproxen tablets.",
                  "Okay.", "How often can I put the gel on?") == ["diclofenac-gel"]


def test_a_stopped_medicine_is_not_it(lexicon: MedicineLexicon) -> None:
    assert _focus(lexicon, "I'm on losartan.", "Okay.", "I stopped amlodipine last week.", "Okay.",
                  "Does it cause a cough?") == ["losartan"]


def test_without_cues_the_latest_mention_is_it(lexicon: MedicineLexicon) -> None:
    assert _focus(lexicon, "I take losartan.", "Okay.", "I take amlodipine too.", "Okay.", "Dose?") == ["amlodipine"]


def test_tie_is_reported_when_the_cue_does_not_decide(lexicon: MedicineLexicon) -> None:
    dialogue = _dialogue("They added losartan.", "Okay.", "They added amlodipine too.", "Okay.",
                         "Side effects of the new one?")
    focus = resolve_focus(dialogue[-1].content, build_context(dialogue, lexicon), 4)
    assert {m.medicine_id for m in focus.tied} == {"losartan", "amlodipine"}


# -- interactions from the conversation --------------------------------------------------------------------


def _partners(lexicon: MedicineLexicon, *turns: str) -> tuple[list[tuple[str | None, str | None]], list[str]]:
    dialogue = _dialogue(*turns)
    ctx = build_context(dialogue, lexicon)
    distilled = RuleDistiller().distill(dialogue, lexicon, ctx)
    out, partners = add_medication_partners(distilled, dialogue[-1].content, None, lexicon, ctx)
    return [(q.medicine, q.attribute) for q in out.queries], [p.medicine_id for p in partners]


def test_medicine_said_to_be_taken_is_an_interaction_partner(lexicon: MedicineLexicon) -> None:
    queries, partners = _partners(lexicon, "I'm taking Coumadin.", "Thanks.",
                                  "My dentist prescribed metronidazole. Is that a problem?")
    assert partners == ["warfarin"]
    assert ("metronidazole", "interactions") in queries and ("warfarin", "interactions") in queries


def test_long_standing_medicine_with_a_new_one(lexicon: MedicineLexicon) -> None:
    _, partners = _partners(lexicon, "I've been on sertraline for four years.", "Okay.",
                            "The ER gave me tramadol. Can I take it?")
    assert partners == ["sertraline"]


def test_no_partners_from_someone_elses_or_stopped_medicines(lexicon: MedicineLexicon) -> None:
    assert _partners(lexicon, "My husband takes warfarin.", "Okay.", "Can I take naproxen?")[1] == []
    assert _partners(lexicon, "I stopped warfarin in May.", "Okay.", "Can I take naproxen?")[1] == []


def test_no_partner_for_the_medicine_already_taken(lexicon: MedicineLexicon) -> None:
    assert _partners(lexicon, "I take warfarin.", "Okay.", "Can I take warfarin with food?")[1] == []


def test_notice_names_where_the_partners_came_from(lexicon: MedicineLexicon) -> None:
    dialogue = _dialogue("I take warfarin.", "Okay.", "Can I take naproxen?")
    ctx = build_context(dialogue, lexicon)
    distilled = Distillation([SearchQuery("naproxen", None, "naproxen")])
    _, partners = add_medication_partners(distilled, dialogue[-1].content, None, lexicon, ctx)
    assert partners_notice(partners) == "Checked against the medicines you said you take: Warfarin Sodium."


def test_a_medicine_taken_and_a_new_one_in_the_same_turn(lexicon: MedicineLexicon) -> None:
    queries, partners = _partners(lexicon, "I take losartan every morning. Can I take naproxen for a sprained ankle?")
    assert partners == ["losartan"]
    assert ("naproxen", "interactions") in queries and ("losartan", "interactions") in queries
    assert ("losartan", "indications") not in queries and ("losartan", None) not in queries


def test_a_relatives_medicine_is_the_partner_when_the_question_is_about_them(lexicon: MedicineLexicon) -> None:
    queries, partners = _partners(lexicon, "My mom is on Coumadin after her stroke.", "Okay.",
                                  "Is it ok for her to take Advil for her knee pain?")
    assert partners == ["warfarin"]
    assert ("ibuprofen", "interactions") in queries and ("warfarin", "interactions") in queries
    # The user's own question is not checked against the mother's medicine.
    _, partners = _partners(lexicon, "My mom is on Coumadin.", "Okay.", "Can I take Advil for my knee?")
    assert partners == []


def test_another_persons_medicine_named_beside_mine_is_not_asked_about(lexicon: MedicineLexicon) -> None:
    queries, partners = _partners(
        lexicon, "My husband takes Coumadin and I take metformin. Can my medicine be taken with grapefruit juice?")
    assert [q for q, _ in queries] == ["metformin"] and partners == []
    queries, partners = _partners(lexicon, "My husband takes Coumadin and I take metformin.", "Okay.",
                                  "Can my medicine be taken with grapefruit juice?")
    assert [q for q, _ in queries] == ["metformin"] and partners == []
    queries, partners = _partners(lexicon, "My husband is on Coumadin. Can I take Advil for a headache?")
    assert [q for q, _ in queries] == ["ibuprofen"] and partners == []
    # Nobody named in the asking sentence: "it" may be the husband's medicine.
    queries, _ = _partners(lexicon, "My husband is on Coumadin. Can it be taken with grapefruit juice?")
    assert "warfarin" in [q for q, _ in queries]


# -- clarify -----------------------------------------------------------------------------------------------


def test_two_equally_likely_medicines_are_asked_back(lexicon: MedicineLexicon) -> None:
    dialogue = _dialogue("They added losartan.", "Okay.", "They added amlodipine too.", "Okay.",
                         "Side effects of the new one?")
    d = RuleDistiller().distill(dialogue, lexicon)
    assert d.queries == [] and d.unknown_drugs == []
    assert d.clarify == "Which medicine do you mean: Losartan or Amlodipine?"


def test_a_cue_that_decides_is_not_asked_back(lexicon: MedicineLexicon) -> None:
    dialogue = _dialogue("They added losartan.", "Okay.", "I've been on amlodipine for years.", "Okay.",
                         "Side effects of the new one?")
    d = RuleDistiller().distill(dialogue, lexicon)
    assert d.clarify == "" and [q.medicine for q in d.queries] == ["losartan"]


def test_the_read_stage_answers_a_clarify_with_its_status(lexicon: MedicineLexicon) -> None:
    from typing import cast

    from app.enums import Status
    from app.pipeline.read import ExtractiveReader
    from app.pipeline.state import Serving, TurnRequest, TurnState
    from indexing.store import SearchIndex

    state = TurnState(TurnRequest("Side effects of the new one?"), Serving(cast(SearchIndex, None), lexicon))
    state.distilled = Distillation(clarify="Which medicine do you mean: Losartan or Amlodipine?")
    ExtractiveReader().run(state)
    assert state.reading is not None and state.reading.status is Status.CLARIFY
    assert state.reading.text == "Which medicine do you mean: Losartan or Amlodipine?"


def test_a_product_the_database_lacks_is_still_what_it_refers_to(lexicon: MedicineLexicon) -> None:
    # The recognised medicine was named first and is taken for long; the unrecognised one is newer.
    dialogue = _dialogue("My regular medicine is losartan.", "Okay.",
                         "Now my doctor has added blood thinner pills.", "Okay.", "How should I take them?")
    got = _by_id(dialogue, lexicon)
    assert got["losartan"][1] is MedStatus.LONG_TERM
    assert got[None][1] is MedStatus.NEW
    d = RuleDistiller().distill(dialogue, lexicon)
    # "them" is the blood thinner pills, not losartan; a kind of medicine, asked back which one (class_question)
    assert d.queries == [] and d.clarify.startswith("Which anticoagulant do you take?"), d
    assert "Warfarin" in d.clarify and "Losartan" not in d.clarify


@pytest.mark.parametrize("said", ["I take it every day.", "I'm taking a trip next week.", "I use it at night."])
def test_pronouns_and_ordinary_objects_are_not_products(lexicon: MedicineLexicon, said: str) -> None:
    assert build_context(_dialogue(said), lexicon).medicines == []


def test_a_chinese_allergy_is_a_condition_and_the_allergen_is_not_taken() -> None:
    zh = MedicineLexicon([_entry("amoxicillin", "Amoxicillin", "阿莫西林"),
                          _entry("amoxicillin-clavulanate", "Amoxicillin and Clavulanate Potassium",
                                 "阿莫西林克拉维酸钾"),
                          _entry("penicillin-g", "Penicillin G", "青霉素")])
    ctx = build_context(_dialogue("我对青霉素过敏，能吃阿莫西林吗？"), zh)
    assert [c.text for c in ctx.conditions if c.kind == "allergy"] == ["青霉素"]
    assert [m.medicine_id for m in ctx.medicines] == ["amoxicillin"]
    ctx = build_context(_dialogue("对阿莫西林过敏的人能吃阿莫西林克拉维酸钾吗？"), zh)
    assert [c.text for c in ctx.conditions if c.kind == "allergy"] == ["阿莫西林"]
    assert "amoxicillin-clavulanate" in [m.medicine_id for m in ctx.medicines]


def test_a_medicine_the_user_stopped_is_no_partner_of_the_one_asked_about(lexicon: MedicineLexicon) -> None:
    d = RuleDistiller().distill(_dialogue("I stopped amlodipine last month and started losartan.", "Okay.",
                                          "Can I drink grapefruit juice now?"), lexicon)
    assert {q.medicine for q in d.queries} == {"losartan"}, d.queries


def test_a_taken_medicine_the_database_lacks_is_the_other_one_of_an_interaction_query(lexicon: MedicineLexicon) -> None:
    from app.pipeline.read import taken_unlisted
    from app.pipeline.state import SearchQuery

    ctx = build_context(_dialogue("I take lithium.", "Okay.", "Can I take naproxen for my back?"), lexicon)
    assert taken_unlisted(ctx, [SearchQuery("naproxen", "interactions", "Naproxen back lithium drug interactions")]) \
        == ["lithium"]
    assert taken_unlisted(ctx, [SearchQuery("naproxen", "dosage", "Naproxen back lithium")]) == []
