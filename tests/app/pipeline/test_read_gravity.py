"""Issue 18 (reading): questions about how grave a medicine's risks are, and general "what should I watch out
for" questions, lead with the label's boxed warning (else its first warning). Hand-written wordings over label
text written in the shapes the shipped labels use; no test set's phrase."""

from __future__ import annotations

from app.pipeline.compose import strip_heading
from app.pipeline.read import ExtractiveReader
from app.pipeline.read_gravity import asks_cautions, asks_gravity, cautions_section, gravest_section
from app.pipeline.state import Evidence, SearchQuery
from app.pipeline.whole_sentences import join_leaning, leans_back
from indexing.schema import Chunk

BOXED = frozenset({"boxed_warning", "warnings", "adverse_reactions", "indications"})
UNBOXED = frozenset({"warnings", "adverse_reactions", "indications"})


def _ev(mid: str, attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid), 0.03, 0, i)


def _ask(question: str, attribute: str | None, evidence: list[Evidence], mid: str) -> list[tuple[str, str]]:
    result = ExtractiveReader().read_evidence(question, [SearchQuery(mid, attribute, question)], evidence)
    return [(c.attribute, c.quote) for c in result.citations]


def test_danger_words_ask_how_grave_the_risks_are() -> None:
    for question in ("is warfarin dangerous?", "Any serious risks with Plavix?", "how risky is amiodarone",
                     "what's the worst thing that can happen on this?", "levaquin black box?",
                     "does it have a boxed warning", "Metformin - anything really serious I need to know?",
                     "are there any big dangers with oxycodone", "can this drug kill me?",
                     "is it bad for my heart long term?", "could it damage my liver"):
        assert asks_gravity(question), question
    for question in ("what is the dose of warfarin?", "can I take it with food?", "is it safe in pregnancy?",
                     "my rash is getting worse", "serious question: how do I store it?",
                     "is it bad for me to take it at night?"):
        assert not asks_gravity(question), question


def test_general_caution_questions_are_recognised() -> None:
    for question in ("Anything I should watch out for with allopurinol?", "what should I know before starting it",
                     "any precautions with this one?", "what do I need to be aware of",
                     "what are the risks of taking metformin?", "are there any risks with it"):
        assert asks_cautions(question), question
    for question in ("what is it for?", "how much should I take?", "I watched a film about it",
                     "what's the risk of bleeding on it?", "any risk of weight gain?"):
        assert not asks_cautions(question), question


def test_the_gravest_section_is_the_box_else_the_warnings() -> None:
    assert gravest_section("adverse_reactions", BOXED) == "boxed_warning"
    assert gravest_section(None, BOXED) == "boxed_warning"
    assert gravest_section("warnings", BOXED) == "boxed_warning"
    assert gravest_section("adverse_reactions", UNBOXED) == "warnings"
    assert gravest_section("warnings", UNBOXED) is None  # already there
    assert gravest_section("boxed_warning", UNBOXED) is None  # an asked box the label lacks is said to be missing
    assert gravest_section("interactions", BOXED) is None  # an interaction question keeps its section
    assert gravest_section("dosage", BOXED) is None
    assert gravest_section("pediatric", BOXED) == "boxed_warning"  # "is it dangerous for teenagers?"
    assert gravest_section("pregnancy", BOXED) is None  # the pregnancy section answers that
    assert cautions_section(None, UNBOXED) == "warnings"
    assert cautions_section("dosage", UNBOXED) is None


ANTICOAGULANT = [
    _ev("coagulex", "indications", "Coagulex is indicated for the prophylaxis and treatment of venous thrombosis "
        "and pulmonary embolism."),
    _ev("coagulex", "boxed_warning", "WARNING: BLEEDING RISK Coagulex can cause major or fatal bleeding. Perform "
        "regular monitoring of INR in all treated patients. Drugs, dietary changes, and other factors affect INR "
        "levels achieved with coagulex therapy."),
    _ev("coagulex", "adverse_reactions", "The most common adverse reactions to coagulex are nausea, vomiting, "
        "diarrhea, taste perversion, abdominal pain, flatulence and bloating. Serious skin necrosis has been "
        "reported rarely."),
    _ev("coagulex", "warnings", "Tissue necrosis is a serious risk. Discontinue coagulex if necrosis occurs."),
]


def test_a_danger_question_sent_to_the_side_effects_quotes_the_box_first() -> None:
    quotes = _ask("is coagulex dangerous?", "adverse_reactions", ANTICOAGULANT, "coagulex")
    assert quotes[0][0] == "boxed_warning" and "major or fatal bleeding" in quotes[0][1]
    assert all(section != "adverse_reactions" for section, _ in quotes)  # incidence lists are not the answer


def test_the_boxs_first_sentences_beat_words_of_what_it_treats() -> None:
    quotes = _ask("whats the worst that can happen on coagulex for my pulmonary embolism?", None, ANTICOAGULANT,
                  "coagulex")
    assert "major or fatal bleeding" in quotes[0][1]
    assert all(section != "indications" for section, _ in quotes)


def test_a_watch_out_question_with_no_section_leads_with_the_first_warning() -> None:
    label = [
        _ev("uricin", "indications", "Uricin is indicated for the management of patients with signs and symptoms "
            "of primary or secondary gout."),
        _ev("uricin", "warnings", "Skin Rash and Hypersensitivity: Uricin has been associated with serious and "
            "sometimes fatal dermatological reactions. Discontinue uricin at the first appearance of skin rash or "
            "other signs of hypersensitivity reaction. Gout Flares: May occur during initiation of treatment with "
            "uricin for gout."),
        _ev("uricin", "warnings", "Advise patients to continue uricin even if gout flares occur during the first "
            "months of treatment for gout.", 1),
    ]
    quotes = _ask("I just started uricin for my gout. Anything I should watch out for?", None, label, "uricin")
    assert quotes[0][0] == "warnings" and "first appearance of skin rash" in " ".join(q for _, q in quotes[:1])


def test_an_interaction_question_with_a_danger_word_keeps_its_section() -> None:
    assert gravest_section("interactions", BOXED) is None
    assert asks_gravity("is it dangerous to take coagulex with aspirin?")


def test_a_boxed_warnings_title_in_capitals_stays_whole() -> None:
    title = ("WARNING: EMBRYO-FETAL TOXICITY, HYPERSENSITIVITY REACTIONS, SEVERE ADVERSE REACTIONS, AND RISK OF "
             "MEDICATION ERRORS Folatrex tablets can cause embryo-fetal toxicity, including fetal death.")
    kept = strip_heading(title)
    assert kept.startswith("WARNING: EMBRYO-FETAL") or kept.startswith("Folatrex tablets")
    assert not kept.startswith("REACTIONS")  # never a title cut in the middle
    assert strip_heading("Angina Pectoris There have been reports of angina.") == "There have been reports of angina."


def test_an_instruction_ending_in_these_cases_leans_on_the_sentence_before() -> None:
    assert leans_back("Discontinue pregabalin immediately in these cases.")
    assert not leans_back("Angioedema can occur, and may be associated with life-threatening respiratory compromise.")
    assert not leans_back("Dose adjustment is not needed in these patients, since the drug is not excreted by the "
                          "kidney and its exposure in renal impairment was unchanged in two studies of 40 patients.")
    joined = join_leaning([(0, "Angioedema of the throat can occur."),
                           (1, "Discontinue pregabalin immediately in these cases.")])
    assert joined == [(0, "Angioedema of the throat can occur. Discontinue pregabalin immediately in these cases.")]
    assert join_leaning([(3, "Discontinue pregabalin immediately in these cases.")]) == []
