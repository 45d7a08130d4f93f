"""indexing.corpus: newest version per set id, one medicine per ingredient set and route, fullest section
text, linking metadata kept, sections selected and cut, old and new corpus lines load; `clinqa corpus build`."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from app.corpus_cli import corpus_app
from indexing.corpus import (
    CorpusOptions,
    build_corpus,
    cut_section,
    ingredient_key,
    ingredient_name,
    write_corpus,
)
from indexing.schema import Medicine
from indexing.sources.clinqa_jsonl import load_medicines, write_medicines
from tests.conftest import FIXTURES, MINI_CORPUS

LABELS = FIXTURES / "labels"
OPENFDA = LABELS / "openfda" / "labels.jsonl"


def records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in OPENFDA.read_text(encoding="utf-8").splitlines()]


def write_jsonl(path: Path, recs: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return path


def test_build_from_every_kind_of_source() -> None:
    summary = build_corpus([OPENFDA, LABELS / "spl", LABELS / "collections"])
    meds = {m.id: m for m in summary.medicines}
    assert sorted(meds) == ["acetaminophen", "amoxicillin", "meclizine-hydrochloride", "metyrapone",
                            "perfluorohexyloctane"]  # fmt: skip
    # acetaminophen: the SPL OTC label, the medguard copy and the medtap dump are one medicine
    apap = meds["acetaminophen"]
    assert len(apap.sources) == 3 and apap.sources[0] == apap.source
    assert any(s.startswith("dailymed:ee50c5ee") for s in apap.sources)
    assert summary.merged_groups == 1 and summary.merged_labels == 2
    assert meds["metyrapone"].pharm_classes["epc"] == ("Adrenal Steroid Synthesis Inhibitor [EPC]",)
    assert meds["metyrapone"].rxcuis == ("105450", "199772")
    assert meds["perfluorohexyloctane"].routes == ("OPHTHALMIC",)
    assert all("other" not in m.sections for m in summary.medicines)  # not indexed
    assert summary.not_indexed["other"] >= 1
    text = summary.render()
    assert "medicines: 5" in text and "lactation" in text


def test_fullest_text_per_section_wins(tmp_path: Path) -> None:
    short, full = copy.deepcopy(records()[0]), copy.deepcopy(records()[0])
    short["set_id"] = "another-set-id"  # a repackager's copy of the same product
    short["version"] = "1"
    short["adverse_reactions"] = ["Nausea."]
    short["openfda"]["rxcui"] = ["999"]
    src = write_jsonl(tmp_path / "labels.jsonl", [short, full])
    [med] = build_corpus([src]).medicines
    assert med.sections["adverse_reactions"] != "Nausea."
    assert len(med.sections["adverse_reactions"]) > 100
    assert med.rxcuis == ("999", "105450", "199772") or set(med.rxcuis) == {"999", "105450", "199772"}
    assert len(med.sources) == 2


def test_only_the_newest_version_of_a_set_id_is_kept(tmp_path: Path) -> None:
    new, old = copy.deepcopy(records()[0]), copy.deepcopy(records()[0])
    old["version"] = "2"
    old["effective_time"] = "20200101"
    old["adverse_reactions"] = ["An old, much longer adverse reactions text. " * 200]
    src = write_jsonl(tmp_path / "labels.jsonl", [old, new])
    summary = build_corpus([src])
    [med] = summary.medicines
    assert "An old, much longer" not in med.sections["adverse_reactions"]
    assert med.effective_date == "2026-05-19"
    assert summary.older_versions == [(f"{src}:1", f"{src}:2")]
    assert "older versions dropped (same set id): 1" in summary.render()


def test_routes_and_combinations_stay_apart(tmp_path: Path) -> None:
    base = records()[0]
    eye = copy.deepcopy(base)
    eye["set_id"], eye["openfda"]["route"] = "eye-set", ["OPHTHALMIC"]
    combo = copy.deepcopy(base)
    combo["set_id"] = "combo-set"
    combo["openfda"]["generic_name"] = ["METYRAPONE AND PERFLUOROHEXYLOCTANE"]
    combo["openfda"]["brand_name"] = ["Combo"]
    combo["openfda"]["substance_name"] = ["METYRAPONE", "PERFLUOROHEXYLOCTANE"]
    src = write_jsonl(tmp_path / "labels.jsonl", [base, eye, combo, records()[1]])
    meds = {m.id: m for m in build_corpus([src]).medicines}
    assert sorted(meds) == ["metyrapone", "metyrapone-and-perfluorohexyloctane", "metyrapone-eye",
                            "perfluorohexyloctane"]  # fmt: skip
    assert meds["metyrapone-and-perfluorohexyloctane"].ingredient_ids == ("metyrapone", "perfluorohexyloctane")


def test_ingredient_names_without_salts_and_forms() -> None:
    assert ingredient_name("METOPROLOL SUCCINATE ER TABLETS") == "metoprolol"
    assert ingredient_name("Metoprolol Tartrate") == "metoprolol"
    assert ingredient_name("MAGNESIUM SULFATE") == "magnesium sulfate"
    assert ingredient_key(Medicine(id="x", name="Sacubitril and Valsartan")) == ("sacubitril", "valsartan")
    assert ingredient_key(Medicine(id="x", name="X", substances=("VALSARTAN", "SACUBITRIL"))) == (
        "sacubitril",
        "valsartan",
    )


def test_cut_section_at_a_sentence() -> None:
    text = "One two three. Four five six. Seven eight nine."
    assert cut_section(text, 100) == text
    assert cut_section(text, 32) == "One two three. Four five six."
    assert cut_section("a" * 50 + " " + "b" * 50, 60) == "a" * 50


def test_all_sections_option_keeps_everything() -> None:
    options = CorpusOptions(indexed=tuple(a for a in ("other", "adverse_reactions")), caps={})
    meds = build_corpus([OPENFDA], options).medicines
    assert {a for m in meds for a in m.sections} <= {"other", "adverse_reactions"}
    assert any("other" in m.sections for m in meds)


def test_new_corpus_lines_round_trip_and_old_ones_still_load(tmp_path: Path) -> None:
    summary = build_corpus([OPENFDA])
    out = tmp_path / "medicines.jsonl"
    write_corpus(summary, out)
    assert load_medicines(out) == summary.medicines
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    line = next(x for x in lines if x["id"] == "metyrapone")
    assert {"rxcuis", "substances", "pharm_classes", "routes", "product_type", "effective_date"} <= line.keys()
    old = load_medicines(MINI_CORPUS)
    assert all(m.rxcuis == () and m.pharm_classes == {} for m in old)
    again = tmp_path / "old.jsonl"
    write_medicines(old, again)
    assert again.read_text(encoding="utf-8") == MINI_CORPUS.read_text(encoding="utf-8")


def test_cli_build(tmp_path: Path) -> None:
    out = tmp_path / "corpus.jsonl"
    result = CliRunner().invoke(
        corpus_app, ["build", str(OPENFDA), str(LABELS / "spl"), "--out", str(out), "--quiet"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "medicines: 5" in result.output or "medicines: 4" in result.output
    assert f"written: {out}" in result.output
    assert load_medicines(out)


def test_cli_strict_stops_at_a_bad_record(tmp_path: Path) -> None:
    bad = tmp_path / "labels.jsonl"
    bad.write_text(OPENFDA.read_text(encoding="utf-8") + "{broken\n", encoding="utf-8")
    args = ["build", str(bad), "--out", str(tmp_path / "c.jsonl"), "--quiet", "--strict"]
    result = CliRunner().invoke(corpus_app, args)
    assert result.exit_code == 1
    assert f"{bad}:4" in result.output


def test_vector_cache_encodings(tmp_path: Path) -> None:
    import numpy as np

    from indexing.vector_cache import VectorCache

    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(50, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    texts = [f"chunk {i}" for i in range(50)]
    cache = VectorCache("m", 384)
    cache.add(texts, vectors)
    for encoding, tolerance in (("float16", 1e-3), ("int8", 1e-2)):
        path = tmp_path / f"{encoding}.npz"
        cache.save(path, encoding=encoding)
        loaded = VectorCache.load(path, "m")
        assert loaded is not None
        got, missing = loaded.lookup(texts)
        assert missing == []
        cosine = (got * vectors).sum(axis=1) / np.linalg.norm(got, axis=1)
        assert cosine.min() > 1 - tolerance
    assert (tmp_path / "int8.npz").stat().st_size < 0.6 * (tmp_path / "float16.npz").stat().st_size
    assert VectorCache.load(tmp_path / "int8.npz", "another model") is None
