"""The service with CLINQA_SELECT__MODE=calibrated: the chosen k and calibration id in every answer's audit;
a calibration built for another index version stops start-up with a clear error."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import SelectSettings
from app.main import create_app
from app.pipeline.calibration import FORMAT, CalibrationError, calibration_id


def write_calibration(path: Path, version: str, chosen: int | None) -> str:
    body: dict[str, Any] = {"format": FORMAT, "alpha": 0.2, "delta": 0.1, "n": 300, "candidate_ks": [1, 2, 3, 4],
                            "accepted": [2, 3, 4] if chosen else [], "chosen_k": chosen, "index_version": version}
    body["calibration_id"] = calibration_id(body)
    path.write_text(json.dumps(body), encoding="utf-8")
    return str(body["calibration_id"])


def test_answers_carry_the_calibrated_k_and_id(settings_factory: Callable[..., Any], mini_index: Any,
                                                tmp_path: Path) -> None:
    cid = write_calibration(tmp_path / "cal.json", mini_index.version, 2)
    settings = settings_factory(select=SelectSettings(mode="calibrated", calibration=tmp_path / "cal.json", k=5))
    with TestClient(create_app(settings)) as client:
        for message in ("What are the side effects of ibuprofen?", "How much sertraline should I take?"):
            resp = client.post("/v1/chat", json={"message": message})
            assert resp.status_code == 200, resp.text
            body = resp.json()
            select = body["audit"]["select"]
            assert select["mode"] == "calibrated" and select["calibration_id"] == cid
            assert select["k"] == 2 and select["guarantee"] is True
            assert body["k"] == 2


def test_no_passing_k_serves_the_fallback_and_says_so(settings_factory: Callable[..., Any], mini_index: Any,
                                                       tmp_path: Path) -> None:
    write_calibration(tmp_path / "cal.json", mini_index.version, None)
    settings = settings_factory(select=SelectSettings(mode="calibrated", calibration=tmp_path / "cal.json", k=3))
    with TestClient(create_app(settings)) as client:
        body = client.post("/v1/chat", json={"message": "What are the side effects of ibuprofen?"}).json()
    assert body["k"] == 3 and body["audit"]["select"]["guarantee"] is False
    assert body["audit"]["select"]["fallback"] is True


def test_gap_mode_is_served(settings_factory: Callable[..., Any]) -> None:
    settings = settings_factory(select=SelectSettings(mode="gap", gamma=0.3, k_min=1, k_max=6))
    with TestClient(create_app(settings)) as client:
        body = client.post("/v1/chat", json={"message": "What are the side effects of ibuprofen?"}).json()
    assert body["audit"]["select"]["mode"] == "gap" and 1 <= body["k"] <= 6


def test_start_up_refuses_a_calibration_for_another_index(settings_factory: Callable[..., Any],
                                                          tmp_path: Path) -> None:
    write_calibration(tmp_path / "cal.json", "19990101T000000Z-deadbeef", 2)
    settings = settings_factory(select=SelectSettings(mode="calibrated", calibration=tmp_path / "cal.json"))
    with pytest.raises(CalibrationError, match="calibrated on index version 19990101T000000Z-deadbeef"), \
            TestClient(create_app(settings)):
        pass
