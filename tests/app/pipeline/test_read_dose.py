"""read_dose: a dose question is answered with dose lines (the stated indication's, the general adult line before
special populations', the maximum), never with an indication or a pharmacokinetic sentence; a label that doses
only named conditions says so first. Hand-written wordings over label text in the shapes the shipped labels use."""

from __future__ import annotations

from app.pipeline.read import ExtractiveReader
from app.pipeline.read_cues import conditions_in
from app.pipeline.read_dose import (
    _indication_row,
    asks_dose,
    condition_headings,
    dose_plan,
    indication_rows,
    missed_dose,
    recovered_rows,
    without_denied,
)
from app.pipeline.state import Evidence, SearchQuery
from indexing.schema import Chunk
from indexing.text import tokenize

ERGOCALCIFEROL = [
    ("dosage", "THE RANGE BETWEEN THERAPEUTIC AND TOXIC DOSES IS NARROW."),
    ("dosage", "Vitamin D Resistant Rickets: 12,000 to 500,000 USP units daily."),
    ("dosage", "Hypoparathyroidism: 50,000 to 200,000 USP units daily concomitantly with calcium lactate 4 g, six "
               "times per day."),
    ("dosage", "DOSAGE MUST BE INDIVIDUALIZED UNDER CLOSE MEDICAL SUPERVISION."),
]
ALLOPURINOL = [
    ("dosage", "Patients with normal kidney function: Initial dosage is 100 mg orally daily."),
    ("dosage", "Patients with impaired kidney function: The initial dosage is 50 mg orally daily."),
    ("dosage", "Increase by 100 mg weekly increments until serum uric acid of 6 mg/dl or less is reached (maximum "
               "800 mg daily)."),
    ("indications", "Allopurinol tablets are indicated for the management of patients with signs and symptoms of "
                    "primary or secondary gout."),
    ("pharmacology", "The plasma half-life of allopurinol is about 1 to 2 hours."),
]
MECLIZINE_DIRECTIONS = ("Directions \uf06e Dosage should be taken one hour before travel starts adults and children "
                        "12 years of age and over chew 1 to 2 tablets once daily, or as directed by a doctor children "
                        "under 12 years of age do not give to children under 12 years of age unless directed by a "
                        "doctor")
LOPERAMIDE_DIRECTIONS = (
    "Directions • drink plenty of clear fluids to help prevent dehydration caused by diarrhea • find right dose on "
    "chart. If possible, use weight to dose; otherwise use age. • shake well before using mL = milliliter adults "
    "and children 12 years and over 30 mL after the first loose stool; 15 mL after each subsequent loose stool; but "
    "no more than 60 mL in 24 hours children 6-8 years (48-59 lbs) 15 mL after the first loose stool; 7.5 mL after "
    "each subsequent loose stool; but no more than 30 mL in 24 hours children 2-5 years (34 to 47 lbs) ask a doctor "
    "children under 2 years (up to 33 lbs) do not use")
FAMOTIDINE_TABLE = ("Indication Recommended Dosage ( 2.1 ) Adult and Pediatric Patients 40 kg and greater Active DU "
                    "40 mg once daily; or 20 mg twice daily Active Gastric Ulcer 40 mg once daily GERD 20 mg twice "
                    "daily Erosive Esophagitis 20 mg twice daily; or 40 mg twice daily")


def _label(pairs: list[tuple[str, str]]) -> list[tuple[str, str, frozenset[str]]]:
    return [(s, t, frozenset(tokenize(t))) for s, t in pairs]


def _plan(question: str, pairs: list[tuple[str, str]], name: str, language: str = "en"):  # type: ignore[no-untyped-def]
    return dose_plan(question, question, "dosage", without_denied(conditions_in(question), question), _label(pairs),
                     frozenset(tokenize(name)), language)  # type: ignore[arg-type]


def _order(question: str, pairs: list[tuple[str, str]], name: str) -> list[str]:
    """The label's lines the plan keeps, best first (all start level)."""
    plan = _plan(question, pairs, name)
    assert plan is not None
    scored = [(plan.delta(s, t, tokens), t) for s, t, tokens in _label(pairs)]
    return [t for d, t in sorted((x for x in scored if x[0] is not None), key=lambda x: -x[0])]  # type: ignore[operator]


def test_dose_questions_and_not() -> None:
    assert asks_dose("How much vitamin D should I take a day?", None)
    assert asks_dose("anything", "dosage")
    assert asks_dose("how often can I give it?", "pediatric")
    assert not asks_dose("can it cause headaches?", "adverse_reactions")
    assert asks_dose("how is gabapentin started for nerve pain?", "indications")
    # Started on it is no dose question: what to watch for is.
    assert not asks_dose("my 16 yo was just started on fluoxetine for depression. anything i should watch for?",
                         None)
    assert missed_dose("I forgot my morning tablet, should I take two?")
    assert _plan("I forgot my morning tablet, should I take two now?", ALLOPURINOL, "allopurinol") is None


def test_normal_kidneys_is_not_kidney_disease() -> None:
    said = "New gout patient, normal kidneys. What's the starting dose?"
    assert "kidney" not in {c.name for c in without_denied(conditions_in(said), said)}
    both = "my kidneys are fine but I have liver cirrhosis, how much can I take?"
    assert {c.name for c in without_denied(conditions_in(both), both)} >= {"liver"}
    assert "kidney" not in {c.name for c in without_denied(conditions_in(both), both)}
    weak = "My dad's kidneys are a bit weak, what dose?"
    assert "kidney" in {c.name for c in without_denied(conditions_in(weak), weak)}


def test_normal_kidneys_gets_the_normal_kidney_line_and_the_maximum_not_the_renal_one() -> None:
    order = _order("New gout patient, normal kidneys. What's the starting dose of allopurinol and how do you go up?",
                   ALLOPURINOL, "allopurinol")
    assert order[0].startswith("Patients with normal kidney function")
    assert not any("impaired kidney" in t for t in order)
    assert any("maximum 800 mg" in t for t in order)


def test_never_an_indication_or_pharmacokinetic_line_while_dose_lines_exist() -> None:
    order = _order("what's the usual dose of allopurinol?", ALLOPURINOL, "allopurinol")
    assert not any("indicated" in t or "half-life" in t for t in order)
    # The stated population's own line leads when it is stated.
    renal = _order("allopurinol dose with kidney disease?", ALLOPURINOL, "allopurinol")
    assert renal[0].startswith("Patients with impaired kidney function")


def test_only_named_conditions_gives_a_notice_first_in_english_and_chinese() -> None:
    assert condition_headings(ERGOCALCIFEROL[1][1]) == ["Vitamin D Resistant Rickets"]
    assert condition_headings("Adults: 1 tablet daily.") == []
    plan = _plan("How much vitamin D should I take a day?", ERGOCALCIFEROL, "ergocalciferol vitamin d")
    assert plan is not None
    notice = plan.notice("Ergocalciferol")
    assert "only for Vitamin D Resistant Rickets and Hypoparathyroidism" in notice
    assert "no everyday dose" in notice and "pharmacist or doctor" in notice
    zh = _plan("维生素D一天吃多少？", ERGOCALCIFEROL, "ergocalciferol vitamin d", "zh")
    assert zh is not None
    assert "没有日常用量" in zh.notice("Ergocalciferol") and "药师或医生" in zh.notice("Ergocalciferol")
    stated = _plan("how much vitamin D for hypoparathyroidism?", ERGOCALCIFEROL, "ergocalciferol vitamin d")
    assert stated is not None and stated.notice("Ergocalciferol") == ""
    stated_order = _order("how much vitamin D for hypoparathyroidism?", ERGOCALCIFEROL, "ergocalciferol vitamin d")
    assert stated_order[0].startswith("Hypoparathyroidism")
    general = _plan("how much vitamin D a day?", [*ERGOCALCIFEROL, ("dosage", "Adults: 1 capsule (400 IU) daily.")],
                    "ergocalciferol vitamin d")
    assert general is not None and general.notice("Ergocalciferol") == ""


def test_an_unquotable_directions_block_is_recovered() -> None:
    rows = recovered_rows(MECLIZINE_DIRECTIONS, [])
    assert len(rows) == 1 and rows[0].startswith("Dosage should be taken one hour before travel starts")
    loperamide = recovered_rows(LOPERAMIDE_DIRECTIONS, [])
    assert "Children 2-5 years (34 to 47 lbs) ask a doctor." in loperamide
    assert "Children under 2 years (up to 33 lbs) do not use." in loperamide
    assert any(r.startswith("Adults and children 12 years and over 30 mL") for r in loperamide)
    quoted = [frozenset(tokenize(r)) for r in loperamide]
    assert recovered_rows(LOPERAMIDE_DIRECTIONS, quoted) == []


def test_the_stated_indications_table_row() -> None:
    skip = frozenset(tokenize("famotidine"))
    assert indication_rows(FAMOTIDINE_TABLE, "famotidine dose for reflux (GERD) in an adult?", skip) == [
        "GERD 20 mg twice daily."]
    ticagrelor = "After one year, administer 60 mg twice daily. Acute Ischemic Stroke 90 mg twice daily."
    assert indication_rows(ticagrelor, "it's almost time for the evening one, should I take two?", skip) == []


def test_a_row_pattern_is_compiled_once_per_word() -> None:
    skip = frozenset(tokenize("famotidine"))
    question = "famotidine dose for reflux (GERD) in an adult?"
    first = indication_rows(FAMOTIDINE_TABLE, question, skip)
    compiled = _indication_row.cache_info().currsize
    assert indication_rows(FAMOTIDINE_TABLE, question, skip) == first == ["GERD 20 mg twice daily."]
    assert _indication_row.cache_info().currsize == compiled  # the same words: nothing compiled again
    assert _indication_row("GERD") is _indication_row("GERD")
    assert _indication_row("gout") is not _indication_row("GERD")


def _ev(mid: str, attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid), 0.03, 0, i)


def test_reader_quotes_the_adult_line_first_for_a_usual_adult_dose() -> None:
    evidence = [
        _ev("amoxicillin", "indications", "Amoxicillin capsules are indicated in the treatment of infections of the "
            "ear, nose, and throat and of the lower respiratory tract due to susceptible isolates. It is used in "
            "adults and children."),
        _ev("amoxicillin", "dosage", "Adults and pediatric patients greater than 40 kg: 500 or 875 mg every 12 hours "
            "or 250 or 500 mg every 8 hours. Pediatric patients aged 12 weeks (3 months) and older: 25 to 45 "
            "mg/kg/day every 12 hours or 20 to 40 mg/kg/day every 8 hours, up to the adult dose. Patients with "
            "severe renal impairment (GFR less than 10 mL/min) should receive 500 or 250 mg every 24 hours.", 1),
        _ev("amoxicillin", "pharmacology", "Oral administration of single doses of 400 mg chewable tablets to 24 adult "
            "volunteers yielded comparable pharmacokinetic data. The half-life of amoxicillin is 61.3 minutes.", 2),
    ]
    question = "What is the usual adult dose of amoxicillin for a chest infection?"
    result = ExtractiveReader().read_evidence(question, [SearchQuery("amoxicillin", "dosage", question)], evidence)
    assert result.citations and result.citations[0].quote.startswith("Adults and pediatric patients greater than 40")
    assert {c.attribute for c in result.citations} == {"dosage"}


def test_reader_says_first_that_the_label_doses_only_named_conditions() -> None:
    evidence = [_ev("ergocalciferol", "dosage", " ".join(t for _, t in ERGOCALCIFEROL))]
    question = "How much vitamin D should I take a day?"
    result = ExtractiveReader().read_evidence(question, [SearchQuery("ergocalciferol", "dosage", question)], evidence)
    assert "gives doses only for Vitamin D Resistant Rickets and Hypoparathyroidism" in result.notice
