"""Per-patient record search: hybrid ranking, immediate visibility of writes, and isolation between
patients on every path (BM25, dense, kinds filter, the MAG provider, the API)."""

from __future__ import annotations

import pytest

from app.pipeline.state import Turn
from app.records.errors import PatientNotFoundError
from app.records.provider import MedRecordProvider
from app.records.search import RecordSearch
from app.records.store import RecordStore
from indexing.embed import Encoder
from tests.app.records.conftest import report

# Words only patient B's records contain, and words both patients' records contain.
B_ONLY = ["zebrafish granuloma", "hyperinflated lungs", "sertraline", "drained effusion"]
SHARED = ["pleural effusion", "lobe", "IMPRESSION", "heart"]


@pytest.fixture(params=["bm25", "hybrid"])
def search(request: pytest.FixtureRequest, two_patients: RecordStore) -> RecordSearch:
    encoder: Encoder | None = request.getfixturevalue("encoder") if request.param == "hybrid" else None
    return RecordSearch(two_patients, encoder)


def test_search_finds_the_patients_own_record(search: RecordSearch) -> None:
    hits = search.search("patient-a", "left lower lobe pneumonia", top_k=3)
    assert hits[0].record.record_id == "a-cxr-1"
    hits = search.search("patient-b", "calcified granuloma", top_k=3)
    assert hits[0].record.record_id == "b-cxr-1"


@pytest.mark.parametrize("query", B_ONLY + SHARED)
def test_patient_a_never_gets_patient_b_records(search: RecordSearch, query: str) -> None:
    for kinds in (None, ["radiology_report"], ["visit_note"], ["radiology_report", "visit_note", "medication_list"]):
        hits = search.search("patient-a", query, top_k=50, kinds=kinds)
        assert all(h.record.patient_id == "patient-a" for h in hits), (query, kinds)
        assert all(not h.record.record_id.startswith("b-") for h in hits)
        assert all(kinds is None or h.record.kind in kinds for h in hits)


def test_new_records_are_searchable_at_once_and_deletes_disappear(search: RecordSearch) -> None:
    store = search.store
    assert search.search("patient-a", "zebrafish", top_k=5) == [] or search.encoder is not None
    before = search.index("patient-a")
    store.add_records("patient-a", [report("patient-a", "a-new", "2022-02-02", "Zebrafish allergy noted.",
                                           "visit_note")])
    hits = search.search("patient-a", "zebrafish", top_k=1)
    assert hits[0].record.record_id == "a-new"
    assert search.index("patient-a").revision > before.revision
    # Patient B's index was not touched, and still holds only B's records.
    assert {h.record.patient_id for h in search.search("patient-b", "zebrafish", top_k=50)} == {"patient-b"}
    store.delete_record("patient-a", "a-new")
    assert all(h.record.record_id != "a-new" for h in search.search("patient-a", "zebrafish", top_k=50))


def test_writes_from_another_store_are_seen(search: RecordSearch) -> None:
    """A CLI import writes through its own RecordStore: the revision in the database tells the search."""
    other = RecordStore(search.store.db)
    search.search("patient-b", "granuloma")
    other.add_records("patient-b", [report("patient-b", "b-new", "2023-01-01", "Quokka bite on the left hand.",
                                           "visit_note")])
    assert search.search("patient-b", "quokka", top_k=1)[0].record.record_id == "b-new"


def test_unknown_patient_and_empty_patient(search: RecordSearch) -> None:
    with pytest.raises(PatientNotFoundError):
        search.search("nobody", "effusion")
    from app.records.schema import PatientIn

    search.store.create_patient(PatientIn(patient_id="empty"))
    assert search.search("empty", "effusion") == []


def test_provider_context_holds_only_the_patients_records(search: RecordSearch) -> None:
    provider = MedRecordProvider(search.store, search)
    for question in ("Has the left pleural effusion changed on the chest x-ray?",
                     "How is the calcified granuloma in the right upper lobe?",
                     "What about the heart size on the image?"):
        for mag in ("global", "regional", "all"):
            ctx = provider.context("patient-a", [Turn("user", question)], mag)
            assert ctx.snippets or mag == "regional", (question, mag)
            assert {s.record_id for s in ctx.snippets} <= {"a-cxr-1", "a-meds"}, (question, mag)
            assert all("granuloma" not in s.text and "sertraline" not in s.text for s in ctx.snippets)
