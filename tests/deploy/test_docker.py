"""What can be checked of the Docker deployment without a Docker engine: the compose file and Dockerfile
reference things that exist and settings the app reads, and the entrypoint script works outside a container."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from pydantic import BaseModel

from app.config import Settings
from bench.server import free_port
from tests.conftest import MINI_CORPUS

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"


def setting_exists(var: str) -> bool:
    """CLINQA_A__B names field a of Settings (and b of its nested model)."""
    assert var.startswith("CLINQA_"), var
    parts = var[len("CLINQA_"):].lower().split("__")
    model: type[BaseModel] = Settings
    for i, part in enumerate(parts):
        field = model.model_fields.get(part)
        if field is None:
            return False
        if i < len(parts) - 1:
            nested = field.annotation
            if not (isinstance(nested, type) and issubclass(nested, BaseModel)):
                return False
            model = nested
    return True


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return data


def test_compose_services_and_profiles() -> None:
    services = compose()["services"]
    assert set(services) == {"api", "postgres", "vllm"}
    assert services["vllm"]["profiles"] == ["gpu"]
    assert "profiles" not in services["api"] and "profiles" not in services["postgres"]
    assert services["api"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["api"]["build"]["context"] == "."
    assert "--tool-call-parser hermes" in " ".join(str(services["vllm"]["command"]).split())
    assert any(v.startswith("pgdata:") for v in services["postgres"]["volumes"])


def test_compose_only_sets_variables_the_app_reads() -> None:
    env = compose()["services"]["api"]["environment"]
    names = list(env) if isinstance(env, dict) else [e.split("=", 1)[0] for e in env]
    clinqa = [n for n in names if n.startswith("CLINQA_")]
    assert clinqa, "the api service sets no CLINQA_ variables"
    unknown = [n for n in clinqa if not setting_exists(n)]
    assert unknown == [], f"compose sets variables Settings does not read: {unknown}"
    assert env["CLINQA_AUTH__ENABLED"] == "true"
    assert env["CLINQA_DATABASE_URL"].startswith("postgresql+psycopg://")


def test_dockerfile_env_and_copies_exist() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    env_vars = set(re.findall(r"\b(CLINQA_[A-Z0-9_]+)=", text))
    assert env_vars and [v for v in env_vars if not setting_exists(v)] == []
    for src in re.findall(r"^COPY\s+(?:--\S+\s+)?(.+?)\s+\S+\s*$", text, flags=re.M):
        for item in src.split():
            assert (ROOT / item).exists(), f"Dockerfile copies {item}, which does not exist"
    assert "USER clinqa" in text and "HEALTHCHECK" in text and "AS gpu" in text


def test_entrypoint_commands_exist() -> None:
    """Every `clinqa ...` the entrypoint runs is a real command."""
    from typer.testing import CliRunner

    from app.cli import app as cli

    for line in re.findall(r"clinqa ([a-z][a-z ]+?)(?: --|\"|$)", ENTRYPOINT.read_text(encoding="utf-8"), flags=re.M):
        args = line.split()
        result = CliRunner().invoke(cli, [*args, "--help"])
        assert result.exit_code == 0, f"`clinqa {line} --help` failed: {result.output}"


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("sh") is None, reason="needs /bin/sh")
def test_entrypoint_migrates_builds_the_index_and_serves(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINQA_")}
    env.update({
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",  # `clinqa` of this venv
        "CLINQA_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'clinqa.db'}",
        "CLINQA_INDEX_DIR": str(tmp_path / "index"),
        "CLINQA_CORPUS": str(MINI_CORPUS),
        "CLINQA_VECTOR_CACHES": "[]",
        "CLINQA_HOST": "127.0.0.1",
        "CLINQA_PORT": str(port),
        "CLINQA_AUTH__ENABLED": "true",
        "HF_HUB_OFFLINE": "1",
    })
    if shutil.which("clinqa", path=env["PATH"]) is None:
        pytest.skip("the clinqa console script is not installed in this environment")
    proc = subprocess.Popen(["sh", str(ENTRYPOINT)], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 240
        while True:
            if proc.poll() is not None:
                out = proc.stdout.read() if proc.stdout else ""
                raise AssertionError(f"entrypoint exited ({proc.returncode}):\n{out[-3000:]}")
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
                if r.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the entrypoint's server did not become ready"
            time.sleep(0.3)
        assert (tmp_path / "index" / "medicines" / "CURRENT").is_file()  # built because it was missing
        assert httpx.post(f"http://127.0.0.1:{port}/v1/chat", json={"message": "warfarin dose?"},
                          timeout=30).status_code == 401  # auth on, as in the image
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    with sqlite3.connect(tmp_path / "data" / "clinqa.db") as conn:  # `clinqa db upgrade` ran
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() is not None
