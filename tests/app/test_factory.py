"""CLINQA_EMBED__QUERY_BACKEND: questions may be encoded by another backend than chunks and records."""

from __future__ import annotations

from pathlib import Path

from app.config import EmbedSettings, Settings
from app.factory import build_components, build_encoder


def _settings(tmp_path: Path, **embed: str) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path}/q.db", index_dir=tmp_path / "index",
                    embed=EmbedSettings(**embed))  # type: ignore[arg-type]


def test_query_backend_only_changes_the_question_encoder(tmp_path: Path) -> None:
    settings = _settings(tmp_path, backend="onnx", query_backend="onnx-int8")
    assert build_encoder(settings).backend == "onnx"
    assert build_encoder(settings, for_queries=True).backend == "onnx-int8"
    components = build_components(settings)
    assert components.encoder.backend == "onnx"
    assert components.query_encoder is not None and components.query_encoder.backend == "onnx-int8"
    retriever_encoder = components.orchestrator.stage("retrieve").embeddings.encoder  # type: ignore[attr-defined]
    assert retriever_encoder is components.query_encoder
    assert components.indexes.encoder is components.encoder


def test_same_query_backend_shares_one_encoder(tmp_path: Path) -> None:
    for query_backend in ("same", "onnx"):
        components = build_components(_settings(tmp_path, backend="onnx", query_backend=query_backend))
        assert components.query_encoder is components.encoder
        assert build_encoder(components.settings, for_queries=True).backend == "onnx"
