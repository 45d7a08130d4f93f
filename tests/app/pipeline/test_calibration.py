"""calibration.json: parsing, refusal of another index version, and the factory wiring."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.factory import build_selector
from app.pipeline.calibration import (
    FORMAT,
    CalibrationError,
    calibration_id,
    check_index,
    load_calibration,
    parse_calibration,
)
from app.pipeline.select import CalibratedSelector, FixedKSelector, GapSelector


def payload(version: str, chosen: int | None = 3) -> dict[str, Any]:
    body: dict[str, Any] = {
        "format": FORMAT, "alpha": 0.2, "delta": 0.1, "n": 100, "candidate_ks": [1, 2, 3, 4],
        "accepted": [3, 4] if chosen is not None else [], "chosen_k": chosen, "index_version": version,
        "risk": {"1": 0.5, "2": 0.3, "3": 0.1, "4": 0.1}, "judge": {"name": "citation"},
    }
    body["calibration_id"] = calibration_id(body)
    return body


def write(path: Path, body: dict[str, Any]) -> Path:
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def test_calibration_id_is_a_content_hash() -> None:
    a, b = payload("v1"), payload("v1")
    assert a["calibration_id"] == b["calibration_id"] and a["calibration_id"].startswith("cal-")
    assert payload("v2")["calibration_id"] != a["calibration_id"]
    assert calibration_id(a | {"created_at": "later", "seconds": 9}) == a["calibration_id"]


def test_load_and_refuse_another_index_version(tmp_path: Path) -> None:
    cal = load_calibration(write(tmp_path / "c.json", payload("v1")))
    assert cal.chosen_k == 3 and cal.guarantee and cal.accepted == (3, 4)
    check_index(cal, "v1")
    with pytest.raises(CalibrationError, match="calibrated on index version v1, but the serving index is v2"):
        check_index(cal, "v2")
    with pytest.raises(CalibrationError, match="no index is built"):
        check_index(cal, None)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"format": 99}, "unsupported calibration format"),
        ({"chosen_k": 2}, "must be null or one of the accepted"),
        ({"alpha": 1.5}, "alpha and delta"),
        ({"candidate_ks": "x"}, "malformed"),
    ],
)
def test_malformed_files_are_refused(edit: dict[str, Any], message: str) -> None:
    with pytest.raises(CalibrationError, match=message):
        parse_calibration(payload("v1") | edit)


def test_missing_or_broken_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CalibrationError, match="not found"):
        load_calibration(tmp_path / "nope.json")
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(CalibrationError, match="not valid JSON"):
        load_calibration(tmp_path / "bad.json")


def test_factory_builds_each_selector(settings_factory: Callable[..., Any], mini_index: Any, tmp_path: Path) -> None:
    from app.config import SelectSettings

    assert isinstance(build_selector(settings_factory()), FixedKSelector)
    gap = build_selector(settings_factory(select=SelectSettings(mode="gap", gamma=0.5, k_min=2, k_max=7)))
    assert isinstance(gap, GapSelector) and (gap.gamma, gap.k_min, gap.k_max) == (0.5, 2, 7)
    good = write(tmp_path / "good.json", payload(mini_index.version))
    cal = build_selector(settings_factory(select=SelectSettings(mode="calibrated", calibration=good, k=6)))
    assert isinstance(cal, CalibratedSelector) and cal.fallback_k == 6 and cal.calibration.chosen_k == 3
    stale = write(tmp_path / "stale.json", payload("20200101T000000Z-other"))
    with pytest.raises(CalibrationError, match="but the serving index is"):
        build_selector(settings_factory(select=SelectSettings(mode="calibrated", calibration=stale)))
    with pytest.raises(ValueError, match="needs CLINQA_SELECT__CALIBRATION"):
        build_selector(settings_factory(select=SelectSettings(mode="calibrated")))
