"""The one interface every step of a chat turn implements (patient context, distill, partners, retrieve,
select, read, patient outcome). The orchestrator is an ordered list of stages; factory.py picks them."""

from __future__ import annotations

from typing import Any, Protocol

from app.pipeline.state import TurnState


class Stage(Protocol):
    name: str

    def to_dict(self) -> dict[str, Any]:
        """The stage's configuration, for provenance (evaluation reports, calibration files)."""
        ...

    def run(self, state: TurnState) -> None:
        """Read what earlier stages left in `state` and fill this stage's part."""
        ...
