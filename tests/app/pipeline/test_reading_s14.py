"""Session 14's changes, from its new-user trial (helper 117) and hand-written probes: a drug's other spelling when the
database lacks the drug ("rifampicin"), "will mine affect hers?" as a question, opening hours as small talk, "is it
safe for the baby?" said while pregnant, "if I'm already taking paracetamol" as a taken medicine, one caution for
the triptans sharing fluoxetine's sentence, restated sentences quoted once, and trial designs read as noise."""

from __future__ import annotations

from app.pipeline.alongside import _TAKEN_IN_QUESTION
from app.pipeline.distill import RuleDistiller
from app.pipeline.indication_search import Candidate, Caution, IndicationSearch
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.read import _overlaps, _own_amount
from app.pipeline.read_cues import noise_penalty
from app.pipeline.small_talk import TalkKind, classify, medical_signal
from app.pipeline.state import Turn
from indexing.schema import Attribute, Chunk
from indexing.store import MedicineEntry


def _lexicon(*extra: str) -> MedicineLexicon:
    return MedicineLexicon(
        [MedicineEntry("acetaminophen", "Acetaminophen", (), "en", "", ("dosage", "warnings")),
         MedicineEntry("nifedipine", "Nifedipine", (), "en", "", ("dosage", "warnings")),
         MedicineEntry("warfarin", "Warfarin", (), "en", "", ("dosage", "warnings", "interactions"))],
        extra_drug_names=extra, is_known_word=lambda word: True,  # every word is in many labels
        synonyms={"rifampicin": "rifampin", "coffee": "caffeine"})


def test_another_spelling_of_a_drug_the_database_lacks_is_reported_missing() -> None:
    found = _lexicon("rifampin").find("I've been prescribed rifampicin for TB")
    assert [(m.surface, m.medicine_id) for m in found] == [("rifampicin", None)]
    # an ordinary word a drug dictionary maps to a lacking drug is not its other spelling
    assert _lexicon("caffeine").find("I drink coffee") == []


def test_whose_medicine_pronouns_keep_a_turn_a_medicine_question() -> None:
    lexicon = _lexicon()
    assert medical_signal("will mine affect hers?", lexicon) == "refers_back"
    assert medical_signal("could mine affect his?", lexicon) == "refers_back"


def test_opening_hours_are_small_talk_unless_a_medicine_is_named() -> None:
    lexicon = _lexicon()
    assert classify("btw do you know when pharmacies close on a Sunday?", lexicon) is TalkKind.UNRELATED
    assert classify("what time does the chemist open", lexicon) is TalkKind.UNRELATED
    assert classify("when does the pharmacy open? I ran out of warfarin", lexicon) is None


def _distill(*said: str):  # type: ignore[no-untyped-def]
    dialogue: list[Turn] = []
    for text in said:
        dialogue += [Turn("user", text), Turn("assistant", "Okay.")]
    return RuleDistiller().distill(dialogue[:-1], _lexicon())


def test_safe_for_the_baby_while_pregnant_asks_about_pregnancy() -> None:
    d = _distill("I'm 30 weeks pregnant and was given nifedipine", "is it safe for the baby?")
    assert {q.attribute for q in d.queries if q.medicine == "nifedipine"} == {Attribute.PREGNANCY.value}


def test_already_taking_in_an_if_clause_is_a_medicine_taken_alongside() -> None:
    assert _TAKEN_IN_QUESTION.search("Is it ok to take Lemsip Max if I'm already taking ")
    assert _TAKEN_IN_QUESTION.search("can I have a glass of wine while I'm still on ")


def _chunk(mid: str, attribute: str, text: str) -> Chunk:
    return Chunk(f"{mid}:{attribute}:0", mid, attribute, 0, text, f"{mid} - {attribute}", "en")


def test_one_sentence_of_a_taken_medicine_is_one_caution_for_every_listed_medicine() -> None:
    serotonin = _chunk("fluoxetine", "warnings", "Serotonin syndrome has been reported with triptans.")
    found = [Candidate(mid, mid.title(), _chunk(mid, "indications", f"{mid} treats migraine."),
                       f"{mid} treats migraine.") for mid in ("eletriptan", "almotriptan", "naratriptan")]
    cautions = [Caution(c.medicine_id, "fluoxetine", serotonin, serotonin.text) for c in found]
    result = IndicationSearch.answer("migraine", found, cautions=cautions, names={"fluoxetine": "Fluoxetine"})
    assert [c.n for c in result.citations] == [1, 2, 3, 4]
    assert "[4] Eletriptan, Almotriptan and Naratriptan with Fluoxetine: Fluoxetine's label says" in result.text
    assert result.text.count("Serotonin syndrome") == 1


def test_a_sentence_restated_with_other_case_or_dashes_is_the_same() -> None:
    assert _overlaps("Lithium Generally should not be given with diuretics. Diuretic agents reduce clearance.",
                     "Lithium generally should not be given with diuretics.")
    assert not _own_amount(
        "Initiation of metformin in patients with an eGFR between 30 – 45 mL/minute/1.73 m 2 is not recommended.",
        "Initiation is not recommended in patients with eGFR between 30-45 mL/minute/1.73 m 2.")
    assert _own_amount("The dose is 2 mg once daily.", "Not recommended in severe hepatic impairment at any dose.")


def test_how_a_trial_was_run_is_noise_but_its_most_common_reactions_are_not() -> None:
    assert noise_penalty("JARDIANCE was used as monotherapy in one trial and as add-on therapy in four trials.") > 0
    assert noise_penalty("Baseline renal function was normal or mildly impaired in 91% of patients.") > 0
    assert noise_penalty("Most common adverse reactions were urinary tract infections and genital mycotic "
                         "infections.") == 0
