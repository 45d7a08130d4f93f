"""Brand and other names of drugs (e.g. Coumadin -> warfarin, Xarelto -> rivaroxaban).

The data comes from the MIT-licensed `drug-named-entity-recognition` package (its dictionary is built
from MedlinePlus, MeSH and Wikipedia names). Only its data file is read; its lookup code, which can reach
the network for optional features, is never imported.
"""

from __future__ import annotations

import bz2
import importlib.util
import logging
import pickle
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

_PACKAGE = "drug_named_entity_recognition"
_DATA_FILE = "drug_ner_dictionary.pkl.bz2"


def _data_path() -> Path | None:
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / _DATA_FILE
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=1)
def drug_synonyms() -> dict[str, str]:
    """Lower-case name variant -> canonical generic name; empty when the package is not installed."""
    path = _data_path()
    if path is None:
        log.warning("%s is not installed: brand names will not be recognised", _PACKAGE)
        return {}
    with bz2.open(path, "rb") as fh:
        data = pickle.load(fh)
    out: dict[str, str] = {}
    for variant, canonicals in data.get("drug_variant_to_canonical", {}).items():
        if isinstance(variant, str) and canonicals:
            out[variant] = str(canonicals[0])
    return out
