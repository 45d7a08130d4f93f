"""Issue 18, interaction answers: each label's sentence about the other medicine that says what happens
(hyperkalemia, serotonin syndrome, 'contraindicated') leads, not its mechanism paragraphs; potassium salts are
the 'potassium supplementation' labels speak of; 'nitro SL' is nitroglycerin; 'would X be safe?' and 'and with
X?' ask about taking X beside the user's medicines. Evidence is cut to a few label sentences (offline, fast)."""

from __future__ import annotations

from app.pipeline.abbreviations import CLINICIAN_SHORTHAND
from app.pipeline.read import ExtractiveReader
from app.pipeline.read_partner import decisiveness, is_decisive, partner_weight
from app.pipeline.state import Evidence, SearchQuery
from app.records.interactions import InteractionLinks, label_text, name_class_keys
from app.records.mag import TAKING_CUE, WITH_FOLLOW_UP
from indexing.schema import Chunk


def _ev(mid: str, attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid), 0.03, 0, i)


def test_a_consequence_outweighs_a_mechanism() -> None:
    mechanism = ("The concomitant use of tramadol and CYP3A4 inhibitors can increase the plasma concentration of "
                 "tramadol.")
    consequence = "Serotonin Syndrome: Potentially life-threatening condition could result from concomitant use."
    assert partner_weight(consequence) > 0 > partner_weight(mechanism)
    assert is_decisive("Administration of tadalafil to patients using any form of organic nitrate is contraindicated.")
    assert not is_decisive(mechanism)
    # a glued paragraph loses a little against the same words said short
    assert partner_weight(consequence + " " + "x" * 400) < partner_weight(consequence)


def test_what_happens_and_what_must_not_be_done_before_what_to_do_about_it() -> None:
    assert decisiveness("Use with potassium supplementation may lead to severe hyperkalemia.") == 0
    assert decisiveness("Administration to patients using any form of organic nitrate is contraindicated.") == 0
    assert decisiveness("In general, discontinue potassium supplementation in patients who start it.") == 1
    assert decisiveness("Inhibitors of CYP2C9 have the potential to increase the exposure of warfarin.") == 2


def test_potassium_salts_are_potassium_supplements() -> None:
    assert name_class_keys(["Potassium Chloride"]) == {"potassium_supplement"}
    assert name_class_keys(["Potassium Citrate"]) == {"potassium_supplement"}
    assert not name_class_keys(["Penicillin G Potassium", "Losartan Potassium"])
    spironolactone = label_text("spironolactone", ["Spironolactone"], {
        "interactions": "Concomitant administration of spironolactone with potassium supplementation or drugs that "
                        "can increase potassium may lead to severe hyperkalemia."})
    chloride = label_text("potassium-chloride", ["Potassium Chloride"], {"indications": "For hypokalemia."})
    links = InteractionLinks([spironolactone, chloride], {"potassium-chloride": {"potassium_supplement"}})
    assert links.linked("spironolactone", "potassium-chloride")


def test_the_partner_sentence_with_its_consequence_leads() -> None:
    question = ("My husband started spironolactone. He's also been on potassium chloride pills for years. Can he "
                "keep taking both?")
    evidence = [
        _ev("spironolactone", "patient_counseling",
            "Patients who receive spironolactone should be advised to avoid potassium supplements and foods "
            "containing high levels of potassium, including salt substitutes."),
        _ev("spironolactone", "interactions",
            "Spironolactone is metabolized in the liver and its clearance is reduced in hepatic impairment. "
            "Concomitant administration of spironolactone with potassium supplementation or drugs that can "
            "increase potassium may lead to severe hyperkalemia.", 1),
        _ev("potassium-chloride", "indications", "Potassium chloride is indicated for the treatment of hypokalemia."),
    ]
    queries = [SearchQuery("spironolactone", "interactions", "spironolactone potassium chloride"),
               SearchQuery("potassium-chloride", "interactions", "potassium chloride spironolactone")]
    result = ExtractiveReader().read_evidence(question, queries, evidence, partners=("potassium-chloride",))
    first = result.citations[0]
    assert first.medicine_id == "spironolactone" and "severe hyperkalemia" in first.quote


def test_a_decisive_warning_about_the_partners_class_leads_a_mechanism() -> None:
    question = "I'm on sertraline. Can I take tramadol with it?"
    evidence = [
        _ev("tramadol", "interactions",
            "The concomitant use of tramadol and SSRIs can increase the plasma concentration of tramadol via "
            "CYP2D6 and greater levels of M1."),
        _ev("tramadol", "warnings",
            "Serotonin Syndrome: Potentially life-threatening condition could result from concomitant serotonergic "
            "drug administration. Discontinue tramadol if serotonin syndrome is suspected.", 1),
        _ev("sertraline", "description",
            "Sertraline is a selective serotonin reuptake inhibitor (SSRI). SSRIs such as sertraline ... Other SSRIs "
            "were studied. Unlike other SSRIs, it is given once daily."),
    ]
    queries = [SearchQuery("tramadol", "interactions", "tramadol sertraline"),
               SearchQuery("sertraline", "interactions", "sertraline tramadol")]
    result = ExtractiveReader().read_evidence(question, queries, evidence, partners=("sertraline",))
    first = result.citations[0]
    assert first.medicine_id == "tramadol" and "serotonin syndrome" in first.quote.casefold()


def test_nitro_forms_are_nitroglycerin() -> None:
    for said in ("nitro sl", "nitro spray", "nitro patch"):
        assert CLINICIAN_SHORTHAND[said] == "nitroglycerin"
    assert "nitro" not in CLINICIAN_SHORTHAND  # alone it may be another medicine's nickname


def test_a_new_medicine_asked_beside_the_own_ones() -> None:
    assert TAKING_CUE.search("Would Viagra be safe for me?")
    assert TAKING_CUE.search("would it be ok with my blood pressure pills?")
    assert WITH_FOLLOW_UP.search("and with tramadol?")
    assert WITH_FOLLOW_UP.search("What about with ibuprofen?")
    assert not WITH_FOLLOW_UP.search("Can I take it with food and a glass of milk in the morning?")
    assert not WITH_FOLLOW_UP.search("How much should I take?")



def test_statins_by_their_first_syllables_are_clinician_shorthand() -> None:
    assert CLINICIAN_SHORTHAND["simva"] == "simvastatin"  # "pt on amio, ok to give simva 40?"
    assert "metro" not in CLINICIAN_SHORTHAND  # an ordinary word
