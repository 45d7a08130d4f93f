"""Session 11's new-user trial (helper 102): a sentence about an unnamed event is never quoted alone ("If it
occurs, discontinue sertraline ..."), lay words for diarrhoea and aching legs, a dose asked for a kidney function
the label never mentions (a notice), and when to take a product the database lacks beside a medicine taken."""

from __future__ import annotations

from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.read_cues import conditions_in, on_unnamed_event, points_back, question_expansions
from app.pipeline.read_population import population_plan
from app.pipeline.state import Turn
from indexing.store import MedicineEntry


def test_an_instruction_about_an_unnamed_event_leans_on_the_sentence_before() -> None:
    text = "If it occurs, discontinue sertraline hydrochloride tablets and serotonergic agents."
    assert on_unnamed_event(text) and points_back(text)
    assert not on_unnamed_event("If serotonin syndrome occurs, discontinue sertraline.")
    assert not on_unnamed_event("Discontinue if a rash occurs.")


def test_lay_words_for_diarrhoea_and_aching_legs() -> None:
    assert "diarrhea" in question_expansions("does it give you the runs? loose poo for 2 days")
    assert "myopathi" in question_expansions("My legs really ache all the time now, could it be from it?")


def _plan(question: str, label: list[tuple[str, str]]) -> str:
    plan = population_plan(question, question, "dosage", conditions_in(question), label, "en")
    return plan.notice("Tramadol") if plan is not None else ""


def test_a_dose_for_a_kidney_function_the_label_never_mentions_gets_a_notice() -> None:
    silent = [("dosage", "Do not exceed a daily dose of 300 mg tramadol."), ("warnings", "May cause seizures.")]
    assert "says nothing about kidney impairment" in _plan("tramadol max daily dose if CrCl <30?", silent)
    assert "kidney" in _plan("I have kidney disease. What is the maximum dose?", silent)
    speaks = [*silent, ("dosage", "In patients with creatinine clearance less than 30 mL/min, increase the interval.")]
    assert _plan("tramadol max daily dose if CrCl <30?", speaks) == ""
    assert _plan("tramadol max daily dose?", silent) == ""


def _entry(mid: str, name: str) -> MedicineEntry:
    return MedicineEntry(mid, name, (), "en", "", ("dosage", "interactions"))


def test_when_to_take_a_product_the_database_lacks_beside_one_taken_reads_that_label() -> None:
    lexicon = MedicineLexicon([_entry("levothyroxine", "Levothyroxine")], extra_drug_names=["calcium carbonate"])
    dialogue = [Turn("user", "I take levothyroxine 100 micrograms every morning."), Turn("assistant", "Okay."),
                Turn("user", "Thanks. Who won the football last night?"), Turn("assistant", "Okay."),
                Turn("user", "My GP has just added calcium carbonate tablets. When should I take the new one?")]
    d = RuleDistiller().distill(dialogue, lexicon)
    assert ("levothyroxine", "interactions") in {(q.medicine, q.attribute) for q in d.queries}, d


def test_a_chinese_name_ending_in_ta_is_no_pronoun_and_i_turns_the_subject_back() -> None:
    from app.pipeline.context import Owner, build_context

    lexicon = MedicineLexicon([MedicineEntry("allopurinol", "别嘌醇", (), "zh", "", ("warnings",)),
                               MedicineEntry("febuxostat", "非布司他", (), "zh", "", ("warnings",))])
    context = build_context([Turn("user", "我老公痛风吃别嘌醇，我也痛风，吃的是非布司他。")], lexicon)
    owners = {m.medicine_id: m.owner for m in context.medicines}
    assert owners == {"allopurinol": Owner.RELATIVE, "febuxostat": Owner.USER}, owners


def test_a_chinese_sulfa_allergy_is_the_readers_sulfa_condition() -> None:
    names = {c.name for c in conditions_in("我对磺胺类药过敏，以前吃复方新诺明起过疹子。")}
    assert "sulfa" in names, names
    assert "sulfa" not in {c.name for c in conditions_in("磺胺类药有什么副作用？")}


def test_helper_103_trial_wording() -> None:
    from app.pipeline.attributes import classify_attribute

    # "low dose aspirin" names a product: no dose is asked
    assert classify_attribute("Can I take ibuprofen if I take low dose aspirin every day?").attribute != "dosage"
    # Child-Pugh is a liver score, no child
    assert "child" not in {c.name for c in conditions_in("pt with cirrhosis Child-Pugh B, max acetaminophen dose?")}
    assert "discontinu" in question_expansions("Can I just stop it now?")
    assert "abrupt" in question_expansions("Can I just stop it now?")
    lexicon = MedicineLexicon([_entry("acetaminophen", "Acetaminophen")], is_known_word=lambda word: False)
    assert [m.medicine_id for m in lexicon.find("I'm from Canada, can I take acetaminophen?")] == ["acetaminophen"]


def test_a_prescription_brand_the_database_lacks_is_no_homeopathic_product() -> None:
    from pathlib import Path

    from app.pipeline.synonyms import load_brand_table

    table = load_brand_table(Path(__file__).resolve().parents[3] / "corpora" / "names" / "brands.tsv")
    assert table["qualaquin"] == "quinine sulfate"
    lexicon = MedicineLexicon([MedicineEntry("quinine-salicylate", "Quinine Salicylate", ("Quinine",), "en", "",
                                             ("dosage",))], synonyms={"qualaquin": "quinine sulfate"})
    assert [(m.surface, m.medicine_id) for m in lexicon.find("Qualaquin for leg cramps at night?")] == [
        ("qualaquin", None)]


def test_my_medicine_taken_twice_by_mistake_is_an_overdose_to_the_reader() -> None:
    said = "I think I took my apixaban twice this morning by mistake, what do I do?"
    assert "overdose" in {c.name for c in conditions_in(said)}
    assert "overdose" not in {c.name for c in conditions_in("I take my apixaban twice a day, with food?")}
    assert "overdose" not in {c.name for c in conditions_in("I took my metformin twice today, is that why I'm sick?")}
