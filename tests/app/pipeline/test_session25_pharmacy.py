"""Readings a community pharmacy's counter and online chat showed (session 25): a word people use for how they feel
("sick and jittery", "teary", "gassy and crampy") stands where a medicine could and is no medicine the database
lacks; a medicine told with the event it is taken since ("Plavix after my stent.") is taken, and buying one
for someone ("Can I buy him Viagra Connect?") asks it beside what they take."""

from __future__ import annotations

import pytest

from app.pipeline.context import MedStatus, build_context
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "interactions", "warnings"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    # no label word is known: any word in a drug slot that is neither English nor a name would be a missing product
    return MedicineLexicon([
        _entry("sertraline", "Sertraline"),
        _entry("lisinopril", "Lisinopril"),
        _entry("fluoxetine", "Fluoxetine"),
        _entry("metformin", "Metformin"),
        _entry("clopidogrel", "Clopidogrel", "Plavix"),
        _entry("omeprazole-otc", "Omeprazole (OTC)", "Prilosec OTC"),
        _entry("nitroglycerin", "Nitroglycerin", "GTN"),
        _entry("sildenafil", "Sildenafil", "Viagra"),
    ], is_known_word=lambda word: False)


def _dialogue(*turns: str) -> list[Turn]:
    return [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]


@pytest.mark.parametrize("text", [
    "started sertraline 2 weeks ago and feel really sick and jittery. normal?",
    "taking lisinopril and teary all the time",
    "I'm on fluoxetine and gassy and crampy",
    "on metformin and knackered by lunchtime",
    "My son's 14 and has proper flu, temperature and aches",
])
def test_a_feeling_is_no_missing_medicine(lexicon: MedicineLexicon, text: str) -> None:
    assert [m.surface for m in lexicon.find(text) if m.medicine_id is None] == []


def test_a_made_up_name_in_the_same_slot_is_still_missing(lexicon: MedicineLexicon) -> None:
    found = lexicon.find("I take metformin and zentravix")
    assert [(m.surface, m.medicine_id) for m in found] == [("metformin", "metformin"), ("zentravix", None)]


@pytest.mark.parametrize("told", ["Plavix after my stent.", "Been on Plavix since my heart attack."])
def test_a_medicine_told_with_the_event_it_is_taken_since_is_taken(lexicon: MedicineLexicon, told: str) -> None:
    context = build_context(_dialogue(told + " Can I buy Prilosec OTC for reflux?"), lexicon)
    status = {m.medicine_id: m.status for m in context.medicines}
    assert status["clopidogrel"] in (MedStatus.CURRENT, MedStatus.LONG_TERM)
    d = RuleDistiller().distill(_dialogue(told + " Can I buy Prilosec OTC for reflux?"), lexicon)
    assert {(q.medicine, q.attribute) for q in d.queries} == {("omeprazole-otc", "interactions"),
                                                              ("clopidogrel", "interactions")}


@pytest.mark.parametrize("question", ["He's too embarrassed to come in himself. Can I buy him Viagra Connect?",
                                      "Could I get him some Viagra?"])
def test_buying_one_for_someone_asks_it_beside_what_they_take(lexicon: MedicineLexicon, question: str) -> None:
    d = RuleDistiller().distill(_dialogue(
        "My husband uses a GTN spray for angina when he gets chest pain", "Thanks. What would you like to ask?",
        question), lexicon)
    # (the medication-partners stage pairs it with the nitroglycerin the context says he uses)
    assert [(q.medicine, q.attribute) for q in d.queries] == [("sildenafil", "interactions")]


def test_a_symptom_the_boxed_warning_opens_with_is_its_subject() -> None:
    from app.pipeline.warned_symptom import boxed_symptom
    boxed = ("Suicidality and Antidepressant Drugs Antidepressants increased the risk compared to placebo of suicidal "
             "thinking and behavior (suicidality) in children, adolescents, and young adults.")
    said = "He's been really agitated and said some worrying things last night about not wanting to be here."
    assert boxed_symptom(said, boxed)
    assert boxed_symptom("I feel a bit sick after it", boxed) == frozenset()


@pytest.mark.parametrize("said", ["said some worrying things about not wanting to be here",
                                  "she says she doesn't want to wake up", "he thinks we'd be better off without him"])
def test_lay_words_for_suicidal_thoughts_read_as_the_labels(said: str) -> None:
    from app.pipeline.warned_symptom import symptom_words
    from indexing.text import tokenize
    assert set(tokenize("suicidal")) <= symptom_words(said)


def test_a_trial_count_of_suicides_is_no_answer() -> None:
    from app.pipeline.read_cues import noise_penalty
    assert noise_penalty("No suicides occurred in any of the pediatric studies.") > 0


@pytest.mark.parametrize(("told", "question", "section"), [
    ("I'm 10 weeks pregnant", "Can I carry on with Claritin for my hay fever or do I need to stop?", "pregnancy"),
    ("I'm 10 weeks pregnant", "Should I stop my Claritin?", "pregnancy"),
    ("I'm breastfeeding", "do I need to stop the sertraline?", "lactation"),
])
def test_carrying_on_or_stopping_after_a_pregnancy_told_asks_of_it(told: str, question: str, section: str) -> None:
    lexicon = MedicineLexicon([_entry("loratadine", "Loratadine", "Claritin"), _entry("sertraline", "Sertraline")])
    d = RuleDistiller().distill(_dialogue(told, "OK. How can I help?", question), lexicon)
    assert [q.attribute for q in d.queries][:1] == [section]


def test_a_nose_spray_is_the_nasal_product_of_the_name() -> None:
    from app.pipeline.form_choice import form_said
    assert form_said(["the", "rhinocort", "nose", "spray"]) == "nasal"


def test_the_product_in_hand_with_a_kind_taken_asks_both() -> None:
    lexicon = MedicineLexicon([
        _entry("drx-choice-daytime-cold-and-flu", "DRx Choice Daytime Cold and Flu"),
        _entry("amlodipine", "Amlodipine")])
    d = RuleDistiller().distill(_dialogue(
        "Hi, I'm at the till with a box of the DRx Choice daytime cold and flu softgels. Can I take this cold and flu "
        "stuff with my blood pressure tablets? I'm on amlodipine 5mg."), lexicon)
    assert "drx-choice-daytime-cold-and-flu" in {q.medicine for q in d.queries}


def test_a_nose_allergy_is_hay_fever_not_an_allergen() -> None:
    from app.pipeline.zh_conditions import zh_allergens
    assert zh_allergens("鼻子过敏一直打喷嚏") == []
    assert zh_allergens("季节性过敏") == []
    assert zh_allergens("我青霉素过敏") == ["青霉素"]


def test_chinese_high_blood_pressure_is_a_condition() -> None:
    from app.pipeline.zh_conditions import zh_conditions_in
    assert "hypertension" in {kind for kind, _ in zh_conditions_in("高血压患者能吃伪麻黄碱吗？")}


def test_a_medicine_bought_for_him_and_one_held_under_the_tongue_are_his() -> None:
    from app.pipeline.context import Owner
    lexicon = MedicineLexicon([_entry("nitroglycerin", "Nitroglycerin", "硝酸甘油"),
                               _entry("sildenafil", "Sildenafil", "万艾可")])
    context = build_context(_dialogue("我老公有冠心病，心口痛的时候舌下含硝酸甘油", "好的，了解。请问您想问什么？",
                                      "他不好意思自己来，我想帮他买万艾可，可以吗？"), lexicon)
    said = {m.medicine_id: m for m in context.medicines}
    assert said["nitroglycerin"].status is MedStatus.CURRENT
    assert said["sildenafil"].owner is Owner.RELATIVE


def test_high_blood_pressure_is_named_by_blood_pressure_together() -> None:
    from app.pipeline.read_cues import conditions_in
    from indexing.text import tokenize
    hypertension = next(c for c in conditions_in("I have high blood pressure.") if c.name == "hypertension")
    assert hypertension.named_in(frozenset(tokenize("Ask a doctor before use if you have heart disease high blood "
                                                    "pressure thyroid disease")))
    assert not hypertension.named_in(frozenset(tokenize("relieves sinus congestion and pressure")))
    assert not hypertension.named_in(frozenset(tokenize("may cause blood clots at high doses")))


def _scored(source: int, text: str, score: float, safety: bool = False):  # type: ignore[no-untyped-def]
    from app.pipeline.read import _Scored, _Sentence
    from indexing.text import tokenize
    sentence = _Sentence("levonorgestrel", "warnings", "levonorgestrel:warnings:0", 0, source, text,
                         frozenset(tokenize(text)), 0)
    return _Scored(sentence, score, 0.0, safety)


def test_a_sentence_opening_on_the_quoted_one_is_read_on_after_it() -> None:
    from app.pipeline.read import _with_continuations
    asked = _scored(0, "Ask a doctor or pharmacist before use if you are taking rifampin or medication for seizures.",
                    9.6, safety=True)
    follows = _scored(1, "These medications may reduce the effectiveness of levonorgestrel.", 3.7)
    other = _scored(3, "Allergy alert: Do not use if you have ever had an allergic reaction to levonorgestrel.", 4.8)
    chosen = _with_continuations([asked, other], [asked, other, follows], budget=600)
    assert [s.sentence.source for s in chosen] == [0, 1, 3]
    assert chosen[1].safety  # one passage with the item it continues
    # no room: a sentence scoring under the continuation gives way, one scoring above it does not; a continuation
    # of nothing kept is not quoted
    weak = _scored(4, "Sexually transmitted disease alert: This product does not protect against HIV/AIDS.", 2.0)
    tight = _with_continuations([asked, weak], [asked, weak, follows], budget=200)
    assert [s.sentence.source for s in tight] == [0, 1]
    assert _with_continuations([asked, other], [asked, other, follows], budget=200) == [asked, other]
    assert _with_continuations([other], [asked, other, follows], budget=600) == [other]


def test_a_cold_remedys_decongestant_is_a_sympathomimetic() -> None:
    from app.records.interactions import classes_in, name_class_keys
    assert name_class_keys(["Pseudoephedrine Hydrochloride"]) == {"sympathomimetic"}
    assert name_class_keys(["Phenelzine Sulfate"]) == set()
    assert "sympathomimetic" in classes_in("patients being treated with phenelzine should not take sympathomimetic "
                                           "drugs (including amphetamines)")


def test_also_they_points_back() -> None:
    from app.pipeline.read_cues import points_back
    assert points_back("Also, they should not be given cocaine or local anesthesia.")
    assert not points_back("Therefore, patients being treated with phenelzine should not take sympathomimetic drugs.")


@pytest.mark.parametrize("said", ["there's white stuff on my tongue since I started Advair",
                                  "his mouth has gone white"])
def test_white_stuff_on_the_tongue_is_oral_thrush(said: str) -> None:
    from app.pipeline.read_cues import said_expansions
    from indexing.text import tokenize
    assert set(tokenize("candidiasis oropharyngeal")) <= said_expansions(said)


def _ev(mid: str, attribute: str, text: str, i: int = 0):  # type: ignore[no-untyped-def]
    from app.pipeline.state import Evidence
    from indexing.schema import Chunk
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid), 0.03, 0, i)


def test_a_child_told_before_an_open_question_reads_the_childrens_lines() -> None:
    from app.pipeline.read import ExtractiveReader
    from app.pipeline.state import SearchQuery
    evidence = [
        _ev("aspirin", "warnings", "Seek medical help right away if you experience any signs of stomach bleeding."),
        _ev("aspirin", "warnings", "Reye's syndrome: Children and teenagers who have or are recovering from chicken "
            "pox or flu-like symptoms should not use this product.", 1),
        _ev("aspirin", "indications", "For the temporary relief of minor aches and pains.", 2),
    ]
    dialogue = _dialogue("My son's 14 and has proper flu, temperature and aches", "What's your question?",
                         "There's only his nan's aspirin in the house. Can he have a couple of those?")
    result = ExtractiveReader().read_evidence(dialogue[-1].content, [SearchQuery("aspirin", None, "aspirin")],
                                              evidence, dialogue)
    assert any("Reye's syndrome" in c.quote for c in result.citations), [c.quote for c in result.citations]


def test_a_condition_a_cold_remedy_warns_of_leads_its_answer() -> None:
    from app.pipeline.read import ExtractiveReader
    from app.pipeline.state import SearchQuery
    evidence = [
        _ev("pseudoephedrine", "warnings", "Do not use if you are now taking a prescription monoamine oxidase "
            "inhibitor (MAOI)."),
        _ev("pseudoephedrine", "warnings", "Ask a doctor before use if you have heart disease high blood pressure "
            "thyroid disease diabetes.", 1),
        _ev("pseudoephedrine", "indications", "Temporarily relieves sinus congestion and pressure.", 2),
    ]
    dialogue = _dialogue("I have high blood pressure.", "OK", "can I take sudafed?")
    result = ExtractiveReader().read_evidence("can I take sudafed?",
                                              [SearchQuery("pseudoephedrine", "warnings", "pseudoephedrine")],
                                              evidence, dialogue)
    assert "high blood pressure" in result.citations[0].quote, [c.quote for c in result.citations]


def test_an_age_beside_a_medicine_added_to_another_asks_the_pair() -> None:
    lexicon = MedicineLexicon([_entry("digoxin", "Digoxin"), _entry("clarithromycin", "Clarithromycin")])
    d = RuleDistiller().distill(_dialogue("my mum is 82 and on digoxin, the doctor added clarithromycin for her "
                                          "chest. anything to worry about?"), lexicon)
    assert {(q.medicine, q.attribute) for q in d.queries} == {("digoxin", "interactions"),
                                                              ("clarithromycin", "interactions")}


@pytest.mark.parametrize(("text", "leans"), [
    ("Discontinue warfarin sodium if such emboli occur.", True),
    ("Discontinue warfarin sodium and consider alternative anticoagulants if necessary.", True),
    ("Discontinue allopurinol tablets at the first appearance of skin rash.", False),
    ("Discontinue use if rash occurs.", False),
])
def test_a_stop_told_without_what_calls_for_it_leans_on_the_sentence_before(text: str, leans: bool) -> None:
    from app.pipeline.read_cues import _POINTS_BACK
    assert bool(_POINTS_BACK.search(text)) is leans


def test_an_old_person_asked_safe_of_a_label_without_an_older_adults_section_reads_its_box() -> None:
    from app.pipeline.read import ExtractiveReader
    from app.pipeline.state import SearchQuery
    evidence = [
        _ev("warfarin", "warnings", "Discontinue warfarin sodium if such emboli occur."),
        _ev("warfarin", "warnings", "Tissue necrosis: Necrosis or gangrene of skin can occur.", 1),
        _ev("warfarin", "boxed_warning", "WARNING: BLEEDING RISK Warfarin sodium can cause major or fatal bleeding."),
    ]
    dialogue = _dialogue("my dad is 85, on warfarin. is it safe for him?")
    query = [SearchQuery("warfarin", "warnings", "warfarin")]
    result = ExtractiveReader().read_evidence(dialogue[-1].content, query, evidence, dialogue)
    assert "fatal bleeding" in result.citations[0].quote, [c.quote for c in result.citations]


def test_a_title_case_heading_run_into_its_paragraph_is_no_list() -> None:
    from app.pipeline.compose import split_run_on
    text = ("The following information should be taken into account in those patients who are being treated for "
            "hypertension as well as angina: Increased Angina and/or Myocardial Infarction Rarely, patients, "
            "particularly those who have severe obstructive coronary artery disease, have developed increased angina.")
    assert "; " not in " ".join(split_run_on(text))
    listed = split_run_on("Fluoroquinolones have been associated with serious adverse reactions, including: "
                          "Tendinitis and tendon rupture Peripheral neuropathy Central nervous system effects")
    assert "tendinitis and tendon rupture; peripheral neuropathy; central nervous system effects" in listed[0]


@pytest.mark.parametrize("question", ["Is Xanax addictive?",
                                      "teenager on escitalopram, can it cause suicidal thoughts"])
def test_a_warnings_question_keeps_its_section_whatever_the_box_opens_with(question: str) -> None:
    lexicon = MedicineLexicon([_entry("alprazolam", "Alprazolam", "Xanax"), _entry("escitalopram", "Escitalopram")])
    d = RuleDistiller().distill(_dialogue(question), lexicon)
    assert d.queries[0].attribute != "boxed_warning"


def test_proper_flu_is_flu() -> None:
    from app.pipeline.read_cues import conditions_in
    from indexing.text import tokenize
    stated = [c for c in conditions_in("My son's 14 and has proper flu, temperature and aches") if c.name == "stated"]
    assert [c.terms for c in stated] == [frozenset(tokenize("flu"))]
