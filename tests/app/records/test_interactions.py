"""Interaction links read from label text: by name, and by class (self-described or given as examples)."""

from __future__ import annotations

from app.records.interactions import InteractionLinks, label_text


def labels() -> InteractionLinks:
    return InteractionLinks([
        label_text("warfarin-sodium", ["Warfarin Sodium", "Coumadin"], {
            "indications": "Warfarin sodium is an anticoagulant indicated for venous thrombosis.",
            "interactions": "Drugs that increase bleeding risk: NSAIDs and antiplatelet agents. Monitor INR.",
        }),
        label_text("naproxen", ["Naproxen"], {
            "interactions": "Concomitant use with anticoagulants such as warfarin increases the risk of bleeding. "
                            "Take with food.",
        }),
        label_text("ibuprofen", ["Ibuprofen"], {
            "warnings": "Ask a doctor before use if you are taking a diuretic. Stop use if you feel sick.",
        }),
        label_text("lisinopril", ["Lisinopril"], {
            "indications": "Lisinopril is an angiotensin converting enzyme (ACE) inhibitor indicated for hypertension.",
            "interactions": "NSAIDs (e.g., ibuprofen, naproxen) may reduce the effect of lisinopril.",
        }),
        label_text("pantoprazole-sodium", ["Pantoprazole Sodium"], {
            "interactions": "PPIs, including pantoprazole sodium, and warfarin concomitantly need INR checks.",
        }),
    ])


def test_classes_from_self_description_and_examples() -> None:
    classes = labels().classes
    assert classes["warfarin-sodium"] == {"anticoagulant"}  # said of itself, and "anticoagulants such as warfarin"
    assert classes["lisinopril"] == {"ace_inhibitor"}
    assert classes["ibuprofen"] == classes["naproxen"] == {"nsaid"}  # "NSAIDs (e.g., ibuprofen, naproxen)"
    # A list naming the label's own drug is not taken as examples: warfarin is no PPI.
    assert "ppi" not in classes["warfarin-sodium"]


def test_links_by_name_and_by_class() -> None:
    links = labels()
    [by_name] = links.links("naproxen", "warfarin-sodium")
    assert (by_name.via, by_name.term) == ("name", "warfarin")
    [by_class] = links.links("warfarin-sodium", "ibuprofen")
    assert (by_class.via, by_class.term) == ("class:nsaid", "NSAIDs")
    assert by_class.quote.startswith("Drugs that increase bleeding risk")
    assert links.linked("ibuprofen", "warfarin-sodium") == links.links("warfarin-sodium", "ibuprofen")
    assert links.links("naproxen", "lisinopril") == []  # naproxen's label does not name it or its class
    assert links.mentions("NSAIDs may reduce the effect", "ibuprofen")
    assert not links.mentions("Take with food.", "ibuprofen")


def test_labels_without_an_interactions_section_use_their_warnings() -> None:
    label = labels().labels["ibuprofen"]
    assert label.interactions == "Ask a doctor before use if you are taking a diuretic."
