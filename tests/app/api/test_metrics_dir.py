"""The directory several workers' metric files share (`clinqa serve`): one per run, emptied at the start."""

from __future__ import annotations

from pathlib import Path

from app.api.metrics import MULTIPROC_ENV, shared_metrics_dir


def test_one_worker_and_no_directory_needs_none() -> None:
    env: dict[str, str] = {}
    with shared_metrics_dir(1, env) as path:
        assert path is None and env == {}


def test_several_workers_get_a_directory_of_their_own_for_the_run() -> None:
    env: dict[str, str] = {}
    with shared_metrics_dir(2, env) as path:
        assert path is not None and path.is_dir() and env[MULTIPROC_ENV] == str(path)
        (path / "counter_123.db").write_bytes(b"x")
    assert not path.exists() and MULTIPROC_ENV not in env
    with shared_metrics_dir(2, env) as other:
        assert other != path


def test_an_operators_directory_is_emptied_of_metric_files_and_kept(tmp_path: Path) -> None:
    given = tmp_path / "prom"
    given.mkdir()
    (given / "counter_41.db").write_bytes(b"stale")
    (given / "histogram_41.db").write_bytes(b"stale")
    (given / "README").write_text("not ours")
    env = {MULTIPROC_ENV: str(given)}
    with shared_metrics_dir(1, env) as path:
        assert path == given and sorted(p.name for p in given.iterdir()) == ["README"]
    assert given.is_dir() and env[MULTIPROC_ENV] == str(given)
    env = {MULTIPROC_ENV: str(tmp_path / "new" / "dir")}
    with shared_metrics_dir(4, env) as path:
        assert path is not None and path.is_dir()
