"""Session 32: medicines around daily life and events, carers who look after someone else's medicines, and practical
handling (a pen left in a hot car, leftover tablets, a child who got into a grandparent's tablets)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.compose import label_sentences, strip_heading
from app.pipeline.drink_words import asks_alcohol
from app.pipeline.imprint_search import Imprint, ImprintSearch, imprint_asked
from app.pipeline.read import ExtractiveReader
from app.pipeline.read_cues import (
    asks_signs,
    conditions_in,
    fragment,
    overdose_condition,
    overdose_fit,
    question_expansions,
    seems_fine,
    specialty_expansions,
)
from app.pipeline.read_missed import MISSED_DOSE
from app.pipeline.read_runon import colon_groups, system_groups
from app.pipeline.read_strength import strengths_said
from app.pipeline.state import Evidence, SearchQuery
from app.pipeline.zh_sections import topic_sections
from indexing.schema import Chunk
from indexing.store import MedicineEntry, SearchIndex
from indexing.text import tokenize


# -- what is asked: storage, disposal, too much taken, driving at work, a missed dose ----------------------------
@pytest.mark.parametrize(("question", "section"), [
    ("Left my Lantus pen in the glovebox while we were at the beach and it was 35 degrees out. Is it ruined?",
     "storage"),
    ("My mum is 70 and does a Forteo pen every day. She left it out on the kitchen counter overnight by accident. "
     "Is it still OK to use?", "storage"),
    ("Had my ACL repaired and I've got 12 oxycodone left that I didn't need. There's a toddler in the house. What "
     "do I do with them?", "storage"),
    ("I think he took tonight's tablet and then helped himself to another one from the box. What happens if he's "
     "had two?", "overdosage"),
    ("She's had two of her metoprolol succinate 100s this morning instead of one. What should I be watching for?",
     "overdosage"),
    ("my dad doubled up his glipizide this morning because he forgot he'd already taken it. what's the danger?",
     "overdosage"),
    ("I run a lathe at work. Can I take it during my day shift?", "warnings"),
    ("I'm a delivery driver. Started gabapentin yesterday for sciatica. Can I do my route tomorrow?", "warnings"),
    ("So why has my psychiatrist given me lamotrigine, an epilepsy drug?", "indications"),
    ("the home help found a pink oval tablet on mum's carpet with 894 on one side and 5 on the other",
     "dosage_forms"),
])
def test_what_a_daily_life_question_asks(question: str, section: str) -> None:
    assert classify_attribute(question).attribute == section


@pytest.mark.parametrize("question", [
    "she has had two kids and is breastfeeding",  # no second dose
    "I got food poisoning in Bali and have been throwing up for two days. Am I still protected?",  # no overdose
])
def test_words_that_only_sound_like_too_much(question: str) -> None:
    assert classify_attribute(question).attribute != "overdosage"


@pytest.mark.parametrize("question", [
    "Mum is 81 and on apixaban twice a day. I've just found her morning one still in the pill box at 2pm.",
    "On the ferry back I realised I never took my morning Eliquis. It's 4pm now.",
])
def test_a_dose_found_not_taken_is_a_missed_dose(question: str) -> None:
    assert MISSED_DOSE.asked(question)


def test_a_pills_imprint_is_no_strength() -> None:
    assert strengths_said("a pink oval tablet with 894 on one side and 5 on the other") == set()
    assert strengths_said("I take metformin 500 twice a day") == {500.0}


@pytest.mark.parametrize(("said", "drink"), [
    ("my daughter's wedding is next month and I'll be toasting all evening, more than a few glasses", True),
    ("Can I have a gin and tonic from the trolley too?", True),
    ("can I have toast and jam for breakfast with it?", False),
    ("should I take it with a few glasses of water?", False),
])
def test_drinks_at_an_event(said: str, drink: bool) -> None:
    assert asks_alcohol(said) is drink


@pytest.mark.parametrize(("question", "sections"), [
    ("奶奶去世了，家里还剩半瓶吗啡缓释片。家里有小孩，这些药怎么处理比较好？", ("storage",)),
    ("孩子的万托林气雾剂落在车里一下午，夏天车里估计五六十度，还能用吗？", ("storage",)),
    ("我把药放在浴室的柜子里，洗澡时都是水气，这样放可以吗？", ("storage",)),
    ("他自己又从药盒里拿了一次，等于早上吃了两回。会有什么反应？", ("overdosage", "dosage")),
])
def test_chinese_handling_and_a_dose_taken_twice(question: str, sections: tuple[str, ...]) -> None:
    assert topic_sections(question)[:len(sections)] == sections


# -- the reader's words for what people say ---------------------------------------------------------------------
def test_lay_words_reach_the_labels_words() -> None:
    assert {"frozen", "freez"} & question_expansions("one has ice crystals in it now. it's thawed - ok to use?")
    assert set(tokenize("bloody stool")) <= question_expansions("there's a bit of blood in it now")
    assert set(tokenize("fever")) <= question_expansions("I feel shivery and hot")
    assert set(tokenize("tyramine")) <= question_expansions("we've booked a wine-tasting weekend")
    assert set(tokenize("disposal")) <= question_expansions("what do I do with them? I've 12 left over")
    assert set(tokenize("bipolar")) <= specialty_expansions("why has my psychiatrist given me lamotrigine?")
    assert specialty_expansions("why was I given lamotrigine?") == set()


def test_asian_patients_are_a_population_said() -> None:
    assert "asian" in {c.name for c in conditions_in("I'm Chinese, 52, and switching to rosuvastatin")}
    assert "asian" not in {c.name for c in conditions_in("can I take it with Chinese medicine herbs?")}
    assert "asian" not in {c.name for c in conditions_in("I bought it at the Asian supermarket")}


def test_too_much_asked_of_one_who_seems_fine_or_by_its_signs() -> None:
    assert seems_fine("He seems completely fine, running about. Do I need to do anything?")
    assert seems_fine("She says she feels ok. Is it safe to let her sleep it off?")
    assert not seems_fine("What should I do?")
    assert asks_signs("What are the signs of too much?") and asks_signs("What symptoms would show he's had too much?")


def test_a_childs_line_leads_the_overdosage_when_a_child_swallowed_it() -> None:
    line = "Seizures occurred in a 3-year -old child ingesting 3.6 mg of levothyroxine."
    too_much = [overdose_condition()]
    assert overdose_fit(line, too_much, "overdosage", child=True) > overdose_fit(line, too_much, "overdosage") + 2


@pytest.mark.parametrize("text", ["What to do if a dose is missed.", "2:747-830, 1970). UGDP reported that ...",
                                  "Converting from or to ELIQUIS."])
def test_headings_and_citation_tails_are_no_sentences(text: str) -> None:
    assert fragment(text)


# -- label text ---------------------------------------------------------------------------------------------------
def test_a_dosing_headings_population_stays_with_the_instruction() -> None:
    assert strip_heading("Dosing in Asian Patients Initiate rosuvastatin tablets at 5 mg once daily.",
                         frozenset({"rosuvastatin"})) == (
        "Dosing in Asian Patients: Initiate rosuvastatin tablets at 5 mg once daily.")
    assert strip_heading("Geriatric Use Start at the low end of the dosing range.") == (
        "Geriatric Use: Start at the low end of the dosing range.")
    assert strip_heading("Angina Pectoris There have been reports of exacerbation.") == (
        "There have been reports of exacerbation.")


def test_bullet_items_that_open_with_their_strength_are_quoted() -> None:
    text = ("• 0.5 mg, pink, round, film-coated tablets for oral suspension packaged in packets. 1-count (0.5 mg) "
            "and 4-count (2 mg). • 2.5 mg, yellow, round, biconvex, film-coated tablets with “893” debossed on one "
            "side and “2½” on the other side. • 5 mg, pink, oval-shaped, biconvex, film-coated tablets with “894” "
            "debossed on one side and “5” on the other side. • Tablets: 2.5 mg and 5 mg (3)")
    quoted = [s for _, s in label_sentences(text, frozenset({"apixaban"}))]
    assert any("“894” debossed on one side" in s for s in quoted)


_BY_SYSTEM = ("They include the following: General: fatigue, increased appetite, weight loss, heat intolerance, fever "
              "Central nervous system: headache, hyperactivity, nervousness, anxiety, irritability, insomnia "
              "Musculoskeletal: tremors, muscle weakness, muscle spasm Cardiovascular: palpitations, tachycardia, "
              "arrhythmias, angina Respiratory: dyspnea Gastrointestinal: diarrhea, vomiting, abdominal cramps "
              "Dermatologic: hair loss, flushing, rash Endocrine: decreased bone mineral density Reproductive: "
              "menstrual irregularities, impaired fertility Seizures have been reported rarely with the therapy.")


def test_a_list_by_body_system_with_colons_is_cut_at_its_headings() -> None:
    groups = colon_groups(_BY_SYSTEM)
    assert ("Dermatologic", ["hair loss", "flushing", "rash"]) in [(s, i) for _, s, i in groups]
    assert groups[-1][2] == ["menstrual irregularities", "impaired fertility"]  # the prose after is no item
    assert system_groups(_BY_SYSTEM) == groups
    assert colon_groups("Adults: 10 mg daily. Children: 5 mg daily.") == []  # no body systems


def _index(chunks: list[Chunk]) -> SearchIndex:
    return cast(SearchIndex, SimpleNamespace(
        version="v1", medicines={"thyrox": MedicineEntry("thyrox", "Thyrox", (), "en", "", ("adverse_reactions",))},
        rows_by_medicine={"thyrox": list(range(len(chunks)))}, chunks=chunks, dense=None))


def test_hair_loss_is_read_from_a_list_by_body_system() -> None:
    chunks = [Chunk("thyrox:adverse_reactions:0", "thyrox", "adverse_reactions", 0,
                    "Adverse reactions associated with thyrox therapy are primarily those of hyperthyroidism due to "
                    "therapeutic overdosage. " + _BY_SYSTEM)]
    result = ExtractiveReader().read_evidence("is hair loss a known side effect of thyrox?",
                                              [SearchQuery("thyrox", "adverse_reactions", "thyrox hair loss")],
                                              [Evidence(chunks[0], 0.03, 0, 0)], index=_index(chunks))
    assert "Dermatologic: hair loss; flushing; rash." in result.text


def test_the_childs_case_in_the_overdosage_section_is_read_for_a_grandchild() -> None:
    chunks = [Chunk("thyrox:overdosage:0", "thyrox", "overdosage", 0,
                    "The signs and symptoms of overdosage are those of hyperthyroidism. In addition, confusion and "
                    "disorientation may occur. Cerebral embolism, shock, coma, and death have been reported. Seizures "
                    "occurred in a 3-year-old child ingesting 3.6 mg of thyrox. Symptoms may not necessarily be "
                    "evident or may not appear until several days after ingestion. Reduce the thyrox dosage or "
                    "discontinue temporarily if signs or symptoms of overdosage occur. Initiate appropriate supportive "
                    "treatment as dictated by the patient's medical status.")]
    result = ExtractiveReader().read_evidence(
        "My 3 year old grandson got into my thyrox and has eaten about eight. He seems completely fine. Do I need "
        "to do anything?", [SearchQuery("thyrox", "overdosage", "thyrox overdose")],
        [Evidence(chunks[0], 0.03, 0, 0)], index=_index(chunks))
    assert "3-year-old child" in result.text
    assert "may not appear until several days" in result.text


# -- a loose tablet described by its imprint, no medicine named (app.pipeline.imprint_search) -----------------------
@pytest.mark.parametrize(("question", "parts"), [
    ("Sorting my dad's pill organiser and a capsule fell out, light blue and white with R150 on it. Which one is it?",
     ("R150",)),
    ("a little white round tablet in his pocket, EP above the line and 905 below, a 1 on the back. What is this?",
     ("EP", "905", "1")),
    ("found round purple tablets stamped RD 71. What are they?", ("RD71",)),
    ("a white pill with 10 on it, she is 81", ("10",)),  # her age is no part of the mark
    ("白色圆形药片，上面刻着 TEVA 和 3109，是什么药？", ("TEVA", "3109")),
])
def test_the_imprint_a_question_describes(question: str, parts: tuple[str, ...]) -> None:
    found = imprint_asked(question)
    assert found is not None and found.parts == parts


@pytest.mark.parametrize("question", ["I took 2 tablets at 8am, is that ok?", "Can I take 20 mg of it at night?",
                                      "WHAT IS THIS WHITE PILL, IT SAYS NOTHING"])
def test_no_imprint_where_none_is_described(question: str) -> None:
    assert imprint_asked(question) is None


def _forms_index() -> SearchIndex:
    chunks = [
        Chunk("dabi:dosage_forms:0", "dabi", "dosage_forms", 0,
              "150 mg capsules with a light blue opaque cap imprinted in black with the company symbol and a white "
              "opaque body imprinted in black with \"R150\". 110 mg capsules with a light blue opaque cap imprinted "
              "with \"R110\"."),
        Chunk("morph:dosage_forms:0", "morph", "dosage_forms", 0,
              "Morphine sulfate extended-release tablets 15 mg Round, blue-colored, film-coated tablets debossed with "
              "“ RD ” and “ 70 ” on one side and plain on the other side Morphine sulfate extended-release tablets "
              "30 mg Round, purple-colored, film-coated tablets debossed with “ RD ” and “ 71 ” on one side and plain "
              "on the other side"),
        Chunk("omal:dosage:0", "omal", "dosage", 0, "XOLAIR 150 or 300 mg SC every 4 weeks."),
    ]
    medicines = {m: MedicineEntry(m, n, (), "en", "", ("dosage_forms",))
                 for m, n in (("dabi", "Dabigatran"), ("morph", "Morphine Sulfate"), ("omal", "Omalizumab"))}
    return cast(SearchIndex, SimpleNamespace(version="v1", medicines=medicines, chunks=chunks,
                                             rows_by_medicine={"dabi": [0], "morph": [1], "omal": [2]}, dense=None))


def test_the_labels_describing_the_imprint_are_listed_with_their_description() -> None:
    search = ImprintSearch()
    index = _forms_index()
    found = search.search(index, Imprint(("R150",)))
    assert [m.chunk.medicine_id for m in found] == ["dabi"] and "\"R150\"" in found[0].quote
    morphine = search.search(index, Imprint(("RD71",)))
    assert [m.chunk.medicine_id for m in morphine] == ["morph"]
    assert morphine[0].quote.startswith("Morphine sulfate extended-release tablets 30 mg Round, purple-colored")
    answer = ImprintSearch.answer(Imprint(("R150",), "R150"), found, zh=False)
    assert answer.status == "answered" and answer.citations[0].medicine_id == "dabi"
    assert "ask a pharmacist to confirm" in answer.text


def test_a_marking_no_label_describes_is_said_so() -> None:
    search = ImprintSearch()
    found = search.search(_forms_index(), Imprint(("XYZ9999",)))
    answer = ImprintSearch.answer(Imprint(("XYZ9999",), "XYZ 9999"), found, zh=False)
    assert found == [] and answer.status == "no_evidence" and answer.citations == []
    assert "No label in the database describes a tablet or capsule marked \"XYZ 9999\"" in answer.text


def test_how_long_before_a_procedure_is_answered_by_the_procedures_line_first() -> None:
    chunks = [Chunk("coag:boxed_warning:0", "coag", "boxed_warning", 0,
                    "WARNING: PREMATURE DISCONTINUATION INCREASES THE RISK OF THROMBOTIC EVENTS. Premature "
                    "discontinuation of any oral anticoagulant, including coag, increases the risk of thrombotic "
                    "events."),
              Chunk("coag:dosage:0", "coag", "dosage", 0,
                    "The recommended dose of coag for most patients is 5 mg taken orally twice daily. Coag should be "
                    "discontinued at least 48 hours prior to elective surgery or invasive procedures with a moderate "
                    "or high risk of unacceptable or clinically significant bleeding.")]
    index = cast(SearchIndex, SimpleNamespace(
        version="v1", medicines={"coag": MedicineEntry("coag", "Coag", (), "en", "", ("dosage",))},
        rows_by_medicine={"coag": [0, 1]}, chunks=chunks, dense=None))
    question = "dentist wants to pull two back teeth next friday. I'm on coag 5mg twice a day. do I stop it, and how " \
               "long before?"
    assert MISSED_DOSE.asked(question) is False
    result = ExtractiveReader().read_evidence(question, [SearchQuery("coag", "dosage", "coag stop before surgery")],
                                              [Evidence(c, 0.03, 0, i) for i, c in enumerate(chunks)], index=index)
    assert result.text.index("at least 48 hours prior") < result.text.index("PREMATURE DISCONTINUATION")


def test_the_product_that_gave_a_rash_is_an_allergen_in_chinese_too() -> None:
    from app.pipeline.context import allergens_in
    assert "复方新诺明" in allergens_in("还有我对磺胺类的药过敏，吃过复方新诺明起过疹子，能吃吗？")


@pytest.mark.parametrize("said", ["别的我不担心，就是地高辛，这个量合适吗？",
                                  "I'm not worried about the others, it's the digoxin",
                                  "my only worry is the digoxin"])
def test_the_one_named_alone_is_asked_however_many_are_listed(said: str) -> None:
    from app.pipeline.distill import _ONLY_THIS
    assert _ONLY_THIS.search(said)


# -- found in my own trial over HTTP ---------------------------------------------------------------------------
@pytest.mark.parametrize(("question", "section"), [
    ("I've got half a box of tramadol left from my op, what's the best thing to do with them?", "storage"),
    ("My insulin glargine pen rolled under the car seat and sat there all afternoon in 30 degree heat. Bin it?",
     "storage"),
])
def test_what_the_trial_asked(question: str, section: str) -> None:
    assert classify_attribute(question).attribute == section


def test_a_grandparent_is_no_medicine_missing_from_the_database() -> None:
    from app.pipeline.lexicon import ORDINARY_WORDS
    assert {"grandad", "granddad", "nan", "gran"} <= ORDINARY_WORDS


def test_a_labels_line_on_dental_or_surgical_procedures_speaks_of_the_procedure_ahead() -> None:
    from app.pipeline.read_missed import SURGERY, speaks_to_asked
    assert speaks_to_asked([SURGERY], "Some dental or surgical procedures may necessitate the interruption or change "
                                      "in the dose of warfarin sodium tablets therapy.")
    assert not speaks_to_asked([SURGERY], "Discontinue warfarin sodium and consider alternative anticoagulants.")
