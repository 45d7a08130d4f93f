"""calibration.json: the k chosen by `clinqa calibrate` (Learn-then-Test) and what it was chosen against.

The serving side only reads the file (the statistics live in eval/ltt.py and the run in eval/calibrate.py).
A calibration holds for the index version, retriever and reader it was measured with; a file built for
another index version is refused (`check_index`), never used silently.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = 1
_VOLATILE = frozenset({"calibration_id", "created_at", "seconds", "summary"})


class CalibrationError(ValueError):
    """A calibration file that cannot be used: missing, malformed, or built for another index version."""


@dataclass(frozen=True)
class Calibration:
    calibration_id: str
    index_version: str
    alpha: float
    delta: float
    chosen_k: int | None  # None: no candidate k passed the test (no guarantee; the fallback k serves)
    candidate_ks: tuple[int, ...]
    accepted: tuple[int, ...]
    path: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def guarantee(self) -> bool:
        return self.chosen_k is not None

    def summary(self) -> dict[str, Any]:
        return {
            "calibration_id": self.calibration_id,
            "index_version": self.index_version,
            "alpha": self.alpha,
            "delta": self.delta,
            "chosen_k": self.chosen_k,
            "accepted": list(self.accepted),
        }


def calibration_id(payload: dict[str, Any]) -> str:
    """A content hash of the calibration (everything but the id, the creation time, the run's duration and
    the printed summary): the same measurement gets the same id."""
    body = {k: v for k, v in payload.items() if k not in _VOLATILE}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"cal-{digest[:12]}"


def parse_calibration(obj: Any, path: Path | None = None) -> Calibration:
    where = str(path) if path is not None else "calibration"
    if not isinstance(obj, dict):
        raise CalibrationError(f"{where}: expected a JSON object")
    if obj.get("format") != FORMAT:
        raise CalibrationError(f"{where}: unsupported calibration format {obj.get('format')!r} (expected {FORMAT})")
    try:
        cid = str(obj["calibration_id"])
        version = str(obj["index_version"])
        alpha = float(obj["alpha"])
        delta = float(obj["delta"])
        chosen = obj["chosen_k"]
        ks = tuple(int(k) for k in obj["candidate_ks"])
        accepted = tuple(int(k) for k in obj["accepted"])
    except (KeyError, TypeError, ValueError) as exc:
        raise CalibrationError(f"{where}: missing or malformed field ({exc})") from None
    if chosen is not None and (not isinstance(chosen, int) or chosen < 1 or chosen not in accepted):
        raise CalibrationError(f"{where}: chosen_k {chosen!r} must be null or one of the accepted ks {accepted}")
    if not (0 < alpha < 1 and 0 < delta < 1):
        raise CalibrationError(f"{where}: alpha and delta must lie in (0, 1)")
    return Calibration(cid, version, alpha, delta, chosen, ks, accepted, path, obj)


def load_calibration(path: Path) -> Calibration:
    if not path.is_file():
        raise CalibrationError(f"calibration file not found: {path} (make one with `clinqa calibrate`)")
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CalibrationError(f"{path}: not valid JSON ({exc.msg})") from None
    return parse_calibration(obj, path)


def check_index(calibration: Calibration, index_version: str | None) -> None:
    """Refuse a calibration measured on another index version: its k has no guarantee there."""
    where = calibration.path or calibration.calibration_id
    if index_version is None:
        raise CalibrationError(
            f"{where} was calibrated on index version {calibration.index_version}, but no index is built; "
            "build the index, then calibrate against it (`clinqa calibrate`)"
        )
    if index_version != calibration.index_version:
        raise CalibrationError(
            f"{where} ({calibration.calibration_id}) was calibrated on index version "
            f"{calibration.index_version}, but the serving index is {index_version}. Re-run `clinqa calibrate` "
            "against the serving index, or set CLINQA_SELECT__MODE=fixed."
        )
