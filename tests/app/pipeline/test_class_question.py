"""app.pipeline.class_question: a question naming a class of medicines and none of it is asked back."""

from __future__ import annotations

import pytest

from app.pipeline.class_question import ClassAsked, class_asked, members
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *classes: str, routes: tuple[str, ...] = ("ORAL",)) -> MedicineEntry:
    return MedicineEntry(mid, name, (), "en", "", ("dosage", "interactions"), routes=routes, classes=classes)


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        _entry("cephalexin", "Cephalexin", "Cephalosporin Antibacterial [EPC]"),
        _entry("cefuroxime-axetil", "Cefuroxime Axetil"),  # no class declared: the stem says it
        _entry("ceftriaxone", "Ceftriaxone Sodium", "Cephalosporin Antibacterial [EPC]", routes=("INTRAVENOUS",)),
        _entry("atorvastatin", "Atorvastatin Calcium", "HMG-CoA Reductase Inhibitor [EPC]"),
        _entry("nystatin", "Nystatin", "Polyene Antifungal [EPC]"),
        _entry("warfarin", "Warfarin Sodium"),
        _entry("ibuprofen", "Ibuprofen", "Nonsteroidal Anti-inflammatory Drug [EPC]"),
    ])


def _distill(lexicon: MedicineLexicon, *turns: str):  # type: ignore[no-untyped-def]
    dialogue = [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]
    return RuleDistiller().distill(dialogue, lexicon)


@pytest.mark.parametrize(("question", "key"), [
    ("can I drink alcohol while taking a cephalosporin?", "cephalosporin"),
    ("are statins ok with grapefruit juice?", "statin"),
    ("Is it safe to take antibiotics while pregnant?", "antibiotic"),
    ("吃头孢的时候能喝酒吗", "cephalosporin"),
    ("What are the side effects of ibuprofen?", None),
    # asked of the class itself, not of the one the user takes
    ("what are beta blockers", None),
    ("how do opioids reduce pain", None),
    ("are there antibiotics for cold symptoms?", None),
    ("what antidepressants are best for someone with a heart arrhythmia", None),
    ("头孢是什么", None),
    # the class the user is allergic to is not the one asked about
    ("I'm allergic to penicillin, which cephalosporin can I take?", "cephalosporin"),
    ("我对青霉素过敏，吃头孢的时候能喝酒吗", "cephalosporin"),
    ("allergic to sulfa drugs - are statins ok with grapefruit?", "statin"),
])
def test_the_class_a_question_names(question: str, key: str | None) -> None:
    asked = class_asked(question)
    assert (asked.key if asked else None) == key


def test_members_by_declared_class_or_stem_taken_by_mouth_first(lexicon: MedicineLexicon) -> None:
    assert members(ClassAsked("cephalosporin", False, "cephalosporin"), lexicon) == [
        "cephalexin", "cefuroxime-axetil", "ceftriaxone"]
    # a label's own classes decide: nystatin's name ends in -statin but it is an antifungal
    assert members(ClassAsked("statin", False, "statins"), lexicon) == ["atorvastatin"]


def test_a_class_and_no_medicine_is_asked_back_with_examples(lexicon: MedicineLexicon) -> None:
    d = _distill(lexicon, "can I drink alcohol while taking a cephalosporin?")
    assert not d.queries
    assert d.clarify.startswith("Which cephalosporin do you take?")
    assert "Cephalexin" in d.clarify and "Ceftriaxone" in d.clarify
    zh = _distill(lexicon, "吃头孢的时候能喝酒吗")
    assert zh.clarify.startswith("您用的是哪一种头孢类抗生素")


def test_the_reply_is_answered_with_the_question_asked_before(lexicon: MedicineLexicon) -> None:
    asked = "can I drink alcohol while taking a cephalosporin?"
    back = _distill(lexicon, asked).clarify
    d = _distill(lexicon, asked, back, "cephalexin")
    # as the question naming it is: the medicine, and alcohol as the partner its label is read for
    named = _distill(lexicon, "can I drink alcohol while taking cephalexin?")
    assert [q.medicine for q in d.queries] == [q.medicine for q in named.queries] == ["cephalexin", "alcohol"]
    assert d.answering.startswith(asked)


def test_a_named_medicine_of_the_class_is_answered_not_asked_back(lexicon: MedicineLexicon) -> None:
    d = _distill(lexicon, "I take warfarin. Are NSAIDs safe with it?")
    assert not d.clarify and "warfarin" in [q.medicine for q in d.queries]
    assert not _distill(lexicon, "Does atorvastatin interact with other statins?").clarify


def test_a_lay_kind_takes_the_established_classes_its_labels_give() -> None:
    # "antibiotics" names penicillins, cephalosporins, macrolides and fluoroquinolones; metronidazole's and
    # nitrofurantoin's labels say "... Antimicrobial" and "... Antibacterial", as the macrolide's and the
    # cephalosporin's do: they are antibiotics too; an antifungal is not, whatever its name ends with
    lexicon = MedicineLexicon([
        _entry("clarithromycin", "Clarithromycin", "Macrolide Antimicrobial [EPC]", "Macrolides [CS]"),
        _entry("cephalexin", "Cephalexin", "Cephalosporin Antibacterial [EPC]"),
        _entry("metronidazole", "Metronidazole", "Nitroimidazole Antimicrobial [EPC]"),
        _entry("nitrofurantoin", "Nitrofurantoin", "Nitrofuran Antibacterial [EPC]"),
        _entry("fluconazole", "Fluconazole", "Azole Antifungal [EPC]"),
        _entry("nystatin", "Nystatin", "Polyene Antifungal [EPC]"),
        _entry("atorvastatin", "Atorvastatin Calcium", "HMG-CoA Reductase Inhibitor [EPC]"),
    ])
    antibiotics = members(ClassAsked("antibiotic", True, "antibiotics"), lexicon)
    assert set(antibiotics) == {"clarithromycin", "cephalexin", "metronidazole", "nitrofurantoin"}
    # a class word the user names stays that class: metronidazole is no cephalosporin
    assert members(ClassAsked("cephalosporin", False, "cephalosporins"), lexicon) == ["cephalexin"]
    assert members(ClassAsked("statin", True, "statins"), lexicon) == ["atorvastatin"]


def test_a_class_two_kind_names_declare_joins_the_kind_one_name_does_not() -> None:
    lexicon = MedicineLexicon([
        _entry("metformin", "Metformin", "Biguanide [EPC]"),
        _entry("empagliflozin", "Empagliflozin", "Sodium-Glucose Cotransporter 2 Inhibitor [EPC]"),
        _entry("dapagliflozin", "Dapagliflozin", "Sodium-Glucose Cotransporter 2 Inhibitor [EPC]"),
        # one -statin name in an antifungal class the database gives two medicines
        _entry("nystatin", "Nystatin", "Polyene Antifungal [EPC]"),
        _entry("amphotericin", "Amphotericin B", "Polyene Antifungal [EPC]"),
        _entry("simvastatin", "Simvastatin", "HMG-CoA Reductase Inhibitor [EPC]"),
    ])
    diabetes = members(ClassAsked("antidiabetic", True, "diabetes pills"), lexicon)
    assert {"empagliflozin", "dapagliflozin"} <= set(diabetes)
    assert members(ClassAsked("statin", True, "statins"), lexicon) == ["simvastatin"]


def test_a_lay_kinds_examples_span_its_classes() -> None:
    tetracyclines = [_entry(mid, mid.title()) for mid in ("doxycycline", "minocycline", "tetracycline")]
    lexicon = MedicineLexicon([*tetracyclines,
                               _entry("amoxicillin", "Amoxicillin", "Penicillin-class Antibacterial [EPC]"),
                               _entry("clarithromycin", "Clarithromycin", "Macrolide Antimicrobial [EPC]"),
                               _entry("metronidazole", "Metronidazole", "Nitroimidazole Antimicrobial [EPC]")])
    shown = members(ClassAsked("antibiotic", True, "antibiotics"), lexicon, limit=4)
    assert {"amoxicillin", "clarithromycin", "metronidazole"} <= set(shown), shown
    assert len(shown) == 4  # and one tetracycline of the three


def test_the_question_back_offers_its_examples_as_replies(lexicon: MedicineLexicon) -> None:
    d = _distill(lexicon, "can I drink alcohol while taking a cephalosporin?")
    assert d.options == ("Cephalexin", "Cefuroxime", "Ceftriaxone")
    assert all(name in d.clarify for name in d.options)
    picked = _distill(lexicon, "can I drink alcohol while taking a cephalosporin?", d.clarify, d.options[1])
    assert [q.medicine for q in picked.queries] == ["cefuroxime-axetil", "alcohol"]
    assert not _distill(lexicon, "What are the side effects of ibuprofen?").options


def test_a_class_without_a_stem_or_declared_members_still_names_examples() -> None:
    # no SSRI label of the corpus declares the class and their names share no stem
    lexicon = MedicineLexicon([_entry("sertraline", "Sertraline"), _entry("fluoxetine", "Fluoxetine"),
                               _entry("bupropion", "Bupropion"), _entry("tadalafil", "Tadalafil")])
    d = _distill(lexicon, "Is it safe to take SSRIs while breastfeeding?")
    assert set(d.options) == {"Sertraline", "Fluoxetine"}, d
    assert members(ClassAsked("pde5_inhibitor", False, "PDE5 inhibitors"), lexicon) == ["tadalafil"]


def test_painkillers_are_not_the_aminosalicylates() -> None:
    # mesalamine's label declares "Aminosalicylate [EPC]" (a salicylate by name); it treats colitis, no pain
    lexicon = MedicineLexicon([_entry("mesalamine", "Mesalamine", "Aminosalicylate [EPC]"),
                               _entry("ibuprofen", "Ibuprofen", "Nonsteroidal Anti-inflammatory Drug [EPC]"),
                               _entry("tramadol", "Tramadol Hydrochloride", "Opioid Agonist [EPC]")])
    painkillers = members(ClassAsked("painkiller", True, "painkillers"), lexicon)
    assert set(painkillers) == {"ibuprofen", "tramadol"}, painkillers


def test_a_reference_to_a_kind_said_before_is_asked_back_not_unknown(lexicon: MedicineLexicon) -> None:
    # "I take cephalosporins." ... "can I drink on it?": "it" is the class said before; labels differ within
    # it, so which one is asked, as for the question naming it (was: "cephalosporins" not in the database)
    d = _distill(lexicon, "I take a cephalosporin.", "Okay.", "can I drink alcohol with it?")
    assert not d.queries and not d.unknown_drugs
    assert d.clarify.startswith("Which cephalosporin do you take?")
    # a reply to the question back that still names none is asked again, not taken for a missing product
    again = _distill(lexicon, "I take a cephalosporin.", d.clarify, "can I drink alcohol with it?")
    assert again.clarify.startswith("Which cephalosporin do you take?") and not again.unknown_drugs


def test_only_a_name_that_is_wholly_a_kind_is_asked_back() -> None:
    from app.pipeline.distill import _kind_only

    assert _kind_only(["insulin"]) is not None and _kind_only(["my blood thinner pills"]) is not None
    # a product the database lacks whose name starts with a kind's word is that product (cefixime), not the kind
    assert _kind_only(["头孢克肟"]) is None
    assert _kind_only(["insulin", "warfarin"]) is None
