"""Session 14's changes, from its new-user trial (helper 117) and hand-written probes: a drug's other spelling when the
database lacks the drug ("rifampicin"), "will mine affect hers?" as a question, opening hours as small talk, "is it
safe for the baby?" said while pregnant, "if I'm already taking paracetamol" as a taken medicine, one caution for
the triptans sharing fluoxetine's sentence, restated sentences quoted once, and trial designs read as noise."""

from __future__ import annotations

from app.pipeline.alongside import _TAKEN_IN_QUESTION
from app.pipeline.attributes import classify_attribute
from app.pipeline.distill import RuleDistiller
from app.pipeline.indication_search import Candidate, Caution, IndicationSearch
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.read import _WHICH_OF_THEM, _overlaps, _own_amount
from app.pipeline.read_cues import conditions_in, noise_penalty, question_expansions, warns_against
from app.pipeline.read_dose import asks_dose
from app.pipeline.read_missed import ALCOHOL
from app.pipeline.small_talk import TalkKind, classify, medical_signal
from app.pipeline.state import Turn
from app.pipeline.statement import bare_statement
from indexing.schema import Attribute, Chunk
from indexing.store import MedicineEntry
from indexing.text import tokenize


def _names(text: str) -> set[str]:
    return {c.name for c in conditions_in(text)}


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


# -- the tuning half of the ninth sitting (fresh9tune) --------------------------------------------------------------

def _two_turns(*said: str, lexicon: MedicineLexicon | None = None):  # type: ignore[no-untyped-def]
    dialogue: list[Turn] = []
    for text in said:
        dialogue += [Turn("user", text), Turn("assistant", "Okay.")]
    return RuleDistiller().distill(dialogue[:-1], lexicon or _kit())


def _kit() -> MedicineLexicon:
    ids = ("acetaminophen", "ibuprofen", "metronidazole", "tinidazole", "donepezil", "amlodipine", "omeprazole",
           "colchicine", "clarithromycin", "sildenafil", "nitroglycerin", "warfarin")
    return MedicineLexicon([MedicineEntry(mid, mid.title(), (), "en", "", ("dosage", "warnings", "interactions"))
                            for mid in ids], synonyms={"panadol": "acetaminophen", "nurofen": "ibuprofen",
                                                       "gtn": "nitroglycerin", "viagra": "sildenafil"})


def _asked_ids(d) -> list[str]:  # type: ignore[no-untyped-def]
    return list(dict.fromkeys(q.medicine for q in d.queries if q.medicine))


def test_the_medicine_the_asking_part_names_of_those_in_the_house() -> None:
    d = _two_turns("We have Panadol and Nurofen at home, can I take Nurofen?")
    assert _asked_ids(d) == ["ibuprofen"]
    # one said taken is asked with it
    assert set(_asked_ids(_two_turns("I take warfarin and we have Nurofen at home. Can I take Nurofen?"))) == {
        "warfarin", "ibuprofen"}
    assert set(_asked_ids(_two_turns("I keep a GTN spray for my angina. Is it ok to try Viagra?"))) == {
        "nitroglycerin", "sildenafil"}


def test_not_the_medicine_said_stopped() -> None:
    d = _two_turns("Last year metronidazole made me sick so I stopped it. This time I was given tinidazole. "
                   "Do I have to stop feeding her?")
    assert _asked_ids(d) == ["tinidazole"]
    d = _two_turns("I stopped metronidazole and started tinidazole. Do they interact?")
    assert set(_asked_ids(d)) == {"metronidazole", "tinidazole"}


def test_the_old_one_is_the_medicine_taken_before() -> None:
    d = _two_turns("I keep colchicine for my gout flares.",
                   "This week I got clarithromycin for pneumonia. If my gout flares can I still take the old one?")
    assert set(_asked_ids(d)) == {"colchicine", "clarithromycin"}


def test_the_memory_tablet_of_a_long_story_and_its_effect() -> None:
    d = _two_turns("Mum is 81. She takes amlodipine 5 in the morning, omeprazole for her stomach and since the "
                   "memory clinic she's also on donepezil 10 mg at night. Her pulse was only 46 on Sunday. What I "
                   "want to know is, could the memory tablet be what's slowing her heart down?")
    assert _asked_ids(d) == ["donepezil"]
    assert d.queries[0].attribute == Attribute.ADVERSE_REACTIONS.value


def test_a_told_regimen_is_no_dose_question() -> None:
    assert not asks_dose("I take it 1 g twice a day. What's it meant to do?", "indications")
    assert asks_dose("How many a day can I take?", "indications")
    assert classify_attribute("What's it meant to do?").attribute is Attribute.INDICATIONS
    assert classify_attribute("They are plain white round ones with L 59 on them. Are these right?"
                              ).attribute is Attribute.DOSAGE_FORMS
    assert classify_attribute("Can I just keep going till they run out?").attribute is Attribute.DOSAGE


def test_lay_words_for_effects_and_a_slow_pulse() -> None:
    assert "bradycardia" in _names("the paramedic said her pulse was only 46")
    assert "bradycardia" in _names("could it be slowing her heart down?")
    assert set(tokenize("gingival hyperplasia")) <= question_expansions("his gums have gone thick and overgrown")
    assert set(tokenize("tardive dyskinesia")) <= question_expansions("her tongue and lips keep moving on their own")


def test_an_overdose_co_ingestant_or_solvent_is_no_word_about_drinking() -> None:
    assert not ALCOHOL.label_speaks(["Hypertension most commonly seen, or hypotension with co‐ingestants "
                                     "including alcohol.", "It is soluble in ethanol."])
    assert ALCOHOL.label_speaks(["Foods high in tyramine include aged cheeses, tap beers, and red wines."])


def test_which_of_them_asks_the_label_that_answers_best() -> None:
    assert _WHICH_OF_THEM.search("it might be a side effect of one of them - which one?")
    assert _WHICH_OF_THEM.search("医生说可能是其中一个药的副作用，是哪个？")
    assert not _WHICH_OF_THEM.search("which dose should I take?")


def test_how_long_until_it_works_is_no_ask_a_contraindication_warns_against() -> None:
    said = frozenset(question_expansions("How long does it take for sertraline to start working?"))
    maoi = ("The use of sertraline within 14 days of stopping an MAOI intended to treat psychiatric disorders is also "
            "contraindicated.")
    assert not warns_against("contraindications", maoi, frozenset(tokenize(maoi)), said)
    weight = "Should not be used for the treatment of obesity or for weight loss."
    assert warns_against("contraindications", weight, frozenset(tokenize(weight)),
                         frozenset(question_expansions("I want to lose 10 lbs")))


def test_a_medicine_taken_since_or_after_an_event_is_a_statement() -> None:
    # helper 119: "My dad takes clopidogrel after his heart stent." was answered with a trial in neonates
    assert bare_statement("My dad takes clopidogrel after his heart stent.", ["clopidogrel"])
    assert bare_statement("I've been on warfarin for my AF since last year.", ["warfarin"])
    assert not bare_statement("I take warfarin after meals, is that ok?", ["warfarin"])
    assert not bare_statement("My dad takes clopidogrel after his heart stent and his gums bleed.", ["clopidogrel"])
