from __future__ import annotations

from pathlib import Path

import pytest

from app.config import Settings


@pytest.mark.parametrize("off", ["null", "None", "", "off"])
def test_an_optional_file_is_switched_off_from_the_environment(monkeypatch: pytest.MonkeyPatch, off: str) -> None:
    monkeypatch.setenv("CLINQA_VECTOR_CACHE_OUT", off)
    monkeypatch.setenv("CLINQA_RECORDS__VECTORS_FILE", off)
    monkeypatch.setenv("CLINQA_DISTILL__INTENT_MODEL", off)
    settings = Settings()
    # (a file named "null" had been written into the working directory by a test server given this value)
    assert settings.vector_cache_out is None
    assert settings.records.vectors_file is None
    assert settings.distill.intent_model is None


def test_an_optional_file_keeps_its_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CLINQA_VECTOR_CACHE_OUT", str(tmp_path / "v.npz"))
    assert Settings().vector_cache_out == tmp_path / "v.npz"
    monkeypatch.delenv("CLINQA_VECTOR_CACHE_OUT")
    assert Settings().vector_cache_out == Path("data/cache/vectors.npz")
