"""MedRecord-augmented generation: what the provider puts in a PatientContext for each `mag`, and what the
pipeline does with it (interaction partners in distillation, allergy alerts, record citations)."""

from __future__ import annotations

import pytest

from app.config import RecordsSettings
from app.enums import Mag
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Distillation, Turn
from app.records.interactions import InteractionLinks, links_from_index
from app.records.mag import add_medication_partners, allergy_conflicts, medication_ids, record_citations
from app.records.model import Partner, PatientContext, RecordSnippet
from app.records.provider import MedRecordProvider, list_entries, trim
from app.records.schema import PatientIn
from app.records.search import RecordSearch
from app.records.store import RecordStore
from app.records.synthea import read_export
from indexing.store import SearchIndex
from tests.app.records.conftest import ADA, BOB, REPORT_A, SYNTHEA_MINI, report


@pytest.fixture(scope="module")
def lexicon(mini_index: SearchIndex) -> MedicineLexicon:
    return MedicineLexicon(mini_index.medicines.values())


@pytest.fixture(scope="module")
def links(mini_index: SearchIndex) -> InteractionLinks:
    return links_from_index(mini_index)


@pytest.fixture()
def provider(store: RecordStore, lexicon: MedicineLexicon, links: InteractionLinks) -> MedRecordProvider:
    export = read_export(SYNTHEA_MINI)
    store.import_records(export.records, export.patients)
    return MedRecordProvider(store, RecordSearch(store), lambda: links)


def ask(provider: MedRecordProvider, patient: str, question: str, mag: str = "all",
        lexicon: MedicineLexicon | None = None) -> PatientContext:
    return provider.context(patient, [Turn("user", question)], Mag(mag), lexicon or LEXICON[0])


LEXICON: list[MedicineLexicon] = []


@pytest.fixture(autouse=True)
def _lexicon_for_ask(lexicon: MedicineLexicon) -> None:
    LEXICON[:] = [lexicon]


def test_mag_none_uses_nothing(provider: MedRecordProvider) -> None:
    ctx = ask(provider, ADA, "Can I take ibuprofen for my back pain?", "none")
    assert ctx.mag == "none" and not ctx.snippets and not ctx.current_medications and not ctx.allergies


def test_global_record_of_a_medication_question(provider: MedRecordProvider) -> None:
    ctx = ask(provider, ADA, "Can I take ibuprofen for my back pain?", "global")
    assert [(s.kind, s.scope) for s in ctx.snippets] == [
        ("medication_list", "global"), ("allergy_list", "global"), ("problem_list", "global")
    ]
    # Warfarin's label names ibuprofen, so warfarin comes first among the current medications.
    assert ctx.current_medications[0].startswith("Warfarin Sodium 5 MG Oral Tablet")
    assert any("Metformin" in m for m in ctx.current_medications)
    assert ctx.allergies == ["Allergy to penicillin (recorded 2010-06-01)"]
    assert ctx.audit["topic"] == "medication" and ctx.audit["asked_medicines"] == ["ibuprofen"]
    assert ctx.audit["interaction_links"][0]["target"] in ("ibuprofen", "warfarin-sodium")


def test_regional_records_of_a_medication_question(provider: MedRecordProvider) -> None:
    ctx = ask(provider, ADA, "Can I take ibuprofen for my back pain?", "regional")
    assert ctx.snippets and all(s.scope == "regional" for s in ctx.snippets)
    assert all("Ibuprofen" in s.text for s in ctx.snippets)
    assert {s.kind for s in ctx.snippets} == {"medication"}
    assert not ctx.current_medications  # the medication list is the global record


def test_all_is_global_then_regional(provider: MedRecordProvider) -> None:
    ctx = ask(provider, ADA, "Can I take ibuprofen for my back pain?", "all")
    scopes = [s.scope for s in ctx.snippets]
    assert scopes == sorted(scopes) and set(scopes) == {"global", "regional"}


def test_imaging_question_global_and_regional(provider: MedRecordProvider, store: RecordStore) -> None:
    store.add_records(ADA, [
        report(ADA, "cxr-old", "2018-01-01", "The left lower lobe is clear. Heart size is normal."),
        report(ADA, "cxr-new", "2020-01-02", REPORT_A),
    ])
    question = "How has the left lower lung zone changed on the chest X-ray?"
    g = ask(provider, ADA, question, "global")
    assert [s.record_id for s in g.snippets] == ["cxr-new"] and g.snippets[0].text == REPORT_A
    assert not g.current_medications  # an imaging question's global record is the report
    r = ask(provider, ADA, question, "regional")
    assert [s.record_id for s in r.snippets] == ["cxr-new", "cxr-old"]
    assert "new opacity in the left lower lobe" in r.snippets[0].text
    assert "cardiac silhouette" not in r.snippets[0].text and "Heart size" not in r.snippets[1].text
    assert r.audit["region"]["name"] == "left lower lung zone"


def test_region_entries_of_a_record_are_used(provider: MedRecordProvider, store: RecordStore) -> None:
    from app.records.model import Record

    store.add_records(ADA, [Record(ADA, "cxr-r", "2021-01-01", "radiology_report", "See regions.",
                                   {"left costophrenic angle": "Blunted, small effusion."})])
    ctx = ask(provider, ADA, "Is the left costophrenic angle different on the new image?", "regional")
    assert ctx.snippets[0].text == "Blunted, small effusion."


def test_global_record_is_trimmed_to_its_budget(store: RecordStore, lexicon: MedicineLexicon) -> None:
    store.create_patient(PatientIn(patient_id="long"))
    meds = "Current medications:\n" + "\n".join(f"- Drug number {i} 10 MG Oral Tablet" for i in range(200))
    store.add_records("long", [report("long", "m", "2020-01-01", meds, "medication_list")])
    provider = MedRecordProvider(store, RecordSearch(store), config=RecordsSettings(global_chars=300))
    [snippet] = ask(provider, "long", "Can I take ibuprofen?", "global").snippets
    assert 0 < len(snippet.text) <= 300 and snippet.text.startswith("Current medications:")
    assert trim("word " * 100, 50).endswith("…") and len(trim("word " * 100, 50)) <= 50


def test_list_entries() -> None:
    assert list_entries("Current medications as of 2020:\n- A 5 MG\n* B\n\n1. C") == ["A 5 MG", "B", "C"]
    assert list_entries("warfarin 5 mg daily; metoprolol 25 mg") == ["warfarin 5 mg daily", "metoprolol 25 mg"]
    assert list_entries("No known allergies. (as of 2020-01-01)") == []


# -- the pipeline side -----------------------------------------------------------------------------------


def distill(
    provider: MedRecordProvider, lexicon: MedicineLexicon, patient: str, question: str, mag: str = "all"
) -> tuple[Distillation, list[Partner]]:
    dialogue = [Turn("user", question)]
    context = provider.context(patient, dialogue, Mag(mag), lexicon)
    return add_medication_partners(RuleDistiller().distill(dialogue, lexicon), question, context, lexicon)


def test_taking_question_gets_interaction_queries_for_current_medications(
    provider: MedRecordProvider, lexicon: MedicineLexicon
) -> None:
    d, partners = distill(provider, lexicon, ADA, "Can I take ibuprofen for my back pain?")
    by_medicine = {q.medicine: q for q in d.queries}
    assert {"ibuprofen", "warfarin-sodium"} <= set(by_medicine)
    assert by_medicine["ibuprofen"].attribute == by_medicine["warfarin-sodium"].attribute == "interactions"
    assert "Warfarin" in by_medicine["ibuprofen"].keywords and "Ibuprofen" in by_medicine["warfarin-sodium"].keywords
    assert d.queries[0].medicine == "ibuprofen"  # the asked drug first
    assert partners[0].medicine_id == "warfarin-sodium"


@pytest.mark.parametrize("mag", ["none", "regional"])
def test_without_the_medication_list_there_are_no_partners(
    provider: MedRecordProvider, lexicon: MedicineLexicon, mag: str
) -> None:
    d, _ = distill(provider, lexicon, ADA, "Can I take ibuprofen for my back pain?", mag)
    assert [q.medicine for q in d.queries] == ["ibuprofen"]


def test_a_dose_question_is_not_turned_into_an_interaction_question(
    provider: MedRecordProvider, lexicon: MedicineLexicon
) -> None:
    d, _ = distill(provider, lexicon, ADA, "What dose of ibuprofen can I take?")
    assert [(q.medicine, q.attribute) for q in d.queries] == [("ibuprofen", "dosage")]


def test_my_medicines_question_asks_about_each_current_medication(
    provider: MedRecordProvider, lexicon: MedicineLexicon
) -> None:
    d, _ = distill(provider, lexicon, BOB, "Can I drink alcohol with my medicines?")
    assert [(q.medicine, q.attribute) for q in d.queries] == [("sertraline-hydrochloride", "interactions")]


def test_allergy_conflicts(provider: MedRecordProvider, lexicon: MedicineLexicon, mini_index: SearchIndex) -> None:
    from app.records.mag import section_text

    def contraindications(mid: str) -> str:
        return section_text(mini_index, mid, "contraindications")

    bob = ask(provider, BOB, "Can I take ibuprofen?")
    [named] = allergy_conflicts(["ibuprofen"], bob, lexicon, contraindications)
    assert (named.medicine_id, named.how) == ("ibuprofen", "name")
    ada = ask(provider, ADA, "Can I take amoxicillin?")
    [label] = allergy_conflicts(["amoxicillin"], ada, lexicon, contraindications)
    assert (label.medicine_id, label.how) == ("amoxicillin", "label")
    assert allergy_conflicts(["ibuprofen", "warfarin-sodium"], ada, lexicon, contraindications) == []


def test_record_citations_follow_the_history_block_numbering() -> None:
    snippets = [RecordSnippet("r1", "medication_list", "2020-01-01", "Warfarin", "global"),
                RecordSnippet("r2", "medication", "2015-02-01", "Ibuprofen " * 100, "regional")]
    patient = PatientContext("p", Mag.ALL, snippets)
    cited = record_citations(patient, "Warfarin raises bleeding risk [1] [R2].")
    assert [(c.n, c.record_id, c.scope) for c in cited] == [(2, "r2", "regional")]
    assert len(cited[0].quote) <= 300
    assert [c.n for c in record_citations(patient, "No record markers [1].")] == [1, 2]
    assert record_citations(None, "x") == []


def test_medication_entries_resolve_by_exact_names(lexicon: MedicineLexicon) -> None:
    assert medication_ids("24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet", lexicon) == [
        "metformin"
    ]
    assert medication_ids("Sodium Chloride 9 MG/ML Injectable Solution", lexicon) == []


def test_a_recorded_medication_the_database_lacks_is_said_to_be_unchecked(lexicon: MedicineLexicon) -> None:
    from app.records.mag import partners_notice, unchecked_in_question

    patient = PatientContext("p-li", current_medications=[
        "Warfarin Sodium 5 MG Oral Tablet", "Zorbaxomab 300 MG Oral Capsule"])
    for question, unchecked in (("Can I take ibuprofen for my back pain?", ["Zorbaxomab 300 MG Oral Capsule"]),
                                ("What dose of ibuprofen can I take?", [])):  # not about taking it alongside
        dialogue = [Turn("user", question)]
        distilled = RuleDistiller().distill(dialogue, lexicon)
        _, partners = add_medication_partners(distilled, question, patient, lexicon)
        assert unchecked_in_question(distilled, question, patient, lexicon) == unchecked
    notice = partners_notice(partners, None, ["Zorbaxomab 300 MG Oral Capsule"])
    assert "no label for: Zorbaxomab 300 MG Oral Capsule" in notice
    # only the unchecked one: the notice still says it
    assert partners_notice([], None, ["Lithium"]).startswith("Not checked, because the medicine database has no label")


def test_a_medicine_said_before_that_the_distiller_searched_beside_the_new_one_is_a_partner(
    lexicon: MedicineLexicon,
) -> None:
    # A sure interaction ask makes the distiller search lisinopril (said before) beside ibuprofen itself; the
    # partners stage still names lisinopril as what the user takes, with its notice, not as a second question.
    from app.pipeline.context import build_context
    from app.pipeline.state import SearchQuery

    searched = Distillation([SearchQuery("ibuprofen", "interactions", "ibuprofen interactions"),
                             SearchQuery("lisinopril", "interactions", "lisinopril ibuprofen interactions")])
    for question, partner_ids in [("Can I take ibuprofen for a headache?", ["lisinopril"]),
                                  ("Can I take it with ibuprofen?", []),  # "it" asks of lisinopril too
                                  ("Can I take ibuprofen with lisinopril?", [])]:  # named: asked of both
        dialogue = [Turn("user", "I take lisinopril every morning."), Turn("assistant", "Noted."),
                    Turn("user", question)]
        _, partners = add_medication_partners(searched, question, None, lexicon, build_context(dialogue, lexicon))
        assert [p.medicine_id for p in partners] == partner_ids, question
