"""RxNorm codes and pharmacologic classes in the MAG stages (issue 21): a recorded medication is the medicine its
code maps to (RxCUI, then ingredients with an RRF release, then the entry's words); a label that names a class
("NSAIDs") links to the class's members, with the labels' class metadata mapped to the words labels use; an
allergy to a class (penicillin) bears on its members (amoxicillin)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from app.enums import Mag
from app.pipeline.context import build_context
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Distillation, SearchQuery, Turn
from app.records.interactions import DRUG_CLASSES, InteractionLinks, label_text
from app.records.mag import add_medication_partners, allergy_conflicts, allergy_notice, medication_partners
from app.records.medications import MedicationResolver, codes_in, current_codes, entry_name
from app.records.model import PatientContext, Record
from app.records.provider import MedRecordProvider
from app.records.schema import PatientIn
from app.records.search import RecordSearch
from app.records.store import RecordStore
from indexing.store import MedicineEntry, SearchIndex
from indexing.vocabulary import PHARM_CLASS_KEYS, pharm_class_keys
from tests.app.records.conftest import FIXTURES

CORPUS = Path(__file__).resolve().parents[3] / "corpora" / "medicines.jsonl"


def entry(mid: str, name: str, rxcuis: tuple[str, ...] = (), classes: tuple[str, ...] = (),
          aliases: tuple[str, ...] = ()) -> MedicineEntry:
    return MedicineEntry(mid, name, aliases, "en", "test", ("interactions",), rxcuis=rxcuis, classes=classes)


MEDICINES = [
    entry("warfarin", "Warfarin Sodium", ("855318",), ("Anti-coagulant [EPC]",), ("Coumadin",)),
    entry("lisinopril", "Lisinopril", ("314076",), ("Angiotensin Converting Enzyme Inhibitor [EPC]",)),
    entry("ibuprofen", "Ibuprofen", ("197806",), ("Nonsteroidal Anti-inflammatory Drug [EPC]",
                                                  "Cyclooxygenase Inhibitors [MoA]"), ("Advil",)),
    entry("amoxicillin", "Amoxicillin", (), ("Penicillin-class Antibacterial [EPC]",)),
    entry("cefdinir", "Cefdinir", (), ("Cephalosporin Antibacterial [EPC]",)),
    entry("metformin", "Metformin Hydrochloride", ("860975",)),
    entry("acetaminophen", "Acetaminophen"),
]
LABELS = {  # interaction text as labels write it; no label here gives ibuprofen as an example of NSAIDs
    "lisinopril": "In patients who are elderly, volume-depleted or with compromised renal function, "
                  "coadministration of NSAIDs with ACE inhibitors may result in deterioration of renal function.",
    "warfarin": "Drugs that increase bleeding risk, such as antiplatelet agents, increase the risk of bleeding.",
    "ibuprofen": "Ibuprofen may diminish the antihypertensive effect of ACE inhibitors.",
    "amoxicillin": "Probenecid decreases the renal tubular secretion of amoxicillin.",
    "cefdinir": "Antacids containing aluminum or magnesium reduce cefdinir absorption.",
    "metformin": "Carbonic anhydrase inhibitors may increase the risk of lactic acidosis.",
    "acetaminophen": "",
}


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon(MEDICINES)


def links(declared: bool = True) -> InteractionLinks:
    labels = [label_text(m.id, (m.name, *m.aliases), {"interactions": LABELS[m.id]}) for m in MEDICINES]
    return InteractionLinks(labels, {m.id: pharm_class_keys(m.classes) for m in MEDICINES} if declared else None)


# --- the class table --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fda_name", "key"), [
    ("Nonsteroidal Anti-inflammatory Drug [EPC]", "nsaid"),
    ("Anti-Inflammatory Agents, Non-Steroidal [CS]", "nsaid"),
    ("Penicillin-class Antibacterial [EPC]", "penicillin"),
    ("Cephalosporin Antibacterial [EPC]", "cephalosporin"),
    ("beta-Adrenergic Blocker [EPC]", "beta_blocker"),
    ("Adrenergic beta-Antagonists [MoA]", "beta_blocker"),
    ("Monoamine Oxidase Inhibitor [EPC]", "maoi"),
    ("Selective Serotonin Reuptake Inhibitor [EPC]", "ssri"),
    ("Anti-coagulant [EPC]", "anticoagulant"),
    ("Vitamin K Antagonist [EPC]", "anticoagulant"),
    ("Factor Xa Inhibitor [EPC]", "anticoagulant"),
    ("HMG-CoA Reductase Inhibitor [EPC]", "statin"),
    ("Angiotensin 2 Receptor Blocker [EPC]", "arb"),
    ("Dihydropyridine Calcium Channel Blocker [EPC]", "calcium_channel_blocker"),
    ("mu-Opioid Receptor Agonist [EPC]", "opioid"),
    ("Proton Pump Inhibitor [EPC]", "ppi"),
    ("Cytochrome P450 3A4 Inhibitors [MoA]", "cyp3a4_inhibitor"),
])
def test_fda_class_names_map_to_class_keys(fda_name: str, key: str) -> None:
    assert key in pharm_class_keys([fda_name])


def test_classes_no_rule_knows_give_nothing_and_every_key_has_label_words() -> None:
    assert pharm_class_keys(["Kinase Inhibitor [EPC]", "Increased Diuresis [PE]", "Cytochrome P450 3A4 Inducers [MoA]",
                           "beta Lactamase Inhibitor [EPC]", "Serotonin-3 Receptor Antagonist [EPC]"]) == set()
    assert {key for _, key in PHARM_CLASS_KEYS} <= set(DRUG_CLASSES)


@pytest.mark.parametrize(("key", "words"), [
    ("nsaid", "NSAIDs"), ("nsaid", "nonsteroidal anti-inflammatory drugs"), ("beta_blocker", "beta-blockers"),
    ("maoi", "MAO inhibitors"), ("ssri", "SSRIs"), ("penicillin", "penicillins"),
    ("cephalosporin", "cephalosporins"), ("anticoagulant", "anticoagulants"), ("penicillin", "penicillin-class"),
])
def test_each_class_key_matches_the_words_labels_use(key: str, words: str) -> None:
    assert re.search(rf"\b(?:{DRUG_CLASSES[key]})\b", words, re.IGNORECASE)


def corpus_entries(ids: set[str]) -> dict[str, dict[str, Any]]:
    out = {}
    with CORPUS.open(encoding="utf-8") as fh:
        for line in fh:
            mid = line[8 : line.index('"', 8)] if line.startswith('{"id": "') else ""
            if mid in ids:
                out[mid] = json.loads(line)
    return out


@pytest.mark.skipif(not CORPUS.is_file(), reason="the shipped corpus (corpora/medicines.jsonl) is absent")
def test_the_shipped_corpus_classes_map() -> None:
    want = {"ibuprofen": "nsaid", "naproxen": "nsaid", "apixaban": "anticoagulant", "cefdinir": "cephalosporin",
            "atenolol": "beta_blocker", "isocarboxazid": "maoi", "lovastatin": "statin", "furosemide": "loop_diuretic"}
    found = corpus_entries(set(want))
    assert set(found) == set(want)
    for mid, key in want.items():
        names = [c for kind in found[mid]["pharm_classes"].values() for c in kind]
        assert key in pharm_class_keys(names), (mid, names)


@pytest.mark.skipif(not CORPUS.is_file(), reason="the shipped corpus (corpora/medicines.jsonl) is absent")
def test_shipped_labels_put_amoxicillin_products_and_cephalexin_in_their_classes() -> None:
    """Amoxicillin's labels carry no class metadata; Augmentin's says what it is ("amoxicillin, a penicillin-class
    antibacterial"), cephalexin's "a cephalosporin antibacterial drug": the text gives the class."""
    found = corpus_entries({"amoxicillin-and-clavulanate-potassium", "cephalexin", "ibuprofen", "lisinopril"})
    labels = [label_text(mid, (d["name"], *d["aliases"]), d["sections"]) for mid, d in found.items()]
    got = InteractionLinks(labels, {mid: pharm_class_keys(c for k in (d.get("pharm_classes") or {}).values() for c in k)
                                    for mid, d in found.items()})
    assert "penicillin" in got.classes_of("amoxicillin-and-clavulanate-potassium")
    assert "cephalosporin" in got.classes_of("cephalexin")
    # lisinopril's label names the class ("Non-Steroidal Anti-Inflammatory Agents", "NSAIDs"); ibuprofen is one by
    # its metadata: class links, with the label's own words
    found_links = got.links("lisinopril", "ibuprofen")
    assert found_links and {link.via for link in found_links} == {"class:nsaid"}
    assert all(link.term in link.quote for link in found_links)


# --- classes in the links and the partners ----------------------------------------------------------------


def test_a_class_named_in_a_label_links_its_members_by_their_metadata() -> None:
    assert links(declared=False).links("lisinopril", "ibuprofen") == []  # no label gives ibuprofen as an NSAID
    [link] = links().links("lisinopril", "ibuprofen")
    assert (link.via, link.term) == ("class:nsaid", "NSAIDs")
    assert links().classes_of("amoxicillin") == {"penicillin"}


def test_a_partner_said_in_the_conversation_gets_the_class_term_in_its_query(lexicon: MedicineLexicon) -> None:
    dialogue = [Turn("user", "I take lisinopril for my blood pressure."), Turn("assistant", "Noted."),
                Turn("user", "Can I take ibuprofen for a headache?")]
    context = build_context(dialogue, lexicon)
    asked = Distillation([SearchQuery("ibuprofen", None, "Ibuprofen headache")])
    got, partners = add_medication_partners(asked, dialogue[-1].content, None, lexicon, context, links)
    assert [p.medicine_id for p in partners] == ["lisinopril"]
    by_medicine = {q.medicine: q.keywords for q in got.queries}
    assert "NSAIDs" in by_medicine["lisinopril"]
    without, _ = add_medication_partners(asked, dialogue[-1].content, None, lexicon, context, None)
    assert "NSAIDs" not in {q.medicine: q.keywords for q in without.queries}["lisinopril"]


# --- allergies by class -----------------------------------------------------------------------------------


def test_an_allergy_to_a_class_bears_on_its_members(lexicon: MedicineLexicon) -> None:
    patient = PatientContext("p", allergies=["Allergy to penicillin (recorded 2010-06-01)"])
    classes = links().classes_of
    [conflict] = allergy_conflicts(["amoxicillin", "cefdinir", "ibuprofen"], patient, lexicon, classes_of=classes)
    assert (conflict.medicine_id, conflict.how, conflict.said) == ("amoxicillin", "class", False)
    assert "Amoxicillin is a penicillin class drug" in allergy_notice([conflict], lexicon, classes)
    assert allergy_conflicts(["amoxicillin"], patient, lexicon) == []  # without classes (or a label): nothing
    # said in the conversation, no patient: the same check, worded as the user's
    [said] = allergy_conflicts(["amoxicillin"], None, lexicon, classes_of=classes, said=["penicillin"])
    assert said.said and said.to_dict()["said"] is True
    assert allergy_notice([said], lexicon, classes).startswith("Allergy alert: you said you are allergic to penicillin")
    cephalosporins = PatientContext("p", allergies=["Cephalosporin allergy"])
    assert [c.medicine_id for c in allergy_conflicts(["amoxicillin", "cefdinir"], cephalosporins, lexicon,
                                                    classes_of=classes)] == ["cefdinir"]


# --- RxCUI first ------------------------------------------------------------------------------------------


def fake_index(medicines: list[MedicineEntry], version: str = "v1") -> SearchIndex:
    """What the resolver reads of an index: its medicines, path and version."""
    return cast(SearchIndex, SimpleNamespace(medicines={m.id: m for m in medicines}, path=Path("/x"), version=version))


def medication_record(name: str, code: str, current: bool = True) -> Record:
    state = "still taken (no stop date)" if current else "stopped 2020-01-01"
    return Record("p", f"m-{code}", "2019-01-01", "medication",
                  f"Medication: {name} (RxNorm {code}). Started 2019-01-01; {state}.")


def test_entry_parsing() -> None:
    assert entry_name("Warfarin Sodium 5 MG Oral Tablet (since 2019-09-17; for Atrial fibrillation)") == (
        "Warfarin Sodium 5 MG Oral Tablet")
    assert entry_name("1 ML Enoxaparin sodium 150 MG/ML Prefilled Syringe (since 2020-03-05; for Acute deep venous "
                      "thrombosis (disorder))") == "1 ML Enoxaparin sodium 150 MG/ML Prefilled Syringe"
    assert codes_in("RxNorm 314076 (since 2022-01-10)") == ["314076"]
    assert codes_in("Lisinopril 10 MG [RxCUI: 314076, 29046]") == ["314076", "29046"]
    records = [medication_record("Warfarin Sodium 5 MG Oral Tablet", "855332"),
               medication_record("Ibuprofen 400 MG Oral Tablet", "197806", current=False),
               Record("p", "f1", "2019-01-01", "medication", "Medication: Jantoven 5 MG Oral Tablet (RxNorm 855332, "
                      "855334). Started 2019-01-01; still taken (MedicationRequest active).")]
    assert current_codes(records) == {"warfarin sodium 5 mg oral tablet": ["855332"],
                                      "jantoven 5 mg oral tablet": ["855332", "855334"]}


def resolve(entries: list[str], records: list[Record], lexicon: MedicineLexicon,
            rrf: Path | None = None) -> dict[str, tuple[tuple[str, ...], str]]:
    from app.records.mag import medication_ids

    got = MedicationResolver(rrf).resolve_list(entries, records, fake_index(MEDICINES),
                                               lambda text: medication_ids(text, lexicon))
    return {e: (r.medicine_ids, r.how) for e, r in got.items()}


def test_a_recorded_medication_is_placed_by_its_code_before_its_words(lexicon: MedicineLexicon) -> None:
    entries = ["Jantoven 5 MG Oral Tablet (since 2019-01-01)",  # a brand the database does not name
               "Warfarin Sodium 5 MG Oral Tablet (since 2019-01-01)",
               "Metformin Hydrochloride 500 MG (since 2019-01-01)",
               "Acetaminophen 325 MG Oral Tablet (since 2019-01-01)",  # no code: its words
               "RxNorm 314076 (since 2022-01-10)"]  # a code alone, equal to lisinopril's label RxCUI
    records = [medication_record("Jantoven 5 MG Oral Tablet", "855334"),
               medication_record("Warfarin Sodium 5 MG Oral Tablet", "855332"),
               medication_record("Metformin Hydrochloride 500 MG", "860975")]
    with_release = resolve(entries, records, lexicon, FIXTURES / "rxnorm")
    assert with_release == {
        entries[0]: (("warfarin",), "ingredient"),  # SBD -> SCD -> SCDC -> IN; the label lists another strength
        entries[1]: (("warfarin",), "ingredient"),
        entries[2]: (("metformin",), "rxcui"),  # the label's own RxCUI
        entries[3]: (("acetaminophen",), "name"),
        entries[4]: (("lisinopril",), "rxcui"),
    }
    without = resolve(entries, records, lexicon)
    assert without[entries[0]] == ((), "none")  # a brand code with no release and no name: not guessed
    assert without[entries[1]] == (("warfarin",), "name")  # code unknown without the release: the words
    assert without[entries[2]] == (("metformin",), "rxcui")
    assert without[entries[4]] == (("lisinopril",), "rxcui")


def test_the_code_wins_over_words_that_name_another_medicine(lexicon: MedicineLexicon) -> None:
    # A record whose words are a brand of one drug but whose code is another's label RxCUI: the code decides.
    entries = ["Advil Dual Action (since 2020-01-01)"]
    records = [medication_record("Advil Dual Action", "314076")]
    assert resolve(entries, records, lexicon) == {entries[0]: (("lisinopril",), "rxcui")}


def test_recorded_partners_use_the_resolved_medicines(lexicon: MedicineLexicon) -> None:
    entry_text = "Jantoven 5 MG Oral Tablet (since 2019-01-01)"
    patient = PatientContext("p", current_medications=[entry_text], medicine_ids={entry_text: ("warfarin",)})
    [partner] = medication_partners(patient, lexicon, {"ibuprofen"})
    assert (partner.medicine_id, partner.source) == ("warfarin", entry_text)
    unresolved = PatientContext("p", current_medications=[entry_text])
    assert medication_partners(unresolved, lexicon, {"ibuprofen"}) == []  # by name alone it is unknown


def test_the_mapper_is_built_once_per_index_version() -> None:
    resolver = MedicationResolver()
    first = resolver.mapper(fake_index(MEDICINES))
    assert resolver.mapper(fake_index(MEDICINES)) is first
    assert resolver.mapper(fake_index(MEDICINES, "v2")) is not first


def test_the_provider_places_a_recorded_brand_by_its_code(store: RecordStore, lexicon: MedicineLexicon) -> None:
    listed = "Jantoven 5 MG Oral Tablet (since 2020-02-01)"
    store.create_patient(PatientIn(patient_id="rx"))
    store.add_records("rx", [
        Record("rx", "m1", "2020-02-01", "medication", "Medication: Jantoven 5 MG Oral Tablet (RxNorm 855334). "
               "Started 2020-02-01; still taken (no stop date)."),
        Record("rx", "ml", "2020-02-01", "medication_list", f"Current medications as of 2020-02-01:\n- {listed}"),
    ])
    provider = MedRecordProvider(store, RecordSearch(store), resolver=MedicationResolver(FIXTURES / "rxnorm"))
    question = "Can I take ibuprofen for my knee?"
    ctx = provider.context("rx", [Turn("user", question)], Mag.ALL, lexicon, fake_index(MEDICINES))
    assert ctx.medicine_ids == {listed: ("warfarin",)}
    assert ctx.audit["medications"] == [{"medicine_ids": ["warfarin"], "how": "ingredient", "codes": ["855334"]}]
    asked = Distillation([SearchQuery("ibuprofen", None, "Ibuprofen knee")])
    got, partners = add_medication_partners(asked, question, ctx, lexicon, None, links)
    assert [(p.medicine_id, p.source) for p in partners] == [("warfarin", listed)]
    assert ("warfarin", "interactions") in {(q.medicine, q.attribute) for q in got.queries}
    # without the index (or the release) the brand is not known by name: no partner
    bare = provider.context("rx", [Turn("user", question)], Mag.ALL, lexicon)
    assert add_medication_partners(asked, question, bare, lexicon)[1] == []
