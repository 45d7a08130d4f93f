"""A flattened list of reactions by body system, quoted by the systems that name a word of the question
(read_runon): "I have diabetes, can prednisone affect my blood sugar?" finds "decreased carbohydrate tolerance"."""

from __future__ import annotations

from app.pipeline.read_runon import section_groups, system_groups
from indexing.schema import Chunk
from indexing.text import tokenize

# The shape older corticosteroid labels have once flattened (no punctuation), cut by the chunking mid-group.
_LIST = ("Fluid and Electrolyte Disturbances Sodium retention Fluid retention Congestive heart failure in susceptible "
         "patients Potassium loss Hypokalemic alkalosis Hypertension Musculoskeletal Muscle weakness Steroid myopathy "
         "Loss of muscle mass Osteoporosis Tendon rupture, particularly of the Achilles tendon Gastrointestinal Peptic "
         "ulcer with possible perforation and hemorrhage Pancreatitis Abdominal distention Neurological Convulsions "
         "Vertigo Headache Endocrine Menstrual irregularities Development of Cushingoid state Suppression of growth in "
         "children Decreased carbohydrate tolerance Manifestations of latent diabetes mellitus Increased requirements "
         "for insulin or oral hypoglycemic agents in diabetics Ophthalmic Posterior subcapsular cataracts Glaucoma")


def _tokens(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))


def test_a_flattened_list_is_cut_at_its_system_headings_and_items() -> None:
    groups = {system: items for _, system, items in system_groups(_LIST)}
    assert groups["Endocrine"][-3:] == [
        "Decreased carbohydrate tolerance", "Manifestations of latent diabetes mellitus",
        "Increased requirements for insulin or oral hypoglycemic agents in diabetics"]
    assert "Tendon rupture, particularly of the Achilles tendon" in groups["Musculoskeletal"]


def test_the_group_naming_the_question_word_is_quoted_from_the_chunk_its_heading_is_in() -> None:
    cut = _LIST.index("Cushingoid") + 4
    chunks = [Chunk("x:adverse_reactions:1", "x", "adverse_reactions", 1, _LIST[cut:].lstrip()),
              Chunk("x:adverse_reactions:0", "x", "adverse_reactions", 0, _LIST[:cut].rstrip())]
    found = section_groups(chunks, _tokens("I have diabetes, can it affect my blood sugar?"), _tokens)
    assert len(found) == 1
    chunk, line = found[0]
    assert chunk.position == 0 and line.startswith("Endocrine: menstrual irregularities;")
    assert "decreased carbohydrate tolerance; manifestations of latent diabetes mellitus" in line
    assert line.endswith("in diabetics.")


def test_prose_and_tables_are_no_such_list() -> None:
    prose = _LIST.replace(" Musculoskeletal ", ". Musculoskeletal ")
    table = _LIST.replace("Glaucoma", "Glaucoma 4 2")
    assert system_groups(prose) == [] and system_groups(table) == []


def test_the_reader_quotes_the_group_for_a_diabetic_asking_about_blood_sugar() -> None:
    from types import SimpleNamespace
    from typing import cast

    from app.pipeline.read import ExtractiveReader
    from app.pipeline.state import Evidence, SearchQuery
    from indexing.store import MedicineEntry, SearchIndex

    cut = _LIST.index("Cushingoid") + 4
    chunks = [Chunk("exsone:warnings:0", "exsone", "warnings", 0, "Average and large doses of corticosteroids can "
                    "cause elevation of blood pressure, salt and water retention, and increased excretion of "
                    "potassium. All corticosteroids increase calcium excretion."),
              Chunk("exsone:adverse_reactions:0", "exsone", "adverse_reactions", 0, _LIST[:cut].rstrip()),
              Chunk("exsone:adverse_reactions:1", "exsone", "adverse_reactions", 1, _LIST[cut:].lstrip())]
    index = cast(SearchIndex, SimpleNamespace(
        version="v1", medicines={"exsone": MedicineEntry("exsone", "Exsone", (), "en", "", ("warnings",))},
        rows_by_medicine={"exsone": [0, 1, 2]}, chunks=chunks, dense=None))
    ev = [Evidence(chunks[0], 0.03, 0, 0)]
    q = [SearchQuery("exsone", "warnings", "exsone diabetes blood sugar")]
    result = ExtractiveReader().read_evidence("I have diabetes. Can exsone mess with my blood sugar?", q, ev,
                                              index=index)
    assert "decreased carbohydrate tolerance" in result.text
