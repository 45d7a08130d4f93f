"""Topics a label can be silent on (a missed dose, alcohol) and the Drug Facts headings an OTC label runs
together: the reader says the label is silent instead of quoting lines that read as advice they are not, and
an OTC warning ("Ask a doctor or pharmacist before use if you are taking ... warfarin") is a sentence of its own."""

from __future__ import annotations

from app.pipeline.compose import label_sentences
from app.pipeline.read import ExtractiveReader
from app.pipeline.read_missed import (
    ALCOHOL,
    CAFFEINE,
    DEPENDENCE,
    GRAPEFRUIT,
    MISSED_DOSE,
    silent_topic,
    topics_asked,
)
from app.pipeline.state import Evidence, SearchQuery
from indexing.schema import Chunk


def _ev(mid: str, attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid), 0.03, 0, i)


def test_alcohol_is_asked_in_a_users_words_and_in_chinese() -> None:
    for asked in ("Can I drink alcohol while taking warfarin?", "is it ok to have a beer on this",
                  "Can I have a glass of wine?", "a few drinks at the weekend, is that ok?",
                  "我在吃华法林，可以喝酒吗？"):
        assert ALCOHOL in topics_asked(asked), asked
    for other in ("Should I drink plenty of water with it?", "Can I take it with a drink of milk?",
                  "What does it do?"):
        assert ALCOHOL not in topics_asked(other), other
    assert topics_asked("I forgot my dose and had a beer") == [MISSED_DOSE, ALCOHOL]


def test_an_ingredient_alcohol_or_a_solvent_is_not_the_label_speaking_of_drinking() -> None:
    ingredients = ["Inactive ingredients: benzyl alcohol, cetyl alcohol, polyvinyl alcohol, water.",
                   "It is readily soluble in organic solvents such as ethanol and acetone.",
                   # (rosuvastatin's description: the solvent far from the first "soluble")
                   "White or almost white, hygroscopic powder that is freely soluble in methylene chloride, slightly "
                   "soluble in water practically insoluble in anhydrous ethanol."]
    assert not ALCOHOL.label_speaks(ingredients)
    assert ALCOHOL.label_speaks([*ingredients, "Avoid alcohol while taking this medicine."])
    assert ALCOHOL.label_speaks(["Patients should be told not to drink alcoholic beverages."])


def test_the_topic_counts_where_the_asked_section_stands_for_it() -> None:
    silent = ["Take one tablet daily.", "May cause bleeding."]
    assert silent_topic([ALCOHOL], "interactions", silent) is ALCOHOL
    assert silent_topic([ALCOHOL], "warnings", silent) is ALCOHOL
    # "Can I drink on it and what's the dose?" asks the dose too: the dose lines still answer.
    assert silent_topic([ALCOHOL], "dosage", silent) is None
    assert silent_topic([MISSED_DOSE], "dosage", silent) is MISSED_DOSE
    assert silent_topic([ALCOHOL], "warnings", ["Avoid alcohol."]) is None


WARFARIN = [
    _ev("warfarin", "interactions", "Concomitant use of drugs that increase bleeding risk, antibiotics, "
        "antifungals, botanical (herbal) products, and inhibitors and inducers of CYP2C9, 1A2, or 3A4. "
        "More frequent INR monitoring should be performed when starting or stopping other drugs."),
    _ev("warfarin", "warnings", "Warfarin sodium can cause major or fatal bleeding. Drugs, dietary changes, and "
        "other factors affect INR levels achieved with warfarin sodium therapy."),
]


def test_alcohol_the_label_is_silent_on_is_said_in_english_and_chinese() -> None:
    q = [SearchQuery("warfarin", "interactions", "warfarin alcohol")]
    result = ExtractiveReader().read_evidence("Can I drink alcohol while taking warfarin?", q, WARFARIN)
    assert "does not mention alcohol" in result.notice and "pharmacist or doctor" in result.notice
    assert not any("CYP2C9" in c.quote for c in result.citations)
    zh = ExtractiveReader().read_evidence("可以喝酒吗？", q, WARFARIN)
    assert "没有提到饮酒" in zh.notice


def test_alcohol_the_label_speaks_of_is_quoted_without_a_notice() -> None:
    ev = [_ev("metronidazole", "interactions", "Use of oral metronidazole is associated with a disulfiram-like "
              "reaction to alcohol, including abdominal cramps, nausea, vomiting, headaches, and flushing. "
              "Discontinue consumption of alcohol during and for at least three days after therapy.")]
    q = [SearchQuery("metronidazole", "interactions", "metronidazole alcohol")]
    result = ExtractiveReader().read_evidence("Can I have a beer with metronidazole?", q, ev)
    assert any("disulfiram-like" in c.quote for c in result.citations)
    assert "does not mention alcohol" not in result.notice


def test_otc_drug_facts_headings_start_sentences() -> None:
    text = ("Liver warning: This product contains acetaminophen. Do not use with any other drug containing "
            "acetaminophen. Ask a doctor before use if you have liver disease Ask a doctor or pharmacist before "
            "use if you are taking the blood thinning drug warfarin Stop use and ask a doctor if pain gets worse "
            "or lasts more than 10 days. Keep out of reach of children.")
    found = [s for _, s in label_sentences(text)]
    assert "Ask a doctor or pharmacist before use if you are taking the blood thinning drug warfarin." in found
    assert "Ask a doctor before use if you have liver disease." in found
    # Prose that says "do not use" inside a sentence is left whole.
    prose = ("Patients were told they should do not use more than directed, and the dose was reduced. "
             "The next sentence ends here.")
    assert next(s for _, s in label_sentences(prose)).startswith("Patients were told")


def test_the_most_common_reactions_line_is_a_sentence_of_its_own_and_reporting_lines_go() -> None:
    text = ("The following adverse reactions were reported in postmarketing experience: Iris pigmentation "
            "changes [see Warnings and Precautions (5.1)] Macular edema, including cystoid macular edema "
            "[see Warnings and Precautions (5.4)] Most common adverse reactions (5-15%) from clinical trials are "
            "blurred vision, burning and stinging, conjunctival hyperemia. Because they are reported voluntarily "
            "from a population of uncertain size, it is not always possible to estimate their frequency. "
            "The end.")
    found = [s for _, s in label_sentences(text)]
    assert ("Most common adverse reactions (5-15%) from clinical trials are blurred vision, burning and "
            "stinging, conjunctival hyperemia.") in found
    assert not any("reported voluntarily" in s for s in found)


def test_pregnancy_or_breastfeeding_the_label_never_mentions_is_said() -> None:
    from app.pipeline.read_missed import BREASTFEEDING, PREGNANCY

    assert PREGNANCY in topics_asked("I just found out I'm pregnant and I take lamotrigine")
    assert BREASTFEEDING in topics_asked("Can I take it while breastfeeding?")
    assert BREASTFEEDING in topics_asked("我在哺乳期，能吃吗？")
    silent = ["Lamotrigine can cause serious rashes.", "Take it once daily."]
    assert silent_topic([PREGNANCY], "pregnancy", silent) is PREGNANCY
    assert silent_topic([PREGNANCY], "pregnancy", [*silent, "Use during pregnancy may harm the fetus."]) is None
    # A dose asked of a pregnant woman is still answered from the dose lines.
    assert silent_topic([PREGNANCY], "dosage", silent) is None
    ev = [_ev("lamotrigine", "warnings", "Lamotrigine can cause serious rashes requiring hospitalization. "
              "Cardiac rhythm and conduction abnormalities may occur.")]
    q = [SearchQuery("lamotrigine", "pregnancy", "lamotrigine pregnancy")]
    result = ExtractiveReader().read_evidence("I'm pregnant, is lamotrigine OK?", q, ev)
    assert "says nothing about pregnancy" in result.notice
    # What else the label says is still quoted under the notice: she may be asking something else of it.
    assert result.citations


def test_a_label_with_the_topics_own_section_speaks_of_it_whatever_its_words() -> None:
    from app.pipeline.read_missed import PREGNANCY

    said = ["孕期血糖控制一般首选胰岛素。"]
    assert silent_topic([PREGNANCY], "pregnancy", ["本品尚不明确。"], frozenset({"pregnancy"})) is None
    assert silent_topic([PREGNANCY], "pregnancy", said) is None  # 孕期 is the label speaking of it
    assert silent_topic([PREGNANCY], "pregnancy", ["本品尚不明确。"], frozenset({"dosage"})) is PREGNANCY


def test_a_missed_medicine_named_with_when_is_a_missed_dose() -> None:
    for asked in ("I missed my rivaroxaban last night, do I take it now or wait?",
                  "my dad missed his metformin this morning"):
        assert MISSED_DOSE in topics_asked(asked), asked
    for other in ("I missed my appointment", "I missed the bus"):
        assert MISSED_DOSE not in topics_asked(other), other


def test_coffee_asked_of_a_label_that_never_names_caffeine_is_said_so() -> None:
    for asked in ("can I drink coffee while taking levofloxacin?", "is my morning latte ok on warfarin?",
                  "any problem with energy drinks?", "吃华法林可以喝咖啡吗？"):
        assert CAFFEINE in topics_asked(asked), asked
    # a question asking more than coffee is read as usual
    for more in ("is coffee or grapefruit juice a problem with atorvastatin?", "coffee and alcohol on it?",
                 "What does it do?"):
        assert CAFFEINE not in topics_asked(more), more
    q = [SearchQuery("warfarin", "interactions", "warfarin coffee caffeine")]
    result = ExtractiveReader().read_evidence("can I drink coffee while taking warfarin?", q, WARFARIN)
    assert "does not mention caffeine or coffee" in result.notice
    assert not any("CYP2C9" in c.quote for c in result.citations)
    spoken = [_ev("clozapine", "interactions", "Moderate or weak CYP1A2 inhibitors include oral contraceptives and "
                  "caffeine. Monitor for adverse reactions.")]
    q = [SearchQuery("clozapine", "interactions", "clozapine coffee caffeine")]
    result = ExtractiveReader().read_evidence("I take clozapine, is coffee ok?", q, spoken)
    assert any("caffeine" in c.quote for c in result.citations)
    assert "does not mention caffeine" not in result.notice


def test_a_label_on_what_is_drunk_with_it_speaks_of_coffee() -> None:
    # risedronate's "before the first food or drink of the day other than water" answers the morning coffee
    assert CAFFEINE.label_speaks(["Take at least 30 minutes before the first food or drink of the day other than "
                                  "water."])
    assert CAFFEINE.label_speaks(["Administer on an empty stomach, one-half to one hour before breakfast."])
    assert not CAFFEINE.label_speaks(["Absorption is decreased when taken within 2 hours of antacids."])


def test_a_counselling_pointer_to_another_section_does_not_speak_of_a_missed_dose() -> None:
    # apixaban's patient counselling in the database: the title of a point, its instruction cut away
    assert not MISSED_DOSE.label_speaks(["What to do if a dose is missed.",
                                         "What to do if a dose is missed [see Dosage and Administration (2.2)]."])
    assert MISSED_DOSE.label_speaks(["If a dose is not taken at the scheduled time, take it as soon as possible "
                                     "on the same day."])


def test_habit_forming_asked_of_a_label_without_abuse_or_dependence_text_is_said_so() -> None:
    for asked in ("is it habit forming?", "Is Xanax addictive?", "can you get addicted to tramadol?", "会上瘾吗"):
        assert DEPENDENCE in topics_asked(asked), asked
    assert DEPENDENCE not in topics_asked("will I get withdrawal if I stop sertraline?")
    assert DEPENDENCE.label_speaks(["Exposes users to risks of addiction, abuse, and misuse."])
    assert not DEPENDENCE.label_speaks(["Antiepileptic drugs should not be abruptly discontinued because of the "
                                        "possibility of increasing seizure frequency."])
    q = [SearchQuery("warfarin", "warnings", "warfarin habit forming")]
    result = ExtractiveReader().read_evidence("is warfarin habit forming?", q, WARFARIN)
    assert "does not say whether it is habit-forming" in result.notice


def test_grapefruit_asked_of_a_label_that_never_names_it_is_said_so() -> None:
    for asked in ("I take rosuvastatin. Can I drink grapefruit juice?", "is grapefruit ok on amlodipine",
                  "我在吃瑞舒伐他汀，能吃西柚吗？"):
        assert GRAPEFRUIT in topics_asked(asked), asked
    for more in ("is coffee or grapefruit juice a problem with atorvastatin?", "What does it do?"):
        assert GRAPEFRUIT not in topics_asked(more), more
    silent = [_ev("rosuvastatin", "dosage", "Take orally with or without food, at any time of day.")]
    q = [SearchQuery("rosuvastatin", "interactions", "rosuvastatin grapefruit juice")]
    result = ExtractiveReader().read_evidence("I take rosuvastatin. Can I drink grapefruit juice?", q, silent)
    assert "does not mention grapefruit" in result.notice
    assert not result.citations
    spoken = [_ev("simvastatin", "warnings", "Grapefruit juice may also increase the risk of myopathy.")]
    q = [SearchQuery("simvastatin", "interactions", "simvastatin grapefruit")]
    result = ExtractiveReader().read_evidence("Is grapefruit ok with simvastatin?", q, spoken)
    assert any("Grapefruit" in c.quote for c in result.citations) and "grapefruit" not in result.notice


def test_a_label_silent_on_grapefruit_quotes_what_it_says_of_cyp3a_inhibitors() -> None:
    evidence = [
        _ev("amlodipine", "interactions", "Co-administration with CYP3A inhibitors (moderate and strong) results in "
            "increased systemic exposure to amlodipine and may require dose reduction."),
        _ev("amlodipine", "interactions", "Amlodipine may increase the systemic exposure of cyclosporine or "
            "tacrolimus when co-administered.", 1),
        _ev("amlodipine", "dosage", "The usual initial antihypertensive oral dose is 5 mg once daily.", 2),
    ]
    q = [SearchQuery("amlodipine", "interactions", "amlodipine grapefruit juice")]
    result = ExtractiveReader().read_evidence("can I drink grapefruit juice with amlodipine?", q, evidence)
    assert [c.quote[:30] for c in result.citations] == ["Co-administration with CYP3A i"]
    assert "does not mention grapefruit" in result.notice and "CYP3A inhibitors is quoted" in result.notice
    # the medicine's own effect on the enzyme is no answer: "inhibitors", plural, of CYP3A
    own = [_ev("sertraline", "interactions", "Sertraline is a weak inhibitor of CYP3A4 in vitro.")]
    q = [SearchQuery("sertraline", "interactions", "sertraline grapefruit")]
    result = ExtractiveReader().read_evidence("I take sertraline, is grapefruit a problem", q, own)
    assert not result.citations and "CYP3A" not in result.notice


def test_a_missed_dose_said_by_when_it_was_due() -> None:
    from app.pipeline.read_missed import MISSED_DOSE

    assert MISSED_DOSE.asked("Missed this morning's. It's 2pm. What do I do?")
    assert MISSED_DOSE.asked("I missed last night's one")
    assert MISSED_DOSE.asked("Just realised I didn't take yesterday's. What do I do now?")
    assert not MISSED_DOSE.asked("missed this morning's bus, can I take it later?")
