"""Issue 17 understanding, in dialogues of our own wording: an allergy said in the asking turn, storage said
as "keep", a kind word meaning the medicine said before ("my insulin" after Lantus), and a reply to the
service's question back answering the pending question with its intent (a missed dose)."""

from __future__ import annotations

import pytest

from app.pipeline.allergy_spelling import respell_allergen
from app.pipeline.attributes import classify_attribute
from app.pipeline.context import allergens_in, build_context, condition_kinds
from app.pipeline.distill import RuleDistiller
from app.pipeline.kind_reference import kinds_meaning_earlier
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.read_missed import asks_missed_dose
from app.pipeline.state import Distillation, Serving, Turn, TurnRequest, TurnState
from indexing.schema import Attribute
from indexing.store import MedicineEntry

_LABEL_WORDS = frozenset("""take dose tablet food what when how much day night pen pens fridge car keep store
    use travel warm kid rash dentist here""".split())


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "contraindications"), routes=("ORAL",))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon(
        [_entry("sulfamethoxazole-and-trimethoprim", "Sulfamethoxazole and Trimethoprim", "Bactrim", "Septra"),
         _entry("amoxicillin", "Amoxicillin"),
         _entry("amoxicillin-and-clavulanate-potassium", "Amoxicillin and Clavulanate Potassium", "Augmentin"),
         _entry("insulin-glargine", "Insulin Glargine", "Lantus"), _entry("insulin", "Insulin"),
         _entry("aspirin", "Aspirin"), _entry("apixaban", "Apixaban", "Eliquis"),
         _entry("lisinopril", "Lisinopril"), _entry("amlodipine", "Amlodipine"), _entry("mirabegron", "Mirabegron")],
        is_known_word=lambda w: w.casefold() in _LABEL_WORDS,
    )


def _state(lexicon: MedicineLexicon, *turns: str) -> TurnState:
    """The distilled state of user turns; a turn starting 'A:' is the service's."""
    history: list[Turn] = []
    for turn in turns[:-1]:
        history.append(Turn("assistant", turn[2:].strip()) if turn.startswith("A:") else Turn("user", turn))
    state = TurnState(TurnRequest(message=turns[-1], history=history),
                      Serving(None, lexicon))  # type: ignore[arg-type]  # the distill stage reads no index
    RuleDistiller().run(state)
    return state


def _asked(state: TurnState) -> list[tuple[str | None, str | None]]:
    return [(q.medicine, q.attribute) for q in state.distilled.queries]


# -- an allergy in the asking turn ----------------------------------------------------------------------
@pytest.mark.parametrize(("turn", "allergen"), [
    ("I'm allergic to sulfa, can I take Bactrim?", "sulfa"),
    ("Sulpha allergy here. Is Septra ok for me?", "sulpha"),
    ("I have a penicillin allergy, would amoxicillin be safe", "penicillin"),
    ("Allergic to penicillins (rash as a kid). Dentist wants me on Augmentin, fine?", "penicillins"),
])
def test_the_allergen_of_the_asking_turn(turn: str, allergen: str) -> None:
    assert allergens_in(turn) == [allergen]


@pytest.mark.parametrize("turn", ["I have bad seasonal allergies", "I take Zyrtec for allergies",
                                  "my food allergies are playing up", "does it help my allergies"])
def test_kinds_of_allergy_are_no_allergen(turn: str) -> None:
    assert allergens_in(turn) == []


def test_sulfa_is_what_labels_call_sulfonamides() -> None:
    for said in ("sulfa", "sulpha", "sulfa drugs", "Sulfa antibiotics"):
        assert respell_allergen(said) == "sulfonamides", said
    assert respell_allergen("sulfasalazine") == "sulfasalazine"  # a medicine, not the class


@pytest.mark.parametrize(("turn", "medicine"), [
    ("Allergic to penicillins (rash as a kid). Dentist wants me on Augmentin, fine?",
     "amoxicillin-and-clavulanate-potassium"),
    ("I have a penicillin allergy, would amoxicillin be safe", "amoxicillin"),
    ("im allergic to sulfa... can i take bactrim??", "sulfamethoxazole-and-trimethoprim"),
])
def test_an_allergy_in_the_asking_turn_asks_the_contraindications(lexicon: MedicineLexicon, turn: str,
                                                                   medicine: str) -> None:
    state = _state(lexicon, turn)
    assert _asked(state) == [(medicine, "contraindications")]
    assert state.conversation is not None and state.conversation.allergies()


# -- storage said as keep ---------------------------------------------------------------------------------
@pytest.mark.parametrize("question", [
    "How should I keep my Ozempic pens?", "where do I keep my insulin", "should I keep them in the fridge",
    "Can I put my Humira in the freezer?", "is it ok if my insulin pen gets warm in the car?",
    "how to keep insulin cool while travelling",
])
def test_keeping_a_medicine_is_storage(question: str) -> None:
    assert classify_attribute(question).attribute is Attribute.STORAGE


@pytest.mark.parametrize("question", [
    "I keep getting headaches", "do I keep taking it if I feel better", "how can I keep my blood pressure under "
    "control", "how do I keep my sugar levels normal",
])
def test_keep_doing_something_is_not_storage(question: str) -> None:
    assert classify_attribute(question).attribute is not Attribute.STORAGE


# -- a kind word meaning the medicine said before -----------------------------------------------------------
@pytest.mark.parametrize("turns", [
    ("Last week I was also started on Lantus.", "how to use it insulin pen"),
    ("I use Lantus at night.", "Where should I keep my insulin when I travel?"),
])
def test_a_kind_word_means_the_medicine_said_before(lexicon: MedicineLexicon, turns: tuple[str, ...]) -> None:
    state = _state(lexicon, *turns)
    assert {m for m, _ in _asked(state)} == {"insulin-glargine"}


def test_a_kind_word_not_said_as_ones_own_stays_itself(lexicon: MedicineLexicon) -> None:
    dialogue = [Turn("user", "I take Lantus."), Turn("assistant", "Okay."), Turn("user", "Should I also take insulin?")]
    context = build_context(dialogue, lexicon)
    found = lexicon.find(dialogue[-1].content)
    assert [m.medicine_id for m in kinds_meaning_earlier(dialogue[-1].content, found, context, lexicon.names, 2)
            ] == ["insulin"]


# -- a reply to the question back answers the pending question ------------------------------------------------
def test_the_reply_answers_the_pending_question_with_its_intent(lexicon: MedicineLexicon) -> None:
    state = _state(lexicon, "I take lisinopril and amlodipine.", "A: Okay.",
                   "What should I do if I forget a dose of it?",
                   "A: Which medicine do you mean: Lisinopril or Amlodipine?", "the amlodipine")
    assert _asked(state)[0] == ("amlodipine", "dosage")
    assert "forget a dose" in state.question and state.question.endswith("the amlodipine")
    assert asks_missed_dose(state.question)  # the reader's missed-dose topic sees the pending question


def test_a_turn_that_replies_to_nothing_is_its_own_question(lexicon: MedicineLexicon) -> None:
    state = _state(lexicon, "I take lisinopril.", "A: Okay.", "what is the dose of amlodipine?")
    assert state.question == "what is the dose of amlodipine?"
    assert TurnState(TurnRequest("x"), Serving(None, lexicon),  # type: ignore[arg-type]
                     distilled=Distillation(answering="y")).question == "y"


def test_misses_a_dose_is_a_missed_dose() -> None:
    assert asks_missed_dose("What if he misses a dose?")
    assert asks_missed_dose("what if I miss my evening pill")


def test_a_stated_high_blood_pressure_asks_the_warnings(lexicon: MedicineLexicon) -> None:
    assert condition_kinds("I already have high BP.") == ["hypertension"]
    assert condition_kinds("does lisinopril lower high blood pressure") == []
    state = _state(lexicon, "My GP started me on mirabegron for my bladder.",
                   "Back. Can it push my blood pressure up? I already have high BP.")
    assert _asked(state) == [("mirabegron", "warnings")]


def test_a_what_about_follow_up_after_a_statement_asks_it_beside_what_is_taken() -> None:
    from app.pipeline.alongside import _ASKS_TO_TAKE, _TAKEN_IN_QUESTION

    assert _ASKS_TO_TAKE.search("and what about aspirin for a headache")
    assert _ASKS_TO_TAKE.search("How about Tylenol?")
    assert _TAKEN_IN_QUESTION.search("my husband is on ")
    assert _TAKEN_IN_QUESTION.search("she's taking her ")
    assert not _TAKEN_IN_QUESTION.search("my husband asked about ")


def test_a_product_that_gave_a_reaction_beside_an_allergy_is_an_allergen_too() -> None:
    assert "bactrim" in allergens_in("I'm allergic to sulfa drugs (I got hives from Bactrim)")
    assert "bactrim" in allergens_in("allergic to sulfa drugs (hives with bactrim)")
    assert "augmentin" in allergens_in("I'm allergic to penicillin, I had a bad reaction to Augmentin once")
    # a reaction with no allergy said asks about the medicine
    assert allergens_in("I got a rash from amoxicillin, is that an allergy?") == []
