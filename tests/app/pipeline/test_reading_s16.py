"""Session 16's changes: a relative's own medicine as the other one of an interaction question ("Is she allowed
naproxen with hers?"), and "my wife" no longer pulls a label's lines on pregnant women into a question that
states no pregnancy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.config import Settings
from app.enums import Mode
from app.pipeline.orchestrator import Orchestrator
from app.pipeline.read import ExtractiveReader
from app.pipeline.state import Evidence, SearchQuery, Turn, TurnRequest
from eval.runtime import load_orchestrator
from tests.conftest import MINI_CORPUS


@pytest.fixture(scope="module")
def orchestrator(tmp_path_factory: pytest.TempPathFactory, mini_index_dir: Path, encoder: Any) -> Orchestrator:
    database = tmp_path_factory.mktemp("reading_s16") / "clinqa.db"
    settings = Settings(database_url=f"sqlite:///{database}", index_dir=mini_index_dir, corpus=MINI_CORPUS,
                        vector_caches=[], vector_cache_out=None)
    return load_orchestrator(settings, encoder)


@pytest.mark.parametrize("turns, pair", [
    (("I take sertraline and my wife is on warfarin for her heart valve.", "ok",
      "She has a terrible back this week. Is she allowed ibuprofen with hers?"), {"ibuprofen", "warfarin-sodium"}),
    (("My dad takes lisinopril.", "ok", "Can he have ibuprofen with his?"), {"ibuprofen", "lisinopril"}),
])
def test_the_relatives_own_medicine_is_the_other_one(orchestrator: Orchestrator, turns: tuple[str, ...],
                                                      pair: set[str]) -> None:
    history = [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns[:-1])]
    answer = orchestrator.answer(TurnRequest(turns[-1], history, Mode.DRR))
    assert {q.medicine for q in answer.queries} == pair  # not the user's own sertraline
    assert {q.attribute for q in answer.queries} == {"interactions"}


def test_his_as_a_determiner_refers_to_nothing_before() -> None:
    from app.pipeline.context import REFERS_BACK as _REFERS_BACK

    assert _REFERS_BACK.search("Is she allowed naproxen with hers?")
    assert _REFERS_BACK.search("Can he have ibuprofen with his?")
    assert not _REFERS_BACK.search("Can he take ibuprofen for his back pain")


def _evidence(index: Any, *medicines: str) -> list[Evidence]:
    return [Evidence(index.chunks[int(r)], 0.03, i, 0)
            for i, r in enumerate(r for m in medicines for r in index.rows_by_medicine[m])]


def test_a_wife_is_no_pregnancy(mini_index: Any) -> None:
    question = "My wife has a bad back. Can she take ibuprofen?"
    result = ExtractiveReader().read_evidence(question, [SearchQuery("ibuprofen", None, "ibuprofen back")],
                                              _evidence(mini_index, "ibuprofen"), index=mini_index)
    assert result.citations
    assert "pregnan" not in result.text.casefold()


def test_heart_failure_said_before_names_the_labels_heart_failure_lines() -> None:
    from app.pipeline.read import condition_terms_in
    from app.pipeline.read_cues import conditions_in
    from indexing.text import tokenize

    conditions = conditions_in("My father is 76 and has heart failure, EF 30%. His surgeon wants to start it.")
    hf = frozenset(tokenize("Cilostazol tablets are contraindicated in patients with heart failure of any severity."))
    assert "heart_failure" in condition_terms_in(hf, conditions)
    assert "heart_failure" not in condition_terms_in(frozenset(tokenize("The heart rate rose by 5 bpm.")), conditions)
    assert "heart_failure" not in condition_terms_in(frozenset(tokenize("Renal failure was reported.")), conditions)


def test_a_condition_said_after_and_has_is_stated() -> None:
    from app.pipeline.read_cues import conditions_in

    stated = [c for c in conditions_in("My father is 76 and has myasthenia gravis. Can he take it?")
              if c.name == "stated"]
    assert stated and stated[0].whole and {"myasthenia"} <= stated[0].terms
    assert not [c for c in conditions_in("I take it and have a headache") if c.name == "stated"]


def test_a_product_the_database_lacks_beside_a_label_silent_on_it_is_not_answered_from_that_label(
        orchestrator: Orchestrator) -> None:
    answer = orchestrator.answer(TurnRequest("Can I take echinacea with ibuprofen?", [], Mode.DRR))
    assert answer.status.value == "unknown_drug" and not answer.citations, answer.text
    # (session 17: asked together, the distiller reads the label for it and says so in the answer itself)
    assert "echinacea (the Ibuprofen label does not mention it) is not in the medicine database" in answer.text


def test_a_calcium_supplement_brand_is_read_in_a_labels_calcium_lines() -> None:
    from app.pipeline.product_words import label_words

    assert "calcium" in label_words("Caltrate")
    assert "antacids" in label_words("Tums")


def test_a_chinese_name_of_a_medicine_the_database_lacks_is_described_by_its_english_generic() -> None:
    from app.pipeline.distill import _english_generic

    assert _english_generic("钙尔奇") == "calcium carbonate"
    assert _english_generic("Caltrate") is None


def test_a_clinicians_short_name_is_no_medicine() -> None:
    from app.pipeline.lexicon import ORDINARY_WORDS

    assert {"neuro", "cardio", "rheumy", "gp"} <= ORDINARY_WORDS


def test_headings_run_together_are_no_sentence_but_a_titled_instruction_is() -> None:
    from app.pipeline.read_cues import fragment

    assert fragment("Laboratory Abnormalities and Laboratory Monitoring for Adverse Reactions Laboratory Monitoring "
                    "Pregnancy Testing.")
    assert not fragment("Do Not Take With Alcohol And Other Central Nervous System Depressants.")
    assert not fragment("Isotretinoin is contraindicated in pregnancy.")


def test_antacid_ingredients_are_products_the_database_lacks() -> None:
    from app.pipeline.product_words import is_listed_product, label_words

    assert is_listed_product("sodium alginate") and is_listed_product("aluminum hydroxide")
    assert "antacids" in label_words("magnesium carbonate")


def test_a_contraindication_naming_the_stated_condition_leads_the_evidence(mini_index: Any) -> None:
    from app.pipeline.retrieve import HybridRetriever
    from app.pipeline.retrieve_safety import safety_rows

    dialogue = [Turn("user", "My mum has kidney disease, her eGFR is 25."), Turn("assistant", "ok"),
                Turn("user", "Is metformin safe for her?")]
    queries = [SearchQuery("metformin", "warnings", "metformin safe")]
    rows = safety_rows(mini_index, queries, dialogue)
    assert rows and all(mini_index.chunks[r].attribute in ("contraindications", "boxed_warning") for r in rows)
    evidence = HybridRetriever(None).retrieve(mini_index, queries, promoted=rows)
    assert evidence[0].chunk.attribute == "contraindications"
    # a dose question keeps its own section first
    dose = [SearchQuery("metformin", "dosage", "metformin dose")]
    assert not safety_rows(mini_index, dose, dialogue)


def test_a_contraindication_naming_the_other_medicine_is_promoted(mini_index: Any) -> None:
    from app.pipeline.retrieve_safety import safety_rows

    queries = [SearchQuery("lisinopril", "interactions", "lisinopril aliskiren"),
               SearchQuery("sertraline-hydrochloride", "interactions", "sertraline lisinopril")]
    assert not safety_rows(mini_index, queries, [Turn("user", "Can I take lisinopril with sertraline?")])
    aliskiren = [SearchQuery("lisinopril", "interactions", "lisinopril"),
                 SearchQuery("sertraline-hydrochloride", "interactions", "sertraline")]
    # (no aliskiren in the mini database: a partner the database holds is needed; warfarin names pregnancy)
    warfarin = [SearchQuery("warfarin-sodium", None, "warfarin")]
    rows = safety_rows(mini_index, warfarin, [Turn("user", "I'm pregnant. Can I take warfarin?")])
    assert rows and "pregnan" in " ".join(mini_index.chunks[r].text for r in rows).casefold()
    assert not safety_rows(mini_index, aliskiren, [Turn("user", "lisinopril with sertraline?")])


def test_an_effect_asked_about_is_no_stated_condition(mini_index: Any) -> None:
    from app.pipeline.retrieve_safety import safety_rows

    queries = [SearchQuery("metformin", "warnings", "metformin")]
    assert safety_rows(mini_index, queries, [Turn("user", "I have kidney disease. Can I take metformin?")])
    assert not safety_rows(mini_index, queries, [Turn("user", "Can metformin cause kidney problems?")])
