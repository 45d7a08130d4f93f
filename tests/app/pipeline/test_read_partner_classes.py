"""Issue 18, interaction answers: the other medicine counts as named when a label names it by a class the shared
table lacks (triptans, sulfonamides, azole antifungals, potassium-sparing diuretics, QT-prolonging drugs), by a
class its own label puts it in ("venlafaxine tablets, other SNRIs"), and when the database lacks it ("I take
lithium. Is ibuprofen ok?"). Offline and fast: evidence is a few label sentences, the read stage runs on stubs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from app.enums import Status
from app.pipeline.read import CLASS_PATTERNS, ExtractiveReader, Reader
from app.pipeline.read_partner import (
    EXTRA_CLASSES,
    classes_asked,
    enzyme_inhibitor_patterns,
    extra_classes,
    list_excerpt,
    list_items,
    own_classes,
    unknown_partner,
)
from app.pipeline.state import (
    Distillation,
    Evidence,
    ReadRequest,
    ReadResult,
    SearchQuery,
    Selection,
    TurnRequest,
    TurnState,
)
from indexing.schema import Chunk


def _ev(mid: str, attribute: str, text: str, i: int = 0) -> Evidence:
    return Evidence(Chunk(f"{mid}:{attribute}:{i}", mid, attribute, i, text, title=mid), 0.03, 0, i)


def test_classes_by_name_stem_and_declared_class() -> None:
    assert "triptan" in extra_classes(["Sumatriptan Succinate"], [], "")
    assert "azole_antifungal" in extra_classes(["Fluconazole"], [], "")
    assert "azole_antifungal" not in extra_classes(["Omeprazole"], [], "")  # a proton pump inhibitor
    assert "sulfonamide" in extra_classes(["Sulfamethoxazole and Trimethoprim"], [], "")
    assert "potassium_sparing" in extra_classes(["Eplerenone"], ["Aldosterone Antagonist [EPC]"], "")
    assert not extra_classes(["Metformin"], ["Biguanide [EPC]"], "")


def test_qt_prolonging_by_its_own_label_not_by_a_denial() -> None:
    own = ("QT prolongation has been reported with overdose. Avoid use with other drugs that prolong the QT "
           "interval.")
    assert "qt_prolonging" in extra_classes(["Quetiapine"], [], own)
    denied = ("Drug X was not associated with QT prolongation. No QT prolongation was seen in a thorough QT "
              "study.")
    assert "qt_prolonging" not in extra_classes(["Drug X"], [], denied)
    pattern = EXTRA_CLASSES["qt_prolonging"]
    assert pattern.search("Avoid concomitant use of citalopram with drugs that prolong the QT interval.")
    assert pattern.search("Use caution with other QT-prolonging drugs.")


def test_a_label_puts_its_medicine_in_a_class_by_other_class() -> None:
    venlafaxine = "Neonates exposed to venlafaxine tablets, other SNRIs, or SSRIs, late in the third trimester."
    assert own_classes(["venlafaxine"], venlafaxine, CLASS_PATTERNS) == {"snri"}
    # another drug's class after a list of others is not the medicine's own
    sertraline = ("Bleeding may increase with concomitant use of sertraline hydrochloride tablets with aspirin, "
                  "NSAIDs, other antiplatelet drugs, warfarin, and other anticoagulants.")
    assert own_classes(["sertraline", "sertraline hydrochloride"], sertraline, CLASS_PATTERNS) == set()


def test_the_label_sentence_about_a_triptan_partner_leads() -> None:
    question = "I take sumatriptan for migraines and my doctor wants to start venlafaxine. Is that safe?"
    evidence = [
        _ev("venlafaxine", "interactions",
            "Concomitant administration of cimetidine and venlafaxine resulted in inhibition of first-pass "
            "metabolism of venlafaxine. As with all drugs, the potential for interaction is a possibility."),
        _ev("venlafaxine", "warnings",
            "Serotonin syndrome has been reported with SNRIs when used with triptans; discontinue venlafaxine "
            "if serotonin syndrome occurs.", 1),
    ]
    queries = [SearchQuery("venlafaxine", "interactions", "venlafaxine sumatriptan"),
               SearchQuery("sumatriptan", "interactions", "sumatriptan venlafaxine")]
    result = ExtractiveReader().read_evidence(question, queries, evidence, partners=("sumatriptan",))
    first = result.citations[0]
    assert first.medicine_id == "venlafaxine" and "triptans" in first.quote


def test_unknown_partner_is_the_name_a_label_uses() -> None:
    assert unknown_partner("Lithium") == "lithium"
    assert unknown_partner("zorvalex (did you mean zolpidem?)") == "zorvalex"


@dataclass
class _Lexicon:
    names: dict[str, str] = field(default_factory=dict)

    def find(self, text: str) -> list[Any]:
        return []


@dataclass
class _Serving:
    index: Any = None
    lexicon: _Lexicon = field(default_factory=_Lexicon)


class _Recording(Reader):
    """A read stage that keeps what it was asked to read."""

    kind = "recording"

    def __init__(self) -> None:
        self.requests: list[ReadRequest] = []

    def read(self, request: ReadRequest) -> ReadResult:
        self.requests.append(request)
        return ReadResult("ok", [], Status.ANSWERED)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.kind}


def _run(question: str, queries: list[SearchQuery], unknown: list[str]) -> ReadRequest:
    state = TurnState(TurnRequest(question), cast(Any, _Serving()),
                      distilled=Distillation(queries=queries, unknown_drugs=unknown))
    state.selection = cast(Selection, None)
    reader = _Recording()
    reader.run(state)
    return reader.requests[0]


def test_a_medicine_the_database_lacks_is_the_other_medicine_of_an_interaction_question() -> None:
    asked = SearchQuery("ibuprofen", "interactions", "ibuprofen lithium")
    request = _run("I'm on lithium, can I take ibuprofen?", [asked], ["Lithium"])
    assert [q.medicine for q in request.queries] == ["ibuprofen", "lithium"]
    # not an interaction question: the unknown medicine is not read for
    dose = SearchQuery("ibuprofen", "dosage", "ibuprofen lithium")
    assert [q.medicine for q in _run("How much ibuprofen and lithium?", [dose], ["Lithium"]).queries] == [
        "ibuprofen"]


def test_the_known_label_quotes_what_it_says_of_the_unknown_medicine_first() -> None:
    question = "I'm on lithium, can I take ibuprofen for a headache?"
    evidence = [
        _ev("ibuprofen", "interactions",
            "The clinical significance of this interaction is not known; however, concomitant administration of "
            "ibuprofen and aspirin is not generally recommended because of the potential for increased adverse "
            "effects. Thus, when ibuprofen and lithium are administered concurrently, subjects should be observed "
            "carefully for signs of lithium toxicity."),
    ]
    queries = [SearchQuery("ibuprofen", "interactions", "ibuprofen lithium headache"),
               SearchQuery("lithium", None, "lithium")]
    result = ExtractiveReader().read_evidence(question, queries, evidence)
    assert "lithium toxicity" in result.citations[0].quote
    assert all("aspirin" not in c.quote for c in result.citations)


def test_a_declared_enzyme_inhibitor_by_the_words_labels_use() -> None:
    fluconazole = enzyme_inhibitor_patterns(["Cytochrome P450 2C9 Inhibitors [MoA]",
                                             "Cytochrome P450 3A4 Inhibitors [MoA]"])
    for said in ("Inhibitors of CYP2C9, 1A2, and/or 3A4 have the potential to increase the effect of warfarin.",
                 "Closely monitor INR if a concomitant drug is a CYP2C9, 1A2, and/or 3A4 inhibitor or inducer.",
                 "Concomitant use with strong CYP3A inhibitors is contraindicated."):
        assert any(p.search(said) for p in fluconazole), said
    assert not any(p.search("Use with CYP2D6 inhibitors such as quinidine.") for p in fluconazole)
    assert enzyme_inhibitor_patterns(["Azole Antifungal [EPC]"]) == []


def test_a_qualified_class_is_not_the_whole_class() -> None:
    antibiotic, antifungal = EXTRA_CLASSES["antibiotic"], EXTRA_CLASSES["antifungal"]
    assert antibiotic.search("Concomitant use of drugs that increase bleeding risk, antibiotics, antifungals.")
    assert not antibiotic.search("Macrolide antibiotics have been reported to decrease corticosteroid clearance.")
    assert not antifungal.search("strong CYP3A4 inhibitors (select azole anti-fungals, macrolide antibiotics)")


def test_a_class_the_question_names_as_the_other_medicine() -> None:
    asked = classes_asked("Patient on citalopram; is adding another QT-prolonging drug a problem?", False,
                          EXTRA_CLASSES)
    assert asked == [EXTRA_CLASSES["qt_prolonging"]]
    assert classes_asked("I'm on warfarin. Is it ok to take an antibiotic?", False, EXTRA_CLASSES)
    assert not classes_asked("What antibiotic is best for a chest infection?", False, EXTRA_CLASSES)
    question = "Patient on citalopram; is adding another QT-prolonging drug a problem?"
    evidence = [
        _ev("citalopram", "dosage", "Dosages above 40 mg once daily are not recommended due to the risk of QT "
            "prolongation."),
        _ev("citalopram", "warnings",
            "Avoid use of citalopram tablets in patients with congenital long QT syndrome, bradycardia, or "
            "hypokalemia and patients taking other drugs that prolong the QTc interval.", 1),
    ]
    result = ExtractiveReader().read_evidence(question, [SearchQuery("citalopram", "warnings", "citalopram QT")],
                                              evidence)
    assert "other drugs that prolong the QTc interval" in result.citations[0].quote


def test_a_list_too_long_to_quote_gives_its_items_naming_the_partner() -> None:
    contraindicated = ("Some examples of drugs that are contraindicated for coadministration with itraconazole "
                       "capsules are: methadone, disopyramide, ergot alkaloids (such as dihydroergotamine, "
                       "ergotamine), irinotecan, lovastatin, simvastatin, avanafil, ticagrelor.")
    assert list_excerpt(contraindicated, lambda t: "simvastatin" in t) == (
        "Some examples of drugs that are contraindicated for coadministration with itraconazole capsules are: "
        "simvastatin, and others.")
    # an item's own commas (in parentheses) stay in it
    assert list_items("a, ergot alkaloids (such as x, y), and b") == ["a", "ergot alkaloids (such as x, y)", "b"]
    assert list_excerpt(contraindicated, lambda t: "warfarin" in t) is None  # not named
    assert list_excerpt("Avoid simvastatin, lovastatin and others.", lambda t: "simvastatin" in t) is None  # no list


def test_the_asked_medicines_own_class_is_that_medicine_unless_another() -> None:
    statin = CLASS_PATTERNS["statin"]
    assert not classes_asked("can statins cause muscle pain? I'm on atorvastatin 40", False, CLASS_PATTERNS,
                             lambda: (statin,))
    assert classes_asked("I'm on atorvastatin. Can I add another statin?", False, CLASS_PATTERNS,
                         lambda: (statin,)) == [statin]


def test_the_partner_by_its_own_name_is_told_from_its_class() -> None:
    """By name gains NAMED_BONUS over by class (lisinopril's "Potassium-sparing diuretics (spironolactone, ...)"
    before its "treated vigorously with diuretics" for an Aldactone question: ans-bt2-14 on answers_blind_tune2)."""
    own = "Spironolactone is a potassium-sparing diuretic. Unlike other diuretics it spares potassium. Loop diuretics."
    patterns = ExtractiveReader()._partner_patterns("spironolactone", None, own)
    by_name = "Potassium-sparing diuretics (spironolactone, amiloride) can increase the risk of hyperkalemia."
    by_class = "Excessive hypotension may occur in patients treated vigorously with diuretics."
    assert patterns.names_in(by_name) and patterns.names_in(by_class)
    assert patterns.named_in(by_name) and not patterns.named_in(by_class)


def test_own_classes_reads_only_where_the_label_says_other() -> None:
    import re

    from app.pipeline import read_partner

    table = {"snri": re.compile(r"\b(?:snris?)\b", re.IGNORECASE)}
    label = "Neonates exposed to examplafaxine tablets, other SNRIs, or SSRIs late in the third trimester."
    assert read_partner.own_classes(["examplafaxine"], label, table) == {"snri"}
    far = "Examplafaxine was studied in adults with aspirin, NSAIDs, and other SNRIs."
    assert read_partner.own_classes(["examplafaxine"], far, table) == set()
    read_partner.own_classes(["examplafaxine"], label, dict(table))  # a table built afresh: compiled once
    assert sum(1 for t in read_partner._BODIES if dict(t) == table) == 1


def test_a_penicillin_is_an_antibiotic_as_partner_and_as_the_asked_medicine() -> None:
    """warfarin's "antibiotics" line speaks of amoxicillin; "do antibiotics stop the pill working?" asked of
    amoxicillin names amoxicillin itself, not another medicine (whose "antibacterial" warnings would lead)."""
    own = "Amoxicillin is a penicillin-class antibacterial. Penicillins. Other penicillins may cross-react."
    patterns = ExtractiveReader()._partner_patterns("amoxicillin", None, own)
    assert patterns.names_in("Concomitant use of drugs that increase bleeding risk, antibiotics, antifungals.")
    # (the pill is the other medicine asked of: its class, session 17; not amoxicillin's own antibiotic class)
    assert classes_asked("amoxicillin and birth control pills - do antibiotics stop the pill working?", True,
                         {**CLASS_PATTERNS, **EXTRA_CLASSES}, lambda: patterns.names) == [
        EXTRA_CLASSES["hormonal_contraceptive"]]
