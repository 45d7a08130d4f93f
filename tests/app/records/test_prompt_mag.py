"""`mag` changes the prompt the model receives (LLM reader against the loopback OpenAI-compatible server):
none: no history block; global: only the global records; regional: only the sentences about the asked
drug; all: both."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import app as cli
from app.main import create_app
from app.pipeline.read_llm import PATIENT_HISTORY_HEADER
from tests.app.records.conftest import ADA, SYNTHEA_MINI
from tests.fakes.openai_server import FakeOpenAIServer, reply

QUESTION = "Can I take ibuprofen for my back pain?"
GLOBAL_TEXT = "Current medications as of 2019-09-17"  # Ada's medication list (global record)
REGIONAL_TEXT = "Ibuprofen 400 MG Oral Tablet"  # her 2015 ibuprofen prescription (a regional sentence)


@pytest.fixture()
def client(settings_factory: Callable[..., Any]) -> Iterator[tuple[TestClient, FakeOpenAIServer]]:
    with FakeOpenAIServer() as server:
        settings = settings_factory(
            llm={"backend": "openai_compat", "base_url": server.url, "model": "fake", "max_retries": 0,
                 "timeout_s": 5.0},
            distill={"backend": "rules"},
            read={"backend": "llm"},
        )
        result = CliRunner().invoke(cli, ["records", "import", str(SYNTHEA_MINI), "--database-url",
                                          settings.database_url])
        assert result.exit_code == 0, result.output
        with TestClient(create_app(settings)) as c:
            yield c, server


def history_lines(prompt: str) -> list[str]:
    if PATIENT_HISTORY_HEADER not in prompt:
        return []
    block = prompt.split(PATIENT_HISTORY_HEADER, 1)[1].split("\n\n", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("mag", "has_global", "has_regional"),
    [("none", False, False), ("global", True, False), ("regional", False, True), ("all", True, True)],
)
def test_mag_changes_the_prompt(
    client: tuple[TestClient, FakeOpenAIServer], mag: str, has_global: bool, has_regional: bool
) -> None:
    api, server = client
    server.script(reply("Ibuprofen can raise the bleeding risk of warfarin [1]. Your records list warfarin [R1]."))
    r = api.post("/v1/chat", json={"message": QUESTION, "patient_id": ADA, "mag": mag})
    assert r.status_code == 200, r.text
    prompt = server.prompt(-1)
    lines = history_lines(prompt)
    assert bool(lines) == (mag != "none")
    history = "\n".join(lines)
    assert (GLOBAL_TEXT in history) is has_global
    assert (REGIONAL_TEXT in history) is has_regional
    scopes = set(re.findall(r"^\[R\d+\] \S+ \S+ \((global|regional)\):", history, re.MULTILINE))
    assert scopes == {s for s, on in (("global", has_global), ("regional", has_regional)) if on}
    # The medication list's facts travel with the global record only.
    assert ("Current medications:" in history) is has_global
    # Label evidence is still there, and interaction evidence for warfarin only when its list was read.
    evidence = prompt.split(PATIENT_HISTORY_HEADER, 1)[0]
    assert "[1] " in evidence
    titles = re.findall(r"^\[\d+\] (.*)$", evidence, re.MULTILINE)
    assert any("Warfarin" in t and "interactions" in t for t in titles) is has_global, titles
    body = r.json()
    assert body["audit"]["records"]["mag"] == mag
    if mag == "none":
        assert body["record_citations"] == []
    else:  # the model cited [R1] only
        assert [rc["n"] for rc in body["record_citations"]] == [1]
