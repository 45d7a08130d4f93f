"""Select how many ranked evidence pieces the reader sees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.pipeline.types import Evidence


@dataclass(frozen=True)
class Selection:
    evidence: list[Evidence]
    k: int
    audit: dict[str, Any]


class FixedKSelector:
    mode = "fixed"

    def __init__(self, k: int = 5) -> None:
        if k < 1:
            raise ValueError("k must be at least 1")
        self.k = k

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "k": self.k}

    def run(self, evidence: list[Evidence]) -> Selection:
        chosen = evidence[: self.k]
        return Selection(chosen, len(chosen), {"mode": self.mode, "k_configured": self.k})
