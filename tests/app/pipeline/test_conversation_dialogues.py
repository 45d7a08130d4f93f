"""Hand-written consultations (issue 17) through the distill stage: small talk and unrelated turns between
the questions, greetings before them, thanks after them, relatives' medicines by gender and by person, the
question back when two relatives fit, and "is there X in it?" about the medicine said before. Each line is a
conversation of its own wording; what is checked is what understanding decides (the medicines queried, the
section when it matters, the status)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.enums import Status
from app.pipeline.distill import RuleDistiller
from app.pipeline.drink_words import ALCOHOL
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Serving, Turn, TurnRequest, TurnState
from app.records.mag import add_medication_partners
from indexing.store import MedicineEntry

# Words the label corpus uses (a stand-in for the index's document frequencies); any other word is rare there.
_LABEL_WORDS = frozenset(
    """good place around here close time take taken dose tablet food with what when how much many the for day
    week month year there near open today still safe again about know tell next new old one last night back
    work home house long potassium oil fish""".split()
)


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "interactions", "description"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon(
        [_entry("warfarin", "Warfarin Sodium", "Coumadin"), _entry("sertraline", "Sertraline", "Zoloft"),
         _entry("metformin", "Metformin", "Glucophage"), _entry("ibuprofen", "Ibuprofen", "Advil", "Motrin"),
         _entry("apixaban", "Apixaban", "Eliquis"), _entry("levothyroxine", "Levothyroxine", "Synthroid"),
         _entry("lisinopril", "Lisinopril"), _entry("montelukast", "Montelukast", "Singulair"),
         _entry("amoxicillin", "Amoxicillin"), _entry("aspirin", "Aspirin"),
         _entry("atorvastatin", "Atorvastatin", "Lipitor"), _entry("prednisone", "Prednisone"),
         _entry("methylphenidate", "Methylphenidate", "Ritalin"), _entry("donepezil", "Donepezil", "Aricept"),
         _entry("acetaminophen", "Acetaminophen", "Tylenol")],
        extra_drug_names=("Fioricet",),
        is_known_word=lambda w: w.casefold() in _LABEL_WORDS,
    )


@dataclass(frozen=True)
class Case:
    turns: tuple[str, ...]  # user turns; an assistant "Okay." sits between them
    medicines: frozenset[str] = frozenset()  # the medicines the last turn's queries ask about
    status: Status | None = None  # NOT_MEDICAL or CLARIFY: answered before retrieval
    section: str | None = None  # the first query's section, when it matters
    unknown: bool = False  # a medicine the database lacks is what is asked about


def _case(*turns: str, asks: tuple[str, ...] = (), status: Status | None = None, section: str | None = None,
          unknown: bool = False) -> Case:
    return Case(turns, frozenset(asks), status, section, unknown)


NM, CL = Status.NOT_MEDICAL, Status.CLARIFY
CASES = [
    # small talk and unrelated turns: a reply, and the medicine stays for the next question
    _case("hey there", status=NM),
    _case("Good evening! Hope you're well.", status=NM),
    _case("I started Glucophage last week.", "Cool, thanks for the info!", status=NM),
    _case("I started Glucophage last week.", "Unrelated, but any good sushi restaurants downtown?", status=NM),
    _case("I started Glucophage last week.", "Unrelated, but any good sushi restaurants downtown?",
          "ok so does it cause diarrhea?", asks=("metformin",)),
    _case("My husband takes Coumadin.", "btw who won the football match yesterday",
          "can he have Motrin with it?", asks=("warfarin", "ibuprofen")),
    _case("I'm on Synthroid.", "hold on, my dog is barking", "ok back. should I take it before breakfast?",
          asks=("levothyroxine",)),
    _case("Is Zoloft safe while breastfeeding?", "Thank you, that was helpful. Bye!", status=NM),
    _case("I take lisinopril.", "谢谢", status=NM),
    _case("I take lisinopril.", "what about grapefruit juice?", asks=("lisinopril",), section="interactions"),
    _case("I take lisinopril.", "Any good movies out this weekend?", "and with alcohol?", asks=("lisinopril",),
          section="interactions"),
    _case("Prednisone was prescribed for my knee.", "side effects?", asks=("prednisone",)),
    _case("Prednisone was prescribed for my knee.", "and at night?", asks=("prednisone",)),
    _case("Prednisone was prescribed for my knee.", "can I still play tennis?", asks=("prednisone",)),
    # relatives: her / his by gender, by person, asked back when two of a gender fit
    _case("My wife is on Eliquis and my son takes Singulair.", "Does her medicine interact with ibuprofen?",
          asks=("apixaban", "ibuprofen")),
    # a product the database lacks beside her medicine: only her label's words on it would answer; no label
    # was read here (no index), so nothing is searched
    _case("My wife is on Eliquis and my son takes Singulair.", "Does her medicine interact with fish oil?",
          unknown=True),
    _case("My wife is on Eliquis and my son takes Singulair.", "Could his inhaler pills cause nightmares?",
          asks=("montelukast",)),
    _case("My grandma takes Aricept.", "My brother just got Ritalin.", "Is her pill ok to take at night?",
          asks=("donepezil",)),
    _case("My aunt uses Synthroid.", "Dad started atorvastatin.", "my dad's medicine, any muscle problems?",
          asks=("atorvastatin",)),
    _case("My mother takes Coumadin and my sister is on sertraline.", "what's the dose of her medication?",
          status=CL),
    _case("My mother takes Coumadin and my sister is on sertraline.", "what's the dose of her medication?",
          "I meant my sister's Zoloft.", asks=("sertraline",)),
    _case("My son takes Ritalin.", "My husband takes metformin.", "Can his pills affect appetite?", status=CL),
    _case("My daughter is on amoxicillin.", "My husband takes Lipitor.", "She has a rash, is it from her new one?",
          asks=("amoxicillin",)),
    # what the medicine said before contains
    _case("I take Motrin for cramps.", "Is there any aspirin in it?", asks=("ibuprofen",), section="description"),
    _case("My doctor gave me Fioricet.", "how much acetaminophen is in it", unknown=True),
    _case("I take warfarin.", "Can I take it with aspirin?", asks=("warfarin", "aspirin"), section="interactions"),
    _case("I take Tylenol.", "Does it have to be taken with food?", asks=("acetaminophen",), section="dosage"),
]


def _run(lexicon: MedicineLexicon, case: Case) -> TurnState:
    history: list[Turn] = []
    for turn in case.turns[:-1]:
        history += [Turn("user", turn), Turn("assistant", "Okay.")]
    state = TurnState(TurnRequest(message=case.turns[-1], history=history),
                      Serving(None, lexicon))  # type: ignore[arg-type]  # the distill stage reads no index
    RuleDistiller().run(state)
    if state.reading is None:  # the medication-partners stage: what the person asked about takes
        state.distilled, _ = add_medication_partners(state.distilled, state.question, None, lexicon,
                                                     state.conversation)
    return state


@pytest.mark.parametrize("case", CASES, ids=[c.turns[-1][:40] for c in CASES])
def test_hand_written_consultation(lexicon: MedicineLexicon, case: Case) -> None:
    state = _run(lexicon, case)
    queries = state.distilled.queries
    if case.status is Status.NOT_MEDICAL:
        assert state.reading is not None and state.reading.status is Status.NOT_MEDICAL, state.distilled.audit
        assert queries == [] and state.reading.citations == []
        return
    assert state.reading is None, state.reading
    if case.status is Status.CLARIFY:
        assert state.distilled.clarify and queries == [], (state.distilled.clarify, queries)
        return
    assert state.distilled.clarify == ""
    if case.unknown:
        assert state.distilled.unknown_drugs and not queries, (state.distilled.unknown_drugs, queries)
        return
    # alcohol rides as the reader's partner, no label (app.pipeline.drink_words)
    assert {q.medicine for q in queries if q.medicine != ALCOHOL} == case.medicines, [q.to_dict() for q in queries]
    if case.section is not None:
        assert queries[0].attribute == case.section, [q.to_dict() for q in queries]


def test_there_are_enough_conversations() -> None:
    assert len(CASES) >= 25


@pytest.mark.parametrize(("reply", "medicine"), [
    ("my mom's", "apixaban"), ("The first one.", "apixaban"), ("the latter", "sertraline"),
    ("I meant my daughter's Zoloft", "sertraline"), ("Mom's", "apixaban"),
])
def test_a_reply_to_the_question_back_keeps_what_was_asked(lexicon: MedicineLexicon, reply: str,
                                                            medicine: str) -> None:
    """The conversation continues from the reply: the medicine from the reply, the section from the question."""
    dialogue = [Turn("user", "My mom takes Eliquis and my daughter takes Zoloft."), Turn("assistant", "Okay."),
                Turn("user", "What is the usual dose of her medicine?"),
                Turn("assistant", "Which medicine do you mean: your mother's Apixaban or your daughter's Sertraline?"),
                Turn("user", reply)]
    distilled = RuleDistiller().distill(dialogue, lexicon)
    assert distilled.clarify == "" and distilled.queries, distilled.audit
    assert {q.medicine for q in distilled.queries} == {medicine}, [q.to_dict() for q in distilled.queries]
    assert distilled.queries[0].attribute == "dosage", [q.to_dict() for q in distilled.queries]
    # without the question back, the same reply does not borrow the earlier question's section
    plain = RuleDistiller().distill([*dialogue[:3], Turn("assistant", "Okay."), Turn("user", "my mom's")], lexicon)
    assert plain.queries[0].attribute != "dosage"
