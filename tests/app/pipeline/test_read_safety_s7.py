"""Issue 18 (reading, session 7): safety answers. Hand-written wordings over label text written in the shapes
the shipped labels use, about medicines no evaluation set's safety item is about; no test set's phrase.

- the other medicine's label sentence naming it by its own name before one naming only a class it is in;
- a driving question sent to the dose lines (or the side effects) reads the warnings;
- a gravity question already sent to the boxed warning quotes no dose line; an organ feared for asks gravity;
- a boxed warning's "serious adverse reactions, including death" is its gist;
- a population question naming a safety section reads that section; general "what warnings?" leads with the box;
- an age said ("my daughter is 15") is no word to match in a label.
"""

from __future__ import annotations

from app.pipeline.read import ExtractiveReader, _Scored, _Sentence
from app.pipeline.read_cues import key_sentence, said_ages
from app.pipeline.read_gravity import asks_cautions, asks_gravity, driving_section, named_section
from app.pipeline.read_partner import decisiveness
from app.pipeline.state import Evidence, SearchQuery
from indexing.schema import Chunk

SECTIONS = frozenset({"boxed_warning", "warnings", "adverse_reactions", "dosage", "pediatric", "geriatric",
                      "contraindications", "interactions"})


def _ev(mid: str, attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid), 0.03, 0, i)


def test_a_driving_question_reads_the_warnings_not_the_dose_lines() -> None:
    for question, asked in (("Can I drive to work the morning after my bedtime dose?", "dosage"),
                            ("does it make you sleepy? I operate heavy machinery", "adverse_reactions"),
                            ("is it ok to drive on this?", None)):
        assert driving_section(question, asked, SECTIONS) == "warnings", question
    assert driving_section("what is the dose? I drive a lot", "warnings", SECTIONS) is None  # already there
    assert driving_section("does it lower my sex drive?", "adverse_reactions", SECTIONS) is None
    assert driving_section("can I drive?", "interactions", SECTIONS) is None  # another medicine asked: keeps it
    assert driving_section("can I drive?", "dosage", frozenset({"dosage"})) is None  # no warnings to read

    question = "I take temazepam at night. Is it ok to drive to work after my bedtime dose?"
    evidence = [
        _ev("temazepam", "dosage", "The usual adult dose is 15 mg taken at bedtime. Some patients may need 30 mg "
                                   "at bedtime."),
        _ev("temazepam", "warnings",
            "Patients receiving temazepam should be cautioned against engaging in hazardous occupations requiring "
            "complete mental alertness, such as operating machinery or driving a motor vehicle, the morning after "
            "use."),
    ]
    result = ExtractiveReader().read_evidence(question, [SearchQuery("temazepam", "dosage", question)], evidence)
    assert result.citations and result.citations[0].attribute == "warnings", result.text
    assert all(c.attribute != "dosage" for c in result.citations), result.text


def test_an_organ_feared_for_asks_how_grave_the_risks_are() -> None:
    for question in ("my son has a heart defect, is that safe for his heart?", "is it unsafe for my liver?",
                     "Any serious warnings men should know about?"):
        assert asks_gravity(question), question
    for question in ("is it safe for me?", "is it safe for my son to take it with food?",
                     "is it safe in pregnancy?"):
        assert not asks_gravity(question), question


def test_serious_warnings_sent_to_the_box_quote_no_dose_line() -> None:
    question = "Just started nortriptyline. Any serious warnings I should know?"
    evidence = [
        _ev("nortriptyline", "boxed_warning",
            "WARNING: SUICIDALITY AND ANTIDEPRESSANT DRUGS Antidepressants increased the risk of suicidal thinking "
            "and behavior in children, adolescents, and young adults in short-term studies."),
        _ev("nortriptyline", "dosage", "Start nortriptyline at 25 mg three or four times daily; started patients "
                                       "may need a lower dose."),
        _ev("nortriptyline", "warnings", "Nortriptyline may cause serious cardiac arrhythmias in patients with "
                                         "cardiovascular disease."),
    ]
    result = ExtractiveReader().read_evidence(question, [SearchQuery("nortriptyline", "boxed_warning", question)],
                                              evidence)
    assert result.citations and result.citations[0].attribute == "boxed_warning", result.text
    assert all(c.attribute != "dosage" for c in result.citations), result.text


def test_a_box_saying_death_has_been_reported_states_its_gist() -> None:
    assert key_sentence("boxed_warning", "Serious adverse reactions, including death, have been reported with "
                                         "mycophenolate.")
    assert not key_sentence("boxed_warning", "Mycophenolate should be prescribed by experienced physicians.")


def test_a_population_question_naming_a_safety_section_reads_it() -> None:
    assert named_section("my son takes aripiprazole. what warnings are on it?", "pediatric", SECTIONS) == "warnings"
    assert named_section("my 80 year old dad is on it, any side effects?", "geriatric",
                         SECTIONS) == "adverse_reactions"
    assert named_section("does it have a black box? she is 12", "pediatric", SECTIONS) == "boxed_warning"
    assert named_section("can my daughter take it with her other drug interactions?", "pediatric",
                         SECTIONS) == "interactions"
    assert named_section("what dose for my son?", "pediatric", SECTIONS) is None
    # "a warning about dementia" is about the box: left to the section the question was sent to
    assert named_section("why does grandma's pill have a warning about dementia?", "geriatric", SECTIONS) is None
    assert named_section("what warnings are on it?", "pregnancy", SECTIONS) is None  # not an age's section
    assert named_section("what warnings are on it?", "pediatric", frozenset({"pediatric"})) is None


def test_what_warnings_in_general_is_a_caution_question() -> None:
    for question in ("what warnings are on it?", "What are the warnings?", "any warnings on this one",
                     "which warnings are on it?"):
        assert asks_cautions(question), question
    for question in ("any warnings about alcohol?", "what are the warnings for pregnancy?"):
        assert not asks_cautions(question), question


def test_an_age_said_is_no_word_to_match() -> None:
    assert said_ages("my daughter is 15 and on sertraline") == frozenset({"15"})
    assert said_ages("my 8 yo has a cough; I'm 41") == frozenset({"8", "41"})
    assert said_ages("he turned 16 last week") == frozenset({"16"})
    assert said_ages("the dose is 15 mg, she is 20 weeks pregnant") == frozenset()

    question = "my daughter is 15 and on sertraline, any side effects to watch for?"
    evidence = [
        _ev("sertraline", "specific_populations",
            "Use in patients with moderate (Child-Pugh score 7 to 10) or severe hepatic impairment (Child-Pugh "
            "score 10 to 15) is not recommended."),
        _ev("sertraline", "lactation", "In a pooled analysis of 53 mother-infant pairs, infants had an average of 2% "
                                       "(range 0% to 15%) of the sertraline serum levels measured in their mothers."),
        _ev("sertraline", "adverse_reactions",
            "The most common adverse reactions were nausea, diarrhea, tremor, insomnia and decreased appetite."),
    ]
    result = ExtractiveReader().read_evidence(question, [SearchQuery("sertraline", "adverse_reactions", question)],
                                              evidence)
    assert result.citations and all(c.attribute == "adverse_reactions" for c in result.citations), result.text


def test_of_two_decisive_partner_items_the_one_naming_it_leads() -> None:
    """A class hit ("diuretic therapy", for amiloride) that also names the stated condition scores higher; the
    sentence naming amiloride itself says as much and leads."""
    def scored(text: str, score: float, by_name: bool, i: int) -> _Scored:
        sentence = _Sentence("ramipril", "interactions", f"ramipril:interactions:{i}", i, 0, text,
                             frozenset(text.casefold().split()), 0)
        return _Scored(sentence, score, 1.0, safety=True, about_partner=True, names_partner=True,
                       partner_by_name=by_name)

    by_class = scored("Patients with heart failure on high dose diuretic therapy may experience excessive "
                      "hypotension, sometimes fatal.", 10.0, False, 0)
    by_name = scored("Potassium-sparing diuretics (amiloride, triamterene) can increase the risk of severe "
                     "hyperkalemia.", 7.0, True, 1)
    assert decisiveness(by_class.sentence.text) == decisiveness(by_name.sentence.text)
    chosen = ExtractiveReader()._choose([by_class, by_name], 2)
    assert chosen[0] is by_name
