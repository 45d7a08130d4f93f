"""A new user's server log does not open with faiss's loader reporting CPU builds it could not load."""

from __future__ import annotations

import logging

from app.api.logging import NOISY_LOGGERS, configure_server_logging


def test_server_logging_keeps_faiss_loader_info_lines_out() -> None:
    loader = logging.getLogger("faiss.loader")
    before = loader.level
    try:
        loader.setLevel(logging.NOTSET)
        configure_server_logging("text")
        assert "faiss.loader" in NOISY_LOGGERS
        assert not loader.isEnabledFor(logging.INFO)
        assert loader.isEnabledFor(logging.WARNING)
    finally:
        loader.setLevel(before)
