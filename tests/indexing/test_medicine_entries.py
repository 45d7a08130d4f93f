"""The index keeps each medicine's linking metadata (RxCUIs, pharmacologic classes, routes, ingredients) for
the pipeline; an index written before the metadata existed still loads."""

from __future__ import annotations

from indexing.build import medicine_entries
from indexing.schema import Medicine
from indexing.store import MedicineEntry


def test_entries_carry_the_linking_metadata_and_round_trip() -> None:
    ibuprofen = Medicine(
        "ibuprofen", "Ibuprofen", ("Advil",), sections={"indications": "pain", "warnings": "bleeding"},
        rxcuis=("5640",), pharm_classes={"epc": ("Nonsteroidal Anti-inflammatory Drug [EPC]",),
                                         "moa": ("Cyclooxygenase Inhibitors [MoA]",)},
        routes=("ORAL",), product_type="HUMAN OTC DRUG",
    )
    [entry] = medicine_entries([ibuprofen])
    assert entry.attributes == ("indications", "warnings")
    assert entry.rxcuis == ("5640",) and entry.routes == ("ORAL",)
    assert entry.classes == ("Nonsteroidal Anti-inflammatory Drug [EPC]", "Cyclooxygenase Inhibitors [MoA]")
    assert MedicineEntry.from_dict(entry.to_dict()) == entry


def test_an_entry_written_before_the_metadata_loads() -> None:
    old = {"id": "warfarin", "name": "Warfarin", "aliases": ["Coumadin"], "lang": "en", "source": "x",
           "attributes": ["interactions"]}
    entry = MedicineEntry.from_dict(old)
    assert entry.aliases == ("Coumadin",) and entry.classes == () and entry.rxcuis == () and entry.product_type == ""
