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


def _changed_corpus(tmp_path: Path) -> Path:
    """The mini corpus with one medicine less: another version of the same file."""
    lines = [line for line in MINI_CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    changed = tmp_path / "medicines.jsonl"
    changed.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    return changed


def test_an_index_of_another_corpus_version_is_rebuilt_while_the_old_one_serves(
    tmp_path: Path, settings_factory: Callable[..., Any], encoder: Encoder
) -> None:
    corpus = tmp_path / "medicines.jsonl"
    corpus.write_text(MINI_CORPUS.read_text(encoding="utf-8"), encoding="utf-8")
    settings = settings_factory(index_dir=tmp_path / "idx", corpus=corpus, sync_encode_limit=10_000)
    first = IndexHolder(settings, encoder, lexicon_builder(settings))
    first.start(progress=False, background=False)
    old = first.get()
    assert not first.describe()["corpus_changed"]

    _changed_corpus(tmp_path)  # the file is edited after the index was built
    # Without the rebuild setting: the old version serves and readyz says the corpus changed.
    warned = IndexHolder(settings.model_copy(update={"rebuild_when_corpus_changes": False}), encoder,
                         lexicon_builder(settings))
    warned.start(progress=False, background=False)
    assert warned.get().version == old.version and warned.describe()["corpus_changed"]

    rebuilt = IndexHolder(settings, encoder, lexicon_builder(settings))
    rebuilt.start(progress=False, background=False)
    new = rebuilt.get()
    assert new.version != old.version and len(new.medicines) == len(old.medicines) - 1
    assert not rebuilt.describe()["corpus_changed"]
    assert current_version(settings.index_dir, "medicines") == new.version
