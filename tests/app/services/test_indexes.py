from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.factory import lexicon_builder
from app.services.indexes import IndexHolder, IndexNotReadyError
from indexing.embed import Encoder
from indexing.store import current_version
from tests.conftest import MINI_CORPUS


def test_first_start_serves_bm25_then_switches_to_hybrid(
    tmp_path: Path, settings_factory: Callable[..., Any], encoder: Encoder
) -> None:
    settings = settings_factory(index_dir=tmp_path / "idx", sync_encode_limit=0)
    holder = IndexHolder(settings, encoder, lexicon_builder(settings))
    with pytest.raises(IndexNotReadyError):
        holder.get()
    holder.start(progress=False, background=True)
    first = holder.get()
    assert first.retrieval == "bm25"
    assert first.manifest["dense_pending"] > 0
    assert holder.background is not None
    holder.background.join(timeout=300)
    assert holder.get().retrieval == "hybrid"
    assert holder.describe()["state"] == "hybrid"
    assert current_version(settings.index_dir, "medicines") == holder.get().version


def test_existing_index_is_loaded_not_rebuilt(settings_factory: Callable[..., Any], encoder: Encoder) -> None:
    settings = settings_factory()
    holder = IndexHolder(settings, encoder, lexicon_builder(settings))
    holder.start(build_if_missing=False)
    assert holder.get().retrieval == "hybrid"
    assert holder.get().manifest["corpus"].endswith(MINI_CORPUS.name)
